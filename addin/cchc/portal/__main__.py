"""`python -m cchc.portal <django command>`: Django's management commands on the portal's
settings (migrate, createsuperuser, changepassword, shell…), with the same CCHC_* settings."""

import os
import sys


def main(argv=None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.portal.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["cchc.portal"] + list(sys.argv[1:] if argv is None else argv))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The WSGI application (waitress in `cchc serve`; gunicorn or another WSGI server in production)."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cchc.portal.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

"""The portal's tests: one Django set-up per test session, on a real database in a temporary
data folder (Django settings are per process): SQLite, or PostgreSQL when
CCHC_TEST_DATABASE_URL is set (tests/portal/databases.py; scripts/test.sh runs the suite on
both). Each test that uses `db` runs in a transaction rolled back at its end; the browser test
commits (its server runs in threads) and empties the database first."""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from cchc.workbook.fill import fill_workbook


@pytest.fixture(scope="session", autouse=True)
def _drop_test_databases():
    yield
    from . import databases

    if databases._created:
        from django.db import connections

        connections.close_all()
    databases.drop_all()


@pytest.fixture(scope="session")
def portal(tmp_path_factory):
    data = tmp_path_factory.mktemp("portal_data")
    from cchc.portal import config

    from . import databases

    config.use(config.load_config(data, env={"CCHC_ALLOWED_HOSTS": "testserver,127.0.0.1,localhost",
                                              "CCHC_UPLOAD_MAX_MB": "2", **databases.new_database()}))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.portal.settings"
    import django
    from django.test.utils import override_settings, setup_test_environment

    django.setup()
    setup_test_environment()
    # Hashing with 1.000.000 PBKDF2 rounds per login would dominate the suite's time.
    override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher",
                                        "cchc.portal.access.FirstPasswordHasher"]).enable()
    from django.core.management import call_command

    from cchc.portal import store

    store.ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    return data


@pytest.fixture
def db(portal):
    from django.db import transaction

    with transaction.atomic():
        yield
        transaction.set_rollback(True)


from .portal_helpers import World  # noqa: E402


@pytest.fixture
def world(db):
    return World()


@pytest.fixture
def workbook(tmp_path, template_path, seed_data, catalogue):
    """A filled workbook: the seed data with `info` fields and `values` changed."""

    def make(name="xa.xlsx", info=None, values=None) -> Path:
        data = copy.deepcopy(seed_data)
        data["info"].update(info or {})
        if values is not None:
            data["values"] = values
        out = tmp_path / name
        fill_workbook(template_path, data, out, catalogue)
        return out

    return make

"""The database the portal's tests run on: SQLite (a file in the data folder) by default, or
PostgreSQL when CCHC_TEST_DATABASE_URL names a cluster's maintenance database (scripts/test.sh
starts a throw-away cluster with scripts/with_postgres.sh and runs the portal suite again on
it). Every portal a test sets up, in the test process or in a `cchc serve` process, gets its own
new database; the session drops them at its end."""

from __future__ import annotations

import os
import secrets
import sqlite3
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

MAINTENANCE_URL = os.environ.get("CCHC_TEST_DATABASE_URL", "")
ENGINE = "postgresql" if MAINTENANCE_URL else "sqlite"
_created: list[str] = []


def new_database() -> dict:
    """Settings (environment variables) for a portal on a new empty database: {} on SQLite
    (the data folder's own file), {"CCHC_DATABASE_URL": …} on PostgreSQL."""
    if not MAINTENANCE_URL:
        return {}
    import psycopg

    name = f"cchc_t_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    _created.append(name)
    parts = urlsplit(MAINTENANCE_URL)
    return {"CCHC_DATABASE_URL": urlunsplit(parts._replace(path="/" + name))}


def drop_all() -> None:
    if not MAINTENANCE_URL:
        return
    import psycopg

    with psycopg.connect(MAINTENANCE_URL, autocommit=True) as con:
        while _created:
            con.execute(f'DROP DATABASE IF EXISTS "{_created.pop()}" WITH (FORCE)')


def query(data: Path, env: dict, sql: str, params=()) -> list[tuple]:
    """Rows of `sql` on the database of the portal with data folder `data` and settings `env`
    (what new_database gave), read directly, not through Django."""
    url = env.get("CCHC_DATABASE_URL")
    if url:
        import psycopg

        with psycopg.connect(url) as con:
            return [tuple(r) for r in con.execute(sql.replace("?", "%s"), params).fetchall()]
    con = sqlite3.connect(Path(data) / "cchc.sqlite3")
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()

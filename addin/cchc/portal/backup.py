"""`cchc serve --backup DIR` and `--restore DIR`: a consistent copy of the database and the
stored files, taken while the portal runs, and its restoration into an empty portal.

Consistency. The database is copied first, as one snapshot; then the files its rows point to.
Received files and merges are never changed or deleted and each row is committed after its
file is on disk, so every file a snapshot row names exists when it is copied afterwards.

- SQLite: the online backup API (sqlite3.Connection.backup) copies the database in one step
  under a read lock; in WAL mode writers go on meanwhile. The copy is an ordinary SQLite file.
- PostgreSQL: `pg_dump -Fc`, the standard tool a province's IT staff know and can restore
  without cchc (pg_restore), in a snapshot exported by a REPEATABLE READ transaction that stays
  open while pg_dump runs (pg_export_snapshot, pg_dump --snapshot). The same transaction lists
  the files to copy and counts and digests every table, so the manifest describes exactly what
  the dump holds. (Django's dumpdata was the alternative: engine-neutral, but it reads each
  table in its own query — no snapshot without this same transaction — and reloads row by row,
  with every model's save; pg_dump is exact, compact and fast.)

Every backup is a new folder `cchc_sao_luu_<time>` written under a temporary name and renamed
when complete, with `manifest.json`: per table its row count and a SHA-256 of its rows (in key
order), and every file with its size and SHA-256. A restore checks the whole backup against
the manifest before touching anything, refuses a target that already holds data, and checks
the restored tables against the manifest afterwards. Derived files (marked copies, Word
reports, blank templates) are not copied: the portal rebuilds them on demand.
"""

from __future__ import annotations

import datetime as dt
import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection, transaction

from cchc import app
from cchc.app import CchcError
from cchc.portal import store
from cchc.portal.integrity import sha256_of

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "cchc.sqlite3"
PG_FILE = "cchc.pgdump"


@dataclass
class Result:
    folder: Path
    engine: str
    tables: dict
    files: int
    bytes: int
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def rows(self, table: str) -> int:
        return self.tables.get(table, {}).get("rows", 0)


# ------------------------------------------------------------------------------- helpers
def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _tables() -> list[tuple[str, str]]:
    """(table, primary key column) of every table the portal's Django knows, and the
    migrations table."""
    out = {("django_migrations", "id")}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            out.add((model._meta.db_table, model._meta.pk.column))
    return sorted(out)


def _digest_tables(cursor, quote) -> dict:
    """Row count and SHA-256 of the rows (in key order) of every table, through a DB-API
    cursor: the same cursor kind at backup and at restore gives the same values."""
    out = {}
    for table, pk in _tables():
        cursor.execute(f"SELECT * FROM {quote(table)} ORDER BY {quote(pk)}")
        digest, n = hashlib.sha256(), 0
        while rows := cursor.fetchmany(500):
            for row in rows:
                digest.update(repr(tuple(row)).encode("utf-8"))
                digest.update(b"\n")
                n += 1
        out[table] = {"rows": n, "sha256": digest.hexdigest()}
    return out


def _sqlite_quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _referenced(cursor) -> tuple[list[tuple[str, int, str]], list[tuple[str, bool]]]:
    cursor.execute("SELECT stored_name, size, sha256 FROM portal_submission WHERE stored_name <> '' ORDER BY id")
    subs = [(r[0], int(r[1]), r[2]) for r in cursor.fetchall()]
    cursor.execute("SELECT folder, has_report FROM portal_mergerun ORDER BY id")
    merges = [(r[0], bool(r[1])) for r in cursor.fetchall()]
    return subs, merges


def _fsync_tree(path: Path) -> None:
    if os.name == "nt":
        return
    for root, dirs, files in os.walk(path):
        for name in files:
            fd = os.open(os.path.join(root, name), os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        fd = os.open(root, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _copy(src: Path, dst: Path) -> tuple[int, str]:
    def chunks():
        with open(src, "rb") as fh:
            while chunk := fh.read(1 << 20):
                yield chunk

    return store.write_atomic(dst, chunks())


def pg_tool(name: str) -> str:
    """pg_dump / pg_restore: the newest of Debian's versioned folders (a client must not be
    older than the server), else the one on PATH."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise CchcError(f"Không tìm thấy chương trình {name} của PostgreSQL trên máy này. Hãy cài gói "
                        "postgresql-client (cùng phiên bản với máy chủ PostgreSQL hoặc mới hơn).")
    return path


def _pg_env() -> dict:
    db = settings.DATABASES["default"]
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD"),
                     ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    for key, value in (db.get("OPTIONS") or {}).items():
        if key in LIBPQ_ENV:
            env[LIBPQ_ENV[key]] = str(value)
    return env


# The URL's ?parameters that pg_dump and pg_restore must use too, as libpq's variables.
LIBPQ_ENV = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
             "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "target_session_attrs":
             "PGTARGETSESSIONATTRS", "gssencmode": "PGGSSENCMODE"}


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, env=_pg_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise CchcError(f"{what} không thành công: {proc.stderr.strip()[-800:]}")


# -------------------------------------------------------------------------------- backup
def backup(parent: str | Path) -> Result:
    parent = Path(parent).expanduser().resolve()
    if parent == store.data_dir().resolve() or store.data_dir().resolve() in parent.parents:
        raise CchcError(f"Thư mục sao lưu «{parent}» nằm trong thư mục dữ liệu của cổng: hãy chọn nơi khác "
                        "(tốt nhất là ổ đĩa hoặc máy khác).")
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"cchc_sao_luu_{stamp}"
    for i in range(2, 100):
        if not (parent / name).exists():
            break
        name = f"cchc_sao_luu_{stamp}_{i}"
    final, partial = parent / name, parent / f".{name}.dang-ghi"
    partial.mkdir(parents=True)
    try:
        if engine() == "sqlite":
            db_file, tables, subs, merges = _snapshot_sqlite(partial)
        else:
            db_file, tables, subs, merges = _snapshot_postgresql(partial)
        result = _copy_files(partial, subs, merges)
        files = {db_file: _entry(partial / db_file)}
        secret = store.data_dir() / "secret_key"
        if secret.is_file():
            _copy(secret, partial / "secret_key")
        for path in sorted(partial.rglob("*")):
            rel = path.relative_to(partial).as_posix()
            if path.is_file() and rel not in files:
                files[rel] = _entry(path)
        manifest = {"format": FORMAT, "created": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                    "cchc_version": _version(), "engine": engine(), "database_file": db_file, "tables": tables,
                    "files": files, "problems": result.problems}
        store.write_atomic(partial / MANIFEST, [json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")])
        _fsync_tree(partial)
        os.replace(partial, final)
        store._fsync_dir(parent)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    result.folder, result.tables = final, tables
    result.bytes = sum(e["size"] for e in files.values())
    result.files = sum(1 for k in files if k.startswith(("files/", "merges/")))
    return result


def _version() -> str:
    import cchc

    return getattr(cchc, "__version__", "")


def _entry(path: Path) -> dict:
    size, sha = sha256_of(path)
    return {"size": size, "sha256": sha}


def _snapshot_sqlite(folder: Path):
    source = Path(settings.DATABASES["default"]["NAME"])
    target = folder / SQLITE_FILE
    src = sqlite3.connect(source, timeout=60)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot
    finally:
        dst.close()
        src.close()
    copy = sqlite3.connect(target)
    try:
        cur = copy.cursor()
        tables = _digest_tables(cur, _sqlite_quote)
        subs, merges = _referenced(cur)
    finally:
        copy.close()
    return SQLITE_FILE, tables, subs, merges


def _snapshot_postgresql(folder: Path):
    dump = pg_tool("pg_dump")
    connection.ensure_connection()
    with transaction.atomic():
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cur.execute("SELECT pg_export_snapshot()")
            snapshot = cur.fetchone()[0]
            _run([dump, "--format=custom", "--no-owner", "--no-acl", f"--snapshot={snapshot}",
                  f"--file={folder / PG_FILE}"], "Sao lưu cơ sở dữ liệu (pg_dump)")
            tables = _digest_tables(cur, connection.ops.quote_name)
            subs, merges = _referenced(cur)
    return PG_FILE, tables, subs, merges


def _copy_files(folder: Path, subs, merges) -> Result:
    result = Result(folder=folder, engine=engine(), tables={}, files=0, bytes=0)
    for stored, size, sha in subs:
        src = store.received_path(stored)
        if not src.is_file():
            result.problems.append(f"Thiếu tệp đã nộp {src}: không sao lưu được.")
            continue
        got = _copy(src, folder / "files" / stored)
        if got != (size, sha):
            result.problems.append(f"Tệp đã nộp {src} khác với lúc nhận (SHA-256 {got[1][:12]}… thay vì {sha[:12]}…); "
                                   "đã sao lưu như hiện có.")
    for name, has_report in merges:
        for filename in ["TONG_HOP.xlsx", "TONG_HOP.json"] + (["TONG_HOP.docx"] if has_report else []):
            src = store.merge_path(name, filename)
            if src.is_file():
                _copy(src, folder / "merges" / name / filename)
            else:
                result.problems.append(f"Thiếu tệp tổng hợp {src}.")
    return result


# ------------------------------------------------------------------------------- restore
def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CchcError(f"«{folder}» không phải một bản sao lưu của cổng (không đọc được {MANIFEST}: {exc}).") from None
    if manifest.get("format") != FORMAT:
        raise CchcError(f"Bản sao lưu «{folder}» có định dạng {manifest.get('format')} mà phiên bản cchc này không đọc.")
    return manifest


def check_backup(folder: Path, manifest: dict) -> None:
    """Every file of the backup as the manifest says, and nothing more that would be restored."""
    for rel, entry in manifest["files"].items():
        path = folder / rel
        if ".." in Path(rel).parts or Path(rel).is_absolute() or not path.is_file():
            raise CchcError(f"Bản sao lưu «{folder}» bị thiếu tệp {rel}: không khôi phục.")
        size, sha = sha256_of(path)
        if (size, sha) != (entry["size"], entry["sha256"]):
            raise CchcError(f"Bản sao lưu «{folder}» bị hỏng: tệp {rel} khác với lúc sao lưu. Không khôi phục; hãy "
                            "dùng một bản sao lưu khác.")


def _target_is_empty(manifest: dict) -> None:
    root = store.data_dir()
    for sub in ("files", "merges"):
        if (root / sub).is_dir() and any(p.is_file() for p in (root / sub).rglob("*")):
            raise CchcError(f"Thư mục dữ liệu «{root}» đã có dữ liệu ({sub}/): chỉ khôi phục vào một cổng trống, để "
                            "không ghi đè gì. Hãy chọn thư mục dữ liệu mới (--data) và cơ sở dữ liệu trống.")
    if engine() == "sqlite":
        path = Path(settings.DATABASES["default"]["NAME"])
        if path.exists() and path.stat().st_size > 0:
            con = sqlite3.connect(path)
            try:
                n = con.execute("SELECT count(*) FROM sqlite_master WHERE type='table'").fetchone()[0]
            finally:
                con.close()
            if n:
                raise CchcError(f"Cơ sở dữ liệu «{path}» đã có dữ liệu: chỉ khôi phục vào một cổng trống.")
    elif connection.introspection.table_names():
        raise CchcError(f"Cơ sở dữ liệu PostgreSQL «{settings.DATABASES['default']['NAME']}» đã có bảng: chỉ khôi "
                        "phục vào một cơ sở dữ liệu trống (createdb tên_mới, rồi đặt CCHC_DATABASE_URL).")


def restore(folder: str | Path) -> Result:
    folder = Path(folder).expanduser().resolve()
    manifest = read_manifest(folder)
    if manifest["engine"] != engine():
        raise CchcError(f"Bản sao lưu là của {manifest['engine']}, còn cổng đang dùng {engine()}: hãy đặt "
                        "CCHC_DATABASE_URL cùng loại cơ sở dữ liệu với bản sao lưu.")
    check_backup(folder, manifest)
    _target_is_empty(manifest)
    store.ensure_dirs()
    db_file = folder / manifest["database_file"]
    if engine() == "sqlite":
        target = Path(settings.DATABASES["default"]["NAME"])
        connection.close()
        src, dst = sqlite3.connect(db_file), sqlite3.connect(target)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        con = sqlite3.connect(target)
        try:
            tables = _digest_tables(con.cursor(), _sqlite_quote)
        finally:
            con.close()
    else:
        _run([pg_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error", "--single-transaction",
              f"--dbname={settings.DATABASES['default']['NAME']}", str(db_file)],
             "Khôi phục cơ sở dữ liệu (pg_restore)")
        connection.close()
        with transaction.atomic(), connection.cursor() as cur:
            tables = _digest_tables(cur, connection.ops.quote_name)
    result = Result(folder=folder, engine=engine(), tables=tables, files=0, bytes=0)
    for rel, entry in manifest["files"].items():
        if rel.startswith(("files/", "merges/")):
            _copy(folder / rel, store.data_dir() / rel)
            result.files += 1
            result.bytes += entry["size"]
    # The secret key signs the sessions: the backup's, so that nobody is logged out. The target
    # was empty, so the key this command generated for it signed nothing yet.
    secret, mine = folder / "secret_key", store.data_dir() / "secret_key"
    if secret.is_file():
        _copy(secret, mine)
        os.chmod(mine, 0o600)
        from cchc.portal import config

        cfg = config.current()
        if cfg.secret_is_set and cfg.secret_key != secret.read_text(encoding="ascii").strip():
            result.notes.append("Khóa bí mật đang đặt bằng CCHC_SECRET_KEY hoặc tệp thiết lập, khác bản sao lưu: "
                                "người đang đăng nhập phải đăng nhập lại.")
    wrong = [t for t, e in manifest["tables"].items() if tables.get(t) != e]
    if wrong:
        raise CchcError("Khôi phục xong nhưng số liệu khác bản sao lưu ở bảng " + ", ".join(wrong) +
                        ": hãy báo bộ phận công nghệ thông tin; không dùng cổng này.")
    result.problems = list(manifest.get("problems", []))
    return result


def summary(result: Result, restored: bool = False) -> list[str]:
    n = app.format_number
    subs, audit = result.rows("portal_submission"), result.rows("portal_auditevent")
    units, merges = result.rows("portal_unit"), result.rows("portal_mergerun")
    mb = app.format_number(result.bytes / (1024 * 1024), 1)
    head = "Đã khôi phục từ" if restored else "Đã sao lưu vào"
    return [f"{head} {result.folder}",
            f"Cơ sở dữ liệu ({result.engine}): {n(units)} đơn vị, {n(subs)} lần nộp, {n(merges)} lần tổng hợp, "
            f"{n(audit)} dòng nhật ký; {n(len(result.tables))} bảng, mỗi bảng có số dòng và mã SHA-256 trong "
            f"{MANIFEST}.",
            f"Tệp: {n(result.files)} tệp đã nộp và tổng hợp ({mb} MB)."]

"""The portal's settings, from environment variables or one TOML settings file.

Read before Django starts (by `cchc serve` and by settings.py); imports nothing of Django.
Precedence: environment variable, then the settings file, then the default.

| environment          | file key         | default                                       |
|----------------------|------------------|-----------------------------------------------|
| CCHC_DATA            | data_dir         | ./cchc_data                                   |
| CCHC_SETTINGS        | (the file)       | <data_dir>/cchc_portal.toml when it exists    |
| CCHC_SECRET_KEY      | secret_key       | generated once into <data_dir>/secret_key     |
| CCHC_DATABASE_URL    | database_url     | sqlite:///<data_dir>/cchc.sqlite3             |
| CCHC_UPLOAD_MAX_MB   | upload_max_mb    | 10                                            |
| CCHC_DEADLINE_DAYS   | deadline_days    | 6 (days after the end of a period's data window) |
| CCHC_ALLOWED_HOSTS   | allowed_hosts    | localhost, 127.0.0.1 (and the --host)         |
| CCHC_HTTPS           | https            | false (true: cookies only over HTTPS, behind a proxy) |
| CCHC_CSRF_TRUSTED_ORIGINS | csrf_trusted_origins | https://<each allowed host> when https     |
| CCHC_TRUSTED_PROXIES | trusted_proxies  | 127.0.0.1, ::1 (peers whose X-Forwarded-* are believed) |
| CCHC_STATIC_ROOT     | static_root      | <data_dir>/static (the admin's files, for nginx) |
| CCHC_TIME_ZONE       | time_zone        | Asia/Ho_Chi_Minh                              |
| CCHC_FIRST_PASSWORDS | first_passwords  | <data_dir>/mat_khau_ban_dau.csv               |
| CCHC_LOGIN_MAX_FAILURES | login_max_failures | 5 failed logins of one account (20 from one address) … |
| CCHC_LOGIN_LOCK_MINUTES | login_lock_minutes | … within 15 minutes lock further tries for 15 minutes |
| CCHC_SESSION_IDLE_MINUTES | session_idle_minutes | 60: a session unused that long ends          |
| CCHC_SESSION_MAX_HOURS | session_max_hours | 8: a session ends that long after the login   |
"""

from __future__ import annotations

import os
import secrets
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from cchc.app import CchcError

SETTINGS_NAME = "cchc_portal.toml"


@dataclass
class Config:
    data_dir: Path
    secret_key: str
    database: dict
    upload_max_bytes: int
    deadline_days: int
    allowed_hosts: list[str]
    https: bool
    time_zone: str
    first_passwords: Path
    csrf_trusted_origins: list[str] = field(default_factory=list)
    trusted_proxies: list[str] = field(default_factory=lambda: ["127.0.0.1", "::1"])
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    session_idle_minutes: int = 60
    session_max_hours: int = 8
    static_root: Path | None = None
    secret_is_set: bool = False  # by CCHC_SECRET_KEY or the settings file, not the generated file
    settings_file: Path | None = None
    notes: list[str] = field(default_factory=list)


def parse_database_url(url: str, data_dir: Path) -> dict:
    """A Django DATABASES entry from a URL: sqlite:///path (relative to the data folder when
    not absolute), postgresql://user:pass@host:port/name (needs psycopg, issue 16)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///cchc.sqlite3 is relative to the data folder; sqlite:////srv/x.sqlite3 absolute.
        raw = unquote(parts.netloc + parts.path)
        raw = raw[1:] if raw.startswith("/") else raw
        path = Path(raw) if raw else Path("cchc.sqlite3")
        if not path.is_absolute():
            path = data_dir / path
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            # Writers queue instead of failing at once; readers never wait for a writer (WAL).
            # synchronous=FULL: a commit is on disk before the success page is sent (NORMAL may
            # lose the last commits on a power cut); one fsync per upload, which already pays one
            # for its file.
            "OPTIONS": {"timeout": 30, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"},
        }
    if scheme in ("postgres", "postgresql", "pgsql"):
        # ?sslmode=require&connect_timeout=10 … go to libpq as they are.
        options = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parts.path.lstrip("/")),
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(parts.port or ""),
            "OPTIONS": options,
            # One connection per worker thread, kept between requests and checked before reuse
            # (a restarted PostgreSQL costs one reconnect, not an error page).
            "CONN_MAX_AGE": 300,
            "CONN_HEALTH_CHECKS": True,
        }
    raise CchcError(f"Địa chỉ cơ sở dữ liệu «{url}» không hợp lệ: chỉ dùng sqlite:///… hoặc postgresql://….")


def _bool(v) -> bool:
    return v if isinstance(v, bool) else str(v).strip().lower() in ("1", "true", "yes", "on", "co", "có")


def _int(name: str, v, minimum: int = 0) -> int:
    try:
        n = int(str(v).strip())
    except ValueError:
        raise CchcError(f"Thiết lập {name} phải là một số nguyên (đang là «{v}»).") from None
    if n < minimum:
        raise CchcError(f"Thiết lập {name} phải từ {minimum} trở lên (đang là {n}).")
    return n


def _list(v) -> list[str]:
    """A list from a TOML array or a comma-separated environment variable."""
    if v is None or v == "":
        return []
    if isinstance(v, str):
        v = v.split(",")
    return [str(x).strip() for x in v if str(x).strip()]


def _secret(data_dir: Path) -> str:
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key + "\n")
    return key


def load_config(data_dir: str | Path | None = None, *, host: str | None = None, env=None) -> Config:
    """The settings in force. `data_dir` (the --data option) wins over CCHC_DATA."""
    env = os.environ if env is None else env
    data = Path(data_dir or env.get("CCHC_DATA") or "cchc_data").expanduser().resolve()
    file_path = env.get("CCHC_SETTINGS")
    file_path = Path(file_path).expanduser() if file_path else data / SETTINGS_NAME
    values: dict = {}
    used_file = None
    if file_path.exists():
        try:
            values = tomllib.loads(file_path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise CchcError(f"Không đọc được tệp thiết lập «{file_path}»: {exc}") from None
        used_file = file_path
    elif env.get("CCHC_SETTINGS"):
        raise CchcError(f"Không tìm thấy tệp thiết lập «{file_path}» (CCHC_SETTINGS).")
    if not data_dir and not env.get("CCHC_DATA") and values.get("data_dir"):
        data = Path(values["data_dir"]).expanduser().resolve()

    def get(key: str, default=None):
        v = env.get("CCHC_" + key.upper())
        return v if v not in (None, "") else values.get(key, default)

    hosts = _list(get("allowed_hosts"))
    notes = []
    if not hosts:
        hosts = ["localhost", "127.0.0.1", "[::1]"]
        if host and host not in ("127.0.0.1", "localhost", "::1"):
            if host in ("0.0.0.0", "::"):
                hosts = ["*"]
                notes.append("Chưa đặt CCHC_ALLOWED_HOSTS: cổng nhận mọi tên máy chủ. Hãy đặt tên hoặc địa chỉ "
                             "mà cán bộ dùng để truy cập, ví dụ CCHC_ALLOWED_HOSTS=baocao.snv.gov.vn,10.0.0.5.")
            else:
                hosts.append(host)
    first = get("first_passwords")
    https = _bool(get("https", False))
    origins = _list(get("csrf_trusted_origins"))
    if not origins and https:  # the address officers type, as the browser sends it in Origin
        origins = [f"https://{h}" for h in hosts if h != "*" and not h.startswith(".")]
    bad = [o for o in origins if not o.startswith(("https://", "http://"))]
    if bad:
        raise CchcError(f"Thiết lập csrf_trusted_origins phải là địa chỉ đầy đủ, ví dụ https://baocao.snv.gov.vn "
                        f"(đang có «{bad[0]}»).")
    proxies = get("trusted_proxies")
    return Config(
        data_dir=data,
        secret_key=str(get("secret_key") or _secret(data)),
        secret_is_set=bool(get("secret_key")),
        static_root=Path(get("static_root")).expanduser().resolve() if get("static_root") else data / "static",
        database=parse_database_url(str(get("database_url") or ""), data) if get("database_url")
        else parse_database_url("sqlite:///cchc.sqlite3", data),
        upload_max_bytes=_int("upload_max_mb", get("upload_max_mb", 10), 1) * 1024 * 1024,
        deadline_days=_int("deadline_days", get("deadline_days", 6)),
        allowed_hosts=list(hosts),
        https=https,
        csrf_trusted_origins=origins,
        trusted_proxies=_list(proxies) if proxies is not None else ["127.0.0.1", "::1"],
        login_max_failures=_int("login_max_failures", get("login_max_failures", 5), 1),
        login_lock_minutes=_int("login_lock_minutes", get("login_lock_minutes", 15), 1),
        session_idle_minutes=_int("session_idle_minutes", get("session_idle_minutes", 60), 1),
        session_max_hours=_int("session_max_hours", get("session_max_hours", 8), 1),
        time_zone=str(get("time_zone", "Asia/Ho_Chi_Minh")),
        first_passwords=Path(first).expanduser() if first else data / "mat_khau_ban_dau.csv",
        settings_file=used_file,
        notes=notes,
    )


_CURRENT: Config | None = None


def use(config: Config) -> Config:
    """Make `config` the one settings.py builds Django's settings from (cchc serve, tests)."""
    global _CURRENT
    _CURRENT = config
    return config


def current() -> Config:
    global _CURRENT
    if _CURRENT is None:
        _CURRENT = load_config()
    return _CURRENT

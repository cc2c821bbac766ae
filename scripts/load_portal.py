"""The deadline-day burst against the portal on its production server, and the crash test's
parts (tests/portal/test_portal_production.py uses them on a smaller scale).

    python scripts/load_portal.py [--uploads 200] [--clients 50] [--units 25]
                                  [--server gunicorn|waitress] [--workers W] [--threads T]
    bash scripts/with_postgres.sh python scripts/load_portal.py --db postgresql …
    bash scripts/with_postgres.sh python scripts/load_portal.py --db both …

1. Sets up a portal in a temporary data folder (SQLite, or a new database in the cluster of
   CCHC_TEST_DATABASE_URL): UNITS units, one officer each, the period Quý I/2025 open, and one
   logged-in session per client (officers are already logged in when the burst starts; a
   client shares its unit with the others of the same number modulo UNITS, so several clients
   race for the same unit's next version number). Not timed.
2. Starts `cchc serve --server gunicorn` (or waitress) on 127.0.0.1 and a free port.
3. The burst: CLIENTS threads released together, each with its own connection and session,
   upload UPLOADS workbooks in all through the officers' form (GET /nop/ for the CSRF token,
   POST /nop/ multipart, follow the redirect to the findings page). Each upload is a distinct
   file (the commune's workbook with its own zip comment), so every one can be traced. Latency
   = POST sent → findings page received.
4. Accounts for every upload: each success page is a row of its unit, accepted, with the SHA-256
   of the bytes sent, its file on disk intact (`cchc serve --verify`); rows = successes (no
   duplicate); each unit's versions numbered 1…n without a gap or a repeat.
Prints p50/p95/max latency, throughput and the counts. Only 127.0.0.1 is ever contacted; every
loop is bounded in count and time.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import io
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST = "127.0.0.1"  # the only address this script talks to


# --------------------------------------------------------------------------- the portal
def new_database() -> dict:
    """{"CCHC_DATABASE_URL": …} of a new database in the cluster of CCHC_TEST_DATABASE_URL."""
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    url = os.environ["CCHC_TEST_DATABASE_URL"]
    name = f"cchc_load_{os.getpid()}_{secrets.token_hex(4)}"
    with psycopg.connect(url, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    return {"CCHC_DATABASE_URL": urlunsplit(urlsplit(url)._replace(path="/" + name))}


def drop_database(env: dict) -> None:
    import psycopg
    from urllib.parse import urlsplit, urlunsplit

    if not env.get("CCHC_DATABASE_URL"):
        return
    name = urlsplit(env["CCHC_DATABASE_URL"]).path.lstrip("/")
    url = os.environ["CCHC_TEST_DATABASE_URL"]
    with psycopg.connect(urlunsplit(urlsplit(url)), autocommit=True) as con:
        con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _python_env(env: dict) -> dict:
    return {**os.environ, **env, "PYTHONUNBUFFERED": "1"}


def prepare(data: Path, env: dict, units: int, clients: int) -> dict:
    """Units, officers, the open period and one session per client, in a separate process
    (Django settings are per process). Returns {"period": id, "sessions": [{code, session}]}."""
    out = subprocess.run([sys.executable, __file__, "_prepare", str(data), str(units), str(clients)],
                         env=_python_env(env), capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _django(data: str):
    from cchc.portal import config

    config.use(config.load_config(data, env={**os.environ, "CCHC_ALLOWED_HOSTS": "127.0.0.1,localhost"}))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.portal.settings"
    import django

    django.setup()


def _prepare_here(data: str, n_units: int, n_clients: int) -> None:
    _django(data)
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from cchc import app
    from cchc.portal import store
    from cchc.portal.models import Period, Unit, User

    store.ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)
    period = Period.objects.create(kind="ky", ky="Quý I", nam=2025)
    officers = []
    for k in range(n_units):
        code, name = f"{k + 1:05d}", f"UBND xã Số {k + 1}"
        unit = Unit.objects.create(key=app.unit(code, name).id, code=code, name=name, group=f"Huyện {k % 5 + 1}")
        user = User(username=code, role=User.OFFICER, unit=unit, must_change_password=False)
        user.set_unusable_password()  # the burst starts logged in; logins are not what is measured
        user.save()
        officers.append(user)
    def session(user) -> str:
        s = SessionStore()
        s[SESSION_KEY], s[BACKEND_SESSION_KEY] = str(user.pk), "cchc.portal.access.ThrottledBackend"
        s[HASH_SESSION_KEY] = user.get_session_auth_hash()
        s.create()
        return s.session_key

    sessions = [{"code": officers[i % n_units].username, "session": session(officers[i % n_units])}
                for i in range(n_clients)]
    province = User(username="tinh", role=User.PROVINCE, must_change_password=False, is_staff=True)
    province.set_unusable_password()
    province.save()
    print(json.dumps({"period": period.pk, "sessions": sessions, "province": session(province)}))


def rows(data: Path, env: dict) -> list[dict]:
    """Every submission row: id, unit code, seq, status, sha256, stored name."""
    out = subprocess.run([sys.executable, __file__, "_rows", str(data)], env=_python_env(env),
                         capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(out.stderr)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rows_here(data: str) -> None:
    _django(data)
    from cchc.portal.models import Submission

    print(json.dumps([{"id": s.pk, "code": s.unit.code, "seq": s.seq, "status": s.status, "sha256": s.sha256,
                       "stored": s.stored_name} for s in Submission.objects.select_related("unit").order_by("id")]))


def verify(data: Path, env: dict) -> tuple[int, str]:
    """`cchc serve --verify` on the portal: (exit code, what it printed)."""
    out = subprocess.run([sys.executable, "-m", "cchc", "serve", "--verify", "--data", str(data)],
                         env=_python_env(env), capture_output=True, text=True, timeout=600)
    return out.returncode, out.stdout + out.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


class Server:
    """`cchc serve` in its own process group (so a crash can take every worker at once)."""

    def __init__(self, data: Path, env: dict, server: str = "gunicorn", workers: int | None = None,
                 threads: int | None = None, port: int | None = None):
        self.port = port or free_port()
        cmd = [sys.executable, "-m", "cchc", "serve", "--data", str(data), "--host", HOST, "--port", str(self.port),
               "--server", server]
        if workers:
            cmd += ["--workers", str(workers)]
        if threads:
            cmd += ["--threads", str(threads)]
        self.log_path = data.parent / f"server-{self.port}.log"
        self.log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, env=_python_env(env), stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server stopped: {self.output()}")
            try:
                c = http.client.HTTPConnection(HOST, self.port, timeout=2)
                c.request("GET", "/api/health")
                if c.getresponse().status == 200:
                    c.close()
                    return
            except OSError:
                time.sleep(0.2)
        self.kill()
        raise RuntimeError(f"the server did not answer: {self.output()}")

    def cpu_seconds(self) -> float:
        """User + system CPU time of the server's processes so far (Linux /proc): the cost of
        the work, whatever else the machine is doing."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == self.proc.pid:  # process group
                total += int(fields[11]) + int(fields[12])
        return total / os.sysconf("SC_CLK_TCK")

    def output(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def kill(self) -> None:
        """SIGKILL to the whole group: master and workers die mid-request, as in a power cut
        of the process (not of the machine)."""
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait(timeout=30)
        self.log.close()

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log.close()


# ------------------------------------------------------------------------------- workbooks
def workbooks(directory: Path, n_units: int) -> dict[str, bytes]:
    """One workbook per unit code (the seed commune's numbers varied, its name and code set)."""
    sys.path.insert(0, str(HERE))
    from bench_merge import generate

    return {p.stem.split("_")[1]: p.read_bytes() for p in generate(n_units, directory)}


def distinct(workbook: bytes, tag: str) -> bytes:
    """The same workbook with its own zip comment: read the same, hashed differently."""
    src = zipfile.ZipFile(io.BytesIO(workbook))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as out:
        for info in src.infolist():
            out.writestr(info, src.read(info.filename))
        out.comment = tag.encode("ascii")
    return buf.getvalue()


# ------------------------------------------------------------------------------ the clients
@dataclass
class Upload:
    client: int
    code: str
    name: str
    sha256: str
    ok: bool = False
    submission: int | None = None
    status: int | None = None
    error: str = ""
    seconds: float = 0.0
    started: float = 0.0


_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
_LOCATION = re.compile(r"^/lan-nop/(\d+)/$")


class Client:
    """One officer's browser: a keep-alive connection, the session and CSRF cookies."""

    def __init__(self, port: int, session: str, timeout: float = 120, tls: bool = False, host: str | None = None):
        self.port, self.timeout, self.tls = port, timeout, tls
        self.cookies = {"sessionid": session}
        self.conn = None
        # As a browser sends them: the name typed in the address bar, the page's origin on a POST.
        self.host = host or f"{HOST}:{port}"
        self.origin = f"{'https' if tls else 'http'}://{self.host}"

    def _connect(self):
        if self.tls:  # through nginx with a self-signed certificate (scripts/check_nginx_site.sh)
            import ssl

            return http.client.HTTPSConnection(HOST, self.port, timeout=self.timeout,
                                               context=ssl._create_unverified_context())
        return http.client.HTTPConnection(HOST, self.port, timeout=self.timeout)

    def _request(self, method, path, body=None, headers=None):
        for attempt in (0, 1):
            if self.conn is None:
                self.conn = self._connect()
            h = {"Host": self.host, "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                 **({"Origin": self.origin} if method == "POST" else {}), **(headers or {})}
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self.conn.close()
                self.conn = None
                if attempt or method != "GET":  # a POST is never sent twice
                    raise
                continue
            for k, v in r.getheaders():
                if k.lower() == "set-cookie":
                    name, _, rest = v.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            if r.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            return r.status, r.getheader("Location") or "", data
        raise AssertionError("unreachable")

    def upload(self, period: int, name: str, payload: bytes) -> tuple[int, str, bytes]:
        status, _, page = self._request("GET", "/nop/")
        if status != 200:
            return status, "", page
        token = _TOKEN.search(page).group(1).decode()
        boundary = "----cchc" + secrets.token_hex(12)
        parts = []
        for key, value in (("csrfmiddlewaretoken", token), ("period", str(period))):
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                      "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n").encode()
                     + payload + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        body = b"".join(parts)
        return self._request("POST", "/nop/", body=body,
                             headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                                      "Content-Length": str(len(body))})

    def post_form(self, page: str, path: str, fields: dict) -> tuple[int, str, bytes]:
        """A form's POST as the browser sends it: the CSRF token from `page`, then the fields."""
        from urllib.parse import urlencode

        status, _, html = self._request("GET", page)
        if status != 200:
            return status, "", html
        body = urlencode({"csrfmiddlewaretoken": _TOKEN.search(html).group(1).decode(), **fields}).encode()
        return self._request("POST", path, body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Content-Length": str(len(body))})

    def page(self, path: str) -> tuple[int, bytes]:
        status, _, data = self._request("GET", path)
        return status, data


def burst(port: int, plan: dict, books: dict[str, bytes], uploads: int, *, tag: str, stop_after: float = 600,
          on_success=None, tls: bool = False, host: str | None = None) -> list[Upload]:
    """`uploads` uploads shared by the plan's clients, all released at once; each client uploads
    its share one after the other. Bounded: no client starts an upload after `stop_after`
    seconds, and a client stops at its first connection error (the server died)."""
    sessions = plan["sessions"]
    n = len(sessions)
    shares = [uploads // n + (1 if i < uploads % n else 0) for i in range(n)]
    results: list[Upload] = []
    lock = threading.Lock()
    gate = threading.Barrier(n)
    t0 = time.monotonic()

    def work(i: int):
        s = sessions[i]
        client = Client(port, s["session"], tls=tls, host=host)
        gate.wait()
        for j in range(shares[i]):
            if time.monotonic() - t0 > stop_after:
                return
            name = f"Quy_I_2025_{s['code']}_{tag}_{i:03d}_{j:02d}.xlsx"
            payload = distinct(books[s["code"]], f"{tag}/{i}/{j}")
            up = Upload(client=i, code=s["code"], name=name, sha256=hashlib.sha256(payload).hexdigest())
            start = time.monotonic()
            up.started = start - t0
            try:
                status, location, _ = client.upload(plan["period"], name, payload)
                up.status = status
                m = _LOCATION.match(location) if status == 302 else None
                if m:
                    page_status, page = client.page(location)
                    up.status = page_status
                    up.ok = page_status == 200 and name.encode() in page
                    up.submission = int(m.group(1))
                else:
                    up.error = f"HTTP {status}"
            except (OSError, http.client.HTTPException) as exc:
                up.error = f"{type(exc).__name__}: {exc}"
            up.seconds = time.monotonic() - start
            with lock:
                results.append(up)
            if up.ok and on_success:
                on_success(up)
            if up.error and up.status is None:
                return

    threads = [threading.Thread(target=work, args=(i,), daemon=True) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=stop_after + 300)
    return results


# ------------------------------------------------------------------------------ accounting
@dataclass
class Account:
    successes: int = 0
    failures: int = 0
    server_errors: int = 0
    rows: int = 0
    missing: list = field(default_factory=list)  # success pages without their row / with another file
    duplicates: list = field(default_factory=list)  # one upload recorded twice
    unexpected: list = field(default_factory=list)  # rows of no upload of this run
    numbering: list = field(default_factory=list)  # a unit's seq not 1…n
    verify_code: int = -1
    verify_text: str = ""

    @property
    def clean(self) -> bool:
        return not (self.missing or self.duplicates or self.numbering or self.verify_code)


def account(results: list[Upload], table: list[dict], verify_result: tuple[int, str], *,
            exact: bool = True) -> Account:
    """Every success is a row, accepted, with the bytes that were sent (and `cchc serve
    --verify` found its file intact). exact: also no row beyond the successes (a load test;
    after a crash an upload may be recorded without its answer having reached the client)."""
    acc = Account(rows=len(table))
    acc.verify_code, acc.verify_text = verify_result
    by_id = {r["id"]: r for r in table}
    by_sha: dict[str, list] = {}
    for r in table:
        by_sha.setdefault(r["sha256"], []).append(r)
    for up in results:
        if up.ok:
            acc.successes += 1
            r = by_id.get(up.submission)
            if r is None or r["status"] != "accepted" or r["sha256"] != up.sha256 or r["code"] != up.code:
                acc.missing.append(asdict(up))
        else:
            acc.failures += 1
            acc.server_errors += bool(up.status and up.status >= 500)
    sent = {up.sha256 for up in results}
    for sha, rs in by_sha.items():
        if sha and len(rs) > 1:
            acc.duplicates.append(rs)
        if exact and sha not in sent:
            acc.unexpected.append(rs)
    if exact and len(table) != acc.successes:
        acc.unexpected.append(f"{len(table)} rows for {acc.successes} successes")
    seqs: dict[str, list[int]] = {}
    for r in table:
        seqs.setdefault(r["code"], []).append(r["seq"])
    for code, got in seqs.items():
        if sorted(got) != list(range(1, len(got) + 1)):
            acc.numbering.append((code, sorted(got)))
    return acc


def percentile(xs: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    xs = sorted(xs)
    return xs[max(0, min(len(xs) - 1, -(-len(xs) * p // 100) - 1))] if xs else float("nan")


# ------------------------------------------------------------------------------------ main
def run_once(db: str, args, books: dict[str, bytes], root: Path) -> dict:
    data = root / f"data_{db}"
    env = new_database() if db == "postgresql" else {}
    try:
        plan = prepare(data, env, args.units, args.clients)
        server = Server(data, env, server=args.server, workers=args.workers, threads=args.threads)
        try:
            cpu, t = server.cpu_seconds(), time.monotonic()
            results = burst(server.port, plan, books, args.uploads, tag=db)
            wall, cpu = time.monotonic() - t, server.cpu_seconds() - cpu
        finally:
            server.stop()
        acc = account(results, rows(data, env), verify(data, env))
        lat = [u.seconds for u in results if u.ok]
        return {"db": db, "wall": wall, "cpu": cpu, "p50": statistics.median(lat) if lat else float("nan"),
                "p95": percentile(lat, 95), "max": max(lat, default=float("nan")), "account": acc,
                "errors": [u.error for u in results if not u.ok][:5]}
    finally:
        if db == "postgresql":
            drop_database(env)


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "_prepare":
        _prepare_here(argv[1], int(argv[2]), int(argv[3]))
        return 0
    if argv and argv[0] == "_rows":
        _rows_here(argv[1])
        return 0
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=200)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--units", type=int, default=25, help="units (clients share them: version numbers race)")
    ap.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="sqlite")
    ap.add_argument("--server", choices=("gunicorn", "waitress"), default="gunicorn")
    ap.add_argument("--workers", type=int)
    ap.add_argument("--threads", type=int)
    args = ap.parse_args(argv)
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    if "postgresql" in dbs and not os.environ.get("CCHC_TEST_DATABASE_URL"):
        ap.error("PostgreSQL: run under scripts/with_postgres.sh (CCHC_TEST_DATABASE_URL)")
    from cchc import app

    num = app.format_number
    root = Path(tempfile.mkdtemp(prefix="cchc-load-"))
    try:
        books = workbooks(root / "cac_xa", args.units)
        workers = args.workers or (os.cpu_count() or 1) + 1
        what = (f"gunicorn, {workers} tiến trình × {args.threads or 4} luồng" if args.server == "gunicorn"
                else f"waitress, {args.threads or 8} luồng")
        print(f"Máy: {os.cpu_count()} nhân CPU. Máy chủ: {what}. {num(args.uploads)} lần nộp từ {num(args.clients)} "
              f"người dùng đồng thời, {num(args.units)} đơn vị (mỗi đơn vị {num(args.clients / args.units, 1)} "
              "người nộp cùng lúc).", flush=True)
        failed = False
        for db in dbs:
            r = run_once(db, args, books, root)
            acc = r["account"]
            ms = lambda x: f"{num(x * 1000, 0)} ms"  # noqa: E731
            print(f"\n{db}: {num(acc.successes)}/{num(args.uploads)} lần nộp thành công trong {num(r['wall'], 1)} s "
                  f"({num(acc.successes / r['wall'], 1)} lần/giây); độ trễ nộp → trang kết quả: p50 {ms(r['p50'])}, "
                  f"p95 {ms(r['p95'])}, tối đa {ms(r['max'])}")
            print(f"  CPU của máy chủ: {num(r['cpu'], 1)} s, {num(r['cpu'] / max(1, acc.successes) * 1000, 0)} ms mỗi lần "
                  f"nộp, trung bình {num(r['cpu'] / r['wall'] * 100, 0)}% của một nhân; tải máy lúc đo "
                  f"{num(os.getloadavg()[0], 1)}")
            print(f"  lỗi máy chủ (5xx): {acc.server_errors}; thất bại khác: {acc.failures - acc.server_errors} "
                  f"{r['errors'] if acc.failures else ''}")
            print(f"  CSDL: {num(acc.rows)} dòng; mất: {len(acc.missing)}; trùng: {len(acc.duplicates)}; ngoài dự kiến: "
                  f"{len(acc.unexpected)}; đánh số lần nộp sai: {len(acc.numbering)}")
            print("  " + "\n  ".join(acc.verify_text.strip().splitlines()))
            failed |= not acc.clean or bool(acc.unexpected) or acc.failures > 0
        return 1 if failed else 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

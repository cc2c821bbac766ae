"""The portal as a province runs it: `cchc serve --server gunicorn` in its own processes, on
the suite's database (SQLite, or PostgreSQL in the second pass of scripts/test.sh), driven
over HTTP on 127.0.0.1 by scripts/load_portal.py's clients (officers' form uploads, each a
distinct file).

- a burst of uploads from concurrent clients, three to a unit: every success page is a row with
  the bytes sent and its file intact, no duplicate, each unit's versions numbered 1…n;
- SIGKILL of the whole server mid-uploads, then a restart: every upload that got its success
  page is there and intact, nothing half-written is listed, numbering goes on;
- backup while uploads run, restore into an empty portal: nothing lost (rows, audit log, files
  by SHA-256), the restored portal serves the files; a non-empty target and a damaged backup
  are refused;
- HTTPS behind a reverse proxy: secure cookies, the CSRF check passing only with the proxy's
  X-Forwarded-Proto, unknown host names refused.
The full deadline-day figures (200 uploads, 50 clients) come from the script itself."""

from __future__ import annotations

import hashlib
import http.client
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from . import databases

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import load_portal as lp  # noqa: E402


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    return lp.workbooks(tmp_path_factory.mktemp("books"), 8)


def _portal(tmp_path: Path, units: int, clients: int):
    env = databases.new_database()
    data = tmp_path / "du_lieu"
    return data, env, lp.prepare(data, env, units, clients)


def _cchc(*args, env):
    return subprocess.run([sys.executable, "-m", "cchc", *args], capture_output=True, text=True, timeout=600,
                          env={**os.environ, **env})


def _files(data: Path) -> dict[str, str]:
    """SHA-256 of every received and merged file, by path under the data folder."""
    return {p.relative_to(data).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for sub in ("files", "merges") for p in sorted((data / sub).rglob("*")) if p.is_file()}


def test_a_burst_of_uploads_loses_and_duplicates_nothing(tmp_path, books):
    data, env, plan = _portal(tmp_path, 8, 24)
    server = lp.Server(data, env, "gunicorn", workers=2, threads=4)
    try:
        results = lp.burst(server.port, plan, books, 48, tag="dot")
    finally:
        server.stop()
    acc = lp.account(results, lp.rows(data, env), lp.verify(data, env))
    assert (acc.successes, acc.failures, acc.server_errors) == (48, 0, 0), [u.error for u in results if not u.ok]
    assert acc.clean and not acc.unexpected, (acc.missing, acc.duplicates, acc.numbering, acc.unexpected)
    assert acc.rows == 48 and acc.verify_code == 0
    assert "Mọi lần nộp đều có tệp nguyên vẹn" in acc.verify_text
    # 24 clients on 8 units: 6 versions each, numbered 1…6 although 3 clients raced per unit.
    table = lp.rows(data, env)
    assert sorted((r["code"], r["seq"]) for r in table) == [(f"{u:05d}", s) for u in range(1, 9) for s in range(1, 7)]
    lat = [u.seconds for u in results]
    print(f"\n{databases.ENGINE}: 48 uploads, 24 clients, p95 {lp.percentile(lat, 95) * 1000:.0f} ms")


def test_sigkill_mid_uploads_then_restart(tmp_path, books):
    data, env, plan = _portal(tmp_path, 6, 12)
    server = lp.Server(data, env, "gunicorn", workers=2, threads=4)
    done = []
    killer = threading.Lock()

    def on_success(up):
        with killer:
            done.append(up)
            if len(done) == 8:  # uploads of the other clients are in flight now
                server.kill()

    try:
        results = lp.burst(server.port, plan, books, 120, tag="sap", stop_after=180, on_success=on_success)
    finally:
        server.kill()
    ok = [u for u in results if u.ok]
    cut = [u for u in results if not u.ok]
    assert len(ok) >= 8 and cut, "the kill must come while uploads are in flight"
    assert all(u.status in (None, 302) for u in cut), [(u.status, u.error) for u in cut]  # cut, never an error page

    restarted = lp.Server(data, env, "gunicorn", workers=2, threads=4)
    try:
        # Every upload that got its success page: the page again, and the very bytes sent.
        clients = {}
        for up in ok:
            c = clients.setdefault(up.client, lp.Client(restarted.port, plan["sessions"][up.client]["session"]))
            status, page = c.page(f"/lan-nop/{up.submission}/")
            assert status == 200 and up.name.encode() in page
            status, original = c.page(f"/lan-nop/{up.submission}/tai/goc/")
            assert status == 200 and hashlib.sha256(original).hexdigest() == up.sha256
        # Numbering goes on after the crash.
        c = lp.Client(restarted.port, plan["sessions"][0]["session"])
        status, location, _ = c.upload(plan["period"], "sau_khi_khoi_dong_lai.xlsx",
                                       lp.distinct(books[plan["sessions"][0]["code"]], "after"))
        assert status == 302
    finally:
        restarted.stop()
    assert "Traceback" not in restarted.output()
    table = lp.rows(data, env)
    acc = lp.account(ok, table, lp.verify(data, env), exact=False)
    assert acc.clean, (acc.missing, acc.duplicates, acc.numbering, acc.verify_text)
    assert acc.verify_code == 0 and "Mọi lần nộp đều có tệp nguyên vẹn" in acc.verify_text
    # A row is written only after its file: rows beyond the successes are uploads whose answer
    # was lost in the crash, each with its file intact (verify); none is half-written.
    assert len(table) >= len(ok) + 1
    assert not list((data / "files").glob("*/.~in-*"))  # removed at the restart
    print(f"\n{databases.ENGINE}: {len(ok)} uploads answered before the kill, {len(cut)} cut; "
          f"{len(table) - len(ok) - 1} recorded without their answer")


def test_backup_during_uploads_and_restore(tmp_path, books):
    data, env, plan = _portal(tmp_path, 4, 8)
    server = lp.Server(data, env, "gunicorn", workers=2, threads=4)
    backups = tmp_path / "sao_luu"
    try:
        first = lp.burst(server.port, plan, books, 12, tag="mot")
        assert all(u.ok for u in first)
        province = lp.Client(server.port, plan["province"])
        status, location, _ = province.post_form("/tinh/tong-hop/", "/tinh/tong-hop/", {"period": plan["period"]})
        assert status == 302 and location.startswith("/tinh/tong-hop/")
        # A backup taken while eight more uploads arrive.
        second: list = []
        running = threading.Thread(target=lambda: second.extend(lp.burst(server.port, plan, books, 8, tag="hai")))
        running.start()
        during = _cchc("serve", "--backup", str(backups), "--data", str(data), env=env)
        running.join()
        assert during.returncode == 0, during.stderr
        assert all(u.ok for u in second)
        after = _cchc("serve", "--backup", str(backups), "--data", str(data), env=env)
        assert after.returncode == 0, after.stderr
    finally:
        server.stop()
    made = sorted(backups.iterdir())
    assert len(made) == 2 and all(p.name.startswith("cchc_sao_luu_") for p in made)
    assert f"Đã sao lưu vào {made[0]}" in during.stdout
    assert "4 đơn vị, 20 lần nộp, 1 lần tổng hợp" in after.stdout

    # The backup taken during the uploads: a consistent snapshot, restored whole.
    data_a, env_a = tmp_path / "khoi_phuc_a", databases.new_database()
    r = _cchc("serve", "--restore", str(made[0]), "--data", str(data_a), env=env_a)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Mọi lần nộp đều có tệp nguyên vẹn" in r.stdout
    original, restored = lp.rows(data, env), lp.rows(data_a, env_a)
    assert 12 <= len(restored) <= 20 and all(row in original for row in restored)

    # The backup taken after: identical to the portal it came from.
    data_b, env_b = tmp_path / "khoi_phuc_b", databases.new_database()
    r = _cchc("serve", "--restore", str(made[1]), "--data", str(data_b), env=env_b)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"Đã khôi phục từ {made[1]}" in r.stdout
    assert lp.rows(data_b, env_b) == original
    audit = "select id, at, username, action, unit_id, submission_id, merge_id, detail, ip from portal_auditevent order by id"
    assert databases.query(data_b, env_b, audit) == databases.query(data, env, audit)
    assert len(databases.query(data, env, audit)) >= 21  # 20 uploads, 1 merge
    assert _files(data_b) == _files(data) and len(_files(data)) == 20 + 3
    # The restored portal serves the same pages and files, to the same sessions.
    server = lp.Server(data_b, env_b, "gunicorn", workers=1, threads=2)
    try:
        up = first[0]
        c = lp.Client(server.port, plan["sessions"][up.client]["session"])
        status, original_file = c.page(f"/lan-nop/{up.submission}/tai/goc/")
        assert status == 200 and hashlib.sha256(original_file).hexdigest() == up.sha256
    finally:
        server.stop()

    # Never over existing data; never from a damaged backup.
    r = _cchc("serve", "--restore", str(made[1]), "--data", str(data_b), env=env_b)
    assert r.returncode == 2 and "đã có dữ liệu (files/): chỉ khôi phục vào một cổng trống" in r.stderr
    damaged = tmp_path / "hong"
    shutil.copytree(made[1], damaged)
    victim = next((damaged / "files").rglob("*.xlsx"))
    victim.write_bytes(victim.read_bytes()[:-10] + b"0123456789")
    data_c, env_c = tmp_path / "khoi_phuc_c", databases.new_database()
    r = _cchc("serve", "--restore", str(damaged), "--data", str(data_c), env=env_c)
    rel = victim.relative_to(damaged).as_posix()
    assert r.returncode == 2 and (f"Bản sao lưu «{damaged}» bị hỏng: tệp {rel} khác với lúc sao lưu. Không khôi "
                                  "phục; hãy dùng một bản sao lưu khác.") in r.stderr
    assert not (data_c / "files").exists() or not any((data_c / "files").rglob("*.xlsx"))


def test_https_behind_a_reverse_proxy(tmp_path):
    env = {**databases.new_database(), "CCHC_HTTPS": "1", "CCHC_ALLOWED_HOSTS": "baocao.snv.gov.vn,127.0.0.1"}
    server = lp.Server(tmp_path / "d", env, "gunicorn", workers=1, threads=2)
    proxy = {"Host": "baocao.snv.gov.vn", "X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.4"}

    def call(method, path, headers, body=None):
        c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        c.request(method, path, body=body, headers=headers)
        r = c.getresponse()
        return r, r.read().decode("utf-8", "replace")

    try:
        r, page = call("GET", "/dang-nhap/", proxy)
        assert r.status == 200
        # Through the proxy Django sees HTTPS: HSTS, and cookies sent only over HTTPS.
        assert r.getheader("Strict-Transport-Security") == "max-age=31536000"
        cookie = r.getheader("Set-Cookie")
        assert cookie.startswith("csrftoken=") and "; Secure" in cookie and "HttpOnly" in cookie
        token = lp._TOKEN.search(page.encode()).group(1).decode()
        csrf = cookie.split(";", 1)[0]
        body = f"csrfmiddlewaretoken={token}&username=00001&password=sai".encode()
        form = {"Cookie": csrf, "Content-Type": "application/x-www-form-urlencoded",
                "Origin": "https://baocao.snv.gov.vn"}
        # The form posted from the portal's own HTTPS page: the login is checked.
        r, page = call("POST", "/dang-nhap/", {**proxy, **form}, body)
        assert r.status == 200 and "Tên đăng nhập hoặc mật khẩu không đúng" in page
        # The same form posted from another site: refused.
        r, page = call("POST", "/dang-nhap/", {**proxy, **form, "Origin": "https://ke-gia-mao.example"}, body)
        assert r.status == 403 and "Phiên làm việc đã hết hạn" in page
        # Without the proxy's X-Forwarded-Proto the request is plain HTTP: no HSTS.
        r, _ = call("GET", "/dang-nhap/", {"Host": "baocao.snv.gov.vn"})
        assert r.status == 200 and r.getheader("Strict-Transport-Security") is None
        # A name the province did not list.
        r, _ = call("GET", "/dang-nhap/", {**proxy, "Host": "ke-gia-mao.example"})
        assert r.status == 400
    finally:
        server.stop()
    # The failed login is logged with the client's address that nginx passed on.
    ips = databases.query(tmp_path / "d", env, "select ip from portal_auditevent where action = 'login_failed'")
    assert ips == [("198.51.100.4",)]

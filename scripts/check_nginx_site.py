"""Run the documented production stack here and check it: docs/deploy/nginx-cchc.conf (ports,
paths and certificate rewritten to a temporary folder, a self-signed certificate) in front of
`cchc serve --server gunicorn` with CCHC_HTTPS=1, then the deadline-day burst through nginx.

    python scripts/check_nginx_site.py [--uploads 200] [--clients 50] [--units 25]
    bash scripts/with_postgres.sh python scripts/check_nginx_site.py --db postgresql

Needs nginx and openssl (apt-get install nginx). Only 127.0.0.1 is contacted. Checks: plain
HTTP is redirected to HTTPS; /static/ is served by nginx from the data folder; the portal sees
HTTPS through the proxy (HSTS header, Secure cookies) and the client's address; then every
upload of the burst is accounted for (scripts/load_portal.py) and p50/p95 are printed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import load_portal as lp  # noqa: E402

SITE = HERE.parent / "docs" / "deploy" / "nginx-cchc.conf"


def site_for(work: Path, data: Path, http_port: int, https_port: int, app_port: int) -> Path:
    text = SITE.read_text(encoding="utf-8")
    text = re.sub(r"^\s*listen \[::\].*\n", "", text, flags=re.M)
    text = text.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
    text = re.sub(r"listen 443 ssl( http2)?;", rf"listen 127.0.0.1:{https_port} ssl\1;", text)
    text = text.replace("server 127.0.0.1:8000;", f"server 127.0.0.1:{app_port};")
    text = text.replace("/etc/letsencrypt/live/baocao.snv.gov.vn/fullchain.pem", str(work / "cert.pem"))
    text = text.replace("/etc/letsencrypt/live/baocao.snv.gov.vn/privkey.pem", str(work / "key.pem"))
    text = text.replace("/var/www/cchc-static/", f"{work}/static/").replace("/var/www/html", str(work))
    main = work / "nginx.conf"
    main.write_text(f"""pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log {work}/access.log;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
{text}
}}
""", encoding="utf-8")
    return main


def get(port: int, path: str, tls: bool, headers=None):
    c = (http.client.HTTPSConnection("127.0.0.1", port, timeout=30, context=ssl._create_unverified_context())
         if tls else http.client.HTTPConnection("127.0.0.1", port, timeout=30))
    c.request("GET", path, headers=headers or {})
    r = c.getresponse()
    return r, r.read()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--uploads", type=int, default=200)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--units", type=int, default=25)
    ap.add_argument("--db", choices=("sqlite", "postgresql"), default="sqlite")
    args = ap.parse_args(argv)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    work = Path(tempfile.mkdtemp(prefix="cchc-nginx-"))
    os.chmod(work, 0o755)  # nginx's workers (another user) reach the static folder through it
    env = lp.new_database() if args.db == "postgresql" else {}
    env.update({"CCHC_HTTPS": "1", "CCHC_ALLOWED_HOSTS": "baocao.snv.gov.vn,127.0.0.1",
                "CCHC_STATIC_ROOT": str(work / "static")})
    server = proxy = None
    try:
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
                        "/CN=baocao.snv.gov.vn", "-keyout", str(work / "key.pem"), "-out", str(work / "cert.pem")],
                       check=True, capture_output=True)
        data = work / "du_lieu"
        plan = lp.prepare(data, env, args.units, args.clients)
        books = lp.workbooks(work / "cac_xa", args.units)
        server = lp.Server(data, env, "gunicorn")
        http_port, https_port = lp.free_port(), lp.free_port()
        conf = site_for(work, data, http_port, https_port, server.port)
        test = subprocess.run([nginx, "-t", "-c", str(conf), "-p", str(work)], capture_output=True, text=True)
        print("nginx -t:", test.stderr.strip().splitlines()[-1])
        if test.returncode:
            print(test.stderr)
            return 1
        proxy = subprocess.Popen([nginx, "-c", str(conf), "-p", str(work), "-g", "daemon off;"])
        for _ in range(50):
            try:
                get(https_port, "/api/health", True)
                break
            except OSError:
                time.sleep(0.1)
        r, _ = get(http_port, "/nop/", False, {"Host": "baocao.snv.gov.vn"})
        print(f"http://…/nop/ → {r.status} {r.getheader('Location')}")
        assert r.status == 301 and r.getheader("Location") == f"https://baocao.snv.gov.vn/nop/"
        r, body = get(https_port, "/static/admin/css/base.css", True)
        assert r.status == 200 and body == (work / "static" / "admin" / "css" / "base.css").read_bytes(), r.status
        print(f"/static/admin/css/base.css → {r.status} from {r.getheader('Server')}, "
              f"Cache-Control: {r.getheader('Cache-Control')}")
        r, _ = get(https_port, "/dang-nhap/", True, {"Host": "baocao.snv.gov.vn"})
        print(f"/dang-nhap/ → {r.status}; Strict-Transport-Security: {r.getheader('Strict-Transport-Security')}; "
              f"Set-Cookie: {r.getheader('Set-Cookie')}")
        assert r.getheader("Strict-Transport-Security") and "; Secure" in r.getheader("Set-Cookie")
        t = time.monotonic()
        results = lp.burst(https_port, plan, books, args.uploads, tag="nginx", tls=True, host="baocao.snv.gov.vn")
        wall = time.monotonic() - t
        server.stop()
        acc = lp.account(results, lp.rows(data, env), lp.verify(data, env))
        lat = [u.seconds for u in results if u.ok]
        print(f"{args.db}, qua nginx (HTTPS): {acc.successes}/{args.uploads} thành công trong {wall:.1f} s; "
              f"p50 {lp.percentile(lat, 50) * 1000:.0f} ms, p95 {lp.percentile(lat, 95) * 1000:.0f} ms; "
              f"lỗi máy chủ {acc.server_errors}; mất {len(acc.missing)}, trùng {len(acc.duplicates)}, "
              f"ngoài dự kiến {len(acc.unexpected)}, đánh số sai {len(acc.numbering)}")
        print("  " + "\n  ".join(acc.verify_text.strip().splitlines()))
        if acc.failures:
            print("  ", [u.error for u in results if not u.ok][:3])
        return 0 if acc.clean and not acc.unexpected and acc.successes == args.uploads else 1
    finally:
        if proxy is not None:
            proxy.terminate()
            proxy.wait(timeout=30)
        if server is not None and server.proc.poll() is None:
            server.stop()
        if args.db == "postgresql":
            lp.drop_database(env)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark the portal (`cchc serve`) at province scale, with `cchc merge` on the same files as
the baseline measured in the same run.

    python scripts/bench_portal.py [N] [--uploads R] [--keep DIR]

1. Generates N commune workbooks (default 3.500; scripts/bench_merge.generate: byte copies of
   the seed workbook with varied numbers, names and codes) and the units file. Not timed.
2. Sets the portal up in a temporary data folder: `cchc serve --init` of the N units (timed:
   N accounts with their first passwords), one open period.
3. Upload → findings page, server side, for the seed workbook: the POST of the form and the GET
   of the findings page through Django's test client (no network), R times (each a new
   version). Baselines: the same read and check in-process (cchc.app.load + check), and
   `cchc check FILE` as a process (what a commune runs without the portal).
4. Stores the N workbooks through the upload path (cchc.portal.services.receive), timed.
5. «Tổng hợp» of the N stored units (cchc.portal.services.merge_period: records from the
   database, workbook + Word report + JSON written), against `cchc merge DIR --units …
   -o TONG_HOP.xlsx --report TONG_HOP.docx --json TONG_HOP.json` on the same files.
6. The dashboard of the N units (GET /tinh/ as the province: first page and the «chưa nộp»
   filter).
Prints the figures and the ratios to the baseline.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _median(xs):
    return statistics.median(xs) if xs else float("nan")


def _seed_workbook(directory: Path) -> Path:
    from cchc.catalogue import load_catalogue
    from cchc.demo import demo_data
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.template import build_template

    cat = load_catalogue("ky")
    template = directory / "mau.xlsx"
    build_template(template, cat)
    out = directory / "Quy_I_2025_Dung_KNo.xlsx"
    fill_workbook(template, demo_data("ky"), out, cat)
    return out


def _setup_django(data: Path) -> None:
    from cchc.portal import config

    config.use(config.load_config(data, env={"CCHC_ALLOWED_HOSTS": "testserver"}))
    os.environ["DJANGO_SETTINGS_MODULE"] = "cchc.portal.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from cchc.portal import store

    store.ensure_dirs()
    call_command("migrate", interactive=False, verbosity=0)


def _run(cmd: list[str]) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    return time.perf_counter() - start, proc


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=3500)
    ap.add_argument("--uploads", type=int, default=30, help="repetitions of the seed upload (default 30)")
    ap.add_argument("--keep", type=Path, help="work in (and keep) this folder")
    args = ap.parse_args(argv)

    from bench_merge import generate

    root = args.keep or Path(tempfile.mkdtemp(prefix="cchc-bench-portal-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        files = root / "cac_xa"
        print(f"Tạo {args.n:,} sổ tính trong {files} …".replace(",", "."), flush=True)
        paths = sorted(files.glob("xa_*.xlsx")) if files.exists() else []
        if len(paths) != args.n:
            shutil.rmtree(files, ignore_errors=True)
            paths = generate(args.n, files)
        seed = _seed_workbook(root)
        units_csv = root / "don_vi.csv"
        with open(units_csv, "w", encoding="utf-8") as fh:
            fh.write("ma;ten;nhom\n")
            for k in range(args.n):
                fh.write(f"{k + 1:05d};UBND xã Số {k + 1};Huyện {k % 25 + 1}\n")
            fh.write(";UBND xã Đưng K'Nớ;Huyện 1\n")  # the seed commune (its workbook has no code)

        data = root / "du_lieu"
        shutil.rmtree(data, ignore_errors=True)
        _setup_django(data)
        from django.test import Client
        from django.utils import timezone

        from cchc import app
        from cchc.portal import services
        from cchc.portal.models import Period, Submission, Unit, User

        t = time.perf_counter()
        done = services.init_units(units_csv, data / "mat_khau.csv")
        t_init = time.perf_counter() - t
        period = Period.objects.create(kind="ky", ky="Quý I", nam=2025, deadline=timezone.now())
        User.objects.update(must_change_password=False)
        province = User.objects.get(username="tinh")

        # --- upload → findings page, the seed workbook
        seed_unit = Unit.objects.get(code=None)
        officer = User.objects.get(unit=seed_unit)
        client = Client()
        client.force_login(officer)
        post, page = [], []
        for _ in range(args.uploads):
            with open(seed, "rb") as fh:
                t = time.perf_counter()
                r = client.post("/nop/", {"period": period.pk, "file": fh})
                post.append(time.perf_counter() - t)
            assert r.status_code == 302, r.status_code
            t = time.perf_counter()
            r = client.get(r["Location"])
            page.append(time.perf_counter() - t)
            assert r.status_code == 200 and "7 cảnh báo" in r.content.decode()
        check = []
        for _ in range(args.uploads):
            t = time.perf_counter()
            app.check(app.load(seed))
            check.append(time.perf_counter() - t)
        cli_check = [_run([sys.executable, "-m", "cchc", "check", str(seed)])[0] for _ in range(3)]

        # --- store the N workbooks through the upload path
        from django.core.files.uploadedfile import SimpleUploadedFile

        units = {u.code: u for u in Unit.objects.exclude(code=None)}
        officers = {u.unit_id: u for u in User.objects.filter(role=User.OFFICER)}
        t = time.perf_counter()
        refused = 0
        for p in paths:
            code = p.stem.split("_")[1]
            unit = units[code]
            sub = services.receive(officers[unit.pk], unit, period, SimpleUploadedFile(p.name, p.read_bytes()))
            refused += not sub.accepted
        t_store = time.perf_counter() - t
        accepted = Submission.objects.filter(period=period, status="accepted").values("unit").distinct().count()

        # --- «Tổng hợp»: the portal, and cchc merge on the same files (the seed included)
        shutil.copy(seed, files / seed.name)
        merges = []
        for _ in range(2):
            t = time.perf_counter()
            run = services.merge_period(province, period)
            merges.append(time.perf_counter() - t)
        out = root / "cli"
        out.mkdir(exist_ok=True)
        cli_merges = []
        for _ in range(2):
            elapsed, proc = _run([sys.executable, "-m", "cchc", "merge", str(files), "--units", str(units_csv),
                                  "--period", "Quý I", "--year", "2025", "-o", str(out / "TONG_HOP.xlsx"),
                                  "--report", str(out / "TONG_HOP.docx"), "--json", str(out / "TONG_HOP.json")])
            cli_merges.append(elapsed)
        (files / seed.name).unlink()

        # --- the dashboard
        pclient = Client()
        pclient.force_login(province)
        dash, dash_missing = [], []
        for _ in range(5):
            t = time.perf_counter()
            r = pclient.get(f"/tinh/?ky={period.pk}")
            dash.append(time.perf_counter() - t)
            assert r.status_code == 200
            t = time.perf_counter()
            r2 = pclient.get(f"/tinh/?ky={period.pk}&trang-thai=missing")
            assert r2.status_code == 200
            dash_missing.append(time.perf_counter() - t)

        n_units = Unit.objects.count()
        num = app.format_number

        def ms(x):
            return f"{num(x * 1000, 0)} ms"

        def sec(x):
            return f"{num(x, 2)} s"

        print()
        print(f"Máy: {os.cpu_count()} nhân CPU; {num(n_units)} đơn vị; Django + SQLite (WAL) trong {data}")
        print(f"cchc serve --init ({num(done.accounts)} tài khoản, mật khẩu ban đầu): {sec(t_init)}")
        print(f"\n1. Nộp → trang kết quả kiểm tra (tệp mẫu của xã Đưng K'Nớ, phía máy chủ, trung vị của {args.uploads} lần):")
        p90 = sorted(post)[max(0, int(len(post) * 0.9) - 1)]
        print(f"   POST /nop/ (lưu tệp, đọc, kiểm tra, xét nhận, ghi CSDL): {ms(_median(post))} (p90 {ms(p90)})")
        print(f"   GET trang kết quả: {ms(_median(page))}; tổng {ms(_median(post) + _median(page))}")
        print(f"   Đối chứng: app.load + app.check trong tiến trình {ms(_median(check))}; "
              f"lệnh `cchc check` (cả khởi động) {ms(_median(cli_check))}")
        print(f"   → nộp + trang / `cchc check` = {num((_median(post) + _median(page)) / _median(cli_check))}")
        print(f"\n2. Lưu {num(len(paths))} sổ tính qua đường nộp: {sec(t_store)} ({num(len(paths) / t_store, 0)} tệp/giây), "
              f"{num(refused)} bị từ chối; {num(accepted)} đơn vị đã nộp")
        print(f"\n3. «Tổng hợp» {num(accepted)} đơn vị đã lưu (sổ tính + báo cáo Word + JSON), trung vị 2 lần: "
              f"{sec(_median(merges))}")
        print(f"   {run.summary}")
        print(f"   Đối chứng: `cchc merge` trên cùng các tệp (--report, --json), trung vị 2 lần: {sec(_median(cli_merges))}")
        print(f"   → cổng / cchc merge = {num(_median(merges) / _median(cli_merges))}")
        print(f"\n4. Trang tình hình nộp ({num(n_units)} đơn vị, 200 dòng một trang), trung vị 5 lần: {ms(_median(dash))}; "
              f"lọc «chưa nộp»: {ms(_median(dash_missing))}")
        print(f"   → trang tình hình nộp / cchc merge = {num(_median(dash) / _median(cli_merges), 3)}")
        return 0
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

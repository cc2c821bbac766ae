"""Time `cchc check` on one workbook: in-process and as a fresh process.

    python scripts/bench_check.py [TỆP.xlsx] [--repeat N]

Without a file, the seed workbook (UBND xã Đưng K'Nớ, Quý I/2025) is written to a temporary
folder first. Targets: under 50 ms to read and check one workbook in-process, under 1 s for a
whole `cchc check` process. Each figure is printed with a baseline measured in the same run on
the same machine, so the numbers can be compared across machines:

- in-process: the check against opening the same file with openpyxl (what a naive tool does);
- process: `cchc check` against `python -c pass` (the interpreter's own start-up).

Exit code 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_IN_PROCESS_MS = 50.0
TARGET_PROCESS_MS = 1000.0


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def _run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("file", nargs="?", help="a filled workbook (default: the seed workbook)")
    ap.add_argument("--repeat", type=int, default=20, help="runs per measurement (median is reported)")
    args = ap.parse_args(argv)

    with tempfile.TemporaryDirectory() as tmp:
        if args.file:
            path = Path(args.file)
        else:
            from cchc.demo import write_demo_workbook

            path = write_demo_workbook(tmp)

        from cchc.checks import counts, run_checks
        from cchc.workbook.reader import catalogue_for, interpret
        from cchc.workbook.raw import open_raw

        def check_once():
            raw = open_raw(path)
            cat = catalogue_for(raw)
            return run_checks(interpret(raw, cat), cat)

        findings = check_once()  # warm: catalogue and rules parsed once per process, as in Excel
        in_process = _median_ms(check_once, args.repeat)

        def openpyxl_load():
            from openpyxl import load_workbook

            load_workbook(path)

        openpyxl_load()
        baseline = _median_ms(openpyxl_load, max(3, args.repeat // 4))

        process_repeat = max(3, args.repeat // 4)
        cli = [sys.executable, "-m", "cchc", "check", str(path)]
        _run(cli)
        process = _median_ms(lambda: _run(cli), process_repeat)
        python_pass = _median_ms(lambda: _run([sys.executable, "-c", "pass"]), process_repeat)

    n = counts(findings)
    print(f"Tệp: {path.name} — {n['error']} lỗi, {n['warning']} cảnh báo, {n['info']} thông tin")
    print(f"Trong tiến trình (đọc + kiểm tra): {in_process:7.1f} ms   mục tiêu < {TARGET_IN_PROCESS_MS:.0f} ms"
          f"   | openpyxl chỉ mở tệp: {baseline:7.1f} ms → nhanh hơn {baseline / in_process:4.1f} lần")
    print(f"Một tiến trình «cchc check»:       {process:7.1f} ms   mục tiêu < {TARGET_PROCESS_MS:.0f} ms"
          f"   | python -c pass: {python_pass:7.1f} ms → gấp {process / python_pass:4.1f} lần")
    ok = in_process < TARGET_IN_PROCESS_MS and process < TARGET_PROCESS_MS
    print("Đạt mục tiêu." if ok else "CHƯA đạt mục tiêu.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `cchc report`: what an officer waits for after clicking "Tạo báo cáo".

    python scripts/bench_report.py [--repeat 5]

Measures, on the seed commune's workbook (written by cchc.demo into a temporary folder):
1. in-process: workbook → docx (read, check, build context, render, write), after a warm-up;
2. end to end: a fresh `python -m cchc report` process, the way the button runs it
   (target ≤ 1,5 s);
and, in the same run, two baselines to read the numbers against on any machine:
- `python -c pass` (interpreter start-up), and
- a fresh process that only imports docxtpl and renders the template with an empty context.
Prints the median of each and the ratios to the baselines.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET_S = 1.5


def _vn(x: float, digits: int = 2) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def _time_process(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True)
        times.append(time.perf_counter() - t0)
        if proc.returncode not in (0, 1):
            raise SystemExit(f"Lệnh lỗi ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr}")
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Đo thời gian tạo báo cáo Word.")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args(argv)
    from cchc.app import write_report
    from cchc.demo import write_demo_workbook
    from cchc.registry import default_kind
    from cchc.report.render import template_for

    with tempfile.TemporaryDirectory(prefix="cchc-bench-") as tmp:
        tmp = Path(tmp)
        wb = write_demo_workbook(tmp)
        out = tmp / "bao_cao.docx"

        write_report(wb, out)  # warm-up: imports, caches
        in_proc = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            write_report(wb, out)
            in_proc.append(time.perf_counter() - t0)
        in_proc_s = statistics.median(in_proc)

        py = sys.executable
        startup = _time_process([py, "-c", "pass"], args.repeat)
        raw_render = _time_process([py, "-c", (
            "import io\n"
            "from docxtpl import DocxTemplate\n"
            "t = DocxTemplate(%r); t.render({}); t.save(io.BytesIO())"
        ) % str(template_for(default_kind()))], args.repeat)
        cli = _time_process([py, "-c", (
            "import sys; from cchc.cli import main; "
            "sys.exit(main(sys.argv[1:]))"
        ), "report", str(wb), "-o", str(out)], args.repeat)

    print(f"Trong tiến trình (sổ tính → docx):        {_vn(in_proc_s, 3)} s")
    print(f"Tiến trình mới `cchc report` (đầu-cuối):  {_vn(cli, 3)} s "
          f"(mục tiêu ≤ {_vn(TARGET_S, 1)} s: {'đạt' if cli <= TARGET_S else 'KHÔNG ĐẠT'})")
    print(f"Mốc 1 - khởi động Python (`-c pass`):     {_vn(startup, 3)} s; "
          f"tỷ lệ {_vn(cli / startup, 1)} lần")
    print(f"Mốc 2 - docxtpl, mẫu, ngữ cảnh rỗng:     {_vn(raw_render, 3)} s; "
          f"tỷ lệ {_vn(cli / raw_render, 2)} lần")
    return 0 if cli <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark `cchc merge` at national scale, against a naive openpyxl + pandas baseline.

    python scripts/bench_merge.py [N] [--baseline-sample K] [--keep DIR] [--old-template OLD.xlsx]

1. Generates N commune workbooks (default 3,500). openpyxl would need ~0,3 s per file, so one
   workbook is filled properly (cchc template + fill) and the others are byte copies whose
   numbers, unit name and code are patched in the sheet XML inside the zip. Not timed.
2. Times the whole `cchc merge DIR -o TONG_HOP.xlsx` as a separate process (start-up, read,
   check, aggregate, write the workbook), sampling the summed resident memory of the process
   tree from /proc (Linux).
3. Times a naive baseline on the same files: openpyxl (data_only) opening each workbook and
   reading the cells of the forms by their defined names, then pandas summing the columns, in
   one process (no checks, no output). It is slow (~100 ms a file), so it runs on a sample of
   K files (default 300) and its rate is reported per file.
4. Times calamine alone reading the same files (open + the nine sheets the merge needs) in
   one process per core: the ceiling of any merge built on this reader on this machine.
Prints workbooks/s for both, their ratio, the peak memory, and the reader's ceiling.

5. With --old-template (e.g. the committed template of an earlier commit:
   `git show main:workbook_templates/bao_cao_cchc_ky.xlsx > /tmp/cu.xlsx`), generates the same N
   workbooks from that template too and times `cchc merge` on both sets in the same run,
   alternately, three times each: the rate with the current template against the old one (the
   template's live checks must not slow the merge by more than 10 %), and the file sizes.
"""

from __future__ import annotations

import argparse
import copy
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

TARGET_RATE = 500.0
TARGET_RATIO = 10.0
TARGET_MEMORY = 1024**3


# ----------------------------------------------------------------------------- generation
# Ratios whose numerator each copy draws afresh (between half and all of its denominator), so
# the ranking has something to rank.
VARIED_RATIOS = ("7:3", "3:2.3", "1:2")


def _base_workbook(directory: Path, old_template: Path | None = None) -> tuple[Path, dict[str, int]]:
    """The seed commune's workbook (consistent data: few findings, as in real files) and its
    count values by ref; cut from `old_template` when given (the rows it lacks left out)."""
    from cchc.catalogue import load_catalogue
    from cchc.demo import demo_data
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.raw import open_raw
    from cchc.workbook.template import build_template

    cat = load_catalogue("ky")
    data = copy.deepcopy(demo_data("ky"))
    data["info"]["don_vi"] = "UBND xã QQQQQ"
    data["info"]["ma_dvhc"] = "ZZZZZ"
    template = directory / "mau.xlsx"
    if old_template:
        shutil.copy(old_template, template)
        names = open_raw(template).names
        data["values"] = {form: {code: v for code, v in values.items() if cat.row(f"{form}:{code}").name in names}
                          for form, values in data["values"].items()}
    else:
        build_template(template, cat)
    out = directory / "base.xlsx"
    fill_workbook(template, data, out, cat)
    template.unlink()
    counts = {}
    for row in cat.input_rows():
        v = data["values"].get(row.form, {}).get(row.code)
        if row.type == "count" and isinstance(v, int):
            counts[row.ref] = v
    return out, counts


def _cells(base: Path, refs) -> dict[str, dict[str, str]]:
    """Part name of each form sheet → {A1 ref of the cell: indicator ref}, by defined names."""
    from cchc.catalogue import load_catalogue
    from cchc.merge.xlsx_rows import _sheet_parts
    from cchc.cells import a1
    from cchc.workbook.raw import _defined_names

    cat = load_catalogue("ky")
    with zipfile.ZipFile(base) as zf:
        names = _defined_names(zf.read("xl/workbook.xml"))
        parts = _sheet_parts(zf)
    cells: dict[str, dict[str, str]] = {}
    for ref in refs:
        n = names[cat.row(ref).name]
        cells.setdefault(parts[n.sheet], {})[a1(n.r0, n.c0)] = ref
    return cells


_NUM_CELL = re.compile(rb'<c r="([A-Z]+\d+)"([^>]*)><v>[^<]*</v></c>')


def generate(n: int, directory: Path, old_template: Path | None = None) -> list[Path]:
    """N copies of the seed workbook; in each, every count is multiplied by a factor 1–6 (so
    parts stay within their wholes and sums still add up) and the numerators of
    VARIED_RATIOS are drawn afresh; the unit name and code are replaced."""
    from cchc.catalogue import load_catalogue

    cat = load_catalogue("ky")
    directory.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="cchc-bench-base-"))
    try:
        base, counts = _base_workbook(work, old_template)
        cells = _cells(base, counts)
        with zipfile.ZipFile(base) as zf:
            members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    nums = {}
    for ref in VARIED_RATIOS:
        row = cat.row(ref)
        num, den = f"{row.form}:{row.num}", f"{row.form}:{row.den}"
        if num in counts and den in counts:
            nums[num] = den
    rng = random.Random(2025)
    paths = []
    for k in range(n):
        code = f"{k + 1:05d}"
        factor = rng.randint(1, 6)
        values = {ref: v * factor for ref, v in counts.items()}
        for num, den in nums.items():
            values[num] = rng.randint(values[den] // 2, values[den])
        out = directory / f"xa_{code}.xlsx"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zout:
            for info, data in members:
                if info.filename in cells:
                    where = cells[info.filename]

                    def vary(m, where=where):
                        ref = where.get(m.group(1).decode())
                        if ref is None:
                            return m.group(0)
                        return b'<c r="%s"%s><v>%d</v></c>' % (m.group(1), m.group(2), values[ref])

                    data = _NUM_CELL.sub(vary, data)
                if b"QQQQQ" in data or b"ZZZZZ" in data:
                    data = data.replace(b"QQQQQ", f"Số {k + 1}".encode()).replace(b"ZZZZZ", code.encode())
                zout.writestr(info.filename, data)
        paths.append(out)
    return paths


# ----------------------------------------------------------------------------- measuring
def _tree_rss(root: int) -> int:
    """Summed resident memory (bytes) of `root` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat", "rb") as fh:
                fields = fh.read().rsplit(b")", 1)[1].split()
            with open(f"/proc/{d}/statm", "rb") as fh:
                rss[int(d)] = int(fh.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(d))
    total, stack = 0, [root]
    while stack:
        p = stack.pop()
        total += rss.get(p, 0)
        stack.extend(children.get(p, []))
    return total


def time_cchc(directory: Path, out: Path) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds of the whole process tree, exit code, peak memory, summary)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cmd = [sys.executable, "-m", "cchc", "merge", str(directory), "-o", str(out)]
    peak = 0
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            if os.path.isdir("/proc"):
                peak = max(peak, _tree_rss(proc.pid))
            done.wait(0.05)

    t = threading.Thread(target=sample, daemon=True)
    t.start()
    stdout, stderr = proc.communicate()
    elapsed = time.perf_counter() - start
    done.set()
    t.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu, proc.returncode, peak, stderr.strip().splitlines()[-2] if stderr.strip() else ""


def time_baseline(paths: list[Path]) -> float:
    """The naive way: openpyxl opens each workbook, reads the named cells; pandas sums."""
    import openpyxl
    import pandas as pd

    from cchc.catalogue import load_catalogue

    cat = load_catalogue("ky")
    start = time.perf_counter()
    rows = []
    for p in paths:
        # Normal mode: read-only mode is much slower for cell access by address.
        wb = openpyxl.load_workbook(p, data_only=True)
        record = {}
        for row in cat.input_rows():
            dn = wb.defined_names.get(row.name)
            if dn is None:
                continue
            sheet, ref = next(iter(dn.destinations))
            record[row.ref] = wb[sheet][ref.replace("$", "")].value
        rows.append(record)
    frame = pd.DataFrame(rows).apply(pd.to_numeric, errors="coerce")
    frame.sum(min_count=1)
    return time.perf_counter() - start


def _calamine_only(paths: list[str]) -> int:
    import python_calamine as pc

    for p in paths:
        book = pc.CalamineWorkbook.from_path(p)
        for sheet in book.sheet_names:
            if sheet not in ("Thuyết minh", "_kiemtra"):  # the merge reads neither the narrative nor the live checks
                book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    return len(paths)


def time_reader_floor(paths: list[Path]) -> float:
    """Workbooks per second that calamine alone reads (open + the nine sheets the merge
    needs, no interpretation, no checks, no output) with one process per core: the ceiling
    of any merge built on this reader, on this machine."""
    import multiprocessing as mp

    cores = os.cpu_count() or 1
    items = [str(p) for p in paths]
    shares = [items[i::cores] for i in range(cores)]
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    with mp.get_context(method).Pool(cores) as pool:
        pool.map(_calamine_only, [s[:2] for s in shares])  # warm up: imports, page cache
        start = time.perf_counter()
        pool.map(_calamine_only, shares)
        return len(items) / (time.perf_counter() - start)


def compare_templates(n: int, root: Path, folder: Path, paths: list[Path], old_template: Path) -> None:
    """The merge rate with the current template against `old_template`, in the same run: each
    set merged three times, alternately, the fastest run of each kept (and the least CPU)."""
    old_folder = root / "xa_cu"
    shutil.rmtree(old_folder, ignore_errors=True)
    old_paths = generate(n, old_folder, old_template)
    best = {"cũ": [float("inf"), float("inf")], "mới": [float("inf"), float("inf")]}  # wall, CPU
    for _ in range(3):
        for label, where in (("cũ", old_folder), ("mới", folder)):
            elapsed, cpu, *_ = time_cchc(where, root / f"TONG_HOP_{'cu' if label == 'cũ' else 'moi'}.xlsx")
            best[label] = [min(best[label][0], elapsed), min(best[label][1], cpu)]
    (old_wall, old_cpu), (new_wall, new_cpu) = best["cũ"], best["mới"]
    ratio = old_wall / new_wall
    print(f"Biểu mẫu cũ: {n / old_wall:.0f} sổ/s; biểu mẫu mới: {n / new_wall:.0f} sổ/s; mới/cũ = {ratio * 100:.1f}% "
          + ("(ĐẠT: ≥ 90%)" if ratio >= 0.9 else "(CHƯA ĐẠT: < 90%)"))
    print(f"  CPU của cả tiến trình (ít phụ thuộc tải máy): cũ {old_cpu / n * 1000:.2f} ms/sổ, mới "
          f"{new_cpu / n * 1000:.2f} ms/sổ; mới/cũ theo CPU = {old_cpu / new_cpu * 100:.1f}%")
    from cchc.catalogue import load_catalogue
    from cchc.workbook.template import build_template

    with tempfile.TemporaryDirectory() as tmp:
        new_template = build_template(Path(tmp) / "moi.xlsx", load_catalogue("ky"))
        sizes = (old_template.stat().st_size, new_template.stat().st_size)
    filled = (old_paths[0].stat().st_size, paths[0].stat().st_size)
    print(f"Kích thước biểu mẫu trống: cũ {sizes[0] / 1024:.1f} KB, mới {sizes[1] / 1024:.1f} KB "
          f"(+{(sizes[1] - sizes[0]) / sizes[0] * 100:.0f}%); sổ đã điền: cũ {filled[0] / 1024:.1f} KB, "
          f"mới {filled[1] / 1024:.1f} KB (+{(filled[1] - filled[0]) / filled[0] * 100:.0f}%)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", nargs="?", type=int, default=3500)
    ap.add_argument("--baseline-sample", type=int, default=300)
    ap.add_argument("--keep", type=Path, help="generate into (and keep) this folder")
    ap.add_argument("--old-template", type=Path, help="also time the merge of workbooks cut from this template")
    args = ap.parse_args(argv)

    root = args.keep or Path(tempfile.mkdtemp(prefix="cchc-bench-"))
    folder = root / "xa"
    try:
        t = time.perf_counter()
        if folder.exists() and len(list(folder.glob("*.xlsx"))) == args.n:
            paths = sorted(folder.glob("*.xlsx"))
            print(f"Dùng lại {args.n} sổ tính trong {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
            paths = generate(args.n, folder)
            print(f"Đã tạo {args.n} sổ tính trong {time.perf_counter() - t:.1f} s (không tính vào thời gian đo)")
        out = root / "TONG_HOP.xlsx"
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        elapsed, cpu, code, peak, summary = time_cchc(folder, out)
        rate = args.n / elapsed
        print(f"cchc merge: {args.n} sổ tính trong {elapsed:.2f} s = {rate:.0f} sổ/s; "
              f"CPU {cpu:.2f} s ({cpu / args.n * 1000:.2f} ms/sổ); bộ nhớ đỉnh {peak / 2**20:.0f} MiB; mã thoát {code}")
        cores = os.cpu_count() or 1
        print(f"  tải máy trước khi đo (load average 1 phút): {load:.2f} trên {cores} nhân; "
              f"với {cores} nhân rảnh, CPU này cho tối đa ≈ {cores / (cpu / args.n):.0f} sổ/s")
        if summary:
            print(f"  {summary}")
        floor = time_reader_floor(paths[: min(1000, len(paths))])
        print(f"  Trần của bộ đọc calamine trên máy này (chỉ mở và đọc 9 trang, {os.cpu_count() or 1} tiến trình, "
              f"không kiểm tra, không ghi): {floor:.0f} sổ/s; cchc merge đạt {rate / floor * 100:.0f}% trần này")
        if args.old_template:
            compare_templates(args.n, root, folder, paths, args.old_template)
        sample = paths[: min(args.baseline_sample, len(paths))]
        base_elapsed = time_baseline(sample)
        base_rate = len(sample) / base_elapsed
        print(f"Cách làm thô (openpyxl + pandas, 1 tiến trình): {len(sample)} sổ trong {base_elapsed:.2f} s "
              f"= {base_rate:.0f} sổ/s")
        ratio = rate / base_rate
        print(f"Nhanh hơn: {ratio:.1f} lần")
        ok = rate >= TARGET_RATE and ratio >= TARGET_RATIO and (peak == 0 or peak < TARGET_MEMORY)
        print(("ĐẠT" if ok else "CHƯA ĐẠT") + f" mục tiêu (≥ {TARGET_RATE:.0f} sổ/s, ≥ {TARGET_RATIO:.0f} lần, "
              f"bộ nhớ < 1 GiB)")
        return 0 if code in (0, 1) else code
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

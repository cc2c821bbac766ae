#!/usr/bin/env python3
"""A sample province to look at: N commune workbooks of one quarter with plausible, varied
figures, a --units list in old districts, and the merge's workbook, JSON and Word report.

    python scripts/sample_province.py OUT_DIR [--n 30] [--seed 2025]

What a Sở Nội vụ meets in a real quarter is in it on purpose: two communes that have not
submitted; one whose file is of another quarter (refused, though the commune did send it); one
whose figures are impossible (448 dossiers on time of 443 resolved: 101,13%, an error of the
checks); the rest consistent. The narrative is the seed commune's. Nothing is timed: see
scripts/bench_merge.py for speed. Used to render the province outputs to PDF and PNG for review.
"""

from __future__ import annotations

import argparse
import copy
import random
import subprocess
import sys
from pathlib import Path

NAMES = [
    "Đạ Sar", "Lát", "Đạ Chais", "Đạ Nhim", "Đưng K’Nớ", "Phi Liêng", "Đạ K’Nàng", "Phúc Thọ",
    "Tân Hà", "Đan Phượng", "Liên Hà", "Tân Văn", "Hoài Đức", "Bình Thạnh", "Đông Thanh", "Gia Lâm",
    "Tân Thành", "Đinh Văn", "Mê Linh", "Phú Sơn", "Hiệp Thạnh", "Liên Hiệp", "Tà Năng", "Đà Loan",
    "Ninh Gia", "Tà Hine", "Ninh Loan", "Đạ Tông", "Đạ Long", "Đạ M’Rông", "Rô Men", "Liêng Srônh",
]
GROUPS = ["Huyện Lạc Dương (cũ)", "Huyện Lâm Hà (cũ)", "Huyện Đức Trọng (cũ)"]


def _values(rng: random.Random) -> dict[str, dict[str, object]]:
    received = rng.randint(40, 520)
    resolved = round(received * rng.uniform(0.88, 1.0))
    plan = rng.randint(10, 24)
    money = rng.choice([0, rng.randint(5, 60) * 100])
    survey = rng.random() < 0.4
    return {
        "1": {"1": rng.randint(1, 9), "2.1": plan, "2.2": round(plan * rng.uniform(0.3, 0.9)),
              "5": int(survey), "5.1": rng.randint(50, 300) if survey else None,
              "5.2": rng.choice([0, 1, 2]) if survey else None, "6": int(rng.random() < 0.3)},
        "2a": {"1": 0},
        "3": {"1": rng.choice([171, 172, 173, 173, 173, 174, 175]), "1.1": 0, "1.2": rng.choice([0, 0, 1, 2]),
              "1.3": rng.choice([0, 0, 1]), "2.3.1": resolved,
              "2.3.2": round(resolved * rng.uniform(0.86, 1.0))},
        "4": {"2.1": rng.randint(18, 24), "2.2": None},
        "5": {"1.1": 1, "2.1": 0, "2.2": 0, "2.3": 0, "2.4": 0, "2.5": 0, "3": 0, "4": 0},
        "6": {"1.1": money or None, "1.2": round(money * rng.uniform(0.1, 0.7)) if money else None},
        "7": {"1": 1, "2.2": rng.choice([85, 88, 90, 92, 95, 98, 100]), "3.1": received,
              "3.2": round(received * rng.uniform(0.62, 1.0))},
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--seed", type=int, default=2025)
    args = ap.parse_args()

    from cchc.catalogue import load_catalogue
    from cchc.demo import demo_data
    from cchc.workbook.fill import fill_workbook
    from cchc.workbook.template import build_template

    rng = random.Random(args.seed)
    cat = load_catalogue("ky")
    base = demo_data("ky")
    out: Path = args.out
    files = out / "bao_cao_cac_xa"
    files.mkdir(parents=True, exist_ok=True)
    template = out / "mau.xlsx"
    build_template(template, cat)

    n = min(args.n, len(NAMES))
    units = [(f"24{100 + i:03d}", NAMES[i], GROUPS[i % len(GROUPS)]) for i in range(n)]
    missing = {units[3][0], units[11][0]}
    impossible = units[7][0]
    other_quarter = units[2][0]  # a commune of the first group sends its Quý III file
    for code, name, _ in units:
        if code in missing:
            continue
        d = copy.deepcopy(base)
        d["values"] = _values(rng)
        d["notes"] = {}
        if code == impossible:
            d["values"]["3"].update({"2.3.1": 443, "2.3.2": 448})
            d["values"]["7"].update({"3.1": 452, "3.2": 401})
        d["info"].update({"ma_dvhc": code, "don_vi": f"UBND xã {name}", "dia_danh": name,
                          "co_quan_ban_hanh": f"ỦY BAN NHÂN DÂN\nXÃ {name.upper()}"})
        if code == other_quarter:
            d["info"].update({"ky": "Quý III", "tu_ngay": "2025-06-15", "den_ngay": "2025-09-14",
                              "ngay_ky": "2025-09-20"})
        fill_workbook(template, d, files / f"{code}_{name.replace(' ', '_')}.xlsx", cat)
    template.unlink()
    (out / "kien_nghi.txt").write_text(
        "Đề nghị các xã có tỷ lệ hồ sơ tiếp nhận trực tuyến thấp hơn tỷ lệ chung tăng cường hướng dẫn người dân "
        "nộp hồ sơ trực tuyến.\nĐề nghị các xã có lỗi số liệu rà soát, sửa và gửi lại báo cáo trong 05 ngày làm việc.\n",
        encoding="utf-8")
    (out / "don_vi.csv").write_text("ma;ten;nhom\n" + "".join(f"{c};Xã {nm};{g}\n" for c, nm, g in units),
                                    encoding="utf-8-sig")
    cmd = [sys.executable, "-m", "cchc", "merge", str(files), "-o", str(out / "TONG_HOP.xlsx"),
           "--units", str(out / "don_vi.csv"), "--period", "Quý I", "--year", "2025",
           "--report", str(out / "TONG_HOP.docx"), "--json", str(out / "TONG_HOP.json"),
           "--co-quan-chu-quan", "UBND tỉnh Lâm Đồng", "--nguoi-ky", "Nguyễn Văn An",
           "--kinh-gui", "Ủy ban nhân dân tỉnh Lâm Đồng", "--kien-nghi", str(out / "kien_nghi.txt")]
    print(" ".join(cmd[2:]), file=sys.stderr)
    return subprocess.run(cmd).returncode in (0, 1) and 0 or 1


if __name__ == "__main__":
    raise SystemExit(main())

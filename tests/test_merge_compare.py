"""`cchc merge … --compare PREV.json` (the --json of an earlier merge): «Tổng hợp» gains the
earlier value and the change of each row, the province report the change of each ratio and a
table of the comparison, the JSON the comparison; what cannot be compared is refused before
anything is written."""

from __future__ import annotations

import copy
import json
import re
import zipfile

import pytest
from openpyxl import load_workbook

from cchc.cli import main
from cchc.workbook.fill import fill_workbook

UNITS = [("24820", "UBND xã Đưng K'Nớ"), ("24823", "UBND xã Lát")]


@pytest.fixture
def folders(tmp_path, template_path, seed_data, catalogue):
    """Quý I of 2024 and of 2025 for two communes: 7:3.1, 7:3.2, 3:2.3.1, 3:2.3.2 differ."""
    out = {}
    for year, figures in ((2024, [(60, 45, 59, 55), (40, 30, 40, 40)]), (2025, [(71, 70, 71, 71), (50, 45, 48, 47)])):
        folder = tmp_path / f"quy_I_{year}"
        folder.mkdir()
        for (code, name), (received, online, done, on_time) in zip(UNITS, figures):
            data = copy.deepcopy(seed_data)
            data["info"].update(ma_dvhc=code, don_vi=name, nam=year, tu_ngay=f"{year - 1}-12-11",
                                den_ngay=f"{year}-03-10", ngay_ky=f"{year}-03-12")
            data["values"]["7"].update({"3.1": received, "3.2": online})
            data["values"]["3"].update({"2.3.1": done, "2.3.2": on_time})
            fill_workbook(template_path, data, folder / f"{code}.xlsx", catalogue)
        out[year] = folder
    return out


def _merge(*args) -> int:
    return main(["merge", *map(str, args)])


def test_the_province_outputs_gain_the_earlier_period(folders, tmp_path, capsys):
    prev = tmp_path / "tong_hop_2024.json"
    assert _merge(folders[2024], "-o", tmp_path / "th_2024.xlsx", "--json", prev) == 0
    out, report, js = tmp_path / "th_2025.xlsx", tmp_path / "th_2025.docx", tmp_path / "th_2025.json"
    assert _merge(folders[2025], "-o", out, "--report", report, "--json", js, "--compare", prev) == 0
    capsys.readouterr()

    ws = load_workbook(out)["Tổng hợp"]
    rows = list(ws.iter_rows(values_only=True))
    header = next(r for r in rows if r[0] == "STT")
    assert header[8:] == ("Cùng kỳ năm 2024", "Thay đổi so với cùng kỳ năm 2024")
    # Under one header, each form starts with its title row ("Biểu mẫu 3: …").
    starts = [i for i, r in enumerate(rows) if str(r[0] or "").startswith("Biểu mẫu")]
    by_code = {r[0]: r for r in rows[starts[2] + 1:starts[3]]}  # the rows of Biểu mẫu 3
    assert by_code["2.3.1"][3] == 119 and by_code["2.3.1"][8:] == (99, "tăng 20 hồ sơ (20,20%)")
    assert by_code["2.3"][8] == pytest.approx(95 / 99 * 100)
    assert by_code["2.3"][9] == "tăng 3,2 điểm phần trăm"  # 99,16% against 95,96%
    assert by_code["2.1.1"][8:] == (None, None)  # blank on both sides: nothing said
    assert by_code["2"][8:] == (None, None)  # a heading
    assert ws.print_area == f"'Tổng hợp'!$A$1:$J${ws.max_row}"

    with zipfile.ZipFile(report) as zf:
        text = re.sub(r"<[^>]+>", "", zf.read("word/document.xml").decode("utf-8").replace("</w:p>", "\n"))
    assert ("- Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến mức độ 3 và 4: 95,04% (115/121 hồ sơ; 2/2 đơn vị có số "
            "liệu); tăng 20,04 điểm phần trăm so với cùng kỳ năm 2024.") in text.splitlines()
    assert "So sánh số liệu tổng hợp Quý I năm 2025 với cùng kỳ năm 2024" in text
    assert "tăng 21 hồ sơ (21%)" in text  # 7:3.1: 121 against 100, in the comparison table

    data = json.loads(js.read_text(encoding="utf-8"))
    cols = data["so_sanh"]["columns"]
    assert [(c["heading"], c["label"]) for c in cols] == [("Cùng kỳ năm 2024", "Quý I năm 2024")]
    row = next(r for r in data["so_sanh"]["rows"] if r["ref"] == "7:3.1")
    assert (row["value"], row["earlier"][0]["value"], row["earlier"][0]["change"]["phrase"]) == (
        121, 100, "tăng 21 hồ sơ (21%)")


@pytest.mark.parametrize("case", ["a commune's export", "a later merge", "the JSON written by this merge"])
def test_what_cannot_be_compared_is_refused_before_anything_is_written(folders, tmp_path, capsys, case):
    out = tmp_path / "th.xlsx"
    if case == "a commune's export":
        prev = tmp_path / "xa.json"
        assert main(["export", str(next(folders[2024].iterdir())), "-o", str(prev)]) == 0
        expected = ("Tệp «xa.json» là số liệu của một đơn vị, không phải số liệu tổng hợp: để so sánh bản tổng "
                    "hợp, dùng tệp JSON do «cchc merge --json» ghi ra ở kỳ trước.")
        args = [folders[2025], "-o", out, "--compare", prev]
    elif case == "a later merge":
        prev = tmp_path / "th_2025.json"
        assert _merge(folders[2025], "-o", tmp_path / "x.xlsx", "--json", prev) == 0
        expected = ("Tệp «th_2025.json» là báo cáo Quý I năm 2025, không trước Quý I năm 2024 của tệp «th.xlsx»: "
                    "chỉ so sánh với kỳ trước (cùng kỳ năm trước, hoặc một kỳ đã qua). Có thể đã đảo thứ tự hai tệp?")
        args = [folders[2024], "-o", out, "--compare", prev]
    else:
        prev = tmp_path / "th_2024.json"
        assert _merge(folders[2024], "-o", tmp_path / "x.xlsx", "--json", prev) == 0
        expected = (f"Tệp kết quả «{prev}» chính là tệp đầu vào «{prev}» của lệnh này: cchc không bao giờ ghi đè "
                    "tệp đầu vào. Hãy chọn tên khác cho tệp kết quả (-o).")
        args = [folders[2025], "-o", out, "--json", prev, "--compare", prev]
    before = prev.read_bytes()
    capsys.readouterr()
    assert _merge(*args) == 2, case
    assert capsys.readouterr().err.strip().splitlines()[-1] == f"Lỗi: {expected}"
    assert not out.exists() and prev.read_bytes() == before

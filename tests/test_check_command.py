"""`cchc check`: output, exit codes, --json, and the marked copy (--mark)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import subprocess
import sys

import pytest

from openpyxl import load_workbook
from openpyxl.comments import Comment

from cchc.checks import run_checks
from cchc.checks.mark import MARK_AUTHOR
from cchc.checks.sheet import HEADER, HEADER_ROW, findings_links, findings_rows
from cchc.cli import main
from cchc.workbook import style as S
from cchc.workbook.reader import read_workbook


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def with_error(d):
    d["values"]["1"]["2.2"] = 15  # more tasks done than planned


def fill_of(cell) -> str:
    return (cell.fill.fgColor.rgb or "")[-6:].upper() if cell.fill.fill_type == "solid" else ""


def own_comments(wb) -> list[tuple[str, str]]:
    return [(ws.title, c.coordinate) for ws in wb.worksheets for row in ws.iter_rows() for c in row
            if c.comment is not None and c.comment.author == MARK_AUTHOR]


# ---------------------------------------------------------------------------- text and exit codes
def test_seed_exits_0_and_prints_grouped_findings(seed_workbook, capsys):
    assert main(["check", str(seed_workbook)]) == 0
    out = capsys.readouterr().out
    assert "0 lỗi, 7 cảnh báo, 4 thông tin" in out
    assert "== BM4 — Biểu mẫu 4: Cải cách tổ chức bộ máy ==" in out
    assert out.index("== Thông tin chung ==") < out.index("== BM1") < out.index("== BM7")
    data = read_workbook(seed_workbook)
    assert f"[Cảnh báo] {data.cells['4:2.3'].address} · 4:2.3 · 4:2.3 = trống; 4:2.1 = 20; 4:2.2 = 19" in out
    assert "57,14%" in out


def test_errors_exit_1_with_address_code_and_values(make_workbook, capsys):
    path = make_workbook(with_error)
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    addr = read_workbook(path).cells["1:2.2"].address
    assert f"[Lỗi] {addr} · 1:2.2 · 1:2.2 = 15; 1:2.1 = 14" in out
    assert "Có 1 lỗi cần sửa trước khi gửi báo cáo" in out


def test_unreadable_files_exit_2(tmp_path, capsys):
    bad = tmp_path / "hong.xlsx"
    bad.write_text("không phải Excel", encoding="utf-8")
    assert main(["check", str(bad)]) == 2
    assert main(["check", str(tmp_path / "khong_co.xlsx")]) == 2
    err = capsys.readouterr().err
    assert "Không tìm thấy tệp" in err and "không phải sổ tính Excel" in err


def test_json(make_workbook, capsys):
    path = make_workbook(with_error)
    assert main(["check", str(path), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["summary"] == {"errors": 1, "warnings": 7, "infos": 4}
    (err,) = [f for f in out["findings"] if f["severity"] == "error"]
    assert err["rule_id"] == "f1.done_le_planned" and err["form"] == "1" and err["code"] == "2.2"
    assert err["values"]["1:2.2"] == 15
    assert set(err) == {"severity", "sheet", "cell", "address", "ref", "form", "code", "rule_id", "message", "values"}


def test_plain_check_does_not_import_openpyxl(seed_workbook):
    code = ("import sys; from cchc.cli import main; rc = main(['check', sys.argv[1]]); "
            "print('OPENPYXL' if 'openpyxl' in sys.modules else 'CLEAN', rc)")
    res = subprocess.run([sys.executable, "-c", code, str(seed_workbook)], capture_output=True, text=True,
                         encoding="utf-8", check=True)
    assert res.stdout.strip().splitlines()[-1] == "CLEAN 0"


# ---------------------------------------------------------------------------- --mark
def test_mark_writes_a_marked_copy_and_leaves_the_original(make_workbook, tmp_path, capsys):
    path = make_workbook(with_error)
    before = sha(path)
    out = tmp_path / "danh_dau.xlsx"
    assert main(["check", str(path), "--mark", "-o", str(out)]) == 1
    assert sha(path) == before
    data = read_workbook(path)
    findings = run_checks(data)

    wb = load_workbook(out)
    assert wb.sheetnames[0] == S.SHEET_FINDINGS and wb.active.title == S.SHEET_FINDINGS
    at = data.cells["1:2.2"]
    cell = wb[at.sheet][at.a1]
    assert fill_of(cell) == S.ERROR_FILL_RGB
    assert cell.comment.author == MARK_AUTHOR and "[Lỗi]" in cell.comment.text and "15" in cell.comment.text
    warned = data.cells["4:2.3"]
    assert fill_of(wb[warned.sheet][warned.a1]) == S.WARNING_FILL_RGB
    # A ratio cell is not an input: comment (information), no colour.
    ratio = data.cells["7:3"]
    assert fill_of(wb[ratio.sheet][ratio.a1]) == S.COMPUTED_FILL_RGB
    assert "98,59%" in wb[ratio.sheet][ratio.a1].comment.text
    # An input cell without a finding keeps its input fill.
    clean = data.cells["1:1"]
    assert fill_of(wb[clean.sheet][clean.a1]) == S.INPUT_FILL_RGB and wb[clean.sheet][clean.a1].comment is None

    ws = wb[S.SHEET_FINDINGS]
    assert [ws.cell(r, 2).value for r in (2, 3, 4)] == [1, 7, 4]
    assert [ws.cell(HEADER_ROW + 1, c).value for c in range(1, len(HEADER) + 1)] == HEADER
    assert ws.max_row == HEADER_ROW + 1 + len(findings)
    for r0, c0, target in findings_links(findings):
        link = ws.cell(r0 + 1, c0 + 1).hyperlink
        assert link.location == target
        sheet, _, a1 = target.rpartition("!")
        assert sheet.strip("'") in wb.sheetnames and wb[sheet.strip("'")][a1] is not None
    # The marked copy still reads as the same report.
    assert [f.to_json() for f in run_checks(read_workbook(out))] == [f.to_json() for f in findings]


def test_marking_again_replaces_the_marks(make_workbook, tmp_path):
    path = make_workbook(with_error)
    first, second, third = (tmp_path / f"m{i}.xlsx" for i in (1, 2, 3))
    assert main(["check", str(path), "--mark", "-o", str(first)]) == 1
    assert main(["check", str(first), "--mark", "-o", str(second)]) == 1
    a, b = load_workbook(first), load_workbook(second)
    assert own_comments(a) == own_comments(b)
    assert b.sheetnames.count(S.SHEET_FINDINGS) == 1 and b.sheetnames == a.sheetnames
    for ws in a.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert fill_of(b[ws.title][c.coordinate]) == fill_of(c), (ws.title, c.coordinate)

    # The officer fixes the error in the marked copy and checks again: the mark goes away.
    at = read_workbook(path).cells["1:2.2"]
    b[at.sheet][at.a1].value = 8
    b.save(second)
    assert main(["check", str(second), "--mark", "-o", str(third)]) == 0
    c = load_workbook(third)
    cell = c[at.sheet][at.a1]
    assert fill_of(cell) == S.INPUT_FILL_RGB and cell.comment is None
    assert c[S.SHEET_FINDINGS].cell(2, 2).value == 0


def test_an_officers_own_comment_is_kept(make_workbook, tmp_path):
    path = make_workbook()
    at = read_workbook(path).cells["4:2.3"]
    wb = load_workbook(path)
    wb[at.sheet][at.a1].comment = Comment("Chờ phòng Nội vụ xác nhận", "Cán bộ")
    wb.save(path)
    m1, m2 = tmp_path / "m1.xlsx", tmp_path / "m2.xlsx"
    assert main(["check", str(path), "--mark", "-o", str(m1)]) == 0
    assert main(["check", str(m1), "--mark", "-o", str(m2)]) == 0
    cell = load_workbook(m2)[at.sheet][at.a1]
    assert cell.comment.text == "Chờ phòng Nội vụ xác nhận" and cell.comment.author == "Cán bộ"
    assert fill_of(cell) == S.WARNING_FILL_RGB


def test_mark_never_overwrites_the_original(seed_workbook, capsys):
    before = sha(seed_workbook)
    assert main(["check", str(seed_workbook), "--mark", "-o", str(seed_workbook)]) == 2
    assert main(["check", str(seed_workbook), "-o", "x.xlsx"]) == 2
    assert sha(seed_workbook) == before
    assert "cchc không bao giờ ghi đè tệp đầu vào" in capsys.readouterr().err


def test_mark_default_name(make_workbook):
    path = make_workbook()
    assert main(["check", str(path), "--mark"]) == 0
    assert (path.parent / f"{path.stem}_kiem_tra.xlsx").exists()


def test_findings_rows_summary_on_top(seed_workbook):
    findings = run_checks(read_workbook(seed_workbook))
    rows = findings_rows(findings)
    assert rows[1] == ["Số lỗi", 0] and rows[2] == ["Số cảnh báo", 7] and rows[3] == ["Số thông tin", 4]
    assert rows[HEADER_ROW] == HEADER
    assert len(rows) == HEADER_ROW + 1 + len(findings)
    assert [r[2] for r in rows[HEADER_ROW + 1:]] == [f.address for f in findings]


@pytest.mark.parametrize("value,key,shown", [
    (2024, "year_here", "2024"), (2025, "nam", "2025"), (2024, "so", "2.024"),
    ("2025-03-07", "ngay_ky", "07/3/2025"), (dt.date(2025, 3, 7), "ngay_ky", "07/3/2025"),
    ("2025-13-07", "x", "2025-13-07"), ("bảy mươi", "found", "bảy mươi"), (None, "x", "trống"),
])
def test_values_are_shown_as_an_officer_reads_them(value, key, shown):
    """Years are not quantities; a date stored as JSON by the portal still reads as a date."""
    from cchc.checks.sheet import show_value

    assert show_value(value, key) == shown

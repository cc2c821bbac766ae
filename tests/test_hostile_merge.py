"""A merge of many good workbooks and one of each hostile kind; a reader crash or hang in a
worker; a command killed while it writes. (issue 13; the corpus of single commands is in
test_hostile.py.)"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from cchc.workbook.fill import fill_workbook
from hostile import (
    Expect,
    append_row,
    check_outcome,
    leftovers,
    named_cell,
    regular_files,
    rewrite,
    run_cli,
    set_cell,
    swap_names,
    zip_bomb,
)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and signals are POSIX")

GOOD = 200
_CORNER = lambda xml: append_row(xml, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')  # noqa: E731
_LAST_ROW = lambda xml: append_row(xml, '<row r="1048576"><c r="E1048576"><v>1</v></c></row>')  # noqa: E731


@pytest.fixture(scope="module")
def placeholder(tmp_path_factory, template_path, seed_data, catalogue) -> Path:
    """The seed workbook with a unit name and code to patch in each copy."""
    data = copy.deepcopy(seed_data)
    data["info"]["don_vi"] = "UBND xã QQQQQ"
    data["info"]["ma_dvhc"] = "ZZZZZ"
    out = tmp_path_factory.mktemp("placeholder") / "base.xlsx"
    fill_workbook(template_path, data, out, catalogue)
    return out


def unit(placeholder: Path, dst: Path, i: int, **sheets) -> Path:
    """A copy of the placeholder workbook for unit number `i` (code 1xxxx, name «Xã Thử i»)."""
    info = {"Thông tin chung": lambda x: x.replace("QQQQQ", f"Thử {i:03d}").replace("ZZZZZ", f"{10000 + i:05d}")}
    return rewrite(placeholder, dst, sheets={**info, **sheets})


def _chained(*fns):
    def edit(xml):
        for fn in fns:
            xml = fn(xml)
        return xml
    return edit


def test_a_merge_of_good_workbooks_and_one_of_each_hostile_kind(tmp_path, placeholder, capsys):
    folder = tmp_path / "cac_xa"
    folder.mkdir()
    for i in range(1, GOOD + 1):
        unit(placeholder, folder / f"xa_{i:03d}.xlsx", i)

    # Refused, each with its reason.
    refused = {
        "goc_xa.xlsx": "vượt giới hạn",  # the reader aborts on it: a worker dies, the reason is found after
        "trieu_dong.xlsx": "vượt giới hạn",
        "ong.xlsx": "đường ống (FIFO)",
        "bom.xlsx": "giải nén quá lớn",
        "cat_cut.xlsx": "bị cắt cụt",
        "mat_khau.xlsx": "mật khẩu",
        "loai_la.xlsx": "loại biểu mẫu",
    }
    unit(placeholder, folder / "goc_xa.xlsx", 901, BM2a=_CORNER)
    unit(placeholder, folder / "trieu_dong.xlsx", 902, BM2a=_LAST_ROW)
    os.mkfifo(folder / "ong.xlsx")
    zip_bomb(folder / "bom.xlsx")
    (folder / "cat_cut.xlsx").write_bytes(placeholder.read_bytes()[:9000])
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(unit(placeholder, tmp_path / "plain.xlsx", 903), "rb") as fin, open(folder / "mat_khau.xlsx", "wb") as fout:
        OOXMLFile(fin).encrypt("matkhau", fout)
    unit(placeholder, folder / "loai_la.xlsx", 904,
         _cchc=lambda x: x.replace("<t>ky</t>", "<t>../../../etc/passwd</t>", 1))
    (folder / "bao_cao.docx").write_bytes(b"PK\x03\x04 a Word file sent instead")

    # Merged, each with a finding. The merge does not unpack the sheets a second time to find
    # error cells and formulas without a result (cchc check does): it reads them as blank, and
    # the checks say the indicator is blank while its pair has a number.
    sheet6, d7 = named_cell(placeholder, "BM6_1_1")
    blank = "BM6 mục 1.1 «Kế hoạch vốn ĐTC» để trống"
    merged_with = {
        "chia_0.xlsx": (unit(placeholder, folder / "chia_0.xlsx", 905, **{sheet6: set_cell(d7, "<v>#DIV/0!</v>", ' t="e"')}),
                        blank),
        "cong_thuc.xlsx": (unit(placeholder, folder / "cong_thuc.xlsx", 906, **{sheet6: set_cell(d7, "<f>D8*2</f><v></v>")}),
                           blank),
        "qua_lon.xlsx": (unit(placeholder, folder / "qua_lon.xlsx", 907, **{sheet6: set_cell(d7, "<v>1E+300</v>")}),
                         "lớn bất thường"),
    }
    swapped = rewrite(unit(placeholder, tmp_path / "s.xlsx", 908), folder / "ten_trao.xlsx",
                      members={"xl/workbook.xml": swap_names("BM6_1_1", "BM6_1_2")})
    merged_with["ten_trao.xlsx"] = (swapped, "trỏ tới ô")
    odd_name = os.fsdecode(b"t\xean_l\xe1.xlsx")  # a name in a legacy code page, not UTF-8
    unit(placeholder, folder / odd_name, 909)

    before = regular_files(folder)
    out, js = tmp_path / "TONG_HOP.xlsx", tmp_path / "TONG_HOP.json"
    outcome = run_cli(["merge", folder, "-o", out, "--json", js, "--report", tmp_path / "TONG_HOP.docx"],
                      capsys=capsys)
    check_outcome(outcome, Expect(1, tuple(refused.values())), before, [folder, tmp_path])

    data = json.loads(js.read_text(encoding="utf-8"))
    files = {Path(f["path"]).name: f for f in data["files"]}
    for name, why in refused.items():
        assert files[name]["status"] == "unreadable" and why in files[name]["reason"], (name, files[name])
    assert files["bao_cao.docx"]["status"] == "skipped"
    merged = [f for f in data["files"] if f["status"] == "merged"]
    assert len(merged) == GOOD + len(merged_with) + 1
    assert {f"xa_{i:03d}.xlsx" for i in range(1, GOOD + 1)} <= {Path(f["path"]).name for f in merged}
    for name, (_, why) in merged_with.items():
        assert files[name]["status"] == "merged"
        assert any(why in x["message"] for x in files[name]["findings"]), (name, files[name]["findings"])
    assert "t\ufffdn_l\ufffd.xlsx" in files and files["t\ufffdn_l\ufffd.xlsx"]["status"] == "merged"
    # The 1E+300 was not summed: the province total stays a number.
    assert data["values"]["6"]["1.1"] == 2700 * (GOOD + 2)  # the swapped and the oddly named add theirs
    assert out.stat().st_size > 10_000 and (tmp_path / "TONG_HOP.docx").stat().st_size > 10_000


@pytest.fixture
def lifted(monkeypatch):
    """The bounds checked before parsing lifted, as if they had a gap: the worker then meets
    the reader's own failure, which the pool must survive."""
    import cchc.workbook.bounds as bounds
    import cchc.workbook.raw as raw

    for module in (bounds, raw):
        monkeypatch.setattr(module, "MAX_ROWS", 2**21)
        monkeypatch.setattr(module, "MAX_COLUMNS", 2**15)


def _two_good_and(tmp_path, placeholder, name, **sheets) -> Path:
    folder = tmp_path / "xa"
    folder.mkdir()
    for i in (1, 2):
        unit(placeholder, folder / f"xa_{i}.xlsx", i)
    unit(placeholder, folder / name, 3, **sheets)
    return folder


def test_a_worker_killed_by_the_reader_refuses_only_that_file(tmp_path, placeholder, lifted):
    from cchc import app

    folder = _two_good_and(tmp_path, placeholder, "goc_xa.xlsx", BM2a=_CORNER)
    t0 = time.perf_counter()
    result = app.merge([folder], workers=2)
    assert time.perf_counter() - t0 < 30
    (bad,) = result.excluded_files
    assert Path(bad.path).name == "goc_xa.xlsx"
    assert "bị dừng đột ngột (tín hiệu SIGABRT)" in bad.reason and "hãy mở bằng Excel" in bad.reason
    assert sorted(u.code for u in result.merged_units) == ["10001", "10002"]


def test_a_file_that_takes_too_long_is_stopped_and_the_rest_merged(tmp_path, placeholder, lifted, monkeypatch):
    from cchc import app

    folder = _two_good_and(tmp_path, placeholder, "cham.xlsx", BM2a=_LAST_ROW)
    monkeypatch.setenv("CCHC_MERGE_FILE_SECONDS", "0.5")
    result = app.merge([folder], workers=1)
    (bad,) = result.excluded_files
    assert Path(bad.path).name == "cham.xlsx" and "mất hơn 0,5 giây (giới hạn cho một tệp)" in bad.reason
    assert sorted(u.code for u in result.merged_units) == ["10001", "10002"]


def _start_merge(folder: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "cchc", "merge", str(folder), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)


def _caught_writing(folder: Path, where: Path) -> tuple[subprocess.Popen, Path]:
    """A `cchc merge` of `folder` into `where`, caught while it writes (its temporary file is
    there). The write lasts a fraction of a second: start again if it was missed."""
    for _ in range(5):
        proc = _start_merge(folder, where / "TONG_HOP.xlsx")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            found = leftovers(where)
            if found:
                return proc, found[0]
            time.sleep(0.002)
        proc.wait(timeout=60)
        (where / "TONG_HOP.xlsx").unlink(missing_ok=True)
    pytest.fail("the merge never was caught writing")


@pytest.fixture(scope="module")
def many(tmp_path_factory, placeholder) -> Path:
    folder = tmp_path_factory.mktemp("many") / "xa"
    folder.mkdir()
    for i in range(1, 121):
        unit(placeholder, folder / f"xa_{i:03d}.xlsx", i)
    return folder


def test_sigterm_while_writing_leaves_no_temporary_file(tmp_path, many):
    proc, _ = _caught_writing(many, tmp_path)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Đã dừng theo yêu cầu" in err.decode()
    assert leftovers(tmp_path) == [] and not (tmp_path / "TONG_HOP.xlsx").exists()


def test_a_temporary_file_left_by_a_killed_command_is_removed_by_the_next(tmp_path, many, seed_workbook):
    proc, tmp = _caught_writing(many, tmp_path)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert tmp.exists()  # nothing could clean up after SIGKILL
    # A minute later, the next command writing into that folder removes it, and only it.
    old = time.time() - 120
    os.utime(tmp, (old, old))
    young = tmp_path / f".~cchc-{proc.pid}-young.xlsx"  # as if being written right now
    young.write_bytes(b"")
    alive = tmp_path / f".~cchc-{os.getpid()}-mine.xlsx"  # a process that still runs
    alive.write_bytes(b"")
    os.utime(alive, (old, old))
    r = run_cli(["export", seed_workbook, "-o", tmp_path / "ra.json"])
    assert r.code == 0, r.err
    assert not tmp.exists() and young.exists() and alive.exists()


def test_outputs_have_the_permissions_of_new_files(tmp_path, seed_workbook):
    old = os.umask(0o022)
    try:
        folder = tmp_path / "xa"
        folder.mkdir()
        (folder / "a.xlsx").write_bytes(seed_workbook.read_bytes())
        outs = [tmp_path / "r.docx", tmp_path / "t.xlsx", tmp_path / "t.docx", tmp_path / "t.json", tmp_path / "e.json",
                tmp_path / "m.xlsx"]
        assert run_cli(["report", folder / "a.xlsx", "-o", outs[0]]).code in (0, 1)
        assert run_cli(["merge", folder, "-o", outs[1], "--report", outs[2], "--json", outs[3]]).code == 0
        assert run_cli(["export", folder / "a.xlsx", "-o", outs[4]]).code == 0
        assert run_cli(["check", "--mark", folder / "a.xlsx", "-o", outs[5]]).code in (0, 1)
    finally:
        os.umask(old)
    for p in outs:
        assert p.stat().st_mode & 0o777 == 0o644, (p, oct(p.stat().st_mode))


def test_a_consolidated_workbook_inside_the_folder_is_replaced_but_a_units_is_not(tmp_path, seed_workbook, capsys):
    folder = tmp_path / "xa"
    folder.mkdir()
    (folder / "a.xlsx").write_bytes(seed_workbook.read_bytes())
    out = folder / "TONG_HOP.xlsx"
    assert run_cli(["merge", folder, "-o", out], capsys=capsys).code == 0
    with zipfile.ZipFile(out) as zf:
        assert b"<cp:keywords>cchc;tong_hop;ky;" in zf.read("docProps/core.xml")
    assert run_cli(["merge", folder, "-o", out], capsys=capsys).code == 0  # the earlier output is not an input
    before = (folder / "a.xlsx").read_bytes()
    r = run_cli(["merge", folder, "-o", folder / "a.xlsx"], capsys=capsys)
    assert r.code == 2 and "chính là tệp đầu vào" in r.err and (folder / "a.xlsx").read_bytes() == before

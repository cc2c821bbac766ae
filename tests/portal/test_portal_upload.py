"""Uploading: findings exactly as `cchc check`, versions kept, downloads, every kind of bad
file refused with its Vietnamese reason and recorded as refused."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from cchc import app
from cchc.cli import main

from .portal_helpers import client_for, text_of, upload


def _check_json_cli(path: Path, capsys) -> dict:
    capsys.readouterr()
    main(["check", str(path), "--json"])
    return json.loads(capsys.readouterr().out)


def test_seed_upload_lists_every_finding_as_cchc_check(world, seed_workbook, capsys):
    from cchc.portal.models import AuditEvent, Submission

    c = client_for(world.officer_a)
    r = upload(c, world.period, seed_workbook, "Quy_I_2025.xlsx")
    assert r.status_code == 302
    sub = Submission.objects.get(unit=world.a, period=world.period)
    assert r["Location"] == f"/lan-nop/{sub.pk}/"
    assert (sub.status, sub.seq, sub.state) == ("accepted", 1, "merged")

    cli = _check_json_cli(seed_workbook, capsys)
    assert sub.check_json["findings"] == cli["findings"]  # the same JSON as `cchc check --json`
    assert sub.check_json["summary"] == cli["summary"] == {"errors": 0, "warnings": 7, "infos": 4}
    assert sub.check_json["file"] == "Quy_I_2025.xlsx"

    page = c.get(r["Location"])
    assert page.status_code == 200
    text = text_of(page)
    assert "Kết quả kiểm tra: 0 lỗi, 7 cảnh báo, 4 thông tin." in text
    findings = app.check(app.load(seed_workbook))
    assert len(findings) == 11
    for f in findings:
        assert f.message in text
        assert f.address in text
    assert text.count("Cảnh báo ") >= 7
    assert "Đây là phiên bản đang dùng để tổng hợp." in text
    assert AuditEvent.objects.filter(action="upload", submission=sub, user=world.officer_a).count() == 1


def test_reupload_is_a_new_version_and_the_old_one_stays(world, seed_workbook, workbook):
    from cchc.portal.models import Submission

    c = client_for(world.officer_a)
    upload(c, world.period, seed_workbook, "lan1.xlsx")
    first = Submission.objects.get(unit=world.a, seq=1)
    stored_first = first.stored_name
    fixed = workbook("lan2.xlsx", info={"ma_dvhc": "00001"})
    r = upload(c, world.period, fixed)
    assert r.status_code == 302
    subs = list(Submission.objects.filter(unit=world.a, period=world.period).order_by("seq"))
    assert [(s.seq, s.status, s.original_name) for s in subs] == [(1, "accepted", "lan1.xlsx"), (2, "accepted", "lan2.xlsx")]
    assert subs[0].stored_name == stored_first and subs[0].stored_name != subs[1].stored_name
    from cchc.portal import store

    assert store.received_path(subs[0].stored_name).read_bytes() == seed_workbook.read_bytes()
    old = text_of(c.get(f"/lan-nop/{subs[0].pk}/"))
    assert "Đã có lần nộp mới hơn; lần này được giữ lại để đối chiếu." in old
    hist = text_of(c.get(f"/don-vi/{world.a.pk}/"))
    assert "Phiên bản đang dùng: lần 2" in hist and "lan1.xlsx" in hist and "lan2.xlsx" in hist


def test_downloads_report_marked_copy_and_original(world, seed_workbook):
    import docx
    import openpyxl

    c = client_for(world.officer_a)
    r = upload(c, world.period, seed_workbook, "Quy_I_2025.xlsx")
    pk = int(r["Location"].split("/")[2])
    rep = c.get(f"/lan-nop/{pk}/tai/bao-cao/")
    assert rep.status_code == 200
    assert "attachment" in rep["Content-Disposition"] and ".docx" in rep["Content-Disposition"]
    body = b"".join(rep.streaming_content)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    assert "Trong Quý I năm 2025" in text
    assert "ĐƯNG K’NỚ" in text.upper()
    marked = b"".join(c.get(f"/lan-nop/{pk}/tai/kiem-tra/").streaming_content)
    wb = openpyxl.load_workbook(io.BytesIO(marked))
    assert wb.sheetnames[0] == "Kiểm tra"
    orig = b"".join(c.get(f"/lan-nop/{pk}/tai/goc/").streaming_content)
    assert orig == seed_workbook.read_bytes()
    assert c.get(f"/lan-nop/{pk}/tai/khac/").status_code == 404


def test_pdf_download_with_libreoffice(world, seed_workbook, soffice):
    c = client_for(world.officer_a)
    pk = int(upload(c, world.period, seed_workbook).headers["Location"].split("/")[2])
    r = c.get(f"/lan-nop/{pk}/tai/pdf/")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")


# ------------------------------------------------------------------------------- bad files
def _encrypted(tmp_path: Path, src: Path) -> Path:
    from msoffcrypto.format.ooxml import OOXMLFile

    out = tmp_path / "mat_khau.xlsx"
    with open(src, "rb") as fin, open(out, "wb") as fout:
        OOXMLFile(fin).encrypt("matkhau", fout)
    return out


def _rezip(src: Path, out: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
    return out


def _xxe(tmp_path: Path, src: Path) -> Path:
    with zipfile.ZipFile(src) as z:
        xml = z.read("xl/workbook.xml").decode("utf-8")
    head, _, rest = xml.partition("?>")
    evil = head + '?><!DOCTYPE workbook [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' + rest.replace(
        "<sheets>", "<sheets>&xxe;", 1)
    return _rezip(src, tmp_path / "xxe.xlsx", {"xl/workbook.xml": evil.encode("utf-8")})


def _bomb(tmp_path: Path, src: Path) -> Path:
    out = tmp_path / "bom.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, zin.read(item.filename))
        with zout.open("xl/media/image1.bin", "w", force_zip64=True) as big:  # 320 MB of zeros, ~300 KB packed
            block = b"\0" * (1 << 20)
            for _ in range(320):
                big.write(block)
    return out


BAD = [
    ("not_excel", "ghi_chu.xlsx", "Không đọc được tệp «ghi_chu.xlsx»: không phải sổ tính Excel (.xlsx, .xlsm hoặc .xls).", "unreadable"),
    ("word", "bao_cao.xlsx", "Không đọc được tệp «bao_cao.xlsx»: đây là tệp Word, không phải sổ tính Excel (.xlsx).", "unreadable"),
    ("truncated", "cut.xlsx", "Không đọc được tệp «cut.xlsx»: tệp bị hỏng hoặc bị cắt cụt (không giải nén được). Hãy lấy lại bản gốc.", "unreadable"),
    ("password", "mat_khau.xlsx", "Không đọc được tệp «mat_khau.xlsx»: tệp được đặt mật khẩu.", "unreadable"),
    ("xxe", "xxe.xlsx", "Không đọc được tệp «xxe.xlsx»: phần mô tả sổ tính (workbook.xml) bị hỏng hoặc không an toàn.", "unreadable"),
    ("bomb", "bom.xlsx", "Không đọc được tệp «bom.xlsx»: dữ liệu giải nén quá lớn (nghi là tệp hỏng hoặc độc hại).", "unreadable"),
    ("pdf_name", "bao_cao.pdf", "Chỉ nhận tệp Excel .xlsx hoặc .xlsm; tệp «bao_cao.pdf» không được đọc.", "skipped"),
    ("too_large", "rat_lon.xlsx", "Tệp «rat_lon.xlsx» quá lớn (hơn 2", "too_large"),
    ("wrong_period", "quy_iii.xlsx", "Tệp là báo cáo Quý I năm 2025, không phải Quý III năm 2025 đã chọn khi nộp.", "wrong_period"),
    ("wrong_unit", "xa_khac.xlsx", "Tệp là báo cáo của đơn vị «UBND xã Đưng K’Nớ», không phải của «UBND xã An Khánh» (mã 00002). Mỗi đơn vị chỉ nộp báo cáo của chính mình.", "not_expected"),
    ("wrong_kind", "chi_so.xlsx", "Tệp là báo cáo phân tích chỉ số SIPAS, PAR Index, không phải báo cáo CCHC định kỳ của kỳ Quý I năm 2025 đã chọn khi nộp.", "wrong_kind"),
]


@pytest.mark.parametrize("case,name,message,state", BAD, ids=[b[0] for b in BAD])
def test_bad_upload_is_refused_with_its_reason_and_recorded(world, seed_workbook, tmp_path, case, name, message, state):
    from cchc.portal.models import AuditEvent, Submission

    officer, period = world.officer_a, world.period
    seed = seed_workbook.read_bytes()
    path = tmp_path / name
    if case == "not_excel":
        path.write_text("Đây không phải Excel", encoding="utf-8")
    elif case == "word":
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("word/document.xml", "<w/>")
    elif case == "truncated":
        path.write_bytes(seed[:9000])
    elif case == "password":
        path = _encrypted(tmp_path, seed_workbook)
    elif case == "xxe":
        path = _xxe(tmp_path, seed_workbook)
    elif case == "bomb":
        path = _bomb(tmp_path, seed_workbook)
    elif case == "pdf_name":
        path.write_bytes(b"%PDF-1.4 ...")
    elif case == "too_large":
        path.write_bytes(seed + b"\0" * (2 * 1024 * 1024))
    elif case == "wrong_period":
        path.write_bytes(seed)
        period = world.period_q3
    elif case == "wrong_unit":
        path.write_bytes(seed)
        officer = world.officer_b
    elif case == "wrong_kind":
        app.build_template(path, "chi_so")
    c = client_for(officer)
    r = upload(c, period, path, name)
    assert r.status_code == 422
    text = text_of(r)
    assert "Tệp không được nhận" in text
    assert message in text
    sub = Submission.objects.get(unit=officer.unit, period=period)
    assert (sub.status, sub.state, sub.seq) == ("refused", state, 1)
    assert message in sub.reason
    assert AuditEvent.objects.filter(action="refused", submission=sub).exists()
    if case == "too_large":
        assert sub.stored_name == ""  # never stored, never parsed
    # Refused never counts: the dashboard shows the unit as not submitted.
    dash = text_of(client_for(world.province).get(f"/tinh/?ky={period.pk}"))
    assert "0 đã nộp đúng hạn" in dash
    assert "1 gửi nhưng bị từ chối" in dash


def test_upload_without_file_or_period_is_a_form_error(world):
    c = client_for(world.officer_a)
    r = c.post("/nop/", {"period": world.period.pk})
    assert r.status_code == 400
    assert "Hãy chọn tệp Excel (.xlsx hoặc .xlsm) để nộp." in text_of(r)
    r = c.post("/nop/", {"period": 999999})
    assert r.status_code == 400
    assert "Kỳ báo cáo đã chọn không còn nhận báo cáo." in text_of(r)
    from cchc.portal.models import Submission

    assert not Submission.objects.exists()


def test_a_closed_period_takes_no_upload(world, seed_workbook):
    world.period.is_open = False
    world.period.save()
    r = upload(client_for(world.officer_a), world.period, seed_workbook)
    assert r.status_code == 400
    assert "Kỳ báo cáo đã chọn không còn nhận báo cáo." in text_of(r)


def test_a_file_name_is_only_shown_never_used_as_a_path(world, seed_workbook):
    from cchc.portal.models import Submission

    c = client_for(world.officer_a)
    r = upload(c, world.period, seed_workbook, "../../etc/=cmd|' -C calc'!A0.xlsx")
    assert r.status_code == 302
    sub = Submission.objects.get(unit=world.a)
    assert sub.original_name == "=cmd|' -C calc'!A0.xlsx"
    assert "/" not in sub.stored_name.split("/", 1)[1] and sub.stored_name.endswith(".xlsx")
    assert ".." not in sub.stored_name

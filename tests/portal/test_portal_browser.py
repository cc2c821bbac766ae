"""In a real headless Chromium (Debian's, driven by Playwright) against the portal served by
waitress: an officer logs in, changes the first password, uploads the seed workbook, sees its
warnings, downloads the report; a second officer cannot open the first unit's files by URL;
the province sees one unit submitted and the rest missing, runs «Tổng hợp» and downloads the
workbook. A screenshot of every page looked at goes to $CCHC_SCREENSHOTS (or a temporary
folder)."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import threading
from pathlib import Path

import pytest


CHROMIUM = os.environ.get("CCHC_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
UNITS = [("00001", "UBND xã Đưng K’Nớ", "Huyện Lạc Dương"), ("00002", "UBND xã An Khánh", "Huyện Lạc Dương"),
         ("00003", "UBND xã Đạ Sar", "Huyện Lạc Dương"), ("00004", "UBND phường Thủy Xuân", "Thành phố Huế"),
         ("00005", "UBND phường Vỹ Dạ", "Thành phố Huế")]


@pytest.fixture(scope="module")
def chromium() -> str:
    """Chromium is required: scripts/test.sh installs it. Fail loudly rather than skip."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Chromium is not installed; run scripts/test.sh or apt-get install chromium")
    return CHROMIUM


@pytest.fixture(scope="module")
def live(portal, tmp_path_factory):
    """The portal, emptied and set up from a units file, served by waitress on a free port."""
    from django.core.management import call_command
    from django.utils import timezone
    from waitress.server import create_server

    from cchc.portal import services
    from cchc.portal.models import Period
    from cchc.portal.wsgi import application

    call_command("flush", interactive=False, verbosity=0)
    root = tmp_path_factory.mktemp("live")
    units = root / "don_vi.csv"
    units.write_text("ma;ten;nhom\n" + "".join(";".join(u) + "\n" for u in UNITS), encoding="utf-8")
    done = services.init_units(units, root / "mat_khau.csv")
    with open(done.passwords_csv, encoding="utf-8-sig") as fh:
        passwords = {r["ten_dang_nhap"]: r["mat_khau_ban_dau"] for r in csv.DictReader(fh, delimiter=";")}
    Period.objects.create(kind="ky", ky="Quý I", nam=2025,
                          deadline=timezone.now() + dt.timedelta(days=7))
    server = create_server(application, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    from cchc.portal.models import Unit

    unit_a = Unit.objects.get(code="00001").pk  # no ORM in the test: Playwright's event loop runs there
    yield f"http://127.0.0.1:{server.effective_port}", passwords, unit_a
    server.close()
    call_command("flush", interactive=False, verbosity=0)  # the other tests start from an empty database


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium, headless=True, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("CCHC_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _page(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN", accept_downloads=True)
    return ctx, ctx.new_page()


def _first_login(page, base, username, first_password, new_password, shots=None, prefix=""):
    page.goto(base + "/")
    assert page.url.startswith(base + "/dang-nhap/")
    if shots:
        page.screenshot(path=str(shots / f"{prefix}01_dang_nhap.png"), full_page=True)
    page.fill("#id_username", username)
    page.fill("#id_password", first_password)
    page.click("button:has-text('Đăng nhập')")
    assert page.url == base + "/doi-mat-khau/"
    assert "Đây là lần đăng nhập đầu tiên" in page.inner_text("main")
    page.fill("#id_old_password", first_password)
    page.fill("#id_new_password1", "123")
    page.fill("#id_new_password2", "123")
    page.click("button:has-text('Đổi mật khẩu')")
    assert "Mật khẩu quá ngắn: cần ít nhất 8 ký tự." in page.inner_text("main")
    if shots:
        page.screenshot(path=str(shots / f"{prefix}02_doi_mat_khau.png"), full_page=True)
    page.fill("#id_old_password", first_password)
    page.fill("#id_new_password1", new_password)
    page.fill("#id_new_password2", new_password)
    page.click("button:has-text('Đổi mật khẩu')")
    assert "Đã đổi mật khẩu." in page.inner_text("main")


def test_officer_uploads_province_merges(live, browser, shots, seed_workbook, tmp_path):
    import docx
    import openpyxl

    from cchc import app

    base, passwords, unit_a = live
    # --- the first officer
    ctx, page = _page(browser)
    _first_login(page, base, "00001", passwords["00001"], "DungKNo-2025!", shots)
    assert page.url == base + "/nop/"
    page.screenshot(path=str(shots / "03_nop_bao_cao.png"), full_page=True)
    page.select_option("#id_period", label="Quý I năm 2025 — Báo cáo định kỳ công tác cải cách hành chính")
    page.set_input_files("#id_file", str(seed_workbook))
    page.click("button:has-text('Nộp và kiểm tra')")
    assert "/lan-nop/" in page.url
    main = page.inner_text("main")
    assert "Kết quả kiểm tra: 0 lỗi, 7 cảnh báo, 4 thông tin." in main
    warnings = [f for f in app.check(app.load(seed_workbook)) if f.severity == "warning"]
    assert len(warnings) == 7
    for f in warnings:
        assert f.message in main and f.address in main
    assert page.locator("span.sev.warning").count() == 7
    page.screenshot(path=str(shots / "04_ket_qua_kiem_tra.png"), full_page=True)
    submission_url = page.url

    with page.expect_download() as d:
        page.click("text=Tải báo cáo Word")
    report = tmp_path / d.value.suggested_filename
    d.value.save_as(report)
    assert report.name == "Báo cáo CCHC Quý I năm 2025 - UBND xã Đưng K’Nớ.docx"
    text = "\n".join(p.text for p in docx.Document(report).paragraphs)
    assert "Trong Quý I năm 2025" in text

    # A refused upload: a Word document sent instead of the workbook.
    page.goto(base + "/nop/")
    bad = tmp_path / "bao_cao.docx"
    bad.write_bytes(report.read_bytes())
    page.set_input_files("#id_file", str(bad))
    page.click("button:has-text('Nộp và kiểm tra')")
    assert "Chỉ nhận tệp Excel .xlsx hoặc .xlsm; tệp «bao_cao.docx» không được đọc." in page.inner_text("main")
    page.screenshot(path=str(shots / "05_tu_choi.png"), full_page=True)

    page.click("text=Lịch sử nộp")
    history = page.inner_text("main")
    assert "Phiên bản đang dùng: lần 1" in history and "Bị từ chối" in history
    page.screenshot(path=str(shots / "06_lich_su.png"), full_page=True)
    ctx.close()

    # --- a second officer cannot open the first unit's files by URL
    ctx, page = _page(browser)
    _first_login(page, base, "00002", passwords["00002"], "AnKhanh-2025!")
    for url in (submission_url, submission_url + "tai/bao-cao/", submission_url + "tai/goc/"):
        resp = page.goto(url)
        assert resp.status == 404, url
        assert "Không tìm thấy trang" in page.inner_text("main")
    page.screenshot(path=str(shots / "07_don_vi_khac_404.png"), full_page=True)
    ctx.close()

    # --- the province
    ctx, page = _page(browser)
    _first_login(page, base, "tinh", passwords["tinh"], "SoNoiVu-2025!", shots, prefix="tinh_")
    assert page.url.startswith(base + "/tinh/")
    main = page.inner_text("main")
    assert "5\nđơn vị phải nộp" in main and "1\nđã nộp đúng hạn" in main and "4\nchưa nộp" in main
    assert page.locator("span.st.submitted").count() == 1 and page.locator("span.st.missing").count() == 4
    page.screenshot(path=str(shots / "08_tinh_tinh_hinh_nop.png"), full_page=True)

    page.click("button:has-text('Tổng hợp Quý I năm 2025')")
    assert "/tinh/tong-hop/" in page.url
    assert "Tổng hợp Quý I năm 2025: 1/5 đơn vị (20%)" in page.inner_text("main")
    page.screenshot(path=str(shots / "09_ket_qua_tong_hop.png"), full_page=True)
    with page.expect_download() as d:
        page.click("text=Tải sổ tính tổng hợp (Excel)")
    merged = tmp_path / "tong_hop.xlsx"
    d.value.save_as(merged)
    ws = openpyxl.load_workbook(merged, read_only=True)["Tổng hợp"]
    rows = [r for r in ws.iter_rows(values_only=True)]
    assert rows[1][0] == "Tổng hợp Quý I năm 2025 — 1 đơn vị"
    by_label = {r[1]: r[3] for r in rows if r[1]}
    assert by_label["Kế hoạch được giao"] == 2700
    assert by_label["Số nhiệm vụ đề ra trong kế hoạch"] == 14
    ratio = [r[3] for r in rows if r[1] and str(r[1]).startswith("Tỷ lệ hồ sơ TTHC được tiếp nhận trực tuyến")][0]
    assert abs(ratio - 98.59154929577466) < 1e-9
    # …and the whole sheet is what `cchc merge` makes of the same file.
    reference = tmp_path / "cli.xlsx"
    app.write_merge(app.merge([seed_workbook], units_csv=None), reference)
    ref_rows = list(openpyxl.load_workbook(reference, read_only=True)["Tổng hợp"].iter_rows(values_only=True))
    assert [r[1:] for r in rows[2:]] == [r[1:] for r in ref_rows[2:]]

    page.click("header >> text=Nhật ký")
    log = page.inner_text("main")
    for action in ("Nộp báo cáo", "Nộp báo cáo bị từ chối", "Tải tệp", "Tổng hợp", "Đăng nhập", "Đổi mật khẩu"):
        assert action in log
    page.screenshot(path=str(shots / "10_nhat_ky.png"), full_page=True)
    page.click("header >> text=Kỳ báo cáo")
    page.screenshot(path=str(shots / "11_ky_bao_cao.png"), full_page=True)
    page.click("header >> text=Biểu mẫu trống")
    page.screenshot(path=str(shots / "12_bieu_mau.png"), full_page=True)
    page.goto(base + f"/don-vi/{unit_a}/")
    page.screenshot(path=str(shots / "13_tinh_lich_su_don_vi.png"), full_page=True)
    page.click("header >> text=Tổng hợp")
    assert "Quý I năm 2025" in page.inner_text("main") and "1/5" in page.inner_text("main")
    page.screenshot(path=str(shots / "14_cac_lan_tong_hop.png"), full_page=True)
    page.click("header >> text=Mã API")
    page.click("button:has-text('Tạo mã mới')")
    assert "Mã mới (chỉ hiện một lần" in page.inner_text("main")
    page.screenshot(path=str(shots / "15_ma_api.png"), full_page=True)
    ctx.close()


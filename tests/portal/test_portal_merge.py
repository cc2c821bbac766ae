"""Differential: 50 generated communes uploaded through the HTTP client and merged in the
portal give the same totals, ratios, unit states and refusals as `cchc merge` on the same
files (the current version of each unit)."""

from __future__ import annotations

import copy
import io
import json
import os
import random
import zipfile
from pathlib import Path

import openpyxl
import pytest

from cchc.cli import main
from conftest import random_values
from cchc.workbook.fill import fill_workbook

from .portal_helpers import client_for, upload

N = 50
WRONG_PERIOD = {3, 4}
UNREADABLE = {7}
NOT_LISTED = {8}
WORD = {9}
PASSWORD = {11}
TWO_VERSIONS = {5}
NOT_SENT = {45, 46, 47, 48, 49}


def _unit(i):
    return f"{70000 + i:05d}", f"UBND xã Thử Nghiệm {i}", "Nhóm A" if i % 2 else "Nhóm B"


@pytest.fixture(scope="module")
def communes(tmp_path_factory, template_path, seed_data, catalogue):
    """The folder `cchc merge` reads (the current file of each unit), the units file, and
    what each unit uploads, in order."""
    root = tmp_path_factory.mktemp("diff")
    folder = root / "cac_xa"
    folder.mkdir()
    old = root / "cu"
    old.mkdir()
    rng = random.Random(15)
    uploads: dict[int, list[Path]] = {}

    def data_for(i, ky="Quý I", code=None, name=None):
        c, n, _ = _unit(i)
        d = copy.deepcopy(seed_data)
        d["info"].update({"ma_dvhc": code or c, "don_vi": name or n, "ky": ky, "nam": 2025})
        d["values"] = random_values(catalogue, rng)
        d["notes"] = {}
        return d

    for i in range(N):
        if i in NOT_SENT:
            continue
        out = folder / f"xa_{i:02d}.xlsx"
        if i in WORD:
            out = folder / f"xa_{i:02d}.docx"
            out.write_bytes(b"PK\x03\x04 not really a Word file")
        elif i in UNREADABLE:
            fill_workbook(template_path, data_for(i), root / "full.xlsx", catalogue)
            out.write_bytes((root / "full.xlsx").read_bytes()[:9000])
        elif i in NOT_LISTED:
            fill_workbook(template_path, data_for(i, code="99999", name="UBND xã Ngoài Danh Sách"), out, catalogue)
        elif i in WRONG_PERIOD:
            fill_workbook(template_path, data_for(i, ky="6 tháng"), out, catalogue)
        elif i in PASSWORD:
            from msoffcrypto.format.ooxml import OOXMLFile

            fill_workbook(template_path, data_for(i), root / "plain.xlsx", catalogue)
            with open(root / "plain.xlsx", "rb") as fin, open(out, "wb") as fout:
                OOXMLFile(fin).encrypt("matkhau", fout)
        else:
            fill_workbook(template_path, data_for(i), out, catalogue)
        uploads[i] = [out]
        if i in TWO_VERSIONS:  # an earlier version, superseded by the file in the folder
            first = old / out.name
            fill_workbook(template_path, data_for(i), first, catalogue)
            uploads[i] = [first, out]
    units_csv = root / "don_vi.csv"
    units_csv.write_text("ma;ten;nhom\n" + "".join(";".join(_unit(i)) + "\n" for i in range(N)), encoding="utf-8")
    return folder, units_csv, uploads


def _cli_merge(folder: Path, units_csv: Path, out: Path) -> dict:
    code = main(["merge", str(folder), "-o", str(out / "TONG_HOP.xlsx"), "--units", str(units_csv),
                 "--period", "Quý I", "--year", "2025", "--json", str(out / "TONG_HOP.json"),
                 "--workers", "1"])
    assert code == 1  # some files excluded
    return json.loads((out / "TONG_HOP.json").read_text(encoding="utf-8"))


def test_portal_merge_equals_cchc_merge(db, communes, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cchc import app
    from cchc.portal.models import MergeRun, Period, Submission, Unit, User

    folder, units_csv, uploads = communes
    period = Period.objects.create(kind="ky", ky="Quý I", nam=2025)
    officers = {}
    for i in range(N):
        code, name, group = _unit(i)
        u = Unit.objects.create(key=app.unit(code, name).id, code=code, name=name, group=group)
        officers[i] = User.objects.create(username=f"u{code}", role=User.OFFICER, unit=u, must_change_password=False)
    province = User.objects.create(username="tinh_diff", role=User.PROVINCE, must_change_password=False)

    statuses = {}
    for i, files in uploads.items():
        c = client_for(officers[i])
        for path in files:
            r = c.post("/nop/", {"period": period.pk, "file": SimpleUploadedFile(path.name, path.read_bytes())})
            statuses.setdefault(i, []).append(r.status_code)
    refused = WRONG_PERIOD | UNREADABLE | NOT_LISTED | WORD | PASSWORD
    for i, codes in statuses.items():
        assert codes[-1] == (422 if i in refused else 302), i
    assert Submission.objects.filter(period=period, status="accepted").count() == N - len(NOT_SENT) - len(refused) + 1

    r = client_for(province).post("/tinh/tong-hop/", {"period": period.pk})
    assert r.status_code == 302
    run = MergeRun.objects.get(pk=int(r["Location"].split("/")[3]))
    json_bytes = b"".join(client_for(province).get(f"/tinh/tong-hop/{run.pk}/tai/json/").streaming_content)
    portal = json.loads(json_bytes)
    cli = _cli_merge(folder, units_csv, tmp_path)

    # Totals, ratios and every summary (sums, means, min, max, counts of flags and choices).
    assert portal["values"] == cli["values"]
    assert portal["ratios"] == cli["ratios"]
    assert portal["summaries"] == cli["summaries"]
    assert portal["info"] == cli["info"]
    assert portal["info"]["so_don_vi_tong_hop"] == N - len(NOT_SENT) - len(refused)
    # Every unit's state, and which file it merged.
    def units(doc):
        return {u["id"]: (u["status"], [(os.path.basename(f["path"]), f["status"]) for f in u["files"]])
                for u in doc["units"]}

    assert units(portal) == units(cli)
    # The refusals: the same files, the same states, the same reasons where the rule is the same.
    def files(doc):
        return sorted((os.path.basename(f["path"]), f["status"], f["unit"]) for f in doc["files"])

    assert files(portal) == files(cli)
    states = {os.path.basename(f["path"]): f["status"] for f in portal["files"]}
    assert {n for n, s in states.items() if s == "wrong_period"} == {"xa_03.xlsx", "xa_04.xlsx"}
    assert states["xa_07.xlsx"] == "unreadable" and states["xa_11.xlsx"] == "unreadable"
    assert states["xa_08.xlsx"] == "not_expected" and states["xa_09.docx"] == "skipped"
    cli_reasons = {os.path.basename(f["path"]): f["reason"].replace(str(folder) + os.sep, "") for f in cli["files"]}
    for f in portal["files"]:
        name = os.path.basename(f["path"])
        if f["status"] == "unreadable":
            assert f["reason"] == cli_reasons[name]
        if f["status"] == "wrong_period":
            assert "Tệp là báo cáo 6 tháng đầu năm 2025" not in f["reason"]  # named as the period field says
            assert "6 tháng năm 2025" in f["reason"] and "6 tháng năm 2025" in cli_reasons[name]

    # The consolidated workbook: the same totals and per-unit table, cell for cell.
    xlsx = b"".join(client_for(province).get(f"/tinh/tong-hop/{run.pk}/tai/xlsx/").streaming_content)
    mine = openpyxl.load_workbook(io.BytesIO(xlsx), read_only=True)
    theirs = openpyxl.load_workbook(tmp_path / "TONG_HOP.xlsx", read_only=True)
    assert mine.sheetnames == theirs.sheetnames
    for sheet in mine.sheetnames:
        a = [list(r) for r in mine[sheet].iter_rows(values_only=True)]
        b = [list(r) for r in theirs[sheet].iter_rows(values_only=True)]
        if sheet == "Tình hình nộp báo cáo":  # the reasons are worded for an upload (compared above)
            a, b = [r[:-1] for r in a], [r[:-1] for r in b]
        assert a == b, sheet
    assert run.merged == N - len(NOT_SENT) - len(refused) and run.expected == N
    assert run.has_report
    with zipfile.ZipFile(io.BytesIO(b"".join(
            client_for(province).get(f"/tinh/tong-hop/{run.pk}/tai/docx/").streaming_content))) as z:
        assert "word/document.xml" in z.namelist()


def test_the_merge_reads_the_submissions_in_one_query_however_many_were_refused(world, tmp_path):
    """Each refused upload (a .pdf, never read) is listed with its reason, from the one query
    that loads the submissions: no query per upload."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cchc.portal import services

    pdf = tmp_path / "bao_cao.pdf"
    pdf.write_bytes(b"%PDF-1.4")

    def queries_of_a_merge():
        with CaptureQueriesContext(connection) as q:
            services.merge_period(world.province, world.period)
        return len(q)

    assert upload(client_for(world.officer_a), world.period, pdf).status_code == 422
    one = queries_of_a_merge()
    for officer in (world.officer_b, world.officer_c):
        assert upload(client_for(officer), world.period, pdf).status_code == 422
    assert queries_of_a_merge() == one

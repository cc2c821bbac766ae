"""`cchc serve --verify` (cchc.portal.integrity): every submission's file intact by size and
SHA-256; a changed or missing file named; what a crash leaves (a file without its row, a
temporary file) counted, never taken for a record; temporary files removed at start."""

from __future__ import annotations

from .portal_helpers import client_for, upload


def test_verify_names_a_changed_or_missing_file(world, seed_workbook):
    from cchc.portal import integrity, store
    from cchc.portal.models import Submission

    r = upload(client_for(world.officer_a), world.period, seed_workbook)
    assert r.status_code == 302
    sub = Submission.objects.get(unit=world.a)
    rep = integrity.verify()
    assert rep.ok and (rep.submissions, rep.accepted, rep.files) == (1, 1, 1)
    assert rep.lines()[:2] == ["Đã kiểm tra 1 lần nộp (1 được nhận), 1 tệp đã nộp và 0 lần tổng hợp.",
                               "Mọi lần nộp đều có tệp nguyên vẹn (đúng dung lượng và mã SHA-256 đã ghi)."]
    path = store.received_path(sub.stored_name)
    original = path.read_bytes()
    try:
        path.write_bytes(original[:-1] + bytes([original[-1] ^ 1]))  # one bit, same size
        rep = integrity.verify()
        assert not rep.ok and len(rep.problems) == 1
        size = f"{len(original):,}".replace(",", ".")
        assert rep.problems[0] == (f"Lần nộp số {sub.pk} (UBND xã Đưng K’Nớ, lần 1): tệp {path} khác với lúc nhận "
                                   f"({size} byte, SHA-256 {integrity.sha256_of(path)[1][:12]}… thay vì {size} byte, "
                                   f"{sub.sha256[:12]}…).")
        assert rep.lines()[1] == "CÓ 1 VẤN ĐỀ:"
        path.unlink()
        rep = integrity.verify()
        assert rep.problems == [f"Lần nộp số {sub.pk} (UBND xã Đưng K’Nớ, lần 1): thiếu tệp {path}."]
    finally:
        path.write_bytes(original)
    assert integrity.verify().ok


def test_what_a_crash_leaves_is_counted_and_temporary_files_removed(world, seed_workbook):
    from cchc.portal import integrity, store

    folder = store.data_dir() / "files" / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    half = folder / ".~in-k3j2h1"  # a write cut before its rename
    half.write_bytes(b"PK\x03\x04 cut")
    orphan = folder / ("ab" + "0" * 30 + ".xlsx")  # renamed, but the row never committed
    orphan.write_bytes(seed_workbook.read_bytes())
    try:
        rep = integrity.verify()
        assert rep.ok  # neither is a record
        assert "ab/.~in-k3j2h1" in rep.temporary and f"ab/{orphan.name}" in rep.unrecorded
        assert f"ab/{orphan.name}" not in rep.temporary and "ab/.~in-k3j2h1" not in rep.unrecorded
        assert integrity.remove_temporary() >= 1
        assert not half.exists() and orphan.exists()  # a received file is never deleted
    finally:
        half.unlink(missing_ok=True)
        orphan.unlink(missing_ok=True)

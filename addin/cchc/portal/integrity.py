"""Is every record backed by its file? `cchc serve --verify`, after a crash, after a restore,
and in the load and fault tests.

A submission row is committed only after its file is on disk (store.write_atomic: temporary
name, fsync, rename, fsync of the folder), so after any crash every row must find its file
whole: same size, same SHA-256 as recorded. What a crash may leave is harmless and only
counted: a received file whose row was never committed (the sender got no success page) and
temporary files of writes cut short (`.~in-…`, never a name a row can point to). `cchc serve`
removes the temporary files when it starts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from cchc import app
from cchc.portal import store
from cchc.portal.models import MergeRun, Submission

TEMP_PREFIX = ".~in-"


@dataclass
class Report:
    submissions: int = 0
    accepted: int = 0
    files: int = 0
    merges: int = 0
    problems: list[str] = field(default_factory=list)
    unrecorded: list[str] = field(default_factory=list)  # received files without a row
    temporary: list[str] = field(default_factory=list)  # writes cut short

    @property
    def ok(self) -> bool:
        return not self.problems

    def lines(self) -> list[str]:
        n = app.format_number
        out = [f"Đã kiểm tra {n(self.submissions)} lần nộp ({n(self.accepted)} được nhận), {n(self.files)} tệp đã nộp "
               f"và {n(self.merges)} lần tổng hợp."]
        if self.ok:
            out.append("Mọi lần nộp đều có tệp nguyên vẹn (đúng dung lượng và mã SHA-256 đã ghi).")
        else:
            out.append(f"CÓ {n(len(self.problems))} VẤN ĐỀ:")
            out += ["  - " + p for p in self.problems]
        if self.unrecorded:
            out.append(f"{n(len(self.unrecorded))} tệp đã nhận nhưng chưa được ghi nhận (lần gửi bị ngắt trước khi "
                       "có trang kết quả; người gửi cần nộp lại; không ảnh hưởng dữ liệu).")
        if self.temporary:
            out.append(f"{n(len(self.temporary))} tệp tạm của lần ghi bị ngắt (xóa khi cổng khởi động lại).")
        return out


def sha256_of(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def verify() -> Report:
    rep = Report()
    known = set()
    rows = Submission.objects.order_by("id").values_list("id", "unit__name", "seq", "status", "stored_name", "size",
                                                         "sha256")
    for pk, unit, seq, status, stored, size, sha in rows.iterator(chunk_size=2000):
        rep.submissions += 1
        rep.accepted += status == Submission.ACCEPTED
        what = f"Lần nộp số {pk} ({unit}, lần {seq})"
        if not stored:
            if status == Submission.ACCEPTED:
                rep.problems.append(f"{what} được nhận nhưng không có tệp.")
            continue
        known.add(stored)
        try:
            path = store.received_path(stored)
        except FileNotFoundError:
            rep.problems.append(f"{what}: tên tệp lưu «{stored}» không hợp lệ.")
            continue
        if not path.is_file():
            rep.problems.append(f"{what}: thiếu tệp {path}.")
            continue
        rep.files += 1
        real_size, real_sha = sha256_of(path)
        if (real_size, real_sha) != (size, sha):
            rep.problems.append(f"{what}: tệp {path} khác với lúc nhận ({app.format_number(real_size)} byte, "
                                f"SHA-256 {real_sha[:12]}… thay vì {app.format_number(size)} byte, {sha[:12]}…).")
    for run in MergeRun.objects.order_by("id").only("id", "folder", "has_report"):
        rep.merges += 1
        names = ["TONG_HOP.xlsx", "TONG_HOP.json"] + (["TONG_HOP.docx"] if run.has_report else [])
        for name in names:
            try:
                path = store.merge_path(run.folder, name)
            except FileNotFoundError:
                rep.problems.append(f"Lần tổng hợp số {run.pk}: thư mục «{run.folder}» không hợp lệ.")
                break
            if not path.is_file():
                rep.problems.append(f"Lần tổng hợp số {run.pk}: thiếu tệp {path}.")
    files = store.data_dir() / "files"
    if files.is_dir():
        for path in sorted(files.glob("*/*")):
            rel = f"{path.parent.name}/{path.name}"
            if path.name.startswith(TEMP_PREFIX):
                rep.temporary.append(rel)
            elif rel not in known:
                rep.unrecorded.append(rel)
    return rep


def remove_temporary() -> int:
    """Remove what writes cut short left behind (at start, before any worker runs)."""
    removed = 0
    root = store.data_dir()
    for pattern in ("files/*/" + TEMP_PREFIX + "*", "derived/*/" + TEMP_PREFIX + "*", "tmp/*"):
        for path in root.glob(pattern):
            if path.is_file():
                path.unlink(missing_ok=True)
                removed += 1
    return removed

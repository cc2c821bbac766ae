"""Write outputs atomically: to a temporary file beside the target, then rename over it.

An officer never finds a half-written workbook or report, and a failure leaves the old file
intact.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from cchc.errors import CchcError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_write(target: str | Path):
    """Yield a temporary path; on success it replaces `target` in one rename."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.exists():
        raise CchcError(f"Thư mục để ghi kết quả không tồn tại: {directory}")
    fd, tmp = tempfile.mkstemp(prefix=".~cchc-", suffix=target.suffix, dir=directory)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; outputs get the usual permissions
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except PermissionError:
            raise CchcError(
                f"Không ghi được tệp {target}: tệp đang mở trong chương trình khác hoặc không có quyền ghi. "
                "Hãy đóng tệp rồi chạy lại."
            ) from None
    finally:
        tmp_path.unlink(missing_ok=True)

"""Files named by an officer: what an input must be, and the rule that an output never replaces
an input of the same command.

Every path cchc reads comes from outside (a command line, an Excel button, an upload) and may
be anything: a folder, a FIFO that blocks the first read forever, a device, a name that is not
valid UTF-8. `input_file` refuses all but a regular file, before anything is opened.
`refuse_overwriting` compares outputs with inputs as the file system sees them (the same file
through a symbolic or hard link, or under another spelling, is the same file). `shown` gives a
path or message that can be printed and written into a workbook, JSON or Word file whatever
bytes the file name holds.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Iterable

from cchc.errors import CchcError


def shown(text: object) -> str:
    """`text` (a path, a message naming one) as valid Unicode: bytes of a file name that are
    not UTF-8 (kept by Python as lone surrogates, which no UTF-8 writer accepts) become «�»."""
    s = os.fspath(text) if isinstance(text, os.PathLike) else str(text)
    try:
        s.encode("utf-8")
        return s
    except UnicodeEncodeError:
        pass
    try:  # the bytes of a file name, kept by the file-system encoding
        raw = s.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # other lone surrogates (e.g. "\ud800" in a JSON string)
        raw = s.encode("utf-8", "surrogatepass")
    return raw.decode("utf-8", "replace")


def _kind_of(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "một đường ống (FIFO)"
    if stat.S_ISSOCK(mode):
        return "một socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "một thiết bị"
    return "một tệp đặc biệt"


def input_file(path: str | Path, what: str = "tệp", *, max_bytes: int | None = None) -> Path:
    """`path` if it is a regular file that can be read (following links); else CchcError in
    Vietnamese. Nothing is opened: a FIFO or a device is refused without blocking on it."""
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise CchcError(f"Không tìm thấy {what} «{shown(p)}». Hãy kiểm tra lại đường dẫn.") from None
    except OSError as exc:
        raise CchcError(f"Không mở được {what} «{shown(p)}» ({os_reason(exc)}).") from None
    if stat.S_ISDIR(st.st_mode):
        raise CchcError(f"«{shown(p)}» là một thư mục, không phải {what}.")
    if not stat.S_ISREG(st.st_mode):
        raise CchcError(f"«{shown(p)}» là {_kind_of(st.st_mode)}, không phải {what} bình thường: cchc không đọc.")
    if max_bytes is not None and st.st_size > max_bytes:
        raise CchcError(f"{what[:1].upper()}{what[1:]} «{shown(p)}» quá lớn ({_mb(st.st_size)}); "
                        f"giới hạn là {_mb(max_bytes)}.")
    return p


def read_input(path: str | Path, what: str = "tệp", *, max_bytes: int) -> bytes:
    """The bytes of an input file, refused as `input_file` does. Opened without blocking and
    checked again on the open handle, so a file swapped for a FIFO in between cannot hang us."""
    p = Path(path)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(p, flags)
    except OSError:
        return _read_refused(p, what, max_bytes)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            os.close(fd)
            fd = -1
            return _read_refused(p, what, max_bytes)
        if st.st_size > max_bytes:
            raise CchcError(f"{what[:1].upper()}{what[1:]} «{shown(p)}» quá lớn ({_mb(st.st_size)}); "
                            f"giới hạn là {_mb(max_bytes)}.")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise CchcError(f"Không đọc được {what} «{shown(p)}» ({os_reason(exc)}).") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > max_bytes:
        raise CchcError(f"{what[:1].upper()}{what[1:]} «{shown(p)}» quá lớn; giới hạn là {_mb(max_bytes)}.")
    return data


def read_json_object(path: str | Path, what: str, *, max_bytes: int, hint: str = "") -> dict:
    """A JSON object from a file from outside, read as every input is (read_input: no FIFO, a
    bounded size): CchcError in Vietnamese when it is not UTF-8, not JSON, holds NaN or an
    infinity, nests too deep or is not an object. `hint` ends the messages about the content
    ("cần tệp do «cchc export» ghi ra")."""
    import json

    raw = read_input(path, what, max_bytes=max_bytes)
    head = f"{what[:1].upper()}{what[1:]} «{shown(path)}»"
    tail = f"; {hint}" if hint else ""

    def refuse_constant(name: str):
        raise ValueError(f"giá trị {name} không dùng được (cần một số thật)")

    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise CchcError(f"{head} không phải văn bản UTF-8; hãy lưu lại dạng UTF-8.") from None
    except json.JSONDecodeError as exc:
        raise CchcError(f"{head} không phải JSON hợp lệ: {exc.msg} (dòng {exc.lineno}, cột {exc.colno}){tail}.") from None
    except RecursionError:
        raise CchcError(f"{head} lồng nhau quá sâu, không phải số liệu của một báo cáo.") from None
    except ValueError as exc:  # NaN/Infinity, an integer of thousands of digits
        raise CchcError(f"{head} không dùng được: {exc}.") from None
    if not isinstance(data, dict):
        raise CchcError(f"{head} phải là một đối tượng JSON{tail}.")
    return data


def _read_refused(p: Path, what: str, max_bytes: int):
    """The message for a path that could not be opened as a regular file: input_file says
    why (missing, a folder, a FIFO…), else the system's reason."""
    input_file(p, what, max_bytes=max_bytes)
    raise CchcError(f"Không mở được {what} «{shown(p)}».")


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, in Vietnamese, from the error the system gave."""
    import errno

    reasons = {
        errno.EACCES: "không có quyền truy cập",
        errno.EPERM: "không được phép",
        errno.ENOSPC: "ổ đĩa đã đầy",
        errno.EROFS: "ổ đĩa chỉ cho đọc",
        errno.ENOENT: "không tồn tại",
        errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
        errno.EISDIR: "là một thư mục",
        errno.ENAMETOOLONG: "tên quá dài",
        errno.EBUSY: "đang bị chương trình khác dùng",
        errno.EXDEV: "không chuyển được sang ổ đĩa khác",
    }
    if isinstance(exc, PermissionError) and exc.errno not in reasons:
        return "không có quyền truy cập"
    return reasons.get(exc.errno, f"lỗi hệ thống: {exc.strerror or type(exc).__name__}")


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when `a` and `b` are one file: through links (symbolic or hard), `..`, or case on a
    file system that ignores it. Paths that do not exist yet compare by their resolved form."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        pass
    try:
        ra, rb = os.path.realpath(a), os.path.realpath(b)
    except (OSError, ValueError):
        return False
    return os.path.normcase(ra) == os.path.normcase(rb)


def refuse_overwriting(outputs: Iterable[str | Path | None], inputs: Iterable[str | Path | None]) -> None:
    """CchcError (exit 2) when an output is one of the inputs of the same command, or is not a
    file that can be replaced (a folder, a device such as /dev/null, a FIFO)."""
    ins = [Path(i) for i in inputs if i]
    for out in (Path(o) for o in outputs if o):
        for inp in ins:
            if same_file(out, inp):
                raise CchcError(
                    f"Tệp kết quả «{shown(out)}» chính là tệp đầu vào «{shown(inp)}» của lệnh này: cchc không "
                    "bao giờ ghi đè tệp đầu vào. Hãy chọn tên khác cho tệp kết quả (-o).")
        refuse_special_output(out)


def refuse_special_output(out: Path) -> None:
    """An output that exists must be a regular file (or a link to one): os.replace over a
    device or a FIFO would put a regular file in its place."""
    try:
        st = out.stat()
    except OSError:
        return
    if stat.S_ISDIR(st.st_mode):
        return  # a folder to write into (the report's -o accepts one)
    if not stat.S_ISREG(st.st_mode):
        raise CchcError(f"Không ghi kết quả vào «{shown(out)}»: đó là {_kind_of(st.st_mode)}, "
                        "không phải tệp bình thường. Hãy chọn một tên tệp.")


__all__ = ["shown", "input_file", "read_input", "os_reason", "same_file", "refuse_overwriting", "refuse_special_output"]

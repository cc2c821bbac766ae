"""Write outputs atomically: to a temporary file beside the target, then rename over it.

An officer never finds a half-written workbook or report, and a failure leaves the old file
intact. The temporary file is removed on every way out that Python sees (an error, Ctrl+C,
SIGTERM: `cchc.cli` turns it into an exit). A process killed outright (SIGKILL, power cut)
cannot clean up: its temporary file carries its process id (".~cchc-<pid>-….xlsx"), and the
next write into the same folder removes the leftovers of processes that no longer run.
New files get the usual permissions (0666 less the umask), as any program's would.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
from pathlib import Path

from cchc.errors import CchcError
from cchc.files import os_reason, refuse_special_output, shown

TEMP_PREFIX = ".~cchc-"
# A leftover is removed once its process is gone and it is older than this (a write in
# progress in another container, whose process ids we cannot see, finishes well within it).
_STALE_AFTER_S = 60.0
# Where a process cannot be asked about (Windows), only age tells a leftover.
_STALE_ANYWAY_S = 24 * 3600.0
_TEMP_NAME = re.compile(re.escape(TEMP_PREFIX) + r"(\d+)-")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def normal_mode(path: str | Path) -> None:
    """Give a file made by mkstemp (0600) the permissions of a new file (0666 less the umask),
    so a web server or a colleague can read a report written for them."""
    os.chmod(path, 0o666 & ~_umask())


@contextlib.contextmanager
def _signals_held():
    """Ctrl+C and SIGTERM wait until the block ends, then act as they would have (Python runs
    signal handlers in the main thread whichever thread the signal reached, so only the
    handlers themselves can hold them)."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []
    held = [s for s in (signal.SIGINT, getattr(signal, "SIGTERM", None)) if s is not None]
    old = {s: signal.signal(s, lambda signum, frame: pending.append(signum)) for s in held}
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
        for s in pending[:1]:
            handler = old[s]
            if callable(handler):
                handler(s, None)
            elif handler == signal.SIG_DFL:
                signal.raise_signal(s)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # EPERM: it exists, owned by someone else
        return True
    return True


def sweep_leftovers(directory: str | Path) -> list[Path]:
    """Remove the temporary files that killed cchc processes left in `directory`; return them."""
    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(TEMP_PREFIX):
            continue
        m = _TEMP_NAME.match(entry.name)
        try:
            if not entry.is_file(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        stale = age > _STALE_ANYWAY_S or (
            m is not None and int(m.group(1)) != os.getpid() and age > _STALE_AFTER_S and not _alive(int(m.group(1))))
        if stale:
            try:
                os.unlink(entry.path)
                removed.append(Path(entry.path))
            except OSError:
                pass
    return removed


class OutputLocked(CchcError):
    """The final rename was refused: the target is open in another program (Windows) or
    cannot be replaced. The report writer then takes the next free name."""


@contextlib.contextmanager
def atomic_write(target: str | Path):
    """Yield a temporary path; on success it replaces `target` in one rename."""
    target = Path(target)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise CchcError(f"Thư mục để ghi kết quả không tồn tại: {shown(directory)}")
    refuse_special_output(target)
    if target.is_dir():
        raise CchcError(f"Không ghi được «{shown(target)}»: đó là một thư mục. Hãy chọn một tên tệp.")
    sweep_leftovers(directory)
    tmp_path: Path | None = None
    try:
        with _signals_held():  # Ctrl+C or SIGTERM between creating the file and knowing its name
            try:
                fd, tmp = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{os.getpid()}-", suffix=target.suffix,
                                           dir=directory)
            except OSError as exc:
                raise CchcError(f"Không ghi được vào thư mục «{shown(directory)}» ({os_reason(exc)}). "
                                "Hãy chọn thư mục khác cho tệp kết quả.") from None
            os.close(fd)
            tmp_path = Path(tmp)
        normal_mode(tmp_path)
        yield tmp_path
        try:
            os.replace(tmp_path, target)
        except PermissionError:
            raise OutputLocked(
                f"Không ghi được tệp {shown(target)}: tệp đang mở trong chương trình khác hoặc không có quyền ghi. "
                "Hãy đóng tệp rồi chạy lại."
            ) from None
        except OSError as exc:
            raise CchcError(f"Không ghi được tệp {shown(target)} ({os_reason(exc)}).") from None
    except OSError as exc:  # writing the temporary file: a full disk, a quota
        raise CchcError(f"Không ghi được tệp {shown(target)} ({os_reason(exc)}).") from None
    finally:
        if tmp_path is not None:
            tmp_path.unlink(missing_ok=True)


def write_bytes_atomic(target: str | Path, payload: bytes) -> Path:
    """`payload` written to `target` through atomic_write, flushed to disk before the rename."""
    with atomic_write(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
    return Path(target)

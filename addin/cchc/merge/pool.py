"""Reading many files in worker processes that no single file can take down.

A file from outside can make a reader abort the process (a Rust allocation failure is SIGABRT,
not an exception), loop, or swell. multiprocessing.Pool loses the task of a dead worker and
waits for it forever; concurrent.futures breaks the whole pool. Here each worker gets a chunk
of paths and sends back one FileRecord per file as soon as it is read, so the parent always
knows which file a worker is on:

- a worker that dies (any signal, any exit) refuses the file it was on, with a Vietnamese
  reason (the limits check of cchc.workbook.raw says exactly what is wrong when it can), and
  a new worker takes the rest of its chunk;
- a worker that spends more than `file_timeout` seconds on one file is killed, the same way;
- on Linux each worker may not grow by more than WORKER_MEMORY (so a runaway read fails in
  that worker instead of drawing the machine into swap or the OOM killer).

Every good file is still read and merged. Workers are forked where the platform allows it (no
re-import), spawned elsewhere (Windows).
"""

from __future__ import annotations

import os
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable

from cchc.files import shown
from cchc.isolate import limit_memory, seconds_from_env
from cchc.merge.records import FileRecord

# Seconds one file may take in a worker (~10 ms is usual; a workbook at the limits takes ~1 s).
FILE_SECONDS = 20.0
# How much a worker may grow beyond what it inherited (Linux: RLIMIT_AS).
WORKER_MEMORY = 2 * 1024**3
CHUNK = 16


def file_seconds() -> float:
    """The per-file limit: CCHC_MERGE_FILE_SECONDS if set (a slow machine, a test), else FILE_SECONDS."""
    return seconds_from_env("CCHC_MERGE_FILE_SECONDS", FILE_SECONDS)


def _serve(conn, memory: int) -> None:
    """A worker: read each chunk of paths it is sent, one FileRecord back per file."""
    import signal

    from cchc.merge.worker import read_one

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    limit_memory(memory)
    if not os.environ.get("CCHC_DEBUG"):
        _quiet()
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return
        if chunk is None:
            return
        for path in chunk:
            conn.send(read_one(path))


def _quiet() -> None:
    """A reader that aborts prints its own last words (Rust's "memory allocation of … failed",
    a backtrace) on stderr: the officer gets the file's reason instead, in the summary."""
    try:
        import faulthandler

        faulthandler.disable()  # a test runner's, inherited through fork
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass


def _preload_reader() -> None:
    """Import what workers run before forking them: a worker forked later (to replace one that
    died) then needs no import while another thread of the parent may be importing."""
    import cchc.checks  # noqa: F401
    import cchc.merge.worker  # noqa: F401
    import cchc.workbook.raw  # noqa: F401
    import cchc.workbook.reader  # noqa: F401
    import python_calamine  # noqa: F401


@dataclass(eq=False)
class _Worker:
    process: object
    conn: object
    chunk: list[str] = field(default_factory=list)
    done: int = 0
    since: float = 0.0

    @property
    def busy(self) -> bool:
        return self.done < len(self.chunk)


def _died(path: str, how: str) -> FileRecord:
    from cchc.workbook.raw import check_bounds

    try:
        why = check_bounds(path)
    except Exception:  # the diagnosis must not fail the merge either
        why = None
    if not why:
        why = (f"Không đọc được tệp «{path}»: {how}. Tệp có thể bị hỏng hoặc được tạo ra để gây lỗi; "
               "hãy mở bằng Excel, lưu lại rồi gửi lại.")
    rec = FileRecord(path=shown(path), error=shown(why))
    try:
        st = os.stat(path)
        rec.size, rec.mtime = st.st_size, st.st_mtime
    except OSError:
        pass
    return rec


def _signal_text(exitcode: int | None) -> str:
    if exitcode is None or exitcode >= 0:
        return f"chương trình đọc tệp dừng đột ngột (mã thoát {exitcode})"
    import signal

    try:
        name = signal.Signals(-exitcode).name
    except ValueError:
        name = str(-exitcode)
    return f"chương trình đọc tệp bị dừng đột ngột (tín hiệu {name})"


def read_isolated(paths: list[str], workers: int, *, file_timeout: float | None = None,
                  progress: Callable[[int], None] | None = None,
                  started: Callable[[], None] | None = None) -> list[FileRecord]:
    """FileRecords of `paths` (in no particular order), read by up to `workers` processes.
    `started` runs in the parent once the first workers are up (e.g. to import what comes next)."""
    import multiprocessing as mp
    from multiprocessing.connection import wait

    timeout = file_timeout or file_seconds()
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    ctx = mp.get_context(method)
    if method == "fork":
        _preload_reader()
    queue = deque(paths)
    out: list[FileRecord] = []
    pool: list[_Worker] = []

    def start() -> _Worker:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_serve, args=(child, WORKER_MEMORY), daemon=True)
        proc.start()
        child.close()
        return _Worker(proc, parent)

    def dispatch(w: _Worker) -> None:
        size = max(1, min(CHUNK, len(queue) // (2 * len(pool))))
        w.chunk = [queue.popleft() for _ in range(min(size, len(queue)))]
        w.done, w.since = 0, time.monotonic()
        w.conn.send(w.chunk)

    def replace(w: _Worker, how: str) -> None:
        """`w` is gone on its current file: refuse that file, give the rest back, start anew."""
        culprit = w.chunk[w.done]
        queue.extendleft(reversed(w.chunk[w.done + 1:]))
        w.conn.close()
        w.process.join(timeout=5)
        out.append(_died(culprit, how))
        if progress:
            progress(1)
        pool[next(i for i, x in enumerate(pool) if x is w)] = start()

    try:
        for _ in range(max(1, min(workers, len(paths)))):
            pool.append(start())
        if started:
            started()
        while queue or any(w.busy for w in pool):
            for w in pool:
                if not w.busy and queue:
                    dispatch(w)
            busy = [w for w in pool if w.busy]
            now = time.monotonic()
            wait_for = max(0.05, min(w.since + timeout - now for w in busy))
            wait([x for w in busy for x in (w.conn, w.process.sentinel)], timeout=wait_for)
            for w in busy:
                try:
                    while w.busy and w.conn.poll():
                        out.append(w.conn.recv())
                        w.done += 1
                        w.since = time.monotonic()
                        if progress:
                            progress(1)
                except (EOFError, OSError):
                    pass
                if not w.busy:
                    continue
                if not w.process.is_alive():
                    replace(w, _signal_text(w.process.exitcode))
                elif time.monotonic() - w.since > timeout:
                    w.process.kill()
                    seconds = f"{timeout:g}".replace(".", ",")
                    replace(w, f"đọc tệp mất hơn {seconds} giây (giới hạn cho một tệp) nên đã dừng")
    finally:
        for w in pool:
            try:
                w.conn.send(None)
            except (OSError, ValueError):
                pass
        for w in pool:
            w.process.join(timeout=2)
            if w.process.is_alive():
                w.process.kill()
                w.process.join(timeout=2)
            w.conn.close()
    return out


__all__ = ["read_isolated", "FILE_SECONDS", "WORKER_MEMORY", "file_seconds"]

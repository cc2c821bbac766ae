"""Run one piece of work on something from outside in a child process, with a time and memory
limit: a province's Word template, whose Jinja code is a program (loops, arithmetic) that no
sandbox bounds completely.

    payload = run_isolated(render, (path, context), seconds=10, what="Mẫu Word «x.docx»")

The child is forked where the platform allows it (nothing is pickled on the way in, no module
is imported again), spawned elsewhere (Windows: `fn` and `args` must then be picklable). The
result comes back through a pipe. A CchcError in the child comes back as the same message; a
child that runs out of time is killed, one that dies or runs out of memory is reported, each in
Vietnamese, as a CchcError (exit 2).
"""

from __future__ import annotations

import os
from typing import Any, Callable

from cchc.errors import CchcError

# How much a child may grow beyond what it inherited (Linux: RLIMIT_AS).
CHILD_MEMORY = 1024**3


class LimitReached(CchcError):
    """The child ran out of time or memory, or died: the work itself is what is wrong."""


def limit_memory(extra: int) -> None:
    """Let this process grow by at most `extra` bytes of address space (Linux; elsewhere a
    no-op): a runaway allocation then fails here instead of swapping the machine."""
    try:
        import resource

        with open("/proc/self/statm") as fh:
            size = int(fh.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        want = size + extra
        if hard == resource.RLIM_INFINITY or want < hard:
            resource.setrlimit(resource.RLIMIT_AS, (want, hard))
    except (ImportError, OSError, ValueError, AttributeError):
        pass


def seconds_from_env(name: str, default: float) -> float:
    """A time limit, from the environment variable `name` when set (a slow machine, a test)."""
    try:
        return max(0.5, float(os.environ.get(name, default)))
    except ValueError:
        return default


def _child(conn, fn: Callable, args: tuple, memory: int) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    limit_memory(memory)
    try:
        out = ("ok", fn(*args))
    except CchcError as exc:
        out = ("cchc", exc.message)
    except MemoryError:
        out = ("memory", "")
    except RecursionError:
        out = ("error", "lồng nhau quá sâu (một macro hoặc vòng lặp tự gọi lại chính nó)")
    except BaseException as exc:  # anything else the work raised: said, not a traceback
        out = ("error", f"lỗi không mong đợi ({type(exc).__name__}: {str(exc)[:300]})")
    try:
        conn.send(out)
    except MemoryError:
        conn.send(("memory", ""))
    finally:
        conn.close()


def run_isolated(fn: Callable, args: tuple, *, seconds: float, what: str, memory: int = CHILD_MEMORY) -> Any:
    """`fn(*args)` in a child process. `what` starts the messages ("Mẫu Word «x.docx»")."""
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    ctx = mp.get_context(method)
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(child, fn, args, memory), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(seconds):
            proc.kill()
            raise LimitReached(f"{what}: việc xử lý chạy quá {_s(seconds)} giây nên đã dừng (nghi là có vòng lặp "
                            "hoặc phép tính quá lớn). Hãy kiểm tra các thẻ {% for %} và {{ … }} trong mẫu.")
        try:
            kind, value = parent.recv()
        except (EOFError, OSError):
            proc.join(timeout=5)
            raise LimitReached(f"{what}: việc xử lý bị dừng đột ngột (mã {proc.exitcode}); "
                            "mẫu có thể bị hỏng hoặc được tạo ra để gây lỗi.") from None
    finally:
        parent.close()
        proc.join(timeout=5)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=5)
    if kind == "ok":
        return value
    if kind == "memory":
        raise LimitReached(f"{what}: việc xử lý cần quá nhiều bộ nhớ (hơn {memory // 1024**2} MB) nên đã dừng "
                        "(nghi là có vòng lặp hoặc phép tính tạo ra văn bản quá lớn).")
    raise CchcError(value if kind == "cchc" else f"{what}: {value}.")


def _s(x: float) -> str:
    return f"{x:g}".replace(".", ",")


__all__ = ["run_isolated", "LimitReached", "limit_memory", "seconds_from_env", "CHILD_MEMORY"]

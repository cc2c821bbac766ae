"""The Jinja environment every Word template is rendered in: sandboxed and bounded.

Jinja's own sandbox keeps a template away from Python's internals and bounds `range`, but
arithmetic, repetition and filters are unbounded: `{{ 10**(10**10) }}`, `{{ "x" * 10**9 }}`,
`{{ "x"|center(10**9) }}` or nested loops hang or exhaust memory, some already while the
template is parsed (Jinja computes constant expressions at compile time). Here:

- `**`, `*`, `+`, `%` and `//` are intercepted: whole numbers stay under MAX_INT_BITS, text
  and lists under MAX_TEXT characters or items;
- every whole-number argument of a filter or a method (a width, a count) is at most MAX_ARG,
  and no filter or method returns more than MAX_TEXT characters or items;
- `range` gives at most MAX_ITEMS items, and all ranges of one render MAX_STEPS items together
  (nested loops);
- a format string asking for a width or precision above MAX_ARG is refused.

A refusal is a jinja2 SecurityError with a Vietnamese message. What a sandbox cannot bound
(text doubled in a loop with `~`, say) is left to the time and memory limits of the child
process a template from outside is rendered in (cchc.report.render, cchc.isolate).
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_TEXT = 1_000_000  # characters (or items) one expression may produce
MAX_ITEMS = 10_000  # items one range may produce
MAX_STEPS = 200_000  # items all ranges of one render may produce together
MAX_INT_BITS = 4_096  # about 1.200 decimal digits
MAX_ARG = 100_000  # a whole-number argument of a filter or method
_BIG_FORMAT = re.compile(r"\d{6,}")  # a width or precision of 100.000 or more


class TemplateTooCostly(SecurityError):
    """A template asked for more than a report can hold."""


def _refuse(what: str) -> TemplateTooCostly:
    return TemplateTooCostly(f"mẫu yêu cầu {what}, vượt giới hạn an toàn khi điền mẫu")


def _size(v: Any) -> int:
    if isinstance(v, (str, bytes, list, tuple, dict, set)):
        return len(v)
    return 0


def _check_result(v: Any) -> Any:
    if isinstance(v, bool):
        return v
    if isinstance(v, int) and v.bit_length() > MAX_INT_BITS:
        raise _refuse("một số quá lớn")
    if _size(v) > MAX_TEXT:
        raise _refuse("một đoạn văn bản hoặc danh sách quá dài")
    return v


def _check_args(args: tuple, kwargs: dict) -> None:
    for a in (*args, *kwargs.values()):
        if isinstance(a, int) and not isinstance(a, bool) and abs(a) > MAX_ARG:
            raise _refuse(f"một tham số quá lớn ({a if a.bit_length() < 64 else 'rất lớn'})")


def _bounded_filter(f):
    """`f` with its parameters (not the value it filters, which is the report's data) and its
    result held to the limits."""
    skip = 2 if getattr(f, "jinja_pass_arg", None) is not None else 1  # context, then the value
    is_format = getattr(f, "__name__", "") == "do_format"

    @functools.wraps(f)  # keeps jinja_pass_arg (pass_context …), so Jinja calls it the same way
    def wrapper(*args, **kwargs):
        _check_args(args[skip:], kwargs)
        if is_format and args and isinstance(args[skip - 1], str) and _BIG_FORMAT.search(args[skip - 1]):
            raise _refuse("một độ rộng định dạng quá lớn")
        return _check_result(f(*args, **kwargs))

    return wrapper


class _Range:
    """A range that counts its items against the render's budget as they are used."""

    def __init__(self, env: BoundedSandbox, rng: range):
        self._env, self._rng = env, rng

    def __len__(self) -> int:
        return len(self._rng)

    def __getitem__(self, i):
        return self._rng[i]

    def __contains__(self, x) -> bool:
        return x in self._rng

    def __iter__(self):
        for i in self._rng:
            self._env.step()
            yield i

    def __repr__(self) -> str:
        return repr(self._rng)


def _int_bits(x: Any) -> float:
    if isinstance(x, bool):
        return 1
    if isinstance(x, int):
        return x.bit_length()
    if isinstance(x, float) and math.isfinite(x) and x != 0:
        return max(1.0, math.log2(abs(x)))
    return 1


class BoundedSandbox(SandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "+", "%", "//"})

    def __init__(self, **kwargs: Any):
        kwargs.setdefault("autoescape", True)
        super().__init__(**kwargs)
        self.steps = 0
        self.globals["range"] = self.bounded_range
        self.filters = {name: _bounded_filter(f) for name, f in self.filters.items()}

    # ------------------------------------------------------------------ loops
    def step(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise _refuse(f"hơn {MAX_STEPS:,} vòng lặp".replace(",", "."))

    def bounded_range(self, *args: Any) -> _Range:
        _check_args(args, {})
        rng = range(*args)
        if len(rng) > MAX_ITEMS:
            raise _refuse(f"một dãy số (range) hơn {MAX_ITEMS:,} phần tử".replace(",", "."))
        return _Range(self, rng)

    # ------------------------------------------------------------------ operators
    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**":
            if isinstance(right, (int, float)) and not isinstance(right, bool):
                base = _int_bits(left)
                if abs(right) > MAX_INT_BITS or (base > 1 and right * base > MAX_INT_BITS):
                    raise _refuse("một lũy thừa quá lớn")
        elif operator == "*":
            n = right if _size(left) else left if _size(right) else None
            if isinstance(n, int) and not isinstance(n, bool):
                if max(_size(left), _size(right)) * n > MAX_TEXT:
                    raise _refuse("lặp lại một đoạn văn bản hoặc danh sách quá nhiều lần")
            elif _int_bits(left) + _int_bits(right) > MAX_INT_BITS:
                raise _refuse("một tích quá lớn")
        elif operator == "+":
            if _size(left) + _size(right) > MAX_TEXT:
                raise _refuse("một đoạn văn bản hoặc danh sách quá dài")
        elif operator == "%" and isinstance(left, str) and _BIG_FORMAT.search(left):
            raise _refuse("một độ rộng định dạng quá lớn")
        try:
            out = super().call_binop(context, operator, left, right)
        except OverflowError:
            raise _refuse("một số quá lớn") from None
        return _check_result(out)

    # ------------------------------------------------------------------ calls
    def call(__self, __context, __obj, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's signature
        _check_args(args, kwargs)
        return _check_result(SandboxedEnvironment.call(__self, __context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any):
        f_self = getattr(value, "__self__", None)
        if isinstance(f_self, str) and _BIG_FORMAT.search(f_self):
            raise _refuse("một độ rộng định dạng quá lớn")
        return super().wrap_str_format(value)


__all__ = ["BoundedSandbox", "TemplateTooCostly", "MAX_TEXT", "MAX_ITEMS", "MAX_STEPS", "MAX_INT_BITS", "MAX_ARG"]

"""Which unit a report is about: its 5-digit administrative code, else its name compared as a
person would.

Names are compared after Unicode NFC, case, apostrophe ("K'Nớ" = "K’Nớ") and tone-mark
placement ("Hòa" = "Hoà", but "Hóa" stays different) normalisation, without the "UBND" /
"Ủy ban nhân dân" prefix. The merge matches files to its list of units with these keys
(cchc.merge.units); the periods of one unit are recognised by them (`same_unit`).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from cchc.errors import CchcError
from cchc.workbook.values import fold, norm_text

_PREFIXES = (("ubnd",), ("uy", "ban", "nhan", "dan"))
_LEVELS = (("xa",), ("phuong",), ("thi", "tran"), ("dac", "khu"), ("thi", "xa"), ("huyen",),
           ("thanh", "pho"), ("tp",), ("tp.",))
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def norm_code(v) -> str | None:
    """"5014", 5014, " 05014 " → "05014"; anything not 1–5 digits → None."""
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    s = str(v).strip()
    return s.zfill(5) if re.fullmatch(r"\d{1,5}", s) else None


def tone_words(name) -> list[str]:
    """Words with the tone mark moved to the end of each word: "Hòa" and "Hoà" both give
    "hoa\u0300", while "Hóa" stays different. NFC, case and apostrophes normalised."""
    t = unicodedata.normalize("NFD", norm_text(name or "").casefold())
    out = []
    for w in t.split():
        tones = "".join(ch for ch in w if ch in _TONES)
        out.append(unicodedata.normalize("NFC", "".join(ch for ch in w if ch not in _TONES)) + tones)
    return out


def _drop(words: list[str], folded: list[str], heads) -> tuple[list[str], list[str]]:
    for head in heads:
        if tuple(folded[: len(head)]) == head and len(folded) > len(head):
            return words[len(head):], folded[len(head):]
    return words, folded


def name_keys(name) -> tuple[str, str, str, str]:
    """Keys from strict to loose: (with tones, with tones and no level word, folded, folded
    and no level word). "UBND xã Đưng K’Nớ" → (…, "đưng k'nớ", "xa dung k'no", "dung k'no")."""
    words = tone_words(name)
    folded = fold(name or "").split()
    words, folded = _drop(words, folded, _PREFIXES)
    bare_w, bare_f = _drop(words, folded, _LEVELS)
    return " ".join(words), " ".join(bare_w), " ".join(folded), " ".join(bare_f)


def name_key(name) -> str:
    return name_keys(name)[0]


def same_unit(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Whether two reports' general information («ma_dvhc», «don_vi») name the same unit: by
    the codes when both have one, else by the names (tones kept, the "UBND" prefix dropped).
    A side that names no unit at all (a province total) is not told apart."""
    code_a, code_b = norm_code(a.get("ma_dvhc")), norm_code(b.get("ma_dvhc"))
    if code_a and code_b:
        return code_a == code_b
    name_a, name_b = str(a.get("don_vi") or "").strip(), str(b.get("don_vi") or "").strip()
    if not name_a or not name_b:
        return True
    return name_keys(name_a)[0] == name_keys(name_b)[0]


def file_name(data) -> str:
    """The name a report (ReportData) goes by in a message: its file's name."""
    return Path(str(data.source or "")).name or "(không rõ tệp)"


def _unit(info: dict[str, Any]) -> str:
    name = str(info.get("don_vi") or "").strip() or "không rõ tên"
    code = str(info.get("ma_dvhc") or "").strip()
    return f"{name}{f', mã {code}' if code else ''}"


def require_same_unit(current, other, catalogue_id: str, *, what: str) -> None:
    """Refuse (CchcError) a report (ReportData) of another kind or unit than `current`. `what`
    names the use in the message ("đối chiếu", "so sánh", "cộng dồn")."""
    mine, theirs = file_name(current), file_name(other)
    if (other.kind or catalogue_id) != catalogue_id:
        raise CchcError(f"Tệp «{theirs}» là loại báo cáo «{other.kind}», khác loại với tệp «{mine}» "
                        f"(«{catalogue_id}»): chỉ {what} các báo cáo cùng một loại.")
    if not same_unit(current.info, other.info):
        raise CchcError(f"Tệp «{theirs}» là báo cáo của {_unit(other.info)}, khác đơn vị của tệp «{mine}» "
                        f"({_unit(current.info)}): chỉ {what} các báo cáo của cùng một đơn vị.")


__all__ = ["norm_code", "tone_words", "name_keys", "name_key", "same_unit", "file_name", "require_same_unit"]

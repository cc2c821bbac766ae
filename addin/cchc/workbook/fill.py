"""Fill a template from plain data (the inverse of the reader), with openpyxl.

`fill_workbook(template, data, out)` writes values by defined name. `data` has the shape of
`cchc export` (info, values, notes, narrative, auto_sentences); missing keys are left as they
are, unknown codes are refused so a typo never disappears silently. Flags and choices are
written as the labels the dropdowns show.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

from cchc.atomic import atomic_write
from cchc.catalogue import Catalogue, Row
from cchc.cells import MAX_CELL_TEXT, write_value
from cchc.errors import CchcError
from cchc.files import same_file, shown
from cchc.numbers import format_number
from cchc.workbook import style as S
from cchc.workbook.raw import parse_name_ref
from cchc.workbook.rows import fit_rows

# Beyond any figure a report holds; Excel itself keeps 15 significant digits.
_MAX_NUMBER = 1e15
# JSON's scalars; dates too, as callers in Python (the roll-up) hand them over.
_SCALAR = (str, int, float, bool, type(None), dt.date)


def _cell(wb, name: str, source: str):
    dn = wb.defined_names.get(name)
    ref = parse_name_ref(dn.attr_text) if dn is not None else None
    if ref is None or ref.sheet not in wb.sheetnames:
        raise CchcError(f"Tệp mẫu «{source}» không có ô mang tên {name}. Hãy dùng biểu mẫu chuẩn (cchc template).")
    ws = wb[ref.sheet]
    return ws, ref


def _indicator_value(row: Row, v: Any) -> Any:
    if v is None or row.type not in ("flag", "choice"):
        return v
    label = row.choice_label(int(v)) if isinstance(v, (int, float)) and float(v).is_integer() else ""
    return label or v  # an unknown code is written as is, so the checks can point at it


def _date(v: Any) -> Any:
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v[:10])
        except ValueError:
            return v
    return v


def _kind_of(v: Any) -> str:
    if isinstance(v, dict):
        return "một đối tượng JSON ({…})"
    if isinstance(v, (list, tuple)):
        return "một danh sách JSON ([…])"
    if isinstance(v, str):
        return "một chuỗi"
    return f"«{v}»"


class _Problems(list):
    def need(self, ok: bool, where: str, what: str) -> bool:
        if not ok:
            self.append(f"{where}: {what}")
        return ok

    def mapping(self, v: Any, where: str) -> bool:
        return v is None or self.need(isinstance(v, dict), where, f"là {_kind_of(v)}; cần một đối tượng JSON ({{…}})")

    def scalar(self, v: Any, where: str, *, text_only: bool = False) -> None:
        if not self.need(isinstance(v, _SCALAR), where,
                         f"là {_kind_of(v)}; cần {'một chuỗi' if text_only else 'một số, một chuỗi'} hoặc null"):
            return
        if isinstance(v, float) and not math.isfinite(v):
            self.append(f"{where}: không phải một số (NaN hoặc vô cùng)")
        elif isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= _MAX_NUMBER:
            self.append(f"{where}: số quá lớn (từ 10^15 trở lên)")
        elif isinstance(v, str) and len(v) > MAX_CELL_TEXT:
            self.append(f"{where}: dài {format_number(len(v))} ký tự, vượt giới hạn {format_number(MAX_CELL_TEXT)} "
                        "ký tự của một ô Excel; hãy rút gọn (Excel sẽ cắt mất phần thừa)")


def check_fill_data(data: Any, catalogue: Catalogue) -> list[str]:
    """What in `data` (the shape `cchc export` gives) cannot be written into the workbook, as
    Vietnamese lines naming the key: wrong types, lists where one value goes, text longer than
    a cell holds, NaN. Unknown codes are `fill_workbook`'s to refuse."""
    out = _Problems()
    if not out.need(isinstance(data, dict), "Tệp số liệu", f"là {_kind_of(data)}; cần một đối tượng JSON "
                                                          "(info, values, narrative…)"):
        return out
    lists = {f.key for f in catalogue.info if f.type == "list"}
    info = data.get("info")
    if out.mapping(info, "info"):
        for key, v in (info or {}).items():
            where = f"info.{key}"
            if key in lists:
                if v is None:
                    continue
                if out.need(isinstance(v, list), where, f"là {_kind_of(v)}; cần một danh sách (mỗi dòng một phần tử, "
                                                        'ví dụ ["Luật …", "Nghị định …"])'):
                    for i, item in enumerate(v):
                        out.scalar(item, f"{where}[{i}]")
            else:
                out.scalar(v, where)
    for section in ("values", "notes"):
        block = data.get(section)
        if out.mapping(block, section):
            for form_id, vals in (block or {}).items():
                if out.mapping(vals, f"{section}.{form_id}"):
                    for code, v in (vals or {}).items():
                        out.scalar(v, f"{section}.{form_id}.{code}")
    texts = data.get("texts")
    if out.mapping(texts, "texts"):
        for form_id, by_code in (texts or {}).items():
            if out.mapping(by_code, f"texts.{form_id}"):
                for code, by_key in (by_code or {}).items():
                    if out.mapping(by_key, f"texts.{form_id}.{code}"):
                        for key, v in (by_key or {}).items():
                            out.scalar(v, f"texts.{form_id}.{code}.{key}", text_only=True)
    narrative = data.get("narrative")
    if out.mapping(narrative, "narrative"):
        for key, v in (narrative or {}).items():
            out.scalar(v, f"narrative.{key}", text_only=True)
    switches = data.get("auto_sentences")
    if out.mapping(switches, "auto_sentences"):
        for key, v in (switches or {}).items():
            out.need(isinstance(v, (bool, int, type(None))) and not isinstance(v, float), f"auto_sentences.{key}",
                     f"là {_kind_of(v)}; cần true hoặc false")
    return out


def fill_workbook(template: str | Path, data: dict[str, Any], out: str | Path, catalogue: Catalogue) -> Path:
    from openpyxl import load_workbook

    template, out = Path(template), Path(out)
    if same_file(out, template):
        raise CchcError(f"Không ghi đè lên tệp mẫu «{shown(template)}». Hãy chọn tên tệp kết quả khác (-o).")
    if not template.exists():
        raise CchcError(f"Không tìm thấy tệp mẫu «{shown(template)}».")
    problems = check_fill_data(data, catalogue)
    if problems:
        shown_lines = problems[:12] + ([f"… và {len(problems) - 12} chỗ khác"] if len(problems) > 12 else [])
        raise CchcError("Số liệu không điền được vào biểu mẫu:\n  - " + "\n  - ".join(shown_lines))
    try:
        wb = load_workbook(template, keep_vba=template.suffix.lower() == ".xlsm")
    except Exception as exc:
        raise CchcError(f"Không mở được tệp mẫu «{template}» ({type(exc).__name__}).") from None
    src = str(template)

    unknown = []
    for form_id, vals in (data.get("values") or {}).items():
        for code, v in vals.items():
            try:
                row = catalogue.row(f"{form_id}:{code}")
            except KeyError:
                unknown.append(f"{form_id}:{code}")
                continue
            if not row.is_input:
                continue  # ratios are computed, never written
            ws, ref = _cell(wb, row.name, src)
            write_value(ws.cell(ref.r0 + 1, ref.c0 + 1), _indicator_value(row, v))
    for form_id, notes in (data.get("notes") or {}).items():
        for code, text in notes.items():
            try:
                row = catalogue.row(f"{form_id}:{code}")
            except KeyError:
                unknown.append(f"{form_id}:{code}")
                continue
            ws, ref = _cell(wb, row.name, src)
            write_value(ws.cell(ref.r0 + 1, ref.c0 + 2), text if text not in ("", None) else None)
    # Text columns of forms that have them (the annual index workbook): {"texts": {"PAR": {"1": {"KQ": "…"}}}}.
    for form_id, by_code in (data.get("texts") or {}).items():
        try:
            form = catalogue.form(form_id)
        except KeyError:
            unknown.append(str(form_id))
            continue
        keys = {c.key for c in form.columns if c.type == "text"}
        for code, by_key in (by_code or {}).items():
            for key, text in (by_key or {}).items():
                if key not in keys or code not in {r.code for r in form.rows}:
                    unknown.append(f"{form_id}:{code}:{key}")
                    continue
                ws, ref = _cell(wb, form.column_name(code, key), src)
                write_value(ws.cell(ref.r0 + 1, ref.c0 + 1), text or None)
    if unknown:
        raise CchcError("Dữ liệu có mã chỉ tiêu không có trong danh mục: " + ", ".join(sorted(unknown)) + ".")

    info = data.get("info") or {}
    for field in catalogue.info:
        if field.key not in info:
            continue
        ws, ref = _cell(wb, field.name, src)
        v = info[field.key]
        if field.type == "list":
            items = [str(x) for x in (v or [])]
            n = ref.r1 - ref.r0 + 1
            if len(items) > n:  # keep everything: the overflow shares the last cell, one per line
                items = items[: n - 1] + ["\n".join(items[n - 1 :])]
            if items and len(items[-1]) > MAX_CELL_TEXT:
                raise CchcError(f"«info.{field.key}»: các dòng cuối dồn vào một ô dài hơn "
                                f"{format_number(MAX_CELL_TEXT)} ký tự; hãy bớt số dòng.")
            for i in range(n):
                write_value(ws.cell(ref.r0 + 1 + i, ref.c0 + 1), items[i] if i < len(items) else None)
            continue
        cell = write_value(ws.cell(ref.r0 + 1, ref.c0 + 1), _date(v) if field.type == "date" else v)
        if field.type == "date" and isinstance(cell.value, dt.date):
            cell.number_format = "dd/mm/yyyy"

    narrative = data.get("narrative") or {}
    switches = data.get("auto_sentences") or {}
    for sec in catalogue.sections:
        if not sec.input:
            continue
        if sec.key in narrative:
            ws, ref = _cell(wb, sec.name, src)
            write_value(ws.cell(ref.r0 + 1, ref.c0 + 1), narrative[sec.key] or None)
        if sec.key in switches:
            ws, ref = _cell(wb, sec.switch_name, src)
            ws.cell(ref.r0 + 1, ref.c0 + 1).value = S.SWITCH_ON if switches[sec.key] else S.SWITCH_OFF

    if S.SHEET_INFO in wb.sheetnames:
        # Long "căn cứ" entries stay readable; only the rows of the fields, whatever else the
        # template holds further down.
        last = S.INFO_FIRST_ROW
        for f in catalogue.info:
            _, ref = _cell(wb, f.name, src)
            last = max(last, ref.r1 + 1)
        fit_rows(wb[S.SHEET_INFO], S.INFO_FIRST_ROW, last)
    if S.SHEET_NARRATIVE in wb.sheetnames:  # each section shown whole
        fit_rows(wb[S.SHEET_NARRATIVE], S.NARRATIVE_FIRST_ROW, S.NARRATIVE_FIRST_ROW + len(catalogue.sections))
    with atomic_write(out) as tmp:
        wb.save(tmp)
    return out

"""Fill a template from plain data (the inverse of the reader), with openpyxl.

`fill_workbook(template, data, out)` writes values by defined name. `data` has the shape of
`cchc export` (info, values, notes, narrative, auto_sentences); missing keys are left as they
are, unknown codes are refused so a typo never disappears silently. Flags and choices are
written as the labels the dropdowns show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from cchc.catalogue import Catalogue, Row
from cchc.errors import CchcError
from cchc.workbook import style as S
from cchc.atomic import atomic_write
from cchc.workbook.rows import fit_rows
from cchc.workbook.raw import parse_name_ref


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


def fill_workbook(template: str | Path, data: dict[str, Any], out: str | Path, catalogue: Catalogue) -> Path:
    from openpyxl import load_workbook

    template, out = Path(template), Path(out)
    if out.resolve() == template.resolve():
        raise CchcError(f"Không ghi đè lên tệp mẫu «{template}». Hãy chọn tên tệp kết quả khác (-o).")
    if not template.exists():
        raise CchcError(f"Không tìm thấy tệp mẫu «{template}».")
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
            ws.cell(ref.r0 + 1, ref.c0 + 1).value = _indicator_value(row, v)
    for form_id, notes in (data.get("notes") or {}).items():
        for code, text in notes.items():
            try:
                row = catalogue.row(f"{form_id}:{code}")
            except KeyError:
                unknown.append(f"{form_id}:{code}")
                continue
            ws, ref = _cell(wb, row.name, src)
            ws.cell(ref.r0 + 1, ref.c0 + 2).value = text or None
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
                ws.cell(ref.r0 + 1, ref.c0 + 1).value = text or None
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
            for i in range(n):
                ws.cell(ref.r0 + 1 + i, ref.c0 + 1).value = items[i] if i < len(items) else None
            continue
        cell = ws.cell(ref.r0 + 1, ref.c0 + 1)
        cell.value = _date(v) if field.type == "date" else v
        if field.type == "date" and isinstance(cell.value, dt.date):
            cell.number_format = "dd/mm/yyyy"

    narrative = data.get("narrative") or {}
    switches = data.get("auto_sentences") or {}
    for sec in catalogue.sections:
        if not sec.input:
            continue
        if sec.key in narrative:
            ws, ref = _cell(wb, sec.name, src)
            ws.cell(ref.r0 + 1, ref.c0 + 1).value = narrative[sec.key] or None
        if sec.key in switches:
            ws, ref = _cell(wb, sec.switch_name, src)
            ws.cell(ref.r0 + 1, ref.c0 + 1).value = S.SWITCH_ON if switches[sec.key] else S.SWITCH_OFF

    if S.SHEET_INFO in wb.sheetnames:
        fit_rows(wb[S.SHEET_INFO], S.INFO_FIRST_ROW)  # long "căn cứ" entries stay readable
    with atomic_write(out) as tmp:
        wb.save(tmp)
    return out

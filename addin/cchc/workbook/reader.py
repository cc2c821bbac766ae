"""Read a filled workbook into ReportData, driven by the catalogue.

Cells are found by their workbook-level defined names. If an officer deleted the names or
the file went through a tool that drops them (an old .xls), the reader falls back to the
layout: the STT code in column A of each form sheet, the labels in column A of
"Thông tin chung" and the headings in column A of "Thuyết minh". Ratios are never read
from the file: they are recomputed from the inputs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cchc.catalogue import Catalogue, Form, load_catalogue
from cchc.errors import CchcError, WorkbookError
from cchc.findings import Finding
from cchc.model import CellAt, ReportData
from cchc.ratios import compute_ratios
from cchc.registry import default_kind
from cchc.workbook import style as S
from cchc.cells import a1
from cchc.workbook.raw import RawWorkbook, open_raw
from cchc.workbook.values import (
    clean_text,
    expected_for,
    fold,
    read_date,
    read_indicator,
    read_int,
    read_number,
    shorten,
    special_reason,
)


def read_meta(raw: RawWorkbook) -> dict[str, str]:
    if not raw.has_sheet(S.SHEET_META):
        return {}
    meta = {}
    for row in raw.grid(S.SHEET_META):
        if len(row) >= 2 and row[0] not in (None, ""):
            meta[str(row[0])] = clean_text(row[1])
    return meta


def catalogue_for(raw: RawWorkbook) -> Catalogue:
    """The catalogue a workbook was cut from, by the id its hidden «_cchc» sheet records (only
    ever one of the known catalogues); a workbook without that record is read as the default
    report kind."""
    catalogue_id = read_meta(raw).get("catalogue_id") or default_kind().id
    try:
        return load_catalogue(catalogue_id)
    except CchcError:
        shown = catalogue_id if len(catalogue_id) <= 40 else catalogue_id[:40] + "…"
        raise WorkbookError(
            f"Tệp «{raw.source}» được tạo từ loại biểu mẫu «{shown}» mà phiên bản cchc này không có."
        ) from None


def read_workbook(path: str | Path, catalogue: Catalogue | None = None, *, narrative: bool = True) -> ReportData:
    raw = open_raw(path)
    return interpret(raw, catalogue or catalogue_for(raw), narrative=narrative)


def _stt(v: Any) -> str:
    """Normalise an STT cell: "2.3.1", "2.3.1.", 2.1 (a float) → "2.3.1" / "2.1"."""
    if v is None:
        return ""
    if isinstance(v, float):
        v = int(v) if v.is_integer() else repr(v)
    return str(v).strip().rstrip(".").strip()


# (id of catalogue, id of names, sheet names) → (catalogue, names, plan): see _named_cells.
_PLANS: dict[tuple, tuple] = {}
# id of a form → (form, its labels): see _Reader._labels.
_LABELS: dict[int, tuple] = {}


class _Reader:
    def __init__(self, raw: RawWorkbook, cat: Catalogue):
        self.raw = raw
        self.cat = cat
        meta = read_meta(raw)
        self.data = ReportData(
            source=raw.source,
            kind=cat.id,
            catalogue_version=meta.get("catalogue_version", ""),
            template_version=meta.get("template_version", ""),
        )

    def problem(self, at: CellAt, ref: str, found: Any, expected: str, why: str, *, info_key: str = "") -> None:
        """A value that cannot be used as it is. `ref`: "3:2.3.1", or the field's name (TT_SO)
        with `info_key` ("so") for a general-information field."""
        msg = f"Ô {at.address} ({ref}): {why}; giá trị «{shorten(found)}», cần {expected}."
        if info_key:
            form, code, rule = "", info_key, "read.info"
        else:
            form, _, code = ref.partition(":")
            rule = "read.value"
        self.data.problems.append(Finding("error", at.sheet, at.a1, form, code, rule, msg,
                                          {"found": found, "expected": expected}))

    def named(self, name: str) -> CellAt | None:
        ref = self.raw.names.get(name)
        if ref is None or not self.raw.has_sheet(ref.sheet):
            return None
        return CellAt(ref.sheet, ref.r0, ref.c0)

    def named_span(self, name: str) -> list[CellAt] | None:
        ref = self.raw.names.get(name)
        if ref is None or not self.raw.has_sheet(ref.sheet):
            return None
        return [CellAt(ref.sheet, r, c) for r in range(ref.r0, ref.r1 + 1) for c in range(ref.c0, ref.c1 + 1)]

    def get(self, at: CellAt) -> Any:
        return self.raw.value(at.sheet, at.r0, at.c0)

    def hidden(self, at: CellAt) -> str | None:
        """For a cell that reads blank: the error value or the formula without a result it
        holds (calamine shows both as blank), else None."""
        return self.raw.special(at.sheet, at.r0, at.c0)

    @staticmethod
    def _labels(form: Form) -> dict[str, str]:
        """Folded label → code of the form's rows (kept with the form, which outlives files)."""
        hit = _LABELS.get(id(form))
        if hit is None or hit[0] is not form:
            if len(_LABELS) >= 64:
                _LABELS.clear()
            hit = _LABELS[id(form)] = (form, {fold(r.label): r.code for r in form.rows if r.label})
        return hit[1]

    def _named_rows_disagreeing(self, form: Form, cells: list[tuple]) -> set[str]:
        """Codes of the rows whose named cell is on a line whose STT cell is not exactly the
        row's code (the few that points_elsewhere then looks at closely). In one sweep: this
        runs for every file of a merge."""
        grid = self.raw.grid(form.sheet)
        n, col = len(grid), S.COL_STT - 1
        return {row.code for row, at in cells
                if at is not None and (at.r0 >= n or not grid[at.r0] or grid[at.r0][col] != row.code)}

    def points_elsewhere(self, form: Form, row, at: CellAt) -> str | None:
        """The STT code (or label) of the row a defined name points at, when that row is
        another indicator's: a name moved or swapped by hand. None when the row agrees, or
        says nothing (a blank STT and an unknown label: the name is believed)."""
        grid = self.raw.grid(at.sheet)
        line = grid[at.r0] if at.r0 < len(grid) else ()
        stt = line[S.COL_STT - 1] if len(line) >= S.COL_STT else None
        if stt == row.code:  # the usual case, first and fast
            return None
        if stt not in (None, ""):
            code = _stt(stt)
            return None if code == row.code else f"mã STT «{shorten(code, 20)}»"
        label = self.raw.value(at.sheet, at.r0, S.COL_LABEL - 1)
        if isinstance(label, str) and label.strip():
            other = self._labels(form).get(fold(label))
            if other is not None and other != row.code:
                return f"nhãn «{shorten(label.strip(), 60)}» của chỉ tiêu {form.id}:{other}"
        return None

    # ------------------------------------------------------------------ forms
    def _layout_index(self, form: Form) -> tuple[dict[str, int], int]:
        """Fallback: row of each STT code in column A, and the value column ("Số liệu")."""
        grid = self.raw.grid(form.sheet)
        value_col = S.COL_VALUE - 1
        for r in range(min(len(grid), 12)):
            for c, v in enumerate(grid[r]):
                if isinstance(v, str) and fold(v) == fold("Số liệu"):
                    value_col = c
        rows: dict[str, int] = {}
        for r, line in enumerate(grid):
            code = _stt(line[0] if line else None)
            if code and code not in rows:
                rows[code] = r
        return rows, value_col

    def _named_cells(self) -> dict[str, list[tuple]]:
        """Form id → (row, cell or None) of each input and ratio row, by defined name. The
        same for every file cut from one template, so it is worked out once per catalogue
        and set of names (the reader memoises the names on the workbook XML)."""
        key = (id(self.cat), id(self.raw.names), tuple(self.raw.sheet_names))
        hit = _PLANS.get(key)
        if hit is not None and hit[0] is self.cat and hit[1] is self.raw.names:
            return hit[2]
        plan = {}
        for form in self.cat.forms:
            cells = []
            for row in form.rows:
                if row.is_input or row.type == "ratio":
                    at = self.named(row.name)
                    cells.append((row, at if at is not None and at.sheet == form.sheet else None))
            plan[form.id] = cells
        if len(_PLANS) >= 32:
            _PLANS.clear()
        _PLANS[key] = (self.cat, self.raw.names, plan)  # strong references: ids stay unique
        return plan

    def read_forms(self) -> None:
        missing = [f.sheet for f in self.cat.forms if not self.raw.has_sheet(f.sheet)]
        if missing:
            raise WorkbookError(
                f"Tệp «{self.raw.source}» thiếu trang biểu mẫu: {', '.join(missing)}. "
                "Hãy dùng biểu mẫu chuẩn (cchc template) và không xóa hay đổi tên các trang BM."
            )
        plan = self._named_cells()
        value = self.raw.value
        for form in self.cat.forms:
            layout = None
            vals: dict[str, Any] = {}
            notes: dict[str, str] = {}
            suspect = self._named_rows_disagreeing(form, plan[form.id])
            for row, at in plan[form.id]:
                if suspect and at is not None and row.code in suspect:
                    elsewhere = self.points_elsewhere(form, row, at)
                    if elsewhere:
                        self.data.problems.append(Finding(
                            "warning", form.sheet, at.a1, form.id, row.code, "read.name",
                            f"Tên ô {row.name} trỏ tới ô {at.address}, dòng có {elsewhere}, không phải dòng của "
                            f"chỉ tiêu {row.ref}: số liệu được đọc ở dòng có mã STT «{row.code}» (cột A). Hãy dùng "
                            "biểu mẫu chuẩn (cchc template) hoặc sửa lại tên ô (Công thức → Trình quản lý tên).",
                            {"found": at.address, "expected": f"dòng có mã STT {row.code}"}))
                        at = None
                if at is None:
                    layout = layout or self._layout_index(form)
                    rows, value_col = layout
                    if row.code not in rows:
                        if row.is_input:
                            self.data.problems.append(Finding(
                                "error", form.sheet, "", form.id, row.code, "read.missing_row",
                                f"Trang {form.sheet}: không tìm thấy dòng chỉ tiêu {row.ref} "
                                f"(tên ô {row.name} và mã STT «{row.code}» ở cột A đều không có).",
                                {"found": None, "expected": "một dòng có mã " + row.code}))
                            vals[row.code] = None
                        continue
                    at = CellAt(form.sheet, rows[row.code], value_col)
                self.data.cells[row.ref] = at
                found = value(at.sheet, at.r0, at.c0)
                if not row.is_input:
                    self.data.file_ratios[row.ref] = found
                    continue
                v, why = read_indicator(row, found)
                if found is None and (hidden := self.hidden(at)):
                    found, why = hidden, special_reason(hidden)
                if why:
                    self.problem(at, row.ref, found, expected_for(row), why)
                vals[row.code] = v
                note = clean_text(value(at.sheet, at.r0, at.c0 + 1))
                if note:
                    notes[row.code] = note
            self.data.values[form.id] = vals
            if notes:
                self.data.notes[form.id] = notes
            if form.columns:
                self._read_text_columns(form)
        self.data.ratios = compute_ratios(self.cat, self.data.values)

    def _read_text_columns(self, form: Form) -> None:
        """Text columns after "Ghi chú" (the annual index workbook): by defined name BM<form>_<code>_<KEY>, else
        the STT row and the column's heading in the header rows. Stored in
        data.extra["texts"][form][code][key]; empty texts are left out."""
        texts: dict[str, dict[str, str]] = {}
        layout = None
        headings: dict[str, int] | None = None
        for row in form.rows:
            for col in form.columns:
                if col.type != "text":
                    continue
                at = self.named(form.column_name(row.code, col.key))
                if at is None or at.sheet != form.sheet:
                    layout = layout or self._layout_index(form)
                    if headings is None:
                        grid = self.raw.grid(form.sheet)
                        headings = {}
                        for line in grid[:12]:
                            for c, v in enumerate(line):
                                if isinstance(v, str) and v.strip():
                                    headings.setdefault(fold(v), c)
                    r = layout[0].get(row.code)
                    c = headings.get(fold(col.heading))
                    if r is None or c is None:
                        continue
                    at = CellAt(form.sheet, r, c)
                text = clean_text(self.get(at))
                if text:
                    texts.setdefault(row.code, {})[col.key] = text
        self.data.extra.setdefault("texts", {})[form.id] = texts

    # ------------------------------------------------------------------ info
    def _info_cells(self, field) -> list[CellAt] | None:
        span = self.named_span(field.name)
        if span:
            return span
        if not self.raw.has_sheet(S.SHEET_INFO):
            return None
        want = fold(field.label)
        for r, line in enumerate(self.raw.grid(S.SHEET_INFO)):
            if line and isinstance(line[0], str) and fold(line[0].rstrip(" *")) == want:
                n = field.rows if field.type == "list" else 1
                return [CellAt(S.SHEET_INFO, r + i, 1) for i in range(n)]
        return None

    def read_info(self) -> None:
        if not self.raw.has_sheet(S.SHEET_INFO):
            raise WorkbookError(
                f"Tệp «{self.raw.source}» thiếu trang «{S.SHEET_INFO}». Hãy dùng biểu mẫu chuẩn (cchc template)."
            )
        for field in self.cat.info:
            cells = self._info_cells(field)
            if not cells:
                self.data.info[field.key] = [] if field.type == "list" else None
                continue
            self.data.info_cells[field.key] = cells[0]
            if field.type == "list":
                items: list[str] = []
                where: list[CellAt] = []
                for at in cells:
                    raw_item = self.get(at)
                    if raw_item is None and (hidden := self.hidden(at)):
                        self.problem(at, field.name, hidden, "văn bản", special_reason(hidden), info_key=field.key)
                    lines = [line.strip() for line in clean_text(raw_item).split("\n") if line.strip()]
                    items += lines
                    where += [at] * len(lines)
                self.data.info[field.key] = items
                self.data.info_item_cells[field.key] = where
                continue
            at = cells[0]
            rawv = self.get(at)
            if field.type == "date":
                value, why = read_date(rawv)
                expected = "một ngày (ngày/tháng/năm)"
            elif field.type == "int":
                value, why = read_int(rawv)
                expected = "một số nguyên dương"
            elif field.type == "number":
                value, why = read_number(rawv)
                expected = "một số ≥ 0"
            else:
                value, why = (clean_text(rawv) or None), None
                expected = ""
                if (field.key == "ma_dvhc" and isinstance(rawv, (int, float)) and not isinstance(rawv, bool)
                        and 0 <= rawv < 10**12):
                    value = f"{int(rawv):05d}"  # a code saved as a number lost its leading zero
                if field.type == "choice" and value is not None:
                    match = [c for c in field.choices if fold(c) == fold(value)]
                    if match:
                        value = match[0]
                    else:
                        why, expected = "không có trong danh sách", "một trong: " + "; ".join(field.choices)
            if rawv is None and (hidden := self.hidden(at)):
                why, rawv, expected = special_reason(hidden), hidden, expected or "văn bản"
            if why:
                self.problem(at, field.name, rawv, expected, why, info_key=field.key)
            self.data.info[field.key] = value

    # ------------------------------------------------------------------ narrative
    def read_narrative(self) -> None:
        if not self.raw.has_sheet(S.SHEET_NARRATIVE):
            self.data.problems.append(Finding(
                "warning", S.SHEET_NARRATIVE, "", "", "", "read.sheet",
                f"Tệp không có trang «{S.SHEET_NARRATIVE}»: báo cáo sẽ không có phần thuyết minh.",
                {"found": None, "expected": "trang Thuyết minh"}))
            return
        by_heading = None
        for sec in self.cat.sections:
            if not sec.input:
                continue
            at = self.named(sec.name)
            switch = self.named(sec.switch_name)
            if at is None:
                if by_heading is None:
                    by_heading = {
                        fold(line[0]): r
                        for r, line in enumerate(self.raw.grid(S.SHEET_NARRATIVE))
                        if line and isinstance(line[0], str)
                    }
                r = by_heading.get(fold(sec.heading))
                if r is None:
                    continue
                at = CellAt(S.SHEET_NARRATIVE, r, 1)
                switch = CellAt(S.SHEET_NARRATIVE, r, 2)
            self.data.narrative_cells[sec.key] = at
            text = self.get(at)
            if text is None and (hidden := self.hidden(at)):
                self.data.problems.append(Finding(
                    "error", at.sheet, at.a1, "", sec.key, "read.narrative",
                    f"Ô {at.address} (mục {sec.key} «{sec.heading}»): {special_reason(hidden)}; "
                    f"giá trị «{shorten(hidden)}», cần nội dung thuyết minh.",
                    {"found": hidden, "expected": "nội dung thuyết minh"}))
            self.data.narrative[sec.key] = clean_text(text)
            flag = clean_text(self.get(switch)) if switch else ""
            self.data.auto_sentences[sec.key] = fold(flag) not in (fold(S.SWITCH_OFF), "0", "false")


def interpret(raw: RawWorkbook, catalogue: Catalogue, *, narrative: bool = True) -> ReportData:
    """Turn raw cells into ReportData. Raises WorkbookError when a required sheet is missing."""
    reader = _Reader(raw, catalogue)
    reader.read_info()
    reader.read_forms()
    if narrative:
        reader.read_narrative()
    _one_finding_for_another_version(reader.data, catalogue)
    return reader.data


def _one_finding_for_another_version(data: ReportData, cat: Catalogue) -> None:
    """A workbook cut from a template of another catalogue version gets one finding naming
    both versions (and the rows it lacks), not one «missing row» error per row added since."""
    was = data.catalogue_version
    if not was or was == cat.version:
        return
    missing = [f for f in data.problems if f.rule_id == "read.missing_row"]
    data.problems = [f for f in data.problems if f.rule_id != "read.missing_row"]
    if missing:
        refs = [f.ref for f in missing]
        shown = ", ".join(refs[:8]) + (f" và {len(refs) - 8} dòng khác" if len(refs) > 8 else "")
        message = (f"Tệp làm theo biểu mẫu phiên bản «{was}», cchc đang dùng phiên bản «{cat.version}»: "
                   f"tệp thiếu {len(refs)} dòng chỉ tiêu của phiên bản mới ({shown}), các dòng này được coi "
                   "là chưa có số liệu. Hãy chép số liệu sang biểu mẫu mới (cchc template) rồi nhập các dòng còn thiếu.")
        severity = "error"
    else:
        message = (f"Tệp làm theo biểu mẫu phiên bản «{was}», cchc đang dùng phiên bản «{cat.version}»; "
                   "các dòng chỉ tiêu đều khớp nên số liệu vẫn đọc được. Lần sau hãy dùng biểu mẫu mới.")
        severity = "info"
    data.problems.insert(0, Finding(severity, "", "", "", "", "read.version", message,
                                    {"found": was, "expected": cat.version}))


__all__ = ["interpret", "read_workbook", "read_meta", "catalogue_for", "a1"]

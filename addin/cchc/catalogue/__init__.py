"""The catalogue: forms, rows, codes, units, row types, relations, rules and version, as data.

`load_catalogue(id)` reads `<id>.toml` (and, when present, `<id>.rules.toml`). The known
catalogues are those of the installed report kinds (each kind package, registered under the
entry-point group `cchc.kinds`, keeps its catalogue in its own folder) and any `<id>.toml` in
the folder `CCHC_CATALOGUE_DIR` names, which also overrides a kind's own file: a province keeps
its edited copies there. A workbook's recorded id only ever selects among these.
"""

from __future__ import annotations

import importlib.util
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any

from cchc.errors import CchcError

# The type of a row: what its value is (see the comment at the top of ky.toml).
ROW_TYPES = ("count", "money", "pct", "ratio", "flag", "choice", "group", "score")
INPUT_TYPES = ("count", "money", "pct", "flag", "choice", "score")
# Extra columns a form may add after "Ghi chú" (the annual index workbook has them):
#   text        an input cell of free text per row, named BM<form>_<code>_<KEY>
#   pct_of_max  computed in the sheet: the row's value / its maximum × 100 (never read)
COLUMN_TYPES = ("text", "pct_of_max")
# What a group row that carries a value of its own may hold (`value = "count"`).
GROUP_VALUE_TYPES = ("count", "money", "pct")
PERIOD_RULES = ("flow", "stock", "cumulative")
# How a row adds up across the units of a merge (DHIS2's "aggregation type"), for the rows
# whose type allows a choice: sum, mean (with the minimum and maximum beside it) or none (only
# the minimum, maximum and number of units). The default comes from the type; ratios are always
# recomputed from their summed numerator and denominator, flags and choices always counted
# by answer.
AGGREGATES = ("sum", "mean", "none")
_AGGREGATE_DEFAULT = {"count": "sum", "money": "sum", "pct": "mean", "score": "mean"}
_AGGREGATE_ALLOWED = {"count": AGGREGATES, "money": AGGREGATES, "pct": ("mean", "none"),
                      "score": AGGREGATES}


@dataclass(frozen=True)
class Row:
    form: str
    code: str
    label: str
    unit: str
    type: str
    period: str | None = None
    num: str | None = None
    den: str | None = None
    choices: tuple[tuple[int, str], ...] = ()
    short: str = ""
    # type "score": the maximum score of the row (a PAR Index field: 10, 7, 15 …).
    max: float | None = None
    # How the merge adds the row up across units: "sum", "mean", "none" (see AGGREGATES);
    # "ratio" for ratios, "count" for flags and choices, "" for groups.
    aggregate: str = ""
    # A heading of the form (catalogue type "group") that also carries a value of its own, as
    # the seed prints «0» on 2a:2: its type is then the value's type (`value = "count"`).
    heading: bool = False

    @property
    def level(self) -> int:
        """1 for "1", 2 for "2.1", 3 for "2.3.1"."""
        return self.code.count(".") + 1

    # Cached: the checks ask for these hundreds of times per workbook. A cached_property
    # writes to the instance __dict__, which a frozen dataclass allows; the fields never change.
    @cached_property
    def is_input(self) -> bool:
        return self.type in INPUT_TYPES

    @cached_property
    def ref(self) -> str:
        """The public address of the indicator, e.g. "3:2.3.1"."""
        return f"{self.form}:{self.code}"

    @property
    def name(self) -> str:
        """The workbook-level defined name of its cell, e.g. BM3_2_3_1."""
        return defined_name(self.form, self.code)

    @property
    def title(self) -> str:
        """The row as a message names it: "BM3 mục 2.3.1 «Hồ sơ đã giải quyết (cấp xã)»"."""
        return f"BM{self.form} mục {self.code} «{self.short}»"

    def choice_label(self, code: int | None) -> str:
        for c, label in self.choices:
            if c == code:
                return label
        return ""


@dataclass(frozen=True)
class Column:
    """An extra column of a form sheet, after "Ghi chú" (see COLUMN_TYPES)."""

    key: str
    heading: str
    type: str = "text"
    width: float = 40


@dataclass(frozen=True)
class Form:
    id: str
    title: str
    subtitle: str
    rows: tuple[Row, ...]
    note: str = ""
    # Header texts replacing the quarterly ones, by column: "stt", "label", "unit", "value",
    # "note". A form with headers or columns gets a one-row header (no "Kết quả thống kê").
    headers: dict[str, str] = field(default_factory=dict)
    columns: tuple[Column, ...] = ()
    # Label of a total row under the rows (sums of the unit and value columns), "" for none.
    total: str = ""

    @property
    def sheet(self) -> str:
        return f"BM{self.id}"

    def column_name(self, code: str, key: str) -> str:
        """Defined name of an extra column's cell, e.g. BMPAR_1_KQ."""
        return f"{defined_name(self.id, code)}_{key}"

    def row(self, code: str) -> Row:
        for r in self.rows:
            if r.code == code:
                return r
        raise KeyError(f"{self.id}:{code}")


@dataclass(frozen=True)
class InfoField:
    key: str
    name: str
    label: str
    type: str
    required: bool = False
    choices: tuple[str, ...] = ()
    rows: int = 1
    help: str = ""
    example: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    input: bool = True
    forms: tuple[str, ...] = ()
    # The section about the next period's tasks: "KỲ TỚI" in its heading becomes the next
    # period ("Quý II năm 2025"), and the closing sentence names those tasks.
    next_period: bool = False

    @property
    def level(self) -> int:
        return self.key.count(".") + 1

    @property
    def name(self) -> str:
        return "TM_" + self.key.replace(".", "_")

    @property
    def switch_name(self) -> str:
        return "TD_" + self.key.replace(".", "_")


@dataclass(frozen=True)
class Period:
    name: str
    start: tuple[int, int]  # (month, day)
    start_prev_year: bool
    end: tuple[int, int]
    next: str
    this: str = ""

    def named(self, template: str, year: int | None) -> str:
        """`next` or `this` with the year filled in ("Quý II năm 2025"); "" without a year."""
        if not template or ("{year}" in template and not year):
            return ""
        try:
            return template.format(year=year or "", next_year=(year + 1) if year else "")
        except (KeyError, IndexError, ValueError):
            return template


@dataclass(frozen=True)
class Catalogue:
    id: str
    version: str
    title: str
    forms: tuple[Form, ...]
    info: tuple[InfoField, ...]
    sections: tuple[Section, ...]
    periods: tuple[Period, ...]
    rules: tuple[dict[str, Any], ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)
    source: str = ""

    def form(self, form_id: str) -> Form:
        for f in self.forms:
            if f.id == form_id:
                return f
        raise KeyError(form_id)

    def row(self, ref: str) -> Row:
        """A row by its public address "<form>:<code>"."""
        form_id, _, code = ref.partition(":")
        return self.form(form_id).row(code)

    def rows(self):
        for f in self.forms:
            yield from f.rows

    def input_rows(self):
        return (r for r in self.rows() if r.is_input)

    def info_field(self, key: str) -> InfoField:
        for f in self.info:
            if f.key == key:
                return f
        raise KeyError(key)

    def period(self, name: str) -> Period | None:
        for p in self.periods:
            if p.name == name:
                return p
        return None


def defined_name(form_id: str, code: str) -> str:
    return f"BM{form_id}_{code.replace('.', '_')}"


ENTRY_POINT_GROUP = "cchc.kinds"
# A catalogue id is a plain word: it names files and is read from workbooks from outside.
_ID = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


def override_dir() -> Path | None:
    """The province's folder of edited catalogues (CCHC_CATALOGUE_DIR), if set."""
    override = os.environ.get("CCHC_CATALOGUE_DIR")
    return Path(override) if override else None


@lru_cache(maxsize=None)
def _kind_folders() -> dict[str, Path]:
    """{catalogue id: folder} of the installed kind packages, found through their entry
    points without importing them (the catalogue is below every kind)."""
    folders: dict[str, Path] = {}
    for ep in metadata.entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in folders or not _ID.match(ep.name):
            continue
        try:
            spec = importlib.util.find_spec(ep.module)
        except (ImportError, ValueError):
            continue
        if spec is not None and spec.submodule_search_locations:
            folders[ep.name] = Path(next(iter(spec.submodule_search_locations)))
        elif spec is not None and spec.origin:
            folders[ep.name] = Path(spec.origin).parent
    return folders


def catalogue_ids() -> list[str]:
    """Every catalogue id this installation knows."""
    ids = set(_kind_folders())
    over = override_dir()
    if over is not None and over.is_dir():
        ids |= {p.name[:-5] for p in over.glob("*.toml")
                if not p.name.endswith(".rules.toml") and _ID.match(p.name[:-5])}
    return sorted(ids)


def catalogue_path(catalogue_id: str) -> Path:
    """The file of a known catalogue; CchcError for an unknown id (never a path built from it
    alone: the id may come from a workbook)."""
    if not isinstance(catalogue_id, str) or not _ID.match(catalogue_id):
        raise CchcError(f"Loại biểu mẫu «{catalogue_id}» không hợp lệ.")
    over = override_dir()
    if over is not None and (over / f"{catalogue_id}.toml").is_file():
        return over / f"{catalogue_id}.toml"
    folder = _kind_folders().get(catalogue_id)
    if folder is None:
        known = ", ".join(catalogue_ids()) or "không có"
        raise CchcError(f"Không có danh mục biểu mẫu «{catalogue_id}» (các loại có: {known}).")
    return folder / f"{catalogue_id}.toml"


def _fail(source: str, msg: str) -> CchcError:
    return CchcError(f"Danh mục biểu mẫu {source} không hợp lệ: {msg}")


def _parse_row(form_id: str, raw: dict[str, Any], source: str) -> Row:
    code = str(raw.get("code", "")).strip()
    rtype = raw.get("type", raw.get("kind"))  # "kind" is the key of catalogues before 2025.2
    where = f"biểu {form_id}, dòng {code or '?'}"
    if not code:
        raise _fail(source, f"{where}: thiếu mã (code).")
    if rtype not in ROW_TYPES:
        raise _fail(source, f"{where}: loại (type) '{rtype}' không thuộc {', '.join(ROW_TYPES)}.")
    heading = False
    if raw.get("value") is not None:
        if rtype != "group" or raw["value"] not in GROUP_VALUE_TYPES:
            raise _fail(source, f"{where}: chỉ dòng nhóm (group) mới có value, và value phải là "
                                f"{' hoặc '.join(GROUP_VALUE_TYPES)}.")
        rtype, heading = raw["value"], True
    period = raw.get("period")
    if rtype in INPUT_TYPES and period not in PERIOD_RULES:
        raise _fail(source, f"{where}: period phải là flow, stock hoặc cumulative.")
    if rtype == "ratio" and not (raw.get("num") and raw.get("den")):
        raise _fail(source, f"{where}: dòng tỷ lệ cần tử số (num) và mẫu số (den).")
    choices = tuple((int(c), str(label)) for c, label in raw.get("choices", ()))
    if rtype in ("flag", "choice") and not choices:
        raise _fail(source, f"{where}: dòng lựa chọn cần danh sách choices.")
    maximum = raw.get("max")
    if rtype == "score":
        if isinstance(maximum, bool) or not isinstance(maximum, (int, float)) or maximum <= 0:
            raise _fail(source, f"{where}: dòng điểm (score) cần điểm tối đa (max) là số dương.")
        maximum = float(maximum)
    elif maximum is not None:
        raise _fail(source, f"{where}: chỉ dòng điểm (score) mới có điểm tối đa (max).")
    label = str(raw["label"])
    aggregate = raw.get("aggregate")
    if aggregate is None:
        aggregate = _AGGREGATE_DEFAULT.get(rtype) or {"ratio": "ratio", "flag": "count", "choice": "count"}.get(rtype, "")
    elif aggregate not in _AGGREGATE_ALLOWED.get(rtype, ()):
        allowed = ", ".join(_AGGREGATE_ALLOWED.get(rtype, ())) or "không được ghi (tự xác định theo loại dòng)"
        raise _fail(source, f"{where}: cách tổng hợp (aggregate) '{aggregate}' không dùng được cho dòng "
                            f"loại {rtype}; chọn: {allowed}.")
    return Row(
        form=form_id,
        code=code,
        label=label,
        unit=str(raw.get("unit", "")),
        type=rtype,
        period=period,
        num=raw.get("num"),
        den=raw.get("den"),
        choices=choices,
        short=str(raw.get("short") or label),
        max=maximum,
        aggregate=aggregate,
        heading=heading,
    )


def _parse_columns(form_id: str, raw_form: dict[str, Any], source: str) -> tuple[Column, ...]:
    columns = []
    for c in raw_form.get("columns", ()):
        key = str(c.get("key", "")).strip()
        ctype = c.get("type", c.get("kind", "text"))
        if not key or not key.replace("_", "").isalnum() or not key.isascii():
            raise _fail(source, f"biểu {form_id}: cột thêm cần khóa (key) chỉ gồm chữ không dấu và số.")
        if ctype not in COLUMN_TYPES:
            raise _fail(source, f"biểu {form_id}, cột {key}: loại '{ctype}' không thuộc {', '.join(COLUMN_TYPES)}.")
        columns.append(Column(key=key, heading=str(c.get("heading", key)), type=ctype,
                              width=float(c.get("width", 40))))
    if len({c.key for c in columns}) != len(columns):
        raise _fail(source, f"biểu {form_id} có cột thêm trùng khóa.")
    return tuple(columns)


def parse_catalogue(data: dict[str, Any], source: str = "") -> Catalogue:
    forms = []
    for raw_form in data.get("forms", ()):
        form_id = str(raw_form["id"])
        rows = tuple(_parse_row(form_id, r, source) for r in raw_form.get("rows", ()))
        codes = [r.code for r in rows]
        if len(set(codes)) != len(codes):
            raise _fail(source, f"biểu {form_id} có mã trùng nhau.")
        for r in rows:
            if r.type == "ratio":
                for ref in (r.num, r.den):
                    if ref not in codes:
                        raise _fail(source, f"biểu {form_id}, dòng {r.code}: không có mã {ref}.")
        forms.append(
            Form(
                id=form_id,
                title=str(raw_form.get("title", f"Biểu mẫu {form_id}")),
                subtitle=str(raw_form.get("subtitle", "")),
                rows=rows,
                note=str(raw_form.get("note", "")),
                headers={str(k): str(v) for k, v in (raw_form.get("headers") or {}).items()},
                columns=_parse_columns(form_id, raw_form, source),
                total=str(raw_form.get("total", "")),
            )
        )
    info = tuple(
        InfoField(
            key=f["key"],
            name=f["name"],
            label=f["label"],
            type=f.get("type", "text"),
            required=bool(f.get("required", False)),
            choices=tuple(f.get("choices", ())),
            rows=int(f.get("rows", 1)),
            help=f.get("help", ""),
            example=str(f.get("example", "")),
        )
        for f in data.get("info", ())
    )
    sections = tuple(
        Section(
            key=s["key"],
            heading=s["heading"],
            input=bool(s.get("input", True)),
            forms=tuple(s.get("forms", ())),
            next_period=bool(s.get("next_period", False)),
        )
        for s in data.get("sections", ())
    )
    periods = tuple(
        Period(
            name=p["name"],
            start=tuple(p["start"]),
            start_prev_year=bool(p.get("start_prev_year", False)),
            end=tuple(p["end"]),
            next=p.get("next", ""),
            this=p.get("this", ""),
        )
        for p in data.get("periods", ())
    )
    known = {"id", "version", "title", "forms", "info", "sections", "periods", "rules"}
    return Catalogue(
        id=str(data.get("id", "")),
        version=str(data.get("version", "")),
        title=str(data.get("title", "")),
        forms=tuple(forms),
        info=info,
        sections=sections,
        periods=periods,
        rules=tuple(data.get("rules", ())),
        extra={k: v for k, v in data.items() if k not in known},
        source=source,
    )


def load_catalogue(catalogue_id: str, directory: str | None = None) -> Catalogue:
    """The catalogue `catalogue_id` ("ky" …): a known one (see catalogue_path), or
    `<directory>/<id>.toml` when a directory is given (tests, a province trying an edit)."""
    path = Path(directory) / f"{catalogue_id}.toml" if directory else catalogue_path(catalogue_id)
    return _load(str(path))


@lru_cache(maxsize=16)
def _load(file: str) -> Catalogue:
    path = Path(file)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise CchcError(f"Không tìm thấy danh mục biểu mẫu: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise _fail(str(path), str(exc)) from None
    rules_path = path.with_name(path.name[:-5] + ".rules.toml")
    if rules_path.exists():
        try:
            with open(rules_path, "rb") as fh:
                data.setdefault("rules", []).extend(tomllib.load(fh).get("rules", []))
        except tomllib.TOMLDecodeError as exc:
            raise _fail(str(rules_path), str(exc)) from None
    return parse_catalogue(data, str(path))

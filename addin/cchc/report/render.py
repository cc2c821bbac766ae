"""Render the Word template with docxtpl, safely.

- Autoescape is on: an officer's `& < > " '` reach the XML escaped, and text such as
  `{{ 7*7 }}` or `{% if %}` is printed literally (a value is never parsed as a template).
- The Jinja environment is sandboxed and bounded (cchc.report.sandbox): a province's edited
  template cannot reach Python internals, and arithmetic, repetition, filters and loops are
  held to limits.
- A template from outside (`cchc report --template`, `cchc template-check`) is rendered or
  checked in a child process with a time limit (RENDER_SECONDS) and a memory limit
  (cchc.isolate): a hostile template is refused with a message within seconds. The templates
  shipped with cchc are rendered in-process (fast; the Excel button waits for it).
- `check_template` reports the variables a template uses that cchc does not provide, and
  Jinja syntax errors with the text of the paragraph where they occur.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

from cchc.errors import CchcError

# Seconds a template from outside may take to render or check (the shipped ones take ~0,2 s).
RENDER_SECONDS = 10.0
# A Word template is tens of KB; a report with a chart a few hundred.
MAX_TEMPLATE_BYTES = 20 * 1024 * 1024
MAX_REPORT_BYTES = 50 * 1024 * 1024


def render_seconds() -> float:
    """RENDER_SECONDS, or CCHC_RENDER_SECONDS when set (a slow machine, a test)."""
    from cchc.isolate import seconds_from_env

    return seconds_from_env("CCHC_RENDER_SECONDS", RENDER_SECONDS)


def shipped_template(name: str, what: str = "mẫu báo cáo Word", *, folders: tuple[Path, ...] = ()) -> Path:
    """The Word template `name` shipped with cchc: in `folders` first (a report kind's own
    package folder), then inside the package when installed from a wheel (cchc/data/), else the
    repository's docx_templates/ folder. `what` names it in the error when none has it."""
    package = Path(__file__).resolve().parents[1]  # addin/cchc
    candidates = [*(f / name for f in folders), package / "data" / name,
                  package.parents[1] / "docx_templates" / name]
    for c in candidates:
        if c.is_file():
            return c
    raise CchcError(f"Không tìm thấy {what} {name} (đã tìm ở: "
                    + "; ".join(str(c) for c in candidates) + ").")


def template_for(kind) -> Path:
    """The shipped Word template of a report kind: its own, else the standard report's."""
    from cchc.report.word_template import STANDARD_TEMPLATE

    if kind.word_template_name:
        return shipped_template(kind.word_template_name, folders=(kind.folder,))
    return shipped_template(STANDARD_TEMPLATE)


def jinja_env():
    from cchc.report.sandbox import BoundedSandbox

    return BoundedSandbox(autoescape=True)


def _template_class():
    from docxtpl import DocxTemplate
    from lxml import etree

    class Template(DocxTemplate):
        def fix_tables(self, xml):
            """The tables after a column loop, with widths that keep the label column wide
            (cchc.report.table_widths) instead of docxtpl's even spread."""
            from cchc.report.table_widths import fit_looped_tables

            tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))
            fit_looped_tables(tree)
            return tree

    return Template


def _template_file(path: Path) -> Path:
    """A template file that may be opened: present, a regular file, not too large (not parsed:
    a template from outside is parsed only in the child process of run_isolated)."""
    from cchc.files import input_file

    path = Path(path)
    if not path.exists():
        raise CchcError(f"Không tìm thấy mẫu Word: {path}")
    return input_file(path, "mẫu Word", max_bytes=MAX_TEMPLATE_BYTES)


def _open_template(path: Path):
    path = _template_file(path)
    try:
        tpl = _template_class()(str(path))
        tpl.init_docx()  # docxtpl opens the file lazily: open it here, where a bad file is refused
        return tpl
    except Exception as exc:  # python-docx raises several kinds for a non-docx file
        raise CchcError(f"Không mở được mẫu Word {path}: tệp không phải .docx hợp lệ ({exc}).") from None


_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _parts(tpl):
    """(name, root element) of the body, headers and footers."""
    from docx.oxml import parse_xml

    doc = tpl.get_docx()
    yield "thân văn bản", doc._element.body
    for uri, name in ((tpl.HEADER_URI, "đầu trang"), (tpl.FOOTER_URI, "chân trang")):
        for _, rel in doc.part.rels.items():
            if rel.reltype == uri and rel.target_part.blob:
                yield name, parse_xml(rel.target_part.blob)


def unbalanced_tags(tpl) -> list[str]:
    """Paragraphs with a "{{" or "{%" left open (or a stray closer). docxtpl needs every tag
    inside one paragraph; an open tag would silently swallow the paragraphs after it."""
    problems = []
    for name, root in _parts(tpl):
        for n, p in enumerate(root.iter(f"{_W_NS}p"), start=1):
            text = "".join(t.text or "" for t in p.iter(f"{_W_NS}t"))
            if "{" not in text and "}" not in text:
                continue
            for opener, closer in (("{{", "}}"), ("{%", "%}"), ("{#", "#}")):
                if text.count(opener) != text.count(closer):
                    problems.append(
                        f"{name}, đoạn thứ {n} (đếm cả đoạn trong bảng): «{text[:160]}» — "
                        f"thẻ «{opener} … {closer}» không mở/đóng đủ trong cùng một đoạn"
                    )
                    break
    return problems


def render_docx(context: dict, template: Path, *, images: dict | None = None, trusted: bool = False) -> bytes:
    """The rendered document as bytes (written to disk by the caller, atomically). `images`:
    variable → (PNG bytes, width in mm), put in as pictures. trusted=True for a template that
    ships with cchc (rendered here); any other is rendered in a child process with a time and
    memory limit."""
    path = Path(template)
    if trusted:
        return _render(context, path, images)
    from cchc.isolate import run_isolated

    _template_file(path)  # a missing or odd file refused before a child starts; opened there
    return run_isolated(_render, (context, path, images), seconds=render_seconds(), what=f"Mẫu Word «{path.name}»")


def _render(context: dict, path: Path, images: dict | None) -> bytes:
    from jinja2 import TemplateError

    tpl = _open_template(path)
    broken = unbalanced_tags(tpl)
    if broken:
        raise CchcError(f"Mẫu Word {path.name} có lỗi: {broken[0]}. "
                        f"Hãy chạy: cchc template-check \"{path}\"")
    if images:
        from docx.shared import Mm
        from docxtpl import InlineImage

        context = dict(context)
        for name, (png, width_mm) in images.items():
            context[name] = InlineImage(tpl, io.BytesIO(png), width=Mm(width_mm))
    try:
        tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    except TemplateError as exc:
        where = ""
        ctx = getattr(exc, "docx_context", None)
        if ctx:
            text = " ".join(x.strip() for x in ctx if x.strip())
            where = f" Gần đoạn: «{text[:200]}»."
        raise CchcError(f"Mẫu Word {path.name} có lỗi: {exc}.{where} "
                        f"Hãy chạy: cchc template-check \"{path}\"") from None
    except (ArithmeticError, ValueError, TypeError, LookupError, AttributeError) as exc:
        raise CchcError(f"Mẫu Word {path.name} có lỗi khi điền ({type(exc).__name__}: {str(exc)[:200]}). "
                        f"Hãy chạy: cchc template-check \"{path}\"") from None
    buf = io.BytesIO()
    tpl.save(buf)
    if buf.tell() > MAX_REPORT_BYTES:
        raise CchcError(f"Mẫu Word {path.name} tạo ra báo cáo quá lớn ({buf.tell() // 1024**2} MB); "
                        "hãy kiểm tra các vòng lặp {% for %} trong mẫu.")
    return buf.getvalue()


# ---------------------------------------------------------------------------------------------
# template-check


@dataclass
class TemplateReport:
    path: Path
    unknown: list[str] = field(default_factory=list)
    syntax_errors: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # top-level variables the template reads

    # Why filling the template with sample data failed (a loop or a computation past the
    # sandbox's limits, an error at run time); "" when it filled, or was not tried.
    render_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.syntax_errors and not self.render_error

    def against(self, provided: set[str]) -> TemplateReport:
        """The same template checked against another set of variables (no second parse)."""
        return replace(self, unknown=sorted(v for v in self.used if v not in provided))


def _paragraph_text(xml_line: str) -> str:
    text = re.sub(r"<[^>]+>", "", xml_line)
    return " ".join(text.split())


def check_template(path: Path, provided: set[str]) -> TemplateReport:
    """What is wrong with a province's template (unknown variables, syntax errors). The
    template is from outside: parsed in a child process with a time and memory limit (Jinja
    computes constant expressions while parsing)."""
    from cchc.isolate import run_isolated

    path = _template_file(path)
    return run_isolated(_check, (path, provided), seconds=render_seconds(), what=f"Mẫu Word «{path.name}»")


def try_render(report: TemplateReport, context: dict, images: dict | None = None) -> TemplateReport:
    """`report` with `render_error` set when filling its template with `context` (sample data)
    fails: a loop or a computation past the sandbox's limits, an error at run time. In a child
    process with the time and memory limits of a real render (CchcError when they are hit)."""
    from cchc.isolate import LimitReached, run_isolated

    if report.syntax_errors:
        return report
    try:
        run_isolated(_render, (context, report.path, images), seconds=render_seconds(),
                     what=f"Mẫu Word «{report.path.name}»")
    except LimitReached:
        raise
    except CchcError as exc:
        return replace(report, render_error=exc.message)
    return report


def _check(path: Path, provided: set[str]) -> TemplateReport:
    from jinja2 import TemplateSyntaxError

    tpl = _open_template(path)
    report = TemplateReport(Path(path))
    report.syntax_errors.extend(unbalanced_tags(tpl))
    if report.syntax_errors:
        return report
    env = jinja_env()
    syntax_ok = True
    for name, root in _parts(tpl):
        src = tpl.patch_xml(tpl.xml_to_string(root))
        # One paragraph per line, as docxtpl does when rendering: line numbers point to
        # paragraphs.
        src = re.sub(r"<w:p([ >])", r"\n<w:p\1", src)
        try:
            env.parse(src)
        except TemplateSyntaxError as exc:
            syntax_ok = False
            lines = src.splitlines()
            line = lines[exc.lineno - 1] if exc.lineno and exc.lineno <= len(lines) else ""
            text = _paragraph_text(line)
            n = (exc.lineno or 1) - 1
            report.syntax_errors.append(
                f"{name}, đoạn thứ {n} (đếm cả đoạn trong bảng): «{text[:160]}» — {exc.message}"
            )
    if syntax_ok:
        report.used = set(tpl.get_undeclared_template_variables(jinja_env=env))
        return report.against(provided)
    return report

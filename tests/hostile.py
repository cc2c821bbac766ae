"""Builders of broken and hostile inputs, made from the seed workbook, the template and the
shipped Word template at test time (no binary is committed), and the checks every case of the
corpus shares: the exit code, a Vietnamese message naming the problem, no traceback, every
input byte-identical afterwards, no temporary file left, and a bounded time.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DOCX = ROOT / "docx_templates" / "bao_cao_chuan.docx"
SECONDS = 30.0


# ----------------------------------------------------------------------------- workbooks
def sheet_members(path: Path) -> dict[str, str]:
    """Sheet name → zip member of its XML, as the workbook's relationships say."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
        rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    targets = {}
    for m in re.finditer(r"<Relationship\b[^>]*>", rels):
        tag = m.group(0)
        rid, target = re.search(r'Id="([^"]+)"', tag).group(1), re.search(r'Target="([^"]+)"', tag).group(1)
        targets[rid] = target.lstrip("/") if target.startswith("/") else "xl/" + target
    out = {}
    for m in re.finditer(r"<sheet\b[^>]*>", wb):
        tag = m.group(0)
        name = re.search(r'name="([^"]+)"', tag).group(1)
        out[name] = targets[re.search(r'r:id="([^"]+)"', tag).group(1)]
    return out


def rewrite(src: Path, dst: Path, *, sheets: dict[str, Callable[[str], str]] | None = None,
            members: dict[str, Callable[[str], str]] | None = None, add: dict[str, bytes] | None = None) -> Path:
    """A copy of the workbook `src` with the XML of some sheets (by name) or members (by zip
    path) passed through functions, and members added."""
    edits = dict(members or {})
    if sheets:
        where = sheet_members(src)
        for name, fn in sheets.items():
            edits[where[name]] = fn
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in edits:
                data = edits[info.filename](data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data)
        for name, data in (add or {}).items():
            zout.writestr(name, data)
    return dst


def append_row(xml: str, row: str) -> str:
    """`row` (a <row> element) added at the end of the sheet data."""
    assert "</sheetData>" in xml
    return xml.replace("</sheetData>", row + "</sheetData>")


def replace_once(old: str, new: str) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        assert old in xml, old
        return xml.replace(old, new, 1)

    return edit


def set_cell(ref: str, inner: str, attrs: str = "") -> Callable[[str], str]:
    """The cell `ref` ("D7") of a sheet replaced by `<c r="D7"{attrs}>{inner}</c>`."""
    def edit(xml: str) -> str:
        pattern = re.compile(r'<c r="' + ref + r'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
        assert pattern.search(xml), ref
        return pattern.sub(lambda m: f'<c r="{ref}"{attrs}>{inner}</c>', xml, count=1)

    return edit


def named_cell(path: Path, name: str) -> tuple[str, str]:
    """(sheet, "D7") of a workbook-level defined name."""
    with zipfile.ZipFile(path) as zf:
        wb = zf.read("xl/workbook.xml").decode()
    text = re.search(r'<definedName name="' + name + r'">([^<]*)</definedName>', wb).group(1)
    sheet, ref = text.split("!")
    return sheet.strip("'"), ref.replace("$", "")


def swap_names(a: str, b: str) -> Callable[[str], str]:
    """workbook.xml with the references of two defined names exchanged."""
    def edit(xml: str) -> str:
        pa = re.compile(r'(<definedName name="' + a + r'">)([^<]*)(</definedName>)')
        pb = re.compile(r'(<definedName name="' + b + r'">)([^<]*)(</definedName>)')
        ra, rb = pa.search(xml).group(2), pb.search(xml).group(2)
        xml = pa.sub(lambda m: m.group(1) + "\x00" + m.group(3), xml)
        xml = pb.sub(lambda m: m.group(1) + ra + m.group(3), xml)
        return xml.replace("\x00", rb)

    return edit


def set_name(name: str, ref: str) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        p = re.compile(r'(<definedName name="' + name + r'">)([^<]*)(</definedName>)')
        assert p.search(xml), name
        return p.sub(lambda m: m.group(1) + ref + m.group(3), xml)

    return edit


def zip_bomb(dst: Path) -> Path:
    """A zip whose members unpack to far more than any workbook (~400 MB of zeros, ~400 KB)."""
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
        chunk = b"\0" * (1024 * 1024)
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as fh:
            for _ in range(400):
                fh.write(chunk)
    return dst


# ----------------------------------------------------------------------------- Word templates
def docx_with(dst: Path, *paragraphs: str) -> Path:
    """The shipped standard Word template with paragraphs added at the end."""
    from docx import Document

    doc = Document(str(SHIPPED_DOCX))
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.save(str(dst))
    return dst


# ----------------------------------------------------------------------------- the checks
def digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        h.update(fh.read())
    return h.hexdigest()


def regular_files(folder: Path) -> dict[Path, str]:
    """Every regular file under `folder` (links not followed) → its SHA-256."""
    out = {}
    for dirpath, _dirs, files in os.walk(folder):
        for name in files:
            p = Path(dirpath) / name
            if p.is_file() and not p.is_symlink():
                out[p] = digest(p)
    return out


def leftovers(*folders: Path) -> list[Path]:
    return [p for f in folders if f.is_dir() for p in f.rglob(".~cchc-*")]


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float

    @property
    def text(self) -> str:
        return self.out + self.err


def run_cli(argv: list[str], *, capsys=None, env: dict[str, str] | None = None, cwd: Path | None = None) -> Outcome:
    """`cchc argv…`: in this process (capsys given: output captured by pytest) or as a child
    process (a crash or a signal must not take the tests down)."""
    argv = [os.fspath(a) for a in argv]
    t0 = time.perf_counter()
    if capsys is not None:
        from cchc.cli import main

        capsys.readouterr()
        try:
            code = main(argv)
        except SystemExit as exc:  # argparse refuses the command line this way
            code = exc.code
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err, time.perf_counter() - t0)
    full_env = {**os.environ, **(env or {})}
    r = subprocess.run([sys.executable, "-m", "cchc", *argv], capture_output=True, cwd=cwd, env=full_env,
                       timeout=SECONDS + 30)
    return Outcome(r.returncode, r.stdout.decode("utf-8", "replace"), r.stderr.decode("utf-8", "replace"),
                   time.perf_counter() - t0)


@dataclass
class Expect:
    code: int | tuple[int, ...]
    says: str | tuple[str, ...]  # Vietnamese text that must appear (each, when a tuple)
    outputs: tuple[Path, ...] = ()  # files the command may create or replace
    extra: Callable[[Outcome], None] | None = None
    env: dict[str, str] = field(default_factory=dict)  # environment of the run


def check_outcome(outcome: Outcome, expect: Expect, before: dict[Path, str], folders: list[Path]) -> None:
    codes = expect.code if isinstance(expect.code, tuple) else (expect.code,)
    assert outcome.code in codes, (outcome.code, outcome.text[-2000:])
    for needle in (expect.says if isinstance(expect.says, tuple) else (expect.says,)):
        assert needle in outcome.text, (needle, outcome.text[-2000:])
    assert "Traceback" not in outcome.text and "Lỗi không mong đợi" not in outcome.text, outcome.text[-2000:]
    outputs = {Path(os.path.abspath(o)) for o in expect.outputs}
    for path, sha in before.items():
        if Path(os.path.abspath(path)) in outputs:
            continue
        assert path.exists(), f"input removed: {path}"
        assert digest(path) == sha, f"input changed: {path}"
    assert leftovers(*folders) == [], leftovers(*folders)
    assert outcome.seconds < SECONDS, outcome.seconds
    if expect.extra:
        expect.extra(outcome)

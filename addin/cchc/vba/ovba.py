"""The VBA project format ([MS-OVBA]): compression and the streams of `vbaProject.bin`.

Only what a freshly written project needs: the RLE-style compression of section 2.4.1
(and its inverse, to read a project back), the `dir` stream (2.3.4.2), the `PROJECT`
and `PROJECTwm` streams (2.3.1, 2.3.3), the project-protection "encryption" of 2.4.3
and the `_VBA_PROJECT` stream (2.3.4.1).

The project is written **without any performance cache**: `_VBA_PROJECT` has version
0xFFFF and every module stream holds only compressed source text at offset 0. The spec
requires exactly this on write (2.3.4.1: "Version ... MUST be 0xFFFF on write";
"PerformanceCache ... MUST NOT be present on write"), and Office reacts to the version
mismatch by discarding any cached p-code and compiling the modules from their source.
So what runs in Excel is always the text in `addin/cchc/vba/*.bas`, never a stale cache.
"""

from __future__ import annotations

import hashlib
import struct
import uuid
from dataclasses import dataclass, field

from cchc.vba import cfb

# --------------------------------------------------------------------------- compression

_CHUNK = 4096


def _copy_token_split(pos_in_chunk: int) -> tuple[int, int]:
    """Bit count of the offset field and the maximum match length at a position (2.4.1.3.19.1)."""
    bit_count = 4
    while (1 << bit_count) < pos_in_chunk:
        bit_count += 1
    return bit_count, (0xFFFF >> bit_count) + 3


def _compress_chunk(data: bytes) -> bytes:
    """One compressed chunk (with its 2-byte header) for at most 4096 bytes of input."""
    out = bytearray()
    pos, end = 0, len(data)
    heads: dict[bytes, list[int]] = {}
    while pos < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if pos >= end:
                break
            best_len, best_off = 0, 0
            if pos > 0 and pos + 3 <= end:
                bit_count, max_len = _copy_token_split(pos)
                limit = min(max_len, end - pos)
                for cand in reversed(heads.get(data[pos : pos + 3], ())):
                    n = 3
                    while n < limit and data[cand + n] == data[pos + n]:
                        n += 1
                    if n > best_len:
                        best_len, best_off = n, pos - cand
                        if n == limit:
                            break
            if best_len >= 3:
                bit_count, _ = _copy_token_split(pos)
                token = ((best_off - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                flags |= 1 << bit
                step = best_len
            else:
                out.append(data[pos])
                step = 1
            for p in range(pos, pos + step):
                if p + 3 <= end:
                    heads.setdefault(data[p : p + 3], []).append(p)
            pos += step
        out[flag_index] = flags
    if len(out) > _CHUNK:  # incompressible: store raw, padded to 4096 bytes (2.4.1.3.10)
        header = 0x3000 | (_CHUNK - 1)  # size field 4098 - 3, flag 0
        return struct.pack("<H", header) + data.ljust(_CHUNK, b"\0")
    header = 0x8000 | 0x3000 | (len(out) + 2 - 3)
    return struct.pack("<H", header) + bytes(out)


def compress(data: bytes) -> bytes:
    """Compress bytes into a CompressedContainer ([MS-OVBA] 2.4.1)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), _CHUNK):
        out += _compress_chunk(data[start : start + _CHUNK])
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Inverse of :func:`compress`, for any valid CompressedContainer."""
    if not container or container[0] != 0x01:
        raise ValueError("not a VBA compressed container (signature byte is not 0x01)")
    out = bytearray()
    pos = 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        size = (header & 0x0FFF) + 3
        chunk_end = min(pos + size, len(container))
        pos += 2
        chunk_start = len(out)
        if not header & 0x8000:
            out += container[pos : pos + _CHUNK]
            pos += _CHUNK
            continue
        while pos < chunk_end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= chunk_end:
                    break
                if flags & (1 << bit):
                    (token,) = struct.unpack_from("<H", container, pos)
                    pos += 2
                    bit_count, _ = _copy_token_split(len(out) - chunk_start)
                    length = (token & (0xFFFF >> bit_count)) + 3
                    offset = (token >> (16 - bit_count)) + 1
                    for _ in range(length):
                        out.append(out[-offset])
                else:
                    out.append(container[pos])
                    pos += 1
    return bytes(out)


# --------------------------------------------------------------------------- modules


STANDARD, DOCUMENT, CLASS = "standard", "document", "class"

# VB_Base of the document modules Excel itself writes (workbook, worksheet) and of classes.
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_CLASS_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"


@dataclass
class Module:
    """One VBA module: its name, kind and the source text as the VBA editor shows it,
    including the leading `Attribute` lines."""

    name: str
    kind: str
    source: str


def _attributes(name: str, base: str, *, predeclared: bool, exposed: bool, customizable: bool) -> str:
    return (
        f'Attribute VB_Name = "{name}"\r\n'
        f'Attribute VB_Base = "{base}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\n"
        "Attribute VB_Creatable = False\r\n"
        f"Attribute VB_PredeclaredId = {predeclared}\r\n"
        f"Attribute VB_Exposed = {exposed}\r\n"
        "Attribute VB_TemplateDerived = False\r\n"
        f"Attribute VB_Customizable = {customizable}\r\n"
    )


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")


def document_module(name: str, *, workbook: bool = False, body: str = "") -> Module:
    """The code module behind the workbook (`ThisWorkbook`) or a worksheet."""
    base = _WORKBOOK_BASE if workbook else _WORKSHEET_BASE
    head = _attributes(name, base, predeclared=True, exposed=True, customizable=True)
    return Module(name, DOCUMENT, head + _crlf(body))


def module_from_bas(text: str) -> Module:
    """A standard module from the text of an exported `.bas` file."""
    text = _crlf(text).lstrip("\ufeff")
    first = text.split("\r\n", 1)[0]
    if not first.startswith('Attribute VB_Name = "'):
        raise ValueError('a .bas file must start with: Attribute VB_Name = "<name>"')
    return Module(first.split('"')[1], STANDARD, text)


def module_from_cls(text: str) -> Module:
    """A class module from the text of an exported `.cls` file.

    The export header (`VERSION 1.0 CLASS` / `BEGIN` … `END`) is not part of the stored
    source; Excel stores the attribute block with `VB_Base`, `VB_TemplateDerived` and
    `VB_Customizable` added, which is what this reproduces.
    """
    lines = _crlf(text).lstrip("\ufeff").split("\r\n")
    if lines and lines[0].startswith("VERSION "):
        end = lines.index("END")
        lines = lines[end + 1 :]
    attrs = {}
    i = 0
    while i < len(lines) and lines[i].startswith("Attribute VB_"):
        key, _, value = lines[i][len("Attribute ") :].partition(" = ")
        attrs[key] = value
        i += 1
    name = attrs["VB_Name"].strip('"')
    head = _attributes(
        name,
        _CLASS_BASE,
        predeclared=attrs.get("VB_PredeclaredId", "False") == "True",
        exposed=attrs.get("VB_Exposed", "False") == "True",
        customizable=False,
    )
    extra = "".join(
        f"Attribute {k} = {v}\r\n"
        for k, v in attrs.items()
        if k
        not in {"VB_Name", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId", "VB_Exposed"}
    )
    return Module(name, CLASS, head + extra + "\r\n".join(lines[i:]))


# --------------------------------------------------------------------------- project


@dataclass(frozen=True)
class Reference:
    """A registered type-library reference (REFERENCEREGISTERED)."""

    name: str
    libid: str


# The two references Excel gives every new VBA project.
DEFAULT_REFERENCES = (
    Reference(
        "stdole",
        r"*\G{00020430-0000-0000-C000-000000000046}#2.0#0#C:\Windows\System32\stdole2.tlb#OLE Automation",
    ),
    Reference(
        "Office",
        r"*\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL#Microsoft Office 16.0 Object Library",
    ),
)


@dataclass
class Project:
    """Everything needed to write a `vbaProject.bin`."""

    modules: list[Module]
    name: str = "VBAProject"
    references: tuple[Reference, ...] = DEFAULT_REFERENCES
    codepage: int = 1252
    lcid: int = 0x0409
    project_id: str = ""  # "{GUID}"; derived from the content when empty, for reproducible builds
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        seen = set()
        for m in self.modules:
            key = m.name.lower()
            if key in seen:
                raise ValueError(f"duplicate VBA module name: {m.name}")
            seen.add(key)
            if not m.name.isascii() or not m.name.replace("_", "a").isalnum() or not m.name[0].isalpha():
                raise ValueError(f"VBA module names must be ASCII identifiers: {m.name!r}")
        # Excel: "Name conflicts with existing module, project, or object library".
        taken = seen | {r.name.lower() for r in self.references}
        if self.name.lower() in taken:
            raise ValueError(f"the VBA project name {self.name!r} is also a module or reference name")
        if not self.project_id:
            digest = hashlib.sha256()
            digest.update(self.name.encode())
            for m in self.modules:
                digest.update(m.name.encode() + b"\0" + m.source.encode("utf-8") + b"\0")
            self.project_id = "{" + str(uuid.UUID(bytes=digest.digest()[:16], version=4)).upper() + "}"

    def encode(self, text: str) -> bytes:
        try:
            return text.encode(f"cp{self.codepage}")
        except UnicodeEncodeError as exc:
            raise ValueError(
                f"VBA text must be representable in code page {self.codepage}; "
                f"put Vietnamese text in Python or build it with ChrW(): {text[exc.start:exc.end + 20]!r}"
            ) from None


def _rec(rid: int, payload: bytes) -> bytes:
    return struct.pack("<HI", rid, len(payload)) + payload


def _u32(v: int) -> bytes:
    return struct.pack("<I", v)


def _u16(v: int) -> bytes:
    return struct.pack("<H", v)


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def dir_stream(project: Project) -> bytes:
    """The uncompressed `dir` stream ([MS-OVBA] 2.3.4.2)."""
    enc = project.encode
    out = bytearray()
    # PROJECTINFORMATION
    out += _rec(0x0001, _u32(0x00000003))  # PROJECTSYSKIND: 64-bit Windows (recompiled on 32-bit)
    out += _rec(0x0002, _u32(project.lcid))  # PROJECTLCID
    out += _rec(0x0014, _u32(project.lcid))  # PROJECTLCIDINVOKE
    out += _rec(0x0003, _u16(project.codepage))  # PROJECTCODEPAGE
    out += _rec(0x0004, enc(project.name))  # PROJECTNAME
    out += _rec(0x0005, b"") + _rec(0x0040, b"")  # PROJECTDOCSTRING (+ unicode)
    out += _rec(0x0006, b"") + _rec(0x003D, b"")  # PROJECTHELPFILEPATH (two copies)
    out += _rec(0x0007, _u32(0))  # PROJECTHELPCONTEXT
    out += _rec(0x0008, _u32(0))  # PROJECTLIBFLAGS
    # PROJECTVERSION: its "size" field is a reserved constant 4 although 6 bytes follow.
    out += struct.pack("<HIIH", 0x0009, 4, 1, 0)
    out += _rec(0x000C, b"") + _rec(0x003C, b"")  # PROJECTCONSTANTS (+ unicode)
    # PROJECTREFERENCES
    for ref in project.references:
        out += _rec(0x0016, enc(ref.name)) + _rec(0x003E, _utf16(ref.name))  # REFERENCENAME
        libid = enc(ref.libid)
        out += _rec(0x000D, _u32(len(libid)) + libid + _u32(0) + _u16(0))  # REFERENCEREGISTERED
    # PROJECTMODULES
    out += _rec(0x000F, _u16(len(project.modules)))
    out += _rec(0x0013, _u16(0xFFFF))  # PROJECTCOOKIE
    for m in project.modules:
        out += _rec(0x0019, enc(m.name)) + _rec(0x0047, _utf16(m.name))  # MODULENAME (+ unicode)
        out += _rec(0x001A, enc(m.name)) + _rec(0x0032, _utf16(m.name))  # MODULESTREAMNAME
        out += _rec(0x001C, b"") + _rec(0x0048, b"")  # MODULEDOCSTRING
        out += _rec(0x0031, _u32(0))  # MODULEOFFSET: source starts the stream, no p-code
        out += _rec(0x001E, _u32(0))  # MODULEHELPCONTEXT
        out += _rec(0x002C, _u16(0xFFFF))  # MODULECOOKIE
        out += _rec(0x0021 if m.kind == STANDARD else 0x0022, b"")  # MODULETYPE
        out += _rec(0x002B, b"")  # module terminator
    out += _rec(0x0010, b"")  # dir terminator
    return bytes(out)


def encrypt(project_id: str, data: bytes, seed: int, ignored: bytes | None = None) -> str:
    """Data encryption of [MS-OVBA] 2.4.3.2, as the hex text of the PROJECT stream.

    The key is derived from the project ID, so the protection lines only decrypt (and
    Excel only shows the project) when they were made with the same ID.
    """
    version = 2
    proj_key = sum(project_id.encode("ascii")) & 0xFF
    version_enc = seed ^ version
    proj_key_enc = seed ^ proj_key
    out = bytearray([seed, version_enc, proj_key_enc])
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, proj_key_enc, version_enc
    if ignored is None:  # content is free; VBA itself tends to repeat one byte
        ignored = bytes([seed]) * ((seed & 6) // 2)
    if len(ignored) != (seed & 6) // 2:
        raise ValueError("the seed fixes the number of ignored bytes")
    for byte in [*ignored, *_u32(len(data)), *data]:
        byte_enc = byte ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        out.append(byte_enc)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    return out.hex().upper()


def decrypt(project_id: str, text: str) -> bytes:
    """Inverse of :func:`encrypt`; checks the key against the project ID."""
    raw = bytes.fromhex(text)
    seed, version_enc, proj_key_enc = raw[0], raw[1], raw[2]
    if seed ^ version_enc != 2:
        raise ValueError("unknown encryption version")
    proj_key = seed ^ proj_key_enc
    if proj_key != sum(project_id.encode("ascii")) & 0xFF:
        raise ValueError("protection data does not belong to this project ID")
    unencrypted_1, encrypted_1, encrypted_2 = proj_key, proj_key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((encrypted_2 + unencrypted_1) & 0xFF)
        plain.append(byte)
        encrypted_2, encrypted_1, unencrypted_1 = encrypted_1, byte_enc, byte
    plain = plain[(seed & 6) // 2 :]
    (length,) = struct.unpack_from("<I", plain)
    if length != len(plain) - 4:
        raise ValueError("protection data length mismatch")
    return bytes(plain[4:])


def project_stream(project: Project) -> bytes:
    """The `PROJECT` stream ([MS-OVBA] 2.3.1): module list, name, protection, workspace."""
    pid = project.project_id
    seed_base = int(pid[1:3], 16)
    lines = [f'ID="{pid}"']
    for m in project.modules:
        if m.kind == DOCUMENT:
            lines.append(f"Document={m.name}/&H00000000")
        elif m.kind == CLASS:
            lines.append(f"Class={m.name}")
        else:
            lines.append(f"Module={m.name}")
    lines += [
        f'Name="{project.name}"',
        'HelpContextID="0"',
        'VersionCompatible32="393222000"',
        # Not protected, no password, project visible (2.3.1.15–2.3.1.17).
        f'CMG="{encrypt(pid, _u32(0), seed_base)}"',
        f'DPB="{encrypt(pid, bytes([0]), (seed_base + 1) & 0xFF)}"',
        f'GC="{encrypt(pid, bytes([0xFF]), (seed_base + 2) & 0xFF)}"',
        "",
        "[Host Extender Info]",
        "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000",
        "",
        "[Workspace]",
    ]
    lines += [f"{m.name}=0, 0, 0, 0, C" for m in project.modules]
    return project.encode("\r\n".join(lines) + "\r\n")


def projectwm_stream(project: Project) -> bytes:
    """The `PROJECTwm` stream: module names in MBCS and UTF-16 ([MS-OVBA] 2.3.3)."""
    out = bytearray()
    for m in project.modules:
        out += project.encode(m.name) + b"\0" + _utf16(m.name) + b"\0\0"
    return bytes(out + b"\0\0")


VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)


def build_vba_project(project: Project) -> bytes:
    """The bytes of `vbaProject.bin`: a compound file with the project's streams."""
    streams = {
        "PROJECT": project_stream(project),
        "PROJECTwm": projectwm_stream(project),
        "VBA/_VBA_PROJECT": VBA_PROJECT_STREAM,
        "VBA/dir": compress(dir_stream(project)),
    }
    for m in project.modules:
        streams[f"VBA/{m.name}"] = compress(project.encode(m.source))
    return cfb.write(streams)


# --------------------------------------------------------------------------- reading back


def read_modules(vba_project_bin: bytes) -> dict[str, str]:
    """Module name → source text of a `vbaProject.bin` (ours or Excel's).

    Used by `cchc excel-setup` to see which xlwings version a workbook embeds.
    """
    streams = cfb.read(vba_project_bin)
    d = decompress(streams["VBA/dir"])
    pos = 0
    codepage = 1252
    modules: dict[str, str] = {}
    name = stream = None
    offset = 0
    while pos + 6 <= len(d):
        rid, size = struct.unpack_from("<HI", d, pos)
        if rid == 0x0009:
            size = 6
        payload = d[pos + 6 : pos + 6 + size]
        pos += 6 + size
        if rid == 0x0003:
            (codepage,) = struct.unpack("<H", payload)
        elif rid == 0x0019:
            name = payload.decode(f"cp{codepage}", "replace")
        elif rid == 0x001A:
            stream = payload.decode(f"cp{codepage}", "replace")
        elif rid == 0x0031:
            (offset,) = struct.unpack("<I", payload)
        elif rid == 0x002B and name is not None:
            raw = streams[f"VBA/{stream or name}"]
            modules[name] = decompress(raw[offset:]).decode(f"cp{codepage}", "replace")
            name = stream = None
        elif rid == 0x0010:
            break
    return modules

"""--report: the province-level Word report of a merge, a complete ND30 document a Sở Nội vụ
signs: header, «Kính gửi», I. reporting (rates by group, units missing, files refused), II. the
results form by form, each figure with the number of units it rests on, and the chart of the
first key indicator, III. an assessment generated from the data (best and weakest units, units
below the province rate, units whose figures have errors, grouped by error), IV. the
recommendations the officer writes (`Issuer.kien_nghi`, from --kien-nghi), the closing,
«Nơi nhận» and the signature with the signer's name; then the appendices: the consolidated
forms and the rankings (every unit, and under each ranking the units not ranked and why).

Built on the commune report's machinery (`cchc.report`): the same sandboxed, autoescaping
docxtpl rendering (`cchc.report.render`), the same Vietnamese number formatting
(`cchc.numbers`) and the same safe writing (`cchc.report.output.write_report_file`: atomic,
never over a file open in Word). The template is docx_templates/bao_cao_tong_hop.docx, built
by `python scripts/build_word_templates.py` (cchc.merge.word_template). The text names
indicators by their labels, never by their codes. matplotlib draws the chart and is imported
only here.
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cchc.errors import CchcError
from cchc.numbers import format_number, format_pct

TEMPLATE_NAME = "bao_cao_tong_hop.docx"

TEMPLATE_VARIABLES: dict[str, str] = {
    "co_quan_chu_quan": "Cơ quan chủ quản, in hoa, ví dụ UBND TỈNH LÂM ĐỒNG (theo tỉnh ghi trong các tệp)",
    "co_quan_ban_hanh": "Cơ quan tổng hợp, in hoa (mặc định SỞ NỘI VỤ)",
    "ky_hieu_co_quan": "Chữ viết tắt của cơ quan trong ký hiệu văn bản, ví dụ SNV",
    "dia_danh": "Địa danh (tên tỉnh)",
    "nam_ban_hanh": "Năm ban hành",
    "trich_yeu": "Trích yếu",
    "kinh_gui": "Danh sách nơi kính gửi",
    "ky_nam": "Kỳ và năm, ví dụ Quý I năm 2025",
    "mo_dau": "Câu mở đầu",
    "cau_nop_bao_cao": "Câu về tình hình nộp báo cáo và tỷ lệ nộp",
    "nhom": "Tỷ lệ nộp theo nhóm: r.ten, r.phai_nop, r.da_nop, r.da_tong_hop, r.ty_le",
    "chua_nop": "Tên các đơn vị chưa nộp",
    "tep_bi_loai": "Các tệp không tổng hợp: «tệp (đơn vị): lý do»",
    "ket_qua": "Kết quả theo biểu mẫu: k.ten, k.cau (các câu, mỗi câu ghi số đơn vị có số liệu)",
    "bieu_do": "Hình biểu đồ phân bố tỷ lệ chính giữa các đơn vị",
    "bieu_do_chu_thich": "Chú thích của hình",
    "danh_gia": "Đánh giá theo từng chỉ tiêu chính: d.ten, d.cau (các câu)",
    "cau_loi": "Câu về các đơn vị có lỗi số liệu",
    "loi": "Các lỗi, mỗi loại một dòng: r.stt, r.noi_dung, r.so_don_vi, r.don_vi",
    "kien_nghi": "Kiến nghị, đề xuất của cơ quan tổng hợp (các đoạn; trống: để cán bộ viết)",
    "ket_luan": "Câu kết",
    "noi_nhan": "Danh sách nơi nhận đã có dấu: '- …;' và '- Lưu: VT.'",
    "chuc_vu": "Chức vụ người ký",
    "nguoi_ky": "Họ và tên người ký",
    "phu_luc_ten": "Tên phụ lục I (biểu tổng hợp)",
    "phu_luc_kem_theo": "(Kèm theo Báo cáo …)",
    "bieu_mau": "Bảng tổng hợp: f.title, f.subtitle, f.rows (r.stt, r.label, r.unit, r.value, r.n, r.min, "
                "r.max, r.how, r.how_short, r.level)",
    "xep_hang": "Xếp hạng theo chỉ tiêu chính: x.ten, x.chung, x.rows (r.hang, r.don_vi, r.nhom, r.gia_tri, "
                "r.tu_so, r.mau_so), x.khong (r.don_vi, r.gia_tri, r.ly_do)",
    "bang_them": "Bảng riêng của loại báo cáo: t.title; bảng được chèn vào đoạn «[[BANG:số thứ tự]]»",
}

# Below this share of the merged units, a figure is said to rest on few units.
FEW_UNITS = 0.5
# How many units the assessment names at the top and the bottom, and below the province rate.
NAMED = 3
NAMED_BELOW = 10


@dataclass(frozen=True)
class Issuer:
    """Who issues the province report, and what only they write: the ND30 header, the number
    line, «Kính gửi», the signature (title and name) and the recommendations. Names are given
    as written in a sentence ("Sở Nội vụ"); the header prints them in capitals. `chu_quan`
    empty: "UBND TỈNH <tỉnh>" from the province the files name; `kinh_gui` empty: "Ủy ban nhân
    dân tỉnh <tỉnh>". `kien_nghi`: paragraphs (--kien-nghi FILE.txt); empty, the report keeps a
    marked place for them."""

    co_quan: str = "Sở Nội vụ"
    chu_quan: str = ""
    ky_hieu: str = "SNV"
    chuc_vu: str = "Giám đốc"
    nguoi_ky: str = ""
    kinh_gui: tuple[str, ...] = ()
    kien_nghi: tuple[str, ...] = ()


RECOMMENDATIONS_PLACEHOLDER = ("[Cán bộ tổng hợp ghi kiến nghị, đề xuất tại đây trước khi trình ký; hoặc tạo lại "
                               "báo cáo với tùy chọn --kien-nghi TEP.txt.]")
MAX_RECOMMENDATIONS_BYTES = 200_000


def read_recommendations(path: str | Path) -> tuple[str, ...]:
    """The paragraphs of a recommendations file (plain text, UTF-8, one paragraph per line)."""
    from cchc.files import read_input
    from cchc.report.context import paragraphs

    p = Path(path)
    raw = read_input(p, "tệp kiến nghị", max_bytes=MAX_RECOMMENDATIONS_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CchcError(f"Tệp kiến nghị «{p.name}» phải là văn bản thuần (.txt) mã UTF-8: trong Notepad chọn "
                        "Save As, Encoding: UTF-8.") from None
    return tuple(paragraphs(text))


def default_template() -> Path:
    """The shipped template: cchc/data/ when installed from a wheel, else docx_templates/."""
    from cchc.report.render import shipped_template

    return shipped_template(TEMPLATE_NAME, "mẫu báo cáo tổng hợp")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text else text


def _names(places, limit: int, show=None) -> str:
    """"Xã A (98,12%), Xã B (97%) và 5 đơn vị khác"."""
    shown = [f"{p.unit.name or p.unit.code}" + (f" ({show(p.value)})" if show else "") for p in places[:limit]]
    more = len(places) - limit
    text = ", ".join(shown)
    return text + (f" và {format_number(more)} đơn vị khác" if more > 0 else "")


def _title_of(row) -> str:
    """A row's label up to its explanation ("… (Lũy kế đến thời điểm báo cáo)", "…. Liên thông
    2 cấp: …"), for a heading or the start of a sentence."""
    return re.split(r"\s*\(|\.\s", row.label, maxsplit=1)[0].strip(" .") or row.label


def _value_text(row, value) -> str:
    return format_pct(value) if row.type in ("pct", "ratio") else format_number(value)


def _resting_on(n: int | None, merged: int) -> str:
    """"27/27 đơn vị có số liệu"; when few units gave it, says so."""
    n = n or 0
    text = f"{format_number(n)}/{format_number(merged)} đơn vị có số liệu"
    if merged and n < merged * FEW_UNITS:
        text += ", chưa đại diện cho toàn bộ các đơn vị"
    return text


def result_sentences(result, form) -> list[str]:
    """The key figures of one form, each with the number of units it rests on: ratios
    (recomputed from the sums), level-1 counts and sums, averages, flags."""
    from cchc.merge.compare import ratio_clause

    totals = result.totals
    merged = len(result.merged_units)
    out = []
    for row in form.rows:
        s = totals.summaries.get(row.ref)
        if not s or row.type in ("group", "choice"):
            continue
        unit = (row.unit or "").lower()
        if row.type == "ratio":
            if s.get("value") is None:
                continue
            den_unit = result.catalogue.row(f"{row.form}:{row.den}").unit.lower()
            change = ratio_clause(result.comparison, row.ref) if result.comparison else ""
            out.append(f"{_title_of(row)}: {format_pct(s['value'])} ({format_number(s['num'])}/"
                       f"{format_number(s['den'])}{' ' + den_unit if den_unit else ''}; "
                       f"{_resting_on(s.get('n'), merged)}){change}.")
        elif row.type == "flag":
            if not s["n"]:
                continue
            out.append(f"{_title_of(row)}: {format_number(s['yes'])}/{format_number(s['n'])} đơn vị trả lời "
                       f"«{row.choice_label(1) or 'Có'}» ({_resting_on(s['n'], merged)}).")
        elif s.get("aggregate") == "sum" and row.level == 1 and s.get("sum") is not None:
            out.append(f"{_title_of(row)}: {format_number(s['sum'])}{' ' + unit if unit and unit != '%' else ''} "
                       f"({_resting_on(s['n'], merged)}).")
        elif s.get("aggregate") == "mean" and s.get("mean") is not None:
            value = _value_text(row, s["mean"])
            spread = (f"thấp nhất {_value_text(row, s['min'])}, cao nhất {_value_text(row, s['max'])}; "
                      if s.get("min") is not None else "")
            out.append(f"{_title_of(row)}: trung bình {value}{' ' + unit if unit and unit != '%' else ''} mỗi đơn vị "
                       f"({spread}{_resting_on(s['n'], merged)}).")
    return out


def assessment(result, ranking) -> list[str]:
    """What the data says about one key indicator: the province rate and what it rests on,
    the best and weakest units, the units below the province rate, the units not ranked."""
    row = ranking.row
    merged = len(result.merged_units)
    s = result.totals.summaries.get(ranking.ref) or {}
    show = lambda v: _value_text(row, v)  # noqa: E731
    out = []
    if ranking.province is not None:
        basis = (f"{format_number(s['num'])}/{format_number(s['den'])}; " if row.type == "ratio" and s.get("den")
                 else "")
        what = "tỷ lệ chung" if row.type == "ratio" else "mức trung bình"
        out.append(f"{what[:1].upper()}{what[1:]} của các đơn vị là {show(ranking.province)} ({basis}"
                   f"{_resting_on(len(ranking.ranked) + len(ranking.errors), merged)}).")
    if ranking.ranked:
        k = min(NAMED, max(1, len(ranking.ranked) // 2))  # the top and the bottom never overlap
        best = ranking.ranked[:k]
        worst = ranking.ranked[::-1][:k] if len(ranking.ranked) > 1 else []
        text = f"Cao nhất: {_names(best, NAMED, show)}"
        if worst:
            text += f"; thấp nhất: {_names(worst, NAMED, show)}"
        out.append(text + ".")
    below = ranking.below_province
    if ranking.province is not None and below:
        out.append(f"Có {format_number(len(below))}/{format_number(len(ranking.ranked))} đơn vị thấp hơn "
                   f"{'tỷ lệ chung' if row.type == 'ratio' else 'mức trung bình'}: "
                   f"{_names(below[::-1], NAMED_BELOW)}.")
    if ranking.errors:
        out.append(f"Không xếp hạng {format_number(len(ranking.errors))} đơn vị có lỗi số liệu ở chỉ tiêu này: "
                   f"{_names(ranking.errors, NAMED_BELOW, show)}; đề nghị các đơn vị rà soát, sửa lại.")
    missing = len(ranking.not_ranked) - len(ranking.errors)
    if missing:
        out.append(f"{format_number(missing)} đơn vị không có số liệu ở chỉ tiêu này.")
    return out


def error_rows(result) -> list[dict[str, Any]]:
    """The errors of the merged files, one row per kind of error (its rule), with the units."""
    cat = result.catalogue
    messages = {r.get("id"): str(r.get("message") or "") for r in cat.rules if isinstance(r, dict)}
    rows: dict[str, dict[str, Any]] = {}
    for u in result.merged_units:
        for f in u.merged.findings:
            if f.severity != "error":
                continue
            key = f.rule_id or f.message
            entry = rows.get(key)
            if entry is None:
                text = messages.get(f.rule_id) or f.message
                try:
                    label = cat.row(f.ref).short if f.form else ""
                except KeyError:
                    label = ""
                entry = rows[key] = {"noi_dung": f"«{label}»: {text}" if label else text, "units": []}
            if u not in entry["units"]:
                entry["units"].append(u)
    out = []
    for i, entry in enumerate(sorted(rows.values(), key=lambda e: -len(e["units"])), start=1):
        names = [u.name or u.code for u in entry["units"]]
        out.append({"stt": i, "noi_dung": entry["noi_dung"], "so_don_vi": format_number(len(names)),
                    "don_vi": "; ".join(names)})
    return out


def _chart_png(result) -> tuple[bytes, str] | None:
    rankings = result.rankings
    if not rankings or not len(result.merged_units):
        return None
    try:
        import matplotlib
    except ImportError:  # the report is still made, without its chart
        return None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from cchc.merge.workbook import BANDS, band_counts, band_label

    ranking = rankings[0]
    row = ranking.row
    counts = band_counts([p.value for p in ranking.ranked])
    labels = [band_label(lo, hi).replace(" – dưới ", "–") for lo, hi in BANDS]
    fig, ax = plt.subplots(figsize=(7.0, 3.4), dpi=150)
    bars = ax.bar(range(len(counts)), counts, color="#4472C4")
    ax.set_xticks(range(len(counts)), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("Số đơn vị")
    ax.set_title(f"Phân bố {_lower_first(row.short or row.label)} giữa các đơn vị", fontsize=10)
    ax.bar_label(bars, fontsize=7)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    left = len(ranking.not_ranked)
    caption = (f"Hình: số đơn vị theo khoảng giá trị của chỉ tiêu «{_title_of(row)}»"
               + (f"; không tính {format_number(left)} đơn vị không có số liệu hoặc có lỗi số liệu." if left else "."))
    return buf.getvalue(), caption


def build_context(result, issuer: Issuer | None = None) -> dict[str, Any]:
    from cchc.merge import records as S
    from cchc.merge.total_rows import formatted, total_row
    from cchc.report.context import appendix_title

    issuer = issuer or Issuer()
    cat = result.catalogue
    ky_nam = result.period_text
    merged = result.merged_units
    provinces = Counter(str(u.merged.info.get("tinh") or "").strip() for u in merged)
    provinces.pop("", None)
    tinh = provinces.most_common(1)[0][0] if provinces else ""
    done, expected = result.reporting
    sent = result.submitted[0]
    missing = [u for u in result.expected_units if u.state == S.UNIT_MISSING]
    excluded_units = [u for u in result.expected_units if u.state == S.UNIT_EXCLUDED]
    rate = format_pct(sent / expected * 100) if expected else ""
    cau_nop = (f"Đến thời điểm tổng hợp, có {format_number(sent)}/{format_number(expected)} đơn vị đã nộp báo cáo, "
               f"đạt tỷ lệ {rate}; {format_number(len(missing))} đơn vị chưa nộp. Số liệu của "
               f"{format_number(done)} đơn vị được tổng hợp"
               + (f"; {format_number(len(excluded_units))} đơn vị có nộp nhưng báo cáo không tổng hợp được "
                  "(xem danh sách tệp dưới đây)." if excluded_units else "."))
    from cchc.merge.workbook import group_rates

    has_groups = any(u.group for u in result.units)
    nhom = [{"ten": name, "phai_nop": format_number(a), "da_nop": format_number(b), "da_tong_hop": format_number(c),
             "ty_le": format_pct(b / a * 100) if a else ""}
            for name, a, b, c in (group_rates(result) + [("Tổng cộng", expected, sent, done)])] if has_groups else []
    bad = []
    for f in result.excluded_files:
        who = f.info.get("don_vi")
        bad.append(f"{os.path.basename(f.path)}{f' ({who})' if who else ''}: {f.reason}")

    ket_qua = []
    for form in cat.forms:
        sentences = result_sentences(result, form)
        if sentences:
            ket_qua.append({"ten": form.subtitle or form.title, "cau": sentences})

    danh_gia = [{"ten": _title_of(r.row), "cau": assessment(result, r)} for r in result.rankings]
    loi = error_rows(result)
    with_errors = [u for u in merged if u.merged.errors]
    n_err = sum(u.merged.errors for u in with_errors)
    cau_loi = (f"Có {format_number(len(with_errors))}/{format_number(len(merged))} đơn vị có lỗi số liệu "
               f"(tổng số {format_number(n_err)} lỗi); số liệu của các đơn vị này vẫn được tổng hợp, nhưng không "
               "được xếp hạng ở chỉ tiêu có lỗi. Đề nghị các đơn vị rà soát, chỉnh sửa và gửi lại:"
               if with_errors else "Không đơn vị nào có lỗi số liệu khi kiểm tra tự động.")

    forms = []
    for form in cat.forms:
        rows = []
        for row in form.rows:
            cells = total_row(row, result.totals.summaries.get(row.ref))
            rows.append(formatted(cells, row) | {"level": row.level})
        forms.append({"title": form.title, "subtitle": form.subtitle, "rows": rows})

    xep_hang = []
    for r in result.rankings:
        show = (lambda row: lambda v: "" if v is None else _value_text(row, v))(r.row)
        xep_hang.append({
            "ten": _title_of(r.row),
            "chung": show(r.province) if r.province is not None else "",
            "rows": [{"hang": format_number(p.rank), "don_vi": p.unit.name or p.unit.code, "nhom": p.unit.group,
                      "gia_tri": show(p.value), "tu_so": format_number(p.num), "mau_so": format_number(p.den)}
                     for p in r.ranked],
            "khong": [{"don_vi": p.unit.name or p.unit.code, "gia_tri": show(p.value), "ly_do": p.reason}
                      for p in r.not_ranked],
        })

    co_quan = issuer.co_quan
    kinh_gui = list(issuer.kinh_gui) or ([f"Ủy ban nhân dân tỉnh {tinh}"] if tinh else [])
    trich_yeu = f"Tổng hợp kết quả công tác cải cách hành chính {ky_nam} của các đơn vị cấp xã"
    return {
        "co_quan_chu_quan": (issuer.chu_quan.upper() if issuer.chu_quan
                             else f"UBND TỈNH {tinh.upper()}" if tinh else ""),
        "co_quan_ban_hanh": co_quan.upper(),
        "ky_hieu_co_quan": issuer.ky_hieu,
        "dia_danh": tinh,
        "nam_ban_hanh": result.plan.period.get("nam") or "",
        "trich_yeu": trich_yeu,
        "kinh_gui": kinh_gui,
        "ky_nam": ky_nam,
        "mo_dau": (f"Trên cơ sở báo cáo của các đơn vị, {co_quan} tổng hợp kết quả công tác cải cách "
                   f"hành chính {ky_nam} như sau:"),
        "cau_nop_bao_cao": cau_nop,
        "nhom": nhom,
        "chua_nop": [u.name or u.code for u in missing],
        "tep_bi_loai": bad,
        "ket_qua": ket_qua,
        "bieu_do": None,
        "bieu_do_chu_thich": "",
        "danh_gia": danh_gia,
        "cau_loi": cau_loi,
        "loi": loi,
        "kien_nghi": list(issuer.kien_nghi) or [RECOMMENDATIONS_PLACEHOLDER],
        "ket_luan": (f"Trên đây là báo cáo {_lower_first(trich_yeu)}"
                     + (f"; {co_quan} kính báo cáo {kinh_gui[0]}" if len(kinh_gui) == 1 else "") + "./."),
        "noi_nhan": (["- Như trên;"] if kinh_gui else []) + ["- Lưu: VT."],
        "chuc_vu": issuer.chuc_vu.upper(),
        "nguoi_ky": issuer.nguoi_ky,
        "phu_luc_ten": appendix_title(cat),
        "phu_luc_kem_theo": (f"(Kèm theo Báo cáo số        /BC-{issuer.ky_hieu} ngày      /      /"
                             f"{result.plan.period.get('nam') or ''} của {co_quan})"),
        "bieu_mau": forms,
        "xep_hang": xep_hang,
        "bang_them": [],
    }


_MARKER = "[[BANG:"


def _cell_text(col, v) -> str:
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if col.type == "pct":
        return format_pct(v)
    if col.type in ("int", "number"):
        return format_number(v)
    return str(v)


def _insert_tables(payload: bytes, tables) -> bytes:
    """Put each extra table where the template left its marker paragraph "[[BANG:i]]".
    Tables of a kind module have their own columns, so they are built here with python-docx
    rather than written as fixed-column loops in the template."""
    from docx import Document
    from docx.shared import Pt

    doc = Document(io.BytesIO(payload))
    for p in list(doc.paragraphs):
        text = p.text.strip()
        if not (text.startswith(_MARKER) and text.endswith("]]")):
            continue
        table = tables[int(text[len(_MARKER):-2])]
        t = doc.add_table(rows=1, cols=len(table.columns))
        t.style = doc.styles["Table Grid"]
        for cell, col in zip(t.rows[0].cells, table.columns):
            run = cell.paragraphs[0].add_run(col.header)
            run.bold = True
            run.font.size = Pt(12)
        for values in table.rows:
            for cell, col, v in zip(t.add_row().cells, table.columns, values):
                cell.paragraphs[0].add_run(_cell_text(col, v)).font.size = Pt(12)
        p._p.addnext(t._tbl)
        if table.note:
            p.text = table.note
        else:
            p._p.getparent().remove(p._p)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def render_province_report(result, template: str | Path | None = None, issuer: Issuer | None = None) -> bytes:
    from cchc.report.render import render_docx

    path = Path(template) if template else default_template()
    ctx = build_context(result, issuer)
    images = {}
    chart = _chart_png(result)
    if chart is not None:
        images["bieu_do"] = (chart[0], 160)
        ctx["bieu_do_chu_thich"] = chart[1]
    tables = list(result.tables)
    if result.comparison:  # --compare: the earlier merges' values and the changes, one more table
        from cchc.merge.compare import comparison_table

        tables.append(comparison_table(result.comparison))
    ctx["bang_them"] = [{"title": t.title} for t in tables]
    payload = render_docx(ctx, path, images=images, trusted=template is None)
    return _insert_tables(payload, tables) if tables else payload


def write_province_report(result, out: str | Path, template: str | Path | None = None,
                          issuer: Issuer | None = None) -> Path:
    from cchc.report.output import write_report_file

    out = Path(out)
    if not out.parent.exists():
        raise CchcError(f"Thư mục để ghi báo cáo không tồn tại: {out.parent}")
    return write_report_file(out, render_province_report(result, template, issuer))

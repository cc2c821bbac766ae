"""The quarterly report's Word template (docx_templates/bao_cao_cchc_ky.docx): the standard
report (cchc.report.word_template) with the wording of the seed report (UBND xã Đưng K'Nớ,
31/BC-UBND) and of the national forms.

The .docx is committed: a province opens it in Word, changes the wording or the styles, and
passes its own copy with `cchc report --template`. This is how the original is made, so that
it stays reproducible and reviewable (`python scripts/build_word_templates.py`).
"""

from __future__ import annotations

from pathlib import Path

from cchc.report.word_template import build_standard


def build(out: Path) -> Path:
    return build_standard(
        out,
        title="Báo cáo kết quả công tác cải cách hành chính",
        subject="Mẫu báo cáo định kỳ CCHC (cchc)",
        opening="{% if loi_dan %}{{ loi_dan }}, {% endif %}{{ don_vi_day_du }} báo cáo kết quả thực hiện "
                "công tác cải cách hành chính {{ ky_nam }}, cụ thể như sau:",
        closing="Trên đây là báo cáo kết quả thực hiện công tác cải cách hành chính {{ ky_nam }}"
                "{% if nhiem_vu_ky_toi %}; {{ nhiem_vu_ky_toi }}{% endif %} của {{ don_vi_day_du }}./.",
        # «BIỂU MẪU … TẠI UBND XÃ …» from the catalogue (appendix_title).
        appendix_title="{{ phu_luc_ten }}",
        column_subtitle="(Sử dụng trong kỳ báo cáo hàng quý, 6 tháng, năm)",
    )

"""The Word report as printed: A4 landscape, tables whole, no near-empty page."""

from __future__ import annotations

from tests.print import pages, to_pdf


def test_the_word_report_prints_without_near_empty_pages(demo):
    ws, folder = demo
    path = ws.town("交城").report(folder / "报告.docx", fmt="docx")
    printed = pages(to_pdf(path, folder / "pdf"))
    assert len(printed) >= 2
    lines = [sum(1 for line in page.splitlines() if line.strip()) for page in printed]
    fullest = max(lines)
    # No page under a fifth full (counted in printed lines against the fullest page).
    assert all(count >= fullest / 5 for count in lines), lines
    text = "\n".join(printed)
    for part in ("一、专业镇基本情况", "三个一批", "认定标准对照", "产业链招商图谱", "数据说明"):
        assert part in text
    assert "jiaocheng_nitro" not in text and "万元" not in text


def test_the_html_report_has_no_internal_ids(demo):
    ws, folder = demo
    html = ws.town("交城").report(folder / "报告.html").read_text(encoding="utf-8")
    assert "jiaocheng_nitro" not in html and "工程判断" not in html and "种子文件" not in html

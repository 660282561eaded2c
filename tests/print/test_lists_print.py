"""The lists as they come out of a printer: A4 landscape, every column on every page."""

from __future__ import annotations

from chainmap.analysis.targets import TargetFilters
from tests.print import pages, to_pdf


def test_a_50_row_target_list_prints_on_at_most_4_landscape_pages(demo):
    ws, folder = demo
    path, count = ws.town("交城").target_list(
        folder / "招商引资清单.xlsx", filters=TargetFilters(top=50)
    )
    assert count == 50
    pdf = to_pdf(path, folder / "pdf")
    printed = pages(pdf)
    # The 说明 sheet prints after the list: the list itself is every page but the last.
    listed = [p for p in printed if "推荐理由" in p]
    assert 1 <= len(listed) <= 4, len(listed)
    for page in listed:  # the header repeats and no column spills onto another page
        for heading in ("序号", "目标企业", "推荐理由", "跟进状态", "备注"):
            assert heading in page
    assert "第 1 页" in printed[0]


def test_the_project_list_and_ranking_print_whole(demo):
    ws, folder = demo
    path, _ = ws.town("交城").project_list(folder / "重大项目清单.xlsx")
    printed = pages(to_pdf(path, folder / "pdf"))
    assert any("三个一批合计" in page for page in printed)
    first = printed[0]
    for heading in ("项目名称", "总投资（万元）", "签约日期", "预警", "项目编号"):
        assert heading in first

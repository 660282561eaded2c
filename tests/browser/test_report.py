"""The town report: escaped, complete, and loading offline in a real browser."""

from __future__ import annotations

from tests.browser import visit
from tests.contract.test_lists import SETTINGS, TODAY, _data


def test_report_escapes_and_loads_offline(store, tmp_path):
    from chainmap.workspace import Workspace

    _data(store, tmp_path, firm_name="<script>alert(1)</script>", town_name="<b>恶意</b>镇")
    page = Workspace(store, SETTINGS).town("T").report(tmp_path / "report.html", as_of=TODAY)
    html = page.read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html and "<b>恶意</b>" not in html
    assert "&lt;b&gt;恶意&lt;/b&gt;镇" in html
    for section in (
        "一、专业镇基本情况",
        "二、产业链完整度与缺口",
        "三、重点招商目标",
        "四、招商跟进",
        "五、重大项目（三个一批）",
        "六、问题台账与责任清单",
        "七、认定标准对照",
        "年度排名：第 1 名",
        "八、产业链招商图谱",
        "数据说明",
        "统计日期 2026-11-23",
        "@media print",
    ):
        assert section in html
    # For a meeting: no internal ids or database paths; the chain as a static diagram; every
    # project of the 三个一批 named; amounts in 亿元.
    assert "编号" not in html and str(tmp_path) not in html and "<iframe" not in html
    assert "<svg" in html and "缺链环节" in html
    for project in ("-签约项目", "开工项目", "在谈项目"):
        assert project in html
    assert "亿元" in html and "万元" not in html.split("<body>")[1]
    seen = visit(page, tmp_path / "report.png", wait_for="document.readyState === 'complete'")
    assert seen.blocked_requests == [] and seen.console_errors == [] and seen.dialogs == []

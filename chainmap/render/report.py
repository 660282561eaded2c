"""The town report (专业镇招商工作报告): an offline, printable HTML page, or a Word document
that offices circulate and edit. Both say what chainmap.render.report_content says."""

from __future__ import annotations

from pathlib import Path

from chainmap.render.chain_diagram import chain_svg
from chainmap.render.chain_map import _environment
from chainmap.render.report_content import ReportData, report_content

__all__ = ["ReportData", "render_report"]


def render_report(data: ReportData, out: Path, *, fmt: str = "html") -> Path:
    content = report_content(data)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        from chainmap.render.report_docx import write_docx

        return write_docx(content, data, out)
    html = (
        _environment()
        .get_template("town_report.html.j2")
        .render(content=content, diagram=chain_svg(data.gaps, data.map_targets.targets))
    )
    out.write_text(html, encoding="utf-8")
    return out

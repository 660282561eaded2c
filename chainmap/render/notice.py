"""督办通知书 as a printable page (HTML, A4 portrait) and as a Word document an office edits,
stamps and sends. Both say what `notice_content` says."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from chainmap.analysis.supervision import Notice
from chainmap.render.report_content import Table

NUMERALS = "一二三四五六七八九十"


@dataclass
class NoticeContent:
    title: str
    doc_number: str
    addressee: str
    opening: str
    parts: list[tuple[str, Table]]  # (heading, table of the overdue items)
    closing: str
    issuer: str
    date: str


def _date_zh(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice_content(notice: Notice) -> NoticeContent:
    town = notice.town
    rank = notice.rank
    year = notice.as_of.year
    why = "；".join(notice.reasons) or "综合评价排名靠后"
    standing = (
        "列为督办对象"
        if "督办" in rank.mark
        else "排名虽居前列，但建设进度存在滞后事项，列入专项督办"
    )
    opening = (
        f"根据专业镇年度评价排名，{town['name']}在 {notice.towns_ranked} 个专业镇中排名第 "
        f"{rank.rank} 名（综合得分 {rank.score:.1f}），{standing}。督办事由：{why}。"
        f"截至 {_date_zh(notice.as_of)}，需限期整改的事项如下："
    )
    parts = [
        (
            f"逾期未解决的问题（{len(notice.problems)} 项）",
            Table(
                ["问题编号", "问题描述", "责任单位", "办结时限", "逾期"],
                [
                    [
                        e.id,
                        e.row["description"],
                        e.row.get("owner_unit") or "未明确",
                        e.row.get("due_on") or "",
                        f"{e.overdue_days} 天",
                    ]
                    for e in notice.problems
                ],
                nowrap=(0, 3, 4),
            ),
        ),
        (
            f"逾期未完成的责任清单任务（{len(notice.tasks)} 项）",
            Table(
                ["任务编号", "任务内容", "责任单位", "完成时限", "进展情况", "逾期"],
                [
                    [
                        e.id,
                        e.row["item"],
                        e.row.get("owner_unit") or "未明确",
                        e.row.get("due_on") or "",
                        e.row.get("progress") or "未报进展",
                        f"{e.overdue_days} 天",
                    ]
                    for e in notice.tasks
                ],
                nowrap=(0, 3, 5),
            ),
        ),
        (
            f"进度滞后的重大项目（{len(notice.projects)} 个）",
            Table(
                ["项目名称", "投资方", "状态", "最近日期", "责任单位", "预警"],
                [
                    [
                        p.row["name"],
                        p.investor or "",
                        p.status,
                        p.last_date() or "",
                        p.row.get("owner_unit") or "未明确",
                        p.flag_text,
                    ]
                    for p in notice.projects
                ],
                nowrap=(2, 3),
            ),
        ),
        (
            f"下一步逾期未跟进的招商对象（{len(notice.leads)} 家）",
            Table(
                ["目标企业", "跟进状态", "下一步", "计划日期", "责任单位", "逾期"],
                [
                    [
                        lead.firm_name,
                        lead.status,
                        lead.next_step or "未写明",
                        lead.next_on or "",
                        lead.owner_unit or "未明确",
                        f"{lead.overdue_days} 天",
                    ]
                    for lead in notice.leads
                ],
                nowrap=(1, 3, 5),
            ),
        ),
    ]
    parts = [(f"{NUMERALS[i]}、{heading}", table) for i, (heading, table) in enumerate(parts)]
    closing = (
        f"请{town['name']}对照以上事项逐项整改，明确责任人和完成时间，于 "
        f"{_date_zh(notice.deadline)}前完成整改，并将整改情况书面报送{notice.issuer}。"
    )
    return NoticeContent(
        title="督办通知书",
        doc_number=f"督办〔{year}〕{notice.number}号",
        addressee=f"{town['name']}：",
        opening=opening,
        parts=parts,
        closing=closing,
        issuer=notice.issuer,
        date=_date_zh(notice.as_of),
    )


def render_notice(notice: Notice, out: Path, *, fmt: str = "html") -> Path:
    content = notice_content(notice)
    out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "docx":
        return _write_docx(content, out)
    from chainmap.render.chain_map import _environment

    html = _environment().get_template("notice.html.j2").render(content=content)
    out.write_text(html, encoding="utf-8")
    return out


def _write_docx(content: NoticeContent, out: Path) -> Path:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    from chainmap.render.report_docx import _east_asian, _table

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.2))
    for side in ("top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.5))
    normal = document.styles["Normal"]
    normal.font.size = Pt(12)
    normal.element.get_or_add_rPr()
    _east_asian(normal, "仿宋")

    def paragraph(
        text: str,
        *,
        font: str = "仿宋",
        size: float = 12,
        bold: bool = False,
        align=None,
        indent: bool = False,
    ):
        made = document.add_paragraph()
        run = made.add_run(text)
        run.font.size = Pt(size)
        run.bold = bold
        _east_asian(run, font)
        if align is not None:
            made.alignment = align
        if indent:
            made.paragraph_format.first_line_indent = Pt(size * 2)
        made.paragraph_format.space_before = Pt(8 if font == "黑体" else 2)
        return made

    paragraph(content.title, font="黑体", size=20, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(content.doc_number, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph(content.addressee)
    paragraph(content.opening, indent=True)
    for heading, table in content.parts:
        paragraph(heading, font="黑体", bold=True)
        _table(document, table, printable_cm=21.0 - 2 * 2.2)
    paragraph(content.closing, indent=True)
    paragraph(content.issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph(content.date, align=WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(out)
    return out

"""The town report as an editable Word document (python-docx): A4 landscape, headings, tables
whose header row repeats on every page, and the chain as a three-column table coloured by
status (Word prints it as drawn and a clerk can edit it)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from chainmap.analysis.gaps import STATUS_ZH
from chainmap.render.chain_diagram import diagram_columns
from chainmap.render.report_content import ReportContent, ReportData, Table
from chainmap.text import display_width

COLOUR = {"strong": "2E7D32", "weak": "B26A00", "missing": "C62828"}
SHADE = {"strong": "E8F5E9", "weak": "FFF8E1", "missing": "FFEBEE"}
HEADER_SHADE = "1F4E78"
FONT = "宋体"
PRINTABLE_CM = 29.7 - 2 * 1.6
# Width of one display column (half a CJK character) of 9.5-point text, in cm.
CM_PER_COLUMN = 0.24


def _east_asian(run, name: str = FONT) -> None:
    """The Chinese font of a run (or, given a style's element holder, of a style)."""
    element = run._element if hasattr(run, "_element") else run.element
    properties = element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


def _shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shading)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)
    cant_split = OxmlElement("w:cantSplit")
    properties.append(cant_split)


def _text(cell, text: str, *, bold: bool = False, colour: str | None = None, size: float = 9.5):
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    _east_asian(run)
    return paragraph


def _widths(table: Table, printable_cm: float = PRINTABLE_CM) -> list[float]:
    """Column widths in cm over the printable width: columns that must not wrap (ids, dates,
    short words) get what their longest cell needs; the rest share what is left by content."""
    needs = []
    for index, heading in enumerate(table.headers):
        cells = [display_width(row[index]) for row in table.rows] or [0]
        needs.append((display_width(heading), max(cells)))
    fixed = {
        index: max(1.2, CM_PER_COLUMN * max(needs[index]) + 0.6)
        for index in table.nowrap
        if index < len(needs)
    }
    if sum(fixed.values()) > printable_cm * 0.7:  # too many: fall back to shares for all
        fixed = {}
    wants = {
        index: min(max(heading, cells), 70) + 2
        for index, (heading, cells) in enumerate(needs)
        if index not in fixed
    }
    left = printable_cm - sum(fixed.values())
    total = sum(wants.values()) or 1
    return [
        fixed[index] if index in fixed else max(1.4, left * wants[index] / total)
        for index in range(len(needs))
    ]


def _table(document, table: Table, printable_cm: float = PRINTABLE_CM) -> None:
    rows = table.rows or [[table.empty] + [""] * (len(table.headers) - 1)]
    grid = document.add_table(rows=1 + len(rows), cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, _widths(table, printable_cm), strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice reads
        for cell in column.cells:
            cell.width = Cm(width)  # each cell, which Word reads
    header = grid.rows[0]
    _repeat_header(header)
    for cell, heading in zip(header.cells, table.headers, strict=True):
        _shade(cell, HEADER_SHADE)
        _text(cell, heading, bold=True, colour="FFFFFF")
    for index, values in enumerate(rows, start=1):
        row = grid.rows[index]
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        status = table.row_status[index - 1] if table.row_status and table.rows else None
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            colour = COLOUR[status] if status and column == 2 else None
            paragraph = _text(cell, value, bold=bool(colour), colour=colour)
            if column in table.numeric:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if not table.rows:
        merged = grid.rows[1].cells[0].merge(grid.rows[1].cells[-1])
        merged.paragraphs[0].runs[0].text = table.empty


def _diagram(document, data: ReportData) -> None:
    columns = diagram_columns(data.gaps, data.map_targets.targets)
    grid = document.add_table(rows=2, cols=len(columns))
    grid.style = "Table Grid"
    for cell, stage in zip(grid.rows[0].cells, columns, strict=True):
        _shade(cell, HEADER_SHADE)
        _text(cell, f"{stage} →" if stage != "下游" else stage, bold=True, colour="FFFFFF")
    _repeat_header(grid.rows[0])
    for cell, boxes in zip(grid.rows[1].cells, columns.values(), strict=True):
        first = True
        for box in boxes:
            paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
            first = False
            label = f"{STATUS_ZH[box.status]}{'·' + box.kind if box.kind else ''}"
            for text, bold, colour in (
                (f"■ {box.name}", True, COLOUR[box.status]),
                (f"（{label}）", False, COLOUR[box.status]),
                (f" 本地 {box.local} 家", False, None),
            ):
                run = paragraph.add_run(text)
                run.bold = bold
                run.font.size = Pt(9.5)
                if colour:
                    run.font.color.rgb = RGBColor.from_string(colour)
                _east_asian(run)
            if box.targets:
                run = cell.add_paragraph().add_run("    目标：" + "、".join(box.targets))
                run.font.size = Pt(8.5)
                _east_asian(run)


def write_docx(content: ReportContent, data: ReportData, out: Path) -> Path:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.6))
    normal = document.styles["Normal"]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr()
    _east_asian(normal)
    title = document.add_heading(content.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        _east_asian(run, "黑体")
    subtitle = document.add_paragraph(content.subtitle)
    subtitle.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for part in content.sections:
        heading = document.add_heading(part.title, level=1)
        for run in heading.runs:
            _east_asian(run, "黑体")
        if part.kpis:
            document.add_paragraph("　".join(f"{label}：{value}" for label, value in part.kpis))
        for text in part.paragraphs:
            document.add_paragraph(text)
        for caption, table in part.tables:
            if caption:
                run = document.add_paragraph().add_run(caption)
                run.bold = True
                _east_asian(run)
            _table(document, table)
        if part.diagram:
            _diagram(document, data)
            document.add_paragraph(
                "上游 → 中游 → 下游；绿色为强链、黄色为弱链、红色为缺链，缺口环节列出前两家目标企业。"
            )
        for text in part.notes:
            paragraph = document.add_paragraph()
            run = paragraph.add_run(text)
            run.font.size = Pt(9)
            _east_asian(run)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.add_run(f"{content.title} · 统计日期 {content.as_of} · 第 ")
    _field(footer, "PAGE")
    footer.add_run(" 页")
    document.save(out)
    return out


def _field(paragraph, code: str) -> None:
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)

"""Tables of a web page saved under an Excel name: web systems' "导出 Excel" often writes an
HTML table and calls it .xls. Excel and WPS open it as a sheet, so a register in that form is
read as the sheet they show: one row per <tr>, a cell spanning rows or columns a merged range
(filled down and said by the workbook readers' own read.fill_merged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chainmap.errors import SourceError
from chainmap.importer.read import decode_csv

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Spans past these are taken as these: a typo such as rowspan="9999" must not make millions of
# cells.
_MAX_SPAN = 1000


@dataclass
class HtmlTable:
    rows: list[list[str | None]]  # row n at index n-1; a cell covered by a span is None
    # Cells spanning rows or columns, as the workbook readers give merged ranges: (first row,
    # first column, last row, last column), rows from 1 and columns from 0.
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)


def _text(data: bytes, label: str) -> str:
    """The page as text: in the charset its <meta> declares, else as a CSV file is decoded."""
    declared = _CHARSET.search(data[:4096])
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        encoding = declared[1].decode("ascii").lower()
        if encoding in ("gbk", "gb2312"):
            encoding = "gb18030"  # a superset; pages that say gb2312 often hold GBK characters
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            pass  # the declaration is wrong: decode as any file
    return decode_csv(data, label)[0]


def _cell_text(cell: object) -> str | None:
    for br in cell.iter("br"):  # type: ignore[attr-defined]
        br.tail = " " + (br.tail or "")  # a line break in a cell still parts its words
    text = " ".join(cell.text_content().split())  # type: ignore[attr-defined]
    return text or None


def _span(cell: object, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name) or 1), _MAX_SPAN))  # type: ignore[attr-defined]
    except ValueError:
        return 1


def html_tables(data: bytes, label: str) -> list[HtmlTable]:
    """Every table of the page, outermost first; nested tables are read on their own."""
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(_text(data, label))
    except (etree.ParserError, ValueError):
        raise SourceError(f"{label}：网页表格无法解析，请在 Excel 或 WPS 中另存为 .xlsx") from None
    tables = []
    for table in root.iter("table"):
        rows: list[list[str | None]] = []
        merges: list[tuple[int, int, int, int]] = []
        covering: dict[int, int] = {}  # column -> rows below still covered by a span
        for tr in table.iter("tr"):
            if _owner(tr) is not table:
                continue  # a row of a nested table
            number = len(rows) + 1
            placed: dict[int, str | None] = {}
            starting: dict[int, int] = {}
            column = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                while column in covering:
                    placed[column] = None
                    column += 1
                down, across = _span(td, "rowspan"), _span(td, "colspan")
                placed[column] = _cell_text(td)
                if down > 1 or across > 1:
                    merges.append((number, column, number + down - 1, column + across - 1))
                if down > 1:
                    starting[column] = down - 1
                column += across
            for covered in list(covering):  # to the right of this row's cells too
                placed.setdefault(covered, None)
                covering[covered] -= 1
                if not covering[covered]:
                    del covering[covered]
            covering.update(starting)
            width = max(placed, default=-1) + 1
            rows.append([placed.get(at) for at in range(width)])
        if rows:
            # A span said to run past the table's last row ends there, as Excel shows it.
            merges = [(first, col, min(last, len(rows)), end) for first, col, last, end in merges]
            tables.append(HtmlTable(rows, merges))
    return tables


def _owner(tr: object) -> object:
    node = tr.getparent()  # type: ignore[attr-defined]
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node

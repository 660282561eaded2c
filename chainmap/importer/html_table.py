"""Tables of a web page saved under an Excel name: web systems' "导出 Excel" often writes an
HTML table and calls it .xls. Excel and WPS open it as a sheet, so a register in that form is
read as the sheet they show: one row per <tr>, a cell spanning rows (rowspan) filled down as a
merged cell is, a cell spanning columns (colspan) shown once in its first column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chainmap.errors import SourceError

_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_-]+)""", re.IGNORECASE)
# Spans past these are taken as these: a typo such as rowspan="9999" must not make millions of
# cells.
_MAX_SPAN = 1000


@dataclass
class HtmlTable:
    rows: list[list[str | None]]
    # Cells that spanned rows: (row, column) of the cell, both from 1, its last row, its text.
    spans: list[tuple[int, int, int, str]] = field(default_factory=list)


def _text(data: bytes, label: str) -> str:
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    declared = _CHARSET.search(data[:4096])
    candidates = [declared[1].decode("ascii").lower()] if declared else []
    for encoding in [*candidates, "utf-8", "gb18030"]:
        if encoding in ("gbk", "gb2312"):
            encoding = "gb18030"  # a superset; pages that say gb2312 often hold GBK characters
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceError(f"{label}：无法识别网页表格的文字编码（支持 UTF-8、GBK/GB18030、UTF-16）")


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
        spans: list[tuple[int, int, int, str]] = []
        pending: dict[int, tuple[int, str | None]] = {}  # column -> (rows still covered, text)
        for tr in table.iter("tr"):
            if _owner(tr) is not table:
                continue  # a row of a nested table
            number = len(rows) + 1
            placed: dict[int, str | None] = {}
            starting: dict[int, tuple[int, str | None]] = {}
            column = 0
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                while column in pending:
                    placed[column] = _carry(pending, column)
                    column += 1
                text = _cell_text(td)
                down, across = _span(td, "rowspan"), _span(td, "colspan")
                placed[column] = text
                if down > 1:
                    starting[column] = (down - 1, text)
                    if text is not None:
                        spans.append((number, column + 1, number + down - 1, text))
                column += across
            for covered in sorted(pending):  # spans from above to the right of this row's cells
                carried = _carry(pending, covered)
                placed.setdefault(covered, carried)
            pending.update(starting)
            width = max(placed, default=-1) + 1
            rows.append([placed.get(at) for at in range(width)])
        if rows:
            # A span said to run past the table's last row ends there, as Excel shows it.
            spans = [(row, col, min(last, len(rows)), text) for row, col, last, text in spans]
            tables.append(HtmlTable(rows, spans))
    return tables


def _carry(pending: dict[int, tuple[int, str | None]], column: int) -> str | None:
    left, text = pending[column]
    if left > 1:
        pending[column] = (left - 1, text)
    else:
        del pending[column]
    return text


def _owner(tr: object) -> object:
    node = tr.getparent()  # type: ignore[attr-defined]
    while node is not None and node.tag != "table":
        node = node.getparent()
    return node

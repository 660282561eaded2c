"""Excel 97-2003 workbooks (.xls), read with xlrd and handed to the readers in the shape of the
read-only openpyxl workbook they already take: sheets with a title, a visibility state, rows of
values as openpyxl gives them (text, numbers, dates, booleans, error texts), and merged ranges.

Government systems and older templates still export .xls, and WPS saves to it on request. xlrd
reads a formula cell's saved result but cannot tell that it was a formula, so unlike an .xlsx
no note names such cells.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from chainmap.errors import SourceError

XLS_MAGIC = b"\xd0\xcf\x11\xe0"  # the compound-file header of .xls (and of .doc, .ppt)

# What xlrd raises on a damaged file, besides its own errors.
_DAMAGED = (struct.error, AssertionError, IndexError, KeyError, ValueError, EOFError, OSError,
            UnicodeDecodeError)  # fmt: skip
# xlrd's Sheet.visibility, as openpyxl's sheet_state.
_STATES = {0: "visible", 1: "hidden", 2: "veryHidden"}


class XlsSheet:
    def __init__(self, sheet: Any, datemode: int):
        self._sheet = sheet
        self._datemode = datemode
        self.title: str = sheet.name
        self.sheet_state = _STATES.get(sheet.visibility, "hidden")

    def iter_rows(
        self, max_row: int | None = None, values_only: bool = True
    ) -> Iterator[tuple[Any, ...]]:
        import xlrd

        count = self._sheet.nrows if max_row is None else min(max_row, self._sheet.nrows)
        for number in range(count):
            yield tuple(self._value(xlrd, cell) for cell in self._sheet.row(number))

    def merges(self) -> list[tuple[int, int, int, int]]:
        """Merged ranges as (first row, first column, last row, last column): rows counted
        from 1 and columns from 0, as the .xlsx reader gives them."""
        return [
            (first_row + 1, first_col, end_row, end_col - 1)
            for first_row, end_row, first_col, end_col in self._sheet.merged_cells
        ]

    def _value(self, xlrd: Any, cell: Any) -> Any:
        kind, value = cell.ctype, cell.value
        if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
            return None
        if kind == xlrd.XL_CELL_DATE:
            try:
                moment = xlrd.xldate.xldate_as_datetime(value, self._datemode)
            except (xlrd.xldate.XLDateError, OverflowError, ValueError):
                return value  # not a date Excel can show: the number it holds
            return moment.time() if 0 <= value < 1 else moment
        if kind == xlrd.XL_CELL_BOOLEAN:
            return bool(value)
        if kind == xlrd.XL_CELL_ERROR:
            return xlrd.error_text_from_code.get(value, "#ERROR!")
        return value  # text, or a number (float)


class XlsWorkbook:
    def __init__(self, book: Any):
        self._book = book
        self.worksheets = [XlsSheet(sheet, book.datemode) for sheet in book.sheets()]
        self.sheetnames = [sheet.title for sheet in self.worksheets]

    def close(self) -> None:
        self._book.release_resources()


def open_xls(path: Path) -> XlsWorkbook:
    """The workbook at `path`; a file that is encrypted, damaged or not a workbook at all (a
    .doc has the same header) is refused with a message. The caller bounds its size."""
    import xlrd
    from xlrd.compdoc import CompDocError

    try:
        # formatting_info: the merged ranges are read only with it.
        book = xlrd.open_workbook(str(path), formatting_info=True)
    except (xlrd.XLRDError, CompDocError, *_DAMAGED) as exc:
        raise _refusal(path, exc) from None
    return XlsWorkbook(book)


# An .xlsx with an opening password is stored in this same compound-file format, its workbook
# in a stream of this name (UTF-16 in the file's directory).
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _refusal(path: Path, error: Exception) -> SourceError:
    if "encrypt" in str(error).lower() or _ENCRYPTED_PACKAGE in path.read_bytes():
        return SourceError(f"{path.name} 设有打开密码：请在 Excel 或 WPS 中取消密码后再导入")
    return SourceError(
        f"{path.name}：不是可读的 Excel 97-2003 工作簿（.xls），或文件已损坏；请在 Excel 或 WPS 中"
        "打开，“另存为” Excel 工作簿（.xlsx）后再导入"
    )

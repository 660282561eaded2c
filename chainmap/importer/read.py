"""Read a town dataset (XLSX workbook, CSV folder, zip of CSVs, or a URL to any of them) into
tables of text cells, keeping the row numbers the user sees (header = row 1).

Nothing here judges the values: that is validate.py's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.config import InputLimits, input_limits
from chainmap.errors import SourceError
from chainmap.importer.fetch import fetch_url, is_url
from chainmap.model import TABLES, ContractRow

# The sheet of the template workbook that explains the columns; never a data table.
HELP_SHEET = "说明"
# Sheets of a classify review workbook that are for the reviewer's eyes only.
QUIET_SHEETS = (HELP_SHEET, "未匹配企业", "问题")
# Lists chainmap writes for reading, not for bringing back (the 招商引资清单 does come back):
# what to do instead, after "… 是 chainmap 导出的".
EXPORT_ONLY = {
    "重大项目清单": (
        "重大项目清单，不能导入：项目进展请用 chainmap project move 更新，新项目用 chainmap "
        "project add，或在填报模板（chainmap template）的“项目”页填写后导入"
    ),
    "专业镇年度排名": "专业镇年度排名，不需导入：排名由 chainmap rank 按库中数据生成",
}
ROW_COLUMN = "_row"


@dataclass
class RawTable:
    """One table as read: canonical column names, text cells, and the user's row numbers."""

    table: str
    label: str  # the file or sheet name, as the user knows it
    frame: pd.DataFrame  # canonical and extra columns as text (or None), plus ROW_COLUMN
    headers: dict[str, str]  # canonical column -> header as written
    extra_columns: list[str] = field(default_factory=list)


@dataclass
class RawDataset:
    source: str
    tables: dict[str, RawTable]
    notes: list[str] = field(default_factory=list)  # things worth telling, not errors
    ignored: list[str] = field(default_factory=list)  # sheets or files not read, as labelled
    # Ignored sheets or files whose header is that of a contract table: data that would be lost.
    misnamed: dict[str, str] = field(default_factory=dict)  # label -> the table it looks like


def _normalise(name: str) -> str:
    name = str(name).strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return name.rstrip("*").lower()


def _aliases(canonical: str, zh: str) -> set[str]:
    return {_normalise(canonical), _normalise(zh), _normalise(f"{zh}({canonical})")}


_TABLE_BY_NAME: dict[str, str] = {
    alias: table
    for table, row in TABLES.items()
    for alias in (
        *_aliases(table, row.table_zh),
        *(_normalise(name) for name in row.sheet_aliases),
    )
}


# An exported list keeps its kind at the end of its file name (交城镇-招商引资清单.csv).
_TABLE_BY_NAME_END: dict[str, str] = {
    _normalise(alias): table for table, row in TABLES.items() for alias in row.sheet_aliases
}


def table_for_name(name: str) -> str | None:
    """The contract table a sheet or file (without extension) stands for, if any."""
    normalised = _normalise(name)
    found = _TABLE_BY_NAME.get(normalised)
    if found is None:
        found = next((t for end, t in _TABLE_BY_NAME_END.items() if normalised.endswith(end)), None)
    return found


def known_table_names() -> str:
    return "、".join(f"{row.table_zh}（{table}）" for table, row in TABLES.items())


def table_for_header(header: list[str | None]) -> str | None:
    """The contract table whose columns a header row carries (at least three, key included)."""
    written = {_normalise(h) for h in header if h}
    best, best_count = None, 0
    for table, row in TABLES.items():
        lookup = _column_lookup(row)
        found = {lookup[w] for w in written if w in lookup}
        if (
            row.key[0] in found
            and len(found) >= min(3, len(row.columns()))
            and len(found) > best_count
        ):
            best, best_count = table, len(found)
    return best


def _ignored(what: str) -> str:
    return f"忽略{what}：不是已知的数据表（可用的表名：{known_table_names()}）"


def _column_lookup(row: type[ContractRow]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in row.columns():
        for alias in _aliases(column, row.zh(column)):
            lookup[alias] = column
        for alias in row.header_aliases(column):
            lookup.setdefault(_normalise(alias), column)
    return lookup


def _to_raw_table(table: str, label: str, header: list[str], frame: pd.DataFrame) -> RawTable:
    row_model = TABLES[table]
    lookup = _column_lookup(row_model)
    renames: dict[str, str] = {}
    headers: dict[str, str] = {}
    extra: list[str] = []
    for position, written in enumerate(header):
        if written is None or str(written).strip() == "":
            continue
        canonical = lookup.get(_normalise(written))
        source_name = frame.columns[position]
        if canonical is None:
            extra_name = str(written).strip()
            renames[source_name] = extra_name
            extra.append(extra_name)
        elif canonical not in headers:
            renames[source_name] = canonical
            headers[canonical] = str(written).strip()
    kept = [c for c in frame.columns if c in renames or c == ROW_COLUMN]
    frame = frame[kept].rename(columns=renames)
    return RawTable(table=table, label=label, frame=frame, headers=headers, extra_columns=extra)


# --- CSV -------------------------------------------------------------------------------------


def decode_csv(data: bytes, label: str) -> tuple[str, str]:
    """Decode CSV bytes; returns (text, encoding name). Refuses rather than guesses wrong.

    Excel in China writes GBK/GB18030 for "CSV" and UTF-16 for "Unicode text"; UTF-8 may carry a
    BOM. Strict UTF-8 almost never accepts GBK-encoded Chinese, so trying UTF-8 first is safe.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\ufeff" in text.lstrip("\ufeff"):
            line = text.lstrip("\ufeff").split("\ufeff", 1)[0].count("\n") + 1
            raise SourceError(
                f"{label}：第 {line} 行有字节顺序标记（BOM），像是两个文件拼接而成；"
                "请分别保存后再导入"
            )
        return text, encoding
    raise SourceError(
        f"{label}：无法识别文件编码（支持 UTF-8、带 BOM 的 UTF-8、GBK/GB18030、UTF-16）"
    )


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_csv_text(text: str, label: str) -> tuple[list[str], pd.DataFrame]:
    try:
        frame = pd.read_csv(
            # Bytes, not StringIO: pandas parses a StringIO about ten times slower.
            io.BytesIO(text.encode("utf-8")),
            encoding="utf-8",
            sep=_delimiter(text),
            # Plain Python strings: pandas' Arrow-backed str dtype is slow to iterate row by row.
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            header=None,
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError:
        raise SourceError(f"{label}：文件是空的（没有表头行）") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{label}：{_parser_message(str(exc))}") from None
    if not len(frame):
        raise SourceError(f"{label}：文件是空的（没有表头行）")
    limit = input_limits().max_rows
    if len(frame) - 1 > limit:
        raise SourceError(
            f"{label}：{len(frame) - 1:,} 行，超过上限 {limit:,} 行（可在配置 [limits] max_rows 调整）"
        )
    header = [str(v) for v in frame.iloc[0].tolist()]
    body = frame.iloc[1:].reset_index(drop=True)
    # Every physical line is a row (blank lines included) unless a quoted cell spans lines:
    # only then can a stray quote have swallowed rows.
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)
    if len(frame) != lines:
        _refuse_swallowed_rows(body, label, _delimiter(text), len(header))
    body.columns = [f"c{i}" for i in range(body.shape[1])]
    blank = np.ones(len(body), dtype=bool)
    for column in list(body.columns):
        values, present = _stripped(body[column])
        blank &= ~present
        body[column] = values.where(present, None)
    body[ROW_COLUMN] = range(2, len(body) + 2)
    return header, body[~blank].reset_index(drop=True)


def _stripped(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """A column's cells without surrounding white space, and which of them are not empty.
    Arrow does it a column at a time; cells come back as Python strings only if one changed."""
    cells = pa.array(column.to_numpy(), pa.string(), from_pandas=True)
    trimmed = pc.utf8_trim_whitespace(cells)
    present = pc.fill_null(pc.not_equal(trimmed, ""), False).to_numpy(zero_copy_only=False)
    unchanged = pc.all(pc.fill_null(pc.equal(trimmed, cells), True)).as_py()
    if unchanged:
        return column, present
    return pd.Series(trimmed.to_numpy(zero_copy_only=False), index=column.index), present


def _parser_message(text: str) -> str:
    if m := re.search(r"EOF inside string starting at row (\d+)", text):
        return (
            f"第 {int(m[1]) + 1} 行的引号没有闭合（直到文件末尾都没有配对的引号），其后各行会被并入"
            "一个单元格；请删除多余的引号后再导入"
        )
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text):
        return f"第 {m[2]} 行有 {m[3]} 列，而前面的行只有 {m[1]} 列；请检查该行是否多了逗号或引号"
    return f"CSV 格式错误（{text}）"


def _refuse_swallowed_rows(body: pd.DataFrame, label: str, delimiter: str, width: int) -> None:
    """A quote opened and never closed makes the following lines one cell: the row count drops
    without a word. A cell holding line breaks and as many delimiters as a row is that."""
    if width < 3:
        return
    for column in body.columns:
        values = body[column]
        multi = values[values.str.contains("\n", regex=False, na=False)]
        for index, value in multi.items():
            swallowed = [
                line for line in value.split("\n")[1:] if line.count(delimiter) >= width - 2
            ]
            if swallowed:
                raise SourceError(
                    f"{label}：第 {int(index) + 2} 行有未闭合的引号，其后 {len(swallowed)} 行被并入一个"
                    f"单元格（{_clip(value)}）；请删除多余的引号后再导入"
                )


def _clip(text: str) -> str:
    flat = text.replace("\n", "↵")
    return flat if len(flat) <= 40 else flat[:37] + "..."


def read_csv_folder(folder: Path, source: str | None = None) -> RawDataset:
    tables: dict[str, RawTable] = {}
    notes: list[str] = []
    ignored: list[str] = []
    misnamed: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".csv", ".txt", ".tsv") or not path.is_file():
            continue
        table = table_for_name(path.stem)
        if table is None:
            notes.append(_ignored(f"文件 {path.name}"))
            ignored.append(path.name)
            with path.open("rb") as handle:
                first = handle.readline(4096)
            try:
                header_text, _ = decode_csv(first, path.name)
            except SourceError:
                continue
            looks_like = table_for_header(next(csv.reader([header_text.strip()]), []))
            if looks_like:
                misnamed[path.name] = looks_like
            continue
        if table in tables:
            raise SourceError(
                f"{path.name} 与 {tables[table].label} 都对应数据表 {table}，请只保留一个"
            )
        text, encoding = decode_csv(path.read_bytes(), path.name)
        header, body = read_csv_text(text, path.name)
        tables[table] = _to_raw_table(table, path.name, header, body)
        if encoding not in ("utf-8", "utf-8-sig"):
            notes.append(f"{path.name} 按 {encoding.upper()} 编码读取")
    if not tables:
        raise SourceError(f"{folder} 中没有可识别的数据表（如 towns.csv、firms.csv，或中文表名）")
    return RawDataset(
        source=source or str(folder), tables=tables, notes=notes, ignored=ignored, misnamed=misnamed
    )


# --- XLSX ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        # Sixteen digits or more come from a code typed as a number: Excel kept 15 of them.
        # Written as Excel shows it, so the id rules can say what happened.
        return f"{value:.15G}" if abs(value) >= 1e15 else str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb'<c r="([A-Z]+\d+)"[^>]*>\s*<f[ >/]')


def _column_index(letters: bytes) -> int:
    index = 0
    for ch in letters.decode():
        index = index * 26 + ord(ch) - 64
    return index - 1


@dataclass
class _SheetMarks:
    merges: list[
        tuple[int, int, int, int]
    ]  # (first row, first col, last row, last col), 0-based cols
    formulas: list[str]  # cell references holding a formula


def _sheet_marks(archive: zipfile.ZipFile, member: str) -> _SheetMarks:
    """Merged ranges and formula cells, read off the sheet's XML as a stream (openpyxl's
    read-only mode, the only one with bounded memory, reports neither)."""
    merges: list[tuple[int, int, int, int]] = []
    formulas: list[str] = []
    tail = b""
    with archive.open(member) as handle:
        while True:
            chunk = handle.read(1 << 20)
            text = tail + chunk
            # Matches starting in the last 200 bytes are left for the next round, whole.
            cut = len(text) - 200 if chunk else len(text)
            for m in _MERGE.finditer(text):
                if m.start() < cut:
                    merges.append((int(m[2]), _column_index(m[1]), int(m[4]), _column_index(m[3])))
            formulas.extend(m[1].decode() for m in _FORMULA.finditer(text) if m.start() < cut)
            if not chunk:
                break
            tail = text[max(cut, 0) :]
    return _SheetMarks(merges, formulas)


def _header_row(rows: list[list[str | None]], table: str) -> int:
    """Index of the header among the first rows: a title row (合并的标题) may stand above it."""
    lookup = _column_lookup(TABLES[table])
    for index, cells in enumerate(rows[:5]):
        if sum(_normalise(c) in lookup for c in cells if c) >= 2:
            return index
    return 0


def _fill_merged(
    rows: list[list[str | None]], marks: _SheetMarks, label: str, notes: list[str]
) -> None:
    """Every cell a merged range covers gets the range's value (Excel shows it on each row)."""
    from openpyxl.utils import get_column_letter

    for first_row, first_col, last_row, last_col in marks.merges:
        if first_row > len(rows) or (first_row == last_row and first_col == last_col):
            continue
        top = rows[first_row - 1]
        value = top[first_col] if first_col < len(top) else None
        if value is None:
            continue
        # Down the rows only: a range spanning columns shows its value once, in its first column.
        for number in range(first_row, min(last_row, len(rows)) + 1):
            cells = rows[number - 1]
            if first_col < len(cells):
                cells[first_col] = value
        ref = f"{get_column_letter(first_col + 1)}{first_row}:{get_column_letter(last_col + 1)}{last_row}"
        if last_row > first_row:
            notes.append(
                f"{label} {ref} 是合并单元格：已把“{value}”填入其覆盖的第 {first_row}–{last_row} 行"
            )


def sheet_cells(
    workbook: Any, sheet: Any, label: str, notes: list[str], max_rows: int
) -> list[list[str | None]]:
    """A read-only sheet's cells as text, row n at index n-1, merged ranges filled down; what
    was filled or read from a formula's saved result is said in `notes`. `max_rows` data rows
    are allowed, plus a few for titles and the header."""
    rows: list[list[str | None]] = []
    for values in sheet.iter_rows(values_only=True):
        rows.append([_cell_text(v) for v in values])
        if len(rows) > max_rows + 5:
            raise SourceError(f"{label}：超过上限 {max_rows:,} 行")
    marks = _sheet_marks(workbook._archive, sheet._worksheet_path)
    _fill_merged(rows, marks, label, notes)
    if marks.formulas:
        shown = "、".join(marks.formulas[:5]) + ("等" if len(marks.formulas) > 5 else "")
        notes.append(
            f"{label} 有 {len(marks.formulas)} 个公式单元格（{shown}）：按 Excel 最后保存时"
            "的计算结果读取；没有计算结果的按空白处理"
        )
    return rows


def _check_archive(archive: zipfile.ZipFile, label: str, limits: InputLimits) -> None:
    """Refuse before extracting: too many members, too large unpacked, or packed suspiciously
    tight (a zip bomb)."""
    members = archive.infolist()
    if len(members) > limits.max_members:
        raise SourceError(
            f"{label}：压缩包内有 {len(members):,} 个文件，超过上限 {limits.max_members:,} 个"
        )
    total = sum(m.file_size for m in members)
    if total > limits.max_uncompressed_mb * 1024 * 1024:
        raise SourceError(
            f"{label}：解压后共 {total / 1024 / 1024:,.0f} MB，超过上限 "
            f"{limits.max_uncompressed_mb:,} MB（可在配置 [limits] 调整）"
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 10 * 1024 * 1024 and ratio > limits.max_ratio:
            raise SourceError(
                f"{label}：{member.filename} 压缩比 {ratio:,.0f}:1，疑似压缩炸弹，拒绝读取"
            )


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError, ValueError, TypeError)


def _damaged(label: str) -> SourceError:
    return SourceError(
        f"{label}：文件已损坏或不完整（可能没有下载完或保存中断），请在 Excel/WPS 中重新保存后再导入"
    )


def read_workbook(path: Path, source: str | None = None) -> RawDataset:
    from openpyxl import load_workbook

    limits = input_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, path.name, limits)
    except _DAMAGED:
        raise _damaged(path.name) from None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except _DAMAGED:
        raise _damaged(path.name) from None
    tables: dict[str, RawTable] = {}
    notes: list[str] = []
    ignored: list[str] = []
    misnamed: dict[str, str] = {}
    try:
        for sheet in workbook.worksheets:
            if sheet.title in QUIET_SHEETS:
                continue
            table = table_for_name(sheet.title)
            if table is None:
                notes.append(_ignored(f"工作表「{sheet.title}」"))
                ignored.append(f"工作表「{sheet.title}」")
                for values in itertools.islice(sheet.iter_rows(values_only=True), 5):
                    looks_like = table_for_header([_cell_text(v) for v in values])
                    if looks_like:
                        misnamed[f"工作表「{sheet.title}」"] = looks_like
                        break
                continue
            if table in tables:
                raise SourceError(
                    f"工作表「{sheet.title}」与「{tables[table].label}」都对应数据表 {table}"
                )
            label = f"工作表「{sheet.title}」"
            rows = sheet_cells(workbook, sheet, label, notes, limits.max_rows)
            start = _header_row(rows, table) if rows else 0
            if start:
                notes.append(f"{label}：第 {start + 1} 行是表头，其上的标题行已跳过")
            header = [c or "" for c in rows[start]] if rows else []
            records: list[list[str | None]] = []
            numbers: list[int] = []
            for number, values in enumerate(rows[start + 1 :], start=start + 2):
                cells = values[: len(header)]
                if any(c is not None for c in cells):
                    cells += [None] * (len(header) - len(cells))
                    records.append(cells)
                    numbers.append(number)
            frame = pd.DataFrame(
                records, columns=[f"c{i}" for i in range(len(header))], dtype=object
            )
            frame[ROW_COLUMN] = numbers
            tables[table] = _to_raw_table(table, label, header, frame)
    except _DAMAGED:
        raise _damaged(path.name) from None
    finally:
        workbook.close()
    if not tables:
        exported = next((EXPORT_ONLY[t] for t in workbook.sheetnames if t in EXPORT_ONLY), None)
        if exported:
            raise SourceError(f"{path.name} 是 chainmap 导出的{exported}")
        raise SourceError(
            f"{path.name} 中没有可识别的工作表；工作表应以数据表命名：{known_table_names()}"
        )
    return RawDataset(
        source=source or str(path), tables=tables, notes=notes, ignored=ignored, misnamed=misnamed
    )


# --- any source ------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the compound-file header of .xls (and .doc)


def _read_zip(path: Path, source: str) -> RawDataset:
    """A zip is either an XLSX workbook or an archive of CSV files."""
    try:
        archive = zipfile.ZipFile(path)
    except _DAMAGED:
        raise _damaged(path.name) from None
    with archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            return read_workbook(path, source)
        _check_archive(archive, path.name, input_limits())
        with tempfile.TemporaryDirectory(prefix="chainmap-zip-") as tmp:
            taken: dict[str, str] = {}
            for name in names:
                member = Path(name)
                if member.suffix.lower() not in (".csv", ".tsv", ".txt") or ".." in member.parts:
                    continue
                table = table_for_name(member.stem)
                if table is not None and table in taken:
                    raise SourceError(
                        f"{path.name}：{taken[table]} 与 {name} 都对应数据表 {table}，请只保留一个"
                    )
                if table is not None:
                    taken[table] = name
                try:
                    (Path(tmp) / member.name).write_bytes(archive.read(name))
                except _DAMAGED:
                    raise _damaged(f"{path.name}：{name}") from None
            return read_csv_folder(Path(tmp), source)


def read_dataset(location: str | Path) -> RawDataset:
    """Read a dataset from a path (XLSX, CSV folder, zip, single CSV) or an http(s) URL."""
    text = str(location)
    if is_url(text):
        if text.endswith("/"):
            return _read_url_folder(text)
        with tempfile.TemporaryDirectory(prefix="chainmap-url-") as tmp:
            path = fetch_url(text, Path(tmp))
            return _read_path(path, text)
    return _read_path(Path(location), text)


def _read_path(path: Path, source: str) -> RawDataset:
    if path.is_dir():
        return read_csv_folder(path, source)
    if not path.exists():
        raise SourceError(f"找不到数据文件或文件夹：{path}")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == _ZIP_MAGIC:
        return _read_zip(path, source)
    if magic == _OLE_MAGIC:
        raise SourceError(
            f"{path.name} 是旧版 Excel 97-2003 工作簿（.xls）：请在 Excel 或 WPS 中"
            "“另存为” Excel 工作簿（.xlsx）后再导入"
        )
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}：文件是空的")
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        table = table_for_name(path.stem)
        if table is None:
            raise SourceError(f"{path.name}：文件名不是已知的数据表（如 firms.csv 或 企业.csv）")
        with tempfile.TemporaryDirectory(prefix="chainmap-csv-") as tmp:
            target = Path(tmp) / path.name
            target.write_bytes(path.read_bytes())
            return read_csv_folder(Path(tmp), source)
    raise SourceError(f"{path.name}：不支持的文件类型（请用 .xlsx 工作簿、CSV 文件夹或 zip）")


def _read_url_folder(base: str) -> RawDataset:
    """A URL ending in / is a folder: fetch each table's CSV by its canonical name."""
    with tempfile.TemporaryDirectory(prefix="chainmap-url-") as tmp:
        found = 0
        for table in TABLES:
            path = fetch_url(f"{base}{table}.csv", Path(tmp), missing_ok=True)
            found += path is not None
        if not found:
            raise SourceError(f"{base} 下没有找到任何数据表（如 {base}towns.csv）")
        return read_csv_folder(Path(tmp), base)


def dataset_from_rows(tables: dict[str, list[dict[str, object]]], source: str) -> RawDataset:
    """Rows made by a command (not read from a file) as a dataset, so they pass the same checks.

    Keys are canonical column names; other keys become extra columns.
    """
    raw: dict[str, RawTable] = {}
    for table, rows in tables.items():
        columns = list(dict.fromkeys(key for row in rows for key in row))
        frame = pd.DataFrame(
            [[_cell_text(row.get(column)) for column in columns] for row in rows],
            columns=[f"c{i}" for i in range(len(columns))],
            dtype=object,
        )
        frame[ROW_COLUMN] = range(2, len(rows) + 2)
        raw[table] = _to_raw_table(table, f"{source}（{TABLES[table].table_zh}）", columns, frame)
    return RawDataset(source=source, tables=raw)

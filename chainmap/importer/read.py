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
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.config import InputLimits, input_limits
from chainmap.errors import SourceError
from chainmap.importer.fetch import fetch_url, is_url
from chainmap.importer.xls import XLS_MAGIC, XlsSheet, open_xls
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
    # Canonical and extra columns as text (null where blank), plus ROW_COLUMN (int64). Arrow
    # from the reader on: a million-row register never becomes Python objects cell by cell.
    data: pa.Table
    headers: dict[str, str]  # canonical column -> header as written
    extra_columns: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return self.data.num_rows


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


def _to_raw_table(
    table: str, label: str, header: list[str], cells: list[pa.Array], rows: pa.Array
) -> RawTable:
    """Columns in header order (text, null where blank) named by what their header means."""
    row_model = TABLES[table]
    lookup = _column_lookup(row_model)
    names: list[str] = []
    arrays: list[pa.Array] = []
    headers: dict[str, str] = {}
    extra: list[str] = []
    for written, column in zip(header, cells, strict=False):
        if written is None or str(written).strip() == "":
            continue
        canonical = lookup.get(_normalise(written))
        if canonical is None:
            extra_name = str(written).strip()
            if extra_name in extra or extra_name == ROW_COLUMN:
                continue  # the first column of a name is the one kept, as for contract columns
            names.append(extra_name)
            extra.append(extra_name)
        elif canonical not in headers:
            names.append(canonical)
            headers[canonical] = str(written).strip()
        else:
            continue
        arrays.append(column)
    data = pa.Table.from_arrays([*arrays, rows], names=[*names, ROW_COLUMN])
    return RawTable(table=table, label=label, data=data, headers=headers, extra_columns=extra)


def _text_columns(records: list[list[str | None]], width: int) -> list[pa.Array]:
    return [pa.array([r[i] for r in records], pa.string()) for i in range(width)]


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


def csv_utf8(data: bytes, label: str) -> tuple[bytes, str]:
    """CSV bytes as UTF-8 (BOM removed), and the encoding they were in. Valid UTF-8, the usual
    case for a large export, is checked by Arrow without decoding it into a Python string
    (a million-firm file is ~180 MB); anything else is decoded by decode_csv's rules."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or not _is_utf8(data):
        text, encoding = decode_csv(data, label)
        return text.encode("utf-8"), encoding
    encoding = "utf-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, encoding = data[3:], "utf-8-sig"
    if _has_bom(data):
        decode_csv(data, label)  # says where the second byte-order mark is
    return data, encoding


# Whole-file byte scans go through numpy in parts of this many bytes: bytes.count and `in`
# walk a million-firm file (~180 MB) at ~1 byte a cycle, ~0.35 s for the three scans.
_SCAN_BYTES = 1 << 22


def _count_byte(data: bytes, byte: bytes) -> int:
    """How many times one byte occurs in `data`."""
    values = np.frombuffer(data, np.uint8)
    wanted = byte[0]
    return sum(
        int(np.count_nonzero(values[at : at + _SCAN_BYTES] == wanted))
        for at in range(0, len(values), _SCAN_BYTES)
    )


def _has_bom(data: bytes) -> bool:
    """Whether a UTF-8 byte-order mark (EF BB BF) occurs anywhere in `data`."""
    values = np.frombuffer(data, np.uint8)
    for at in range(0, len(values), _SCAN_BYTES):
        # Two bytes more than the part, so a mark that starts at its end is seen whole.
        part = values[at : at + _SCAN_BYTES + 2]
        starts = np.flatnonzero(part[:-2] == 0xEF)
        if ((part[starts + 1] == 0xBB) & (part[starts + 2] == 0xBF)).any():
            return True
    return False


def _is_utf8(data: bytes) -> bool:
    buffer = pa.py_buffer(data)
    offsets = pa.py_buffer(np.array([0, len(data)], dtype=np.int64).tobytes())
    try:
        pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, buffer]).cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return "\t" if first_line.count("\t") > first_line.count(",") else ","


def read_csv_text(text: str, label: str, *, title_rows: int = 0) -> tuple[list[str], pa.Table]:
    return read_csv_bytes(text.encode("utf-8"), label, title_rows=title_rows)


def read_csv_bytes(data: bytes, label: str, *, title_rows: int = 0) -> tuple[list[str], pa.Table]:
    """The header row and the body of valid UTF-8 CSV bytes: columns c0, c1, … as text (surrounding
    white space trimmed, null where blank), ROW_COLUMN the row number the user sees; blank rows
    are dropped. Arrow parses a regular file; anything it refuses (a short row, a stray quote)
    is parsed again by pandas, whose reading and messages are the reference.

    `title_rows`: how many rows above the header may be a title (企查查's export has one), short
    or not: the file is as wide as the widest of its first 1 + title_rows rows. The "header"
    returned is then the first row; the caller finds the real one."""
    head = data[: 1 << 16].decode("utf-8", errors="ignore")
    delimiter = _delimiter(head)
    width = _first_record_width(head, delimiter, 1 + title_rows)
    cells = _arrow_csv(data, delimiter, width)
    if cells is None:
        cells = _pandas_csv(data, delimiter, label, width if title_rows else None)
    if not cells.num_rows:
        raise SourceError(f"{label}：文件是空的（没有表头行）")
    limit = input_limits().max_rows
    if cells.num_rows - 1 > limit:
        raise SourceError(
            f"{label}：{cells.num_rows - 1:,} 行，超过上限 {limit:,} 行（可在配置 [limits] max_rows 调整）"
        )
    header = ["" if v is None else str(v) for v in cells.slice(0, 1).to_pylist()[0].values()]
    body = cells.slice(1)
    # Every physical line is a row (blank lines included) unless a quoted cell spans lines:
    # only then can a stray quote have swallowed rows.
    lines = _count_byte(data, b"\n") + (0 if data.endswith(b"\n") else 1)
    if cells.num_rows != lines:
        _refuse_swallowed_rows(body, label, delimiter, len(header))
    columns: list[pa.ChunkedArray] = []
    blank = np.ones(body.num_rows, dtype=bool)
    for column in body.columns:
        values, empty = _stripped(column)
        blank &= empty
        columns.append(values)
    names = [f"c{i}" for i in range(len(columns))]
    rows = pa.array(np.arange(2, body.num_rows + 2, dtype=np.int64))
    table = pa.Table.from_arrays([*columns, rows], names=[*names, ROW_COLUMN])
    return header, table.filter(pa.array(~blank)) if blank.any() else table


def _first_record_width(text: str, delimiter: str, records: int = 1) -> int | None:
    """The most cells among the first `records` records."""
    try:
        rows = csv.reader(io.StringIO(text[: 1 << 16]), delimiter=delimiter)
        widths = [len(next(rows)), *(len(row) for row in itertools.islice(rows, records - 1))]
        return max(widths)
    except (csv.Error, StopIteration):
        return None


# Arrow reads a CSV in blocks of this many bytes (its default); each block is a chunk of every
# column. 16 MB blocks gave no less CPU over a million-firm dataset and ~100 MB more peak memory.
CSV_BLOCK_BYTES = 1 << 20


def _arrow_csv(data: bytes, delimiter: str, width: int | None) -> pa.Table | None:
    """Every line as a row of `width` text cells; None when a row is not that, or when a quote
    may be left open (pandas then reads the file and says what is wrong)."""
    import pyarrow.csv as arrow_csv

    tail = data[-(1 << 16) :].rstrip(b"\r\n")
    last_line = tail[tail.rfind(b"\n") + 1 :]
    if not width or _count_byte(data, b'"') % 2 or (b'"' in last_line and not data.endswith(b"\n")):
        # A quote may be left open to the end of the file, which Arrow reads as one long last
        # cell: pandas refuses such a file and says where the quote opened.
        return None
    names = [f"c{i}" for i in range(width)]
    try:
        cells = arrow_csv.read_csv(
            io.BytesIO(data),
            read_options=arrow_csv.ReadOptions(column_names=names, block_size=CSV_BLOCK_BYTES),
            parse_options=arrow_csv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()),
                null_values=[""],
                strings_can_be_null=True,
                # The bytes are UTF-8 already (csv_utf8 checked or re-encoded them): checking
                # again cost ~0.1 s of a million-firm file.
                check_utf8=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    last = cells.slice(cells.num_rows - 1).to_pylist()[0].values() if cells.num_rows else ()
    if any(isinstance(v, str) and ("\n" in v or "\r" in v) for v in last):
        return None  # the last cell may run to the end of the file: a quote left open
    return cells


def _pandas_csv(data: bytes, delimiter: str, label: str, width: int | None = None) -> pa.Table:
    """`width`: read every row as that many cells (a title row above the header may be
    shorter than it)."""
    import pandas as pd

    try:
        frame = pd.read_csv(
            io.BytesIO(data),
            encoding="utf-8",
            sep=delimiter,
            dtype=object,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            header=None,
            names=None if width is None else list(range(width)),
            quoting=csv.QUOTE_MINIMAL,
        )
    except pd.errors.EmptyDataError:
        raise SourceError(f"{label}：文件是空的（没有表头行）") from None
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{label}：{_parser_message(str(exc))}") from None
    return pa.Table.from_arrays(
        [pa.array(frame[c].to_numpy(), pa.string(), from_pandas=True) for c in frame.columns],
        names=[f"c{i}" for i in range(frame.shape[1])],
    )


# The characters pc.utf8_trim_whitespace removes (tests/test_csv_columns.py holds this to
# Arrow's own, over every code point).
TRIMMED = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)


def _edge_pairs(last: bool) -> np.ndarray:
    """Which two bytes at a cell's start (first, second) or end (second last, last), as
    first * 256 + second, may belong to a character of TRIMMED. Two bytes, not one: CJK text
    often ends in a byte that also ends a white space (省 and U+2001 both end in 0x81)."""
    pairs = np.zeros(256 * 256, dtype=bool)
    for char in TRIMMED:
        encoded = char.encode()
        if len(encoded) == 1:  # any byte beside it
            pairs[
                np.arange(256) * 256 + encoded[0] if last else encoded[0] * 256 + np.arange(256)
            ] = True
        else:
            pairs[encoded[-2] * 256 + encoded[-1] if last else encoded[0] * 256 + encoded[1]] = True
    return pairs


_MAY_BEGIN_TRIMMED = _edge_pairs(last=False)
_MAY_END_TRIMMED = _edge_pairs(last=True)


def _stripped(column: pa.ChunkedArray) -> tuple[pa.ChunkedArray, np.ndarray]:
    """A column's cells without surrounding white space, null where nothing is left; and
    which cells are null."""
    parts = [_stripped_chunk(chunk) for chunk in column.chunks]
    values = pa.chunked_array([chunk for chunk, _ in parts], pa.string())
    empty = np.concatenate([nulls for _, nulls in parts]) if parts else np.zeros(0, dtype=bool)
    return values, empty


def _stripped_chunk(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    # Only cells whose first or last byte may be part of white space are trimmed: most cells
    # of a register have none, and trimming every cell was ~0.8 s of a million-firm import.
    if values.type != pa.string() or not len(values):
        values = values.cast(pa.string())
        trimmed = pc.utf8_trim_whitespace(values)
        values = pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, pa.string()), trimmed)
        return values, ~_valid(values)
    _, offset_buffer, data_buffer = values.buffers()
    offsets = np.frombuffer(offset_buffer, np.int32, len(values) + 1, values.offset * 4)
    starts, ends = offsets[:-1], offsets[1:]
    # A null cell's bytes are not looked at, whatever its offsets say.
    empty = (ends <= starts) | ~_valid(values)
    filled = np.flatnonzero(~empty)
    maybe = np.zeros(len(values), dtype=bool)
    if len(filled):
        data = np.frombuffer(data_buffer, np.uint8)
        first, last = starts[filled], ends[filled] - 1
        # A one-byte cell's "other" byte is its neighbour's (or itself, at the buffer's ends).
        # That changes nothing: the bytes are valid UTF-8, so the cell's one byte is ASCII, and
        # a pair can hold an ASCII byte only where an ASCII character of TRIMMED is, whatever
        # byte stands beside it.
        top = len(data) - 1
        begin = data[first].astype(np.int32) * 256 + data[np.minimum(first + 1, top)]
        end = data[np.maximum(last - 1, 0)].astype(np.int32) * 256 + data[last]
        maybe[filled] = _MAY_BEGIN_TRIMMED[begin] | _MAY_END_TRIMMED[end]
    if maybe.any():
        trimmed = pc.utf8_trim_whitespace(values.filter(pa.array(maybe)))
        values = pc.replace_with_mask(values, pa.array(maybe), trimmed)
        empty[maybe] |= np.asarray(pc.fill_null(pc.equal(trimmed, ""), False), dtype=bool)
    if empty.any():
        values = pc.if_else(pa.array(empty), pa.scalar(None, pa.string()), values)
    return values, empty


def _valid(values: pa.Array) -> np.ndarray:
    """Which cells are not null, read from the validity bitmap (converting is_valid()'s
    booleans cost ~0.45 s over a million-firm dataset)."""
    if not values.null_count:
        return np.ones(len(values), dtype=bool)
    bits = np.unpackbits(np.frombuffer(values.buffers()[0], np.uint8), bitorder="little")
    return bits[values.offset : values.offset + len(values)].astype(bool)


def _parser_message(text: str) -> str:
    if m := re.search(r"EOF inside string starting at row (\d+)", text):
        return (
            f"第 {int(m[1]) + 1} 行的引号没有闭合（直到文件末尾都没有配对的引号），其后各行会被并入"
            "一个单元格；请删除多余的引号后再导入"
        )
    if m := re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", text):
        return f"第 {m[2]} 行有 {m[3]} 列，而前面的行只有 {m[1]} 列；请检查该行是否多了逗号或引号"
    return f"CSV 格式错误（{text}）"


def _refuse_swallowed_rows(body: pa.Table, label: str, delimiter: str, width: int) -> None:
    """A quote opened and never closed makes the following lines one cell: the row count drops
    without a word. A cell holding line breaks and as many delimiters as a row is that."""
    if width < 3:
        return
    for column in body.columns:
        multi = np.flatnonzero(
            pc.fill_null(pc.match_substring(column, "\n"), False).to_numpy(zero_copy_only=False)
        )
        for index in multi.tolist():
            value = column[index].as_py()
            swallowed = [
                line for line in value.split("\n")[1:] if line.count(delimiter) >= width - 2
            ]
            if swallowed:
                raise SourceError(
                    f"{label}：第 {index + 2} 行有未闭合的引号，其后 {len(swallowed)} 行被并入一个"
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
        data, encoding = csv_utf8(path.read_bytes(), path.name)
        header, body = read_csv_bytes(data, path.name)
        del data
        tables[table] = _to_raw_table(
            table, path.name, header, body.columns[:-1], body.column(ROW_COLUMN)
        )
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


def fill_merged(
    rows: list[list[str | None]],
    merges: list[tuple[int, int, int, int]],
    label: str,
    notes: list[str],
) -> None:
    """Every cell a merged range covers gets the range's value (Excel shows it on each row).
    `merges`: (first row, first column, last row, last column), rows from 1, columns from 0."""
    from openpyxl.utils import get_column_letter

    for first_row, first_col, last_row, last_col in merges:
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
    if isinstance(sheet, XlsSheet):
        marks = _SheetMarks(sheet.merges(), [])  # xlrd cannot tell formula cells
    else:
        marks = _sheet_marks(workbook._archive, sheet._worksheet_path)
    fill_merged(rows, marks.merges, label, notes)
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


def open_workbook(path: Path) -> Any:
    """A workbook to read sheet by sheet: an .xlsx through openpyxl's read-only mode, its
    archive checked first; an .xls through xlrd (importer/xls.py), in the same shape."""
    limits = input_limits()
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic == XLS_MAGIC:
        check_file_size(path, limits)
        return open_xls(path)
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            _check_archive(archive, path.name, limits)
        return load_workbook(path, read_only=True, data_only=True)
    except _DAMAGED:
        raise _damaged(path.name) from None


def check_file_size(path: Path, limits: InputLimits) -> None:
    """Refuse a file read whole into memory (.xls, a web page) that is larger than an archive
    may unpack to."""
    size = path.stat().st_size
    if size > limits.max_uncompressed_mb * 1024 * 1024:
        raise SourceError(
            f"{path.name}：{size / 1024 / 1024:,.0f} MB，超过上限 {limits.max_uncompressed_mb:,} MB"
            "（可在配置 [limits] max_uncompressed_mb 调整）"
        )


HTML_PAGE = "网页（HTML）表格"
XML_SPREADSHEET = "电子表格 XML 文件（Excel 2003 XML）"


def disguised_workbook(path: Path) -> str | None:
    """What a file is when it is a web page (HTML table) or an Excel 2003 XML spreadsheet: web
    systems' "导出 Excel" often writes one of them under an .xls name, and Excel and WPS open
    both. None for anything else."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        head = head.removeprefix(bom)
    text = head.replace(b"\0", b"").lstrip().lower()
    if not text.startswith(b"<"):
        return None
    if b"urn:schemas-microsoft-com:office:spreadsheet" in text and b"<workbook" in text:
        return XML_SPREADSHEET
    if any(tag in text for tag in (b"<html", b"<table", b"<!doctype html")):
        return HTML_PAGE
    return None


def disguised_error(path: Path, kind: str) -> SourceError:
    """What to say of such a file, rather than read its markup as CSV."""
    return SourceError(
        f"{path.name} 是{kind}，不是 Excel 工作簿（只是扩展名像）：请在 Excel 或 WPS 中打开，"
        "“另存为” Excel 工作簿（.xlsx）后再导入"
    )


def read_workbook(path: Path, source: str | None = None) -> RawDataset:
    limits = input_limits()
    workbook = open_workbook(path)
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
            tables[table] = _to_raw_table(
                table,
                label,
                header,
                _text_columns(records, len(header)),
                pa.array(numbers, pa.int64()),
            )
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
    if magic == XLS_MAGIC:
        return read_workbook(path, source)
    if path.stat().st_size == 0:
        raise SourceError(f"{path.name}：文件是空的")
    if kind := disguised_workbook(path):
        raise disguised_error(path, kind)
    if path.suffix.lower() in (".csv", ".tsv", ".txt"):
        table = table_for_name(path.stem)
        if table is None:
            raise SourceError(f"{path.name}：文件名不是已知的数据表（如 firms.csv 或 企业.csv）")
        with tempfile.TemporaryDirectory(prefix="chainmap-csv-") as tmp:
            target = Path(tmp) / path.name
            target.write_bytes(path.read_bytes())
            return read_csv_folder(Path(tmp), source)
    raise SourceError(
        f"{path.name}：不支持的文件类型（请用 .xlsx 或 .xls 工作簿、CSV 文件夹或 zip）"
    )


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
        records = [[_cell_text(row.get(column)) for column in columns] for row in rows]
        raw[table] = _to_raw_table(
            table,
            f"{source}（{TABLES[table].table_zh}）",
            columns,
            _text_columns(records, len(columns)),
            pa.array(range(2, len(rows) + 2), pa.int64()),
        )
    return RawDataset(source=source, tables=raw)

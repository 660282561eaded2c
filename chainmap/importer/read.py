"""Read a town dataset (XLSX workbook, CSV folder, zip of CSVs, or a URL to any of them) into
tables of text cells, keeping the row numbers the user sees (header = row 1).

Nothing here judges the values: that is validate.py's job.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from chainmap.errors import SourceError
from chainmap.importer.fetch import fetch_url, is_url
from chainmap.model import TABLES, ContractRow

# The sheet of the template workbook that explains the columns; never a data table.
HELP_SHEET = "说明"
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


def _normalise(name: str) -> str:
    name = str(name).strip().replace("（", "(").replace("）", ")").replace(" ", "")
    return name.rstrip("*").lower()


def _aliases(canonical: str, zh: str) -> set[str]:
    return {_normalise(canonical), _normalise(zh), _normalise(f"{zh}({canonical})")}


_TABLE_BY_NAME: dict[str, str] = {
    alias: table for table, row in TABLES.items() for alias in _aliases(table, row.table_zh)
}


def table_for_name(name: str) -> str | None:
    """The contract table a sheet or file (without extension) stands for, if any."""
    return _TABLE_BY_NAME.get(_normalise(name))


def _column_lookup(row: type[ContractRow]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for column in row.columns():
        for alias in _aliases(column, row.zh(column)):
            lookup[alias] = column
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
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
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
        return [], pd.DataFrame()
    except (pd.errors.ParserError, ValueError) as exc:
        raise SourceError(f"{label}：CSV 格式错误：{exc}") from None
    header = [str(v) for v in frame.iloc[0].tolist()] if len(frame) else []
    body = frame.iloc[1:].reset_index(drop=True)
    body.columns = [f"c{i}" for i in range(body.shape[1])]
    cells = list(body.columns)
    blank = pd.Series(True, index=body.index)
    for column in cells:
        stripped = body[column].str.strip()
        present = stripped != ""
        blank &= ~present
        body[column] = stripped.where(present, None)
    body[ROW_COLUMN] = range(2, len(body) + 2)
    return header, body[~blank].reset_index(drop=True)


def read_csv_folder(folder: Path, source: str | None = None) -> RawDataset:
    tables: dict[str, RawTable] = {}
    notes: list[str] = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in (".csv", ".txt", ".tsv") or not path.is_file():
            continue
        table = table_for_name(path.stem)
        if table is None:
            notes.append(f"忽略文件 {path.name}：不是已知的数据表")
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
    return RawDataset(source=source or str(folder), tables=tables, notes=notes)


# --- XLSX ------------------------------------------------------------------------------------


def _cell_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    return text or None


def read_workbook(path: Path, source: str | None = None) -> RawDataset:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SourceError(f"{path.name}：不是有效的 XLSX 工作簿（{exc}）") from None
    tables: dict[str, RawTable] = {}
    notes: list[str] = []
    try:
        for sheet in workbook.worksheets:
            if sheet.title == HELP_SHEET:
                continue
            table = table_for_name(sheet.title)
            if table is None:
                notes.append(f"忽略工作表「{sheet.title}」：不是已知的数据表")
                continue
            if table in tables:
                raise SourceError(
                    f"工作表「{sheet.title}」与「{tables[table].label}」都对应数据表 {table}"
                )
            rows = sheet.iter_rows(values_only=True)
            header_cells = next(rows, ())
            header = [_cell_text(v) or "" for v in header_cells]
            records: list[list[str | None]] = []
            numbers: list[int] = []
            for number, values in enumerate(rows, start=2):
                cells = [_cell_text(v) for v in values[: len(header)]]
                if any(c is not None for c in cells):
                    cells += [None] * (len(header) - len(cells))
                    records.append(cells)
                    numbers.append(number)
            frame = pd.DataFrame(
                records, columns=[f"c{i}" for i in range(len(header))], dtype=object
            )
            frame[ROW_COLUMN] = numbers
            tables[table] = _to_raw_table(table, f"工作表「{sheet.title}」", header, frame)
    finally:
        workbook.close()
    if not tables:
        raise SourceError(f"{path.name} 中没有可识别的工作表（如 towns、firms，或中文表名）")
    return RawDataset(source=source or str(path), tables=tables, notes=notes)


# --- any source ------------------------------------------------------------------------------

_ZIP_MAGIC = b"PK\x03\x04"


def _read_zip(path: Path, source: str) -> RawDataset:
    """A zip is either an XLSX workbook or an archive of CSV files."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if "[Content_Types].xml" in names:
            return read_workbook(path, source)
        with tempfile.TemporaryDirectory(prefix="chainmap-zip-") as tmp:
            for name in names:
                member = Path(name)
                if member.suffix.lower() in (".csv", ".tsv", ".txt") and ".." not in member.parts:
                    (Path(tmp) / member.name).write_bytes(archive.read(name))
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

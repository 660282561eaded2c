"""A dataset is read and checked as Arrow columns, never cell by cell. These tests hold the
column path to the row-by-row references it replaced: pandas' CSV parser (still used for files
Arrow refuses), each column's pydantic rule, and the one-code USCC check."""

from __future__ import annotations

import csv
import io
import random

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from pydantic import TypeAdapter, ValidationError

from chainmap.errors import DatasetInvalid, SourceError
from chainmap.importer import read as read_module
from chainmap.importer import validate as validate_module
from chainmap.importer.read import (
    TRIMMED,
    RawTable,
    _arrow_csv,
    _count_byte,
    _first_record_width,
    _has_bom,
    _pandas_csv,
    _stripped,
    csv_utf8,
    dataset_from_rows,
    read_csv_bytes,
)
from chainmap.importer.validate import (
    _Collector,
    _folded_names,
    _parse_values,
    _validate_column,
    validate,
)
from chainmap.model import TABLES
from chainmap.uscc import ALPHABET, failing_uscc, uscc_problem, uscc_problems

# What exports and hand-edited files hold: quoted line breaks and delimiters, cells of spaces
# only, a full-width space, blank lines, trailing delimiters, a short province name.
TRICKY_CSV = (
    "企业编号,企业名称,省份,备注,\n"
    'F1,"示例化工, 有限公司",山西,"第一行\n第二行",\n'
    "F2,  示例铸造  ,河北省,   ,\n"
    "\n"
    "F3,\u3000示例醋业\u3000,,x,\n"
    ",,,,\n"
    'F4,"示例""引号""公司",山西省,"",\n'
)


def _pandas_reference(data: bytes) -> list[list[str | None]]:
    """Rows as the pandas reading gave them: cells stripped, blank cells None, blank rows
    dropped."""
    table = _pandas_csv(data, ",", "t.csv")
    rows = []
    for values in zip(*(c.to_pylist() for c in table.columns), strict=True):
        cells = [v.strip() or None if isinstance(v, str) else None for v in values]
        rows.append(cells)
    return [r for r in rows[1:] if any(c is not None for c in r)]


def test_arrow_reads_a_tricky_csv_as_pandas_does():
    data = TRICKY_CSV.encode("utf-8")
    assert _arrow_csv(data, ",", 5) is not None  # the Arrow path, not the fallback
    header, body = read_csv_bytes(data, "t.csv")
    assert header == ["企业编号", "企业名称", "省份", "备注", ""]
    cells = [list(r) for r in zip(*(c.to_pylist() for c in body.columns[:-1]), strict=True)]
    assert cells == _pandas_reference(data)
    # Row numbers are the lines the user sees: the quoted line break belongs to row 2.
    assert body.column("_row").to_pylist() == [2, 3, 5, 7]
    assert cells[0][1] == "示例化工, 有限公司" and cells[0][3] == "第一行\n第二行"
    assert cells[2][1] == "示例醋业"  # full-width spaces trimmed as spaces


def test_a_short_row_arrow_refuses_is_read_by_pandas():
    data = "企业编号,企业名称,省份\nF1,示例\nF2,示例二,山西\n".encode()
    assert _arrow_csv(data, ",", 3) is None
    _, body = read_csv_bytes(data, "t.csv")
    assert body.column("c2").to_pylist() == [None, "山西"]
    assert body.column("_row").to_pylist() == [2, 3]


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ("企业编号,企业名称\nF1,示例\n".encode(), "utf-8"),
        (b"\xef\xbb\xbf" + "企业编号,企业名称\nF1,示例\n".encode(), "utf-8-sig"),
        ("企业编号,企业名称\nF1,示例\n".encode("gb18030"), "gb18030"),
        ("企业编号,企业名称\nF1,示例\n".encode("utf-16"), "utf-16"),
    ],
)
def test_every_encoding_reaches_the_reader_as_utf8(raw, encoding):
    data, found = csv_utf8(raw, "t.csv")
    assert found == encoding
    assert data == "企业编号,企业名称\nF1,示例\n".encode()


@pytest.mark.parametrize("seed", range(4))
def test_whole_file_byte_scans_agree_with_python_across_part_boundaries(monkeypatch, seed):
    # Parts of 7 bytes: marks and counted bytes fall on, across and just past part boundaries.
    monkeypatch.setattr(read_module, "_SCAN_BYTES", 7)
    rng = random.Random(seed)
    alphabet = [b"\n", b'"', b",", "示".encode(), "（".encode(), b"\xef", b"\xbb", b"a"]
    for _ in range(200):
        data = b"".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        if rng.random() < 0.3:
            at = rng.randrange(0, len(data) + 1)
            data = data[:at] + b"\xef\xbb\xbf" + data[at:]
        assert _count_byte(data, b"\n") == data.count(b"\n")
        assert _count_byte(data, b'"') == data.count(b'"')
        assert _has_bom(data) == (b"\xef\xbb\xbf" in data), data


def test_a_second_byte_order_mark_is_refused_where_it_is():
    data = b"\xef\xbb\xbf" + "企业编号,企业名称\nF1,示例\n".encode() * 2
    data += b"\xef\xbb\xbf" + "企业编号,企业名称\nF2,示例\n".encode()
    with pytest.raises(SourceError, match="第 5 行有字节顺序标记"):
        csv_utf8(data, "t.csv")


def test_columns_parse_as_their_rule_does_value_by_value():
    # Fast forms (plain numbers, clean texts) and rule-only forms mixed in one column.
    revenue = ["12", "12.50", "1.2亿", "3,500万元", " 7 ", "", "０１２", "1e5", "abc", None]
    names = [
        "示例甲",
        " 示例乙 ",
        "示例  丙",
        "示例\u200b丁",
        "示例戊",
        "示例己",
        "示例庚",
        "辛",
        "壬",
        "癸",
    ]
    rows = [
        {"firm_id": f"F{i}", "name": name, "province": "山西省", "revenue_wan": value}
        for i, (name, value) in enumerate(zip(names, revenue, strict=True))
    ]
    expected_revenue, bad_rows = [], []
    number = TypeAdapter(TABLES["firms"].model_fields["revenue_wan"].rebuild_annotation())
    text = TypeAdapter(TABLES["firms"].model_fields["name"].rebuild_annotation())
    for position, value in enumerate(revenue):
        try:
            expected_revenue.append(number.validate_python(value))
        except ValidationError:
            expected_revenue.append(None)
            bad_rows.append(position + 2)
    if bad_rows:
        with pytest.raises(DatasetInvalid) as caught:
            validate(dataset_from_rows({"firms": rows}, "t"))
        assert [(i.row, i.column) for i in caught.value.issues] == [
            (row, "revenue_wan") for row in bad_rows
        ]
        good = [r for at, r in enumerate(rows) if at + 2 not in bad_rows]
        expected_revenue = [v for at, v in enumerate(expected_revenue) if at + 2 not in bad_rows]
        names = [r["name"] for r in good]
        rows = good
    valid = validate(dataset_from_rows({"firms": rows}, "t")).tables["firms"]
    assert valid.values("revenue_wan") == expected_revenue
    assert valid.values("name") == [text.validate_python(n) for n in names]
    assert valid.data.schema.field("revenue_wan").type == pa.float64()


def test_the_whole_column_uscc_check_flags_what_the_one_code_check_does():
    rng = random.Random(7)
    codes = []
    for _ in range(3000):
        code = "".join(rng.choice(ALPHABET) for _ in range(17))
        good = code + next(c for c in ALPHABET if uscc_problem(code + c) is None)
        roll = rng.random()
        if roll < 0.5:
            codes.append(good)
        elif roll < 0.7:
            codes.append(good[:17] + rng.choice(ALPHABET))
        elif roll < 0.8:
            codes.append(good.lower())
        elif roll < 0.9:
            codes.append(good[:5] + "Ｉ" + good[6:])  # a full-width letter
        else:
            codes.append(good[:3] + "O" + good[4:])  # a letter the code never uses
    codes = [c for c in codes if len(c) == 18]
    sliced = pa.array(["pad", *codes]).slice(1)  # an offset into the buffers, as a filter gives
    flagged = failing_uscc(sliced).tolist()
    assert flagged == [at for at, problem in enumerate(uscc_problems(codes)) if problem]


def test_a_repetitive_column_checked_through_its_distinct_values_gives_the_same_answer(
    monkeypatch,
):
    # 20,000 rows cycling through a few values (a province, a source, amounts) take the
    # distinct-value path; the answer and every row's issue must be what the value-by-value
    # path gives.
    revenue = ["12", "1.2亿", "abc", None, " 7 ", "3,500万元", "-"]
    sources = ["企查查导出", " 企查查导出 ", "企查查\u200b导出"]
    count = 20_000
    rows = pa.array(range(2, count + 2), pa.int64())
    clean = ["企查查导出", "天眼查导出", None]  # the rule keeps each: the cells are the answer
    columns = [
        ("revenue_wan", pa.array([revenue[i % len(revenue)] for i in range(count)], pa.string())),
        ("source", pa.array([sources[i % len(sources)] for i in range(count)], pa.string())),
        ("source", pa.array([clean[i % len(clean)] for i in range(count)], pa.string())),
    ]
    for column, cells in columns:
        raw = RawTable("firms", "t", pa.table({column: cells, "_row": rows}), {})
        repeated, by_value = _Collector(), _Collector()
        checked: list[int] = []

        def parse(table, name, values, checked=checked):
            checked.append(len(values))
            return _parse_values(table, name, values)

        monkeypatch.setattr(validate_module, "_parse_values", parse)
        answer = _validate_column(raw, column, repeated)
        monkeypatch.undo()
        assert checked == [len(set(cells.to_pylist()))]  # the distinct values, not the rows
        expected, reasons = _parse_values("firms", column, cells)
        for position, reason in sorted(reasons.items()):
            by_value.add("t", position + 2, column, cells[position].as_py(), reason)
        assert answer.equals(expected)
        assert repeated.issues == by_value.issues
        if column == "revenue_wan":
            bad = sum(revenue[i % len(revenue)] in ("abc", "-") for i in range(count))
            assert len(repeated.issues) == bad


def _cells(table: pa.Table) -> list[list[str]]:
    return [[v or "" for v in row.values()] for row in table.to_pylist()]


@pytest.mark.parametrize("seed", [1, 2])
def test_where_arrow_reads_a_csv_it_reads_what_pandas_reads(seed):
    """Differential: random files of quotes, delimiters, line breaks and spaces, badly formed
    (a stray or unclosed quote, ragged rows) and well formed (as Excel writes them). Arrow may
    leave a file to pandas, never read it differently or accept what pandas refuses."""
    rng = random.Random(seed)
    raw_pieces = ["a", "化", ",", '"', "\n", " ", "\r\n", "\t", '""', "\r", ',"', '",', "1"]
    cell_pieces = ["a", "化", ",", '"', "\n", " ", "\r\n", "x", "\u3000", ""]
    read_by_arrow = 0
    for trial in range(1500):
        width = rng.randint(1, 4)
        if trial % 2:
            text = ",".join(f"h{i}" for i in range(width)) + "\n"
            text += "".join(rng.choice(raw_pieces) for _ in range(rng.randint(1, 30)))
        else:
            out = io.StringIO()
            writer = csv.writer(out, lineterminator=rng.choice(["\n", "\r\n"]))
            writer.writerow([f"h{i}" for i in range(width)])
            for _ in range(rng.randint(1, 5)):
                row = ["".join(rng.choices(cell_pieces, k=rng.randint(0, 4))) for _ in range(width)]
                writer.writerow(row)
            text = out.getvalue()
        data = text.encode()
        arrow = _arrow_csv(data, ",", _first_record_width(text, ","))
        if arrow is None:
            continue
        read_by_arrow += 1
        assert _cells(arrow) == _cells(_pandas_csv(data, ",", "t.csv")), repr(text)
    assert read_by_arrow > 300  # the comparison did happen


def test_names_left_unfolded_are_those_folding_leaves_unchanged():
    rng = random.Random(3)
    alphabet = [
        "化",
        "工",
        "（",
        "）",
        "(",
        "Ａ",
        "a",
        "Z",
        "z",
        "9",
        "９",
        "\u3000",
        " ",
        "ﾀ",
        "\uf900",
    ]
    alphabet += ["ß", "㈱", "①", "\u00a0"]
    names = ["".join(rng.choices(alphabet, k=rng.randint(0, 8))) for _ in range(20_000)]
    names.append(None)
    column = pa.array(names, pa.string())
    # Folding every name, as before: NFKC, then lower case, then no white space.
    folded = pc.utf8_lower(pc.utf8_normalize(column, "NFKC"))
    expected = pc.replace_substring_regex(folded, r"\s+", "").to_pylist()
    assert expected[0] is not None and expected[-1] is None
    assert _folded_names(column).to_pylist() == expected


def test_the_white_space_trimmed_is_arrows_own():
    code_points = [c for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    cells = pa.array([chr(c) for c in code_points])
    emptied = pc.equal(pc.utf8_trim_whitespace(cells), "").to_pylist()
    assert "".join(chr(c) for c, gone in zip(code_points, emptied, strict=True) if gone) == TRIMMED


@pytest.mark.parametrize("seed", range(5))
def test_cells_are_trimmed_as_trimming_every_cell_would(seed):
    """Only cells whose edge bytes may be white space are trimmed: the result equals trimming
    every cell, for cells that begin or end with each kind of white space, CJK text whose last
    byte is also the last byte of a white space (一 ends in 0x80, as U+3000 does), empty and
    null cells, and chunks that are slices of larger arrays."""
    rng = random.Random(seed)
    pieces = [*TRIMMED, "化", "工", "一", "〇", "丁", "a", "Z", "9", "（", "ー", "ｱ", "\u200b", "é"]

    def cell():
        if rng.random() < 0.1:
            return None
        return "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))

    cells = [cell() for _ in range(3000)]
    whole = pa.array(cells, pa.string())
    column = pa.chunked_array([whole.slice(0, 1000), whole.slice(1000, 1500), whole.slice(2500)])
    reference = pc.utf8_trim_whitespace(column)
    expected = [None if v == "" else v for v in reference.to_pylist()]
    values, empty = _stripped(column)
    assert values.to_pylist() == expected
    assert empty.tolist() == [v is None for v in expected]


def test_one_byte_cells_beside_white_space_and_at_the_buffer_ends():
    # A one-byte cell's edge pair reads its neighbour's byte (or its own, at either end of the
    # buffer): next to multi-byte white space and CJK text that ends like it, it must still be
    # trimmed exactly when it is white space itself.
    cells = ["a", "\u3000", "一", " ", "b", "\u2001x", "省", "\t", "9", "\u3000一\u3000", "z"]
    for ordered in (cells, cells[::-1]):
        column = pa.chunked_array([pa.array(ordered, pa.string())])
        expected = [None if v == "" else v for v in pc.utf8_trim_whitespace(column).to_pylist()]
        values, empty = _stripped(column)
        assert values.to_pylist() == expected
        assert empty.tolist() == [v is None for v in expected]


def test_a_file_read_in_many_blocks_reads_as_in_one(monkeypatch):
    # Rows with quoted line breaks, blank and space-only cells, and blank lines fall across
    # block boundaries when the file is read in blocks of 256 bytes; trimming then works on
    # many chunks per column.
    rng = random.Random(3)
    pieces = ["化工", " ", "\u3000", "a", '"x\ny"', "", "9"]
    lines = ["编号,名称,备注"]
    for number in range(400):
        lines.append(f"F{number}," + ",".join(rng.choice(pieces) for _ in range(2)))
        if number % 37 == 0:
            lines.append("")
    data = ("\r\n".join(lines) + "\r\n").encode()
    header, whole = read_csv_bytes(data, "t.csv")
    monkeypatch.setattr(read_module, "CSV_BLOCK_BYTES", 256)
    header_blocks, blocks = read_csv_bytes(data, "t.csv")
    assert blocks.column(0).num_chunks > 10
    assert header_blocks == header
    assert blocks.to_pylist() == whole.to_pylist()
    assert whole.num_rows == 400

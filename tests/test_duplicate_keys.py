"""The duplicate-key check numbers each part of a key and combines the numbers: it must find
exactly the rows a check on the keys' values finds, with the same messages."""

import datetime as dt
import random

import pyarrow as pa
import pytest

from chainmap.importer.read import ROW_COLUMN
from chainmap.importer.validate import (
    ValidTable,
    _check_duplicates,
    _Collector,
    _numbered_references,
)
from chainmap.store import columns as store_columns


def _reference(columns: dict[str, list], key: list[str], rows: list[int]) -> list[tuple]:
    """Row by row: a row whose key (every part present) was seen before repeats that row."""
    first: dict[tuple, int] = {}
    found = []
    for at, row in enumerate(rows):
        value = tuple(columns[k][at] for k in key)
        if any(v is None for v in value):
            continue
        if value in first:
            found.append((row, "、".join(str(v) for v in value), f"与第 {first[value]} 行重复"))
        else:
            first[value] = row
    return found


def _found(
    table: str,
    columns: dict[str, list],
    types: dict[str, pa.DataType],
    others: dict[str, ValidTable] | None = None,
) -> list[tuple]:
    """The duplicate-key messages for `table`, checked beside `others` (tables it refers to,
    whose key columns then number its references)."""
    rows = list(range(2, 2 + len(next(iter(columns.values())))))
    data = pa.table(
        {**{k: pa.array(v, types[k]) for k, v in columns.items()}, ROW_COLUMN: pa.array(rows)}
    )
    valid = ValidTable(table, f"{table}.csv", data)
    issues = _Collector()
    _check_duplicates(valid, issues, _numbered_references({**(others or {}), table: valid}))
    return [(i.row, i.value, i.reason) for i in issues.issues]


def _follow_ups(rng: random.Random, count: int) -> dict[str, list]:
    def maybe(values: list) -> object:
        return None if rng.random() < 0.05 else rng.choice(values)

    days = [dt.date(2026, 1, 1) + dt.timedelta(days=d) for d in range(4)]
    return {
        "town_id": [maybe(["T1", "T2"]) for _ in range(count)],
        "firm_id": [maybe(["F1", "F2", "F3", "9114"]) for _ in range(count)],
        "followed_on": [maybe(days) for _ in range(count)],
        "way": [maybe(["电话", "上门", "会议"]) for _ in range(count)],
    }


FOLLOW_UP_TYPES = {
    "town_id": pa.string(),
    "firm_id": pa.string(),
    "followed_on": pa.date32(),
    "way": pa.string(),
}


@pytest.mark.parametrize("seed", range(8))
def test_four_part_keys_with_blanks_match_a_row_by_row_check(seed):
    rng = random.Random(seed)
    columns = _follow_ups(rng, 400)
    found = _found("follow_ups", columns, FOLLOW_UP_TYPES)
    key = ["town_id", "firm_id", "followed_on", "way"]
    expected = _reference(columns, key, list(range(2, 402)))
    assert found == expected
    assert found  # the data has repeats: the test would notice a check that finds none


def test_renumbering_when_combined_numbers_would_overflow(monkeypatch):
    # A tiny limit forces the dense renumbering between parts that very large keys would need.
    columns = _follow_ups(random.Random(99), 300)
    expected = _found("follow_ups", columns, FOLLOW_UP_TYPES)
    monkeypatch.setattr(store_columns, "CODE_LIMIT", 7)
    assert _found("follow_ups", columns, FOLLOW_UP_TYPES) == expected


def test_two_part_keys_differ_when_either_part_differs():
    # ("F1", "L12") and ("F11", "L2") join to the same text without a separator.
    columns = {
        "firm_id": ["F1", "F11", "F1", "F11", None],
        "link_id": ["L12", "L2", "L12", "L3", "L12"],
    }
    types = {"firm_id": pa.string(), "link_id": pa.string()}
    assert _found("firm_links", columns, types) == [(4, "F1、L12", "与第 2 行重复")]


def _firms(ids: list[str | None]) -> ValidTable:
    data = pa.table(
        {"firm_id": pa.array(ids, pa.string()), ROW_COLUMN: pa.array(range(2, 2 + len(ids)))}
    )
    return ValidTable("firms", "firms.csv", data)


@pytest.mark.parametrize("seed", range(6))
def test_keys_numbered_by_the_table_they_refer_to(seed):
    # Firm links whose firms are partly in the firms table (numbered by its rows), partly not
    # (stored firms, numbered after them), some blank; the firms table has a repeated id.
    rng = random.Random(seed)
    firm_ids = ["F1", "F2", "F3", "F2", None, "F4"]
    named = ["F1", "F2", "F3", "F4", "S1", "S2", None]
    columns = {
        "firm_id": [rng.choice(named) for _ in range(300)],
        "link_id": [rng.choice(["L1", "L2", "L3", None]) for _ in range(300)],
    }
    types = {"firm_id": pa.string(), "link_id": pa.string()}
    expected = _reference(columns, ["firm_id", "link_id"], list(range(2, 302)))
    assert _found("firm_links", columns, types, {"firms": _firms(firm_ids)}) == expected
    assert expected
    # The firms table's own key is numbered by its own rows: the repeat is found.
    firms = {"firm_id": firm_ids}
    assert _found("firms", firms, {"firm_id": pa.string()}) == [(5, "F2", "与第 3 行重复")]

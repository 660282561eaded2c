"""Validate a read dataset against the contract: every problem is collected, then raised at once.

Tables are Arrow columns from the reader to the write plan. Each column is checked with the
pydantic type of chainmap.model: values already in their stored form are settled by Arrow on the
whole column (fastpath.py), the rule runs once per distinct remaining value, and every row holding
a bad value gets its own issue. Cross-table rules (duplicates, references, flows, dates) follow,
on whole columns where the tables are large.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from types import UnionType
from typing import Any, Protocol, Union, get_args, get_origin

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import TypeAdapter, ValidationError

from chainmap.errors import DatasetInvalid, Issue
from chainmap.importer.fastpath import rule_of, settled
from chainmap.importer.read import ROW_COLUMN, RawDataset, RawTable, known_table_names
from chainmap.model import PROJECT_DATES, REFERENCES, TABLES, TERMINATED_DATE
from chainmap.places import UNKNOWN, Place, divisions
from chainmap.store.columns import combined_codes, group_rows, value_numbers
from chainmap.uscc import failing_uscc, looks_like_uscc, uscc_problem, uscc_problems

EXTRA_COLUMN = "extra"


class ReferenceLookup(Protocol):
    """What validation needs to know of the store: which referenced ids it already holds."""

    def existing_ids(self, table: str, ids: list[str]) -> set[str]: ...

    def ids_by_name(self, table: str, names: list[str]) -> dict[str, list[str]]: ...

    def ids_case_folded(self, table: str, folded: list[str]) -> list[str]: ...

    def link_chains(self, link_ids: list[str]) -> dict[str, str]: ...


class EmptyStore:
    """Validation without a store: every reference must resolve inside the dataset."""

    def existing_ids(self, table: str, ids: list[str]) -> set[str]:
        return set()

    def ids_by_name(self, table: str, names: list[str]) -> dict[str, list[str]]:
        return {}

    def ids_case_folded(self, table: str, folded: list[str]) -> list[str]:
        return []

    def link_chains(self, link_ids: list[str]) -> dict[str, str]:
        return {}


@dataclass
class ValidTable:
    table: str
    label: str
    # Contract columns with parsed values (Arrow types of the model's), EXTRA_COLUMN (JSON text
    # or null) and ROW_COLUMN.
    data: pa.Table
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> as written

    def column_label(self, column: str) -> str:
        return self.headers.get(column, column)

    def __len__(self) -> int:
        return self.data.num_rows

    def column(self, name: str) -> pa.Array:
        values = self.data.column(name)
        # One chunk is the usual case: combining it would copy it (~0.3 s over a million-firm
        # import's calls).
        return values.chunk(0) if values.num_chunks == 1 else values.combine_chunks()

    def values(self, name: str) -> list[Any]:
        """A column as Python values, for the row-wise checks of small tables."""
        return self.data.column(name).to_pylist()

    def rows(self) -> list[int]:
        return self.values(ROW_COLUMN)


@dataclass
class Dataset:
    source: str
    tables: dict[str, ValidTable]
    notes: list[str] = field(default_factory=list)
    # Referencing columns numbered by the rows of the key column they refer to (see
    # _numbered_references): a plan hands them on so a re-import pairs ends by integers.
    numbered: dict[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def ids(self, table: str) -> pa.Array:
        """The key column of a one-key table (empty when the dataset lacks the table)."""
        valid = self.tables.get(table)
        if valid is None:
            return pa.array([], pa.string())
        return valid.column(TABLES[table].key[0])

    def counts(self) -> dict[str, int]:
        return {name: len(table) for name, table in self.tables.items()}

    def summary(self) -> DatasetSummary:
        return DatasetSummary(self.source, self.counts(), list(self.notes))


@dataclass(frozen=True)
class DatasetSummary:
    """What an import reports about its dataset once the rows are written: where it came from,
    how many rows each table had, the notes on reading it."""

    source: str
    rows: dict[str, int]
    notes: list[str]

    def counts(self) -> dict[str, int]:
        return dict(self.rows)


@cache
def _column_adapter(table: str, column: str) -> TypeAdapter[Any]:
    info = TABLES[table].model_fields[column]
    return TypeAdapter(info.rebuild_annotation())


@cache
def _list_adapter(table: str, column: str) -> TypeAdapter[Any]:
    info = TABLES[table].model_fields[column]
    return TypeAdapter(list[info.rebuild_annotation()])  # type: ignore[valid-type]


_ARROW_OF = {
    str: pa.string(),
    float: pa.float64(),
    int: pa.int64(),
    bool: pa.bool_(),
    tuple: pa.list_(pa.string()),
}


@cache
def arrow_type(table: str, column: str) -> pa.DataType:
    """The Arrow type of a column's parsed values: what its model annotation holds."""
    annotation = TABLES[table].model_fields[column].annotation
    if get_origin(annotation) in (Union, UnionType):  # X | None
        annotation = next(a for a in get_args(annotation) if a is not type(None))
    return _ARROW_OF[get_origin(annotation) or annotation]


def _message(error: dict[str, Any]) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _column_label(table: str, column: str) -> str:
    return f"{column}（{TABLES[table].zh(column)}）"


class _Collector:
    def __init__(self) -> None:
        self.issues: list[Issue] = []

    def add(self, label: str, row: int, column: str, value: Any, reason: str) -> None:
        shown = "" if value is None else str(value)
        self.issues.append(Issue(label, int(row), column, shown, reason))


def _np(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return values.to_numpy(zero_copy_only=False)


def _mask(flags: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return np.asarray(_np(pc.fill_null(flags, False)), dtype=bool)


# A column whose first rows repeat this much (a province, a link id, one source text for
# every row) is checked through its distinct values; others value by value on the whole column.
_SAMPLE_ROWS = 4096
_REPEATS = 20


def _validate_column(raw: RawTable, column: str, issues: _Collector) -> pa.Array:
    """Parsed values of one column; each row holding a bad value is an issue."""
    table = raw.table
    kind = arrow_type(table, column)
    count = len(raw)
    if column not in raw.data.column_names:
        if _required(table, column):
            return pa.nulls(count, kind)
        default = _column_adapter(table, column).validate_python(None)
        if default is None:
            return pa.nulls(count, kind)
        return pa.array([default] * count, kind)
    cells = raw.data.column(column).combine_chunks()
    sample = cells.slice(0, _SAMPLE_ROWS)
    repeats = count > 4 * _SAMPLE_ROWS and (
        pc.count_distinct(sample, mode="all").as_py() * _REPEATS <= len(sample)
    )
    if repeats:
        encoded = cells.dictionary_encode(null_encoding="encode")
        parsed, bad = _parse_values(table, column, encoded.dictionary)
        codes = _np(encoded.indices).astype(np.int64)
        shown = encoded.dictionary
        flagged = np.flatnonzero(np.isin(codes, np.array(sorted(bad), dtype=np.int64)))
        if not bad and parsed.type == cells.type and parsed.equals(encoded.dictionary):
            result = cells  # the rule kept every value: no copy of a million texts (~0.14 s)
        else:
            result = parsed.take(encoded.indices)
    else:
        result, bad = _parse_values(table, column, cells)
        codes = np.arange(count, dtype=np.int64)
        shown = cells
        flagged = np.array(sorted(bad), dtype=np.int64)
    if len(flagged):
        label = raw.headers.get(column, column)
        rows = _np(raw.data.column(ROW_COLUMN))
        for position in flagged.tolist():
            at = int(codes[position])
            issues.add(raw.label, rows[position], label, shown[at].as_py(), bad[at])
    return result


def _parse_values(table: str, column: str, values: pa.Array) -> tuple[pa.Array, dict[int, str]]:
    """Each value's parsed form (null where bad), and why each bad one is, by position. Values
    Arrow finds in their stored form (clean texts, upper-case codes, plain numbers) are settled
    on the whole array (fastpath.py); the rule runs once per distinct other value."""
    kind = arrow_type(table, column)
    rule = rule_of(TABLES[table].model_fields[column].metadata)
    fast = settled(rule, values) if rule is not None else None
    if fast is None:
        rest = np.arange(len(values), dtype=np.int64)
    else:
        known, fast_values = fast
        rest = np.flatnonzero(~known)
        if not len(rest):
            return fast_values.cast(kind), {}
    encoded = values.take(pa.array(rest)).dictionary_encode(null_encoding="encode")
    distinct = encoded.dictionary.to_pylist()
    parsed: list[Any] = [None] * len(distinct)
    reasons: dict[int, str] = {}  # position in `distinct` -> message
    try:
        parsed = list(_list_adapter(table, column).validate_python(distinct))
    except ValidationError:
        element = _column_adapter(table, column)
        for at, value in enumerate(distinct):
            try:
                parsed[at] = element.validate_python(value)
            except ValidationError as exc:
                reasons[at] = _message(exc.errors()[0])
    codes = _np(encoded.indices).astype(np.int64)
    bad: dict[int, str] = {}
    if reasons:
        for position in np.flatnonzero(np.isin(codes, list(reasons))).tolist():
            bad[int(rest[position])] = reasons[int(codes[position])]
    rest_values = pa.array(parsed, kind).take(pa.array(codes))
    if fast is None:
        return rest_values, bad
    redone = np.zeros(len(values), dtype=bool)
    redone[rest] = True
    return pc.replace_with_mask(fast_values.cast(kind), pa.array(redone), rest_values), bad


def _required(table: str, column: str) -> bool:
    return column in TABLES[table].required_columns()


def _extra_json(raw: RawTable) -> pa.Array:
    if not raw.extra_columns:
        return pa.nulls(len(raw), pa.string())
    names = raw.extra_columns
    columns = [raw.data.column(name).to_pylist() for name in names]

    def row_json(values: Iterable[Any]) -> str | None:
        kept = {name: value for name, value in zip(names, values, strict=True) if value is not None}
        return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else None

    return pa.array([row_json(values) for values in zip(*columns, strict=True)], pa.string())


def _validate_table(raw: RawTable, issues: _Collector) -> pa.Table:
    model = TABLES[raw.table]
    for column in model.required_columns():
        if column not in raw.data.column_names:
            issues.add(raw.label, 1, _column_label(raw.table, column), "", "缺少必填列")
    names = list(model.columns())
    arrays = [_validate_column(raw, column, issues) for column in names]
    arrays += [_extra_json(raw), raw.data.column(ROW_COLUMN)]
    return pa.Table.from_arrays(arrays, names=[*names, EXTRA_COLUMN, ROW_COLUMN])


# Per (table, column): each value's row in the key column of the table it refers to (a
# one-key table's own key included), -1 where it is not there or blank.
Numbered = dict[tuple[str, str], np.ndarray]


def _numbered_references(tables: dict[str, ValidTable]) -> Numbered:
    """Every referencing column, and each one-key table's own key, numbered by the referenced
    table's key column. One hash of a million firm ids serves the reference check and the
    duplicate checks of firms, firm links and supply ties, which hashed them four times."""
    numbered: Numbered = {}
    for target, referenced in tables.items():
        key = TABLES[target].key
        if len(key) != 1:
            continue
        members = [(target, key[0])]
        members += [(t, c) for t, c, to in REFERENCES if to == target and t in tables]
        ids = referenced.column(key[0])
        parts = [tables[t].column(c).cast(ids.type) for t, c in members]
        rows = pc.index_in(pa.chunked_array(parts, ids.type), value_set=ids, skip_nulls=True)
        found = _np(pc.fill_null(rows, -1)).astype(np.int64)
        start = 0
        for member, part in zip(members, parts, strict=True):
            numbered[member] = found[start : start + len(part)]
            start += len(part)
    return numbered


def _key_codes(
    valid: ValidTable, key: list[str], numbered: Numbered
) -> tuple[np.ndarray, np.ndarray]:
    """One integer per row's key (equal keys, equal integers), and which rows have every part."""
    present = np.ones(len(valid), dtype=bool)
    parts = []
    for part in key:
        values = valid.column(part)
        present &= _mask(pc.is_valid(values))
        rows = numbered.get((valid.table, part))
        parts.append(value_numbers(values) if rows is None else _numbers_from_rows(rows, values))
    return combined_codes(parts), present


def _numbers_from_rows(rows: np.ndarray, values: pa.Array) -> tuple[np.ndarray, int]:
    """Values numbered by their row in the table they refer to; the others (not there, or
    blank) numbered after those rows."""
    base = int(rows.max(initial=-1)) + 1
    outside = rows < 0
    if not outside.any():
        return rows, base
    others, count = value_numbers(values.filter(pa.array(outside)))
    numbers = rows.copy()
    numbers[outside] = base + others
    return numbers, base + count


def _repeated_rows(codes: np.ndarray) -> np.ndarray:
    """The positions (ascending) whose code some other position has too."""
    order = np.argsort(codes, kind="stable")  # cheap: keys mostly come sorted or nearly
    ordered = codes[order]
    same = ordered[1:] == ordered[:-1]
    marked = np.zeros(len(codes), dtype=bool)
    marked[1:] |= same
    marked[:-1] |= same
    return np.sort(order[marked])


def _check_duplicates(valid: ValidTable, issues: _Collector, numbered: Numbered) -> None:
    key = list(TABLES[valid.table].key)
    if not len(valid):
        return
    codes, present = _key_codes(valid, key, numbered)
    rows_present = np.flatnonzero(present)
    repeated = rows_present[_repeated_rows(codes[rows_present])]
    if not len(repeated):
        return
    at = pa.array(repeated, pa.int64())
    key_values = list(zip(*(valid.data.column(k).take(at).to_pylist() for k in key), strict=True))
    rows = valid.data.column(ROW_COLUMN).take(at).to_pylist()
    first_row: dict[int, int] = {}
    for code, key_value, row in zip(codes[repeated].tolist(), key_values, rows, strict=True):
        if code in first_row:
            shown = "、".join(str(v) for v in key_value)
            issues.add(
                valid.label,
                row,
                " + ".join(valid.column_label(k) for k in key),
                shown,
                f"与第 {first_row[code]} 行重复",
            )
        else:
            first_row[code] = row


def _check_uscc(valid: ValidTable, issues: _Collector) -> None:
    ids = valid.column("firm_id")
    # looks_like_uscc, on the whole column: eighteen characters.
    eighteen = pc.fill_null(pc.equal(pc.utf8_length(ids), 18), False)
    at = pa.array(np.flatnonzero(_mask(eighteen))[failing_uscc(ids.filter(eighteen))])
    candidates = ids.take(at).to_pylist()
    rows = valid.column(ROW_COLUMN).take(at).to_pylist()
    for firm_id, row, problem in zip(candidates, rows, uscc_problems(candidates), strict=True):
        if problem:
            issues.add(valid.label, row, valid.column_label("firm_id"), firm_id, problem)


def _check_same_names(valid: ValidTable, issues: _Collector) -> None:
    """One firm on two rows under two ids: same name (width, case and spaces aside) in one
    province. Two valid USCCs say they are two firms (a name is unique only within one
    registration authority), so such pairs pass."""
    # name_key, on whole columns (a million firms): then only the rows that share a key.
    # Arrow's lower case stands in for casefold: they differ only on letters such as ß.
    names = valid.column("name")
    provinces = valid.column("province")
    eligible = pc.and_(pc.is_valid(names), pc.fill_null(pc.not_equal(provinces, UNKNOWN), False))
    rows_eligible = np.flatnonzero(_mask(eligible))
    folded = pc.binary_join_element_wise(
        _folded_names(names.filter(eligible)),
        provinces.filter(eligible),
        "|",
    )
    counts = pc.value_counts(folded)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    if not len(repeated):
        return
    shared = pc.is_in(folded, value_set=repeated)
    at = pa.array(rows_eligible[_mask(shared)], pa.int64())
    keys = folded.filter(shared).to_pylist()
    picked = valid.data.take(at)
    first: dict[str, tuple[int, str]] = {}
    for key, firm_id, row, province, name in zip(
        keys,
        *(picked.column(c).to_pylist() for c in ("firm_id", ROW_COLUMN, "province", "name")),
        strict=True,
    ):
        if key not in first:
            first[key] = (row, firm_id)
            continue
        earlier_row, earlier_id = first[key]
        if earlier_id == firm_id:
            continue  # the duplicate-id check speaks for it
        if _is_uscc(firm_id) and _is_uscc(earlier_id):
            continue
        issues.add(
            valid.label,
            row,
            valid.column_label("name"),
            name,
            f"与第 {earlier_row} 行同名且同在{province}（编号 {earlier_id}），像是同一企业："
            "请合并为一行，或用统一社会信用代码作编号以示区别",
        )


# Names NFKC, lower case and white-space removal leave as they are: CJK unified ideographs,
# digits and lower-case ASCII letters. Most firm names are made of them alone.
_FOLDED_ALREADY = r"^[\x{4e00}-\x{9fff}0-9a-z]*$"


def _folded_names(names: pa.Array) -> pa.Array:
    """Names as compared (width, case and spaces aside), on the whole column; Arrow's lower
    case stands in for casefold. Only names that need it are folded: folding every name was
    ~0.2 s more of a million-firm import."""
    needs = pc.invert(pc.fill_null(pc.match_substring_regex(names, _FOLDED_ALREADY), True))
    if not pc.any(needs).as_py():
        return names
    picked = pc.utf8_lower(pc.utf8_normalize(names.filter(needs), "NFKC"))
    return pc.replace_with_mask(names, needs, pc.replace_substring_regex(picked, r"\s+", ""))


def _is_uscc(firm_id: Any) -> bool:
    return isinstance(firm_id, str) and looks_like_uscc(firm_id) and uscc_problem(firm_id) is None


_PLACE_COLUMNS = ("province", "city", "county")


def _check_places(valid: ValidTable, issues: _Collector, notes: list[str]) -> ValidTable:
    """Province, city and county against the bundled divisions: completed, written in full,
    or refused with a suggestion. Resolved once per distinct place (a million firms sit in a
    few thousand); a row without a province is resolved on its own, from its id and name.
    Returns the table with the places as resolved."""
    allow_unknown = valid.table == "firms"
    places = divisions()
    parts = [valid.column(c) for c in _PLACE_COLUMNS]
    has = _mask(pc.and_(pc.is_valid(parts[0]), pc.not_equal(parts[0], "")))
    codes, first = group_rows(parts)
    used = np.unique(codes[has])
    alone = np.flatnonzero(~has)
    # The rows each place is resolved from: one per place, then every row without a province.
    sample = np.concatenate([first[used], alone]).astype(np.int64)
    taken = valid.data.take(pa.array(sample, pa.int64()))
    ids = taken.column("firm_id" if allow_unknown else "town_id").to_pylist()
    firm_names = taken.column("name").to_pylist()
    resolved: list[Place] = [
        places.resolve(
            province,
            city,
            county,
            allow_unknown=allow_unknown,
            firm_id=firm_id if allow_unknown else None,
            name=name if allow_unknown else None,
        )
        for province, city, county, firm_id, name in zip(
            *(taken.column(c).to_pylist() for c in _PLACE_COLUMNS), ids, firm_names, strict=True
        )
    ]
    # Each row's place, as an index into `resolved`.
    slot_of_code = np.full(len(first), -1, dtype=np.int64)
    slot_of_code[used] = np.arange(len(used), dtype=np.int64)
    slot = np.empty(len(valid), dtype=np.int64)
    slot[has] = slot_of_code[codes[has]]
    slot[alone] = len(used) + np.arange(len(alone), dtype=np.int64)
    wrong = np.array([k for k, place in enumerate(resolved) if place.error], dtype=np.int64)
    if len(wrong):
        rows = _np(valid.data.column(ROW_COLUMN))
        for position in np.flatnonzero(np.isin(slot, wrong)).tolist():
            place = resolved[int(slot[position])]
            shown = parts[_PLACE_COLUMNS.index(place.column)][position].as_py()
            issues.add(
                valid.label, rows[position], valid.column_label(place.column), shown, place.error
            )
    said: dict[str, int] = {}
    times = np.bincount(slot, minlength=len(resolved))
    for k, place in enumerate(resolved):
        for note in place.notes:
            said[note] = said.get(note, 0) + int(times[k])
    at = pa.array(slot)
    data = valid.data
    for name in _PLACE_COLUMNS:
        values = pa.array([getattr(place, name) for place in resolved], pa.string()).take(at)
        data = data.set_column(data.column_names.index(name), name, values)
    for note, times_said in said.items():
        notes.append(f"{valid.label}：{note}" + (f"（{times_said} 行）" if times_said > 1 else ""))
    return ValidTable(valid.table, valid.label, data, valid.headers)


def _check_references(
    tables: dict[str, ValidTable], store: ReferenceLookup, issues: _Collector, numbered: Numbered
) -> None:
    for table, column, target in REFERENCES:
        if table not in tables:
            continue
        valid = tables[table]
        values = valid.column(column)
        # Rows naming an id outside the dataset: usually none, so the store is asked little.
        outside = _mask(pc.is_valid(values))
        if (table, column) in numbered:
            outside &= numbered[table, column] < 0
        wanted = sorted(pc.unique(values.filter(pa.array(outside))).to_pylist())
        if not wanted:
            continue
        known = store.existing_ids(target, wanted)
        unknown = set(wanted) - known
        if not unknown:
            continue
        hints = _reference_hints(tables, store, target, unknown)
        target_zh = TABLES[target].table_zh
        missing = _mask(pc.is_in(values, value_set=pa.array(sorted(unknown), pa.string())))
        at = pa.array(np.flatnonzero(missing), pa.int64())
        for value, row in zip(
            values.take(at).to_pylist(), valid.column(ROW_COLUMN).take(at).to_pylist(), strict=True
        ):
            issues.add(
                valid.label,
                row,
                valid.column_label(column),
                value,
                hints.get(value)
                or f"引用的{target_zh}不存在（不在本数据集的{target_zh}表中，也未导入过）",
            )


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace(" ", "")


def _reference_hints(
    tables: dict[str, ValidTable], store: ReferenceLookup, target: str, unknown: set[str]
) -> dict[str, str]:
    """Why a reference did not resolve, when it can be told: a name typed for an id, or an id
    that differs only in case, width or spaces."""
    key = TABLES[target].key[0]
    target_zh = TABLES[target].table_zh
    key_zh = TABLES[target].zh(key)
    names: dict[str, list[str]] = {}
    own_ids: set[str] = set()
    if target in tables:
        valid = tables[target]
        own_ids = {i for i in valid.values(key) if i is not None}
        if "name" in valid.data.column_names and key != "name":
            for name, node_id in zip(valid.values("name"), valid.values(key), strict=True):
                if name in unknown:
                    names.setdefault(name, []).append(node_id)
    if "name" in TABLES[target].model_fields and key != "name":
        for name, ids in store.ids_by_name(target, sorted(unknown - set(names))).items():
            names.setdefault(name, []).extend(ids)
    folded = {_fold(i): i for i in own_ids}
    for node_id in store.ids_case_folded(target, sorted({_fold(v) for v in unknown})):
        folded.setdefault(_fold(node_id), node_id)
    hints: dict[str, str] = {}
    for value in unknown:
        if value in names:
            ids = sorted(set(names[value]))
            hints[value] = (
                f"「{value}」是{target_zh}名称，对应{key_zh} {ids[0]}，请改填编号"
                if len(ids) == 1
                else f"「{value}」是{target_zh}名称，有多个{key_zh}：{'、'.join(ids)}，请改填其中之一"
            )
        elif _fold(value) in folded:
            hints[value] = (
                f"没有{key_zh}「{value}」；只差大小写、全半角或空格的是 {folded[_fold(value)]}，请改为它"
            )
    return hints


def _check_flows(tables: dict[str, ValidTable], store: ReferenceLookup, issues: _Collector) -> None:
    flows = tables.get("link_flows")
    if flows is None:
        return
    chain_of: dict[str, str] = {}
    if "links" in tables:
        links = tables["links"]
        chain_of.update(zip(links.values("link_id"), links.values("chain_id"), strict=True))
    sources, targets = flows.values("from_link_id"), flows.values("to_link_id")
    outside = sorted(set(sources).union(targets) - set(chain_of) - {None})
    chain_of.update(store.link_chains([i for i in outside if i]))
    for source, target, row in zip(sources, targets, flows.rows(), strict=True):
        if source and source == target:
            issues.add(
                flows.label, row, flows.column_label("to_link_id"), target, "环节不能流向自身"
            )
        elif source in chain_of and target in chain_of and chain_of[source] != chain_of[target]:
            issues.add(
                flows.label,
                row,
                flows.column_label("to_link_id"),
                target,
                f"流向跨越产业链：{source} 属于 {chain_of[source]}，{target} 属于 {chain_of[target]}",
            )


def _check_flow_cycles(tables: dict[str, ValidTable], issues: _Collector) -> None:
    """Flows run from upstream to downstream; 补链 and 延链 are defined along them, so a loop
    (A → B → A) has no meaning there. The first flow that closes a loop is refused, with the
    loop named."""
    flows = tables.get("link_flows")
    if flows is None:
        return
    graph: dict[str, list[str]] = {}  # grows row by row: the row that closes a loop is named

    def path(start: str, goal: str) -> list[str] | None:
        stack, seen = [(start, [start])], {start}
        while stack:
            node, trail = stack.pop()
            if node == goal:
                return trail
            for nxt in graph.get(node, []):
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
        return None

    for source, target, row in zip(
        flows.values("from_link_id"), flows.values("to_link_id"), flows.rows(), strict=True
    ):
        if not source or not target or source == target:
            continue
        back = path(target, source)
        if back is None:
            graph.setdefault(source, []).append(target)
        else:
            issues.add(
                flows.label,
                row,
                flows.column_label("to_link_id"),
                target,
                f"环节流向成环：{' → '.join([*back, target])}；流向应从上游到下游，请删去其中一条",
            )


def _check_ties(tables: dict[str, ValidTable], issues: _Collector) -> None:
    ties = tables.get("supply_ties")
    if ties is None:
        return
    own = _mask(pc.equal(ties.column("supplier_id"), ties.column("customer_id")))
    at = pa.array(np.flatnonzero(own), pa.int64())
    for customer, row in zip(
        ties.column("customer_id").take(at).to_pylist(),
        ties.column(ROW_COLUMN).take(at).to_pylist(),
        strict=True,
    ):
        issues.add(
            ties.label, row, ties.column_label("customer_id"), customer, "企业不能向自身供货"
        )


def _check_project_dates(tables: dict[str, ValidTable], issues: _Collector) -> None:
    projects = tables.get("projects")
    if projects is None:
        return
    for record in projects.data.to_pylist():
        known = [(col, label, record[col]) for col, label in PROJECT_DATES if record[col]]
        end_column, end_label = TERMINATED_DATE
        if record[end_column] and known:
            latest = max(known, key=lambda item: item[2])
            if record[end_column] < latest[2]:
                issues.add(
                    projects.label,
                    record[ROW_COLUMN],
                    projects.column_label(end_column),
                    record[end_column],
                    f"{end_label}日期早于{latest[1]}日期 {latest[2]}",
                )
        for (_, earlier_label, earlier), (col, label, later) in itertools.pairwise(known):
            if later < earlier:
                issues.add(
                    projects.label,
                    record[ROW_COLUMN],
                    projects.column_label(col),
                    later,
                    f"{label}日期早于{earlier_label}日期 {earlier}",
                )


# (table, earlier column, later column): a later date may not precede the earlier one.
DATE_ORDER = (
    ("follow_ups", "followed_on", "next_on"),
    ("problems", "raised_on", "due_on"),
    ("problems", "raised_on", "resolved_on"),
)
# (table, status column, closing status, its date column): the date is filled exactly when the
# row is closed (a resolved problem says when; a date on an open one is a slip).
CLOSING_DATES = (
    ("problems", "status", "已解决", "resolved_on"),
    ("tasks", "status", "已完成", "done_on"),
)


def _check_date_order(tables: dict[str, ValidTable], issues: _Collector) -> None:
    for table, earlier, later in DATE_ORDER:
        valid = tables.get(table)
        if valid is None:
            continue
        for first, second, row in zip(
            valid.values(earlier), valid.values(later), valid.rows(), strict=True
        ):
            if first and second and second < first:
                issues.add(
                    valid.label,
                    row,
                    valid.column_label(later),
                    second,
                    f"{TABLES[table].zh(later)}早于{TABLES[table].zh(earlier)} {first}",
                )
    for table, status_column, closing, date_column in CLOSING_DATES:
        valid = tables.get(table)
        if valid is None:
            continue
        for status, day, row in zip(
            valid.values(status_column), valid.values(date_column), valid.rows(), strict=True
        ):
            if status == closing and not day:
                issues.add(
                    valid.label,
                    row,
                    valid.column_label(date_column),
                    "",
                    f"状态为{closing}的须填写{TABLES[table].zh(date_column)}",
                )
            elif status != closing and day:
                issues.add(
                    valid.label,
                    row,
                    valid.column_label(status_column),
                    status,
                    f"已填{TABLES[table].zh(date_column)} {day}，状态应为{closing}",
                )


REVIEW_COLUMNS = ("审核", "review")
_ACCEPTED = {"是", "yes", "y", "true", "1", "√", "✓"}
_REJECTED = {"否", "no", "n", "false", "0", "×", "x"}


def _skip_unaccepted(raw_table: RawTable, notes: list[str], issues: _Collector) -> RawTable:
    """A table with a 审核 column (a chainmap classify workbook) imports only the rows marked
    是; 否 is skipped, and a blank still awaits review: skipped too, and counted."""
    column = next((c for c in raw_table.extra_columns if c.strip().lower() in REVIEW_COLUMNS), None)
    if column is None:
        return raw_table
    cells = raw_table.data.column(column).to_pylist()
    values = [(c or "").strip().lower() for c in cells]
    accepted = np.array([v in _ACCEPTED for v in values], dtype=bool)
    rejected = np.array([v in _REJECTED for v in values], dtype=bool)
    pending = np.array([v == "" for v in values], dtype=bool)
    rows = raw_table.data.column(ROW_COLUMN).to_pylist()
    for position in np.flatnonzero(~(accepted | rejected | pending)).tolist():
        value = (cells[position] or "").strip()
        issues.add(
            raw_table.label, rows[position], column, value, f"{column}应为 是、否，或留空待审核"
        )
    if rejected.any():
        notes.append(f"{raw_table.label}：跳过 {int(rejected.sum())} 行（{column}为否）")
    if pending.any():
        notes.append(
            f"{raw_table.label}：另有 {int(pending.sum())} 行待审核（{column}为空），未导入"
        )
    data = raw_table.data.filter(pa.array(accepted)).drop_columns([column])
    extra = [c for c in raw_table.extra_columns if c != column]
    return RawTable(raw_table.table, raw_table.label, data, raw_table.headers, extra)


def validate(raw: RawDataset, store: ReferenceLookup | None = None) -> Dataset:
    """Check every rule of the contract; raise DatasetInvalid listing all problems.

    The raw tables are taken out of `raw` as they are checked: a million-firm register is not
    held twice, as read and as parsed."""
    store = store or EmptyStore()
    issues = _Collector()
    notes = list(raw.notes)
    tables: dict[str, ValidTable] = {}
    for name in TABLES:  # contract order, so messages come out in a stable order
        raw_table = raw.tables.pop(name, None)
        if raw_table is None:
            continue
        raw_table = _skip_unaccepted(raw_table, notes, issues)
        data = _validate_table(raw_table, issues)
        tables[name] = ValidTable(name, raw_table.label, data, dict(raw_table.headers))
        del raw_table
    numbered = _numbered_references(tables)
    for valid in tables.values():
        _check_duplicates(valid, issues, numbered)
    if "firms" in tables:
        _check_uscc(tables["firms"], issues)
    for name in ("towns", "firms"):
        if name in tables:
            tables[name] = _check_places(tables[name], issues, notes)
    if "firms" in tables:
        _check_same_names(tables["firms"], issues)
    _check_references(tables, store, issues, numbered)
    _check_flows(tables, store, issues)
    _check_flow_cycles(tables, issues)
    _check_ties(tables, issues)
    _check_project_dates(tables, issues)
    _check_date_order(tables, issues)
    for label, looks_like in raw.misnamed.items():
        zh = TABLES[looks_like].table_zh
        issues.add(
            label,
            1,
            "",
            label,
            f"表头是{zh}表的列，但名称不是已知的数据表，未读取（其中的数据会丢失）："
            f"请改名为“{zh}”或 {looks_like}",
        )
    if any(i.reason.startswith("引用的") for i in issues.issues):
        # A renamed sheet (企业名单 for 企业) is the usual cause of a run of missing references.
        for label in (i for i in raw.ignored if i not in raw.misnamed):
            issues.add(
                label,
                1,
                "",
                label,
                "未读取：名称不是已知的数据表，其中的数据没有导入；如是企业表请改名为“企业”，"
                f"其他表名见：{known_table_names()}",
            )
    if issues.issues:
        raise DatasetInvalid(issues.issues)
    return Dataset(source=raw.source, tables=tables, notes=notes, numbered=numbered)

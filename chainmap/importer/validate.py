"""Validate a read dataset against the contract: every problem is collected, then raised at once.

Columns are validated with the pydantic types of chainmap.model, once per distinct value (a 1M-row
firm register repeats its provinces, cities and badges), and every row holding a bad value gets
its own issue. Cross-table rules (duplicates, references, flows, dates) follow.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pydantic import TypeAdapter, ValidationError

from chainmap.errors import DatasetInvalid, Issue
from chainmap.importer.fastpath import rule_of, settled
from chainmap.importer.read import ROW_COLUMN, RawDataset, RawTable, known_table_names
from chainmap.model import PROJECT_DATES, REFERENCES, TABLES, TERMINATED_DATE
from chainmap.places import UNKNOWN, Place, divisions
from chainmap.store.columns import group_rows
from chainmap.uscc import looks_like_uscc, uscc_problem, uscc_problems

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
    # Contract columns with parsed values, EXTRA_COLUMN (JSON text or None) and ROW_COLUMN.
    frame: pd.DataFrame
    headers: dict[str, str] = field(default_factory=dict)  # canonical column -> as written

    def column_label(self, column: str) -> str:
        return self.headers.get(column, column)

    def __len__(self) -> int:
        return len(self.frame)

    def keys(self) -> list[Any]:
        key = TABLES[self.table].key
        if len(key) == 1:
            return self.frame[key[0]].tolist()
        return list(zip(*(self.frame[k] for k in key), strict=True))


@dataclass
class Dataset:
    source: str
    tables: dict[str, ValidTable]
    notes: list[str] = field(default_factory=list)

    def ids(self, table: str) -> set[str]:
        valid = self.tables.get(table)
        return set(valid.frame[TABLES[table].key[0]]) if valid is not None else set()

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


def _validate_column(raw: RawTable, column: str, issues: _Collector) -> tuple[pd.Series, pd.Series]:
    """Parsed values of one column and a mask of the rows whose value was bad."""
    table = raw.table
    frame = raw.frame
    if column not in frame.columns:
        default = (
            _column_adapter(table, column).validate_python(None)
            if not _required(table, column)
            else None
        )
        return (
            pd.Series([default] * len(frame), index=frame.index, dtype=object),
            pd.Series(False, index=frame.index),
        )
    codes, uniques = pd.factorize(frame[column], use_na_sentinel=False)
    distinct = np.asarray(uniques, dtype=object)
    distinct[pd.isna(distinct)] = None
    # Values already in their stored form are settled by Arrow; the rule sees only the rest.
    rule = rule_of(TABLES[table].model_fields[column].metadata)
    fast = settled(rule, distinct) if rule is not None else None
    parsed = np.empty(len(distinct), dtype=object)
    if fast is not None:
        known, fast_values = fast
        parsed[known] = fast_values[known]
        pending = np.flatnonzero(~known)
    else:
        pending = np.arange(len(distinct))
    values = distinct[pending].tolist()
    bad: dict[int, str] = {}
    try:
        parsed[pending] = _object_array(_list_adapter(table, column).validate_python(values))
    except ValidationError:
        element = _column_adapter(table, column)
        for at, value in zip(pending.tolist(), values, strict=True):
            try:
                parsed[at] = element.validate_python(value)
            except ValidationError as exc:
                parsed[at] = None
                bad[at] = _message(exc.errors()[0])
    if not bad:
        return (
            pd.Series(parsed[codes], index=frame.index, dtype=object),
            pd.Series(False, index=frame.index),
        )
    label = raw.headers.get(column, column)
    rows = frame[ROW_COLUMN].tolist()
    mask = []
    for index, code in enumerate(codes):
        if code in bad:
            issues.add(raw.label, rows[index], label, distinct[code], bad[code])
        mask.append(code in bad)
    return (
        pd.Series(parsed[codes], index=frame.index, dtype=object),
        pd.Series(mask, index=frame.index),
    )


def _object_array(values: list[Any]) -> np.ndarray:
    # np.array would turn a list of tuples into a 2-D array; fill an object array instead.
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _is_missing(value: Any) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _required(table: str, column: str) -> bool:
    return column in TABLES[table].required_columns()


def _extra_json(raw: RawTable) -> pd.Series:
    if not raw.extra_columns:
        return pd.Series([None] * len(raw.frame), index=raw.frame.index, dtype=object)
    extras = raw.frame[raw.extra_columns]

    def row_json(values: Iterable[Any]) -> str | None:
        kept = {
            name: value
            for name, value in zip(raw.extra_columns, values, strict=True)
            if not _is_missing(value)
        }
        return json.dumps(kept, ensure_ascii=False, sort_keys=True) if kept else None

    return pd.Series(
        [row_json(values) for values in extras.itertuples(index=False, name=None)],
        index=raw.frame.index,
        dtype=object,
    )


def _validate_table(raw: RawTable, issues: _Collector) -> tuple[pd.DataFrame, pd.Series]:
    model = TABLES[raw.table]
    for column in model.required_columns():
        if column not in raw.frame.columns:
            issues.add(raw.label, 1, _column_label(raw.table, column), "", "缺少必填列")
    columns: dict[str, pd.Series] = {}
    bad = pd.Series(False, index=raw.frame.index)
    for column in model.columns():
        columns[column], column_bad = _validate_column(raw, column, issues)
        bad |= column_bad
    columns[EXTRA_COLUMN] = _extra_json(raw)
    columns[ROW_COLUMN] = raw.frame[ROW_COLUMN]
    return pd.DataFrame(columns, index=raw.frame.index), bad


def _check_duplicates(valid: ValidTable, issues: _Collector) -> None:
    key = list(TABLES[valid.table].key)
    frame = valid.frame.dropna(subset=key)
    duplicated = frame.duplicated(subset=key, keep=False)
    if not duplicated.any():
        return
    first_row: dict[Any, int] = {}
    for key_value, row in zip(
        frame.loc[duplicated, key].itertuples(index=False, name=None),
        frame.loc[duplicated, ROW_COLUMN],
        strict=True,
    ):
        if key_value in first_row:
            shown = "、".join(str(v) for v in key_value)
            issues.add(
                valid.label,
                row,
                " + ".join(valid.column_label(k) for k in key),
                shown,
                f"与第 {first_row[key_value]} 行重复",
            )
        else:
            first_row[key_value] = row


def _check_uscc(valid: ValidTable, issues: _Collector) -> None:
    ids = pa.array(valid.frame["firm_id"].to_numpy(), pa.string(), from_pandas=True)
    # looks_like_uscc, on the whole column: eighteen characters.
    eighteen = pc.fill_null(pc.equal(pc.utf8_length(ids), 18), False)
    candidates = ids.filter(eighteen).to_pylist()
    rows = valid.frame[ROW_COLUMN].to_numpy()[np.asarray(eighteen.to_numpy(zero_copy_only=False))]
    for firm_id, row, problem in zip(candidates, rows, uscc_problems(candidates), strict=True):
        if problem:
            issues.add(valid.label, row, valid.column_label("firm_id"), firm_id, problem)


def _check_same_names(valid: ValidTable, issues: _Collector) -> None:
    """One firm on two rows under two ids: same name (width, case and spaces aside) in one
    province. Two valid USCCs say they are two firms (a name is unique only within one
    registration authority), so such pairs pass."""
    frame = valid.frame
    # name_key, on whole columns (a million firms): then only the rows that share a key.
    # Arrow's lower case stands in for casefold: they differ only on letters such as ß. The
    # columns go to Arrow as they are (pandas' astype(str) alone cost 1.5 s at 1M rows).
    names = pa.array(frame["name"].to_numpy(), pa.string(), from_pandas=True)
    provinces = pa.array(frame["province"].to_numpy(), pa.string(), from_pandas=True)
    eligible = pc.and_(pc.is_valid(names), pc.fill_null(pc.not_equal(provinces, UNKNOWN), False))
    rows_eligible = np.flatnonzero(eligible.to_numpy(zero_copy_only=False))
    folded = pc.binary_join_element_wise(
        pc.replace_substring_regex(
            pc.utf8_lower(pc.utf8_normalize(names.filter(eligible), "NFKC")), r"\s+", ""
        ),
        provinces.filter(eligible),
        "|",
    )
    counts = pc.value_counts(folded)
    repeated = counts.field("values").filter(pc.greater(counts.field("counts"), 1))
    shared = pc.is_in(folded, value_set=repeated)
    at = rows_eligible[shared.to_numpy(zero_copy_only=False)]
    keys = folded.filter(shared).to_pylist()
    frame = frame.iloc[at]
    first: dict[str, tuple[int, str]] = {}
    for key, firm_id, row, province, name in zip(
        keys, frame["firm_id"], frame[ROW_COLUMN], frame["province"], frame["name"], strict=True
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


def _is_uscc(firm_id: Any) -> bool:
    return isinstance(firm_id, str) and looks_like_uscc(firm_id) and uscc_problem(firm_id) is None


def _check_places(valid: ValidTable, issues: _Collector, notes: list[str]) -> None:
    """Province, city and county against the bundled divisions: completed, written in full,
    or refused with a suggestion. Resolved once per distinct place (a million firms sit in a
    few thousand); a row without a province is resolved on its own, from its id and name."""
    frame = valid.frame
    allow_unknown = valid.table == "firms"
    places = divisions()
    ids = frame["firm_id"] if allow_unknown else frame["town_id"]
    columns = {c: frame[c] for c in ("province", "city", "county")}

    def resolve(position: int) -> Place:
        province, city, county = (columns[c].iat[position] for c in columns)
        return places.resolve(
            province,
            city,
            county,
            allow_unknown=allow_unknown,
            firm_id=ids.iat[position] if allow_unknown else None,
            name=frame["name"].iat[position] if allow_unknown else None,
        )

    count = len(frame)
    with_province = columns["province"].map(bool, na_action="ignore").fillna(False)
    has = with_province.to_numpy(dtype=bool)
    codes, first = group_rows(
        [pa.array(column.to_numpy(), pa.string(), from_pandas=True) for column in columns.values()]
    )
    used = np.unique(codes[has])
    by_code: dict[int, Place] = {int(k): resolve(int(first[k])) for k in used}
    place_of_row: dict[int, Place] = {int(i): resolve(int(i)) for i in np.flatnonzero(~has)}

    def place_at(position: int) -> Place:
        return by_code[int(codes[position])] if has[position] else place_of_row[position]

    resolved = {name: np.empty(count, dtype=object) for name in ("province", "city", "county")}
    for name, out in resolved.items():
        table = np.empty(len(first), dtype=object)
        for k, place in by_code.items():
            table[k] = getattr(place, name)
        out[has] = table[codes[has]]
        for position, place in place_of_row.items():
            out[position] = getattr(place, name)
    wrong = [int(k) for k, place in by_code.items() if place.error]
    flagged = np.flatnonzero(has & np.isin(codes, wrong)).tolist() + [
        position for position, place in place_of_row.items() if place.error
    ]
    rows = frame[ROW_COLUMN].to_numpy()
    for position in sorted(flagged):
        place = place_at(position)
        shown = columns[place.column].iat[position]
        issues.add(
            valid.label, rows[position], valid.column_label(place.column), shown, place.error
        )
    said: dict[str, int] = {}
    times = np.bincount(codes[has], minlength=len(first))
    for k, place in by_code.items():
        for note in place.notes:
            said[note] = said.get(note, 0) + int(times[k])
    for place in place_of_row.values():
        for note in place.notes:
            said[note] = said.get(note, 0) + 1
    for name, out in resolved.items():
        frame[name] = pd.Series(out, index=frame.index, dtype=object)
    for note, times_said in said.items():
        notes.append(f"{valid.label}：{note}" + (f"（{times_said} 行）" if times_said > 1 else ""))


def _check_references(
    tables: dict[str, ValidTable], store: ReferenceLookup, issues: _Collector
) -> None:
    own_ids = {
        name: set(t.frame[TABLES[name].key[0]].dropna())
        for name, t in tables.items()
        if len(TABLES[name].key) == 1
    }
    for table, column, target in REFERENCES:
        valid = tables.get(table)
        if valid is None:
            continue
        values = valid.frame[column]
        wanted = sorted(set(values.dropna()) - own_ids.get(target, set()))
        if not wanted:
            continue
        known = store.existing_ids(target, wanted)
        unknown = set(wanted) - known
        if not unknown:
            continue
        hints = _reference_hints(tables, store, target, unknown)
        target_zh = TABLES[target].table_zh
        for value, row in zip(values, valid.frame[ROW_COLUMN], strict=True):
            if value in unknown:
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
        frame = tables[target].frame
        own_ids = set(frame[key].dropna())
        if "name" in frame.columns and key != "name":
            for name, node_id in zip(frame["name"], frame[key], strict=True):
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
        links = tables["links"].frame
        chain_of.update(zip(links["link_id"], links["chain_id"], strict=True))
    outside = sorted(
        set(flows.frame["from_link_id"]).union(flows.frame["to_link_id"]) - set(chain_of)
    )
    chain_of.update(store.link_chains([i for i in outside if i]))
    for source, target, row in zip(
        flows.frame["from_link_id"], flows.frame["to_link_id"], flows.frame[ROW_COLUMN], strict=True
    ):
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
        flows.frame["from_link_id"], flows.frame["to_link_id"], flows.frame[ROW_COLUMN], strict=True
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
    for supplier, customer, row in zip(
        ties.frame["supplier_id"], ties.frame["customer_id"], ties.frame[ROW_COLUMN], strict=True
    ):
        if supplier and supplier == customer:
            issues.add(
                ties.label, row, ties.column_label("customer_id"), customer, "企业不能向自身供货"
            )


def _check_project_dates(tables: dict[str, ValidTable], issues: _Collector) -> None:
    projects = tables.get("projects")
    if projects is None:
        return
    for record in projects.frame.to_dict("records"):
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
        frame = valid.frame
        if earlier not in frame.columns or later not in frame.columns:
            continue
        for first, second, row in zip(frame[earlier], frame[later], frame[ROW_COLUMN], strict=True):
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
        if valid is None or status_column not in valid.frame.columns:
            continue
        frame = valid.frame
        dates = frame[date_column] if date_column in frame.columns else [None] * len(frame)
        for status, day, row in zip(frame[status_column], dates, frame[ROW_COLUMN], strict=True):
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
    cells = raw_table.frame[column].fillna("").astype(str).str.strip()
    values = cells.str.lower()
    accepted = values.isin(_ACCEPTED)
    rejected = values.isin(_REJECTED)
    pending = values == ""
    for value, row in zip(
        cells[~(accepted | rejected | pending)],
        raw_table.frame.loc[~(accepted | rejected | pending), ROW_COLUMN],
        strict=True,
    ):
        issues.add(raw_table.label, row, column, value, f"{column}应为 是、否，或留空待审核")
    if rejected.any():
        notes.append(f"{raw_table.label}：跳过 {int(rejected.sum())} 行（{column}为否）")
    if pending.any():
        notes.append(
            f"{raw_table.label}：另有 {int(pending.sum())} 行待审核（{column}为空），未导入"
        )
    frame = raw_table.frame[accepted].drop(columns=[column])
    extra = [c for c in raw_table.extra_columns if c != column]
    return RawTable(raw_table.table, raw_table.label, frame, raw_table.headers, extra)


def validate(raw: RawDataset, store: ReferenceLookup | None = None) -> Dataset:
    """Check every rule of the contract; raise DatasetInvalid listing all problems."""
    store = store or EmptyStore()
    issues = _Collector()
    notes = list(raw.notes)
    tables: dict[str, ValidTable] = {}
    for name in TABLES:  # contract order, so messages come out in a stable order
        raw_table = raw.tables.get(name)
        if raw_table is None:
            continue
        raw_table = _skip_unaccepted(raw_table, notes, issues)
        frame, _ = _validate_table(raw_table, issues)
        tables[name] = ValidTable(name, raw_table.label, frame, dict(raw_table.headers))
    for valid in tables.values():
        _check_duplicates(valid, issues)
    if "firms" in tables:
        _check_uscc(tables["firms"], issues)
    for name in ("towns", "firms"):
        if name in tables:
            _check_places(tables[name], issues, notes)
    if "firms" in tables:
        _check_same_names(tables["firms"], issues)
    _check_references(tables, store, issues)
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
    return Dataset(source=raw.source, tables=tables, notes=notes)

"""Turn a validated dataset into a write plan and apply it: the import as a whole.

What a dataset means for the graph:
- every row of a node table (towns, chains, links, firms, projects) is upserted by its id;
- a relationship table the dataset has (link_flows, firm_links, supply_ties) is the complete truth
  for the nodes it speaks of: their relationships of that kind become exactly those rows;
- a table the dataset lacks changes nothing; nothing is ever deleted that the dataset does not
  speak of.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.geo import gazetteer
from chainmap.graph import (
    DERIVED_EDGES,
    EDGE_TABLES,
    KEY_SEPARATOR,
    NODE_BY_TABLE,
    RELS,
    STRING_LIST,
)
from chainmap.importer.read import dataset_from_rows, read_dataset
from chainmap.importer.validate import Dataset, DatasetSummary, ValidTable, validate
from chainmap.model import REFERENCES, TABLES
from chainmap.store.base import GraphStore, batched
from chainmap.store.columns import group_rows, plain
from chainmap.store.sync import (
    Changes,
    EdgeWrite,
    NodeWrite,
    ProgressFn,
    WritePlan,
    apply_plan,
    current_nodes,
)


class StoreLookup:
    """Answers validation's questions about what the store already holds."""

    def __init__(self, store: GraphStore):
        self.store = store

    def existing_ids(self, table: str, ids: list[str]) -> set[str]:
        label = NODE_BY_TABLE[table].label
        found: set[str] = set()
        for chunk in batched(ids, 20_000):
            found.update(
                r["id"] for r in self.store.query("existing_ids", {"ids": chunk}, label=label)
            )
        return found

    def ids_by_name(self, table: str, names: list[str]) -> dict[str, list[str]]:
        label = NODE_BY_TABLE[table].label
        found: dict[str, list[str]] = {}
        for chunk in batched(names, 1_000):
            for row in self.store.query("ids_by_name", {"names": chunk}, label=label):
                found.setdefault(row["name"], []).append(row["id"])
        return found

    def ids_case_folded(self, table: str, folded: list[str]) -> list[str]:
        label = NODE_BY_TABLE[table].label
        rows = self.store.query("ids_case_folded", {"folded": folded}, label=label)
        return [row["id"] for row in rows]

    def link_chains(self, link_ids: list[str]) -> dict[str, str]:
        if not link_ids:
            return {}
        rows = self.store.query("link_chains", {"ids": link_ids})
        return {row["id"]: row["chain_id"] for row in rows}


_LIST_PROPERTIES = {
    name for node in NODE_BY_TABLE.values() for name, kind in node.properties if kind == STRING_LIST
}


def _column(valid: ValidTable, name: str) -> pa.Array:
    if name not in valid.data.column_names:
        if name in _LIST_PROPERTIES:
            return pa.array([[]] * len(valid), pa.list_(pa.string()))
        return pa.nulls(len(valid), pa.string())
    return valid.column(name)


def _coordinates(valid: ValidTable) -> tuple[pa.Array, pa.Array]:
    """Longitude and latitude of each row's place (firms: names; towns: code, else names).
    A million firms sit in a few thousand places: each place is looked up once."""
    places = gazetteer()
    parts = [
        _column(valid, column).cast(pa.string())
        for column in ("division_code", "province", "city", "county")
    ]
    group, first = group_rows(parts)
    lons: list[float | None] = []
    lats: list[float | None] = []
    for code, province, city, county in zip(
        *(part.take(first).to_pylist() for part in parts), strict=True
    ):
        point = places.locate_code(code) or places.locate(province, city, county)
        lons.append(point.lon if point else None)
        lats.append(point.lat if point else None)
    return (
        pa.array(lons, pa.float64()).take(group),
        pa.array(lats, pa.float64()).take(group),
    )


def node_ids(valid: ValidTable) -> pa.Array:
    node = NODE_BY_TABLE[valid.table]
    first = _column(valid, node.key_column)
    if not node.more_key_columns:  # a validated key is text already
        return first
    parts = [first] + [_column(valid, column) for column in node.more_key_columns]
    return pc.binary_join_element_wise(*(p.cast(pa.string()) for p in parts), KEY_SEPARATOR)


def _node_columns(valid: ValidTable) -> dict[str, pa.Array]:
    node = NODE_BY_TABLE[valid.table]
    columns = {"id": node_ids(valid)}
    for prop in node.property_names:
        columns[prop] = _column(valid, prop)
    if "lon" in columns:
        columns["lon"], columns["lat"] = _coordinates(valid)
    return columns


def build_plan(dataset: Dataset, *, replace_all: bool = False) -> WritePlan:
    """The writes a dataset means.

    A relationship table replaces relationships only as far as the dataset covers them: a firm's
    links within the chains the dataset names (a register classified for chain B leaves the
    firm's chain A untouched), the supply ties of the suppliers it lists. `replace_all` makes
    every firm of the dataset own all its relationships of each table the dataset has.
    """
    plan = WritePlan()
    for table, valid in dataset.tables.items():
        if table in NODE_BY_TABLE:
            plan.nodes.append(NodeWrite(NODE_BY_TABLE[table], _node_columns(valid)))
    for derived in DERIVED_EDGES:
        valid = dataset.tables.get(derived.table)
        if valid is None:
            continue
        ids = node_ids(valid)
        targets = _column(valid, derived.column)
        named = pc.is_valid(targets)
        columns = {"from_id": ids.filter(named), "to_id": targets.filter(named)}
        plan.edges.append(EdgeWrite(RELS[derived.rel], ids, columns, pairs_unique=True))
    firm_ids = dataset.ids("firms")  # one array: the dictionary of every firm reference
    for table, edge_table in EDGE_TABLES.items():
        valid = dataset.tables.get(table)
        if valid is None:
            continue
        rel = RELS[edge_table.rel]
        sources = _firm_references(dataset, table, edge_table.from_column, firm_ids)
        columns = {
            "from_id": sources,
            "to_id": _firm_references(dataset, table, edge_table.to_column, firm_ids),
        }
        columns.update({p: _column(valid, p) for p in rel.property_names})
        owner_table = NODE_BY_TABLE_BY_LABEL[rel.from_label]
        owners = [sources]
        scope: set[str] | None = None
        if owner_table in dataset.tables and (replace_all or table == "link_flows"):
            owners.append(dataset.ids(owner_table))
        if table == "firm_links" and not replace_all:
            owners.append(firm_ids)
            scope = set(dataset.ids("chains").to_pylist())
            if "links" in dataset.tables:
                scope |= set(_column(dataset.tables["links"], "chain_id").to_pylist())
        # In order of first appearance: the sources, then the owner table's other ids.
        # The table's key is (from, to): validation refused any pair named twice.
        owners_once = _unique_ids(owners)
        plan.edges.append(EdgeWrite(rel, owners_once, columns, scope, pairs_unique=True))
    return plan


_FIRM_REFERENCES = {(t, c) for t, c, target in REFERENCES if target == "firms"}


def _firm_references(dataset: Dataset, table: str, column: str, firm_ids: pa.Array) -> pa.Array:
    """A column naming firms; when every row names a firm of the dataset, as a dictionary
    array over the firms' ids (the rows validation found them at). A re-import then pairs
    relationship ends with the stored ones by integers, not by hashing a million ids."""
    values = _column(dataset.tables[table], column)
    rows = dataset.numbered.get((table, column))
    if (table, column) not in _FIRM_REFERENCES or rows is None or not len(rows):
        return values
    if int(rows.min()) < 0:  # blank, or a firm only the store holds
        return values
    return pa.DictionaryArray.from_arrays(pa.array(rows, pa.int64()), firm_ids)


def _unique_ids(parts: list[pa.Array]) -> pa.Array:
    """The ids of all parts once, in order of first appearance. When the parts are firm
    references over one dictionary (and that dictionary itself), they stay encoded over it and
    are numbered without hashing the ids."""
    dictionary = next((p.dictionary for p in parts if pa.types.is_dictionary(p.type)), None)
    if dictionary is not None:
        codes = [_codes_in(part, dictionary) for part in parts]
        if all(c is not None for c in codes):
            joined = np.concatenate(codes)
            _, first = np.unique(joined, return_index=True)
            ordered = joined[np.sort(first)]
            return pa.DictionaryArray.from_arrays(pa.array(ordered, pa.int64()), dictionary)
    return pc.unique(pa.concat_arrays([plain(part) for part in parts]))


def _codes_in(part: pa.Array, dictionary: pa.Array) -> np.ndarray | None:
    """The part as rows of `dictionary`: its indices, or every row when it is the dictionary."""
    if pa.types.is_dictionary(part.type):
        return part.indices.to_numpy() if part.dictionary.equals(dictionary) else None
    return np.arange(len(part), dtype=np.int64) if part.equals(dictionary) else None


NODE_BY_TABLE_BY_LABEL = {node.label: table for table, node in NODE_BY_TABLE.items()}


# Tables whose status has a date column: a status that changes without a date is dated on the
# day of the import (an edited 招商引资清单 carries the status alone).
STATUS_DATES = {"leads": ("status", "status_on")}


def keep_stored_columns(dataset: Dataset, store: GraphStore, today: dt.date) -> None:
    """For tables that keep absent columns (an exported list edited and read back), fill each
    column the file lacks with what the store holds for that row."""
    for table, valid in dataset.tables.items():
        model = TABLES[table]
        if not model.keeps_absent_columns or not len(valid):
            continue
        node = NODE_BY_TABLE[table]
        ids = node_ids(valid).to_pylist()
        stored = current_nodes(store, node, ids)
        data = valid.data
        absent = [c for c in node.property_names if c in model.columns() and c not in valid.headers]
        for column in absent:
            kept = [
                stored[i][column] if i in stored else value
                for i, value in zip(ids, valid.values(column), strict=True)
            ]
            data = _with_column(data, column, kept)
        if table in STATUS_DATES:
            status_column, date_column = STATUS_DATES[table]
            dated_in_file = date_column in valid.headers
            days = []
            for i, status, day in zip(
                ids, data.column(status_column).to_pylist(), valid.values(date_column), strict=True
            ):
                before = stored.get(i)
                unchanged = before is not None and before[status_column] == status
                if dated_in_file and day:
                    days.append(day)
                elif unchanged:
                    days.append(before[date_column])
                else:
                    days.append(today.isoformat())
            data = _with_column(data, date_column, days)
        valid.data = data


def _with_column(data: pa.Table, name: str, values: list[Any]) -> pa.Table:
    at = data.column_names.index(name)
    return data.set_column(at, name, pa.array(values, data.schema.field(name).type))


@dataclass
class ImportResult:
    dataset: DatasetSummary  # the rows themselves are let go before writing
    changes: Changes | None  # None for a dry run


def check_dataset(location: str | Path, store: GraphStore | None = None) -> Dataset:
    """Read and validate (raises DatasetInvalid); references may resolve in the store."""
    raw = read_dataset(location)
    return validate(raw, StoreLookup(store) if store is not None else None)


def plan_import(store: GraphStore, dataset: Dataset, *, replace_all: bool = False) -> WritePlan:
    """The writes a validated dataset means for this store: the columns a table keeps from
    the store (an edited 招商引资清单 carries only some) filled in first."""
    keep_stored_columns(dataset, store, dt.date.today())
    return build_plan(dataset, replace_all=replace_all)


def import_dataset(
    store: GraphStore,
    location: str | Path,
    progress: ProgressFn | None = None,
    *,
    replace_all: bool = False,
) -> ImportResult:
    """Validate the whole dataset, then write it in one transaction (all or nothing)."""
    dataset = check_dataset(location, store)
    plan, summary = plan_import(store, dataset, replace_all=replace_all), dataset.summary()
    # The validated tables are not needed once planned: letting them go before the write keeps
    # them out of a million-firm import's peak.
    del dataset
    return ImportResult(summary, apply_plan(store, plan, progress))


def import_rows(
    store: GraphStore, tables: dict[str, list[dict[str, Any]]], source: str
) -> ImportResult:
    """Write rows made by a command through the same validation and transaction as a file."""
    dataset = validate(dataset_from_rows(tables, source), StoreLookup(store))
    return ImportResult(dataset.summary(), apply_plan(store, plan_import(store, dataset)))

"""Columns of a write plan as Arrow tables, and the comparison of two such tables row by row.

An import of a refreshed register compares hundreds of thousands of rows with the store; doing
it a whole column at a time (Arrow compute, NumPy masks) instead of row dicts is what keeps a
re-import near the cost of reading the file.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.errors import StoreError
from chainmap.graph import BOOLEAN, DOUBLE, INT64, STRING, STRING_LIST, NodeType, RelType

ARROW_TYPES = {
    STRING: pa.string(),
    DOUBLE: pa.float64(),
    INT64: pa.int64(),
    BOOLEAN: pa.bool_(),
    STRING_LIST: pa.list_(pa.string()),
}
# Node ids as rows of the label's id list: how a store may hand back relationship ends.
ENCODED_IDS = pa.dictionary(pa.int64(), pa.string())
# Two doubles closer than this (relative) are the same value: a store may round-trip a float
# through a decimal text and come back one unit in the last place away.
_REL_TOL = 1e-12
# Joins list items into one comparable text; control characters never survive import checks.
_LIST_JOIN = "\x1f"


def node_schema(node: NodeType) -> pa.Schema:
    return pa.schema(
        [("id", pa.string())] + [(p, ARROW_TYPES[kind]) for p, kind in node.properties]
    )


def edge_schema(rel: RelType) -> pa.Schema:
    return pa.schema(
        [("from_id", pa.string()), ("to_id", pa.string())]
        + [(p, ARROW_TYPES[kind]) for p, kind in rel.properties]
    )


def as_table(columns: dict[str, Any], schema: pa.Schema, *, encoded: bool = False) -> pa.Table:
    """Plan columns (Python lists or Arrow arrays) as a table of `schema`, in its order.
    `encoded`: dictionary arrays of the field's type stay dictionary-encoded."""
    arrays = []
    for field in schema:
        values = columns[field.name]
        if isinstance(values, pa.ChunkedArray | pa.Array):
            keep = encoded and pa.types.is_dictionary(values.type)
            if keep and values.type.value_type == field.type:
                arrays.append(values)
            else:
                arrays.append(values.cast(field.type) if values.type != field.type else values)
        else:
            arrays.append(pa.array(values, field.type))
    if encoded:
        return pa.Table.from_arrays(arrays, names=schema.names)
    return pa.Table.from_arrays(arrays, schema=schema)


def conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """A table read from a store, with the columns and types of `schema`."""
    return as_table({field.name: table.column(field.name) for field in schema}, schema)


def _np(values: Any) -> np.ndarray:
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return values.to_numpy(zero_copy_only=False)
    return np.asarray(values)


def _comparable(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    if pa.types.is_list(values.type):
        # An absent list and an empty list are the same; item order matters.
        joined = pc.binary_join(values, _LIST_JOIN)
        return pc.if_else(pc.is_null(values), "", joined)
    return values


def differs(left: pa.ChunkedArray | pa.Array, right: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """Per row: do the two values differ? Nulls equal nulls; doubles equal within 1e-12."""
    if pa.types.is_list(left.type):
        lengths_differ = pc.not_equal(
            pc.fill_null(pc.list_value_length(left), 0),
            pc.fill_null(pc.list_value_length(right), 0),
        )
        same_text = pc.equal(_comparable(left), _comparable(right))
        return _np(pc.or_(lengths_differ, pc.invert(same_text))).astype(bool)
    left_null = _np(pc.is_null(left)).astype(bool)
    right_null = _np(pc.is_null(right)).astype(bool)
    if pa.types.is_floating(left.type):
        a = _np(pc.fill_null(left, 0.0)).astype(float)
        b = _np(pc.fill_null(right, 0.0)).astype(float)
        with np.errstate(invalid="ignore"):
            close = np.abs(a - b) <= _REL_TOL * np.maximum(np.abs(a), np.abs(b))
        same_value = close | (a == b)
    else:
        same_value = _np(pc.fill_null(pc.equal(left, right), False)).astype(bool)
    both_null = left_null & right_null
    one_null = left_null ^ right_null
    return ~(both_null | (same_value & ~one_null))


def ids_at_offsets(nodes: pa.Table, offsets: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray:
    """The id of the node at each offset, as rows of `nodes` (offset, id of every node of a
    label) in a dictionary array. Offsets are a store's row numbers, dense but for deleted
    nodes, so a direct table maps them (a scan returns them out of order)."""
    node_offsets = _np(nodes.column("offset")).astype(np.int64)
    wanted = _np(offsets).astype(np.int64)
    row_of = np.full(int(node_offsets.max(initial=-1)) + 1, -1, dtype=np.int64)
    row_of[node_offsets] = np.arange(len(node_offsets), dtype=np.int64)
    known = (wanted >= 0) & (wanted < len(row_of))
    rows = np.where(known, row_of[np.where(known, wanted, 0)], -1)
    if (rows < 0).any():
        raise StoreError(
            "数据库不一致：有关系连到数据库中找不到的节点。请保留数据库文件夹并报告此问题。"
        )
    ids = nodes.column("id")
    ids = ids.chunk(0) if ids.num_chunks == 1 else ids.combine_chunks()
    return pa.DictionaryArray.from_arrays(pa.array(rows, pa.int64()), ids)


def _encoded(values: pa.ChunkedArray | pa.Array) -> pa.DictionaryArray | None:
    """The values as one dictionary array, when they are dictionary-encoded already."""
    if not pa.types.is_dictionary(values.type):
        return None
    if isinstance(values, pa.ChunkedArray):
        if values.num_chunks == 1:
            return values.chunk(0)
        return values.unify_dictionaries().combine_chunks()
    return values


def is_in(values: pa.ChunkedArray | pa.Array, value_set: pa.Array) -> pa.Array:
    """pc.is_in; a dictionary array is looked up once per distinct value, and not at all when
    the value set is encoded over the same dictionary."""
    encoded = _encoded(values)
    if encoded is None:
        return pc.is_in(values, value_set=plain(value_set))
    wanted = _encoded(value_set)
    if (
        wanted is not None
        and not wanted.null_count
        and wanted.dictionary.equals(encoded.dictionary)
    ):
        found = np.zeros(len(encoded.dictionary), dtype=bool)
        found[_np(wanted.indices).astype(np.int64)] = True
    else:
        found = _np(pc.is_in(encoded.dictionary, value_set=plain(value_set)))
    return pa.array(found[_np(encoded.indices)] if len(found) else np.zeros(len(encoded), bool))


def plain(values: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """Dictionary-encoded values as plain ones."""
    return values.cast(values.type.value_type) if pa.types.is_dictionary(values.type) else values


def value_codes(
    first: pa.ChunkedArray | pa.Array, second: pa.ChunkedArray | pa.Array
) -> tuple[np.ndarray, np.ndarray, int]:
    """Both columns as integer codes of one numbering of their values (equal values, equal
    codes; a null is a value of its own), and how many codes there are. A dictionary-encoded
    `second` (a store's relationship ends) numbers itself: only `first` is looked up."""
    encoded = _encoded(second)
    first_encoded = _encoded(first)
    if encoded is not None and first_encoded is not None and not first_encoded.null_count:
        first_rows = _np(first_encoded.indices).astype(np.int64)
        if first_encoded.dictionary.equals(encoded.dictionary):  # one numbering already
            return first_rows, _np(encoded.indices).astype(np.int64), len(encoded.dictionary)
        # Each distinct value of `first` looked up once.
        numbers, second_codes, total = value_codes(first_encoded.dictionary, second)
        return numbers[first_rows], second_codes, total
    if encoded is None or first_encoded is not None:
        return shared_codes(plain(first), plain(second))
    dictionary = encoded.dictionary
    found = _np(pc.fill_null(pc.index_in(first, value_set=dictionary), -1)).astype(np.int64)
    missing = found < 0
    if missing.any():
        # Values the store does not hold (new firms): numbered after the dictionary.
        others = pa.chunked_array([first]) if isinstance(first, pa.Array) else first
        others = others.filter(pa.array(missing)).combine_chunks()
        extra = others.dictionary_encode(null_encoding="encode")
        found[missing] = len(dictionary) + _np(extra.indices).astype(np.int64)
        total = len(dictionary) + len(extra.dictionary)
    else:
        total = len(dictionary)
    return found, _np(encoded.indices).astype(np.int64), total


def pair_codes(
    first: tuple[pa.ChunkedArray | pa.Array, pa.ChunkedArray | pa.Array],
    second: tuple[pa.ChunkedArray | pa.Array, pa.ChunkedArray | pa.Array],
) -> tuple[np.ndarray, np.ndarray, int]:
    """(from, to) pairs of two tables as integer codes of one numbering, and how many codes
    there are: each end numbered on its own (both at once when the store's ends share one
    dictionary, as a firm's supply ties do), then the pairs. No text key per pair is built
    (at 1.27M firm links: ~0.4 s and ~300 MB less than hashing joined texts)."""
    second_from, second_to = _encoded(second[0]), _encoded(second[1])
    if (
        second_from is not None
        and second_to is not None
        and second_from.dictionary.equals(second_to.dictionary)
    ):
        firsts = _joined_ends(first[0], first[1])
        seconds = _joined_ends(second_from, second_to)
        first_ends, second_ends, to_count = value_codes(firsts, seconds)
        first_from, first_to = np.split(first_ends, [len(first[0])])
        second_from_codes, second_to_codes = np.split(second_ends, [len(second_from)])
    else:
        first_from, second_from_codes, _ = value_codes(first[0], second[0])
        first_to, second_to_codes, to_count = value_codes(first[1], second[1])
    pairs = np.concatenate(
        [first_from * to_count + first_to, second_from_codes * to_count + second_to_codes]
    )
    distinct, codes = np.unique(pairs, return_inverse=True)
    return codes[: len(first_from)], codes[len(first_from) :], len(distinct)


# More runs than this and sorting the rows is cheaper than gathering the runs.
_MAX_RUNS = 4096


def in_offset_order(table: pa.Table) -> pa.Table:
    """The rows in increasing order of their "offset" column (offsets are distinct). A store's
    parallel scan returns a few runs of consecutive offsets: these are put in order as slices,
    without copying the columns (gathering 15 columns of a million firms cost ~0.3 s)."""
    offsets = _np(table.column("offset")).astype(np.int64)
    if np.all(offsets[1:] > offsets[:-1]):
        return table
    # Runs of consecutive offsets (a scan's morsels), cut also where an ascending run jumps:
    # another run may fill the gap.
    breaks = np.flatnonzero(offsets[1:] != offsets[:-1] + 1) + 1
    starts = np.concatenate([[0], breaks])
    ends = np.concatenate([breaks, [len(offsets)]])
    if len(starts) <= _MAX_RUNS:
        runs = np.argsort(offsets[starts], kind="stable")
        ordered = np.concatenate([offsets[starts[r] : ends[r]] for r in runs])
        if np.all(ordered[1:] > ordered[:-1]):  # the runs do not interleave
            return pa.concat_tables(
                [table.slice(int(starts[r]), int(ends[r] - starts[r])) for r in runs]
            )
    return table.take(pa.array(np.argsort(offsets, kind="stable")))


def _joined_ends(
    first: pa.ChunkedArray | pa.Array, second: pa.ChunkedArray | pa.Array
) -> pa.ChunkedArray | pa.Array:
    """Two end columns one after the other; still encoded when both are over one dictionary."""
    first_encoded, second_encoded = _encoded(first), _encoded(second)
    if (
        first_encoded is not None
        and second_encoded is not None
        and first_encoded.dictionary.equals(second_encoded.dictionary)
    ):
        return pa.DictionaryArray.from_arrays(
            pa.concat_arrays([first_encoded.indices, second_encoded.indices]),
            first_encoded.dictionary,
        )
    return pa.chunked_array([*_chunks(plain(first)), *_chunks(plain(second))])


def locate(keys: pa.ChunkedArray | pa.Array, among: pa.ChunkedArray | pa.Array) -> np.ndarray:
    """For each key, its row in `among` (keys there are unique), or -1."""
    if len(keys) == len(among) and keys.equals(among):  # identical arrays: the identity
        return np.arange(len(keys), dtype=np.int64)
    found = pc.index_in(keys, value_set=among)
    return _np(pc.fill_null(found, -1)).astype(np.int64)


def shared_codes(
    first: pa.ChunkedArray | pa.Array, second: pa.ChunkedArray | pa.Array
) -> tuple[np.ndarray, np.ndarray, int]:
    """Both key columns as integer codes of one dictionary (equal keys, equal codes), and the
    number of distinct keys: one hash pass over both, where looking one up in the other
    (index_in) and counting distinct keys hashed each of them again (1.7 + 1.0 s for 1.27M
    pairs against 1.1 s)."""
    both = pa.chunked_array(
        [chunk for column in (first, second) for chunk in _chunks(column)],
        type=first.type,
    )
    encoded = both.combine_chunks().dictionary_encode(null_encoding="encode")
    codes = _np(encoded.indices).astype(np.int64)
    return codes[: len(first)], codes[len(first) :], len(encoded.dictionary)


def _chunks(column: pa.ChunkedArray | pa.Array) -> list[pa.Array]:
    return column.chunks if isinstance(column, pa.ChunkedArray) else [column]


def first_rows(codes: np.ndarray) -> np.ndarray:
    """Rows holding the first occurrence of each code, in row order."""
    _, first = np.unique(codes, return_index=True)
    return np.sort(first)


def positions(codes: np.ndarray, among: np.ndarray, distinct: int) -> np.ndarray:
    """For each code, its row in `among` (codes there are unique), or -1."""
    row_of = np.full(distinct, -1, dtype=np.int64)
    row_of[among] = np.arange(len(among), dtype=np.int64)
    return row_of[codes]


# Combined row numbers are renumbered densely before they could pass this (tests lower it).
CODE_LIMIT = np.iinfo(np.int64).max


def row_codes(parts: list[pa.Array | pa.ChunkedArray]) -> np.ndarray:
    """One integer per row, equal exactly where the rows' values are equal in every part (a
    null is a value of its own). Each part is numbered on its own and the numbers combined:
    hashing one joined text per row cost 2-3x as much (a million firm links: ~0.6 s)."""
    return combined_codes([value_numbers(part) for part in parts])


def value_numbers(values: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, int]:
    """Each value's number (equal values, equal numbers; a null is a value of its own), and
    how many numbers there are."""
    if isinstance(values, pa.ChunkedArray):  # one dictionary for the whole column
        values = values.combine_chunks()
    encoded = values.dictionary_encode(null_encoding="encode")
    return _np(encoded.indices).astype(np.int64), len(encoded.dictionary)


def combined_codes(numbered: list[tuple[np.ndarray, int]]) -> np.ndarray:
    """Rows numbered by several numbered parts (each: numbers below its count) together."""
    codes = np.zeros(len(numbered[0][0]) if numbered else 0, dtype=np.int64)
    for numbers, count in numbered:
        size = max(1, count)
        if int(codes.max(initial=0)) >= CODE_LIMIT // size:
            codes = _dense(codes)
        codes = codes * size + numbers
    return codes


def _dense(codes: np.ndarray) -> np.ndarray:
    """The codes renumbered 0, 1, 2 … in order of first appearance (equal stays equal)."""
    return _np(pa.array(codes).dictionary_encode().indices).astype(np.int64)


def group_rows(parts: list[pa.Array]) -> tuple[np.ndarray, np.ndarray]:
    """Rows grouped by their values in several columns (a null is a value of its own): each
    row's group, and each group's first row, groups in order of first appearance. A million
    firms sit in a few thousand places: look each place up once, then map back."""
    group = _dense(row_codes(parts))
    if not len(group):
        return group, group
    # Groups are numbered as they first appear: a row starts one where its number passes
    # every number before it.
    seen = np.maximum.accumulate(group)
    first = np.flatnonzero(np.concatenate([[True], seen[1:] > seen[:-1]]))
    return group, first.astype(np.int64)


def pair_keys(first: pa.ChunkedArray | pa.Array, second: pa.ChunkedArray | pa.Array) -> Any:
    """One text key per (first, second) pair; ids never hold control characters."""
    return pc.binary_join_element_wise(first, second, _LIST_JOIN)

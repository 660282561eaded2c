"""Build the targets snapshot (store/snapshot.py) from two scans of the store: the firms' scoring
facts and their links, one row per firm→link pair, grouped by link."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from chainmap.store.snapshot import FORMAT

if TYPE_CHECKING:
    from chainmap.store.base import GraphStore

FIRMS_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("province", pa.string()),
        ("city", pa.string()),
        ("town_id", pa.string()),
        ("revenue_wan", pa.float64()),
        ("badges", pa.list_(pa.string())),
        ("lon", pa.float64()),
        ("lat", pa.float64()),
    ]
)
MAKES_SCHEMA = pa.schema([("firm_id", pa.string()), ("link_id", pa.string())])
_MAX_BADGES = 8  # badge sets are kept as one byte per firm


def _codes(column: pa.ChunkedArray) -> tuple[pa.Array, list[str]]:
    encoded = column.combine_chunks().dictionary_encode()
    return pc.fill_null(encoded.indices, -1).cast(pa.int32()), encoded.dictionary.to_pylist()


def _badge_masks(badges: pa.ChunkedArray) -> tuple[pa.Array, list[str]] | None:
    lists = badges.combine_chunks()
    flat = pc.list_flatten(lists)
    names = sorted(v for v in pc.unique(flat).to_pylist() if v is not None)
    if len(names) > _MAX_BADGES:
        return None
    masks = np.zeros(len(lists), dtype=np.uint8)
    if len(flat):
        owner = pc.list_parent_indices(lists).to_numpy()
        bit = pc.index_in(flat, value_set=pa.array(names, pa.string())).to_numpy(
            zero_copy_only=False
        )
        present = ~np.isnan(bit.astype(np.float64))
        np.bitwise_or.at(masks, owner[present], np.left_shift(1, bit[present].astype(np.uint8)))
    return pa.array(masks, pa.uint8()), names


def _numbers(column: pa.ChunkedArray) -> pa.Array:
    return pc.fill_null(column.combine_chunks().cast(pa.float64()), float("nan"))


def build(store: GraphStore, generation: str) -> pa.Table | None:
    """The snapshot table, read from the store; None when the firms do not fit it."""
    firms = store.query_table("snapshot_firms", schema=FIRMS_SCHEMA)
    makes = store.query_table("snapshot_makes", schema=MAKES_SCHEMA)
    badges = _badge_masks(firms["badges"])
    if badges is None:
        return None
    province, provinces = _codes(firms["province"])
    city, cities = _codes(firms["city"])
    town, towns = _codes(firms["town_id"])
    link, link_ids = _codes(makes["link_id"])
    firm_of_pair = pc.index_in(makes["firm_id"], value_set=firms["id"].combine_chunks())
    valid = pc.is_valid(firm_of_pair)  # a pair whose firm is not a Firm node: nothing to rank
    link_codes = link.filter(valid).to_numpy()
    order = np.argsort(link_codes, kind="stable")
    rows = pa.array(firm_of_pair.filter(valid).to_numpy()[order])
    link_start = np.searchsorted(link_codes[order], np.arange(len(link_ids) + 1))
    columns = {
        "id": firms["id"],
        "province": province,
        "city": city,
        "town": town,
        "revenue_wan": _numbers(firms["revenue_wan"]),
        "badges": badges[0],
        "lon": _numbers(firms["lon"]),
        "lat": _numbers(firms["lat"]),
    }
    table = pa.table({name: pc.take(values, rows) for name, values in columns.items()})
    table = table.append_column("firm", pa.array(rows.to_numpy().astype(np.int32)))
    meta = {
        "format": FORMAT,
        "generation": generation,
        "provinces": provinces,
        "cities": cities,
        "towns": towns,
        "badges": badges[1],
        "links": link_ids,
        "link_start": link_start.tolist(),
        "firms": len(firms),
    }
    return table.replace_schema_metadata({"chainmap": json.dumps(meta, ensure_ascii=False)})

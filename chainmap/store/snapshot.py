"""A columnar copy of the firm facts that targets are scored on, kept beside an embedded store.

Ranking a town's targets reads, for each gap link, the link's makers best first. In the store that
is a scan of every maker of the link per read (~0.1 s a link at a million firms); from these
columns it is NumPy over the link's makers (a few milliseconds). The snapshot is stamped with the
store's generation token (cypher/state_bump.cypher, written in the transaction of every import
that changes firms or their links) and rebuilt when the store's token differs. It is a shortlist
device only: the scores users see are computed by the store (targets_tied), so both back ends
give the same answer.

Layout: one row per firm→link pair (MAKES), grouped by link, carrying the firm's facts, so a
link's candidates are one contiguous slice: reading a link costs its makers, never the store
(measured at 1M firms: gathering the same columns by firm index from a firm table cost 3–4x more
in page faults). On disk: `<generation>.arrow` (Arrow IPC, memory-mapped on load, so opening
costs nothing and only the links a ranking reads are touched). Built by snapshot_build.py, which
alone needs Arrow's compute functions.
"""

from __future__ import annotations

import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc

if TYPE_CHECKING:
    from chainmap.store.base import GraphStore

FORMAT = 2


@dataclass(frozen=True)
class Codes:
    """A text column as integer codes into `values` (-1: empty)."""

    codes: np.ndarray
    values: list[str]

    def code_of(self, value: str | None) -> int:
        """The code of `value`, or -2 (matches no firm) when no firm has it."""
        try:
            return self.values.index(value) if value is not None else -2
        except ValueError:
            return -2

    def mask_of(self, values: list[str]) -> np.ndarray:
        """Per code (index code + 1, so -1 maps to slot 0): whether its value is in `values`."""
        wanted = set(values)
        return np.array([False] + [v in wanted for v in self.values], dtype=bool)


@dataclass(frozen=True)
class FirmSnapshot:
    """Per firm→link pair (grouped by link): the firm's id and scoring facts."""

    generation: str
    ids: pa.Array
    province: Codes
    city: Codes
    town: Codes
    revenue_wan: np.ndarray  # NaN: unknown
    badges: np.ndarray  # uint8, bit i set: the firm holds badge_names[i]
    badge_names: list[str]
    lon: np.ndarray  # NaN: unknown
    lat: np.ndarray
    link_ids: list[str]
    link_start: np.ndarray  # link k's pairs are rows link_start[k]:link_start[k + 1]
    firm: np.ndarray  # int32: which firm a row's is (0 … firms - 1), for counting distinct firms
    firms: int

    def makers(self, link_ids: list[str]) -> tuple[dict[str, int], int]:
        """How many firms make each of `link_ids`, and how many make any of them."""
        spans = {link_id: self.rows_of(link_id) for link_id in link_ids}
        seen = np.zeros(self.firms, dtype=bool)
        for span in spans.values():
            seen[self.firm[span]] = True
        return {k: span.stop - span.start for k, span in spans.items()}, int(seen.sum())

    def rows_of(self, link_id: str) -> slice:
        try:
            k = self.link_ids.index(link_id)
        except ValueError:
            return slice(0, 0)
        return slice(int(self.link_start[k]), int(self.link_start[k + 1]))


def numpy_view(array: pa.Array | pa.ChunkedArray, *, nulls_as: float | None = None) -> np.ndarray:
    """A primitive Arrow column as NumPy, over the same memory when it has no nulls; nulls
    become `nulls_as` (in a copy). Arrow's own to_numpy and fill_null import pandas: 0.2 s of
    a command that needs none of it."""
    if isinstance(array, pa.ChunkedArray):
        array = array.chunk(0) if array.num_chunks == 1 else array.combine_chunks()
    dtype = np.dtype(array.type.to_pandas_dtype())
    values = np.frombuffer(
        array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * dtype.itemsize
    )
    if not array.null_count:
        return values
    if nulls_as is None:
        raise ValueError("a column with nulls needs nulls_as")
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    valid = bits[array.offset : array.offset + len(array)].astype(bool)
    return np.where(valid, values, np.array(nulls_as, dtype=dtype))


def arrow_ints(values: np.ndarray) -> pa.Array:
    """An int64 NumPy array as an Arrow array over the same memory (pa.array would import
    pandas to ask whether it was given a Series)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def arrow_strings(values: list[str]) -> pa.Array:
    """Python strings as an Arrow string array, built from its buffers (see arrow_ints)."""
    encoded = [value.encode("utf-8") for value in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(value) for value in encoded], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), len(encoded), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def _from_table(table: pa.Table) -> FirmSnapshot:
    meta = json.loads(table.schema.metadata[b"chainmap"])

    def numbers(name: str) -> np.ndarray:
        return numpy_view(table[name])

    return FirmSnapshot(
        generation=meta["generation"],
        ids=table["id"].combine_chunks(),
        province=Codes(numbers("province"), meta["provinces"]),
        city=Codes(numbers("city"), meta["cities"]),
        town=Codes(numbers("town"), meta["towns"]),
        revenue_wan=numbers("revenue_wan"),
        badges=numbers("badges"),
        badge_names=meta["badges"],
        lon=numbers("lon"),
        lat=numbers("lat"),
        link_ids=meta["links"],
        link_start=np.array(meta["link_start"], dtype=np.int64),
        firm=numbers("firm"),
        firms=int(meta["firms"]),
    )


def _read(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return ipc.open_file(source).read_all()


def _write(table: pa.Table, path: Path) -> None:
    # Written under a unique name, then renamed: a reader never sees half a file.
    partial = path.with_name(f".{uuid.uuid4().hex}.partial")
    with pa.OSFile(str(partial), "wb") as sink, ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)
    os.replace(partial, path)


def load_or_build(store: GraphStore, folder: Path) -> FirmSnapshot | None:
    """The snapshot of the store's current generation: read from `folder`, or built and saved
    there (an unwritable folder only costs the saving). None when the store holds no firms or
    its firms do not fit a snapshot."""
    rows = store.query("state_generation")
    if not rows or not rows[0]["generation"]:
        if not store.query("count_nodes", label="Firm")[0]["n"]:
            return None
        # Firms but no generation (written by hand or by an older chainmap): start one, so this
        # store ranks from a snapshot like every other.
        rows = [{"generation": uuid.uuid4().hex}]
        with store.transaction():
            store.execute("state_bump", rows[0])
    generation = str(rows[0]["generation"])
    path = folder / f"{generation}.arrow"
    if path.exists():
        try:
            table = _read(path)
            meta = json.loads(table.schema.metadata[b"chainmap"])
            if meta.get("format") == FORMAT and meta.get("generation") == generation:
                return _from_table(table)
        except (OSError, pa.ArrowException, KeyError, ValueError, TypeError):
            pass  # a damaged file is rebuilt below
    from chainmap.store.snapshot_build import build

    table = build(store, generation)
    if table is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(table, path)
        for old in folder.glob("*.arrow"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return _from_table(table)

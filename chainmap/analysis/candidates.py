"""Reading a gap link's candidate firms best first, a slice at a time, for the targets ranking.

Two readers, one answer. `StoreReader` asks the store for the next slice of a link's makers
ordered by their firm-level points (targets_for_link: one scan of the link's makers per read).
`SnapshotReader` orders the makers from the columnar snapshot (chainmap/store/snapshot.py) with
NumPy, by firm-level points plus the ties component the caller computed (so tied firms need no
reading apart), then has the store score just the slice it picked (targets_tied, by key): the points come
from the same Cypher either way, so the ranking cannot depend on the reader. NumPy's points only
choose the order; they may differ from the store's in the last bits of a cosine, which is why the
floor it reports carries `APPROX_SLACK`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pyarrow.compute as pc

from chainmap.store.base import GraphStore
from chainmap.store.snapshot import FirmSnapshot, arrow_ints, arrow_strings, numpy_view

EARTH_KM = 6371.0
# NumPy and the store compute the same points in a different order of float operations: far
# below a rounding step of 0.01, and added to every floor so an unread firm never beats it.
APPROX_SLACK = 1e-6


@dataclass
class ReadState:
    """Per link: how far it has been read, whether it is exhausted, and the most firm-level points
    any unread firm there can have (None: nothing read yet)."""

    fetched: dict[str, int]
    floor: dict[str, float | None]
    complete: set[str] = field(default_factory=set)

    @classmethod
    def of(cls, links: list[str]) -> ReadState:
        return cls(dict.fromkeys(links, 0), dict.fromkeys(links))


class _CypherReader:
    def __init__(self, store: GraphStore, params: dict[str, Any], suffix: str, links: list[str]):
        self.store, self.params, self.suffix = store, params, suffix
        self.state = ReadState.of(links)


class StoreReader(_CypherReader):
    """One link per read, ordered and cut by the store."""

    batched = False
    covers_ties = False  # its order cannot count ties: the caller scores tied firms first

    def read(self, links: list[str], minimum: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for link_id in links:
            state = self.state
            limit = max(minimum, state.fetched[link_id])
            got = self.store.query(
                f"targets_for_link{self.suffix}",
                {**self.params, "link": link_id, "skip": state.fetched[link_id], "limit": limit},
            )
            state.fetched[link_id] += len(got)
            if len(got) < limit:
                state.complete.add(link_id)
            else:
                state.floor[link_id] = got[-1]["base"]
            rows += got
        return rows


class ExhaustiveReader(_CypherReader):
    """Every maker of every link, each scored by key: the brute force the others must equal.
    (Not by targets_for_link: its join reads a wrong revenue for some firms on LadybugDB 0.22.)"""

    batched = True
    covers_ties = True
    CHUNK = 5000

    def read(self, links: list[str], minimum: int) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for link_id in links:
            makers = self.store.query("link_makers", {"link": link_id, "town": self.params["town"]})
            pairs = [{"firm_id": row["firm_id"], "link_id": link_id} for row in makers]
            for start in range(0, len(pairs), self.CHUNK):
                chunk = pairs[start : start + self.CHUNK]
                rows += self.store.query(
                    f"targets_tied{self.suffix}", {**self.params, "pairs": chunk}
                )
            self.state.complete.add(link_id)
        return rows


class SnapshotReader:
    """Every pending link per read: each ordered once by NumPy, slices scored by the store."""

    batched = True
    covers_ties = True  # tie points are part of its order

    def __init__(
        self,
        store: GraphStore,
        snapshot: FirmSnapshot,
        params: dict[str, Any],
        suffix: str,
        localities: dict[str, str],
        tie_points: dict[str, float],
    ):
        self.store, self.snapshot, self.params, self.suffix = store, snapshot, params, suffix
        self.localities = localities
        self._tied_ids = arrow_strings(list(tie_points))
        self._tied_points = np.array(list(tie_points.values()), dtype=np.float64)
        self.state = ReadState.of(list(localities))
        self._ordered: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        self._sorted_upto: dict[str, int] = {}  # how many of a link's candidates are in order
        self._badge_points = self._points_of_badge_sets()

    def read(self, links: list[str], minimum: int) -> list[dict[str, Any]]:
        pairs: list[dict[str, str]] = []
        state = self.state
        for link_id in links:
            start = state.fetched[link_id]
            firms, points = self._order(link_id, start + max(minimum, start))
            end = min(len(firms), start + max(minimum, start))
            for firm_id in self.snapshot.ids.take(arrow_ints(firms[start:end])).to_pylist():
                pairs.append({"firm_id": firm_id, "link_id": link_id})
            state.fetched[link_id] = end
            if end == len(firms):
                state.complete.add(link_id)
            else:
                state.floor[link_id] = float(points[end]) + APPROX_SLACK
        if not pairs:
            return []
        return self.store.query(f"targets_tied{self.suffix}", {**self.params, "pairs": pairs})

    def _order(self, link_id: str, needed: int) -> tuple[np.ndarray, np.ndarray]:
        """The link's candidates (snapshot rows) and their points, the first `needed` (and the
        one after them, whose points are the floor) best first; all of them once read deep."""
        if link_id not in self._ordered:
            self._ordered[link_id] = self._candidates(link_id)
            self._sorted_upto[link_id] = 0
        rows, points = self._ordered[link_id]
        done = self._sorted_upto[link_id]
        if done <= needed < len(rows):
            # Most reads need a few dozen of tens of thousands: partition, sort only the head.
            # Only the part not yet in order moves, so rows already read keep their places.
            head = min(len(rows), max(4 * needed, 256))
            tail_rows, tail_points = rows[done:], points[done:]
            if head < len(rows):
                part = np.argpartition(-tail_points, head - done - 1)
                tail_rows, tail_points = tail_rows[part], tail_points[part]
            order = np.argsort(-tail_points[: head - done], kind="stable")
            tail_rows[: head - done] = tail_rows[: head - done][order]
            tail_points[: head - done] = tail_points[: head - done][order]
            rows = np.concatenate([rows[:done], tail_rows])
            points = np.concatenate([points[:done], tail_points])
            self._ordered[link_id] = (rows, points)
            self._sorted_upto[link_id] = head
        return rows, points

    def _candidates(self, link_id: str) -> tuple[np.ndarray, np.ndarray]:
        """The link's makers outside the town that pass the user's filters (part_target_filters:
        a missing value never passes a filter that is on), as snapshot rows, and their points."""
        snap, p = self.snapshot, self.params
        span = snap.rows_of(link_id)
        keep = snap.town.codes[span] != snap.town.code_of(p["town"])
        if not p["all_places"]:
            keep &= (
                snap.province.mask_of(p["provinces"])[snap.province.codes[span] + 1]
                | (snap.city.mask_of(p["cities"])[snap.city.codes[span] + 1])
            )
        if not p["no_min"]:
            keep &= snap.revenue_wan[span] >= p["min_revenue"]  # NaN compares False
        if not p["all_badges"]:
            bit = self._badge_bit(p["badge"])
            keep &= (snap.badges[span] & bit) != 0 if bit else False
        points = self._points(span, self.localities[link_id]) + self._ties(span)
        return span.start + np.flatnonzero(keep), points[keep]

    def _ties(self, span: slice) -> np.ndarray:
        """The ties component (computed by the caller, exact) of the firms of `span`."""
        if not len(self._tied_ids) or span.stop == span.start:
            return np.zeros(span.stop - span.start)
        slot = pc.index_in(self.snapshot.ids[span], value_set=self._tied_ids)
        where = numpy_view(slot, nulls_as=-1)
        return np.where(where >= 0, self._tied_points[where], 0.0)

    def _badge_bit(self, badge: str) -> int:
        names = self.snapshot.badge_names
        return 1 << names.index(badge) if badge in names else 0

    def _points_of_badge_sets(self) -> np.ndarray:
        """Badge points per badge set (bit mask): the factor of the first badge held, in the
        order the parameters rank them ($b1 … $b5), times the weight."""
        p = self.params
        factors = np.zeros(256)
        ranked = [(self._badge_bit(p[f"b{i}"]), p[f"f{i}"]) for i in range(1, 6)]
        for mask in range(256):
            factors[mask] = next((f for bit, f in ranked if bit and mask & bit), 0.0)
        return p["w_badges"] * factors

    def _points(self, firms: slice, locality: str) -> np.ndarray:
        """part_target_score's p_scale + p_badges + p_region + p_distance, as NumPy, for the
        snapshot rows `firms`."""
        snap, p = self.snapshot, self.params
        revenue = snap.revenue_wan[firms]
        p_scale = np.where(
            np.isnan(revenue),
            p["w_scale"] * p["unknown"],
            p["w_scale"] * revenue / (revenue + p["revenue_half"]),
        )
        p_badges = self._badge_points[snap.badges[firms]]

        province = snap.province.codes[firms]
        unknown_place = snap.province.mask_of(["未知"])[province + 1] | (province < 0)
        same = province == snap.province.code_of(p["town_province"])
        transfer = (
            snap.province.mask_of(p["transfer_provinces"])[province + 1]
            | (snap.city.mask_of(p["transfer_cities"])[snap.city.codes[firms] + 1])
        )
        if locality == "就近":
            known = np.where(same, 1.0, 0.0)
        elif locality == "区域":
            known = np.where(same, 1.0, np.where(transfer, p["same_province"], 0.0))
        else:
            known = np.where(transfer, 1.0, np.where(same, p["same_province"], 0.0))
        p_region = p["w_region"] * np.where(unknown_place, p["unknown"], known)

        lon, lat = snap.lon[firms], snap.lat[firms]
        half = {"就近": p["near_km"], "区域": p["regional_km"]}.get(locality, p["half_km"])
        if p["has_point"]:
            dx = np.radians(lon - p["town_lon"]) * np.cos(np.radians((lat + p["town_lat"]) / 2.0))
            dy = np.radians(lat - p["town_lat"])
            km = EARTH_KM * np.sqrt(dx * dx + dy * dy)
            p_distance = np.where(
                np.isnan(km), p["w_distance"] * p["unknown"], p["w_distance"] / (1.0 + km / half)
            )
        else:
            p_distance = np.zeros(len(lon))
        return p_scale + p_badges + p_region + p_distance

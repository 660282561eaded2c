"""What the store holds: counts per kind and the towns imported."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chainmap.graph import NODE_LABELS_ZH, NODES, REL_NAMES_ZH, RELS
from chainmap.store.base import GraphStore

_COUNT_KEYS = {
    "Town": "towns",
    "Chain": "chains",
    "Link": "links",
    "Firm": "firms",
    "Project": "projects",
    "Indicator": "indicators",
    "Platform": "platforms",
    "Funding": "fundings",
    "Lead": "leads",
    "FollowUp": "follow_ups",
    "Problem": "problems",
    "Task": "tasks",
    "FLOWS_TO": "link_flows",
    "MAKES": "firm_links",
    "SUPPLIES": "supply_ties",
    "GAP": "gap_links",
}


@dataclass
class Status:
    backend: str
    location: str
    counts: dict[str, int]
    towns: list[dict[str, Any]]

    def rows(self) -> list[dict[str, Any]]:
        """Counts as (kind, Chinese name, count) rows, local firms under firms."""
        names = {**NODE_LABELS_ZH, **REL_NAMES_ZH}
        rows = []
        for kind, key in _COUNT_KEYS.items():
            rows.append({"kind": key, "name": names[kind], "count": self.counts[key]})
            if kind == "Firm":
                rows.append(
                    {
                        "kind": "local_firms",
                        "name": "  其中本镇企业",
                        "count": self.counts["local_firms"],
                    }
                )
        return rows

    def as_dict(self) -> dict[str, Any]:
        return {
            "backend": self.backend,
            "location": self.location,
            "counts": self.counts,
            "towns": self.towns,
        }


def graph_status(store: GraphStore) -> Status:
    counts: dict[str, int] = {}
    for kind, key in _COUNT_KEYS.items():
        if kind in NODES:
            counts[key] = int(store.query("count_nodes", label=kind)[0]["n"])
        else:
            counts[key] = int(store.query("count_edges", rel=RELS[kind].name)[0]["n"])
    counts["local_firms"] = int(store.query("count_local_firms")[0]["n"])
    return Status(store.backend, store.location, counts, store.query("towns_list"))

"""Which links of a town's lead chain are strong, weak or missing, and what kind of gap each is.

Default rules (../shared/contract.md, thresholds in chainmap.toml [gaps]):
- strong: at least one leading firm, or at least 3 local firms; weak: fewer, none leading;
  missing: no local firm.
- 补链: a missing link with a covered link somewhere upstream and somewhere downstream of it in
  the flows; 延链: any other missing link; 强链: a weak link.
Reachability along the flows is computed here in Python: a chain has at most a few dozen links.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from chainmap.config import GapRules
from chainmap.errors import AmbiguousTown, ChainNotFound, TownNotFound
from chainmap.graph import RELS
from chainmap.model import STAGES, GapKind, GapStatus
from chainmap.store.base import GraphStore

STRONG, WEAK, MISSING = GapStatus.STRONG.value, GapStatus.WEAK.value, GapStatus.MISSING.value
STATUS_ZH = {status.value: status.zh for status in GapStatus}
FILL, EXTEND, STRENGTHEN = GapKind.FILL.value, GapKind.EXTEND.value, GapKind.STRENGTHEN.value


@dataclass
class LinkGap:
    link_id: str
    link_name: str
    stage: str
    status: str
    gap_kind: str | None
    local_firms: int
    leading_firms: int
    weight: float
    # 延链 only: which way the chain is extended (上游 / 下游 / 独立).
    direction: str | None = None
    leading_firm_names: list[str] = field(default_factory=list)
    local_firm_names: list[str] = field(default_factory=list)
    # Context from the whole store (None when not asked for or not computable).
    store_firms: int | None = None
    # How far the link's products travel: 就近 / 区域 / 全国 (templates may leave it empty).
    locality: str = "全国"
    store_share: float | None = None
    location_quotient: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class GapReport:
    town: dict[str, Any]
    chain: dict[str, Any]
    links: list[LinkGap]
    completeness: float  # share of link weight covered by local firms, 0–1
    flows: list[tuple[str, str]] = field(default_factory=list)  # (supplying, supplied) link ids

    @property
    def gap_links(self) -> list[LinkGap]:
        return [link for link in self.links if link.gap_kind]

    def counts(self) -> dict[str, int]:
        counted = {STRONG: 0, WEAK: 0, MISSING: 0}
        for link in self.links:
            counted[link.status] += 1
        return counted


def find_town(store: GraphStore, town: str) -> dict[str, Any]:
    """A town by id, by name, or by a part of its name that only one town has."""
    rows = store.query("town_find", {"town": town})
    if not rows and town.strip():
        parts = store.query("town_find_part", {"part": town.strip()})
        if len(parts) == 1:
            rows = store.query("town_find", {"town": parts[0]["id"]})
        elif len(parts) > 1:
            shown = "、".join(f"{r['name']}（{r['id']}）" for r in parts[:8])
            raise AmbiguousTown(f"“{town}”对应多个专业镇：{shown}；请写全名称或用镇编号")
    if not rows:
        raise TownNotFound(town, _suggest(store, town))
    if len(rows) > 1:
        ids = "、".join(r["id"] for r in rows)
        raise AmbiguousTown(f"名称 {town} 对应多个专业镇（{ids}），请改用镇编号")
    return rows[0]


def _suggest(store: GraphStore, town: str) -> list[str]:
    names = {r["name"]: r["id"] for r in store.query("town_names")}
    close = difflib.get_close_matches(town, list(names), n=3, cutoff=0.3)
    return [f"{name}（{names[name]}）" for name in close]


def _reach(start: str, edges: dict[str, list[str]]) -> set[str]:
    seen: set[str] = set()
    stack = list(edges.get(start, []))
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, []))
    return seen


def link_depths(link_ids: list[str], upstream_of: dict[str, list[str]]) -> dict[str, int]:
    """Longest distance from a chain start, for a stable upstream-to-downstream order."""
    depth: dict[str, int] = {}

    def visit(link: str, trail: frozenset[str]) -> int:
        if link in depth:
            return depth[link]
        parents = [p for p in upstream_of.get(link, []) if p not in trail]
        value = 1 + max((visit(p, trail | {link}) for p in parents), default=-1)
        depth[link] = value
        return value

    for link in link_ids:
        visit(link, frozenset())
    return depth


def _is_leading(firm: dict[str, Any], rules: GapRules) -> bool:
    return bool(firm["leading"]) or any(b in rules.leading_badges for b in firm["badges"] or [])


def find_gaps(
    store: GraphStore, town: str, rules: GapRules | None = None, *, context: bool = True
) -> GapReport:
    rules = rules or GapRules()
    town_row = find_town(store, town)
    chain_id = town_row["lead_chain_id"]
    chain_rows = store.query("chain_get", {"chain": chain_id})
    if not chain_rows:
        raise ChainNotFound(f"专业镇 {town_row['name']} 的主导产业链 {chain_id} 尚未导入")
    links = store.query("chain_links", {"chain": chain_id})
    downstream_of: dict[str, list[str]] = defaultdict(list)
    upstream_of: dict[str, list[str]] = defaultdict(list)
    flows = [(f["from_id"], f["to_id"]) for f in store.query("chain_flows", {"chain": chain_id})]
    for source, target in flows:
        downstream_of[source].append(target)
        upstream_of[target].append(source)
    firms_by_link: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for firm in store.query("town_chain_firms", {"town": town_row["id"], "chain": chain_id}):
        firms_by_link[firm["link_id"]].append(firm)

    status: dict[str, str] = {}
    for link in links:
        firms = firms_by_link[link["id"]]
        leading = sum(_is_leading(f, rules) for f in firms)
        if leading >= rules.strong_min_leading_firms or len(firms) >= rules.strong_min_local_firms:
            status[link["id"]] = STRONG
        elif firms:
            status[link["id"]] = WEAK
        else:
            status[link["id"]] = MISSING

    store_counts: dict[str, int] = {}
    chain_total = local_total = 0
    if context:
        # Counting every maker of the chain is a scan of MAKES in the store (0.4 s at 1M firms);
        # the snapshot, where a back end keeps one, has the counts at hand.
        snapshot = store.targets_snapshot()
        if snapshot is not None:
            store_counts, chain_total = snapshot.makers([link["id"] for link in links])
        else:
            store_counts = {
                r["link_id"]: int(r["firms"])
                for r in store.query("chain_link_firm_counts", {"chain": chain_id})
            }
            chain_total = int(store.query("chain_firm_total", {"chain": chain_id})[0]["firms"])
        local_total = len({f["firm_id"] for fs in firms_by_link.values() for f in fs})

    result: list[LinkGap] = []
    for link in links:
        link_id = link["id"]
        firms = firms_by_link[link_id]
        kind: str | None = None
        direction: str | None = None
        if status[link_id] == WEAK:
            kind = STRENGTHEN
        elif status[link_id] == MISSING:
            covered_up = any(status[u] != MISSING for u in _reach(link_id, upstream_of))
            covered_down = any(status[d] != MISSING for d in _reach(link_id, downstream_of))
            if covered_up and covered_down:
                kind = FILL
            else:
                kind = EXTEND
                direction = "下游" if covered_up else "上游" if covered_down else "独立"
        gap = LinkGap(
            link_id=link_id,
            link_name=link["name"],
            stage=link["stage"],
            status=status[link_id],
            gap_kind=kind,
            local_firms=len(firms),
            leading_firms=sum(_is_leading(f, rules) for f in firms),
            weight=float(link["weight"] if link["weight"] is not None else 1.0),
            direction=direction,
            leading_firm_names=[f["firm_name"] for f in firms if _is_leading(f, rules)],
            local_firm_names=[f["firm_name"] for f in firms],
            locality=link.get("locality") or "全国",
        )
        if context:
            gap.store_firms = store_counts.get(link_id, 0)
            gap.store_share = round(gap.store_firms / chain_total, 4) if chain_total else None
            if local_total and chain_total and gap.store_firms:
                gap.location_quotient = round(
                    (gap.local_firms / local_total) / (gap.store_firms / chain_total), 2
                )
        result.append(gap)

    depth = link_depths([link["id"] for link in links], upstream_of)
    result.sort(key=lambda g: (STAGES.index(g.stage), depth[g.link_id], g.link_id))
    total_weight = sum(g.weight for g in result)
    covered = sum(g.weight for g in result if g.status != MISSING)
    completeness = round(covered / total_weight, 4) if total_weight else 0.0
    chain = chain_rows[0]
    return GapReport(
        town=town_row, chain=chain, links=result, completeness=completeness, flows=sorted(flows)
    )


def write_gaps(store: GraphStore, report: GapReport) -> None:
    """Record the gaps as (:Town)-[:GAP {kind, status, local_firms, leading_firms}]->(:Link),
    replacing the town's earlier ones (a re-run with unchanged data changes nothing)."""
    # The write path (Arrow compute) is loaded only by the commands that write.
    from chainmap.store.sync import EdgeWrite, WritePlan, apply_plan

    gaps = report.gap_links
    town_id = report.town["id"]
    columns = {
        "from_id": [town_id] * len(gaps),
        "to_id": [g.link_id for g in gaps],
        "kind": [g.gap_kind for g in gaps],
        "status": [g.status for g in gaps],
        "local_firms": [g.local_firms for g in gaps],
        "leading_firms": [g.leading_firms for g in gaps],
    }
    apply_plan(store, WritePlan(edges=[EdgeWrite(RELS["GAP"], [town_id], columns)]))

"""Ranked, explained targets: outside firms that could fill, extend or strengthen a town's chain.

Each target's 0–100 score is the sum of named components, each a weight (a preset of
chainmap.toml) times a factor in 0–1:
- gap_need 缺口需求: the gap kind's factor (补链 > 延链 > 强链) times the link's weight;
- ties 以商招商: supply or customer ties with firms of the town (more ties, a leading partner);
- scale 企业规模: revenue / (revenue + half), rising with revenue;
- badges 资质称号: the factor of the firm's best badge;
- region 来源地区: 京津冀 / 长三角 / 粤港澳大湾区 (梯度转移 sources) 1, same province less;
- distance 距离: 1 / (1 + km / half_km) from the town, where both places are known.
Ranking runs in the store per gap link (ORDER BY … LIMIT), so it scales to a million firms.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from chainmap.analysis.follow import DROPPED, load_leads
from chainmap.analysis.gaps import EXTEND, FILL, STRENGTHEN, GapReport, LinkGap, find_gaps
from chainmap.config import COMPONENTS, STORE_COMPONENTS, Settings, Weights
from chainmap.errors import InvalidInput, LinkNotFound
from chainmap.geo import REGIONS, region_of
from chainmap.model import BADGES, CLOSED_PROJECT_STATUSES, STAGES
from chainmap.store.base import GraphStore

SAME_PROVINCE = "省内"
REGION_CHOICES = (*REGIONS, SAME_PROVINCE)
BADGE_TEXT = {
    "单项冠军": "制造业单项冠军企业",
    "小巨人": "国家级专精特新“小巨人”企业",
    "上市公司": "上市公司",
    "专精特新": "专精特新中小企业",
    "高新技术企业": "高新技术企业",
}


@dataclass(frozen=True)
class TargetFilters:
    links: tuple[str, ...] = ()  # link ids or names
    stages: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    provinces: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()  # 京津冀 / 长三角 / 粤港澳大湾区 / 省内
    min_revenue_wan: float | None = None
    badge: str | None = None
    top: int | None = None
    per_link: int | None = None
    include_pipeline: bool = False
    include_dropped: bool = False  # firms whose lead is 放弃 are left out unless asked

    @classmethod
    def for_map(cls, gap_links: int, per_link: int) -> TargetFilters:
        """Room for `per_link` targets on every gap link (what maps show)."""
        return cls(top=max(1, per_link * gap_links), per_link=per_link)


@dataclass
class Target:
    rank: int
    firm_id: str
    firm_name: str
    province: str | None
    city: str | None
    county: str | None
    link_id: str
    link_name: str
    stage: str
    gap_kind: str
    score: float
    components: dict[str, float]
    reasons: list[str]
    revenue_wan: float | None = None
    badges: list[str] = field(default_factory=list)
    region: str | None = None
    distance_km: float | None = None
    tie_partners: list[str] = field(default_factory=list)
    other_links: list[str] = field(default_factory=list)
    # Facts the score could not rest on (营收, 所在地): their components took the neutral factor.
    unverified: list[str] = field(default_factory=list)
    evidence_share: float = 1.0  # share of the score that rests on recorded facts
    # Where the approach to the firm stands (跟进状态), with the date it got there.
    follow_status: str = "待对接"
    follow_status_on: str | None = None
    follow_flag: str = ""  # an overdue next step
    follow_owner_unit: str | None = None
    follow_notes: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TargetReport:
    gaps: GapReport
    preset: str
    weights: Weights
    targets: list[Target]
    excluded_pipeline: list[str]
    excluded_dropped: list[str] = field(default_factory=list)


@dataclass
class _Tie:
    local_names: list[str] = field(default_factory=list)
    supplies_town: list[str] = field(default_factory=list)  # local firms it sells to
    buys_from_town: list[str] = field(default_factory=list)  # local firms it buys from
    leading_partners: list[str] = field(default_factory=list)


def _ties(store: GraphStore, town_id: str, settings: Settings) -> dict[str, _Tie]:
    ties: dict[str, _Tie] = defaultdict(_Tie)
    leading_badges = set(settings.gaps.leading_badges)
    for name, direction in (
        ("town_suppliers", "supplies_town"),
        ("town_customers", "buys_from_town"),
    ):
        for row in store.query(name, {"town": town_id}):
            tie = ties[row["firm_id"]]
            getattr(tie, direction).append(row["local_name"])
            if row["local_name"] not in tie.local_names:
                tie.local_names.append(row["local_name"])
            leading = row["local_leading"] or leading_badges & set(row["local_badges"] or [])
            if leading and row["local_name"] not in tie.leading_partners:
                tie.leading_partners.append(row["local_name"])
    return dict(ties)


def _tie_factor(tie: _Tie, settings: Settings) -> float:
    """Ties counted as relationships either way with firms of the town (one firm may both
    supply and buy), plus a bonus when one of them is a leading firm; at most 1."""
    rule = settings.targets.ties
    count = len(tie.supplies_town) + len(tie.buys_from_town)
    if count == 0:
        return 0.0
    factor = rule.first + rule.each_more * (count - 1)
    if tie.leading_partners:
        factor += rule.leading_partner
    return min(1.0, factor)


ROUNDING_MARGIN = 0.05


def score_bound(
    weights: Weights, gap_points: float, base_floor: float | None, *, with_ties: bool = False
) -> float:
    """The most an unread firm on a link can score: the link's gap points plus the best points
    left there (`base_floor`, the next unread firm's; before any read, the full weights of the
    store components, and of ties when the reader's order counts them, `with_ties`). Scores are
    sums of components rounded to 0.01 and rounded again, up to ~0.035 above the unrounded
    points: the bound carries that margin. Derived from the component registry, so a new
    component cannot be left out."""
    if base_floor is None:
        base_floor = sum(getattr(weights, key) for key in STORE_COMPONENTS)
        if with_ties:
            base_floor += weights.ties
    return gap_points + base_floor + ROUNDING_MARGIN


def _entry_score(chosen: list[dict[str, Any]], link_id: str, cap: int, top: int) -> float:
    """The score an unread firm on `link_id` must reach to change `chosen`.

    The greedy takes rows best first; an unread row changes the answer only if, when its turn
    comes, its link still has room and the list is not full. Once `cap` rows sit on the link,
    or `top` rows in all, a row scoring below the last of them comes too late.
    """
    entry = float("-inf")
    if len(chosen) >= top:
        entry = chosen[top - 1]["score"]
    on_link = [row["score"] for row in chosen if row["link_id"] == link_id]
    if len(on_link) >= cap:
        entry = max(entry, on_link[cap - 1])
    return entry


def _greedy(rows, order: dict[str, int], cap: int, top: int) -> list[dict[str, Any]]:
    """Best first: each firm is placed once, at its best link that still has room; a link
    takes at most `cap`. Equal scores: more recorded facts first, then the name (never the
    order firms were loaded in)."""
    ranked = sorted(
        rows,
        key=lambda r: (
            -r["score"],
            -r["evidence"],
            r["firm_name"] or "",
            r["firm_id"],
            order[r["link_id"]],
        ),
    )
    placed: set[str] = set()
    taken: dict[str, int] = defaultdict(int)
    chosen: list[dict[str, Any]] = []
    for row in ranked:
        if row["firm_id"] in placed or taken[row["link_id"]] >= cap:
            continue
        placed.add(row["firm_id"])
        taken[row["link_id"]] += 1
        chosen.append(row)
        if len(chosen) == top:
            break
    return chosen


def _gap_factor(gap: LinkGap, settings: Settings) -> float:
    return settings.targets.gap_kind_factor.get(gap.gap_kind or "", 0.0) * gap.weight


def _select_gaps(report: GapReport, filters: TargetFilters) -> list[LinkGap]:
    gaps = report.gap_links
    if filters.links:
        wanted = set(filters.links)
        unknown = wanted - {g.link_id for g in report.links} - {g.link_name for g in report.links}
        if unknown:
            raise LinkNotFound(f"主导产业链中没有环节：{'、'.join(sorted(unknown))}")
        gaps = [g for g in gaps if g.link_id in wanted or g.link_name in wanted]
    if filters.stages:
        bad = set(filters.stages) - set(STAGES)
        if bad:
            raise InvalidInput(f"环节位置应为 {'/'.join(STAGES)}：{'、'.join(sorted(bad))}")
        gaps = [g for g in gaps if g.stage in filters.stages]
    if filters.kinds:
        bad = set(filters.kinds) - {FILL, EXTEND, STRENGTHEN}
        if bad:
            raise InvalidInput(f"招商方向应为 补链/延链/强链：{'、'.join(sorted(bad))}")
        gaps = [g for g in gaps if g.gap_kind in filters.kinds]
    return gaps


def _place_filter(filters: TargetFilters, town: dict[str, Any]) -> dict[str, Any]:
    provinces = list(filters.provinces)
    cities: list[str] = []
    for region in filters.regions:
        if region == SAME_PROVINCE:
            provinces.append(town["province"])
        elif region in REGIONS:
            provinces.extend(REGIONS[region]["provinces"])
            cities.extend(REGIONS[region]["cities"])
        else:
            raise InvalidInput(f"地区应为 {'/'.join(REGION_CHOICES)} 之一：{region}")
    return {
        "all_places": not (filters.provinces or filters.regions),
        "provinces": sorted(set(provinces)),
        "cities": sorted(set(cities)),
    }


def _query_params(
    report: GapReport,
    settings: Settings,
    weights: Weights,
    filters: TargetFilters,
) -> dict[str, Any]:
    town = report.town
    rule = settings.targets
    if filters.badge is not None and filters.badge not in BADGES:
        raise InvalidInput(f"企业称号应为 {'/'.join(BADGES)} 之一：{filters.badge}")
    ranked_badges = sorted(BADGES, key=lambda b: (-rule.badge_factor.get(b, 0.0), BADGES.index(b)))
    params: dict[str, Any] = {
        "town": town["id"],
        "w_ties": weights.ties,
        "tie_first": rule.ties.first,
        "tie_more": rule.ties.each_more,
        "tie_lead": rule.ties.leading_partner,
        **_place_filter(filters, town),
        "no_min": filters.min_revenue_wan is None,
        "min_revenue": float(filters.min_revenue_wan or 0.0),
        "all_badges": filters.badge is None,
        "badge": filters.badge or "",
        "w_scale": weights.scale,
        "revenue_half": float(rule.scale.revenue_half_wan),
        "w_badges": weights.badges,
        "w_region": weights.region,
        "transfer_provinces": sorted(p for r in REGIONS.values() for p in r["provinces"]),
        "transfer_cities": sorted(c for r in REGIONS.values() for c in r["cities"]),
        "town_province": town["province"],
        "same_province": rule.region.same_province,
        "w_distance": weights.distance,
        "has_point": town["lon"] is not None and town["lat"] is not None,
        "town_lon": float(town["lon"] or 0.0),
        "town_lat": float(town["lat"] or 0.0),
        "half_km": float(rule.distance.half_km),
        "regional_km": float(rule.distance.regional_km),
        "near_km": float(rule.distance.near_km),
        "unknown": float(rule.unknown_factor),
    }
    for index, badge in enumerate(ranked_badges, start=1):
        params[f"b{index}"] = badge
        params[f"f{index}"] = float(rule.badge_factor.get(badge, 0.0))
    return params


def unverified_facts(row: dict[str, Any]) -> list[str]:
    """The facts a target's score could not rest on."""
    missing = []
    if row.get("revenue_wan") is None:
        missing.append("营收")
    if not row.get("province") or row.get("province") == "未知":
        missing.append("所在地")
    return missing


def _evidence_share(row: dict[str, Any], weights: Weights, unknown: float) -> float:
    """Share of the score from recorded facts: neutral fill-ins for missing ones excluded."""
    if row["score"] <= 0:
        return 1.0
    neutral = 0.0
    if row.get("revenue_wan") is None:
        neutral += weights.scale * unknown
    if not row.get("province") or row.get("province") == "未知":
        neutral += (weights.region + weights.distance) * unknown
    return round(max(0.0, 1 - neutral / row["score"]), 2)


def _reasons(
    gap: LinkGap,
    row: dict[str, Any],
    tie: _Tie | None,
    town: dict[str, Any],
    other_links: list[str],
) -> list[str]:
    reasons: list[str] = []
    if gap.gap_kind == FILL:
        reasons.append(f"填补{gap.link_name}环节缺口（补链）")
    elif gap.gap_kind == EXTEND:
        way = {"上游": "向上游延伸", "下游": "向下游延伸"}.get(gap.direction or "", "延伸")
        reasons.append(f"{way}至{gap.link_name}环节（延链）")
    else:
        reasons.append(f"加强{gap.link_name}环节（强链，本地仅 {gap.local_firms} 家企业）")
    if other_links:
        reasons.append(f"亦可补充{'、'.join(other_links)}环节")
    if tie:
        for name in tie.supplies_town:
            lead = "本地龙头" if name in tie.leading_partners else "本地企业"
            reasons.append(f"为{lead}{name}供货")
        for name in tie.buys_from_town:
            lead = "本地龙头" if name in tie.leading_partners else "本地企业"
            reasons.append(f"采购{lead}{name}的产品")
    region = region_of(row["province"], row["city"])
    if gap.locality == "就近":
        reasons.append(f"{gap.link_name}须就近配套，优先省内近处企业")
        region = None  # far sources earn nothing on a link whose product does not travel
    if region:
        reasons.append(f"位于{region}（{row['province']}），属产业梯度转移重点来源地")
    elif row["province"] == town["province"]:
        reasons.append(f"位于省内（{row['city'] or row['province']}），便于就近配套")
    badges = row["badges"] or []
    if badges:
        reasons.append("、".join(BADGE_TEXT[b] for b in BADGES if b in badges))
    if row["revenue_wan"]:
        reasons.append(f"营业收入约 {row['revenue_wan'] / 10000:.2f} 亿元")
    if row["km"] is not None and row["km"] >= 0:
        level = "区县" if row.get("county") else "地市" if row.get("city") else "省"
        reasons.append(f"距本镇约 {row['km']:.0f} 公里（按{level}中心点估算）")
    missing = unverified_facts(row)
    if missing:
        reasons.append(f"待核实：{'、'.join(missing)}（按中性值计分）")
    return reasons


def find_targets(
    store: GraphStore,
    town: str,
    settings: Settings,
    *,
    preset: str | None = None,
    weight_overrides: dict[str, float] | None = None,
    filters: TargetFilters | None = None,
    exhaustive: bool = False,
    gaps: GapReport | None = None,
) -> TargetReport:
    """Rank outside firms for the town's gap links.

    Links are read best first, in slices, only while their unread firms could still enter the
    list; `exhaustive` reads every candidate instead (the brute-force reference that tests and
    benchmarks compare against).
    """
    filters = filters or TargetFilters()
    weights = settings.targets.weights(preset, weight_overrides)
    report = gaps if gaps is not None else find_gaps(store, town, settings.gaps, context=False)
    town_row = report.town
    gaps = _select_gaps(report, filters)
    excluded: list[str] = []
    if not filters.include_pipeline:
        excluded = [
            r["firm_id"]
            for r in store.query(
                "open_project_investors",
                {"town": town_row["id"], "closed": list(CLOSED_PROJECT_STATUSES)},
            )
        ]
    leads = {lead.firm_id: lead for lead in load_leads(store, town_row["id"], dt.date.today())}
    dropped = sorted(f for f, lead in leads.items() if lead.status == DROPPED)
    excluded_dropped = [] if filters.include_dropped else dropped
    ties = _ties(store, town_row["id"], settings)
    top = filters.top if filters.top is not None else settings.targets.top
    per_link = filters.per_link if filters.per_link is not None else settings.targets.per_link
    cap = min(per_link, top) if per_link else top
    params = _query_params(report, settings, weights, filters)
    order = {gap.link_id: index for index, gap in enumerate(gaps)}
    gap_points = {gap.link_id: weights.gap_need * _gap_factor(gap, settings) for gap in gaps}
    by_link = {gap.link_id: gap for gap in gaps}
    blocked = set(excluded) | set(excluded_dropped)
    filtered = bool(
        filters.provinces or filters.regions or filters.badge or filters.min_revenue_wan is not None
    )
    suffix = "_filtered" if filtered else ""

    def scored(row: dict[str, Any]) -> dict[str, Any]:
        components = {
            "gap_need": round(gap_points[row["link_id"]], 2),
            "ties": tie_points(row["firm_id"]),
            **{key: round(row[f"p_{key}"], 2) for key in STORE_COMPONENTS},
        }
        score = round(sum(components[c] for c in COMPONENTS), 2)
        return {**row, "components": components, "score": score, "gap": by_link[row["link_id"]]}

    def tie_points(firm_id: str) -> float:
        tie = ties.get(firm_id)
        return round(weights.ties * _tie_factor(tie, settings), 2) if tie else 0.0

    # Pairs (firm, link) scored so far; links are read best first by a reader
    # (analysis/candidates.py). From the snapshot, a link's order counts each firm's ties;
    # from the store it cannot, so the tied firms (few) are scored on every gap link first and
    # an unread firm is known to be untied. The brute force reads everything.
    # NumPy and Arrow are loaded here, not with the module: the library's other calls
    # (status, gaps, ledgers) and every command's start-up do without them.
    from chainmap.analysis.candidates import ExhaustiveReader, SnapshotReader, StoreReader

    pool: dict[tuple[str, str], dict[str, Any]] = {}
    snapshot = None if exhaustive else store.targets_snapshot()
    reader: StoreReader | SnapshotReader | ExhaustiveReader
    if exhaustive:
        reader = ExhaustiveReader(store, params, suffix, list(order))
    elif snapshot is not None:
        localities = {gap.link_id: gap.locality for gap in gaps}
        tied = {firm_id: tie_points(firm_id) for firm_id in ties}
        reader = SnapshotReader(store, snapshot, params, suffix, localities, tied)
    else:
        reader = StoreReader(store, params, suffix, list(order))
    if not reader.covers_ties and ties and gaps:
        pairs = store.query("town_tied_gap_links", {"town": town_row["id"], "links": list(order)})
        for row in store.query(f"targets_tied{suffix}", {**params, "pairs": pairs}):
            if row["firm_id"] not in blocked:
                pool[(row["firm_id"], row["link_id"])] = scored(row)
    state = reader.state

    def bound(link_id: str) -> float:
        floor = state.floor[link_id]
        return score_bound(weights, gap_points[link_id], floor, with_ties=reader.covers_ties)

    while True:
        chosen = _greedy(pool.values(), order, cap, top)
        pending = [
            link
            for link in order
            if link not in state.complete
            and (exhaustive or bound(link) >= _entry_score(chosen, link, cap, top))
        ]
        if not pending:
            break
        pending.sort(key=lambda link: (-bound(link), order[link]))
        if not reader.batched:
            pending = pending[:1]
        elif len(chosen) < top:
            # Until the list is full every link is pending: the best links, as many as could
            # fill it, keep the rest from being read at all. Then every pending link at once.
            pending = pending[: max(1, -(-(top - len(chosen)) // cap))]
        for row in reader.read(pending, cap + len(blocked) + 5):
            key = (row["firm_id"], row["link_id"])
            if row["firm_id"] not in blocked and key not in pool:
                pool[key] = scored(row)

    # The chosen firms' other gap links (亦可补充), read whole rather than from the partial pool.
    links_of: dict[str, list[str]] = defaultdict(list)
    if chosen:
        for row in store.query_each(
            "firm_gap_links",
            [row["firm_id"] for row in chosen],
            {"links": list(order)},
            along="MAKES",
        ):
            links_of[row["firm_id"]].append(row["link_id"])
        for firm_links in links_of.values():
            firm_links.sort(key=order.__getitem__)

    details = {
        row["firm_id"]: row
        for row in store.query("firm_details", {"ids": [row["firm_id"] for row in chosen]})
    }
    names = {gap.link_id: gap.link_name for gap in report.links}
    targets: list[Target] = []
    for rank, ranked in enumerate(chosen[:top], start=1):
        row = {**ranked, **details[ranked["firm_id"]]}
        gap: LinkGap = row["gap"]
        tie = ties.get(row["firm_id"])
        other = [names[link] for link in links_of[row["firm_id"]] if link != gap.link_id]
        targets.append(
            Target(
                rank=rank,
                firm_id=row["firm_id"],
                firm_name=row["firm_name"],
                province=row["province"],
                city=row["city"],
                county=row["county"],
                link_id=gap.link_id,
                link_name=gap.link_name,
                stage=gap.stage,
                gap_kind=gap.gap_kind or "",
                score=row["score"],
                components=row["components"],
                reasons=_reasons(gap, row, tie, town_row, other),
                revenue_wan=row["revenue_wan"],
                badges=list(row["badges"] or []),
                region=region_of(row["province"], row["city"]),
                distance_km=round(row["km"], 1)
                if row["km"] is not None and row["km"] >= 0
                else None,
                tie_partners=list(tie.local_names) if tie else [],
                other_links=other,
                unverified=unverified_facts(row),
                evidence_share=_evidence_share(row, weights, settings.targets.unknown_factor),
            )
        )
        lead = leads.get(row["firm_id"])
        if lead is not None:
            targets[-1].follow_status = lead.status
            targets[-1].follow_status_on = lead.status_on
            targets[-1].follow_flag = lead.flag_text
            targets[-1].follow_owner_unit = lead.owner_unit
            targets[-1].follow_notes = lead.notes
    return TargetReport(
        gaps=report,
        preset=preset or settings.targets.preset,
        weights=weights,
        targets=targets,
        excluded_pipeline=excluded,
        excluded_dropped=excluded_dropped,
    )

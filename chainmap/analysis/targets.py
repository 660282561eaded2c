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

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from chainmap.analysis.gaps import EXTEND, FILL, STRENGTHEN, GapReport, LinkGap, find_gaps
from chainmap.config import COMPONENTS, Settings, Weights
from chainmap.errors import ChainmapError
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

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TargetReport:
    gaps: GapReport
    preset: str
    weights: Weights
    targets: list[Target]
    excluded_pipeline: list[str]


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


def _gap_factor(gap: LinkGap, settings: Settings) -> float:
    return settings.targets.gap_kind_factor.get(gap.gap_kind or "", 0.0) * gap.weight


def _select_gaps(report: GapReport, filters: TargetFilters) -> list[LinkGap]:
    gaps = report.gap_links
    if filters.links:
        wanted = set(filters.links)
        unknown = wanted - {g.link_id for g in report.links} - {g.link_name for g in report.links}
        if unknown:
            raise ChainmapError(f"主导产业链中没有环节：{'、'.join(sorted(unknown))}")
        gaps = [g for g in gaps if g.link_id in wanted or g.link_name in wanted]
    if filters.stages:
        bad = set(filters.stages) - set(STAGES)
        if bad:
            raise ChainmapError(f"环节位置应为 {'/'.join(STAGES)}：{'、'.join(sorted(bad))}")
        gaps = [g for g in gaps if g.stage in filters.stages]
    if filters.kinds:
        bad = set(filters.kinds) - {FILL, EXTEND, STRENGTHEN}
        if bad:
            raise ChainmapError(f"招商方向应为 补链/延链/强链：{'、'.join(sorted(bad))}")
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
            raise ChainmapError(f"地区应为 {'/'.join(REGION_CHOICES)} 之一：{region}")
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
    excluded: list[str],
) -> dict[str, Any]:
    town = report.town
    rule = settings.targets
    if filters.badge is not None and filters.badge not in BADGES:
        raise ChainmapError(f"企业称号应为 {'/'.join(BADGES)} 之一：{filters.badge}")
    ranked_badges = sorted(BADGES, key=lambda b: (-rule.badge_factor.get(b, 0.0), BADGES.index(b)))
    params: dict[str, Any] = {
        "town": town["id"],
        "excluded": excluded,
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
    }
    for index, badge in enumerate(ranked_badges, start=1):
        params[f"b{index}"] = badge
        params[f"f{index}"] = float(rule.badge_factor.get(badge, 0.0))
    return params


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
        reasons.append(f"距本镇约 {row['km']:.0f} 公里")
    return reasons


def find_targets(
    store: GraphStore,
    town: str,
    settings: Settings,
    *,
    preset: str | None = None,
    weight_overrides: dict[str, float] | None = None,
    filters: TargetFilters | None = None,
) -> TargetReport:
    filters = filters or TargetFilters()
    weights = settings.targets.weights(preset, weight_overrides)
    report = find_gaps(store, town, settings.gaps, context=False)
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
    ties = _ties(store, town_row["id"], settings)
    top = filters.top if filters.top is not None else settings.targets.top
    per_link = filters.per_link if filters.per_link is not None else settings.targets.per_link
    cap = min(per_link, top) if per_link else top
    params = _query_params(report, settings, weights, filters, excluded)
    params["lead_tied"] = sorted(firm for firm, tie in ties.items() if tie.leading_partners)

    def candidates(gap: LinkGap, limit: int) -> tuple[list[dict[str, Any]], bool]:
        """One link's best candidates, scored in the store; and whether that was all of them."""
        gap_points = weights.gap_need * _gap_factor(gap, settings)
        rows = store.query(
            "targets_for_link",
            {**params, "link": gap.link_id, "gap_points": gap_points, "limit": limit},
        )
        scored = []
        for row in rows:
            components = {
                "gap_need": round(gap_points, 2),
                "ties": round(row["p_ties"], 2),
                "scale": round(row["p_scale"], 2),
                "badges": round(row["p_badges"], 2),
                "region": round(row["p_region"], 2),
                "distance": round(row["p_distance"], 2),
            }
            score = round(sum(components[c] for c in COMPONENTS), 2)
            scored.append({**row, "components": components, "score": score, "gap": gap})
        scored.sort(key=lambda r: (-r["score"], r["firm_id"]))
        return scored, len(rows) < limit

    # Fetch each link's best, give each firm to the link where it scores highest, and fetch
    # deeper where that left a link short: the result is exact, whatever the overlap.
    order = {gap.link_id: index for index, gap in enumerate(gaps)}
    limits = {gap.link_id: cap + 5 for gap in gaps}
    while True:
        per_gap = {gap.link_id: candidates(gap, limits[gap.link_id]) for gap in gaps}
        best: dict[str, dict[str, Any]] = {}
        links_of: dict[str, list[str]] = defaultdict(list)
        for gap in gaps:
            for row in per_gap[gap.link_id][0]:
                links_of[row["firm_id"]].append(gap.link_id)
                held = best.get(row["firm_id"])
                if held is None or (-row["score"], order[gap.link_id]) < (
                    -held["score"],
                    order[held["gap"].link_id],
                ):
                    best[row["firm_id"]] = row
        kept: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in best.values():
            kept[row["gap"].link_id].append(row)
        short = [
            gap.link_id
            for gap in gaps
            if len(kept[gap.link_id]) < cap and not per_gap[gap.link_id][1]
        ]
        if not short:
            break
        for link_id in short:
            limits[link_id] *= 2

    chosen: list[dict[str, Any]] = []
    for gap in gaps:
        rows = sorted(kept[gap.link_id], key=lambda r: (-r["score"], r["firm_id"]))
        chosen.extend(rows[:cap])
    chosen.sort(key=lambda r: (-r["score"], order[r["gap"].link_id], r["firm_id"]))
    names = {gap.link_id: gap.link_name for gap in report.links}
    targets: list[Target] = []
    for rank, row in enumerate(chosen[:top], start=1):
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
            )
        )
    return TargetReport(
        gaps=report,
        preset=preset or settings.targets.preset,
        weights=weights,
        targets=targets,
        excluded_pipeline=excluded,
    )

"""Town evaluation against the recognition criteria (认定标准) and the annual ranking.

Criteria are data (data/config/criteria.toml, one section per level). A criterion whose data are
missing is reported as missing (met = None), never as failed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from chainmap.analysis.gaps import GapReport, find_gaps, find_town
from chainmap.analysis.ledger import load_problems, load_tasks
from chainmap.analysis.pipeline import load_projects
from chainmap.config import Settings
from chainmap.errors import ChainNotFound, InvalidInput
from chainmap.store.base import GraphStore

# How a criterion's `met` reads in tables and reports.
MET_ZH = {True: "达标", False: "未达标", None: "数据缺失"}
PRIORITY_BADGES = ("专精特新", "小巨人", "单项冠军")
CENTRE_TYPES = ("企业技术中心", "工程中心")
RANK_ZH = {
    "output": "主导产业产值",
    "output_growth": "产值增长",
    "market_entities": "市场主体",
    "market_growth": "市场主体增长",
    "completeness": "链条完整度",
    "producing_projects": "当年投产项目",
    "leading_firms": "龙头企业",
}


@dataclass
class Criterion:
    name: str
    met: bool | None
    value: Any
    threshold: Any
    note: str
    required: bool = True


@dataclass
class TownFacts:
    """What the evaluation looks at, for one town and year."""

    town: dict[str, Any]
    year: int | None
    output_wan: float | None
    previous_output_wan: float | None
    market_entities: int | None
    previous_market_entities: int | None
    leading_firms: int | None
    supporting_firms: int | None
    supporting_source: str
    platforms: int | None
    priority_items: int | None
    completeness: float | None
    producing_projects: int
    flagged_projects: list[str] = field(default_factory=list)
    # 责任清单 tasks and 问题台账 problems past their dates (建设进度较慢).
    overdue_items: list[str] = field(default_factory=list)


def _indicators(store: GraphStore, town_id: str) -> dict[int, dict[str, Any]]:
    return {row["year"]: row for row in store.query("town_indicators", {"town": town_id})}


def town_facts(
    store: GraphStore,
    town: str,
    settings: Settings,
    year: int | None,
    as_of: dt.date,
    gaps: GapReport | None = None,
) -> TownFacts:
    row = gaps.town if gaps is not None else find_town(store, town)
    indicators = _indicators(store, row["id"])
    if year is None:
        year = max(indicators) if indicators else row["year"]
    this = indicators.get(year, {})
    last = indicators.get(year - 1, {}) if year else {}
    output = this.get("output_value_wan")
    if output is None and row["year"] == year:
        output = row["output_value_wan"]
    firms = store.query("town_firm_facts", {"town": row["id"]})
    leading_badges = set(settings.gaps.leading_badges)
    leading = sum(1 for f in firms if f["leading"] or leading_badges & set(f["badges"] or []))
    if this.get("supporting_firms") is not None:
        supporting, supporting_source = this["supporting_firms"], f"{year} 年指标填报"
    elif this.get("firms") is not None:
        supporting = max(0, this["firms"] - leading)
        supporting_source = f"按 {year} 年指标企业数 {this['firms']} 减龙头估算"
    elif firms:
        supporting, supporting_source = len(firms) - leading, "库内本镇非龙头企业数（可能不全）"
    else:
        supporting, supporting_source = None, ""
    platform_rows = store.query("town_platforms", {"town": row["id"]})
    platforms = len(platform_rows) if platform_rows else this.get("platforms")
    centres = sum(1 for p in platform_rows if p["type"] in CENTRE_TYPES)
    badged = sum(1 for f in firms if set(PRIORITY_BADGES) & set(f["badges"] or []))
    priority = centres + badged if (firms or platform_rows) else None
    try:
        report = gaps or find_gaps(store, row["id"], settings.gaps, context=False)
        completeness = report.completeness if report.links else None
    except ChainNotFound:  # the town's lead chain has no template yet
        completeness = None
    projects = load_projects(store, row["id"], settings.projects, as_of)
    producing = sum(
        1 for p in projects if year and (p.row.get("producing_on") or "").startswith(f"{year}-")
    )
    return TownFacts(
        town=row,
        year=year,
        output_wan=output,
        previous_output_wan=last.get("output_value_wan"),
        market_entities=this.get("market_entities"),
        previous_market_entities=last.get("market_entities"),
        leading_firms=leading if firms else None,
        supporting_firms=supporting,
        supporting_source=supporting_source,
        platforms=platforms,
        priority_items=priority,
        completeness=completeness,
        producing_projects=producing,
        flagged_projects=[
            f"{p.row['name']}：{'；'.join(f.text for f in p.flags)}" for p in projects if p.flags
        ],
        overdue_items=[
            f"任务逾期：{t.row['item']}（{t.flag_text}）"
            for t in load_tasks(store, row["id"], as_of)
            if t.overdue_days
        ]
        + [
            f"问题逾期未解决：{w.row['description']}（{w.flag_text}）"
            for w in load_problems(store, row["id"], as_of)
            if w.overdue_days
        ],
    )


def _at_least(
    name: str, value: Any, threshold: float, unit: str, note: str = "", required: bool = True
) -> Criterion:
    if value is None:
        return Criterion(
            name, None, None, threshold, f"数据缺失{('；' + note) if note else ''}", required
        )
    met = value >= threshold
    text = f"需 ≥ {threshold:g}{unit}，现为 {value:g}{unit}"
    if not met:
        text += f"，差 {threshold - value:g}{unit}"
    return Criterion(name, met, value, threshold, text + (f"；{note}" if note else ""), required)


def evaluate_level(facts: TownFacts, level: str, rules: dict[str, Any]) -> list[Criterion]:
    town = facts.town
    results: list[Criterion] = []
    if "output_threshold_wan" in rules:
        category = town.get("category")
        if category is None or category not in rules["output_threshold_wan"]:
            results.append(
                Criterion(
                    "主导产业产值",
                    None,
                    facts.output_wan,
                    None,
                    "类别未填或不在标准中，无法确定门槛",
                )
            )
        else:
            threshold = rules["output_threshold_wan"][category]
            note = f"{category}类"
            if town.get("historic_gi") and "relaxed_floor_wan" in rules:
                threshold = rules["relaxed_floor_wan"]
                note += "；主导产品有历史发源地或地理标志，放宽至不少于该值"
            results.append(_at_least("主导产业产值", facts.output_wan, threshold, " 万元", note))
    if "min_leading_firms" in rules:
        results.append(
            _at_least("龙头企业", facts.leading_firms, rules["min_leading_firms"], " 家")
        )
    if "min_supporting_firms" in rules:
        results.append(
            _at_least(
                "配套企业",
                facts.supporting_firms,
                rules["min_supporting_firms"],
                " 家",
                facts.supporting_source,
            )
        )
    if rules.get("require_lead_industry_in_town"):
        value = town.get("lead_industry_in_town")
        results.append(
            Criterion(
                "主导产业集中在本镇",
                value,
                value,
                True,
                "数据缺失" if value is None else ("是" if value else "否"),
            )
        )
    if "min_platforms" in rules:
        results.append(_at_least("公共服务平台", facts.platforms, rules["min_platforms"], " 个"))
    if "tiers_wan" in rules:
        results.append(_tier(facts.output_wan, rules["tiers_wan"]))
    results.append(
        Criterion(
            "优先条件：技术中心、专精特新、小巨人、单项冠军",
            None if facts.priority_items is None else facts.priority_items > 0,
            facts.priority_items,
            1,
            "优先评定条件，不是必备条件",
            required=False,
        )
    )
    return results


def _yi(wan: float) -> str:
    return f"{wan / 10000:g} 亿元"


def _tier(output: float | None, tiers: list[float]) -> Criterion:
    if output is None:
        return Criterion("产值档次", None, None, tiers[0], "数据缺失")
    reached = [t for t in tiers if output >= t]
    above = [t for t in tiers if output < t]
    note = f"已达 {_yi(reached[-1]).replace(' 亿元', '')}亿级" if reached else "未达最低档"
    if above:
        note += f"；距 {_yi(above[0]).replace(' 亿元', '')}亿级 还差 {_yi(above[0] - output)}"
    return Criterion("产值档次", bool(reached), output, tiers[0], note)


@dataclass
class Evaluation:
    town_id: str
    level: str
    year: int | None
    criteria: list[Criterion]
    missing_for_next_level: list[str]
    source: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["criteria"] = [
            {k: c[k] for k in ("name", "met", "value", "threshold", "note")}
            for c in data["criteria"]
        ]
        return data

    @property
    def passed(self) -> bool | None:
        required = [c.met for c in self.criteria if c.required]
        if any(m is False for m in required):
            return False
        return None if any(m is None for m in required) else True


def evaluate(
    store: GraphStore,
    town: str,
    settings: Settings,
    criteria: dict[str, Any],
    *,
    level: str | None = None,
    year: int | None = None,
    as_of: dt.date | None = None,
    gaps: GapReport | None = None,
) -> Evaluation:
    """The town against one level of the criteria; `gaps`, when the caller has the town's gap
    report already, is used instead of computing it again."""
    facts = town_facts(store, town, settings, year, as_of or dt.date.today(), gaps)
    order: list[str] = criteria["order"]
    level = level or facts.town.get("level") or order[0]
    if level not in order:
        raise InvalidInput(f"级别应为 {'/'.join(order)} 之一：{level}")
    results = evaluate_level(facts, level, criteria[level])
    index = order.index(level)
    missing: list[str] = []
    if index + 1 < len(order):
        upper = order[index + 1]
        for criterion in evaluate_level(facts, upper, criteria[upper]):
            if criterion.required and criterion.met is not True:
                state = "数据缺失" if criterion.met is None else criterion.note
                missing.append(f"{upper}·{criterion.name}：{state}")
    else:
        tier = next((c for c in results if c.name == "产值档次"), None)
        if tier and "距" in tier.note:
            missing.append(f"{level}·{tier.note.split('；')[-1]}")
    return Evaluation(
        facts.town["id"], level, facts.year, results, missing, criteria[level].get("source", "")
    )


# --- annual ranking ----------------------------------------------------------------------


@dataclass
class RankRow:
    rank: int
    town_id: str
    town_name: str
    score: float
    components: dict[str, float]
    notes: list[str]
    output_wan: float | None
    mark: str = ""  # 表扬 / 督办 / ""
    reasons: list[str] = field(default_factory=list)
    # The indicator values the points come from (None: not reported), keyed like components.
    values: dict[str, float | None] = field(default_factory=dict)
    reported: tuple[str, ...] = ()  # items with data behind them

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _growth(now: float | None, before: float | None) -> float | None:
    if now is None or not before:
        return None
    return now / before - 1


# Reasons that mean slow progress (建设进度较慢): a town with any of them is supervised.
SLOW_PROGRESS = ("项目预警", "任务逾期", "问题逾期")


def rank_towns(
    store: GraphStore,
    settings: Settings,
    criteria: dict[str, Any],
    *,
    year: int | None = None,
    as_of: dt.date | None = None,
) -> list[RankRow]:
    rules = criteria["rank"]
    weights: dict[str, float] = rules["weights"]
    town_ids = [
        row["town_id"]
        for row in store.query("towns_in_province", {"all_towns": True, "province": ""})
    ]
    facts = [town_facts(store, t, settings, year, as_of or dt.date.today()) for t in town_ids]

    def top(values: list[float | None]) -> float:
        return max((v for v in values if v is not None), default=0) or 1

    max_output = top([f.output_wan for f in facts])
    max_entities = top([f.market_entities for f in facts])
    max_producing = top([f.producing_projects for f in facts])
    max_leading = top([f.leading_firms for f in facts])
    rows = []
    for f in facts:
        growth = _growth(f.output_wan, f.previous_output_wan)
        entity_growth = _growth(f.market_entities, f.previous_market_entities)
        factors = {
            "output": None if f.output_wan is None else f.output_wan / max_output,
            "output_growth": None
            if growth is None
            else min(1, max(0, growth / rules["growth_full"])),
            "market_entities": None
            if f.market_entities is None
            else f.market_entities / max_entities,
            "market_growth": None
            if entity_growth is None
            else min(1, max(0, entity_growth / rules["market_growth_full"])),
            "completeness": f.completeness,
            "producing_projects": f.producing_projects / max_producing,
            "leading_firms": None if f.leading_firms is None else f.leading_firms / max_leading,
        }
        notes = [
            f"{RANK_ZH[k]}缺数据" + ("（缺上年数据）" if k.endswith("growth") else "")
            for k, v in factors.items()
            if v is None
        ]
        components = {k: round(weights[k] * (v or 0.0), 2) for k, v in factors.items()}
        values = {
            "output": f.output_wan,
            "output_growth": None if growth is None else round(growth * 100, 1),
            "market_entities": f.market_entities,
            "market_growth": None if entity_growth is None else round(entity_growth * 100, 1),
            "completeness": None if f.completeness is None else round(f.completeness * 100, 1),
            "producing_projects": f.producing_projects,
            "leading_firms": f.leading_firms,
        }
        rows.append(
            RankRow(
                0,
                f.town["id"],
                f.town["name"],
                round(sum(components.values()), 2),
                components,
                notes,
                f.output_wan,
                values=values,
                reported=tuple(k for k, v in factors.items() if v is not None),
            )
        )
        if f.flagged_projects:
            rows[-1].reasons.extend(f"项目预警：{text}" for text in f.flagged_projects)
        rows[-1].reasons.extend(f.overdue_items)
    # Ties: higher score, then larger output, then town id (stated in the README).
    rows.sort(key=lambda r: (-r.score, -(r.output_wan or 0), r.town_id))
    # With few towns the two lists would overlap: supervision takes at most half the towns and
    # praise goes to the best of the rest.
    supervised = min(rules["supervise_bottom"], len(rows) // 2)
    praised = min(rules["praise_top"], len(rows) - supervised)
    for index, row in enumerate(rows, start=1):
        row.rank = index
        marks = []
        if index <= praised:
            marks.append("表扬")
            strongest = max(row.components, key=lambda k: row.components[k])
            row.reasons.insert(0, f"综合得分第 {index} 名，{RANK_ZH[strongest]}突出")
        bottom = index > len(rows) - supervised
        if bottom:
            # Weakest among what was reported: a missing figure is not read as the worst one.
            known = [k for k in row.components if k in row.reported]
            if known:
                weakest = min(known, key=lambda k: row.components[k] / (weights[k] or 1))
                why = f"{RANK_ZH[weakest]}最弱"
            else:
                why = "指标大多未填报，请先补报数据"
            row.reasons.insert(0, f"综合得分排名靠后（第 {index} 名），{why}")
        flagged = any(reason.startswith(SLOW_PROGRESS) for reason in row.reasons)
        if bottom or (flagged and not marks):
            marks.append("督办")
        elif flagged:
            # Praised for the ranking; its stalled projects and overdue items are followed up
            # in their lists, not by contradicting the praise in the same cell.
            row.reasons.append("另有项目预警或逾期事项，列入专项督办")
        row.mark = "、".join(marks)
    return rows

"""The industry-chain investment map (产业招商图谱) of one town: a single offline HTML file.

Built for reading, not for physics: the chain's links stand in three columns (上游 → 中游 →
下游) as labelled boxes coloured by status, in the analysis order, so labels never overlap and
read at 16 px on a laptop at the first view. A link's local firms and its targets (rank, score
against each component's maximum, reasons) open in a side panel; flows are drawn only for the
selected link, so no line runs through the labels. Search, status and kind filters, a table
view and a print layout are in the page. Nothing is fetched: the page holds its data as
escaped JSON and puts every name in as text.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.targets import Target
from chainmap.config import COMPONENT_ZH, Weights
from chainmap.model import STAGES
from chainmap.resources import resource_dir

STATUS_COLOURS = {
    "strong": {"background": "#e8f5e9", "border": "#2e7d32"},
    "weak": {"background": "#fff8e1", "border": "#c17900"},
    "missing": {"background": "#ffebee", "border": "#c62828"},
}


@dataclass(frozen=True)
class MapOptions:
    show_firms: bool = True
    show_targets: bool = True
    date: dt.date | None = None


def _place(target: Target) -> str:
    if not target.province or target.province == "未知":
        return "所在地不详"
    if target.city and target.city != target.province:
        return f"{target.province} {target.city}"
    return target.province


def map_data(
    gaps: GapReport,
    targets: list[Target],
    options: MapOptions,
    weights: Weights | None = None,
) -> dict[str, Any]:
    """What the page shows, as plain data (the page script draws it)."""
    by_link: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_link[target.link_id].append(target)
    links = []
    for link in gaps.links:
        leading = set(link.leading_firm_names)
        local = [
            {"name": name, "leading": name in leading}
            for name in (link.local_firm_names if options.show_firms else [])
        ]
        links.append(
            {
                "id": link.link_id,
                "name": link.link_name,
                "stage": link.stage,
                "status": link.status,
                "status_zh": STATUS_ZH[link.status],
                "kind": link.gap_kind or "",
                "weight": link.weight,
                "local_count": link.local_firms,
                "leading_count": link.leading_firms,
                "local": local,
                "targets": [
                    {
                        "rank": t.rank,
                        "name": t.firm_name,
                        "place": _place(t),
                        "score": round(t.score, 1),
                        "components": [
                            {
                                "label": COMPONENT_ZH[key],
                                "points": round(value, 1),
                                "max": getattr(weights, key) if weights else None,
                            }
                            for key, value in t.components.items()
                        ],
                        "reasons": t.reasons,
                    }
                    for t in (by_link[link.link_id] if options.show_targets else [])
                ],
            }
        )
    stages = [stage for stage in STAGES if any(link["stage"] == stage for link in links)]
    return {
        "stages": stages or list(STAGES),
        "links": links,
        "flows": [list(flow) for flow in gaps.flows],
        "show_targets": options.show_targets,
    }


def _script_json(data: Any) -> str:
    """JSON that is safe inside a <script> element."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, escaped in (
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("&", "\\u0026"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, escaped)
    return text


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(resource_dir("reports")),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_map(
    gaps: GapReport,
    targets: list[Target],
    out: Path,
    options: MapOptions | None = None,
    weights: Weights | None = None,
) -> Path:
    options = options or MapOptions()
    counts = gaps.counts()
    if gaps.links:
        facts = (
            f"链条完整度 {gaps.completeness:.1%}（强 {counts['strong']}、弱 {counts['weak']}、"
            f"缺 {counts['missing']}）"
        )
    else:
        facts = "本链还没有环节模板：导入链模板（chains、links、link_flows）后即可绘制"
    if options.show_targets and gaps.links:
        facts += f" · 目标企业 {len(targets)} 家"
    data = map_data(gaps, targets, options, weights)
    html = (
        _environment()
        .get_template("chain_map.html.j2")
        .render(
            title=f"{gaps.town['name']} · {gaps.chain['name']} 产业链招商图谱",
            facts=facts,
            date=(options.date or dt.date.today()).isoformat(),
            stage_count=len(data["stages"]),
            data_json=_script_json(data),
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out

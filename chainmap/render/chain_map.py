"""The industry-chain investment map (产业招商图谱) of one town: a single offline HTML file.

pyvis builds the network; the page is our own template (reports/chain_map.html.j2) because
pyvis's template fetches Bootstrap from a CDN even in its in-line mode. vis-network's JS and CSS
come inline from the pyvis package, the data as escaped JSON: nothing is fetched, and every
name shows as text (vis-network draws labels on a canvas and shows string tooltips as text).
The layout is fixed, not simulated: stages left to right, links in analysis order, each link's
local firms to its left and its targets to its right, so the same input gives the same picture.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyvis
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from pyvis.network import Network

from chainmap.analysis.gaps import STATUS_ZH, GapReport, LinkGap
from chainmap.analysis.targets import Target
from chainmap.config import COMPONENT_ZH
from chainmap.model import STAGES
from chainmap.resources import resource_dir

STATUS_COLOURS = {
    "strong": {"background": "#2e7d32", "border": "#1b5e20", "font": "#ffffff"},
    "weak": {"background": "#f9a825", "border": "#c17900", "font": "#222222"},
    "missing": {"background": "#c62828", "border": "#8e0000", "font": "#ffffff"},
}
LOCAL_FIRM_COLOUR = "#78909c"
LEADING_FIRM_COLOUR = "#ffb300"
TARGET_COLOUR = "#6a1b9a"
FLOW_COLOUR = "#455a64"

STAGE_X = {stage: index * 1100 for index, stage in enumerate(STAGES)}
SIDE_OFFSET = 300  # firms left of their link, targets right of it
ROW = 40  # vertical room per firm or target (two-line labels)
LINK_GAP = 46  # vertical space between two link blocks
FIRMS_SHOWN = 12  # per link; the rest are summed up in one node


@dataclass(frozen=True)
class MapOptions:
    show_firms: bool = True
    show_targets: bool = True
    date: dt.date | None = None


def _link_label(link: LinkGap) -> str:
    status = STATUS_ZH[link.status]
    return (
        f"{link.link_name}\n{status} · {link.gap_kind}"
        if link.gap_kind
        else f"{link.link_name}\n{status}"
    )


def _link_title(link: LinkGap) -> str:
    lines = [
        f"环节：{link.link_name}（{link.stage}）",
        f"状态：{STATUS_ZH[link.status]}"
        + (f"，招商方向：{link.gap_kind}" if link.gap_kind else ""),
        f"本地企业 {link.local_firms} 家，其中龙头 {link.leading_firms} 家",
        f"权重：{link.weight:g}",
    ]
    if link.store_firms is not None:
        lines.append(f"库内企业 {link.store_firms} 家")
    if link.location_quotient is not None:
        lines.append(f"区位熵 {link.location_quotient:g}")
    if link.leading_firm_names:
        lines.append("本地龙头：" + "、".join(link.leading_firm_names))
    return "\n".join(lines)


def _target_title(target: Target) -> str:
    parts = "，".join(f"{COMPONENT_ZH[k]} {v:g}" for k, v in target.components.items() if v)
    place = " ".join(p for p in (target.province, target.city) if p)
    return "\n".join(
        [
            f"第 {target.rank} 名：{target.firm_name}（{place}）",
            f"对应环节：{target.link_name}（{target.gap_kind}）",
            f"综合得分 {target.score:g}：{parts}",
            *(f"· {reason}" for reason in target.reasons),
        ]
    )


def build_network(
    gaps: GapReport, targets: list[Target], options: MapOptions
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Nodes and edges with fixed positions (pyvis data, ready for vis-network)."""
    net = Network(directed=True)
    by_link: dict[str, list[Target]] = defaultdict(list)
    for target in targets:
        by_link[target.link_id].append(target)
    column_y = dict.fromkeys(STAGES, 0.0)
    for link in gaps.links:
        firms = link.local_firm_names if options.show_firms else []
        shown = firms[:FIRMS_SHOWN]
        extra = len(firms) - len(shown)
        link_targets = by_link[link.link_id] if options.show_targets else []
        rows = max(len(shown) + (1 if extra else 0), len(link_targets), 1)
        height = rows * ROW
        x = STAGE_X[link.stage]
        y = column_y[link.stage] + height / 2
        column_y[link.stage] += height + LINK_GAP
        colours = STATUS_COLOURS[link.status]
        net.add_node(
            f"link:{link.link_id}",
            label=_link_label(link),
            title=_link_title(link),
            shape="box",
            x=x,
            y=y,
            physics=False,
            color={"background": colours["background"], "border": colours["border"]},
            font={"color": colours["font"], "size": 16, "multi": False},
            borderWidth=3 if link.gap_kind else 1,
            shapeProperties={"borderDashes": [6, 4]} if link.status == "missing" else {},
            kind=f"link:{link.status}",
        )

        def side_y(index: int, count: int, centre: float = y) -> float:
            return centre + (index - (count - 1) / 2) * ROW

        leading = set(link.leading_firm_names)
        count = len(shown) + (1 if extra else 0)
        for index, name in enumerate(shown):
            node_id = f"firm:{link.link_id}:{index}"
            is_leading = name in leading
            net.add_node(
                node_id,
                label=name,
                title=f"{'本地龙头企业' if is_leading else '本地企业'}：{name}\n环节：{link.link_name}",
                shape="star" if is_leading else "dot",
                size=16 if is_leading else 7,
                color=LEADING_FIRM_COLOUR if is_leading else LOCAL_FIRM_COLOUR,
                font={"size": 12, "align": "right"},
                x=x - SIDE_OFFSET,
                y=side_y(index, count),
                physics=False,
                kind="leading" if is_leading else "local",
            )
            net.add_edge(node_id, f"link:{link.link_id}", color="#b0bec5", width=1, arrows="")
        if extra:
            node_id = f"firm:{link.link_id}:more"
            net.add_node(
                node_id,
                label=f"另有 {extra} 家本地企业",
                title="、".join(firms[FIRMS_SHOWN:]),
                shape="text",
                x=x - SIDE_OFFSET,
                y=side_y(len(shown), count),
                physics=False,
                kind="local",
            )
        for index, target in enumerate(link_targets):
            node_id = f"target:{target.firm_id}"
            net.add_node(
                node_id,
                label=f"{target.firm_name}\n{target.score:g} 分",
                title=_target_title(target),
                shape="diamond",
                size=11,
                color=TARGET_COLOUR,
                font={"size": 12},
                x=x + SIDE_OFFSET,
                y=side_y(index, len(link_targets)),
                physics=False,
                kind="target",
            )
            net.add_edge(
                node_id,
                f"link:{link.link_id}",
                color=TARGET_COLOUR,
                width=1.5,
                dashes=True,
                arrows="to",
                title=f"{target.gap_kind}：{target.link_name}",
            )
    link_ids = {link.link_id for link in gaps.links}
    for link_id, downstream in gaps.flows:
        if link_id in link_ids and downstream in link_ids:
            net.add_edge(
                f"link:{link_id}",
                f"link:{downstream}",
                color=FLOW_COLOUR,
                width=2,
                arrows="to",
                smooth={"type": "curvedCW", "roundness": 0.15},
            )
    nodes, edges, *_ = net.get_network_data()
    return nodes, edges


VIS_OPTIONS = {
    "physics": {"enabled": False},
    "interaction": {
        "hover": True,
        "tooltipDelay": 120,
        "navigationButtons": True,
        "keyboard": True,
    },
    "edges": {"smooth": {"type": "curvedCW", "roundness": 0.1}},
    "nodes": {
        "font": {"face": "Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, sans-serif"}
    },
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


def _vis_assets() -> tuple[str, str]:
    folder = Path(pyvis.__file__).parent / "templates" / "lib" / "vis-9.1.2"
    js = (
        (folder / "vis-network.min.js")
        .read_text(encoding="utf-8")
        .replace("</script", "<\\/script")
    )
    css = (folder / "vis-network.css").read_text(encoding="utf-8").replace("</style", "<\\/style")
    return js, css


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(resource_dir("reports")),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_map(
    gaps: GapReport, targets: list[Target], out: Path, options: MapOptions | None = None
) -> Path:
    options = options or MapOptions()
    nodes, edges = build_network(gaps, targets, options)
    counts = gaps.counts()
    facts = (
        f"链条完整度 {gaps.completeness:.1%}（强 {counts['strong']}、弱 {counts['weak']}、"
        f"缺 {counts['missing']}）"
    )
    if options.show_targets:
        facts += f" · 目标企业 {len(targets)} 家"
    return write_page(
        out,
        title=f"{gaps.town['name']} · {gaps.chain['name']} 产业链招商图谱",
        facts=facts,
        nodes=nodes,
        edges=edges,
        options=options,
    )


def write_page(
    out: Path,
    *,
    title: str,
    facts: str,
    nodes: list[dict[str, Any]],
    edges: list[dict[str, Any]],
    options: MapOptions,
    province: bool = False,
) -> Path:
    js, css = _vis_assets()
    html = (
        _environment()
        .get_template("chain_map.html.j2")
        .render(
            title=title,
            facts=facts,
            province=province,
            date=(options.date or dt.date.today()).isoformat(),
            show_targets=options.show_targets,
            data_json=_script_json({"nodes": nodes, "edges": edges}),
            options_json=_script_json(VIS_OPTIONS),
            vis_js=js,
            vis_css=css,
            status_colours=STATUS_COLOURS,
            leading_colour=LEADING_FIRM_COLOUR,
            local_colour=LOCAL_FIRM_COLOUR,
            target_colour=TARGET_COLOUR,
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out

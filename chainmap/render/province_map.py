"""The province overview: towns, their gap links (those several towns share stand out), and
targets that would serve more than one town. Same offline page as the town map."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from pyvis.network import Network

from chainmap.analysis.gaps import GapReport
from chainmap.analysis.targets import Target
from chainmap.render.chain_map import STATUS_COLOURS, TARGET_COLOUR, MapOptions, write_page

TOWN_COLOUR = "#1565c0"
KIND_COLOURS = {"补链": "#c62828", "延链": "#ef6c00", "强链": "#f9a825"}
COLUMNS = {"town": 0, "link": 800, "target": 1600}
ROW = 44
TOP_PER_TOWN = 3  # besides shared targets, each town's best few


def build_overview(
    towns: list[tuple[GapReport, list[Target]]], options: MapOptions
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, int]]:
    net = Network(directed=True)
    link_towns: dict[str, list[tuple[GapReport, Any]]] = defaultdict(list)
    target_towns: dict[str, dict[str, Target]] = defaultdict(dict)
    for index, (gaps, targets) in enumerate(towns):
        town = gaps.town
        net.add_node(
            f"town:{town['id']}",
            label=f"{town['name']}\n完整度 {gaps.completeness:.0%}",
            title=f"{town['name']}（{town.get('county') or ''}）\n主导产业链：{gaps.chain['name']}\n"
            f"链条完整度 {gaps.completeness:.1%}，缺口环节 {len(gaps.gap_links)} 个",
            shape="box",
            color=TOWN_COLOUR,
            font={"color": "#ffffff", "size": 16},
            x=COLUMNS["town"],
            y=index * ROW * 3,
            physics=False,
            kind="town",
        )
        for gap in gaps.gap_links:
            link_towns[gap.link_id].append((gaps, gap))
        for target in targets:
            target_towns[target.firm_id][town["id"]] = target
    shared_links = {link for link, entries in link_towns.items() if len(entries) > 1}
    for row, link_id in enumerate(
        sorted(link_towns, key=lambda link: (-len(link_towns[link]), link))
    ):
        entries = link_towns[link_id]
        gap = entries[0][1]
        worst = "missing" if any(g.status == "missing" for _, g in entries) else "weak"
        colours = STATUS_COLOURS[worst]
        net.add_node(
            f"link:{link_id}",
            label=f"{gap.link_name}\n{len(entries)} 个镇",
            title=f"环节：{gap.link_name}（{gap.stage}）\n"
            + "\n".join(f"{g.town['name']}：{e.gap_kind}" for g, e in entries),
            shape="box",
            color={"background": colours["background"], "border": colours["border"]},
            font={"color": colours["font"], "size": 18 if link_id in shared_links else 13},
            borderWidth=4 if link_id in shared_links else 1,
            x=COLUMNS["link"],
            y=row * ROW,
            physics=False,
            kind="link",
        )
        for gaps, entry in entries:
            net.add_edge(
                f"town:{gaps.town['id']}",
                f"link:{link_id}",
                arrows="to",
                color=KIND_COLOURS.get(entry.gap_kind or "", "#999999"),
                title=f"{gaps.town['name']}：{entry.gap_kind}",
            )
    shown: list[str] = []
    if options.show_targets:
        best_per_town: dict[str, list[str]] = defaultdict(list)
        for gaps, targets in towns:
            best_per_town[gaps.town["id"]] = [t.firm_id for t in targets[:TOP_PER_TOWN]]
        keep = {firm for firm, by_town in target_towns.items() if len(by_town) > 1}
        keep |= {firm for firms in best_per_town.values() for firm in firms}
        shown = sorted(
            keep,
            key=lambda f: (
                -len(target_towns[f]),
                -max(t.score for t in target_towns[f].values()),
                f,
            ),
        )
    for row, firm_id in enumerate(shown):
        by_town = target_towns[firm_id]
        sample = next(iter(by_town.values()))
        several = len(by_town) > 1
        net.add_node(
            f"target:{firm_id}",
            label=f"{sample.firm_name}\n服务 {len(by_town)} 个镇" if several else sample.firm_name,
            title="\n".join(
                f"{town}：第 {t.rank} 名，{t.link_name}（{t.gap_kind}），{t.score:g} 分"
                for town, t in sorted(by_town.items())
            ),
            shape="diamond",
            size=16 if several else 10,
            color=TARGET_COLOUR,
            font={"size": 14 if several else 12},
            x=COLUMNS["target"],
            y=row * ROW,
            physics=False,
            kind="target",
        )
        for link_id in sorted({t.link_id for t in by_town.values()}):
            net.add_edge(
                f"target:{firm_id}",
                f"link:{link_id}",
                dashes=True,
                arrows="to",
                color=TARGET_COLOUR,
                width=2 if several else 1,
            )
    nodes, edges, *_ = net.get_network_data()
    stats = {
        "towns": len(towns),
        "gap_links": len(link_towns),
        "shared_links": len(shared_links),
        "shared_targets": sum(1 for f in shown if len(target_towns[f]) > 1),
    }
    return nodes, edges, stats


def render_overview(
    towns: list[tuple[GapReport, list[Target]]],
    area: str,
    out: Path,
    options: MapOptions | None = None,
) -> Path:
    options = options or MapOptions()
    nodes, edges, stats = build_overview(towns, options)
    facts = (
        f"专业镇 {stats['towns']} 个 · 缺口环节 {stats['gap_links']} 个（其中多镇共有 "
        f"{stats['shared_links']} 个）· 可服务多个镇的目标企业 {stats['shared_targets']} 家"
    )
    return write_page(
        out,
        title=f"{area} 专业镇产业链招商总览",
        facts=facts,
        nodes=nodes,
        edges=edges,
        options=options,
        province=True,
    )

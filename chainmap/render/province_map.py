"""The province overview: every town against the links of its lead chain, as a matrix grouped
by chain (colour = status), with the gaps several towns share and the targets that would serve
more than one town as sorted tables. One offline page; names only, no internal ids."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.targets import Target
from chainmap.model import STAGES
from chainmap.render.chain_map import MapOptions, _environment


@dataclass
class ChainBlock:
    name: str
    links: list[tuple[str, str, str]]  # (link id, name, stage)
    towns: list[tuple[str, float, dict[str, tuple[str, str]]]]  # (town, completeness, cells)

    @property
    def stages(self) -> list[tuple[str, int]]:
        """(stage, how many links) in chain order, for the header row above the links."""
        return [
            (stage, count)
            for stage in STAGES
            if (count := sum(1 for _, _, s in self.links if s == stage))
        ]


@dataclass
class Overview:
    blocks: list[ChainBlock] = field(default_factory=list)
    without_template: list[tuple[str, str]] = field(default_factory=list)  # (town, chain)
    shared_gaps: list[tuple[str, str, list[str]]] = field(default_factory=list)
    shared_targets: list[tuple[str, str, list[str]]] = field(default_factory=list)


def build_overview(towns: list[tuple[GapReport, list[Target]]]) -> Overview:
    overview = Overview()
    chains: dict[str, ChainBlock] = {}
    gap_towns: dict[tuple[str, str], list[str]] = defaultdict(list)
    target_towns: dict[str, dict[str, Target]] = defaultdict(dict)
    for gaps, targets in towns:
        name = gaps.town["name"]
        if not gaps.links:
            overview.without_template.append((name, gaps.chain["name"]))
            continue
        block = chains.setdefault(
            gaps.chain["id"],
            ChainBlock(
                gaps.chain["name"],
                sorted(
                    ((g.link_id, g.link_name, g.stage) for g in gaps.links),
                    key=lambda link: STAGES.index(link[2]) if link[2] in STAGES else 9,
                ),
                [],
            ),
        )
        cells = {g.link_id: (g.status, g.gap_kind or "") for g in gaps.links}
        block.towns.append((name, gaps.completeness, cells))
        for gap in gaps.gap_links:
            gap_towns[(gaps.chain["name"], gap.link_name)].append(f"{name}（{gap.gap_kind}）")
        for target in targets:
            target_towns[target.firm_name][name] = target
    overview.blocks = sorted(chains.values(), key=lambda b: (-len(b.towns), b.name))
    overview.shared_gaps = sorted(
        ((chain, link, names) for (chain, link), names in gap_towns.items() if len(names) > 1),
        key=lambda row: (-len(row[2]), row[0], row[1]),
    )
    shared = [(firm, by_town) for firm, by_town in target_towns.items() if len(by_town) > 1]
    overview.shared_targets = [
        (
            firm,
            "、".join(sorted({t.link_name for t in by_town.values()})),
            [f"{town}（第 {t.rank} 名，{t.score:.1f} 分）" for town, t in sorted(by_town.items())],
        )
        for firm, by_town in sorted(
            shared, key=lambda item: (-len(item[1]), -max(t.score for t in item[1].values()))
        )
    ]
    return overview


def render_overview(
    towns: list[tuple[GapReport, list[Target]]],
    area: str,
    out: Path,
    options: MapOptions | None = None,
) -> Path:
    options = options or MapOptions()
    overview = build_overview(towns)
    measured = sum(len(b.towns) for b in overview.blocks)
    facts = (
        f"专业镇 {len(towns)} 个（有链模板的 {measured} 个，无模板 {len(overview.without_template)} 个）"
        f" · 多镇共有的缺口环节 {len(overview.shared_gaps)} 个"
        f" · 可服务多个镇的目标企业 {len(overview.shared_targets)} 家"
    )
    html = (
        _environment()
        .get_template("province_overview.html.j2")
        .render(
            title=f"{area}专业镇产业链招商总览",
            facts=facts,
            date=(options.date or dt.date.today()).isoformat(),
            overview=overview,
            status_zh=STATUS_ZH,
            show_targets=options.show_targets,
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out

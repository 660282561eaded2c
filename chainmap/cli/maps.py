"""`chainmap map`: the town's chain map, or a province overview, as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli._store import db_option, store_for
from chainmap.cli.analysis import config_option
from chainmap.config import Settings, load_settings
from chainmap.errors import ChainmapError
from chainmap.render.chain_map import MapOptions, render_map
from chainmap.render.province_map import render_overview
from chainmap.store.base import GraphStore


def town_map(
    store: GraphStore,
    town: str,
    settings: Settings,
    out: Path,
    *,
    per_link: int = 3,
    options: MapOptions | None = None,
) -> Path:
    gaps = find_gaps(store, town, settings.gaps)
    targets = (
        find_targets(
            store,
            town,
            settings,
            filters=TargetFilters.for_map(len(gaps.gap_links), per_link),
        ).targets
        if per_link
        else []
    )
    return render_map(gaps, targets, out, options)


def overview_map(
    store: GraphStore,
    province: str | None,
    settings: Settings,
    out: Path,
    *,
    options: MapOptions | None = None,
) -> Path:
    rows = store.query(
        "towns_in_province", {"all_towns": province is None, "province": province or ""}
    )
    if not rows:
        raise ChainmapError(f"库中没有{province or ''}的专业镇")
    towns = []
    for row in rows:
        gaps = find_gaps(store, row["town_id"], settings.gaps)
        targets = find_targets(
            store, row["town_id"], settings, filters=TargetFilters(top=30, per_link=3)
        ).targets
        towns.append((gaps, targets))
    return render_overview(towns, province or "全部", out, options)


@click.command("map")
@click.argument("town", required=False)
@db_option
@config_option
@click.option("--province", help="画某省全部专业镇的总览图（不写 TOWN）。")
@click.option("--all", "all_towns", is_flag=True, help="画库中全部专业镇的总览图。")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="输出的 HTML 文件。")
@click.option(
    "--targets",
    "per_link",
    type=click.IntRange(min=0),
    default=3,
    show_default=True,
    help="每个缺口环节显示几家目标企业（0 不显示）。",
)
@click.option("--no-firms", is_flag=True, help="不显示本地企业。")
def map_command(
    town: str | None,
    db: Path | None,
    config: Path | None,
    province: str | None,
    all_towns: bool,
    out: Path | None,
    per_link: int,
    no_firms: bool,
) -> None:
    """生成产业链招商图谱（单个离线 HTML 文件，断网可用）。

    TOWN：某镇的主导产业链图谱——上游→中游→下游，环节按强/弱/缺着色，本地企业和龙头挂在环节左侧，
    目标企业挂在缺口环节右侧，悬停可看数据和推荐理由。--province / --all：多个镇的总览。
    """
    if bool(town) == bool(province or all_towns):
        raise click.UsageError("请给出 TOWN，或者 --province 省名 / --all 之一")
    settings = load_settings(config)
    options = MapOptions(show_firms=not no_firms, show_targets=per_link > 0)
    with store_for(db, create=False) as store:
        if town:
            path = town_map(
                store,
                town,
                settings,
                out or Path(f"{town}-招商图谱.html"),
                per_link=per_link,
                options=options,
            )
        else:
            area = None if all_towns else province
            path = overview_map(
                store,
                area,
                settings,
                out or Path(f"{area or '全部'}-专业镇总览.html"),
                options=options,
            )
    click.echo(
        f"已生成：{path}（{path.stat().st_size / 1024:.0f} KB，可直接用浏览器打开，无需联网）"
    )

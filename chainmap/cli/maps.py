"""`chainmap map`: the town's chain map, or a province overview, as one offline HTML file."""

from __future__ import annotations

from pathlib import Path

import click

from chainmap.cli._options import config_option, db_option, workspace
from chainmap.render.chain_map import MapOptions


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
    options = MapOptions(show_firms=not no_firms, show_targets=per_link > 0)
    with workspace(db, config) as ws:
        if town:
            found = ws.town(town)
            path = found.map(
                out or Path(f"{found.name}-招商图谱.html"), per_link=per_link, options=options
            )
        else:
            area = None if all_towns else province
            path = ws.overview_map(
                out or Path(f"{area or '全部'}-专业镇总览.html"), province=area, options=options
            )
    click.echo(
        f"已生成：{path}（{path.stat().st_size / 1024:.0f} KB，可直接用浏览器打开，无需联网）"
    )

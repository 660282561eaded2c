"""`chainmap report TOWN`: the town report as one offline, printable HTML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.analysis.evaluation import RankRow, evaluate, load_criteria, rank_towns
from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.pipeline import load_projects, summarize
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli._options import as_of_option
from chainmap.cli._store import db_option, store_for
from chainmap.cli.analysis import config_option
from chainmap.config import Settings, load_settings
from chainmap.render.report import ReportData, render_report
from chainmap.store.base import GraphStore


def town_report(
    store: GraphStore,
    town: str,
    settings: Settings,
    out: Path,
    as_of: dt.date,
    top: int = 20,
    ranking: list[RankRow] | None = None,
) -> Path:
    gaps = find_gaps(store, town, settings.gaps)
    targets = find_targets(store, town, settings, filters=TargetFilters(top=top))
    map_targets = find_targets(
        store,
        town,
        settings,
        filters=TargetFilters.for_map(len(gaps.gap_links), 3),
    )
    projects = load_projects(store, gaps.town["id"], settings.projects, as_of)
    criteria = load_criteria()
    if ranking is None:
        ranking = rank_towns(store, settings, criteria, as_of=as_of)
    data = ReportData(
        gaps,
        targets,
        map_targets,
        projects,
        summarize(projects),
        as_of,
        store.location,
        evaluation=evaluate(store, gaps.town["id"], settings, criteria, as_of=as_of),
        rank_row=next((r for r in ranking if r.town_id == gaps.town["id"]), None),
        towns_ranked=len(ranking),
    )
    return render_report(data, out)


@click.command("report")
@click.argument("town")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="输出的 HTML 文件。")
@click.option(
    "--top",
    type=click.IntRange(min=1),
    default=20,
    show_default=True,
    help="列出多少家重点目标企业。",
)
@as_of_option
@db_option
@config_option
def report(
    town: str,
    out: Path | None,
    top: int,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
) -> None:
    """生成专业镇招商工作报告（离线 HTML，可打印）：基本情况、链条完整度与缺口、重点目标、
    三个一批项目与预警、认定标准对照与年度排名、产业链招商图谱、数据说明。"""
    settings = load_settings(config)
    day = as_of or dt.date.today()
    with store_for(db, create=False) as store:
        path = town_report(
            store, town, settings, out or Path(f"{town}-招商工作报告.html"), day, top
        )
    click.echo(f"已生成报告：{path}（浏览器打开即可，打印时为 A4 横向）")

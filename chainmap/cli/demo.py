"""`chainmap demo`: build a database from the bundled data and run everything chainmap does."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from chainmap.analysis.evaluation import MET_ZH, evaluate, load_criteria, rank_towns
from chainmap.analysis.gaps import find_gaps, write_gaps
from chainmap.analysis.pipeline import load_projects, summarize
from chainmap.analysis.status import graph_status
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli._output import echo_rows
from chainmap.cli.analysis import echo_gaps, echo_targets
from chainmap.cli.evaluation import RANK_COLUMNS, rank_rows
from chainmap.cli.maps import overview_map, town_map
from chainmap.cli.report import town_report
from chainmap.config import Settings, load_settings
from chainmap.importer.load import import_dataset
from chainmap.render.lists import Sheet, project_sheets, target_list_sheet, write_xlsx
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore


def _town_files(
    store: Any, town: dict[str, Any], settings: Settings, out: Path, ranking: list[Any]
) -> list[Path]:
    """The 招商引资清单, 重大项目清单 and town report of one bundled town."""
    today = dt.date.today()
    name = town["name"]
    targets = find_targets(store, town["town_id"], settings, filters=TargetFilters(top=50))
    projects = load_projects(store, town["town_id"], settings.projects, today)
    return [
        write_xlsx(out / "lists" / f"{name}-招商引资清单.xlsx", [target_list_sheet(targets)]),
        write_xlsx(
            out / "lists" / f"{name}-重大项目清单.xlsx",
            project_sheets(projects, summarize(projects), today.isoformat()),
        ),
        town_report(
            store,
            town["town_id"],
            settings,
            out / "reports" / f"{name}-招商工作报告.html",
            today,
            ranking=ranking,
        ),
    ]


def bundled_datasets() -> list[Path]:
    """Chain templates first, then towns, the real firms, then each demo town's firms: references
    resolve in order."""
    data = resource_dir("data")
    return [
        *sorted(p for p in (data / "chains").iterdir() if p.is_dir()),
        data / "towns",
        data / "firms",
        *sorted(p for p in (data / "demo").iterdir() if p.is_dir()),
    ]


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("chainmap-demo"),
    show_default=True,
    help="输出文件夹：数据库和生成的文件都放在这里。",
)
def demo(out: Path) -> None:
    """用自带数据（交城硝基复合肥专业镇等）建库并演示全部功能：导入、缺口、目标、图谱、清单和报告。

    始终使用本地嵌入式数据库（OUT/db），不需要任何服务器。示例企业名称以“示例”开头，
    均为虚构；真实企业只记录公开报道所载信息。
    """
    store = LadybugStore.open(out / "db")
    try:
        click.echo(f"演示数据库：{store.location}")
        data = resource_dir("data")
        for dataset in bundled_datasets():
            result = import_dataset(store, dataset)
            changes = result.changes
            changed = (
                sum(changes.created.values()) + sum(changes.updated.values()) if changes else 0
            )
            click.echo(f"  导入 {dataset.relative_to(data)}：{changed} 个节点新增或更新")
        current = graph_status(store)
        settings = load_settings()
        criteria = load_criteria()
        ranking = rank_towns(store, settings, criteria)
        rank_of = {row.town_id: row for row in ranking}
        detailed = []  # towns with firm data: tables, lists and report
        summary = []
        maps: list[Path] = []
        files: list[Path] = []
        for town in current.towns:
            gap_report = find_gaps(store, town["town_id"], settings.gaps)
            write_gaps(store, gap_report)
            evaluation = evaluate(store, town["town_id"], settings, criteria)
            verdict = {True: "达标", False: "未达标", None: "数据不全"}[evaluation.passed]
            summary.append(
                {
                    "town_id": town["town_id"],
                    "name": town["name"],
                    "links": len(gap_report.links),
                    "completeness": f"{gap_report.completeness:.0%}"
                    if gap_report.links
                    else "无模板",
                    "firms": town["firms"],
                    "evaluation": f"{evaluation.level}：{verdict}",
                    "rank": rank_of[town["town_id"]].rank,
                }
            )
            if gap_report.links:
                maps.append(
                    town_map(
                        store, town["town_id"], settings, out / "maps" / f"{town['town_id']}.html"
                    )
                )
            if town["firms"]:
                targets = find_targets(
                    store, town["town_id"], settings, filters=TargetFilters(top=10)
                )
                detailed.append((gap_report, targets, evaluation))
                files.extend(_town_files(store, town, settings, out, ranking))
        maps.append(overview_map(store, None, settings, out / "maps" / "全部专业镇总览.html"))
        files.append(
            write_xlsx(
                out / "lists" / "专业镇年度排名.xlsx",
                [Sheet("专业镇年度排名", RANK_COLUMNS, rank_rows(ranking))],
            )
        )
    finally:
        store.close()
    click.echo("")
    echo_rows(current.rows(), [("name", "类别"), ("count", "数量")], "table")
    click.echo("")
    echo_rows(
        summary,
        [
            ("town_id", "镇编号"),
            ("name", "镇名称"),
            ("links", "链环节"),
            ("completeness", "完整度"),
            ("firms", "本镇企业"),
            ("evaluation", "认定评价"),
            ("rank", "年度排名"),
        ],
        "table",
    )
    for gap_report, target_report, evaluation in detailed:
        click.echo("")
        echo_gaps(gap_report, "table")
        click.echo("")
        echo_targets(target_report, "table")
        click.echo("")
        year = f"{evaluation.year} 年" if evaluation.year else "年份未知"
        click.echo(f"{evaluation.town_id} 对照{evaluation.level}认定标准（{year}）：")
        for criterion in evaluation.criteria:
            state = MET_ZH[criterion.met]
            detail = "" if criterion.note == state else f"（{criterion.note}）"
            click.echo(f"  {criterion.name}：{state}{detail}")
    click.echo("")
    for path in maps:
        click.echo(f"招商图谱：{path}")
    for path in files:
        click.echo(f"清单与报告：{path}")

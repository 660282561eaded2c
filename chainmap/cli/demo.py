"""`chainmap demo`: build a database from the bundled data and run everything chainmap does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from chainmap.analysis.evaluation import MET_ZH
from chainmap.analysis.targets import TargetFilters
from chainmap.cli._formats import echo_gaps, echo_targets
from chainmap.cli._options import config_option, criteria_option
from chainmap.cli._output import echo_rows
from chainmap.render.index_page import write_index
from chainmap.render.lists import rank_sheet, write_xlsx
from chainmap.resources import bundled_datasets, resource_dir
from chainmap.workspace import Town, Workspace


def _town_files(town: Town, out: Path, ranking: list[Any]) -> list[Path]:
    """The 招商引资清单, 重大项目清单 and town report of one bundled town."""
    name = town.name
    targets, _ = town.target_list(
        out / "lists" / f"{name}-招商引资清单.xlsx", filters=TargetFilters(top=50)
    )
    projects, _ = town.project_list(out / "lists" / f"{name}-重大项目清单.xlsx")
    report = town.report(out / "reports" / f"{name}-招商工作报告.html", ranking=ranking)
    word = town.report(out / "reports" / f"{name}-招商工作报告.docx", ranking=ranking, fmt="docx")
    return [targets, projects, report, word]


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("chainmap-demo"),
    show_default=True,
    help="输出文件夹：数据库和生成的文件都放在这里。",
)
@config_option
@criteria_option
def demo(out: Path, config: Path | None, criteria: Path | None) -> None:
    """用自带数据建库并演示全部功能：导入、缺口、目标、图谱、清单和报告。

    自带数据为交城硝基复合肥专业镇等。

    始终使用本地嵌入式数据库（OUT/db），不需要任何服务器。示例企业名称以“示例”开头，
    均为虚构；真实企业只记录公开报道所载信息。
    """
    with Workspace.open(
        out / "db", config=config, criteria=criteria, create=True, backend="ladybug"
    ) as ws:
        click.echo(f"演示数据库：{ws.store.location}")
        data = resource_dir("data")
        for dataset in bundled_datasets():
            changes = ws.import_dataset(dataset).changes
            changed = (
                sum(changes.created.values()) + sum(changes.updated.values()) if changes else 0
            )
            click.echo(f"  导入 {dataset.relative_to(data)}：{changed} 个节点新增或更新")
        current = ws.status()
        ranking = ws.rank()
        rank_of = {row.town_id: row for row in ranking}
        detailed = []  # towns with firm data: tables, lists and report
        summary = []
        maps: list[Path] = []
        files: list[Path] = []
        for row in current.towns:
            town = ws.town(row["town_id"])
            town.write_gaps()
            evaluation = town.evaluate()
            verdict = {True: "达标", False: "未达标", None: "数据不全"}[evaluation.passed]
            summary.append(
                {
                    "town_id": town.id,
                    "name": town.name,
                    "links": len(town.gaps.links),
                    "completeness": f"{town.gaps.completeness:.0%}"
                    if town.gaps.links
                    else "无模板",
                    "firms": row["firms"],
                    "evaluation": f"{evaluation.level}：{verdict}",
                    "rank": rank_of[town.id].rank,
                }
            )
            if town.gaps.links:
                maps.append(town.map(out / "maps" / f"{town.id}.html"))
            if row["firms"]:
                detailed.append((town.gaps, town.targets(top=10), evaluation))
                files.extend(_town_files(town, out, ranking))
        maps.append(ws.overview_map(out / "maps" / "全部专业镇总览.html"))
        for _, paths in ws.notices(out / "notices"):
            files.extend(paths)
        files.append(
            write_xlsx(
                out / "lists" / "专业镇年度排名.xlsx",
                [rank_sheet(ranking)],
            )
        )
        counts = ws.status().rows()  # after the gaps were recorded, so 缺口环节 counts them
    click.echo("")
    echo_rows(counts, [("name", "类别"), ("count", "数量")], "table")
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
    index = write_index(out, maps, files)
    click.echo("")
    for path in maps:
        click.echo(f"招商图谱：{path}")
    for path in files:
        click.echo(f"清单与报告：{path}")
    db = out / "db"
    click.echo("")
    click.echo(f"全部输出的目录页：{index}（浏览器打开）")
    click.echo(
        f"下一步：演示数据库在 {db}。后续命令加 --db {db}，或先设置 export CHAINMAP_DB={db}，例如："
    )
    click.echo(f"  chainmap gaps 交城 --db {db}")
    click.echo(f"  chainmap targets 交城 --db {db} --preset 以商招商 --top 10")
    click.echo(f"  chainmap report 交城 --db {db} --format docx")
    click.echo(f"  chainmap follow list 交城 --db {db}")
    click.echo(f"  chainmap problem list --overdue --db {db}")

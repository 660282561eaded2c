"""`chainmap export targets|projects`: the 招商引资清单 and the 重大项目清单 as XLSX or CSV."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.analysis.targets import TargetFilters
from chainmap.cli._options import as_of_option, config_option, db_option, workspace

file_format = click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "csv"]),
    default="xlsx",
    show_default=True,
    help="xlsx（Excel 工作簿）或 csv（UTF-8 带 BOM）。",
)


@click.group("export")
def export() -> None:
    """导出清单：招商引资清单、重大项目清单（Excel 或 CSV）。"""


@export.command("targets")
@click.argument("town")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="输出文件。")
@file_format
@click.option(
    "--top", type=click.IntRange(min=1), default=50, show_default=True, help="列出多少家。"
)
@click.option(
    "--per-link",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="每个环节最多几家（0 不限）。",
)
@click.option("--preset", help="权重预设：补链优先、以商招商、龙头引育。")
@click.option("--owner", help="责任单位（填入每一行，如 县投资促进中心）。")
@db_option
@config_option
def export_targets(
    town: str,
    out: Path | None,
    fmt: str,
    top: int,
    per_link: int,
    preset: str | None,
    owner: str | None,
    db: Path | None,
    config: Path | None,
) -> None:
    """导出招商引资清单：目标企业、对应环节、招商方向、得分及构成、推荐理由、建议招商方式。"""
    with workspace(db, config) as ws:
        found = ws.town(town)
        path, count = found.target_list(
            out or Path(f"{found.name}-招商引资清单.{fmt}"),
            filters=TargetFilters(top=top, per_link=per_link),
            preset=preset,
            owner=owner,
            csv=fmt == "csv",
        )
    click.echo(f"已导出招商引资清单：{path}（{count} 家目标企业）")


@export.command("projects")
@click.argument("town", required=False)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="输出文件。")
@file_format
@as_of_option
@db_option
@config_option
def export_projects(
    town: str | None,
    out: Path | None,
    fmt: str,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
) -> None:
    """导出重大项目清单：每个项目一行（状态、日期、投资、环节、投资方、责任单位、预警），
    另附“汇总”和“分镇三个一批”两页（CSV 只含清单本身）。"""
    with workspace(db, config) as ws:
        found = ws.town(town) if town else None
        name = found.name if found else "全部专业镇"
        path, count = ws.project_list(
            out or Path(f"{name}-重大项目清单.{fmt}"), town=found, as_of=as_of, csv=fmt == "csv"
        )
    click.echo(f"已导出重大项目清单：{path}（{count} 个项目）")

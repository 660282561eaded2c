"""`chainmap report TOWN`: the town report as one offline, printable HTML file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.cli._options import (
    as_of_option,
    config_option,
    criteria_option,
    db_option,
    workspace,
)


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
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "docx"]),
    default="html",
    show_default=True,
    help="html：离线网页（可打印）；docx：Word 文档（可编辑）。",
)
@as_of_option
@db_option
@config_option
@criteria_option
def report(
    town: str,
    out: Path | None,
    top: int,
    fmt: str,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
    criteria: Path | None,
) -> None:
    """生成专业镇招商工作报告（离线网页或 Word 文档，可打印）。

    基本情况、链条完整度与缺口、重点目标、三个一批项目与预警、认定标准对照与年度排名、
    产业链图、数据说明。"""
    with workspace(db, config, criteria) as ws:
        found = ws.town(town)
        path = found.report(
            out or Path(f"{found.name}-招商工作报告.{fmt}"), top=top, as_of=as_of, fmt=fmt
        )
    how = "用 Word 或 WPS 打开、编辑" if fmt == "docx" else "浏览器打开即可，打印时为 A4 横向"
    click.echo(f"已生成报告：{path}（{how}）")

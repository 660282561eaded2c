"""`chainmap notices`: 督办通知书 for the towns the annual ranking supervises."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.cli._options import as_of_option, config_option, criteria_option, db_option, workspace


@click.command("notices")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("督办通知书"),
    show_default=True,
    help="输出文件夹。",
)
@click.option("--year", type=int, help="排名年份（默认各镇最近一年的指标）。")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["both", "html", "docx"]),
    default="both",
    show_default=True,
    help="网页（可打印）、Word 文档，或两者。",
)
@as_of_option
@db_option
@config_option
@criteria_option
def notices_command(
    out_dir: Path,
    year: int | None,
    fmt: str,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
    criteria: Path | None,
) -> None:
    """为年度排名中列为督办的专业镇生成督办通知书：督办事由、逾期问题、逾期任务、滞后项目和整改期限。"""
    formats = ("html", "docx") if fmt == "both" else (fmt,)
    with workspace(db, config, criteria) as ws:
        written = ws.notices(out_dir, year=year, as_of=as_of, formats=formats)
    if not written:
        click.echo("本次排名没有列为督办的专业镇，未生成通知书。")
        return
    for notice, paths in written:
        click.echo(
            f"{notice.town['name']}：逾期问题 {len(notice.problems)} 项、逾期任务 "
            f"{len(notice.tasks)} 项、滞后项目 {len(notice.projects)} 个、逾期跟进 "
            f"{len(notice.leads)} 家 → " + "，".join(str(p) for p in paths)
        )

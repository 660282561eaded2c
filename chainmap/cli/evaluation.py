"""`chainmap evaluate` and `chainmap rank`: recognition criteria and the annual ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.analysis.evaluation import MET_ZH
from chainmap.cli._options import (
    as_of_option,
    config_option,
    criteria_option,
    db_option,
    format_option,
    workspace,
)
from chainmap.cli._output import echo_rows, to_json
from chainmap.render.lists import rank_rows, rank_sheet, write_csv, write_xlsx


@click.command("evaluate")
@click.argument("town")
@click.option("--level", help="对照哪一级标准（县级/市级/省级，默认镇现有级别）。")
@click.option("--year", type=int, help="评价年份（默认最近一年的指标）。")
@as_of_option
@db_option
@config_option
@criteria_option
@format_option
def evaluate_command(
    town: str,
    level: str | None,
    year: int | None,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
    criteria: Path | None,
    fmt: str,
) -> None:
    """对照认定标准逐条评价专业镇：是否达标、实际值与门槛，以及晋升上一级还缺什么。"""
    with workspace(db, config, criteria) as ws:
        result = ws.town(town).evaluate(level=level, year=year, as_of=as_of)
    if fmt == "json":
        click.echo(to_json(result.as_dict()))
        return
    verdict = {True: "全部必备条件达标", False: "有必备条件未达标", None: "部分条件数据缺失"}[
        result.passed
    ]
    click.echo(f"{result.town_id} · {result.level}标准 · {result.year or '年份未知'} 年：{verdict}")
    click.echo(f"标准来源：{result.source}")
    rows = [
        {**c.__dict__, "state": MET_ZH[c.met] if c.required else f"{MET_ZH[c.met]}（优先项）"}
        for c in result.criteria
    ]
    echo_rows(rows, [("name", "条件"), ("state", "结果"), ("note", "说明")], fmt)
    if result.missing_for_next_level:
        click.echo(
            "晋升上一级还需：\n" + "\n".join(f"  - {m}" for m in result.missing_for_next_level)
        )


@click.command("rank")
@click.option("--year", type=int, help="排名年份（默认各镇最近一年的指标）。")
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="另存为 .xlsx 或 .csv 文件。"
)
@as_of_option
@db_option
@config_option
@criteria_option
@format_option
def rank_command(
    year: int | None,
    out: Path | None,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
    criteria: Path | None,
    fmt: str,
) -> None:
    """专业镇年度排名：产值及增长、市场主体、链条完整度、投产项目、龙头企业，表扬与督办。

    各项：产值及增长、市场主体及增长（倍增）、链条完整度、当年投产项目、龙头企业；前几名表扬，
    后几名和有预警项目的镇督办，均附理由。同分时依次比产值、镇编号。"""
    with workspace(db, config, criteria) as ws:
        rows = ws.rank(year=year, as_of=as_of)
    flat = rank_rows(rows)
    if out:
        sheet = rank_sheet(rows)
        path = write_xlsx(out, [sheet]) if out.suffix.lower() == ".xlsx" else write_csv(out, sheet)
        click.echo(f"已导出排名：{path}")
        return
    if fmt == "json":
        click.echo(to_json([r.as_dict() for r in rows]))
        return
    echo_rows(
        flat,
        [
            ("rank", "名次"),
            ("town_name", "专业镇"),
            ("score", "得分"),
            ("mark", "表扬/督办"),
            ("reasons_text", "理由"),
            ("notes_text", "数据说明"),
        ],
        fmt,
    )

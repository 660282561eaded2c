"""`chainmap evaluate` and `chainmap rank`: recognition criteria and the annual ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from chainmap.analysis.evaluation import (
    MET_ZH,
    RANK_ZH,
    RankRow,
    evaluate,
    load_criteria,
    rank_towns,
)
from chainmap.cli._options import as_of_option
from chainmap.cli._output import echo_rows, format_option, to_json
from chainmap.cli._store import db_option, store_for
from chainmap.cli.analysis import config_option
from chainmap.config import load_settings
from chainmap.render.lists import Column, Sheet, write_csv, write_xlsx

criteria_option = click.option(
    "--criteria",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="认定标准文件（TOML，默认 data/config/criteria.toml）。",
)


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
    settings = load_settings(config)
    with store_for(db, create=False) as store:
        result = evaluate(
            store,
            town,
            settings,
            load_criteria(criteria),
            level=level,
            year=year,
            as_of=as_of,
        )
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


RANK_COLUMNS = (
    Column("rank", "名次", 6),
    Column("town_name", "专业镇", 24),
    Column("score", "综合得分", 10),
    *(Column(key, title, 12) for key, title in RANK_ZH.items()),
    Column("mark", "表扬/督办", 12),
    Column("reasons_text", "理由", 50, wrap=True),
    Column("notes_text", "数据说明", 30, wrap=True),
)


def rank_rows(ranking: list[RankRow]) -> list[dict[str, Any]]:
    """Ranking rows flattened for tables and files (components as columns, reasons joined)."""
    return [
        {
            **r.as_dict(),
            **r.components,
            "reasons_text": "；".join(r.reasons),
            "notes_text": "；".join(r.notes),
        }
        for r in ranking
    ]


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
    """专业镇年度排名：产值及增长、市场主体及增长（倍增）、链条完整度、当年投产项目、龙头企业；
    前几名表扬，后几名和有预警项目的镇督办，均附理由。同分时依次比产值、镇编号。"""
    settings = load_settings(config)
    with store_for(db, create=False) as store:
        rows = rank_towns(
            store,
            settings,
            load_criteria(criteria),
            year=year,
            as_of=as_of,
        )
    flat = [
        {
            **r.as_dict(),
            **r.components,
            "reasons_text": "；".join(r.reasons),
            "notes_text": "；".join(r.notes),
        }
        for r in rows
    ]
    if out:
        sheet = Sheet("专业镇年度排名", RANK_COLUMNS, flat)
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

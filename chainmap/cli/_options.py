"""Option types and options shared by several commands, each with one default."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from chainmap.cli._output import FORMATS
from chainmap.model import parse_date
from chainmap.workspace import Workspace


class DayType(click.ParamType):
    """A calendar day, read by the same parser as dates in imported files."""

    name = "日期"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as exc:
            self.fail(f"{value}：{exc}", param, ctx)


DAY = DayType()

as_of_option = click.option(
    "--as-of",
    type=DAY,
    default=None,
    help="按哪一天计算预警天数（默认今天），如 2026-06-30 或 2026年6月30日。",
)

db_option = click.option(
    "--db",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="CHAINMAP_DB",
    default=None,
    help="嵌入式数据库文件夹（环境变量 CHAINMAP_DB；默认 ./chainmap-db）。"
    "设置 CHAINMAP_NEO4J_URI 时改用 Neo4j。",
)

config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    envvar="CHAINMAP_CONFIG",
    help="配置文件（TOML，覆盖自带的 data/config/chainmap.toml 中的阈值和权重）。",
)

criteria_option = click.option(
    "--criteria",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="认定标准文件（TOML，默认 data/config/criteria.toml）。",
)

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="table",
    show_default=True,
    help="输出格式：table（表格）、json、csv。",
)


def workspace(
    db: Path | None, config: Path | None = None, criteria: Path | None = None
) -> Workspace:
    """The workspace a command works in (an existing store; nothing is created by reading)."""
    return Workspace.open(db, config=config, criteria=criteria, create=False)

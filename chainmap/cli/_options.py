"""Option types and options shared by several commands, each with one default."""

from __future__ import annotations

import datetime as dt
from typing import Any

import click

from chainmap.model import parse_date


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

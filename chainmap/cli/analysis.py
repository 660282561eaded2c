"""Commands that analyse a town's chain: gaps and targets."""

from __future__ import annotations

from pathlib import Path

import click

from chainmap.analysis.targets import REGION_CHOICES, TargetFilters
from chainmap.cli._formats import echo_gaps, echo_targets
from chainmap.cli._options import config_option, db_option, format_option, workspace
from chainmap.config import COMPONENTS
from chainmap.errors import InvalidInput
from chainmap.model import BADGES, STAGES


@click.command()
@click.argument("town")
@db_option
@config_option
@format_option
def gaps(town: str, db: Path | None, config: Path | None, fmt: str) -> None:
    """列出专业镇主导产业链各环节的强、弱、缺和招商方向（补链/延链/强链）。

    TOWN 为镇编号或镇名称。结果同时写入图谱：(:Town)-[:GAP]->(:Link)。
    """
    with workspace(db, config) as ws:
        found = ws.town(town)
        found.write_gaps()
    echo_gaps(found.gaps, fmt)


def _weights(values: tuple[str, ...]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            raise InvalidInput(f"--weight 应写成 名称=数值，如 ties=30：{value}") from None
    return overrides


@click.command()
@click.argument("town")
@db_option
@config_option
@format_option
@click.option("--preset", help="权重预设：补链优先、以商招商、龙头引育（或配置文件中的其他预设）。")
@click.option(
    "--weight",
    "weights",
    multiple=True,
    metavar="名称=数值",
    help=f"覆盖某项权重（{'/'.join(COMPONENTS)}），各项之和须为 100。可重复。",
)
@click.option("--link", "links", multiple=True, help="只看这些环节（编号或名称）。可重复。")
@click.option(
    "--stage", "stages", multiple=True, type=click.Choice(STAGES), help="只看上游/中游/下游。"
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    type=click.Choice(["补链", "延链", "强链"]),
    help="只看某类招商方向。",
)
@click.option("--province", "provinces", multiple=True, help="只看这些省份的企业。可重复。")
@click.option(
    "--region",
    "regions",
    multiple=True,
    type=click.Choice(REGION_CHOICES),
    help="只看这些地区的企业。可重复。",
)
@click.option("--min-revenue", type=float, help="营业收入下限（万元）。")
@click.option("--badge", type=click.Choice(BADGES), help="只看有此称号的企业。")
@click.option("--top", type=click.IntRange(min=1), help="共列出多少家（默认见配置，20）。")
@click.option("--per-link", type=click.IntRange(min=0), help="每个环节最多几家（0 不限；默认 5）。")
@click.option("--include-pipeline", is_flag=True, help="包含已在项目清单中（未投产）的投资方。")
@click.option("--include-dropped", is_flag=True, help="包含跟进状态为“放弃”的企业。")
def targets(
    town: str,
    db: Path | None,
    config: Path | None,
    fmt: str,
    preset: str | None,
    weights: tuple[str, ...],
    links: tuple[str, ...],
    stages: tuple[str, ...],
    kinds: tuple[str, ...],
    provinces: tuple[str, ...],
    regions: tuple[str, ...],
    min_revenue: float | None,
    badge: str | None,
    top: int | None,
    per_link: int | None,
    include_pipeline: bool,
    include_dropped: bool,
) -> None:
    """为专业镇的缺链、弱链排出镇外目标企业，给出 0–100 分、得分构成和推荐理由。"""
    filters = TargetFilters(
        links=links,
        stages=stages,
        kinds=kinds,
        provinces=provinces,
        regions=regions,
        min_revenue_wan=min_revenue,
        badge=badge,
        top=top,
        per_link=per_link,
        include_pipeline=include_pipeline,
        include_dropped=include_dropped,
    )
    with workspace(db, config) as ws:
        report = ws.town(town).targets(filters, preset=preset, weights=_weights(weights))
    echo_targets(report, fmt)

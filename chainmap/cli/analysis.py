"""Commands that analyse a town's chain: gaps and targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from chainmap.analysis.gaps import STATUS_ZH, GapReport, find_gaps, write_gaps
from chainmap.analysis.targets import REGION_CHOICES, TargetFilters, TargetReport, find_targets
from chainmap.cli._output import echo_rows, format_option
from chainmap.cli._store import db_option, store_for
from chainmap.config import COMPONENT_ZH, COMPONENTS, load_settings
from chainmap.errors import ChainmapError
from chainmap.model import BADGES, STAGES

config_option = click.option(
    "--config",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    envvar="CHAINMAP_CONFIG",
    help="配置文件（TOML，覆盖自带的 data/config/chainmap.toml 中的阈值和权重）。",
)

GAP_COLUMNS = [
    ("stage", "位置"),
    ("link_name", "环节"),
    ("status_zh", "状态"),
    ("gap_kind", "招商方向"),
    ("local_firms", "本地企业"),
    ("leading_firms", "龙头企业"),
    ("store_firms", "库内企业"),
    ("store_share_pct", "库内占比%"),
    ("location_quotient", "区位熵"),
    ("leading_names", "本地龙头"),
]


def gap_rows(report: GapReport) -> list[dict[str, Any]]:
    """One object per link: the contract's keys first, then context."""
    rows = []
    for link in report.links:
        row = link.as_dict()
        rows.append(
            {
                "link_id": row.pop("link_id"),
                "link_name": row.pop("link_name"),
                "stage": row.pop("stage"),
                "status": row.pop("status"),
                "gap_kind": row.pop("gap_kind"),
                "local_firms": row.pop("local_firms"),
                "leading_firms": row.pop("leading_firms"),
                **row,
                "town_id": report.town["id"],
                "chain_id": report.chain["id"],
                "completeness": report.completeness,
            }
        )
    return rows


def gap_headline(report: GapReport) -> str:
    counts = report.counts()
    return (
        f"{report.town['name']} · {report.chain['name']}：链条完整度 {report.completeness:.1%}"
        f"（强 {counts['strong']}、弱 {counts['weak']}、缺 {counts['missing']}，按环节权重计）"
    )


def echo_gaps(report: GapReport, fmt: str) -> None:
    rows = gap_rows(report)
    if fmt == "table":
        click.echo(gap_headline(report))
        for row in rows:
            row["status_zh"] = STATUS_ZH[row["status"]]
            row["store_share_pct"] = (
                round(row["store_share"] * 100, 1) if row["store_share"] is not None else None
            )
            row["leading_names"] = "、".join(row["leading_firm_names"])
        echo_rows(rows, GAP_COLUMNS, fmt)
    else:
        echo_rows(rows, [(key, key) for key in rows[0]] if rows else [], fmt)


TARGET_TABLE = [
    ("rank", "排名"),
    ("firm_name", "目标企业"),
    ("place", "所在地区"),
    ("link_name", "对应环节"),
    ("gap_kind", "方向"),
    ("score", "得分"),
    ("reasons_text", "推荐理由"),
]
TARGET_CSV = [
    ("rank", "rank"),
    ("firm_id", "firm_id"),
    ("firm_name", "firm_name"),
    ("province", "province"),
    ("city", "city"),
    ("link_id", "link_id"),
    ("link_name", "link_name"),
    ("stage", "stage"),
    ("gap_kind", "gap_kind"),
    ("score", "score"),
    *[(f"points_{c}", f"points_{c}") for c in COMPONENTS],
    ("reasons_text", "reasons"),
]


def target_rows(report: TargetReport) -> list[dict[str, Any]]:
    return [target.as_dict() for target in report.targets]


def echo_targets(report: TargetReport, fmt: str, *, headline: bool = True) -> None:
    rows = target_rows(report)
    if fmt == "json":
        echo_rows(rows, [], fmt)
        return
    for row in rows:
        city = row["city"] if row["city"] and row["city"] != row["province"] else ""
        row["place"] = f"{row['province']} {city}".strip()
        row["reasons_text"] = "；".join(row["reasons"])
        for component in COMPONENTS:
            row[f"points_{component}"] = row["components"][component]
    if fmt == "csv":
        echo_rows(rows, TARGET_CSV, fmt)
        return
    if headline:
        weights = "、".join(f"{COMPONENT_ZH[c]} {getattr(report.weights, c):g}" for c in COMPONENTS)
        click.echo(f"{report.gaps.town['name']} 招商目标（预设：{report.preset}；权重：{weights}）")
        if report.excluded_pipeline:
            click.echo(
                f"已排除在谈/签约/开工项目的投资方 {len(report.excluded_pipeline)} 家"
                "（--include-pipeline 可包含）"
            )
    if not rows:
        click.echo("没有符合条件的目标企业。")
        return
    echo_rows(rows, TARGET_TABLE, fmt)


@click.command()
@click.argument("town")
@db_option
@config_option
@format_option
def gaps(town: str, db: Path | None, config: Path | None, fmt: str) -> None:
    """列出专业镇主导产业链各环节的强、弱、缺和招商方向（补链/延链/强链）。

    TOWN 为镇编号或镇名称。结果同时写入图谱：(:Town)-[:GAP]->(:Link)。
    """
    settings = load_settings(config)
    with store_for(db, create=False) as store:
        report = find_gaps(store, town, settings.gaps)
        write_gaps(store, report)
    echo_gaps(report, fmt)


def _weights(values: tuple[str, ...]) -> dict[str, float]:
    overrides: dict[str, float] = {}
    for value in values:
        name, _, number = value.partition("=")
        try:
            overrides[name.strip()] = float(number)
        except ValueError:
            raise ChainmapError(f"--weight 应写成 名称=数值，如 ties=30：{value}") from None
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
) -> None:
    """为专业镇的缺链、弱链排出镇外目标企业，给出 0–100 分、得分构成和推荐理由。"""
    settings = load_settings(config)
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
    )
    with store_for(db, create=False) as store:
        report = find_targets(
            store,
            town,
            settings,
            preset=preset,
            weight_overrides=_weights(weights),
            filters=filters,
        )
    echo_targets(report, fmt)

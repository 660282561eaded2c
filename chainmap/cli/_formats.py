"""How commands show analysis results: gap tables, target tables, the ranking (shared by the
commands and the demo, so that no command module imports another)."""

from __future__ import annotations

from typing import Any

import click

from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.targets import TargetReport
from chainmap.cli._output import echo_rows
from chainmap.config import COMPONENT_ZH, COMPONENTS

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
    ("follow_text", "跟进状态"),
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
    ("follow_status", "follow_status"),
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
        row["follow_text"] = row["follow_status"] + (
            f"（{row['follow_flag']}）" if row["follow_flag"] else ""
        )
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
        if report.excluded_dropped:
            click.echo(
                f"已排除跟进状态为放弃的企业 {len(report.excluded_dropped)} 家（--include-dropped 可包含）"
            )
    if not rows:
        click.echo("没有符合条件的目标企业。")
        return
    echo_rows(rows, TARGET_TABLE, fmt)

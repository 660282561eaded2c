"""`chainmap project add|update|list|show`: the major-project pipeline (三个一批)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from chainmap.analysis.pipeline import Project
from chainmap.cli._options import (
    DAY,
    as_of_option,
    config_option,
    db_option,
    format_option,
    workspace,
)
from chainmap.cli._output import echo_rows, to_json
from chainmap.model import PROJECT_STATUSES

PROJECT_COLUMNS = [
    ("project_id", "项目编号"),
    ("name", "项目名称"),
    ("town_name", "所在镇"),
    ("link_name", "对应环节"),
    ("investor", "投资方"),
    ("investment_wan", "总投资（万元）"),
    ("status", "状态"),
    ("last_date", "最近日期"),
    ("owner_unit", "责任单位"),
    ("flag_text", "预警"),
]


def _day(value: dt.date | None) -> dt.date:
    return value or dt.date.today()


def display_row(project: Project) -> dict[str, Any]:
    row = dict(project.row)
    row["investor"] = project.investor
    row["last_date"] = project.last_date()
    row["flags"] = [flag.text for flag in project.flags]
    row["flag_text"] = project.flag_text
    row["history"] = [{"status": s, "date": d} for s, d in project.history()]
    return row


@click.group("project")
def project() -> None:
    """重大项目清单（三个一批）：新增、推进、查看项目。"""


@project.command("add")
@click.option("--id", "project_id", help="项目编号（默认自动编号，如 XM-2026-001）。")
@click.option("--name", help="项目名称（用 --from-target 时默认为“企业名+环节名+项目”）。")
@click.option("--town", required=True, help="所在专业镇（编号或名称）。")
@click.option(
    "--from-target",
    "from_target",
    help="由目标企业转为项目（企业编号）：投资方、对应环节自动填好，状态为在谈，"
    "该企业的跟进状态同时改为在谈。",
)
@click.option("--link", help="对应环节编号。")
@click.option("--investor-firm", help="投资方企业编号（库中已有的企业）。")
@click.option("--investor-name", help="投资方名称。")
@click.option("--investment", type=float, help="总投资（万元）。")
@click.option("--status", type=click.Choice(PROJECT_STATUSES), default="在谈", show_default=True)
@click.option("--talks-on", help="在谈日期 YYYY-MM-DD（由谋划转入在谈）。")
@click.option("--signed-on", help="签约日期 YYYY-MM-DD。")
@click.option("--started-on", help="开工日期 YYYY-MM-DD。")
@click.option("--producing-on", help="投产日期 YYYY-MM-DD。")
@click.option("--owner", help="责任单位。")
@click.option("--notes", help="备注。")
@click.option("--referrer-firm", help="以企引企：引荐企业的企业编号。")
@click.option("--referrer", "referrer_name", help="引荐人（个人或企业名称）。")
@db_option
def add(
    project_id: str | None,
    name: str | None,
    town: str,
    from_target: str | None,
    link: str | None,
    investor_firm: str | None,
    investor_name: str | None,
    investment: float | None,
    status: str,
    talks_on: str | None,
    signed_on: str | None,
    started_on: str | None,
    producing_on: str | None,
    owner: str | None,
    notes: str | None,
    referrer_firm: str | None,
    referrer_name: str | None,
    db: Path | None,
) -> None:
    """新增一个项目（与导入同样校验，写入在一个事务中完成）。"""
    with workspace(db) as ws:
        row = {
            "project_id": project_id,
            "name": name,
            "town_id": town,
            "link_id": link,
            "investor_firm_id": investor_firm,
            "investor_name": investor_name,
            "investment_wan": investment,
            "status": status,
            "talks_on": talks_on,
            "signed_on": signed_on,
            "started_on": started_on,
            "producing_on": producing_on,
            "owner_unit": owner,
            "notes": notes,
            "referrer_firm_id": referrer_firm,
            "referrer_name": referrer_name,
        }
        new_id = ws.add_project(row, from_target=from_target)
        added = ws.project(new_id)
    click.echo(f"已新增项目 {new_id}：{added.row['name']}（{added.status}）")


@project.command("update")
@click.argument("project_id")
@click.option("--status", type=click.Choice(PROJECT_STATUSES), help="推进到的状态。")
@click.option("--date", "on", type=DAY, help="状态变更日期（默认今天）。")
@click.option("--investment", type=float, help="总投资（万元）。")
@click.option("--owner", help="责任单位。")
@click.option("--notes", help="备注。")
@db_option
@config_option
def update(
    project_id: str,
    status: str | None,
    on: dt.date | None,
    investment: float | None,
    owner: str | None,
    notes: str | None,
    db: Path | None,
    config: Path | None,
) -> None:
    """推进项目状态（在谈→签约→开工→投产→达效，或终止），记录每一步的日期。"""
    with workspace(db, config) as ws:
        current = ws.update_project(
            project_id,
            status=status,
            on=on,
            changes={"investment_wan": investment, "owner_unit": owner, "notes": notes},
        )
    click.echo(
        f"已更新项目 {project_id}"
        + (f"：{current.status} → {status}（{_day(on)}）" if status else "")
    )


@project.command("list")
@click.argument("town", required=False)
@click.option(
    "--status",
    "statuses",
    multiple=True,
    type=click.Choice(PROJECT_STATUSES),
    help="只看这些状态。",
)
@click.option("--flagged", is_flag=True, help="只看有预警的项目。")
@as_of_option
@db_option
@config_option
@format_option
def list_projects(
    town: str | None,
    statuses: tuple[str, ...],
    flagged: bool,
    as_of: dt.date | None,
    db: Path | None,
    config: Path | None,
    fmt: str,
) -> None:
    """列出项目及其预警（签约久未开工、开工久未投产）。"""
    with workspace(db, config) as ws:
        projects = ws.town(town).projects(as_of) if town else ws.projects(as_of=as_of)
    rows = [
        display_row(p)
        for p in projects
        if (not statuses or p.status in statuses) and (not flagged or p.flags)
    ]
    echo_rows(rows, PROJECT_COLUMNS, fmt)


@project.command("show")
@click.argument("project_id")
@as_of_option
@db_option
@config_option
@format_option
def show(
    project_id: str, as_of: dt.date | None, db: Path | None, config: Path | None, fmt: str
) -> None:
    """查看一个项目：基本信息、状态历程和预警。"""
    with workspace(db, config) as ws:
        row = display_row(ws.project(project_id, as_of=as_of))
    if fmt == "json":
        click.echo(to_json(row))
        return
    for key, heading in PROJECT_COLUMNS[:-1]:
        click.echo(f"{heading}：{'' if row.get(key) is None else row[key]}")
    click.echo(
        "状态历程："
        + (
            " → ".join(f"{h['status']} {h['date']}" for h in row["history"])
            or "在谈（尚无日期记录）"
        )
    )
    click.echo("预警：" + (row["flag_text"] or "无"))

"""`chainmap project add|update|list|show`: the major-project pipeline (三个一批)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import click

from chainmap.analysis.gaps import find_town
from chainmap.analysis.pipeline import Project, find_project, load_projects, move
from chainmap.cli._options import DAY, as_of_option
from chainmap.cli._output import echo_rows, format_option, to_json
from chainmap.cli._store import db_option, store_for
from chainmap.cli.analysis import config_option
from chainmap.config import load_settings
from chainmap.importer.load import import_rows
from chainmap.model import PROJECT_STATUSES, ProjectRow

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


def contract_row(project_row: dict[str, Any]) -> dict[str, Any]:
    """The stored project as a row of the projects table (extra columns restored)."""
    row = {column: project_row.get(column) for column in ProjectRow.columns()}
    if project_row.get("extra"):
        row.update(json.loads(project_row["extra"]))
    return row


@click.group("project")
def project() -> None:
    """重大项目清单（三个一批）：新增、推进、查看项目。"""


@project.command("add")
@click.option("--id", "project_id", required=True, help="项目编号。")
@click.option("--name", required=True, help="项目名称。")
@click.option("--town", required=True, help="所在专业镇（编号或名称）。")
@click.option("--link", help="对应环节编号。")
@click.option("--investor-firm", help="投资方企业编号（库中已有的企业）。")
@click.option("--investor-name", help="投资方名称。")
@click.option("--investment", type=float, help="总投资（万元）。")
@click.option("--status", type=click.Choice(PROJECT_STATUSES), default="在谈", show_default=True)
@click.option("--signed-on", help="签约日期 YYYY-MM-DD。")
@click.option("--started-on", help="开工日期 YYYY-MM-DD。")
@click.option("--producing-on", help="投产日期 YYYY-MM-DD。")
@click.option("--owner", help="责任单位。")
@click.option("--notes", help="备注。")
@db_option
def add(
    project_id: str,
    name: str,
    town: str,
    link: str | None,
    investor_firm: str | None,
    investor_name: str | None,
    investment: float | None,
    status: str,
    signed_on: str | None,
    started_on: str | None,
    producing_on: str | None,
    owner: str | None,
    notes: str | None,
    db: Path | None,
) -> None:
    """新增一个项目（与导入同样校验，写入在一个事务中完成）。"""
    with store_for(db, create=False) as store:
        if store.query("nodes_fetch", {"ids": [project_id]}, label="Project"):
            raise click.ClickException(
                f"项目编号已存在：{project_id}（用 chainmap project update 推进）"
            )
        town_row = find_town(store, town)
        row = {
            "project_id": project_id,
            "name": name,
            "town_id": town_row["id"],
            "link_id": link,
            "investor_firm_id": investor_firm,
            "investor_name": investor_name,
            "investment_wan": investment,
            "status": status,
            "signed_on": signed_on,
            "started_on": started_on,
            "producing_on": producing_on,
            "owner_unit": owner,
            "notes": notes,
        }
        import_rows(store, {"projects": [row]}, "chainmap project add")
    click.echo(f"已新增项目 {project_id}：{name}（{status}）")


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
    settings = load_settings(config)
    today = dt.date.today()
    with store_for(db, create=False) as store:
        current = find_project(store, project_id, settings.projects, today)
        row = move(current, status, _day(on), today) if status else dict(current.row)
        row = contract_row(row)
        for column, value in (
            ("investment_wan", investment),
            ("owner_unit", owner),
            ("notes", notes),
        ):
            if value is not None:
                row[column] = value
        import_rows(store, {"projects": [row]}, "chainmap project update")
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
    settings = load_settings(config)
    with store_for(db, create=False) as store:
        town_id = find_town(store, town)["id"] if town else None
        projects = load_projects(store, town_id, settings.projects, _day(as_of))
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
    settings = load_settings(config)
    with store_for(db, create=False) as store:
        row = display_row(find_project(store, project_id, settings.projects, _day(as_of)))
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

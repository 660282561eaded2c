"""After the target: `chainmap follow`, `chainmap problem` and `chainmap task`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from chainmap.cli._options import DAY, as_of_option, db_option, format_option, workspace
from chainmap.cli._output import echo_rows, to_json
from chainmap.errors import NotFound
from chainmap.model import FOLLOW_UP_WAYS, LEAD_STATUSES, PROBLEM_STATUSES, TASK_STATUSES

LEAD_COLUMNS = [
    ("firm_name", "目标企业"),
    ("firm_id", "企业编号"),
    ("link_name", "对应环节"),
    ("status", "跟进状态"),
    ("status_on", "状态日期"),
    ("follow_ups", "跟进次数"),
    ("last_followed_on", "最近跟进"),
    ("next_step", "下一步"),
    ("next_on", "下一步日期"),
    ("owner_unit", "责任单位"),
    ("flag_text", "预警"),
]
FOLLOW_UP_COLUMNS = [
    ("followed_on", "跟进日期"),
    ("way", "方式"),
    ("contact", "对方联系人"),
    ("result", "结果"),
    ("next_step", "下一步"),
    ("next_on", "下一步日期"),
    ("owner_unit", "责任单位"),
]
PROBLEM_COLUMNS = [
    ("problem_id", "问题编号"),
    ("town_name", "专业镇"),
    ("description", "问题描述"),
    ("project_name", "涉及项目"),
    ("firm_name", "涉及企业"),
    ("raised_on", "提出日期"),
    ("owner_unit", "责任单位"),
    ("due_on", "办结时限"),
    ("status", "办理状态"),
    ("resolved_on", "解决日期"),
    ("flag_text", "预警"),
]
TASK_COLUMNS = [
    ("task_id", "任务编号"),
    ("town_name", "专业镇"),
    ("year", "年度"),
    ("item", "任务内容"),
    ("owner_unit", "责任单位"),
    ("due_on", "完成时限"),
    ("progress", "进展情况"),
    ("status", "任务状态"),
    ("done_on", "完成日期"),
    ("flag_text", "预警"),
]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


# --- follow -----------------------------------------------------------------------------------


@click.group("follow")
def follow() -> None:
    """目标企业跟进台账：记录对接、推进跟进状态、查看逾期的下一步。"""


@follow.command("add")
@click.argument("town")
@click.argument("firm")
@click.option("--date", "on", type=DAY, help="跟进日期（默认今天）。")
@click.option("--way", type=click.Choice(FOLLOW_UP_WAYS), required=True, help="跟进方式。")
@click.option("--contact", help="对方联系人及职务。")
@click.option("--result", help="跟进结果。")
@click.option("--next", "next_step", help="下一步安排。")
@click.option("--next-on", type=DAY, help="下一步日期（过期未跟进即预警）。")
@click.option("--owner", help="责任单位。")
@click.option(
    "--status",
    type=click.Choice(LEAD_STATUSES),
    help="跟进后的状态（逐步推进：待对接→已接洽→在谈→签约，或暂缓、放弃）。"
    "不填时，首次跟进使待对接变为已接洽。",
)
@db_option
def follow_add(
    town: str,
    firm: str,
    on: dt.date | None,
    way: str,
    contact: str | None,
    result: str | None,
    next_step: str | None,
    next_on: dt.date | None,
    owner: str | None,
    status: str | None,
    db: Path | None,
) -> None:
    """记录对一家目标企业的一次跟进（TOWN 镇编号或名称，FIRM 企业编号）。"""
    record = {
        "followed_on": _iso(on),
        "way": way,
        "contact": contact,
        "result": result,
        "next_step": next_step,
        "next_on": _iso(next_on),
        "owner_unit": owner,
    }
    with workspace(db) as ws:
        before, now = ws.add_follow_up(town, firm, record, status=status)
    was = before.status if before else "待对接"
    moved = f"，跟进状态：{was} → {now}" if now != was else f"，跟进状态：{now}"
    click.echo(f"已记录 {firm} 的跟进（{(on or dt.date.today()).isoformat()} {way}）{moved}")


@follow.command("list")
@click.argument("town", required=False)
@click.option("--status", "statuses", multiple=True, type=click.Choice(LEAD_STATUSES))
@click.option("--overdue", is_flag=True, help="只看下一步已逾期的。")
@as_of_option
@db_option
@format_option
def follow_list(
    town: str | None,
    statuses: tuple[str, ...],
    overdue: bool,
    as_of: dt.date | None,
    db: Path | None,
    fmt: str,
) -> None:
    """列出招商对象及其跟进状态、最近跟进和下一步（逾期的标出）。"""
    with workspace(db) as ws:
        leads = ws.town(town).leads(as_of) if town else ws.leads(as_of=as_of)
    rows = [
        lead.as_dict()
        for lead in leads
        if (not statuses or lead.status in statuses) and (not overdue or lead.overdue_days)
    ]
    echo_rows(rows, LEAD_COLUMNS, fmt)


@follow.command("show")
@click.argument("town")
@click.argument("firm")
@as_of_option
@db_option
@format_option
def follow_show(town: str, firm: str, as_of: dt.date | None, db: Path | None, fmt: str) -> None:
    """查看一家目标企业的跟进状态和全部跟进记录。"""
    with workspace(db) as ws:
        lead = next((x for x in ws.town(town).leads(as_of) if x.firm_id == firm), None)
    if lead is None:
        raise NotFound(
            f"{town} 没有企业 {firm} 的跟进记录", hint="chainmap follow list 查看全部招商对象"
        )
    if fmt == "json":
        click.echo(to_json({**lead.as_dict(), "records": lead.follow_ups}))
        return
    summary = lead.as_dict()
    for key, heading in LEAD_COLUMNS[:-1]:
        click.echo(f"{heading}：{'' if summary.get(key) is None else summary[key]}")
    click.echo("预警：" + (lead.flag_text or "无"))
    click.echo("跟进记录：")
    echo_rows(lead.follow_ups, FOLLOW_UP_COLUMNS, "table")


# --- problem ----------------------------------------------------------------------------------


@click.group("problem")
def problem() -> None:
    """问题台账：登记问题、办结销号、查看逾期未解决的问题。"""


@problem.command("add")
@click.argument("town")
@click.option("--description", required=True, help="问题描述。")
@click.option("--id", "problem_id", help="问题编号（默认自动编号，如 WT-2026-001）。")
@click.option("--project", help="涉及的项目编号。")
@click.option("--firm", help="涉及的企业编号。")
@click.option("--raised-on", type=DAY, help="提出日期（默认今天）。")
@click.option("--owner", help="责任单位。")
@click.option("--due", type=DAY, help="办结时限。")
@click.option("--notes", help="备注。")
@db_option
def problem_add(
    town: str,
    description: str,
    problem_id: str | None,
    project: str | None,
    firm: str | None,
    raised_on: dt.date | None,
    owner: str | None,
    due: dt.date | None,
    notes: str | None,
    db: Path | None,
) -> None:
    """登记一个问题（与导入同样校验）。"""
    with workspace(db) as ws:
        new_id = ws.add_problem(
            {
                "problem_id": problem_id,
                "town_id": town,
                "project_id": project,
                "firm_id": firm,
                "raised_on": _iso(raised_on),
                "description": description,
                "owner_unit": owner,
                "due_on": _iso(due),
                "notes": notes,
            }
        )
    click.echo(f"已登记问题 {new_id}：{description}")


@problem.command("close")
@click.argument("problem_id")
@click.option("--date", "on", type=DAY, help="解决日期（默认今天）。")
@click.option("--notes", help="办理情况。")
@db_option
def problem_close(problem_id: str, on: dt.date | None, notes: str | None, db: Path | None) -> None:
    """问题办结销号：状态改为已解决，记下解决日期。"""
    with workspace(db) as ws:
        ws.close_problem(problem_id, on=on, notes=notes)
    click.echo(f"问题 {problem_id} 已解决（{(on or dt.date.today()).isoformat()}）")


@problem.command("list")
@click.argument("town", required=False)
@click.option("--status", "statuses", multiple=True, type=click.Choice(PROBLEM_STATUSES))
@click.option("--overdue", is_flag=True, help="只看超过办结时限仍未解决的。")
@as_of_option
@db_option
@format_option
def problem_list(
    town: str | None,
    statuses: tuple[str, ...],
    overdue: bool,
    as_of: dt.date | None,
    db: Path | None,
    fmt: str,
) -> None:
    """列出问题台账（逾期未解决的标出天数）。"""
    with workspace(db) as ws:
        entries = ws.town(town).problems(as_of) if town else ws.problems(as_of=as_of)
    rows = [
        e.as_dict()
        for e in entries
        if (not statuses or e.row["status"] in statuses) and (not overdue or e.overdue_days)
    ]
    echo_rows(rows, PROBLEM_COLUMNS, fmt)


# --- task -------------------------------------------------------------------------------------


@click.group("task")
def task() -> None:
    """责任清单（年度行动计划）：新增任务、更新进展、查看逾期未完成的任务。"""


@task.command("add")
@click.argument("town")
@click.option("--item", required=True, help="任务内容。")
@click.option("--id", "task_id", help="任务编号（默认自动编号，如 RW-2026-001）。")
@click.option("--year", type=int, help="年度（默认今年）。")
@click.option("--owner", help="责任单位。")
@click.option("--due", type=DAY, help="完成时限。")
@click.option("--progress", help="进展情况。")
@db_option
def task_add(
    town: str,
    item: str,
    task_id: str | None,
    year: int | None,
    owner: str | None,
    due: dt.date | None,
    progress: str | None,
    db: Path | None,
) -> None:
    """新增一项任务（与导入同样校验）。"""
    with workspace(db) as ws:
        new_id = ws.add_task(
            {
                "task_id": task_id,
                "town_id": town,
                "year": year,
                "item": item,
                "owner_unit": owner,
                "due_on": _iso(due),
                "progress": progress,
            }
        )
    click.echo(f"已新增任务 {new_id}：{item}")


@task.command("update")
@click.argument("task_id")
@click.option("--status", type=click.Choice(TASK_STATUSES), help="任务状态。")
@click.option("--date", "on", type=DAY, help="完成日期（改为已完成时；默认今天）。")
@click.option("--progress", help="最新进展。")
@db_option
def task_update(
    task_id: str,
    status: str | None,
    on: dt.date | None,
    progress: str | None,
    db: Path | None,
) -> None:
    """更新任务进展或状态（已完成的任务不再变更）。"""
    with workspace(db) as ws:
        before = ws.update_task(task_id, status=status, on=on, progress=progress)
    moved = f"：{before.row['status']} → {status}" if status else ""
    click.echo(f"已更新任务 {task_id}{moved}")


@task.command("list")
@click.argument("town", required=False)
@click.option("--year", type=int, help="只看某年度。")
@click.option("--status", "statuses", multiple=True, type=click.Choice(TASK_STATUSES))
@click.option("--overdue", is_flag=True, help="只看超过完成时限仍未完成的。")
@as_of_option
@db_option
@format_option
def task_list(
    town: str | None,
    year: int | None,
    statuses: tuple[str, ...],
    overdue: bool,
    as_of: dt.date | None,
    db: Path | None,
    fmt: str,
) -> None:
    """列出责任清单（逾期未完成的标出天数）。"""
    with workspace(db) as ws:
        entries = ws.town(town).tasks(as_of, year) if town else ws.tasks(year=year, as_of=as_of)
    rows = [
        e.as_dict()
        for e in entries
        if (not statuses or e.row["status"] in statuses) and (not overdue or e.overdue_days)
    ]
    echo_rows(rows, TASK_COLUMNS, fmt)

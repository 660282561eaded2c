"""问题台账 and 责任清单: problems and tasks of a town, their closing and what is overdue.

A problem is overdue from the day after its 办结时限 until it is resolved; a task from the day
after its 完成时限 until it is done (both: exactly on the date is not overdue).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from chainmap.analysis.follow import overdue_days
from chainmap.errors import InvalidMove, RecordNotFound
from chainmap.model import PROBLEM_STATUSES, TASK_STATUSES, ProblemRow, TaskRow
from chainmap.store.base import GraphStore

PROBLEM_OPEN, PROBLEM_WORKING, PROBLEM_RESOLVED = PROBLEM_STATUSES
TASK_NOT_STARTED, TASK_WORKING, TASK_DONE = TASK_STATUSES


@dataclass
class Entry:
    """One problem or task as stored, with how many days it is overdue (0: not overdue)."""

    row: dict[str, Any]
    overdue_days: int = 0

    @property
    def id(self) -> str:
        return str(self.row.get("problem_id") or self.row.get("task_id"))

    @property
    def flag_text(self) -> str:
        return f"逾期 {self.overdue_days} 天" if self.overdue_days else ""

    def as_dict(self) -> dict[str, Any]:
        row = {k: v for k, v in self.row.items() if k != "extra"}
        return {**row, "overdue_days": self.overdue_days, "flag_text": self.flag_text}

    def contract_row(self, model: type[ProblemRow] | type[TaskRow]) -> dict[str, Any]:
        row = {column: self.row.get(column) for column in model.columns()}
        if self.row.get("extra"):
            row.update(json.loads(self.row["extra"]))
        return row


def load_problems(store: GraphStore, town_id: str | None, as_of: dt.date) -> list[Entry]:
    rows = store.query("problems_list", {"all_towns": town_id is None, "town": town_id or ""})
    entries = [
        Entry(row, 0 if row["status"] == PROBLEM_RESOLVED else overdue_days(row["due_on"], as_of))
        for row in rows
    ]
    return sorted(entries, key=lambda e: (e.row["town_id"], e.row["raised_on"], e.id))


def load_tasks(
    store: GraphStore, town_id: str | None, as_of: dt.date, year: int | None = None
) -> list[Entry]:
    rows = store.query("tasks_list", {"all_towns": town_id is None, "town": town_id or ""})
    entries = [
        Entry(row, 0 if row["status"] == TASK_DONE else overdue_days(row["due_on"], as_of))
        for row in rows
        if year is None or row["year"] == year
    ]
    return sorted(
        entries, key=lambda e: (e.row["town_id"], e.row["year"], e.row["due_on"] or "9999", e.id)
    )


def find_entry(entries: list[Entry], entry_id: str, what: str) -> Entry:
    for entry in entries:
        if entry.id == entry_id:
            return entry
    raise RecordNotFound(f"找不到{what}：{entry_id}")


def next_id(existing: list[str], prefix: str, year: int) -> str:
    """The next free id of the form PREFIX-YEAR-NNN (WT-2026-007)."""
    pattern = re.compile(rf"{re.escape(prefix)}-{year}-(\d+)")
    numbers = [int(m.group(1)) for i in existing if (m := pattern.fullmatch(i))]
    return f"{prefix}-{year}-{max(numbers, default=0) + 1:03d}"


def close_problem(problem: Entry, on: dt.date, today: dt.date) -> dict[str, Any]:
    """The problem's row once resolved on `on`."""
    if problem.row["status"] == PROBLEM_RESOLVED:
        raise InvalidMove(f"问题 {problem.id} 已于 {problem.row['resolved_on']} 解决")
    if on > today:
        raise InvalidMove(f"解决日期 {on.isoformat()} 晚于今天 {today.isoformat()}")
    if on.isoformat() < problem.row["raised_on"]:
        raise InvalidMove(
            f"解决日期 {on.isoformat()} 早于提出日期 {problem.row['raised_on']}，不合常理"
        )
    row = problem.contract_row(ProblemRow)
    return {**row, "status": PROBLEM_RESOLVED, "resolved_on": on.isoformat()}


def update_task(
    task: Entry, status: str | None, on: dt.date, today: dt.date, progress: str | None
) -> dict[str, Any]:
    """The task's row with new progress and/or status (a done task stays done)."""
    row = task.contract_row(TaskRow)
    current = row["status"]
    if status is not None and status != current:
        if current == TASK_DONE:
            raise InvalidMove(f"任务 {task.id} 已于 {row['done_on']} 完成，状态不能再变更")
        if TASK_STATUSES.index(status) < TASK_STATUSES.index(current):
            raise InvalidMove(f"任务 {task.id} 当前为{current}，不能退回{status}")
        row["status"] = status
        if status == TASK_DONE:
            if on > today:
                raise InvalidMove(f"完成日期 {on.isoformat()} 晚于今天 {today.isoformat()}")
            row["done_on"] = on.isoformat()
    if progress is not None:
        row["progress"] = progress
    return row

"""The major-project pipeline (重大项目清单, 三个一批): statuses, moves, history, flags, funds,
rewards and the summary.

A project's history is its dated steps: 在谈 talks_on, 签约 signed_on, 开工 started_on, 投产
producing_on, 达效 effective_on, 终止 terminated_on (谋划 — the 项目库 of pitched projects — is
where a project may start, undated; most start at 在谈). A move goes one step forward, or to 终止
from any open status; its date may not precede the last step's, nor be later than the day it is
recorded. Funds received (到位资金) are dated amounts; 到资率 is their sum over the investment.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from chainmap.config import ProjectRules, RewardRule
from chainmap.errors import InvalidInput, InvalidMove, ProjectNotFound
from chainmap.model import PROJECT_STATUSES, ProjectRow
from chainmap.store.base import GraphStore

PLANNED, TALKS, SIGNED, STARTED, PRODUCING, EFFECTIVE, TERMINATED = PROJECT_STATUSES
STEPS = (PLANNED, TALKS, SIGNED, STARTED, PRODUCING, EFFECTIVE)
DATE_OF = {
    TALKS: "talks_on",
    SIGNED: "signed_on",
    STARTED: "started_on",
    PRODUCING: "producing_on",
    EFFECTIVE: "effective_on",
    TERMINATED: "terminated_on",
}
# 三个一批: the batches signed, started and in production (达效 counts as in production).
BATCHES = {"签约一批": (SIGNED,), "开工一批": (STARTED,), "投产一批": (PRODUCING, EFFECTIVE)}


@dataclass(frozen=True)
class Flag:
    kind: str  # signed_not_started / started_not_producing / producing_not_effective
    days: int
    text: str


@dataclass(frozen=True)
class Reward:
    """以企引企 reward of one project under the county's rule."""

    basis_wan: float  # funds received
    computed_wan: float  # basis × rate, capped
    share: float  # by progress
    due_wan: float
    capped: bool
    text: str


@dataclass
class Project:
    row: dict[str, Any]
    flags: list[Flag] = field(default_factory=list)
    fundings: list[dict[str, Any]] = field(default_factory=list)  # (received_on, amount_wan)

    @property
    def id(self) -> str:
        return self.row["project_id"]

    @property
    def status(self) -> str:
        return self.row["status"]

    def history(self) -> list[tuple[str, str]]:
        """(status, ISO date) of every dated step, in date order."""
        steps = [
            (status, self.row[column]) for status, column in DATE_OF.items() if self.row.get(column)
        ]
        return sorted(steps, key=lambda step: (step[1], PROJECT_STATUSES.index(step[0])))

    @property
    def investor(self) -> str:
        return self.row.get("investor_firm_name") or self.row.get("investor_name") or ""

    @property
    def flag_text(self) -> str:
        return "；".join(flag.text for flag in self.flags)

    def last_date(self) -> str | None:
        history = self.history()
        return history[-1][1] if history else None

    @property
    def funds_wan(self) -> float:
        """到位资金: the sum of the funds received."""
        return float(sum(f["amount_wan"] for f in self.fundings))

    @property
    def funding_rate(self) -> float | None:
        """到资率: funds received over the planned investment (None without an investment)."""
        investment = self.row.get("investment_wan")
        return self.funds_wan / investment if investment else None

    @property
    def referrer(self) -> str:
        return self.row.get("referrer_firm_name") or self.row.get("referrer_name") or ""


def _days(since: str, as_of: dt.date) -> int:
    return (as_of - dt.date.fromisoformat(since)).days


def flags_of(row: dict[str, Any], rules: ProjectRules, as_of: dt.date) -> list[Flag]:
    """Stalled projects: signed but not started, or started but not producing, for too long."""
    flags = []
    if row["status"] == SIGNED and row.get("signed_on"):
        days = _days(row["signed_on"], as_of)
        if days > rules.signed_not_started_days:
            flags.append(Flag("signed_not_started", days, f"签约 {days} 天未开工"))
    if row["status"] == STARTED and row.get("started_on"):
        days = _days(row["started_on"], as_of)
        if days > rules.started_not_producing_days:
            flags.append(Flag("started_not_producing", days, f"开工 {days} 天未投产"))
    if row["status"] == PRODUCING and row.get("producing_on"):
        days = _days(row["producing_on"], as_of)
        if days > rules.producing_not_effective_days:
            flags.append(Flag("producing_not_effective", days, f"投产 {days} 天未达效"))
    return flags


def reward_of(project: Project, rule: RewardRule) -> Reward | None:
    """The reward for bringing in the project's investor (None when it has no referrer):
    funds received × rate, capped, times the share due at the project's progress."""
    if not project.referrer:
        return None
    basis = project.funds_wan
    computed = basis * rule.rate
    capped = rule.cap_wan is not None and computed > rule.cap_wan
    if capped:
        computed = float(rule.cap_wan or 0.0)
    share = 0.0
    if project.status != TERMINATED:
        reached = STEPS.index(project.status)
        share = max(
            (s for status, s in rule.progress_share.items() if STEPS.index(status) <= reached),
            default=0.0,
        )
    due = round(computed * share, 2)
    if project.status == TERMINATED:
        text = "项目已终止，不予奖励"
    elif share == 0:
        text = f"项目{project.status}，尚未达到兑现进度"
    else:
        text = f"按{project.status}进度兑现 {share:.0%}" + ("（已封顶）" if capped else "")
    return Reward(round(basis, 2), round(computed, 2), share, due, capped, text)


def load_projects(
    store: GraphStore, town_id: str | None, rules: ProjectRules, as_of: dt.date
) -> list[Project]:
    rows = store.query("projects_list", {"all_towns": town_id is None, "town": town_id or ""})
    funds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    if rows:
        ids = [row["project_id"] for row in rows]
        for funding in store.query("fundings_list", {"ids": ids}):
            funds[funding["project_id"]].append(funding)
    return [
        Project(
            row,
            flags_of(row, rules, as_of),
            sorted(funds[row["project_id"]], key=lambda f: f["received_on"]),
        )
        for row in rows
    ]


def find_project(
    store: GraphStore, project_id: str, rules: ProjectRules, as_of: dt.date
) -> Project:
    for project in load_projects(store, None, rules, as_of):
        if project.id == project_id:
            return project
    raise ProjectNotFound(f"找不到项目：{project_id}（chainmap project list 可查看全部项目）")


def move(project: Project, status: str, on: dt.date, today: dt.date) -> dict[str, Any]:
    """The project's row after moving to `status` on `on`; refuses impossible moves and dates."""
    current = project.status
    if status not in PROJECT_STATUSES:
        raise InvalidInput(f"项目状态应为 {'/'.join(PROJECT_STATUSES)} 之一：{status}")
    if current in (EFFECTIVE, TERMINATED):
        raise InvalidMove(f"项目 {project.id} 已{current}，状态不能再变更")
    if status == current:
        raise InvalidMove(f"项目 {project.id} 已是{current}")
    if status == PLANNED:
        raise InvalidMove(f"项目 {project.id} 当前为{current}，不能退回谋划")
    if status != TERMINATED:
        expected = STEPS[STEPS.index(current) + 1]
        if status != expected:
            raise InvalidMove(
                f"项目 {project.id} 当前为{current}，下一步只能是{expected}（或终止），不能直接改为{status}"
            )
    if on > today:
        raise InvalidMove(f"{status}日期 {on.isoformat()} 晚于今天 {today.isoformat()}")
    last = project.last_date()
    if last and on.isoformat() < last:
        last_status = project.history()[-1][0]
        raise InvalidMove(f"{status}日期 {on.isoformat()} 早于{last_status}日期 {last}，不合常理")
    return {**project.row, "status": status, DATE_OF[status]: on.isoformat()}


@dataclass
class PipelineSummary:
    by_status: dict[str, dict[str, float]]  # status -> {"count", "investment_wan"}
    by_town: dict[str, dict[str, Any]]  # town name -> {"count", "investment_wan", "batches"}
    batches: dict[str, int]  # 三个一批 counts
    flagged: int
    funds_wan: float = 0.0  # 到位资金 of all projects
    investment_wan: float = 0.0  # planned investment of the projects not terminated


def summarize(projects: list[Project]) -> PipelineSummary:
    by_status = {status: {"count": 0, "investment_wan": 0.0} for status in PROJECT_STATUSES}
    by_town: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"count": 0, "investment_wan": 0.0, "batches": dict.fromkeys(BATCHES, 0)}
    )
    batches = dict.fromkeys(BATCHES, 0)
    for project in projects:
        investment = project.row.get("investment_wan") or 0.0
        by_status[project.status]["count"] += 1
        by_status[project.status]["investment_wan"] += investment
        town = by_town[project.row.get("town_name") or project.row["town_id"]]
        town["count"] += 1
        town["investment_wan"] += investment
        for batch, statuses in BATCHES.items():
            if project.status in statuses:
                batches[batch] += 1
                town["batches"][batch] += 1
    return PipelineSummary(
        by_status=by_status,
        by_town=dict(sorted(by_town.items())),
        batches=batches,
        flagged=sum(1 for p in projects if p.flags),
        funds_wan=sum(p.funds_wan for p in projects),
        investment_wan=sum(
            p.row.get("investment_wan") or 0.0 for p in projects if p.status != TERMINATED
        ),
    )


def contract_row(project_row: dict[str, Any]) -> dict[str, Any]:
    """The stored project as a row of the projects table (extra columns restored)."""
    row = {column: project_row.get(column) for column in ProjectRow.columns()}
    if project_row.get("extra"):
        row.update(json.loads(project_row["extra"]))
    return row

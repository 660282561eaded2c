"""督办通知书: for every town the annual ranking marks 督办 — ranked low, or slow (建设进度较慢:
stalled projects, overdue tasks or problems, even when praised for its ranking) — what it must
put right and by when.

A notice lists exactly the town's overdue items as of its date: problems past their 办结时限 and
unresolved, tasks past their 完成时限 and not done, projects with a pipeline flag (签约未开工,
开工未投产, 投产未达效) and leads whose next step is overdue; the deadline is the notice's date
plus the configured number of days.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from chainmap.analysis.evaluation import SLOW_PROGRESS, RankRow
from chainmap.analysis.follow import Lead, load_leads
from chainmap.analysis.ledger import Entry, load_problems, load_tasks
from chainmap.analysis.pipeline import Project, load_projects
from chainmap.config import Settings
from chainmap.store.base import GraphStore


@dataclass
class Notice:
    number: int  # the notice's sequence number among this ranking's notices
    town: dict
    rank: RankRow
    towns_ranked: int
    as_of: dt.date
    deadline: dt.date
    issuer: str
    problems: list[Entry] = field(default_factory=list)
    tasks: list[Entry] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    leads: list[Lead] = field(default_factory=list)

    @property
    def reasons(self) -> list[str]:
        """Why the town is supervised (the praise a ranking may also give is not repeated)."""
        return [r for r in self.rank.reasons if r.startswith((*SLOW_PROGRESS, "综合得分排名靠后"))]

    @property
    def items(self) -> int:
        return len(self.problems) + len(self.tasks) + len(self.projects) + len(self.leads)


def supervision_notices(
    store: GraphStore,
    settings: Settings,
    ranking: list[RankRow],
    towns: dict[str, dict],
    as_of: dt.date,
) -> list[Notice]:
    """One notice per supervised town, in ranking order."""
    notices = []
    deadline = as_of + dt.timedelta(days=settings.notices.deadline_days)
    for row in ranking:
        slow = any(reason.startswith(SLOW_PROGRESS) for reason in row.reasons)
        if "督办" not in row.mark and not slow:
            continue
        town_id = row.town_id
        notices.append(
            Notice(
                number=len(notices) + 1,
                town=towns[town_id],
                rank=row,
                towns_ranked=len(ranking),
                as_of=as_of,
                deadline=deadline,
                issuer=settings.notices.issuer,
                problems=[e for e in load_problems(store, town_id, as_of) if e.overdue_days],
                tasks=[e for e in load_tasks(store, town_id, as_of) if e.overdue_days],
                projects=[
                    p for p in load_projects(store, town_id, settings.projects, as_of) if p.flags
                ],
                leads=[lead for lead in load_leads(store, town_id, as_of) if lead.overdue_days],
            )
        )
    return notices

"""After a target is named: leads (招商对象), their follow-up records and status, overdue next steps.

A lead is a firm a town is working on. Its status moves 待对接 → 已接洽 → 在谈 → 签约 one step at
a time, or to 暂缓 / 放弃 from any open status; a paused lead resumes at 已接洽 or 在谈. 签约
and 放弃 are final. A lead stored at 待对接 (or not stored) that has follow-up records has been
contacted: it reads as 已接洽 from its first record (records imported from a file say so too).
A next step is overdue from the day after its date, while no later record exists and the lead is
neither signed nor dropped.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from chainmap.errors import InvalidInput, InvalidLeadMove
from chainmap.model import LEAD_STATUSES
from chainmap.store.base import GraphStore

WAITING, CONTACTED, TALKING, SIGNED, PAUSED, DROPPED = LEAD_STATUSES
STEPS = (WAITING, CONTACTED, TALKING, SIGNED)
FINAL = (SIGNED, DROPPED)
RESUMES = (CONTACTED, TALKING)  # where a paused lead may pick up again


@dataclass
class Lead:
    town_id: str
    firm_id: str
    firm_name: str
    status: str  # as it reads: follow-up records make a waiting lead contacted
    status_on: str | None
    stored: dict[str, Any] | None  # the Lead row, None when only follow-ups exist
    follow_ups: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    overdue_days: int = 0  # days past the latest record's next step (0: not overdue)

    @property
    def link_id(self) -> str | None:
        return (self.stored or {}).get("link_id")

    @property
    def link_name(self) -> str | None:
        return (self.stored or {}).get("link_name")

    @property
    def owner_unit(self) -> str | None:
        latest = self.latest
        return (self.stored or {}).get("owner_unit") or (latest or {}).get("owner_unit")

    @property
    def notes(self) -> str | None:
        return (self.stored or {}).get("notes")

    @property
    def latest(self) -> dict[str, Any] | None:
        return self.follow_ups[-1] if self.follow_ups else None

    @property
    def next_step(self) -> str | None:
        return (self.latest or {}).get("next_step")

    @property
    def next_on(self) -> str | None:
        return (self.latest or {}).get("next_on")

    @property
    def flag_text(self) -> str:
        if not self.overdue_days:
            return ""
        return (
            f"下一步（{self.next_step or '未写明'}，{self.next_on}）已逾期 {self.overdue_days} 天"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "town_id": self.town_id,
            "firm_id": self.firm_id,
            "firm_name": self.firm_name,
            "link_id": self.link_id,
            "link_name": self.link_name,
            "status": self.status,
            "status_on": self.status_on,
            "owner_unit": self.owner_unit,
            "notes": self.notes,
            "follow_ups": len(self.follow_ups),
            "last_followed_on": (self.latest or {}).get("followed_on"),
            "next_step": self.next_step,
            "next_on": self.next_on,
            "overdue_days": self.overdue_days,
            "flag_text": self.flag_text,
        }


def _record_order(record: dict[str, Any]) -> tuple[str, str]:
    return (record["followed_on"], record["way"])


def overdue_days(due_on: str | None, as_of: dt.date) -> int:
    """Days past a due date (0 on the date itself and before it)."""
    if not due_on:
        return 0
    return max(0, (as_of - dt.date.fromisoformat(due_on)).days)


def load_leads(store: GraphStore, town_id: str | None, as_of: dt.date) -> list[Lead]:
    """Every lead of the town (or of all towns), ordered by town and firm name."""
    params = {"all_towns": town_id is None, "town": town_id or ""}
    stored = {(r["town_id"], r["firm_id"]): r for r in store.query("leads_list", params)}
    records: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    names: dict[str, str] = {}
    for record in store.query("follow_ups_list", params):
        records[(record["town_id"], record["firm_id"])].append(record)
        names[record["firm_id"]] = record["firm_name"]
    leads = []
    for key in stored.keys() | records.keys():
        row = stored.get(key)
        history = sorted(records.get(key, []), key=_record_order)
        status = row["status"] if row else WAITING
        status_on = row["status_on"] if row else None
        if status == WAITING and history:
            status, status_on = CONTACTED, history[0]["followed_on"]
        lead = Lead(
            town_id=key[0],
            firm_id=key[1],
            firm_name=(row or {}).get("firm_name") or names.get(key[1]) or key[1],
            status=status,
            status_on=status_on,
            stored=row,
            follow_ups=history,
        )
        if status not in FINAL:
            lead.overdue_days = overdue_days(lead.next_on, as_of)
        leads.append(lead)
    return sorted(leads, key=lambda lead: (lead.town_id, lead.firm_name, lead.firm_id))


def find_lead(store: GraphStore, town_id: str, firm_id: str, as_of: dt.date) -> Lead | None:
    for lead in load_leads(store, town_id, as_of):
        if lead.firm_id == firm_id:
            return lead
    return None


def check_move(lead: Lead | None, status: str, on: dt.date, today: dt.date) -> None:
    """Refuse a status change that skips a step, goes back, leaves a final status or is
    dated impossibly."""
    current = lead.status if lead else WAITING
    who = lead.firm_name if lead else "该企业"
    if status not in LEAD_STATUSES:
        raise InvalidInput(f"跟进状态应为 {'/'.join(LEAD_STATUSES)} 之一：{status}")
    if current in FINAL:
        raise InvalidLeadMove(f"{who} 已{current}，跟进状态不能再变更")
    if status == current:
        raise InvalidLeadMove(f"{who} 已是{current}")
    if status == WAITING:
        raise InvalidLeadMove(f"{who} 当前为{current}，不能退回待对接")
    if status not in (PAUSED, DROPPED):
        if current == PAUSED:
            if status not in RESUMES:
                raise InvalidLeadMove(
                    f"{who} 暂缓中，只能恢复为{'或'.join(RESUMES)}（或放弃），不能直接改为{status}"
                )
        else:
            expected = STEPS[STEPS.index(current) + 1]
            if status != expected:
                raise InvalidLeadMove(
                    f"{who} 当前为{current}，下一步只能是{expected}（或暂缓、放弃），"
                    f"不能直接改为{status}"
                )
    if on > today:
        raise InvalidLeadMove(f"{status}日期 {on.isoformat()} 晚于今天 {today.isoformat()}")
    since = lead.status_on if lead else None
    if since and on.isoformat() < since:
        raise InvalidLeadMove(f"{status}日期 {on.isoformat()} 早于{current}日期 {since}，不合常理")


@dataclass
class Funnel:
    """The follow-up funnel of a town: how many leads reached each step, and where they stand."""

    leads: int
    by_status: dict[str, int]
    reached: dict[str, int]  # step -> leads at that step or further along (not 暂缓/放弃)
    follow_ups: int
    overdue: int

    def rows(self) -> list[dict[str, Any]]:
        rows = [{"stage": "招商对象", "count": self.leads}]
        rows += [{"stage": f"{step}及以上", "count": self.reached[step]} for step in STEPS[1:3]]
        rows += [{"stage": SIGNED, "count": self.reached[SIGNED]}]
        rows += [{"stage": status, "count": self.by_status[status]} for status in (PAUSED, DROPPED)]
        return rows


def funnel(leads: list[Lead]) -> Funnel:
    by_status = dict.fromkeys(LEAD_STATUSES, 0)
    for lead in leads:
        by_status[lead.status] += 1
    reached = {step: sum(by_status[s] for s in STEPS[index:]) for index, step in enumerate(STEPS)}
    return Funnel(
        leads=len(leads),
        by_status=by_status,
        reached=reached,
        follow_ups=sum(len(lead.follow_ups) for lead in leads),
        overdue=sum(1 for lead in leads if lead.overdue_days),
    )

"""chainmap as a Python library: a workspace (a store and its settings) and the towns in it.

    import chainmap

    with chainmap.Workspace.open("chainmap-db") as ws:
        town = ws.town("交城")                       # id, name or a unique part of the name
        print(f"{town.gaps.completeness:.0%}")
        for target in town.targets(top=10).targets:
            print(target.rank, target.firm_name, target.score)
        town.map("交城招商图谱.html")
        town.report("交城招商工作报告.html")

A town's gap report is computed once and handed to targets, maps, reports and evaluation.
The command line is a thin layer over this module: it parses options, makes one call and
formats the answer.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chainmap.analysis.follow import Lead, check_move, find_lead, load_leads
from chainmap.analysis.gaps import GapReport, find_gaps, find_town, write_gaps
from chainmap.analysis.ledger import (
    Entry,
    close_problem,
    find_entry,
    load_problems,
    load_tasks,
    next_id,
    update_task,
)
from chainmap.analysis.pipeline import (
    Project,
    contract_row,
    find_project,
    load_projects,
    move,
    summarize,
)
from chainmap.analysis.status import Status, graph_status
from chainmap.analysis.targets import TargetFilters, TargetReport, find_targets
from chainmap.config import Settings, load_criteria, load_settings
from chainmap.errors import InvalidInput, NotFound
from chainmap.store import GraphStore, StoreSettings, open_store
from chainmap.text import safe_file_name

if TYPE_CHECKING:
    from chainmap.analysis.evaluation import Evaluation, RankRow
    from chainmap.analysis.supervision import Notice
    from chainmap.importer.load import ImportResult
    from chainmap.render.chain_map import MapOptions

MAP_TARGETS_PER_LINK = 3


@dataclass
class Workspace:
    """A store with the settings (scoring, gap rules) and criteria that apply to it."""

    store: GraphStore
    settings: Settings
    criteria_path: Path | None = None

    @classmethod
    def open(
        cls,
        db: str | Path | None = None,
        *,
        config: Path | None = None,
        criteria: Path | None = None,
        create: bool = False,
        backend: str | None = None,
    ) -> Workspace:
        """The store at `db` (or CHAINMAP_DB, or Neo4j when CHAINMAP_NEO4J_URI is set), with
        the settings of `config` (or CHAINMAP_CONFIG) over the shipped defaults."""
        settings = load_settings(config)
        store = open_store(
            StoreSettings.from_env(Path(db) if db else None), create=create, backend=backend
        )
        return cls(store, settings, criteria)

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.store.close()

    @cached_property
    def criteria(self) -> dict[str, Any]:
        return load_criteria(self.criteria_path)

    # --- the whole store ---------------------------------------------------------------------

    def town(self, town: str) -> Town:
        """A town by id, name or a unique part of its name (resolved once)."""
        return Town(self, find_town(self.store, town))

    def status(self) -> Status:
        return graph_status(self.store)

    def import_dataset(self, location: str | Path, *, replace_all: bool = False) -> ImportResult:
        from chainmap.importer.load import import_dataset

        return import_dataset(self.store, location, replace_all=replace_all)

    def rank(self, *, year: int | None = None, as_of: dt.date | None = None) -> list[RankRow]:
        from chainmap.analysis.evaluation import rank_towns

        return rank_towns(self.store, self.settings, self.criteria, year=year, as_of=as_of)

    def project_list(
        self,
        out: Path,
        *,
        town: Town | None = None,
        as_of: dt.date | None = None,
        csv: bool = False,
    ) -> tuple[Path, int]:
        """The 重大项目清单 of one town or of all (XLSX with the 汇总 sheets, or CSV)."""
        day = as_of or dt.date.today()
        projects = load_projects(self.store, town.id if town else None, self.settings.projects, day)
        scope = town.name if town else "全部专业镇"
        from chainmap.render.lists import project_sheets, write_csv, write_xlsx

        sheets = project_sheets(
            projects, summarize(projects), day.isoformat(), scope, self.settings.rewards
        )
        path = write_csv(out, sheets[0]) if csv else write_xlsx(out, sheets, as_of=day)
        return path, len(projects)

    # --- the project pipeline ------------------------------------------------------------------

    def projects(self, *, as_of: dt.date | None = None) -> list[Project]:
        """Every project of every town, with its flags as of `as_of` (default today)."""
        return load_projects(self.store, None, self.settings.projects, as_of or dt.date.today())

    def project(self, project_id: str, *, as_of: dt.date | None = None) -> Project:
        return find_project(
            self.store, project_id, self.settings.projects, as_of or dt.date.today()
        )

    def add_project(self, fields: dict[str, Any], *, from_target: str | None = None) -> str:
        """A new project (contract column names; `town_id` may be a town's name), validated
        and written like an imported row; returns its id.

        `from_target` (a firm id): the project opens 在谈 with that firm as investor, on the link
        it was targeted for (its lead's link, else its first gap link of the town), named after
        both unless a name is given, and the firm's lead moves to 在谈 in the same write.
        """
        town = self.town(fields["town_id"])
        today = dt.date.today()
        row = {k: v for k, v in fields.items() if v is not None}
        row["town_id"] = town.id
        tables: dict[str, list[dict[str, Any]]] = {}
        if from_target:
            row, lead_row = self._project_from_target(town, from_target, row, today)
            if lead_row:
                tables["leads"] = [lead_row]
        if not row.get("project_id"):
            existing = [
                r["project_id"]
                for r in self.store.query("projects_list", {"all_towns": True, "town": ""})
            ]
            row["project_id"] = next_id(existing, "XM", today.year)
        project_id = row["project_id"]
        if self.store.query("nodes_fetch", {"ids": [project_id]}, label="Project"):
            raise InvalidInput(
                f"项目编号已存在：{project_id}", hint="用 chainmap project update 推进已有项目"
            )
        if not row.get("name"):
            raise InvalidInput("请用 --name 给出项目名称")
        tables["projects"] = [row]
        from chainmap.importer.load import import_rows

        import_rows(self.store, tables, "chainmap project add")
        return str(project_id)

    def _project_from_target(
        self, town: Town, firm_id: str, row: dict[str, Any], today: dt.date
    ) -> tuple[dict[str, Any], dict[str, Any] | None]:
        firms = self.store.query("firm_details", {"ids": [firm_id]})
        if not firms:
            raise NotFound(f"库中没有企业 {firm_id}（--from-target 应为目标企业的企业编号）")
        firm = firms[0]
        lead = find_lead(self.store, town.id, firm_id, today)
        link_id = row.get("link_id") or (lead.link_id if lead else None)
        if not link_id:
            gap_links = [gap.link_id for gap in town.gaps.gap_links]
            made = {
                r["link_id"]
                for r in self.store.query_each(
                    "firm_gap_links", [firm_id], {"links": gap_links}, along="MAKES"
                )
            }
            link_id = next((link for link in gap_links if link in made), None)
        link_names = {gap.link_id: gap.link_name for gap in town.gaps.links}
        on = row.get("talks_on") or today.isoformat()
        row = {
            "status": "在谈",
            "talks_on": on,
            "investor_firm_id": firm_id,
            "name": f"{firm['firm_name']}{link_names.get(link_id, '')}项目",
            **row,
        }
        if link_id:
            row["link_id"] = link_id
        lead_row = None
        if lead is None or lead.status in ("待对接", "已接洽", "暂缓"):
            lead_row = {"town_id": town.id, "firm_id": firm_id, "status": "在谈", "status_on": on}
            if link_id and not (lead and lead.link_id):
                lead_row["link_id"] = link_id
        return row, lead_row

    def update_project(
        self,
        project_id: str,
        *,
        status: str | None = None,
        on: dt.date | None = None,
        changes: dict[str, Any] | None = None,
    ) -> Project:
        """Move a project one step (dated `on`, default today) and/or change other columns;
        returns the project as it was before. Signing moves the investor's lead (在谈) to 签约."""
        today = dt.date.today()
        current = self.project(project_id, as_of=today)
        row = move(current, status, on or today, today) if status else dict(current.row)
        row = contract_row(row)
        row.update({k: v for k, v in (changes or {}).items() if v is not None})
        tables: dict[str, list[dict[str, Any]]] = {"projects": [row]}
        investor = row.get("investor_firm_id")
        if status == "签约" and investor:
            lead = find_lead(self.store, row["town_id"], investor, today)
            if lead is not None and lead.status == "在谈":
                signed_on = (on or today).isoformat()
                tables["leads"] = [
                    {
                        "town_id": row["town_id"],
                        "firm_id": investor,
                        "status": "签约",
                        "status_on": signed_on,
                    }
                ]
        from chainmap.importer.load import import_rows

        import_rows(self.store, tables, "chainmap project update")
        return current

    # --- after the target: leads and follow-ups, problems, tasks --------------------------------

    def leads(self, *, as_of: dt.date | None = None) -> list[Lead]:
        return load_leads(self.store, None, as_of or dt.date.today())

    def add_follow_up(
        self, town: str, firm_id: str, record: dict[str, Any], *, status: str | None = None
    ) -> tuple[Lead | None, str]:
        """Record one follow-up of a target firm (contract columns of follow_ups) and, with
        `status`, move the firm's lead one step (dated the follow-up's day). A first record on
        a waiting lead makes it 已接洽. Returns the lead as it was and its status now."""
        from chainmap.model import parse_date

        resolved = self.town(town)
        today = dt.date.today()
        on = parse_date(str(record.get("followed_on") or today.isoformat()))
        lead = find_lead(self.store, resolved.id, firm_id, today)
        current = lead.status if lead else "待对接"
        new_status = status or ("已接洽" if current == "待对接" else None)
        if new_status:
            check_move(lead, new_status, on, today)
        follow_up = {
            **{k: v for k, v in record.items() if v is not None},
            "town_id": resolved.id,
            "firm_id": firm_id,
            "followed_on": on.isoformat(),
        }
        tables: dict[str, list[dict[str, Any]]] = {"follow_ups": [follow_up]}
        lead_row: dict[str, Any] = {"town_id": resolved.id, "firm_id": firm_id}
        if new_status:
            lead_row |= {"status": new_status, "status_on": on.isoformat()}
        if record.get("owner_unit") and not (lead and lead.stored and lead.owner_unit):
            lead_row["owner_unit"] = record["owner_unit"]
        if len(lead_row) > 2 or lead is None or lead.stored is None:
            tables["leads"] = [lead_row]
        from chainmap.importer.load import import_rows

        import_rows(self.store, tables, "chainmap follow add")
        return lead, new_status or current

    def problems(self, *, as_of: dt.date | None = None) -> list[Entry]:
        return load_problems(self.store, None, as_of or dt.date.today())

    def add_problem(self, fields: dict[str, Any]) -> str:
        """A new 问题台账 entry (contract columns; `town_id` may be a name); returns its id."""
        row = {k: v for k, v in fields.items() if v is not None}
        row["town_id"] = self.town(row["town_id"]).id
        row.setdefault("raised_on", dt.date.today().isoformat())
        if not row.get("problem_id"):
            existing = [e.id for e in self.problems()]
            row["problem_id"] = next_id(existing, "WT", dt.date.today().year)
        elif any(e.id == row["problem_id"] for e in self.problems()):
            raise InvalidInput(f"问题编号已存在：{row['problem_id']}")
        from chainmap.importer.load import import_rows

        import_rows(self.store, {"problems": [row]}, "chainmap problem add")
        return str(row["problem_id"])

    def close_problem(
        self, problem_id: str, *, on: dt.date | None = None, notes: str | None = None
    ) -> Entry:
        today = dt.date.today()
        problem = find_entry(self.problems(as_of=today), problem_id, "问题")
        row = close_problem(problem, on or today, today)
        if notes:
            row["notes"] = notes
        from chainmap.importer.load import import_rows

        import_rows(self.store, {"problems": [row]}, "chainmap problem close")
        return problem

    def tasks(self, *, year: int | None = None, as_of: dt.date | None = None) -> list[Entry]:
        return load_tasks(self.store, None, as_of or dt.date.today(), year)

    def add_task(self, fields: dict[str, Any]) -> str:
        """A new 责任清单 item (contract columns; `town_id` may be a name); returns its id."""
        row = {k: v for k, v in fields.items() if v is not None}
        row["town_id"] = self.town(row["town_id"]).id
        row.setdefault("year", dt.date.today().year)
        if not row.get("task_id"):
            existing = [e.id for e in self.tasks()]
            row["task_id"] = next_id(existing, "RW", int(row["year"]))
        elif any(e.id == row["task_id"] for e in self.tasks()):
            raise InvalidInput(f"任务编号已存在：{row['task_id']}")
        from chainmap.importer.load import import_rows

        import_rows(self.store, {"tasks": [row]}, "chainmap task add")
        return str(row["task_id"])

    def update_task(
        self,
        task_id: str,
        *,
        status: str | None = None,
        on: dt.date | None = None,
        progress: str | None = None,
    ) -> Entry:
        today = dt.date.today()
        task = find_entry(self.tasks(as_of=today), task_id, "任务")
        row = update_task(task, status, on or today, today, progress)
        from chainmap.importer.load import import_rows

        import_rows(self.store, {"tasks": [row]}, "chainmap task update")
        return task

    def notices(
        self,
        out_dir: Path,
        *,
        year: int | None = None,
        as_of: dt.date | None = None,
        formats: Sequence[str] = ("html", "docx"),
    ) -> list[tuple[Notice, list[Path]]]:
        """A 督办通知书 for every town the ranking supervises, each written in `formats`
        into `out_dir`: the notices and their files."""
        from chainmap.analysis.supervision import supervision_notices
        from chainmap.render.notice import render_notice

        day = as_of or dt.date.today()
        ranking = self.rank(year=year, as_of=day)
        towns = {row.town_id: self.town(row.town_id).row for row in ranking}
        written = []
        for notice in supervision_notices(self.store, self.settings, ranking, towns, day):
            stem = safe_file_name(f"督办通知书_{notice.town['name']}_{day.isoformat()}")
            paths = [render_notice(notice, out_dir / f"{stem}.{fmt}", fmt=fmt) for fmt in formats]
            written.append((notice, paths))
        return written

    def overview_map(
        self, out: Path, *, province: str | None = None, options: MapOptions | None = None
    ) -> Path:
        """Every town of a province (or of the store) on one map."""
        rows = self.store.query(
            "towns_in_province", {"all_towns": province is None, "province": province or ""}
        )
        if not rows:
            raise NotFound(f"库中没有{province or ''}的专业镇")
        towns = []
        for row in rows:
            town = self.town(row["town_id"])
            towns.append((town.gaps, town.targets(TargetFilters(top=30, per_link=3)).targets))
        from chainmap.render.province_map import render_overview

        return render_overview(towns, province or "全部", out, options)


@dataclass
class Town:
    """One town of a workspace; its gap report is computed on first use and reused."""

    workspace: Workspace
    row: dict[str, Any]

    @property
    def id(self) -> str:
        return str(self.row["id"])

    @property
    def name(self) -> str:
        return str(self.row["name"])

    @property
    def _store(self) -> GraphStore:
        return self.workspace.store

    @property
    def _settings(self) -> Settings:
        return self.workspace.settings

    @cached_property
    def gaps(self) -> GapReport:
        return find_gaps(self._store, self.id, self._settings.gaps)

    def write_gaps(self) -> None:
        """Store the gap report in the graph: (:Town)-[:GAP]->(:Link)."""
        write_gaps(self._store, self.gaps)

    def targets(
        self,
        filters: TargetFilters | None = None,
        *,
        top: int | None = None,
        preset: str | None = None,
        weights: dict[str, float] | None = None,
    ) -> TargetReport:
        if top is not None:
            filters = TargetFilters(**{**vars(filters or TargetFilters()), "top": top})
        return find_targets(
            self._store,
            self.id,
            self._settings,
            preset=preset,
            weight_overrides=weights,
            filters=filters,
            gaps=self.gaps,
        )

    def map_targets(self, per_link: int = MAP_TARGETS_PER_LINK) -> TargetReport:
        return self.targets(TargetFilters.for_map(len(self.gaps.gap_links), per_link))

    def map(
        self,
        out: Path,
        *,
        per_link: int = MAP_TARGETS_PER_LINK,
        options: MapOptions | None = None,
    ) -> Path:
        report = self.map_targets(per_link) if per_link else None
        targets = report.targets if report else []
        weights = report.weights if report else self._settings.targets.weights()
        from chainmap.render.chain_map import render_map

        return render_map(self.gaps, targets, out, options, weights)

    def projects(self, as_of: dt.date | None = None) -> list[Project]:
        return load_projects(
            self._store, self.id, self._settings.projects, as_of or dt.date.today()
        )

    def leads(self, as_of: dt.date | None = None) -> list[Lead]:
        return load_leads(self._store, self.id, as_of or dt.date.today())

    def problems(self, as_of: dt.date | None = None) -> list[Entry]:
        return load_problems(self._store, self.id, as_of or dt.date.today())

    def tasks(self, as_of: dt.date | None = None, year: int | None = None) -> list[Entry]:
        return load_tasks(self._store, self.id, as_of or dt.date.today(), year)

    def evaluate(
        self, *, level: str | None = None, year: int | None = None, as_of: dt.date | None = None
    ) -> Evaluation:
        gaps = self.gaps if self.gaps.links else None
        from chainmap.analysis.evaluation import evaluate

        return evaluate(
            self._store,
            self.id,
            self._settings,
            self.workspace.criteria,
            level=level,
            year=year,
            as_of=as_of,
            gaps=gaps,
        )

    def report(
        self,
        out: Path,
        *,
        top: int = 20,
        as_of: dt.date | None = None,
        ranking: Sequence[RankRow] | None = None,
        fmt: str = "html",
    ) -> Path:
        """The town report: `fmt` "html" (offline, printable) or "docx" (Word, editable)."""
        day = as_of or dt.date.today()
        projects = self.projects(day)
        ranked = list(ranking) if ranking is not None else self.workspace.rank(as_of=day)
        from chainmap.render.report import ReportData, render_report

        data = ReportData(
            self.gaps,
            self.targets(TargetFilters(top=top)),
            self.map_targets(),
            projects,
            summarize(projects),
            day,
            self._store.location,
            evaluation=self.evaluate(as_of=day),
            rank_row=next((r for r in ranked if r.town_id == self.id), None),
            towns_ranked=len(ranked),
            leads=self.leads(day),
            problems=self.problems(day),
            tasks=self.tasks(day),
        )
        return render_report(data, out, fmt=fmt)

    def target_list(
        self,
        out: Path,
        *,
        filters: TargetFilters | None = None,
        preset: str | None = None,
        owner: str | None = None,
        csv: bool = False,
    ) -> tuple[Path, int]:
        """The 招商引资清单 (XLSX, or CSV with a BOM): the file and how many targets it lists."""
        report = self.targets(filters or TargetFilters(top=50), preset=preset)
        from chainmap.render.lists import (
            target_list_sheet,
            target_notes_sheet,
            write_csv,
            write_xlsx,
        )

        sheet = target_list_sheet(report, owner)
        if csv:
            path = write_csv(out, sheet)
        else:
            path = write_xlsx(out, [sheet, target_notes_sheet(report)])
        return path, len(sheet.rows)

    def project_list(
        self, out: Path, *, as_of: dt.date | None = None, csv: bool = False
    ) -> tuple[Path, int]:
        return self.workspace.project_list(out, town=self, as_of=as_of, csv=csv)

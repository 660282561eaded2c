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
from typing import Any

from chainmap.analysis.evaluation import Evaluation, RankRow, evaluate, rank_towns
from chainmap.analysis.gaps import GapReport, find_gaps, find_town, write_gaps
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
from chainmap.importer.load import ImportResult, import_dataset, import_rows
from chainmap.render.chain_map import MapOptions, render_map
from chainmap.render.lists import (
    project_sheets,
    target_list_sheet,
    target_notes_sheet,
    write_csv,
    write_xlsx,
)
from chainmap.render.province_map import render_overview
from chainmap.render.report import ReportData, render_report
from chainmap.store import GraphStore, StoreSettings, open_store

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
        return import_dataset(self.store, location, replace_all=replace_all)

    def rank(self, *, year: int | None = None, as_of: dt.date | None = None) -> list[RankRow]:
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
        sheets = project_sheets(projects, summarize(projects), day.isoformat(), scope)
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

    def add_project(self, fields: dict[str, Any]) -> None:
        """A new project (contract column names; `town_id` may be a town's name), validated
        and written like an imported row."""
        project_id = fields["project_id"]
        if self.store.query("nodes_fetch", {"ids": [project_id]}, label="Project"):
            raise InvalidInput(
                f"项目编号已存在：{project_id}", hint="用 chainmap project update 推进已有项目"
            )
        row = {**fields, "town_id": self.town(fields["town_id"]).id}
        import_rows(self.store, {"projects": [row]}, "chainmap project add")

    def update_project(
        self,
        project_id: str,
        *,
        status: str | None = None,
        on: dt.date | None = None,
        changes: dict[str, Any] | None = None,
    ) -> Project:
        """Move a project one step (dated `on`, default today) and/or change other columns;
        returns the project as it was before."""
        today = dt.date.today()
        current = self.project(project_id, as_of=today)
        row = move(current, status, on or today, today) if status else dict(current.row)
        row = contract_row(row)
        row.update({k: v for k, v in (changes or {}).items() if v is not None})
        import_rows(self.store, {"projects": [row]}, "chainmap project update")
        return current

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
        return render_map(self.gaps, targets, out, options, weights)

    def projects(self, as_of: dt.date | None = None) -> list[Project]:
        return load_projects(
            self._store, self.id, self._settings.projects, as_of or dt.date.today()
        )

    def evaluate(
        self, *, level: str | None = None, year: int | None = None, as_of: dt.date | None = None
    ) -> Evaluation:
        gaps = self.gaps if self.gaps.links else None
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

"""The town report (专业镇招商工作报告): one offline, printable HTML page."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chainmap.analysis.evaluation import MET_ZH
from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.pipeline import PipelineSummary, Project
from chainmap.analysis.targets import TargetReport
from chainmap.config import COMPONENT_ZH
from chainmap.render.chain_map import MapOptions, _environment, render_map


@dataclass
class ReportData:
    gaps: GapReport
    targets: TargetReport
    map_targets: TargetReport
    projects: list[Project]
    summary: PipelineSummary
    as_of: dt.date
    database: str
    evaluation: Any = None  # chainmap.analysis.evaluation.Evaluation
    rank_row: Any = None  # chainmap.analysis.evaluation.RankRow
    towns_ranked: int = 0


def render_report(data: ReportData, out: Path) -> Path:
    options = MapOptions(date=data.as_of)
    with tempfile.TemporaryDirectory(prefix="chainmap-report-") as tmp:
        map_html = render_map(
            data.gaps, data.map_targets.targets, Path(tmp) / "map.html", options
        ).read_text(encoding="utf-8")
    html = (
        _environment()
        .get_template("town_report.html.j2")
        .render(
            town=data.gaps.town,
            chain=data.gaps.chain,
            gaps=data.gaps,
            counts=data.gaps.counts(),
            status_zh=STATUS_ZH,
            targets=data.targets.targets,
            preset=data.targets.preset,
            component_zh=COMPONENT_ZH,
            projects=data.projects,
            flagged=[p for p in data.projects if p.flags],
            summary=data.summary,
            map_html=map_html,
            as_of=data.as_of.isoformat(),
            database=data.database,
            evaluation=data.evaluation,
            rank_row=data.rank_row,
            towns_ranked=data.towns_ranked,
            met_zh=MET_ZH,
        )
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    return out

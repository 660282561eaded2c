"""The lists a promotion centre hands on: 招商引资清单 and 重大项目清单, as XLSX or CSV.

XLSX: styled header, frozen first row, filters, column widths; CSV: UTF-8 with BOM (Excel in
China opens it right). Any text cell that begins with = + - @ (or a tab / carriage return) is
prefixed with an apostrophe, so a hostile name can never run as a formula.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chainmap.analysis.evaluation import RANK_ZH, RankRow
from chainmap.analysis.pipeline import BATCHES, PipelineSummary, Project
from chainmap.analysis.targets import BADGE_TEXT, TargetReport
from chainmap.config import COMPONENT_ZH
from chainmap.uscc import looks_like_uscc, uscc_problem

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FOLLOW_UP = ("待对接", "已接洽", "在谈", "已签约", "暂缓", "放弃")


def neutralise(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    width: int = 12
    wrap: bool = False
    choices: tuple[str, ...] = ()


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> Path:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        sheet.append([column.heading for column in spec.columns])
        for cell in sheet[1]:
            cell.fill = HEADER_FILL
            cell.font = HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        for row in spec.rows:
            sheet.append([neutralise(row.get(column.key)) for column in spec.columns])
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            cells = sheet[letter][1:]
            if cells:
                # Style one cell, then copy its style array: assigning style objects cell by cell
                # costs openpyxl a hash of each object (40 s for a 6,000-row review workbook).
                first = cells[0]
                first.alignment = Alignment(vertical="top", wrap_text=column.wrap)
                first.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
                for cell in cells[1:]:
                    cell._style = copy(first._style)
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it looks like
            if column.choices and spec.rows:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
                )
                validation.add(f"{letter}2:{letter}{len(spec.rows) + 1}")
                sheet.add_data_validation(validation)
        sheet.freeze_panes = "A2"
        if spec.rows:
            sheet.auto_filter.ref = f"A1:{get_column_letter(len(spec.columns))}{len(spec.rows) + 1}"
        sheet.row_dimensions[1].height = 30
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def write_csv(path: Path, sheet: Sheet) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([column.heading for column in sheet.columns])
        for row in sheet.rows:
            writer.writerow(
                [
                    "" if row.get(c.key) is None else neutralise(row.get(c.key))
                    for c in sheet.columns
                ]
            )
    return path


# --- 招商引资清单 ------------------------------------------------------------------------------

TARGET_COLUMNS = (
    Column("rank", "序号", 6),
    Column("firm_name", "目标企业", 30, wrap=True),
    Column("uscc", "统一社会信用代码", 21),
    Column("firm_id", "企业编号", 16),
    Column("place", "所在地区", 18),
    Column("link_name", "对应环节", 14),
    Column("stage", "环节位置", 9),
    Column("gap_kind", "招商方向", 9),
    Column("score", "综合得分", 9),
    Column("components_text", "得分构成", 30, wrap=True),
    Column("reasons_text", "推荐理由", 60, wrap=True),
    Column("approach", "建议招商方式", 30, wrap=True),
    Column("owner_unit", "责任单位", 14),
    Column("follow_up", "跟进状态", 10, choices=FOLLOW_UP),
    Column("notes", "备注", 20, wrap=True),
)


def _approach(target: Any) -> str:
    ways = []
    if target.tie_partners:
        ways.append(f"以商招商：经本地企业{'、'.join(target.tie_partners[:2])}对接")
    if target.region:
        ways.append(f"产业转移承接：赴{target.region}上门招商")
    if set(target.badges) & {"小巨人", "单项冠军", "上市公司"}:
        ways.append("龙头招商：主要负责同志带队拜访")
    if not ways:
        ways.append("产业链招商：专题推介、定向邀约")
    return "；".join(ways)


def target_list_rows(report: TargetReport, owner_unit: str | None = None) -> list[dict[str, Any]]:
    rows = []
    for target in report.targets:
        firm_id = target.firm_id
        rows.append(
            {
                "rank": target.rank,
                "firm_name": target.firm_name,
                "uscc": firm_id if looks_like_uscc(firm_id) and not uscc_problem(firm_id) else "",
                "firm_id": firm_id,
                "place": " ".join(p for p in (target.province, target.city, target.county) if p),
                "link_name": target.link_name,
                "stage": target.stage,
                "gap_kind": target.gap_kind,
                "score": target.score,
                "components_text": "；".join(
                    f"{COMPONENT_ZH[key]} {value:g}" for key, value in target.components.items()
                ),
                "reasons_text": "；".join(target.reasons),
                "approach": _approach(target),
                "owner_unit": owner_unit or "",
                "follow_up": "待对接",
                "notes": "、".join(BADGE_TEXT[b] for b in target.badges) if target.badges else "",
            }
        )
    return rows


def target_list_sheet(report: TargetReport, owner_unit: str | None = None) -> Sheet:
    return Sheet("招商引资清单", TARGET_COLUMNS, target_list_rows(report, owner_unit))


# --- 重大项目清单 ------------------------------------------------------------------------------

PROJECT_COLUMNS = (
    Column("seq", "序号", 6),
    Column("project_id", "项目编号", 12),
    Column("name", "项目名称", 32, wrap=True),
    Column("town_name", "所在专业镇", 20),
    Column("link_name", "对应环节", 12),
    Column("investor", "投资方", 28, wrap=True),
    Column("investment_wan", "总投资（万元）", 14),
    Column("status", "项目状态", 9),
    Column("signed_on", "签约日期", 12),
    Column("started_on", "开工日期", 12),
    Column("producing_on", "投产日期", 12),
    Column("effective_on", "达效日期", 12),
    Column("terminated_on", "终止日期", 12),
    Column("owner_unit", "责任单位", 14),
    Column("flag_text", "预警", 22, wrap=True),
    Column("notes", "备注", 24, wrap=True),
)


def project_rows(projects: Sequence[Project]) -> list[dict[str, Any]]:
    rows = []
    for seq, project in enumerate(projects, start=1):
        row = dict(project.row)
        row["seq"] = seq
        row["investor"] = project.investor
        row["flag_text"] = project.flag_text
        rows.append(row)
    return rows


def project_sheets(
    projects: Sequence[Project], summary: PipelineSummary, as_of: str
) -> list[Sheet]:
    summary_rows: list[dict[str, Any]] = [
        {"item": f"统计日期 {as_of}", "count": None, "investment": None},
        *(
            {"item": batch, "count": count, "investment": None}
            for batch, count in summary.batches.items()
        ),
        {"item": "有预警的项目", "count": summary.flagged, "investment": None},
        *(
            {
                "item": f"状态：{status}",
                "count": int(values["count"]),
                "investment": round(values["investment_wan"], 2),
            }
            for status, values in summary.by_status.items()
        ),
        *(
            {
                "item": f"专业镇：{town}",
                "count": values["count"],
                "investment": round(values["investment_wan"], 2),
            }
            for town, values in summary.by_town.items()
        ),
    ]
    town_rows = [
        {
            "town": town,
            "count": values["count"],
            "investment": round(values["investment_wan"], 2),
            **{batch: values["batches"][batch] for batch in BATCHES},
        }
        for town, values in summary.by_town.items()
    ]
    return [
        Sheet("重大项目清单", PROJECT_COLUMNS, project_rows(projects)),
        Sheet(
            "汇总",
            (
                Column("item", "项目", 24),
                Column("count", "个数", 8),
                Column("investment", "总投资（万元）", 16),
            ),
            summary_rows,
        ),
        Sheet(
            "分镇三个一批",
            (
                Column("town", "专业镇", 24),
                Column("count", "项目数", 8),
                Column("investment", "总投资（万元）", 16),
                *(Column(batch, batch, 10) for batch in BATCHES),
            ),
            town_rows,
        ),
    ]


# --- 专业镇年度排名 ----------------------------------------------------------------------------

RANK_COLUMNS = (
    Column("rank", "名次", 6),
    Column("town_name", "专业镇", 24),
    Column("score", "综合得分", 10),
    *(Column(key, title, 12) for key, title in RANK_ZH.items()),
    Column("mark", "表扬/督办", 12),
    Column("reasons_text", "理由", 50, wrap=True),
    Column("notes_text", "数据说明", 30, wrap=True),
)


def rank_rows(ranking: list[RankRow]) -> list[dict[str, Any]]:
    """Ranking rows flattened for tables and files (components as columns, reasons joined)."""
    return [
        {
            **r.as_dict(),
            **r.components,
            "reasons_text": "；".join(r.reasons),
            "notes_text": "；".join(r.notes),
        }
        for r in ranking
    ]


def rank_sheet(ranking: list[RankRow]) -> Sheet:
    return Sheet("专业镇年度排名", RANK_COLUMNS, rank_rows(ranking))

"""The lists a promotion centre hands on: 招商引资清单 and 重大项目清单, as XLSX or CSV.

XLSX: styled header, frozen first row, filters, column widths; CSV: UTF-8 with BOM (Excel in
China opens it right). Any text cell that begins with = + - @ (or a tab / carriage return) is
prefixed with an apostrophe, so a hostile name can never run as a formula.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins

from chainmap.analysis.evaluation import RANK_ZH, RankRow
from chainmap.analysis.pipeline import BATCHES, PipelineSummary, Project, reward_of
from chainmap.analysis.targets import TargetReport
from chainmap.config import SCORE_COMPONENTS, RewardRule
from chainmap.model import LEAD_STATUSES, ProjectStatus
from chainmap.text import display_width

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
THIN = Side(style="thin", color="BFBFBF")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FOLLOW_UP = LEAD_STATUSES
PLANNED, TALKING, TERMINATED = (
    ProjectStatus.PLANNED.value,
    ProjectStatus.TALKING.value,
    ProjectStatus.TERMINATED.value,
)


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
    # How the value shows: "" as it is, "date" an Excel date from YYYY-MM-DD, or an Excel
    # number format such as "#,##0" (万元) or "0.0".
    number_format: str = ""
    # Kept in the file for reading it back (ids), not shown on screen or on paper.
    hidden: bool = False


@dataclass
class Sheet:
    title: str
    columns: Sequence[Column]
    rows: Sequence[dict[str, Any]]
    # Printed above the header and in the page header: what the list is, for whom, as of when.
    heading: str = ""
    # Shown in the first row when there are no rows (why the list is empty, what to do).
    empty_note: str = ""


BODY_FONT = Font(size=10)
TITLE_FONT = Font(size=14, bold=True)
LINE_HEIGHT_PT = 14


def _lines(value: Any, width: int) -> int:
    """Printed lines a wrapped cell needs (CJK characters count two columns)."""
    if value is None:
        return 1
    text = str(value)
    # A column of width w holds about 1.2 w display columns of 10-point text (measured on
    # LibreOffice's PDF of the target list).
    return max(1, math.ceil(display_width(text) / max(width * 1.2 - 1, 1)))


def _as_date(value: Any) -> Any:
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def write_xlsx(path: Path, sheets: Sequence[Sheet], *, as_of: dt.date | None = None) -> Path:
    """Sheets that read on screen and print: title row, header repeated on every page, A4
    landscape fitted to one page width, page numbers, wrapped rows tall enough, dates as
    dates and amounts with thousands separators. Text never runs as a formula."""
    day = (as_of or dt.date.today()).isoformat()
    workbook = Workbook()
    workbook.remove(workbook.active)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title)
        last = get_column_letter(len(spec.columns))
        top = 1
        if spec.heading:
            sheet.append([spec.heading])
            sheet.merge_cells(f"A1:{last}1")
            sheet["A1"].font = TITLE_FONT
            sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
            sheet.row_dimensions[1].height = 28
            top = 2
        sheet.append([column.heading for column in spec.columns])
        for cell in sheet[top]:
            cell.fill = HEADER_FILL
            cell.font = HEADER_FONT
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.row_dimensions[top].height = 30
        rows = list(spec.rows)
        for row in rows:
            values = []
            for column in spec.columns:
                value = neutralise(row.get(column.key))
                values.append(_as_date(value) if column.number_format == "date" else value)
            sheet.append(values)
        if not rows and spec.empty_note:
            sheet.append([spec.empty_note])
            sheet.merge_cells(f"A{top + 1}:{last}{top + 1}")
            sheet.cell(top + 1, 1).alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[top + 1].height = LINE_HEIGHT_PT * 3
        first_row = top + 1
        for index, column in enumerate(spec.columns, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = column.width
            sheet.column_dimensions[letter].hidden = column.hidden
            cells = [sheet.cell(r, index) for r in range(first_row, first_row + len(rows))]
            if cells:
                # Style one cell, then copy its style array: assigning style objects cell by cell
                # costs openpyxl a hash of each object (40 s for a 6,000-row review workbook).
                first = cells[0]
                first.font = BODY_FONT
                first.alignment = Alignment(vertical="top", wrap_text=column.wrap)
                first.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
                if column.number_format:
                    first.number_format = (
                        "yyyy-mm-dd" if column.number_format == "date" else column.number_format
                    )
                for cell in cells[1:]:
                    cell._style = copy(first._style)
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"  # text stays text, whatever it looks like
            if column.choices and rows:
                validation = DataValidation(
                    type="list", formula1='"' + ",".join(column.choices) + '"', allow_blank=True
                )
                validation.add(f"{letter}{first_row}:{letter}{first_row + len(rows) - 1}")
                sheet.add_data_validation(validation)
        wrapped = [(i, c) for i, c in enumerate(spec.columns, start=1) if c.wrap]
        for offset, row in enumerate(rows):
            lines = max((_lines(row.get(c.key), c.width) for _, c in wrapped), default=1)
            if lines > 1:
                sheet.row_dimensions[first_row + offset].height = LINE_HEIGHT_PT * lines + 2
        sheet.freeze_panes = f"A{first_row}"
        if rows:
            sheet.auto_filter.ref = f"A{top}:{last}{top + len(rows)}"
        _page_setup(sheet, spec, top, day)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path


def _page_setup(sheet: Any, spec: Sheet, header_row: int, day: str) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.print_options.horizontalCentered = True
    title = spec.heading or spec.title
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddHeader.center.size = 10
    sheet.oddFooter.left.text = f"统计日期 {day}"
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    sheet.oddFooter.right.text = "chainmap 生成"
    for part in (sheet.oddFooter.left, sheet.oddFooter.center, sheet.oddFooter.right):
        part.size = 9


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
    Column("rank", "序号", 5),
    Column("firm_name", "目标企业", 22, wrap=True),
    Column("firm_id", "统一社会信用代码/企业编号", 20),
    Column("place", "所在地区", 14, wrap=True),
    Column("link_name", "对应环节", 10, wrap=True),
    Column("stage", "环节位置", 6),
    Column("gap_kind", "招商方向", 6),
    Column("score", "综合得分", 7, number_format="0.0"),
    Column("components_text", "得分构成（得分/满分）", 24, wrap=True),
    Column("reasons_text", "推荐理由", 50, wrap=True),
    Column("approach", "建议招商方式", 22, wrap=True),
    Column("owner_unit", "责任单位", 10, wrap=True),
    Column("follow_up", "跟进状态", 8, choices=FOLLOW_UP),
    Column("notes", "备注", 14, wrap=True),
    # Read back with the edited 跟进状态, 责任单位 and 备注 (chainmap import of this file).
    Column("town_id", "专业镇编号", 12, hidden=True),
    Column("link_id", "对应环节编号", 12, hidden=True),
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
    weights = report.weights
    rows = []
    for target in report.targets:
        rows.append(
            {
                "rank": target.rank,
                "firm_name": target.firm_name,
                "firm_id": target.firm_id,
                "place": " ".join(p for p in (target.province, target.city, target.county) if p),
                "link_name": target.link_name,
                "stage": target.stage,
                "gap_kind": target.gap_kind,
                "score": target.score,
                "components_text": " ".join(
                    f"{SHORT_ZH[key]}{value:.1f}/{getattr(weights, key):g}".replace(".0/", "/")
                    for key, value in target.components.items()
                ),
                # The first reason restates the link and the kind, which have their columns.
                "reasons_text": "；".join(target.reasons[1:] or target.reasons),
                "approach": _approach(target),
                "owner_unit": target.follow_owner_unit or owner_unit or "",
                "follow_up": target.follow_status,
                "notes": target.follow_notes or "",
                "town_id": report.gaps.town["id"],
                "link_id": target.link_id,
            }
        )
    return rows


SHORT_ZH = {c.key: c.short for c in SCORE_COMPONENTS}


def why_no_targets(report: TargetReport) -> str:
    """Why a target list is empty, and what to do about it."""
    gaps = report.gaps
    if not gaps.links:
        return (
            f"{gaps.town['name']}的主导产业链 {gaps.chain['name']} 还没有环节模板，无法分析缺口："
            "请导入该链的模板（chains、links、link_flows 三张表；chainmap chains 查看已有的链）。"
        )
    if not gaps.gap_links:
        return "主导产业链各环节均已有本地企业且达到强链标准，没有缺链、弱链需要招商。"
    return (
        "库中没有能补这些缺口环节的镇外企业（或都被筛选条件排除）：请导入企业名录——"
        "chainmap classify 名录.xlsx --chain 链编号，审核后 chainmap import。"
    )


def target_list_sheet(
    report: TargetReport, owner_unit: str | None = None, as_of: dt.date | None = None
) -> Sheet:
    day = (as_of or dt.date.today()).isoformat()
    return Sheet(
        "招商引资清单",
        TARGET_COLUMNS,
        target_list_rows(report, owner_unit),
        heading=f"{report.gaps.town['name']}招商引资清单（{day}）",
        empty_note="" if report.targets else why_no_targets(report),
    )


def target_notes_sheet(report: TargetReport, as_of: dt.date | None = None) -> Sheet:
    """The 说明 sheet: how the score is made (each component's maximum), what it rests on."""
    day = (as_of or dt.date.today()).isoformat()
    weights = report.weights
    rows: list[dict[str, Any]] = [
        {"item": "统计日期", "text": day},
        {"item": "专业镇", "text": report.gaps.town["name"]},
        {"item": "主导产业链", "text": report.gaps.chain["name"]},
        {"item": "权重预设", "text": report.preset},
        {
            "item": "综合得分",
            "text": "六项之和，满分 100；每项 = 满分 × 系数（0–1），“得分构成”列为 得分/满分",
        },
    ]
    for component in SCORE_COMPONENTS:
        rows.append(
            {
                "item": f"{component.zh}（“{SHORT_ZH[component.key]}”，满分 "
                f"{getattr(weights, component.key):g}）",
                "text": component.factor,
            }
        )
    rows += [
        {
            "item": "数据来源",
            "text": "本库导入的产业链模板、专业镇和企业数据（企业名录、填报表）；"
            "距离按区县（或地市、省）中心点估算",
        },
        {
            "item": "跟进状态",
            "text": "可在“跟进状态”列选择："
            + "、".join(FOLLOW_UP)
            + "。改好跟进状态、责任单位、备注后保存，用 chainmap import 本文件 导入即可记入台账"
            "（按企业编号和专业镇对应，其他列不读；状态有变的记为导入当天）。",
        },
    ]
    return Sheet(
        "说明",
        (Column("item", "项目", 26, wrap=True), Column("text", "说明", 90, wrap=True)),
        rows,
        heading=f"{report.gaps.town['name']}招商引资清单·说明",
    )


# --- 重大项目清单 ------------------------------------------------------------------------------

PROJECT_COLUMNS = (
    Column("seq", "序号", 5),
    Column("name", "项目名称", 26, wrap=True),
    Column("town_name", "所在专业镇", 16, wrap=True),
    Column("link_name", "对应环节", 10, wrap=True),
    Column("investor", "投资方", 22, wrap=True),
    Column("investment_wan", "总投资（万元）", 12, number_format="#,##0"),
    Column("status", "项目状态", 8),
    Column("funds_wan", "到位资金（万元）", 11, number_format="#,##0"),
    Column("funding_rate", "到资率", 8, number_format="0.0%"),
    Column("signed_on", "签约日期", 11, number_format="date"),
    Column("started_on", "开工日期", 11, number_format="date"),
    Column("producing_on", "投产日期", 11, number_format="date"),
    Column("effective_on", "达效日期", 11, number_format="date"),
    Column("terminated_on", "终止日期", 11, number_format="date"),
    Column("owner_unit", "责任单位", 12, wrap=True),
    Column("flag_text", "预警", 18, wrap=True),
    Column("referrer", "引荐人（以企引企）", 14, wrap=True),
    Column("notes", "备注", 16, wrap=True),
    Column("project_id", "项目编号", 12),
)
REWARD_COLUMNS = (
    Column("seq", "序号", 5),
    Column("name", "项目名称", 24, wrap=True),
    Column("town_name", "所在专业镇", 14, wrap=True),
    Column("investor", "投资方", 20, wrap=True),
    Column("referrer", "引荐人", 18, wrap=True),
    Column("status", "项目状态", 8),
    Column("investment_wan", "总投资（万元）", 12, number_format="#,##0"),
    Column("funds_wan", "到位资金（万元）", 12, number_format="#,##0"),
    Column("computed_wan", "按规则测算（万元）", 12, number_format="#,##0.00"),
    Column("share", "按进度兑现比例", 10, number_format="0%"),
    Column("due_wan", "应兑现奖励（万元）", 12, number_format="#,##0.00"),
    Column("text", "说明", 24, wrap=True),
)


def project_rows(projects: Sequence[Project]) -> list[dict[str, Any]]:
    rows = []
    for seq, project in enumerate(projects, start=1):
        row = dict(project.row)
        row["seq"] = seq
        row["investor"] = project.investor
        row["flag_text"] = project.flag_text
        row["funds_wan"] = project.funds_wan if project.fundings else None
        row["funding_rate"] = project.funding_rate if project.fundings else None
        row["referrer"] = project.referrer
        rows.append(row)
    return rows


def reward_rows(projects: Sequence[Project], rule: RewardRule) -> list[dict[str, Any]]:
    """以企引企奖励测算: one row per project that names who brought its investor."""
    rows = []
    for project in projects:
        reward = reward_of(project, rule)
        if reward is None:
            continue
        rows.append(
            {
                "seq": len(rows) + 1,
                "name": project.row["name"],
                "town_name": project.row.get("town_name"),
                "investor": project.investor,
                "referrer": project.referrer,
                "status": project.status,
                "investment_wan": project.row.get("investment_wan"),
                "funds_wan": reward.basis_wan,
                "computed_wan": reward.computed_wan,
                "share": reward.share,
                "due_wan": reward.due_wan,
                "text": reward.text,
            }
        )
    if rows:
        rows.append(
            {
                "name": "合计",
                "funds_wan": sum(r["funds_wan"] for r in rows),
                "due_wan": round(sum(r["due_wan"] for r in rows), 2),
            }
        )
    return rows


def _investment(projects: Sequence[Project]) -> float:
    return sum(p.row.get("investment_wan") or 0.0 for p in projects)


def project_sheets(
    projects: Sequence[Project],
    summary: PipelineSummary,
    as_of: str,
    scope: str = "全部专业镇",
    rewards: RewardRule | None = None,
) -> list[Sheet]:
    """The list, its 汇总 (三个一批 with investment; 终止 apart, never in the totals), the
    三个一批 of each town and the 以企引企奖励测算 under the county's rule."""
    rule = rewards or RewardRule()
    live = [p for p in projects if p.status != TERMINATED]
    summary_rows: list[dict[str, Any]] = []
    for batch, statuses in BATCHES.items():
        members = [p for p in live if p.status in statuses]
        summary_rows.append(
            {"item": batch, "count": len(members), "investment": _investment(members)}
        )
    in_batches = [p for p in live if any(p.status in s for s in BATCHES.values())]
    summary_rows.append(
        {"item": "三个一批合计", "count": len(in_batches), "investment": _investment(in_batches)}
    )
    talking = [p for p in live if p.status == TALKING]
    summary_rows.append({"item": "在谈", "count": len(talking), "investment": _investment(talking)})
    planned = [p for p in live if p.status == PLANNED]
    summary_rows.append(
        {"item": "谋划（项目库储备）", "count": len(planned), "investment": _investment(planned)}
    )
    summary_rows.append(
        {"item": "全部在库项目（不含终止）", "count": len(live), "investment": _investment(live)}
    )
    ended = [p for p in projects if p.status == TERMINATED]
    summary_rows.append(
        {"item": "终止（不计入以上合计）", "count": len(ended), "investment": _investment(ended)}
    )
    summary_rows.append({"item": "有预警的项目", "count": summary.flagged, "investment": None})
    funded = [p for p in live if p.fundings]
    summary_rows.append(
        {
            "item": "到位资金（有到资记录的项目，万元）",
            "count": len(funded),
            "investment": sum(p.funds_wan for p in funded),
        }
    )
    town_rows = []
    by_town: dict[str, list[Project]] = {}
    for project in live:
        by_town.setdefault(project.row.get("town_name") or project.row["town_id"], []).append(
            project
        )
    for town, members in sorted(by_town.items()):
        row: dict[str, Any] = {
            "town": town,
            "count": len(members),
            "investment": _investment(members),
        }
        for batch, statuses in BATCHES.items():
            in_batch = [p for p in members if p.status in statuses]
            row[batch] = len(in_batch)
            row[f"{batch}_investment"] = _investment(in_batch)
        town_rows.append(row)
    heading = f"{scope}重大项目清单（三个一批，统计日期 {as_of}）"
    return [
        Sheet(
            "重大项目清单",
            PROJECT_COLUMNS,
            project_rows(projects),
            heading=heading,
            empty_note="还没有项目：用 chainmap project add 新增，或在填报表的“项目”页填写后导入。",
        ),
        Sheet(
            "汇总",
            (
                Column("item", "项目", 26),
                Column("count", "个数", 8, number_format="#,##0"),
                Column("investment", "总投资（万元）", 16, number_format="#,##0"),
            ),
            summary_rows,
            heading=f"{scope}重大项目汇总（统计日期 {as_of}）",
        ),
        Sheet(
            "分镇三个一批",
            (
                Column("town", "专业镇", 22, wrap=True),
                Column("count", "项目数（不含终止）", 10, number_format="#,##0"),
                Column("investment", "总投资（万元）", 14, number_format="#,##0"),
                *(
                    column
                    for batch in BATCHES
                    for column in (
                        Column(batch, f"{batch}（个）", 9, number_format="#,##0"),
                        Column(
                            f"{batch}_investment", f"{batch}投资（万元）", 14, number_format="#,##0"
                        ),
                    )
                ),
            ),
            town_rows,
            heading=f"{scope}分镇三个一批（统计日期 {as_of}）",
        ),
        Sheet(
            "以企引企奖励测算",
            REWARD_COLUMNS,
            reward_rows(projects, rule),
            heading=f"{scope}以企引企奖励测算（{rule.rule_text}；统计日期 {as_of}）",
            empty_note="没有填写引荐人的项目：在项目的“引荐人”或“引荐企业编号”列填写后，"
            "按到位资金和建设进度测算奖励（规则见配置文件 [rewards]）。",
        ),
    ]


# --- 专业镇年度排名 ----------------------------------------------------------------------------

RANK_UNITS = {
    "output": ("主导产业产值（万元）", "#,##0"),
    "output_growth": ("产值增长（%）", "0.0"),
    "market_entities": ("市场主体（户）", "#,##0"),
    "market_growth": ("市场主体增长（%）", "0.0"),
    "completeness": ("链条完整度（%）", "0.0"),
    "producing_projects": ("当年投产项目（个）", "#,##0"),
    "leading_firms": ("龙头企业（家）", "#,##0"),
}
RANK_COLUMNS = (
    Column("rank", "名次", 5),
    Column("town_name", "专业镇", 20, wrap=True),
    Column("score", "综合得分", 8, number_format="0.0"),
    *(
        column
        for key, title in RANK_ZH.items()
        for column in (
            Column(f"value_{key}", RANK_UNITS[key][0], 11, number_format=RANK_UNITS[key][1]),
            Column(f"points_{key}", f"{title}得分", 8, number_format="0.0"),
        )
    ),
    Column("mark", "表扬/督办", 9),
    Column("reasons_text", "理由", 36, wrap=True),
    Column("notes_text", "数据说明", 24, wrap=True),
)


def rank_rows(ranking: list[RankRow]) -> list[dict[str, Any]]:
    """Ranking rows flattened for tables and files: each indicator's value (blank when not
    reported, never a zero) beside the points it earned, reasons joined."""
    rows = []
    for r in ranking:
        row = {
            **r.as_dict(),
            **r.components,
            "reasons_text": "；".join(r.reasons),
            "notes_text": "；".join(r.notes),
        }
        for key in RANK_ZH:
            row[f"value_{key}"] = r.values.get(key)
            row[f"points_{key}"] = r.components.get(key)
        rows.append(row)
    return rows


def rank_sheet(ranking: list[RankRow], as_of: dt.date | None = None) -> Sheet:
    day = (as_of or dt.date.today()).isoformat()
    return Sheet(
        "专业镇年度排名",
        RANK_COLUMNS,
        rank_rows(ranking),
        heading=f"专业镇年度排名（{day}）",
        empty_note="库中还没有专业镇。",
    )

"""The empty workbook staff fill in by hand: one sheet per contract table, Chinese headers,
drop-down lists for fixed choices, and a 说明 sheet that explains every column."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from chainmap.importer.read import HELP_SHEET
from chainmap.model import (
    CATEGORIES,
    FOLLOW_UP_WAYS,
    LEAD_STATUSES,
    LEVELS,
    LOCALITIES,
    PROBLEM_STATUSES,
    PROJECT_STATUSES,
    STAGES,
    TABLES,
    TASK_STATUSES,
)

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
REQUIRED_FONT = Font(bold=True, color="FFE699")
_CHOICES = {
    ("links", "stage"): STAGES,
    ("links", "locality"): LOCALITIES,
    ("towns", "level"): LEVELS,
    ("towns", "category"): CATEGORIES,
    ("projects", "status"): PROJECT_STATUSES,
    ("firms", "leading"): ("是", "否"),
    ("leads", "status"): LEAD_STATUSES,
    ("follow_ups", "way"): FOLLOW_UP_WAYS,
    ("problems", "status"): PROBLEM_STATUSES,
    ("tasks", "status"): TASK_STATUSES,
}
_INPUT_ROWS = 2000  # rows the drop-down lists cover


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def write_template(path: Path) -> Path:
    workbook = Workbook()
    help_sheet = workbook.active
    help_sheet.title = HELP_SHEET
    help_sheet.append(["工作表", "列（表头）", "字段名", "必填", "说明"])
    for table, row_model in TABLES.items():
        sheet = workbook.create_sheet(row_model.table_zh)
        required = set(row_model.required_columns())
        for index, column in enumerate(row_model.columns(), start=1):
            header = row_model.zh(column) + ("*" if column in required else "")
            cell = sheet.cell(row=1, column=index, value=header)
            cell.fill = HEADER_FILL
            cell.font = REQUIRED_FONT if column in required else HEADER_FONT
            cell.alignment = Alignment(horizontal="center")
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = max(12, _width(header) + 4)
            choices = _CHOICES.get((table, column))
            if choices:
                validation = DataValidation(
                    type="list",
                    formula1='"' + ",".join(choices) + '"',
                    allow_blank=column not in required,
                    showErrorMessage=True,
                    errorTitle="请从列表中选择",
                    error="可选值：" + "、".join(choices),
                )
                validation.add(f"{letter}2:{letter}{_INPUT_ROWS}")
                sheet.add_data_validation(validation)
            info = row_model.model_fields[column]
            help_sheet.append(
                [
                    f"{row_model.table_zh}（{table}）",
                    row_model.zh(column),
                    column,
                    "是" if column in required else "",
                    info.description or "",
                ]
            )
        sheet.freeze_panes = "A2"
    for cell in help_sheet[1]:
        cell.fill = HEADER_FILL
        cell.font = HEADER_FONT
    for letter, width in zip("ABCDE", (22, 22, 18, 6, 70), strict=True):
        help_sheet.column_dimensions[letter].width = width
    help_sheet.freeze_panes = "A2"
    notes = [
        "",
        "填写说明：",
        "1. 每个工作表对应一张数据表；表头可用中文（如本模板）或英文字段名；带 * 的列必填。",
        "2. 一个单元格内有多个值时用分号分隔（; 或 ；）。金额单位均为万元；写明单位的（如 1.2亿、"
        "3500万元）按其单位折算。",
        "3. 只有 专业镇、产业链、产业链环节 三张表时即为一条产业链模板，其余表可留空。",
        "4. 企业编号有统一社会信用代码的请填写代码（18 位，系统会核对校验位）。",
        "5. 填好后运行：chainmap validate 本文件.xlsx（只检查），chainmap import 本文件.xlsx（导入）。",
    ]
    for line in notes:
        help_sheet.append([line])
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path

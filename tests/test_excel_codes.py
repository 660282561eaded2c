"""Codes Excel has turned into numbers: a USCC typed without the 文本 format is kept to 15
digits and shown (and saved to CSV) as 9.11411E+17. The code cannot be recovered; the user is
told so, on the row and column, instead of meeting "duplicate id" or "bad check digit"."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import Workbook

from chainmap.errors import DatasetInvalid
from chainmap.importer.load import check_dataset
from chainmap.importer.register import read_register
from chainmap.model import TABLES
from tests.builders import chain, firm, town, write_dataset


def _dataset(folder: Path, firm_ids: list[str]) -> Path:
    data = dict(
        chain("c", [("A", "上游"), ("B", "中游")], [("A", "B")]),
        towns=[town("T", "c")],
        firms=[firm(firm_id, name=f"示例企业{i}") for i, firm_id in enumerate(firm_ids)],
        firm_links=[{"firm_id": firm_id, "link_id": "B"} for firm_id in firm_ids],
    )
    return write_dataset(folder, **data)


def test_codes_saved_as_scientific_notation_in_a_csv_are_named_as_lost(tmp_path):
    # What Excel writes to CSV for two different 18-digit codes typed as numbers.
    folder = _dataset(tmp_path / "d", ["9.11411E+17", "9.11411E+17", "F-3"])
    with pytest.raises(DatasetInvalid) as caught:
        check_dataset(folder)
    issues = caught.value.issues
    firm_issues = [i for i in issues if i.table.startswith("firms")]
    assert [(i.row, i.value) for i in firm_issues] == [(2, "9.11411E+17"), (3, "9.11411E+17")]
    assert all("科学计数法" in i.reason and "文本" in i.reason for i in issues)
    assert not any("重复" in i.reason for i in issues)


def test_a_code_cell_holding_a_number_in_a_workbook_is_named_as_lost(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = TABLES["firms"].table_zh
    sheet.append(["企业编号", "企业名称", "省份"])
    sheet.append([9.11411220001234e17, "示例甲企业", "山西省"])  # as Excel stores it
    sheet.append(["F-2", "示例乙企业", "河北省"])
    path = tmp_path / "填报.xlsx"
    book.save(path)
    with pytest.raises(DatasetInvalid) as caught:
        check_dataset(path)
    (issue,) = caught.value.issues
    assert (issue.row, issue.value) == (2, "9.11411220001234E+17")
    assert "科学计数法" in issue.reason


def test_a_register_with_a_lost_uscc_keeps_the_firm_and_says_why(tmp_path):
    path = tmp_path / "名录.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["企业名称", "统一社会信用代码", "省份", "经营范围"])
        writer.writerow(["示例晋中硝酸有限公司", "9.11407E+17", "山西省", "硝酸"])
    register = read_register(path)
    (found,) = register.firms
    assert found.id_source == "名称+省份"
    (problem,) = register.problems
    assert (problem.column, problem.value) == ("统一社会信用代码", "9.11407E+17")
    assert "科学计数法" in problem.problem

"""Excel 97-2003 workbooks (.xls) read as the same workbook saved as .xlsx: registers and datasets.
The fixtures in tests/data/xls/ are one workbook in both formats (make_fixtures.py writes the
.xlsx with openpyxl and has LibreOffice save it as .xls)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from chainmap.cli import cli
from chainmap.errors import SourceError
from chainmap.importer.html_table import html_tables
from chainmap.importer.load import import_dataset
from chainmap.importer.read import _cell_text, fill_merged, open_workbook, read_dataset
from chainmap.importer.register import read_register
from chainmap.store.ladybug import LadybugStore

XLS = Path(__file__).parent / "data" / "xls"
SMALL = Path(__file__).parent / "data" / "small"


def _as_xls_label(notes: list[str], stem: str) -> list[str]:
    return [note.replace(f"{stem}.xlsx", f"{stem}.xls") for note in notes]


def test_an_xls_register_reads_as_the_same_workbook_saved_as_xlsx():
    xlsx = read_register(XLS / "register.xlsx")
    xls = read_register(XLS / "register.xls")
    assert xls.layout == xlsx.layout == "企查查导出"
    assert len(xls.firms) == 4 and xls.firms == xlsx.firms
    assert xls.skipped_closed == xlsx.skipped_closed == 1
    assert xls.problems == xlsx.problems
    # The merged province (G4:G6) is filled down and said; the hidden sheet is passed over.
    assert any("G4:G6 是合并单元格" in note for note in xls.notes)
    assert any("工作表「企业列表」" in note for note in xls.notes)
    # xlrd cannot tell a formula cell, so the .xlsx's note on O4 has no .xls twin.
    formula_free = [note for note in xlsx.notes if "公式" not in note]
    assert xls.notes == _as_xls_label(formula_free, "register")


def test_xls_cells_come_as_openpyxl_gives_them():
    workbook = open_workbook(XLS / "register.xls")
    try:
        hidden, sheet = workbook.worksheets
        assert (hidden.title, hidden.sheet_state) == ("旧名录", "hidden")
        assert (sheet.title, sheet.sheet_state) == ("企业列表", "visible")
        assert sheet.merges() == [(1, 0, 1, 14), (4, 6, 6, 6)]
        rows = list(sheet.iter_rows(values_only=True))
        assert len(list(sheet.iter_rows(max_row=2))) == 2
        first, second, fifth = rows[2], rows[3], rows[6]
        assert first[4] == dt.datetime(2008, 3, 1)  # a date cell
        assert first[13] == 120 and first[14] is None  # a number; an empty cell
        assert second[14] == "#DIV/0!"  # a formula's saved error
        assert fifth[14] is True and fifth[5] is None  # a boolean; an empty text cell
    finally:
        workbook.close()


def test_an_xls_dataset_reads_and_imports_as_its_xlsx(tmp_path):
    xlsx = read_dataset(XLS / "small.xlsx")
    xls = read_dataset(XLS / "small.xls")
    assert set(xls.tables) == set(xlsx.tables)
    for name, table in xlsx.tables.items():
        assert xls.tables[name].data.equals(table.data), name
        assert xls.tables[name].headers == table.headers, name
    assert xls.notes == _as_xls_label(xlsx.notes, "small")
    results = {}
    for source in (SMALL, XLS / "small.xls"):
        store = LadybugStore.open(tmp_path / source.name)
        try:
            results[source.name] = import_dataset(store, source).changes.created
        finally:
            store.close()
    assert results["small.xls"] == results["small"] and results["small"]["Firm"] > 0


def test_classify_takes_an_xls_register(tmp_path):
    db = tmp_path / "db"
    runner = CliRunner()
    chain = Path(__file__).resolve().parents[1] / "data" / "chains" / "nitro_fertilizer"
    assert runner.invoke(cli, ["import", str(chain), "--db", str(db)]).exit_code == 0
    out = tmp_path / "review.xlsx"
    result = runner.invoke(
        cli,
        ["classify", str(XLS / "register.xls"), "--chain", "nitro_fertilizer", "--out", str(out),
         "--db", str(db), "--include-unmatched"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert out.exists()


@pytest.mark.parametrize(
    ("content", "said"),
    [
        # The compound-file header of .xls, and of .doc: no workbook inside.
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "不是可读的 Excel 97-2003 工作簿"),
        # A real .xls cut short, as an interrupted download leaves it.
        (None, "不是可读的 Excel 97-2003 工作簿"),
        # An .xlsx with an opening password (Office encryption) has the same header.
        ("password.xlsx", "设有打开密码"),
    ],
)
def test_an_unreadable_xls_is_refused_with_a_message(tmp_path, content, said):
    if isinstance(content, str):
        path = XLS / content
    else:
        path = tmp_path / "名录.xls"
        path.write_bytes(content or (XLS / "register.xls").read_bytes()[:3000])
    with pytest.raises(SourceError, match=said):
        read_register(path)
    with pytest.raises(SourceError, match=said):
        read_dataset(path)


_HTML_XLS = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office">\r\n<head><meta charset="gbk">'
    "</head><body><table border=1><tr><th>企业名称</th><th>所属省份</th></tr>"
    "<tr><td>示例甲化工有限公司</td><td>山西省</td></tr></table></body></html>"
)
_XML_XLS = (
    '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
    '<Worksheet ss:Name="Sheet1"><Table><Row><Cell><Data ss:Type="String">企业名称</Data>'
    "</Cell></Row></Table></Worksheet></Workbook>"
)


@pytest.mark.parametrize(
    ("content", "said", "register_too"),
    [
        (_HTML_XLS.encode("gbk"), "是网页（HTML）表格", False),
        (b"\xef\xbb\xbf  \n" + _HTML_XLS.encode(), "是网页（HTML）表格", False),
        (_HTML_XLS.encode("utf-16"), "是网页（HTML）表格", False),
        (_XML_XLS.encode(), "是电子表格 XML 文件（Excel 2003 XML）", True),
    ],
)
def test_a_web_page_or_xml_saved_as_xls_is_named_not_read_as_csv(
    tmp_path, content, said, register_too
):
    # Web systems' "导出 Excel" writes these under an .xls name; read as CSV they gave
    # "找不到企业名称列" or "不支持的文件类型". A dataset must be a workbook; a register in a
    # web page's table is read (below).
    path = tmp_path / "导出.xls"
    path.write_bytes(content)
    with pytest.raises(SourceError, match=said):
        read_dataset(path)
    if register_too:
        with pytest.raises(SourceError, match=said):
            read_register(path)
    else:
        assert [firm.name for firm in read_register(path).firms] == ["示例甲化工有限公司"]


def _register_as_web_page() -> str:
    """register.xlsx's register sheet as a web system writes it: a title cell spanning the
    columns, th headers, the merged province (G4:G6) as a rowspan, a line break in a cell."""
    workbook = load_workbook(XLS / "register.xlsx", data_only=True)
    rows = [
        [_cell_text(v) for v in row] for row in workbook["企业列表"].iter_rows(values_only=True)
    ]
    width = len(rows[1])
    html = [
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
        f'</head><body><table border="1"><tr><td colspan="{width}">{rows[0][0]}</td></tr>'
    ]
    html.append("<tr>" + "".join(f"<th>{h}</th>" for h in rows[1]) + "</tr>")
    for number, row in enumerate(rows[2:], start=3):
        cells = []
        for column, value in enumerate(row):
            if column == 6 and number in (5, 6):
                continue  # covered by the rowspan above
            span = ' rowspan="3"' if column == 6 and number == 4 else ""
            text = (value or "").replace("、", "、<br>", 1)
            cells.append(f"<td{span}>{text}</td>")
        html.append("<tr>" + "".join(cells) + "</tr>")
    return "\n".join([*html, "</table></body></html>"])


def test_a_register_in_a_web_page_saved_as_xls_reads_as_the_workbook(tmp_path):
    path = tmp_path / "导出企业.xls"
    path.write_bytes(_register_as_web_page().encode("gbk"))
    from_page = read_register(path)
    from_workbook = read_register(XLS / "register.xlsx")
    assert from_page.layout == from_workbook.layout == "企查查导出"
    assert [firm.name for firm in from_page.firms] == [firm.name for firm in from_workbook.firms]
    for page, book in zip(from_page.firms, from_workbook.firms, strict=True):
        assert (page.firm_id, page.province, page.county, page.code) == (
            book.firm_id,
            book.province,
            book.county,
            book.code,
        )
        assert page.scope.replace(" ", "") == book.scope  # the line break reads as a space
    assert any("G4:G6 是合并单元格" in note for note in from_page.notes)
    assert any("网页（HTML）表格" in note for note in from_page.notes)


def test_a_csv_register_whose_cells_hold_angle_brackets_is_still_a_csv(tmp_path):
    path = tmp_path / "名录.csv"
    path.write_text("企业名称,所属省份,备注\n示例甲化工有限公司,山西省,<table> 不是网页\n")
    register = read_register(path)
    assert [firm.name for firm in register.firms] == ["示例甲化工有限公司"]


def test_web_page_tables_read_as_excel_lays_them_out():
    page = """<table>
      <tr><th colspan="2">企业</th><th>备注</th></tr>
      <tr><td rowspan="2">甲</td><td>一</td><td rowspan="3">长</td></tr>
      <tr><td>二<br>行</td></tr>
      <tr><td>乙</td><td><table><tr><td>内</td></tr></table></td></tr>
      <tr><td></td><td colspan="2">宽</td><td rowspan="9999">尾</td></tr>
    </table>"""
    outer, inner = html_tables(page.encode(), "t.xls")
    # Cells a span covers are empty, and the spans are merged ranges as a workbook has them;
    # the workbook readers' own fill_merged then fills them down.
    assert outer.rows == [
        ["企业", None, "备注"],
        ["甲", "一", "长"],
        [None, "二 行", None],
        ["乙", "内", None],
        [None, "宽", None, "尾"],
    ]
    assert outer.merges == [(1, 0, 1, 1), (2, 0, 3, 0), (2, 2, 4, 2), (5, 1, 5, 2), (5, 3, 5, 3)]
    notes: list[str] = []
    fill_merged(outer.rows, outer.merges, "t.xls", notes)
    assert outer.rows == [
        ["企业", None, "备注"],
        ["甲", "一", "长"],
        ["甲", "二 行", "长"],
        ["乙", "内", "长"],
        [None, "宽", None, "尾"],
    ]
    assert [note.split(" 是合并单元格")[0] for note in notes] == ["t.xls A2:A3", "t.xls C2:C4"]
    assert inner.rows == [["内"]]

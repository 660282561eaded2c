"""Registers as users bring them: 企查查 / 天眼查 exports, the exchanges' lists of listed firms, a
hand-made sheet; identities that survive edits to the register; the workflow that works as the
tool prints it (classify → import, no edits), two chains one after the other.

Every file here is written by the test in the layout of the real exports (column names,
spacing, encodings); the firms are fictional (示例…), with codes made to check out.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from chainmap.cli import cli
from chainmap.errors import DatasetInvalid
from chainmap.importer.load import import_dataset
from chainmap.importer.register import industry_code, read_register, stock_id
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore
from chainmap.uscc import check_character


def uscc(body: str) -> str:
    body = body.ljust(17, "0")[:17]
    return body + check_character(body)


QCC_HEADER = [
    "企业名称",
    "登记状态",
    "法定代表人",
    "注册资本",
    "成立日期",
    "统一社会信用代码",
    "所属省份",
    "所属城市",
    "所属区县",
    "企业类型",
    "国标行业",
    "企业地址",
    "经营范围",
    "参保人数",
]
QCC_ROWS = [
    [
        "示例交城硝酸有限公司",
        "存续",
        "张三",
        "5000万元人民币",
        "2008-03-01",
        uscc("91141122MA0K0001"),
        "山西省",
        "吕梁市",
        "交城县",
        "有限责任公司",
        "制造业>化学原料和化学制品制造业>基础化学原料制造>无机酸制造",
        "山西省吕梁市交城县",
        "硝酸、稀硝酸的生产和销售",
        "120",
    ],
    [
        "示例苏州复合肥有限公司",
        "在业",
        "李四",
        "1亿元人民币",
        "2010-05-01",
        uscc("91320500MA1X0002"),
        "江苏省",
        "苏州市",
        "昆山市",
        "股份有限公司",
        "制造业>化学原料和化学制品制造业>肥料制造>复混肥料制造",
        "江苏省苏州市昆山市",
        "硝基复合肥、复混肥料生产销售",
        "300",
    ],
    [
        "示例已注销化肥有限公司",
        "注销",
        "王五",
        "100万元人民币",
        "2001-01-01",
        uscc("91370100MA3C0003"),
        "山东省",
        "济南市",
        "",
        "有限责任公司",
        "制造业>化学原料和化学制品制造业>肥料制造>复混肥料制造",
        "山东省济南市",
        "复混肥料",
        "0",
    ],
]


def _xlsx(path: Path, header: list[str], rows: list[list[str]], title: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _csv(path: Path, header: list[str], rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_qichacha_export_is_read_without_renaming(tmp_path):
    register = read_register(_xlsx(tmp_path / "企查查.xlsx", QCC_HEADER, QCC_ROWS))
    assert register.layout == "企查查导出"
    assert register.skipped_closed == 1
    names = {f.name: f for f in register.firms}
    acid = names["示例交城硝酸有限公司"]
    assert acid.id_source == "统一社会信用代码" and acid.province == "山西省"
    assert acid.code == "2611"  # 无机酸制造, found by its class name
    assert names["示例苏州复合肥有限公司"].code == "2624"


@pytest.mark.parametrize(
    "title",
    [
        ["企查查 企业列表导出"],  # one cell, as a hand-saved file has it
        ["企查查 企业列表导出（导出时间 2026-11-30）", "", "", "", ""],  # shorter than the header
        ["企查查 企业列表导出", *[""] * (len(QCC_HEADER) - 1)],  # as wide, as Excel pads it
    ],
    ids=["one-cell", "short", "padded"],
)
def test_qichacha_csv_with_a_title_row_above_the_header(tmp_path, title):
    # A CSV saved from the export, GB18030 with CRLF, the title row kept above the header: the
    # title is no firm, and a short title row does not make the file look malformed.
    path = tmp_path / "企查查.csv"
    with path.open("w", encoding="gb18030", newline="") as f:
        writer = csv.writer(f, lineterminator="\r\n")
        writer.writerow(title)
        writer.writerow(QCC_HEADER)
        writer.writerows(QCC_ROWS)
    register = read_register(path)
    assert register.layout == "企查查导出"
    assert [f.name for f in register.firms] == ["示例交城硝酸有限公司", "示例苏州复合肥有限公司"]
    assert register.skipped_closed == 1


def test_a_dataset_csv_row_longer_than_its_header_is_still_refused(tmp_path):
    # Datasets read their header from the first row, with no title rows: a longer row below it
    # stays an error (its extra cell would have no column to go to).
    folder = tmp_path / "dataset"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        "firm_id,name,province\nF1,示例一,山西省,多余\nF2,示例二,山西省\n", encoding="utf-8"
    )
    result = CliRunner().invoke(cli, ["validate", str(folder)])
    assert result.exit_code != 0
    assert "第 2 行有 4 列" in result.output


def test_a_blank_province_with_an_unknown_city_is_shown_blank_not_none(tmp_path):
    header = ["企业名称", "省份", "城市", "经营范围"]
    rows = [["示例无省份铸造有限公司", "", "不存在市", "铸件"]]
    register = read_register(_csv(tmp_path / "名录.csv", header, rows))
    [problem] = register.problems
    assert (problem.column, problem.value) == ("省份", "")
    assert "必填项为空" in problem.problem


def test_tianyancha_export_in_gbk(tmp_path):
    header = [
        "公司名称",
        "登记状态",
        "统一社会信用代码",
        "所属省份",
        "所属城市",
        "所属区县",
        "国标行业",
        "注册地址",
        "经营范围",
    ]
    rows = [
        [
            "示例河北合成氨有限公司",
            "存续",
            uscc("91130100MA0A0004"),
            "河北省",
            "石家庄市",
            "",
            "氮肥制造",
            "河北省石家庄市",
            "合成氨、尿素",
        ],
        ["示例吊销化工有限公司", "吊销，未注销", "", "河北省", "", "", "", "", "化工"],
    ]
    register = read_register(_csv(tmp_path / "天眼查.csv", header, rows, "gb18030"))
    assert register.layout == "天眼查导出"
    assert [f.name for f in register.firms] == ["示例河北合成氨有限公司"]
    assert register.firms[0].code == "2621"
    assert register.skipped_closed == 1


def test_shenzhen_list_with_spaced_headers_and_stock_ids(tmp_path):
    header = [
        "板块",
        "公司全称",
        "英文名称",
        "注册地址",
        "A股代码",
        "A股简称",
        "A股上市日期",
        "地 区",
        "省 份",
        "城 市",
        "所属行业",
        "公司网址",
    ]
    rows = [
        [
            "主板",
            "示例芭田化肥股份有限公司",
            "Example",
            "广东省深圳市南山区",
            "002170",
            "示例芭田",
            "2007-09-19",
            "华南",
            "广东",
            "深圳市",
            "C26 化学原料和化学制品制造业",
            "",
        ],
        [
            "创业板",
            "示例软件股份有限公司",
            "Example2",
            "北京市海淀区",
            "300001",
            "示例软件",
            "2009-10-30",
            "华北",
            "北京",
            "北京市",
            "I65 软件和信息技术服务业",
            "",
        ],
    ]
    register = read_register(_xlsx(tmp_path / "深交所.xlsx", header, rows))
    assert register.layout == "深圳证券交易所上市公司列表"
    firms = {f.name: f for f in register.firms}
    fert = firms["示例芭田化肥股份有限公司"]
    assert fert.firm_id == "002170.SZ" and fert.id_source == "证券代码"
    assert fert.province == "广东省" and fert.city == "深圳市"
    assert fert.code == "26"
    assert firms["示例软件股份有限公司"].province == "北京市"


def test_shanghai_and_beijing_lists_get_their_exchange(tmp_path):
    header = ["证券代码", "证券简称", "公司全称", "上市日期", "所属行业", "注册地址"]
    rows = [
        [
            "600096",
            "示例云天化",
            "示例云南云天化股份有限公司",
            "1997-07-09",
            "化学原料和化学制品制造业",
            "云南省昆明市",
        ],
        [
            "830799",
            "示例艾融",
            "示例上海艾融软件股份有限公司",
            "2020-07-27",
            "软件和信息技术服务业",
            "上海市浦东新区",
        ],
    ]
    register = read_register(_csv(tmp_path / "上交所.csv", header, rows))
    ids = {f.name: (f.firm_id, f.province) for f in register.firms}
    assert ids["示例云南云天化股份有限公司"] == ("600096.SH", "云南省")
    assert ids["示例上海艾融软件股份有限公司"] == ("830799.BJ", "上海市")


def test_stock_ids_and_industry_codes():
    assert stock_id("2170", None) == "002170.SZ"
    assert stock_id("SH600096", None) == "600096.SH"
    assert stock_id("600096", "深交所") == "600096.SZ"
    assert stock_id("ABC", None) is None
    assert industry_code("2624", None) == ("2624", None)
    code, problem = industry_code("9999", None)
    assert code is None and "不在 GB/T 4754-2017" in problem


HAND_HEADER = ["企业名称", "统一社会信用代码", "省份", "地址", "行业代码", "经营范围"]
HAND_ROWS = [
    ["示例沧州化肥有限公司", "", "河北省", "", "2621", "尿素、合成氨"],
    ["示例新兴铸管有限公司", "", "河北", "", "3391", "球墨铸铁管、铸件"],
    ["示例无地址硝酸钙有限公司", "", "", "", "", "硝酸钙"],
    ["示例坏代码复合肥有限公司", "91350100M000100Y4X", "福建省", "", "", "复合肥"],
]


def test_identity_survives_inserted_deleted_and_reordered_rows(tmp_path):
    first = read_register(_csv(tmp_path / "a.csv", HAND_HEADER, HAND_ROWS))
    changed_rows = [
        ["示例插入的企业有限公司", "", "山西省", "", "", "化肥"],
        *reversed(HAND_ROWS[1:]),
    ]
    second = read_register(_csv(tmp_path / "b.csv", HAND_HEADER, changed_rows))
    before = {f.name: f.firm_id for f in first.firms}
    after = {f.name: f.firm_id for f in second.firms}
    for name, firm_id in after.items():
        if name in before:
            assert before[name] == firm_id, name
    assert all(not i.startswith("名录0") for i in after.values())
    # Short province written in full; no place at all is 未知; a bad code is a problem, kept.
    provinces = {f.name: f.province for f in first.firms}
    assert provinces["示例新兴铸管有限公司"] == "河北省"
    assert provinces["示例无地址硝酸钙有限公司"] == "未知"
    assert first.unknown_place == 1
    assert any(p.column == "统一社会信用代码" and "校验不通过" in p.problem for p in first.problems)


def test_one_firm_on_two_rows_is_an_error_naming_both(tmp_path):
    rows = [*HAND_ROWS, ["示例沧州化肥有限公司 ", "", "河北省", "", "", "尿素"]]
    with pytest.raises(DatasetInvalid) as caught:
        read_register(_csv(tmp_path / "dup.csv", HAND_HEADER, rows))
    assert any("与第 2 行是同一企业" in i.reason and i.row == 6 for i in caught.value.issues)
    code = uscc("91130900MA0D0005")
    rows = [
        ["示例甲有限公司", code, "河北省", "", "尿素"],
        ["示例乙有限公司", code.lower(), "河北省", "", ""],
    ]
    with pytest.raises(DatasetInvalid) as caught:
        read_register(_csv(tmp_path / "dup2.csv", HAND_HEADER, rows))
    assert caught.value.issues[0].row == 3


def _store_with_chains(tmp_path: Path) -> Path:
    db = tmp_path / "db"
    store = LadybugStore.open(db)
    for name in ("nitro_fertilizer", "casting"):
        import_dataset(store, resource_dir("data") / "chains" / name)
    store.close()
    return db


def _classify(db: Path, register: Path, chain: str, out: Path, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["classify", str(register), "--chain", chain, "--out", str(out), "--db", str(db), *extra],
    )
    assert result.exit_code == 0, result.output
    return result.output


def _makes(db: Path) -> dict[str, set[str]]:
    store = LadybugStore.open(db)
    try:
        links: dict[str, set[str]] = {}
        for edge in store.query("edges_scan", rel="MAKES"):
            links.setdefault(edge["from_id"], set()).add(edge["to_id"])
        return links
    finally:
        store.close()


def test_the_printed_workflow_works_untouched_and_two_chains_keep_their_links(tmp_path):
    db = _store_with_chains(tmp_path)
    register = _csv(tmp_path / "名录.csv", HAND_HEADER, HAND_ROWS)
    nitro = tmp_path / "nitro.xlsx"
    # The threshold is set low so that this small register has pre-marked rows in both chains.
    output = _classify(db, register, "nitro_fertilizer", nitro, "--confident", "0.4")
    assert "chainmap import" in output
    runner = CliRunner()
    first = runner.invoke(cli, ["import", str(nitro), "--db", str(db)])
    assert first.exit_code == 0, first.output
    nitro_links = _makes(db)
    assert nitro_links, "the confident proposals were imported"
    casting = tmp_path / "casting.xlsx"
    # Every firm of the register is on the casting workbook's 企业 page, so each is an owner of
    # that import: its fertiliser links must survive all the same.
    _classify(db, register, "casting", casting, "--confident", "0.4", "--include-unmatched")
    listed = {c.value for c in load_workbook(casting)["企业"]["A"][1:]}
    assert set(nitro_links) <= listed
    second = runner.invoke(cli, ["import", str(casting), "--db", str(db)])
    assert second.exit_code == 0, second.output
    both = _makes(db)
    for firm_id, links in nitro_links.items():
        assert links <= both[firm_id], firm_id
    pipe = next(fid for fid, links in both.items() if any(link.startswith("cs_") for link in links))
    assert pipe


def test_pending_rows_are_skipped_and_counted(tmp_path):
    db = _store_with_chains(tmp_path)
    out = tmp_path / "review.xlsx"
    _classify(
        db,
        _csv(tmp_path / "r.csv", HAND_HEADER, HAND_ROWS),
        "nitro_fertilizer",
        out,
        "--confident",
        "1.0",
    )
    book = load_workbook(out)
    sheet = book["企业环节"]
    assert all(sheet.cell(r, 1).value in (None, "") for r in range(2, sheet.max_row + 1))
    sheet.cell(2, 1).value = "是"
    book.save(out)
    result = CliRunner().invoke(cli, ["import", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert f"另有 {sheet.max_row - 2} 行待审核" in result.output
    assert sum(len(v) for v in _makes(db).values()) == 1


def _store_with_firm(tmp_path: Path, firm_id: str, name: str, province: str) -> Path:
    db = _store_with_chains(tmp_path)
    store = LadybugStore.open(db)
    firms = tmp_path / "firms"
    firms.mkdir()
    _csv(firms / "firms.csv", ["firm_id", "name", "province"], [[firm_id, name, province]])
    import_dataset(store, firms)
    store.close()
    return db


def test_a_name_already_in_the_store_under_another_id_is_a_problem(tmp_path):
    db = _store_with_firm(tmp_path, "CZ-1", "示例沧州化肥有限公司", "河北省")
    out = tmp_path / "review.xlsx"
    output = _classify(
        db, _csv(tmp_path / "r.csv", HAND_HEADER, HAND_ROWS), "nitro_fertilizer", out
    )
    assert "需人工核对" in output
    problems = [[c.value for c in row] for row in load_workbook(out)["问题"].iter_rows(min_row=2)]
    assert any("CZ-1" in str(row[4]) for row in problems)


def test_a_hand_made_register_with_merged_cells_reads_as_excel_shows_it(tmp_path):
    """A county's own sheet: a merged title, a two-level header (企业名称 merged down over the
    sub-header row), and 省份/地市 merged down over each group of firms, as clerks lay them out."""
    book = Workbook()
    sheet = book.active
    sheet.title = "重点企业"
    sheet.append(["交城县化肥产业链重点企业名录（2026年）"])
    sheet.append(["企业名称", "省份", "地市", "经营范围", "营业收入", None])
    sheet.append([None, None, None, None, "2025年", "2024年"])
    groups = [
        ("山西省", "吕梁市", ["示例交城硝酸有限公司", "示例交城复合肥有限公司"], "硝酸"),
        (
            "河北省",
            "石家庄市",
            ["示例河北合成氨有限公司", "示例河北尿素有限公司", "示例河北磷铵有限公司"],
            "合成氨",
        ),
    ]
    row = 4
    for province, city, names, scope in groups:
        for index, name in enumerate(names):
            sheet.append(
                [
                    name,
                    province if index == 0 else None,
                    city if index == 0 else None,
                    scope,
                    "1000",
                    "900",
                ]
            )
        last = row + len(names) - 1
        sheet.merge_cells(f"B{row}:B{last}")
        sheet.merge_cells(f"C{row}:C{last}")
        row = last + 1
    sheet.merge_cells("A1:F1")
    for column in "ABCD":
        sheet.merge_cells(f"{column}2:{column}3")
    sheet.merge_cells("E2:F2")
    path = tmp_path / "重点企业名录.xlsx"
    book.save(path)

    register = read_register(path)
    placed = {f.name: (f.province, f.city, f.row) for f in register.firms}
    assert placed == {
        "示例交城硝酸有限公司": ("山西省", "吕梁市", 4),
        "示例交城复合肥有限公司": ("山西省", "吕梁市", 5),
        "示例河北合成氨有限公司": ("河北省", "石家庄市", 6),
        "示例河北尿素有限公司": ("河北省", "石家庄市", 7),
        "示例河北磷铵有限公司": ("河北省", "石家庄市", 8),
    }
    assert register.unknown_place == 0
    assert any("B6:B8" in note and "河北省" in note for note in register.notes)

    db = _store_with_chains(tmp_path)
    out = tmp_path / "review.xlsx"
    output = _classify(db, path, "nitro_fertilizer", out)
    assert "合并单元格" in output
    guide = [c.value for c in load_workbook(out)["说明"]["A"]]
    assert any("C4:C5" in str(text) and "吕梁市" in str(text) for text in guide)


def test_the_register_sheet_is_found_behind_a_cover_sheet_and_other_sheets_are_named(tmp_path):
    book = Workbook()
    cover = book.active
    cover.title = "导出说明"
    cover.append(["本文件由企业信息查询平台导出"])
    cover.append(["导出时间", "2026-11-30"])
    firms = book.create_sheet("企业列表")
    firms.append(QCC_HEADER)
    for row in QCC_ROWS:
        firms.append(row)
    old_copy = book.create_sheet("旧名录", 0)  # a hidden sheet kept by whoever made the file
    old_copy.sheet_state = "hidden"
    old_copy.append(["企业名称"])
    old_copy.append(["示例已迁出企业有限公司"])
    branches = book.create_sheet("分支机构")
    branches.append(["企业名称", "负责人"])
    branches.append(["示例交城硝酸有限公司吕梁分公司", "赵六"])
    path = tmp_path / "企查查导出.xlsx"
    book.save(path)

    register = read_register(path)
    assert register.layout == "企查查导出"
    assert {f.name for f in register.firms} == {"示例交城硝酸有限公司", "示例苏州复合肥有限公司"}
    assert any("「企业列表」" in note for note in register.notes)
    assert any("「分支机构」" in note and "未读取" in note for note in register.notes)
    assert any("「旧名录」" in note and "未读取" in note for note in register.notes)


def test_total_and_note_rows_of_a_hand_made_sheet_are_not_firms(tmp_path):
    header = ["企业名称", "省份", "经营范围", "营业收入（万元）"]
    rows = [
        ["示例吕梁硝酸有限公司", "山西省", "硝酸", "12000"],
        ["示例吕梁复合肥有限公司", "山西省", "复合肥", "8000"],
        ["小计", "", "", "20000"],
        ["示例石家庄合成氨有限公司", "河北省", "合成氨", "30000"],
        ["小计", "", "", "30000"],
        ["合 计", "", "", "50000"],
        ["注：营业收入为2025年数据，来源于企业填报", "", "", ""],
    ]
    register = read_register(_csv(tmp_path / "重点企业.csv", header, rows, "gb18030"))
    assert [f.name for f in register.firms] == [
        "示例吕梁硝酸有限公司",
        "示例吕梁复合肥有限公司",
        "示例石家庄合成氨有限公司",
    ]
    skipped = [note for note in register.notes if "合计或说明行" in note]
    assert len(skipped) == 4 and any("第 8 行" in note for note in skipped)


def test_revenue_in_the_unit_its_header_or_cell_gives(tmp_path):
    listed = read_register(
        _csv(
            tmp_path / "财务.csv",
            ["公司名称", "省份", "营业收入(元)"],
            [["示例甲股份有限公司", "山西省", "1,234,567,890.00"]],
        )
    )
    assert listed.firms[0].revenue_wan == 123456.789
    hand = read_register(
        _csv(
            tmp_path / "手填.csv",
            ["企业名称", "省份", "营业收入"],
            [
                ["示例乙有限公司", "山西省", "1.2亿"],
                ["示例丙有限公司", "山西省", "3,500万元"],
                ["示例丁有限公司", "山西省", "800"],
            ],
        )
    )
    assert [f.revenue_wan for f in hand.firms] == [12000.0, 3500.0, 800.0]


def test_a_stored_name_written_with_other_brackets_is_the_same_name(tmp_path):
    db = _store_with_firm(tmp_path, "CZ-9", "示例（沧州）化肥有限公司", "河北省")
    out = tmp_path / "review.xlsx"
    rows = [["示例(沧州)化肥有限公司", "", "河北省", "", "2621", "尿素、合成氨"]]
    _classify(db, _csv(tmp_path / "r.csv", HAND_HEADER, rows), "nitro_fertilizer", out)
    problems = [[c.value for c in row] for row in load_workbook(out)["问题"].iter_rows(min_row=2)]
    assert any("CZ-9" in str(row[4]) for row in problems)

"""Excel and register habits read as the user meant them, and said: merged cells, title rows,
short place names, places to derive, stray white space, formulas, identity of USCCs."""

from __future__ import annotations

import shutil

from openpyxl import Workbook

from chainmap.importer.load import check_dataset, import_dataset
from tests.builders import chain, firm, town, write_dataset
from tests.conftest import DATA

CHAIN = chain("c", [("a", "上游"), ("b", "下游")], [("a", "b")])


def _firm_rows(store):
    return {r["id"]: r for r in store.query("nodes_scan", label="Firm")}


def _workbook(path, sheets):
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    return book


def test_merged_town_cells_are_filled_down_and_said(store, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "c", **CHAIN, towns=[town("t1", "c")]))
    book = _workbook(
        tmp_path,
        {
            "企业": [
                ["企业编号", "企业名称", "省份", "地市", "所在专业镇编号"],
                ["f1", "甲厂", "山西省", "吕梁市", "t1"],
                ["f2", "乙厂", None, "吕梁市", None],
                ["f3", "丙厂", None, "吕梁市", None],
                ["f4", "丁厂", None, "吕梁市", None],
            ]
        },
    )
    sheet = book["企业"]
    sheet.merge_cells("E2:E5")
    sheet.merge_cells("C2:C5")
    out = tmp_path / "merged.xlsx"
    book.save(out)
    result = import_dataset(store, out)
    firms = _firm_rows(store)
    assert {firms[f]["town_id"] for f in ("f1", "f2", "f3", "f4")} == {"t1"}
    assert {firms[f]["province"] for f in ("f1", "f2", "f3", "f4")} == {"山西省"}
    notes = " ".join(result.dataset.notes)
    assert "E2:E5 是合并单元格" in notes and "第 2–5 行" in notes


def test_a_title_row_above_the_header_is_skipped(store, tmp_path):
    book = _workbook(
        tmp_path,
        {
            "企业": [
                ["交城县重点企业名录（2026 年 11 月）"],
                ["企业编号", "企业名称", "省份"],
                ["f1", "甲厂", "山西省"],
            ]
        },
    )
    book["企业"].merge_cells("A1:C1")
    out = tmp_path / "titled.xlsx"
    book.save(out)
    result = import_dataset(store, out)
    assert set(_firm_rows(store)) == {"f1"}
    assert any("第 2 行是表头" in n for n in result.dataset.notes)


def test_places_are_completed_in_full_and_said(store, tmp_path):
    firms = [
        firm("short", "山西"),
        firm("inner", "内蒙"),
        firm("city_as_province", "杭州"),
        firm("short_city", "江苏省", city="苏州"),
        {"firm_id": "91140100MA0K12345Y", "name": "某某有限公司", "province": ""},
        {"firm_id": "byname", "name": "江苏华昌化工股份有限公司", "province": ""},
        {"firm_id": "bycity", "name": "某厂", "province": "", "city": "郑州市"},
        {"firm_id": "bymunicipality", "name": "某所", "province": "", "city": "北京市"},
        {"firm_id": "byshortmunicipality", "name": "某行", "province": "", "city": "上海"},
        {"firm_id": "unknown", "name": "某公司", "province": "未知"},
    ]
    result = import_dataset(store, write_dataset(tmp_path / "d", firms=firms))
    got = {fid: (row["province"], row["city"]) for fid, row in _firm_rows(store).items()}
    assert got["short"] == ("山西省", None)
    assert got["inner"] == ("内蒙古自治区", None)
    assert got["city_as_province"] == ("浙江省", "杭州市")
    assert got["short_city"] == ("江苏省", "苏州市")
    assert got["91140100MA0K12345Y"] == ("山西省", "太原市")
    assert got["byname"] == ("江苏省", None)
    assert got["bycity"] == ("河南省", "郑州市")
    assert got["bymunicipality"] == ("北京市", "北京市")  # as a register with both columns has it
    assert got["byshortmunicipality"] == ("上海市", "上海市")
    assert got["unknown"] == ("未知", None)
    notes = "\n".join(result.dataset.notes)
    for said in ("已按全称记为 山西省", "是地市名", "登记机关代码 140100", "按企业名称", "按地市"):
        assert said in notes, said


def test_white_space_in_names_is_folded(store, tmp_path):
    firms = [firm("f1", name="山西\n华鑫\t肥业\u00a0股份\u3000有限公司 "), firm(" f2\u200b ")]
    import_dataset(store, write_dataset(tmp_path / "d", firms=firms))
    rows = _firm_rows(store)
    assert rows["f1"]["name"] == "山西 华鑫 肥业 股份 有限公司"
    assert "f2" in rows


def test_a_usccs_case_width_and_spaces_do_not_make_another_firm(store, tmp_path):
    code = "91350100M000100Y43"
    import_dataset(store, write_dataset(tmp_path / "a", firms=[firm(code, name="甲厂")]))
    variants = [code.lower(), "９１３５０１００Ｍ０００１００Ｙ４３", "9135 0100 M000 100Y 43"]
    for index, variant in enumerate(variants):
        again = import_dataset(
            store, write_dataset(tmp_path / f"v{index}", firms=[firm(variant, name="甲厂")])
        )
        assert not again.changes.any, variant
    assert set(_firm_rows(store)) == {code}


def test_a_formula_cell_is_read_by_its_cached_value_and_said(tmp_path):
    # openpyxl writes no cached values, as a tool other than Excel may: the note says so.
    book = _workbook(
        tmp_path,
        {
            "企业": [
                ["企业编号", "企业名称", "省份", "营业收入（万元）"],
                ["f1", "甲厂", "山西省", 5],
            ]
        },
    )
    book["企业"]["D2"] = "=2+3"
    out = tmp_path / "formula.xlsx"
    book.save(out)
    dataset = check_dataset(out)
    assert any("公式单元格（D2）" in n for n in dataset.notes)


def test_the_good_small_dataset_reads_without_place_notes(tmp_path):
    folder = tmp_path / "small"
    shutil.copytree(DATA / "small", folder)
    dataset = check_dataset(folder)
    assert not [n for n in dataset.notes if "省份" in n or "地市" in n]


def test_amounts_written_with_their_unit_are_read_in_wan(store, tmp_path):
    rows = [
        firm("f1", "山西省", revenue_wan="1.2亿"),
        firm("f2", "河北省", revenue_wan="3,500万元"),
        firm("f3", "河南省", revenue_wan="12,345,678元"),
        firm("f4", "江苏省", revenue_wan="800"),
    ]
    import_dataset(store, write_dataset(tmp_path / "d", firms=rows))
    revenue = {firm_id: row["revenue_wan"] for firm_id, row in _firm_rows(store).items()}
    assert revenue == {"f1": 12000.0, "f2": 3500.0, "f3": 1234.5678, "f4": 800.0}

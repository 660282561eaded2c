"""classify on a small register whose right answers were worked out by hand."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from chainmap.cli import cli
from chainmap.importer.load import import_dataset
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore

REGISTER = Path(__file__).parent / "data" / "register" / "nitro_register.csv"
# (register row, link): what each firm of the register really makes or does.
TRUTH = {
    (2, "nf_nitric_acid"),
    (3, "nf_nitro_compound"),
    (4, "nf_wholesale"),
    (4, "nf_retail"),
    (5, "nf_logistics"),
    (6, "nf_packaging"),
    (7, "nf_calcium_nitrate"),
    (7, "nf_mg_nitrate"),
    (8, "nf_coal"),
    (9, "nf_equipment"),
    (12, "nf_potash_ore"),
    (13, "nf_phosphate_fert"),
    (14, "nf_ammonia"),
    (15, "nf_ecommerce"),
    (16, "nf_limestone"),
}
UNMATCHED = {"示例壬服装有限公司", "示例癸软件有限公司"}
# Floors: every proposal is checked by a person, so a wrong one costs a glance, a missed one a
# manual search. On a register whose scopes name the products we want both at 0.85 or better.
FLOOR = 0.85


def test_classify_precision_recall_and_review_workbook(tmp_path):
    db = tmp_path / "db"
    store = LadybugStore.open(db)
    import_dataset(store, resource_dir("data") / "chains" / "nitro_fertilizer")
    store.close()
    out = tmp_path / "审核.xlsx"
    result = CliRunner().invoke(
        cli,
        [
            "classify",
            str(REGISTER),
            "--chain",
            "nitro_fertilizer",
            "--out",
            str(out),
            "--db",
            str(db),
        ],
    )
    assert result.exit_code == 0, result.output
    book = load_workbook(out)
    sheet = book["企业环节"]
    headers = [c.value for c in sheet[1]]
    rows = [
        dict(zip(headers, (c.value for c in row), strict=True))
        for row in sheet.iter_rows(min_row=2)
    ]
    firms = {
        r["企业编号"]: r
        for r in (
            dict(zip([c.value for c in book["企业"][1]], (c.value for c in row), strict=True))
            for row in book["企业"].iter_rows(min_row=2)
        )
    }
    row_of = {
        firm_id: int(f["数据来源"].split("第 ")[1].split(" ")[0]) for firm_id, f in firms.items()
    }
    proposed = {(row_of[r["企业编号"]], r["环节编号"]) for r in rows}
    precision = len(proposed & TRUTH) / len(proposed)
    recall = len(proposed & TRUTH) / len(TRUTH)
    print(f"classify: precision {precision:.2f}, recall {recall:.2f} ({len(proposed)} proposals)")
    assert precision >= FLOOR and recall >= FLOOR
    assert all(r["依据"] for r in rows) and all(0 < r["置信度"] <= 1 for r in rows)
    unmatched = {c.value for c in book["未匹配企业"]["B"][1:]}
    assert unmatched == UNMATCHED  # listed, not dropped
    # Provinces come from the addresses; a valid USCC stays the firm id.
    assert firms["91350100M000100Y43"]["省份"] == "河北省"
    assert any(f["省份"] == "江苏省" for f in firms.values())  # "江苏无锡" without 省
    # A reviewer rejects one proposal; the workbook then imports as firms and firm links.
    first = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 3).value == "nf_retail")
    sheet.cell(first, 1).value = "否"
    book.save(out)
    store = LadybugStore.open(db)
    imported = import_dataset(store, out)
    assert any("跳过 1 行" in note for note in imported.dataset.notes)
    makes = {e["to_id"] for e in store.query("edges_scan", rel="MAKES")}
    assert "nf_retail" not in makes and "nf_nitric_acid" in makes
    # Only matched firms are written; unmatched ones stay on their sheet unless asked for.
    assert imported.changes.created["Firm"] == 15 - len(UNMATCHED)
    store.close()
    shutil.rmtree(db)


def _nitro_links(tmp_path):
    from chainmap.analysis.chains import chain_tree

    store = LadybugStore.open(tmp_path / "links-db")
    import_dataset(store, resource_dir("data") / "chains" / "nitro_fertilizer")
    links = chain_tree(store, "nitro_fertilizer").links
    store.close()
    return links


def _firm(row, name, code, scope):
    from chainmap.importer.register import RegisterFirm

    return RegisterFirm(row, f"F{row}", name, code, scope, "江苏省", None, None, None)


def test_generic_words_do_not_flood_generic_links(tmp_path):
    from chainmap.analysis.classify import classify

    links = _nitro_links(tmp_path)
    firms = [
        _firm(
            2, "示例江南农商银行股份有限公司", "6621", "吸收公众存款；办理国内外结算；出口贸易融资"
        ),
        _firm(3, "示例智联软件有限公司", None, "软件开发；化肥企业信息化系统；电商平台建设"),
        _firm(4, "示例汽车电子有限公司", "3670", "CAN总线控制器、CAN-bus 通信模块"),
        _firm(5, "示例顺达物流有限公司", "5810", "普通货物仓储、道路运输、物流配送"),
        _firm(6, "示例苏化肥料物流有限公司", "5810", "硝基复合肥、复合肥的仓储和道路运输"),
        _firm(7, "示例复合肥有限公司", "2624", "硝基复合肥、复混肥料生产销售"),
    ]
    matches, unmatched = classify(firms, links)
    placed = {(m.firm.row, m.link_id) for m in matches}
    placed_rows = {row for row, _ in placed}
    assert not placed_rows & {2, 3, 4, 5}, placed  # bank, software, CAN-bus, any-goods logistics
    assert (6, "nf_logistics") in placed  # logistics of the chain's own products
    assert (7, "nf_nitro_compound") in placed
    assert {f.row for f in unmatched} >= {2, 3, 4, 5}  # listed, not dropped

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


def _proposals(links, firms, **options):
    from chainmap.analysis.classify import classify

    matches, _ = classify(firms, links, goods=("化肥", "肥料", "农资"), **options)
    return {(m.firm.row, m.link_id): m for m in matches}


def test_exclusion_words_and_longer_terms_keep_keywords_from_counting(tmp_path):
    links = _nitro_links(tmp_path)
    firms = [
        _firm(2, "示例华北药业有限公司", "2720", "硝酸甘油片、硝酸异山梨酯片生产"),
        _firm(3, "示例车用尿素有限公司", "2669", "车用尿素溶液生产销售"),
        _firm(4, "示例复合肥有限公司", None, "复合肥料生产；货物进出口；技术推广；互联网销售"),
        _firm(5, "示例氮肥有限公司", None, "尿素、液氨生产"),
    ]
    found = _proposals(links, firms)
    assert not {row for row, _ in found} & {2, 3}  # a pharma plant, a maker of AdBlue
    # Boilerplate of every 企查查 scope does not put a fertiliser maker on service links.
    assert {link for row, link in found if row == 4} == {"nf_nitro_compound"}
    assert (5, "nf_ammonia") in found  # 尿素 is in the 合成氨 link's product words


def test_an_acid_named_as_part_of_a_salt_is_not_the_acid(tmp_path):
    """A Chinese salt's name starts with its acid (硝酸银 = silver nitrate): makers of salts use
    nitric acid, they are its customers, not makers of it."""
    links = _nitro_links(tmp_path)
    firms = [
        _firm(2, "示例江西银盐有限公司", "2613", "硝酸银、硝酸铜、硝酸锌生产销售"),
        _firm(3, "示例云南磷复肥有限公司", "2622", "硝酸磷肥、磷酸二氢钾、磷酸一铵"),
        _firm(4, "示例河南化工有限公司", "2611", "浓硝酸、稀硝酸生产；硝酸钠"),
        _firm(5, "示例湖北化工有限公司", None, "硝酸，硝酸盐"),
    ]
    found = _proposals(links, firms)
    assert (2, "nf_nitric_acid") not in found
    assert (3, "nf_nitric_acid") not in found and (3, "nf_phosphate_fert") in found
    # The acid named on its own still counts, beside its salts or after punctuation.
    assert (4, "nf_nitric_acid") in found and (5, "nf_nitric_acid") in found


def test_industry_codes_along_the_hierarchy(tmp_path):
    links = _nitro_links(tmp_path)
    firms = [
        _firm(2, "示例甲化工有限公司", "26", "复合肥生产"),  # 大类 26 beside a keyword
        _firm(3, "示例乙化工有限公司", "26", "化工产品销售"),  # 大类 26 alone
        _firm(4, "示例丙化工有限公司", "2611", "化工产品销售"),  # a 小类 alone
    ]
    found = _proposals(links, firms)
    assert found[(2, "nf_nitro_compound")].confidence > 0.6
    assert "26 为其上位类" in found[(2, "nf_nitro_compound")].evidence[0]
    assert not [key for key in found if key[0] == 3]
    # A class names an industry (2611 无机酸制造 is also sulphuric acid): listed, not pre-marked.
    assert 0.35 <= found[(4, "nf_nitric_acid")].confidence < 0.6


def test_traders_never_land_on_production_links(tmp_path):
    links = _nitro_links(tmp_path)
    firms = [
        _firm(2, "示例危化运输有限公司", "5430", "硝酸、液氨槽车运输；危险化学品仓储"),
        _firm(3, "示例调味品贸易有限公司", None, "复合肥、尿素经销"),
    ]
    found = _proposals(links, firms)
    production = {"nf_nitric_acid", "nf_ammonia", "nf_nitro_compound"}
    assert not {link for _, link in found} & production
    assert (2, "nf_logistics") in found


def test_a_keyword_common_on_the_register_counts_less(tmp_path):
    links = _nitro_links(tmp_path)
    # 300 general freight firms with 危险货物运输 in their scope, none showing fertiliser.
    crowd = [
        _firm(10 + i, f"示例货运{i}有限公司", None, "危险货物运输；普通货物运输")
        for i in range(300)
    ]
    target = _firm(2, "示例化肥危运有限公司", None, "危险货物运输（化肥、液氨）")
    alone = _proposals(links, [target], min_confidence=0.01)
    crowded = _proposals(links, [target, *crowd], min_confidence=0.01)
    assert (2, "nf_ammonia") not in alone  # a carrier (危运) of 液氨 does not make it
    alone, crowded = alone[(2, "nf_logistics")], crowded[(2, "nf_logistics")]
    assert crowded.confidence < alone.confidence
    assert any("较常见" in note for note in crowded.evidence)
    # A keyword many firms carry, but whose firms also show the chain's products, keeps its weight.
    makers = [_firm(10 + i, f"示例肥业{i}有限公司", None, "复合肥、尿素生产") for i in range(300)]
    found = _proposals(links, [_firm(2, "示例甲肥业有限公司", None, "复合肥生产"), *makers])
    assert found[(2, "nf_nitro_compound")].evidence == ["经营范围含“复合肥”"]


def test_labelled_registers_hold_the_floors():
    """The issue's floors on every labelled register: rows pre-marked 是 right at least 80% of
    the time, at least 60% of the true placements pre-marked, no distractor firm pre-marked."""
    from benchmarks.classify_bench import run

    results = run(("nitro_fertilizer", "casting", "vinegar"))
    for chain, result in results.items():
        for part in ("marked", "heldout_marked", "blind_marked"):
            figures = result[part]
            if figures is None:
                continue
            assert figures["precision"] >= 0.8, (chain, part, figures)
            assert figures["recall"] >= 0.6, (chain, part, figures)
            assert figures["distractors_marked"] == 0, (chain, part, figures)
        assert result["firms"] >= 35 and result["true_placements"] >= 30


def test_fertiliser_town_targets_from_registers(tmp_path):
    """The town of 交城 with its local firms, and only register firms outside: every labelled
    register of the chain classified, its pre-marked rows imported as a clerk would, then the
    top 30 targets. No bank, publisher, software house or drug maker; every target a firm a
    person placed on the chain; most of them makers, not traders."""
    import csv
    import json

    from benchmarks.classify_bench import labelled_registers, read_labels

    root = resource_dir("data")
    dataset = tmp_path / "jiaocheng"
    dataset.mkdir()
    for name in ("chains.csv", "links.csv", "link_flows.csv"):
        shutil.copy(root / "chains" / "nitro_fertilizer" / name, dataset / name)

    def keep(source: Path, target: Path, wanted) -> set[str]:
        with source.open(encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
        kept = [row for row in rows if wanted(row)]
        with target.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(kept)
        return {row.get("firm_id", "") for row in kept}

    keep(
        root / "towns" / "towns.csv",
        dataset / "towns.csv",
        lambda r: r["town_id"] == "jiaocheng_nitro",
    )
    local = keep(
        root / "demo" / "jiaocheng" / "firms.csv",
        dataset / "firms.csv",
        lambda r: r["town_id"] == "jiaocheng_nitro",
    )
    keep(
        root / "demo" / "jiaocheng" / "firm_links.csv",
        dataset / "firm_links.csv",
        lambda r: r["firm_id"] in local,
    )
    db = str(tmp_path / "db")
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(dataset), "--db", db]).exit_code == 0
    labels: dict[str, list[str]] = {}
    for register in labelled_registers("nitro_fertilizer"):
        labels.update(read_labels(register))
        review = tmp_path / f"{register.stem}.xlsx"
        done = runner.invoke(
            cli,
            [
                "classify",
                str(register),
                "--chain",
                "nitro_fertilizer",
                "--out",
                str(review),
                "--db",
                db,
            ],
        )
        assert done.exit_code == 0, done.output
        assert runner.invoke(cli, ["import", str(review), "--db", db]).exit_code == 0
    done = runner.invoke(cli, ["targets", "交城", "--top", "30", "--format", "json", "--db", db])
    assert done.exit_code == 0, done.output
    targets = json.loads(done.output)
    assert len(targets) == 30
    names = [t["firm_name"] for t in targets]
    assert all(labels.get(name) for name in names), [n for n in names if not labels.get(n)]
    services = {"nf_wholesale", "nf_retail", "nf_ecommerce", "nf_logistics", "nf_export"}
    makers = [t for t in targets if t["link_id"] not in services]
    assert len(makers) >= 24, [(t["firm_name"], t["link_id"]) for t in targets]
    assert all(t["link_id"] not in services for t in targets[:5])

"""Targets: default ordering properties (pairs that differ in one feature), sums, filters."""

from __future__ import annotations

import json
import random

import pytest
from click.testing import CliRunner

from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli import cli
from chainmap.config import COMPONENTS, load_settings
from chainmap.errors import ChainmapError
from chainmap.importer.load import import_dataset
from tests.builders import chain, firm, town, write_dataset

SETTINGS = load_settings()
ALL = TargetFilters(top=1000, per_link=0)

# Links: F is missing between covered A and C (补链); X is missing at the end (延链); W is weak.
# The town lies in a province the bundled centroids do not cover (台湾省), so no firm gets distance points and pairs
# differ only in the feature under test.
CHAIN = chain(
    "c",
    [("A", "上游"), ("F", "中游"), ("C", "中游"), ("W", "下游"), ("X", "下游")],
    [("A", "F"), ("F", "C"), ("C", "W"), ("W", "X")],
)
TOWN = town("T", "c", province="台湾省")
LOCAL = [
    firm("la", "台湾省", town_id="T"),
    firm("lc", "台湾省", town_id="T", leading=True),
    firm("lw", "台湾省", town_id="T"),
]
LOCAL_LINKS = [
    {"firm_id": "la", "link_id": "A"},
    {"firm_id": "lc", "link_id": "C"},
    {"firm_id": "lw", "link_id": "W"},
]


def _build(store, tmp_path, firms, firm_links, ties=(), projects=()):
    tables = dict(CHAIN, towns=[TOWN], firms=LOCAL + firms, firm_links=LOCAL_LINKS + firm_links)
    if ties:
        tables["supply_ties"] = list(ties)
    if projects:
        tables["projects"] = list(projects)
    import_dataset(store, write_dataset(tmp_path / "d", **tables))


def _rank(report):
    return [t.firm_id for t in report.targets]


def _on(link, *firm_ids):
    return [{"firm_id": f, "link_id": link} for f in firm_ids]


def test_fill_over_extend_over_strengthen(store, tmp_path):
    _build(
        store,
        tmp_path,
        [firm("k1"), firm("k2"), firm("k3")],
        _on("F", "k1") + _on("X", "k2") + _on("W", "k3"),
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert _rank(report) == ["k1", "k2", "k3"]
    assert [t.gap_kind for t in report.targets] == ["补链", "延链", "强链"]


def test_a_tie_with_the_town_over_none(store, tmp_path):
    _build(
        store,
        tmp_path,
        [firm("t1"), firm("t2")],
        _on("X", "t1", "t2"),
        ties=[{"supplier_id": "t2", "customer_id": "lc", "product": "原料"}],
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert _rank(report) == ["t2", "t1"]
    assert report.targets[0].components["ties"] > 0
    assert "为本地龙头企业lc供货" in report.targets[0].reasons


def test_a_badge_over_none(store, tmp_path):
    _build(store, tmp_path, [firm("b1"), firm("b2", badges=["专精特新"])], _on("X", "b1", "b2"))
    assert _rank(find_targets(store, "T", SETTINGS, filters=ALL)) == ["b2", "b1"]


def test_larger_revenue_over_smaller(store, tmp_path):
    _build(
        store,
        tmp_path,
        [firm("r1", revenue_wan=1000), firm("r2", revenue_wan=2000000)],
        _on("X", "r1", "r2"),
    )
    assert _rank(find_targets(store, "T", SETTINGS, filters=ALL)) == ["r2", "r1"]


@pytest.mark.parametrize(
    ("province", "city", "region"),
    [
        ("北京市", "北京市", "京津冀"),
        ("浙江省", "杭州市", "长三角"),
        ("广东省", "深圳市", "粤港澳大湾区"),
    ],
)
def test_relocation_regions_over_elsewhere(store, tmp_path, province, city, region):
    _build(
        store,
        tmp_path,
        [firm("g1", "甘肃省", city="兰州市"), firm("g2", province, city=city)],
        _on("X", "g1", "g2"),
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert _rank(report) == ["g2", "g1"]
    assert report.targets[0].region == region


def test_guangdong_outside_the_bay_area_is_not_a_source(store, tmp_path):
    _build(
        store,
        tmp_path,
        [firm("g1", "广东省", city="湛江市"), firm("g2", "广东省", city="佛山市")],
        _on("X", "g1", "g2"),
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert [(t.firm_id, t.components["region"]) for t in report.targets] == [
        ("g2", 10.0),
        ("g1", 0.0),
    ]


def test_nearer_over_farther(store, tmp_path):
    data = dict(
        CHAIN,
        towns=[town("T", "c", city="吕梁市", county="交城县", division_code="141122")],
        firms=[firm("near", "山西省", city="太原市"), firm("far", "山西省", city="大同市")],
        firm_links=_on("X", "near", "far"),
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert _rank(report) == ["near", "far"]
    near, far = report.targets
    assert near.distance_km < far.distance_km
    assert near.components["distance"] > far.components["distance"] > 0


def test_components_sum_to_the_score_and_reasons_exist(store, tmp_path):
    rng = random.Random(3)
    firms = [
        firm(
            f"r{i}",
            rng.choice(["江苏省", "山西省", "甘肃省", "北京市"]),
            revenue_wan=rng.choice([None, 500, 20000, 300000]),
            badges=rng.sample(["专精特新", "小巨人", "高新技术企业"], rng.randint(0, 2)),
        )
        for i in range(40)
    ]
    links = [{"firm_id": f"r{i}", "link_id": rng.choice("FXW")} for i in range(40)]
    _build(
        store,
        tmp_path,
        firms,
        links,
        ties=[
            {"supplier_id": "r1", "customer_id": "la"},
            {"supplier_id": "lw", "customer_id": "r2"},
        ],
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert len(report.targets) == 40
    for target in report.targets:
        assert set(target.components) == set(COMPONENTS)
        assert round(sum(target.components.values()), 2) == target.score
        assert 0 <= target.score <= 100
        assert target.reasons and f"（{target.gap_kind}" in target.reasons[0]
    scores = [t.score for t in report.targets]
    assert scores == sorted(scores, reverse=True)
    assert [t.rank for t in report.targets] == list(range(1, 41))


def test_top_per_link_limit_returns_the_true_best(store, tmp_path):
    """ORDER BY … LIMIT in the store must not return arbitrary rows (a LadybugDB pitfall)."""
    rng = random.Random(11)
    revenues = {f"x{i}": rng.randint(100, 900000) for i in range(60)}
    _build(
        store, tmp_path, [firm(f, revenue_wan=r) for f, r in revenues.items()], _on("X", *revenues)
    )
    report = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=20, per_link=3))
    expected = sorted(revenues, key=lambda f: -revenues[f])[:3]
    assert _rank(report) == expected


def test_a_firm_on_two_gap_links_is_listed_once_and_links_keep_their_share(store, tmp_path):
    # d1 and d2 serve both F (补链) and X (延链): they go to F, where they score higher, and X
    # still gets its own best two.
    _build(
        store,
        tmp_path,
        [firm("d1"), firm("d2"), firm("x1"), firm("x2"), firm("x3")],
        _on("F", "d1", "d2") + _on("X", "d1", "d2", "x1", "x2", "x3"),
    )
    report = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=10, per_link=2))
    placed = {t.firm_id: t.link_id for t in report.targets}
    assert placed == {"d1": "F", "d2": "F", "x1": "X", "x2": "X"}
    assert report.targets[0].other_links == ["环节X"]


def test_town_firms_are_never_targets_and_pipeline_is_left_out(store, tmp_path):
    projects = [
        {
            "project_id": "p1",
            "name": "在谈项目",
            "town_id": "T",
            "investor_firm_id": "open1",
            "status": "签约",
            "signed_on": "2026-01-01",
        },
        {
            "project_id": "p2",
            "name": "投产项目",
            "town_id": "T",
            "investor_firm_id": "done1",
            "status": "投产",
            "signed_on": "2025-01-01",
            "started_on": "2025-02-01",
            "producing_on": "2025-12-01",
        },
    ]
    _build(
        store,
        tmp_path,
        [firm("open1"), firm("done1"), firm("free1")],
        _on("W", "open1", "done1", "free1"),
        projects=projects,
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert set(_rank(report)) == {"done1", "free1"}
    assert "lw" not in _rank(report)  # the weak link's own firm
    assert report.excluded_pipeline == ["open1"]
    with_pipeline = find_targets(
        store, "T", SETTINGS, filters=TargetFilters(top=100, per_link=0, include_pipeline=True)
    )
    assert set(_rank(with_pipeline)) == {"open1", "done1", "free1"}


def test_filters(store, tmp_path):
    _build(
        store,
        tmp_path,
        [
            firm("js", "江苏省", revenue_wan=5000, badges=["小巨人"]),
            firm("gs", "甘肃省", revenue_wan=50),
            firm("bj", "北京市", revenue_wan=900),
        ],
        _on("F", "js") + _on("X", "gs") + _on("W", "bj"),
    )

    def ids(**kwargs):
        return set(
            _rank(
                find_targets(
                    store, "T", SETTINGS, filters=TargetFilters(top=100, per_link=0, **kwargs)
                )
            )
        )

    assert ids(provinces=("甘肃省",)) == {"gs"}
    assert ids(regions=("长三角", "京津冀")) == {"js", "bj"}
    assert ids(min_revenue_wan=800) == {"js", "bj"}
    assert ids(badge="小巨人") == {"js"}
    assert ids(links=("环节X",)) == {"gs"}
    assert ids(stages=("下游",)) == {"gs", "bj"}
    assert ids(kinds=("强链",)) == {"bj"}
    assert len(_rank(find_targets(store, "T", SETTINGS, filters=TargetFilters(top=2)))) == 2


def test_presets_and_overrides_change_weights(store, tmp_path):
    _build(
        store,
        tmp_path,
        [firm("t1"), firm("big", revenue_wan=5000000)],
        _on("X", "t1", "big"),
        ties=[{"supplier_id": "t1", "customer_id": "lc"}],
    )
    assert _rank(find_targets(store, "T", SETTINGS, preset="以商招商", filters=ALL))[0] == "t1"
    report = find_targets(store, "T", SETTINGS, preset="龙头引育", filters=ALL)
    assert report.weights.scale == 30
    overridden = find_targets(
        store,
        "T",
        SETTINGS,
        weight_overrides={"ties": 5, "scale": 25},
        preset="补链优先",
        filters=ALL,
    )
    assert overridden.weights.ties == 5 and overridden.weights.scale == 25
    assert _rank(overridden)[0] == "big"
    with pytest.raises(ChainmapError, match="之和应为 100"):
        find_targets(store, "T", SETTINGS, weight_overrides={"ties": 50}, filters=ALL)
    with pytest.raises(ChainmapError, match="预设"):
        find_targets(store, "T", SETTINGS, preset="没有的预设", filters=ALL)


def test_cli_json_is_byte_identical_across_runs(tmp_path):
    from chainmap.store.ladybug import LadybugStore

    db = tmp_path / "db"
    store = LadybugStore.open(db)
    rng = random.Random(5)
    firms = [
        firm(f"r{i}", rng.choice(["江苏省", "山西省", "甘肃省"]), revenue_wan=rng.randint(1, 99999))
        for i in range(30)
    ]
    _build(
        store,
        tmp_path,
        firms,
        [{"firm_id": f"r{i}", "link_id": rng.choice("FXW")} for i in range(30)],
    )
    store.close()
    runner = CliRunner()
    outputs = []
    for command in ("gaps", "targets"):
        first = runner.invoke(cli, [command, "T", "--db", str(db), "--format", "json"])
        second = runner.invoke(cli, [command, "T", "--db", str(db), "--format", "json"])
        assert first.exit_code == 0, first.output
        assert first.stdout == second.stdout
        outputs.append(json.loads(first.stdout))
    gaps, targets = outputs
    assert {
        "link_id",
        "link_name",
        "stage",
        "status",
        "gap_kind",
        "local_firms",
        "leading_firms",
    } <= set(gaps[0])
    assert {
        "rank",
        "firm_id",
        "firm_name",
        "province",
        "city",
        "link_id",
        "link_name",
        "gap_kind",
        "score",
        "components",
        "reasons",
    } <= set(targets[0])
    csv_out = runner.invoke(cli, ["targets", "T", "--db", str(db), "--format", "csv"]).stdout
    assert csv_out.splitlines()[0].startswith("rank,firm_id,firm_name")


def test_a_firm_whose_best_link_is_full_fills_its_next_link(store, tmp_path):
    # Both d1 and d2 are best on F (补链). F takes one; d2 goes on to fill X (延链), its next link.
    _build(
        store,
        tmp_path,
        [firm("d1", revenue_wan=900000), firm("d2", revenue_wan=100), firm("x1", revenue_wan=100)],
        _on("F", "d1", "d2") + _on("X", "d2", "x1"),
    )
    report = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=10, per_link=1))
    assert {t.firm_id: t.link_id for t in report.targets} == {"d1": "F", "d2": "X"}


def test_missing_evidence_is_neutral_and_flagged_not_worst(store, tmp_path):
    # u: revenue unknown; s: a small recorded revenue. u is not ranked last for what nobody
    # recorded: its scale takes the neutral factor, and it says what needs checking.
    _build(
        store,
        tmp_path,
        [firm("u"), firm("s", revenue_wan=100), firm("p", "未知", revenue_wan=100)],
        _on("X", "u", "s", "p"),
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    by_id = {t.firm_id: t for t in report.targets}
    weights = SETTINGS.targets.weights()
    neutral = SETTINGS.targets.unknown_factor
    assert by_id["u"].components["scale"] == round(weights.scale * neutral, 2)
    assert _rank(report)[0] == "u"
    assert by_id["u"].unverified == ["营收"] and any(
        "待核实：营收" in r for r in by_id["u"].reasons
    )
    assert by_id["u"].evidence_share < 1 and by_id["s"].evidence_share == 1
    # A place unknown: region neutral (not 0), and flagged.
    assert by_id["p"].components["region"] == round(weights.region * neutral, 2)
    assert by_id["p"].unverified == ["所在地"]


def test_equal_scores_go_by_evidence_then_name_never_load_order(store, tmp_path):
    # Same score: z-first is loaded first (and has the smaller id order reversed), but the
    # names decide: 企业A before 企业B.
    _build(
        store,
        tmp_path,
        [
            firm("a-first", name="企业B", revenue_wan=50000),
            firm("z-second", name="企业A", revenue_wan=50000),
        ],
        _on("X", "a-first", "z-second"),
    )
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    assert [t.firm_name for t in report.targets] == ["企业A", "企业B"]


def test_distance_says_how_it_was_estimated(store, tmp_path):
    tables = dict(
        CHAIN,
        towns=[town("T", "c", province="山西省", city="吕梁市", county="交城县")],
        firms=[
            firm("la", "山西省", town_id="T"),
            firm("cty", "河北省", city="石家庄市", county="正定县"),
            firm("prv", "河北省"),
        ],
        firm_links=[{"firm_id": "la", "link_id": "A"}, *_on("X", "cty", "prv")],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **tables))
    report = find_targets(store, "T", SETTINGS, filters=ALL)
    text = {t.firm_id: "；".join(t.reasons) for t in report.targets}
    assert "按区县中心点估算" in text["cty"] and "按省中心点估算" in text["prv"]


def test_locality_favours_near_firms_on_links_whose_products_do_not_travel(store, tmp_path):
    # Same firms on two links: a 就近 one (焦炉煤气-like) and a 全国 one. A Jiangsu firm earns
    # the 梯度转移 bonus on the national link but nothing on the near one, where the Lüliang firm
    # next door leads.
    links = chain("n", [("A", "上游"), ("N", "中游"), ("G", "中游")], [("A", "N"), ("A", "G")])
    links["links"][1]["locality"] = "就近"
    links["links"][2]["locality"] = "全国"
    tables = dict(
        links,
        towns=[town("T", "n", province="山西省", city="吕梁市", county="交城县")],
        firms=[
            firm("la", "山西省", town_id="T"),
            firm("near", "山西省", city="吕梁市", county="文水县", revenue_wan=5000),
            firm("far", "江苏省", city="苏州市", county="昆山市", revenue_wan=5000),
        ],
        firm_links=[
            {"firm_id": "la", "link_id": "A"},
            *_on("N", "near", "far"),
            *_on("G", "near", "far"),
        ],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **tables))
    near_link = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=10, links=("N",)))
    national = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=10, links=("G",)))
    assert _rank(near_link) == ["near", "far"]
    assert _rank(national) == ["far", "near"]
    far_near = next(t for t in near_link.targets if t.firm_id == "far")
    assert far_near.components["region"] == 0
    assert any("须就近配套" in r for r in far_near.reasons)
    assert not any("梯度转移" in r for r in far_near.reasons)

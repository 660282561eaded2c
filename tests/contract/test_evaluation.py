"""Evaluation against the recognition criteria and the annual ranking."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from click.testing import CliRunner

from chainmap.analysis.evaluation import evaluate, rank_towns
from chainmap.cli import cli
from chainmap.config import load_criteria, load_settings
from chainmap.importer.load import import_dataset
from tests.builders import chain, firm, town, write_dataset

SETTINGS = load_settings()
CRITERIA = load_criteria()
CHAIN = chain("c", [("A", "上游"), ("B", "下游")], [("A", "B")])
TODAY = dt.date(2026, 11, 23)


def _criterion(result, name):
    return next(c for c in result.criteria if c.name == name)


def _town_with(store, tmp_path, output, category="制造业", **town_extra):
    data = dict(
        CHAIN,
        towns=[dict(town("T", "c"), category=category, level="县级", **town_extra)],
        indicators=[{"town_id": "T", "year": 2024, "output_value_wan": output}],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    return evaluate(store, "T", SETTINGS, CRITERIA, as_of=TODAY)


@pytest.mark.parametrize(("output", "met"), [(100000, True), (99999, False), (100001, True)])
def test_manufacturing_output_threshold(store, tmp_path, output, met):
    result = _town_with(store, tmp_path, output)
    output_criterion = _criterion(result, "主导产业产值")
    assert output_criterion.met is met and output_criterion.threshold == 100000
    if not met:
        assert "差 1 万元" in output_criterion.note


@pytest.mark.parametrize(("output", "met"), [(20000, True), (19999, False)])
def test_agriculture_threshold(store, tmp_path, output, met):
    assert _criterion(_town_with(store, tmp_path, output, "特优农业"), "主导产业产值").met is met


@pytest.mark.parametrize(
    ("output", "historic", "met"), [(5000, True, True), (4999, True, False), (6000, False, False)]
)
def test_relaxed_floor_for_historic_or_gi_products(store, tmp_path, output, historic, met):
    result = _town_with(store, tmp_path, output, "特优农业", historic_gi=historic)
    criterion = _criterion(result, "主导产业产值")
    assert criterion.met is met
    assert criterion.threshold == (5000 if historic else 20000)


def test_missing_data_is_missing_not_failing(store, tmp_path):
    data = dict(CHAIN, towns=[dict(town("T", "c"), level="县级")])  # no category, no figures
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    result = evaluate(store, "T", SETTINGS, CRITERIA, as_of=TODAY)
    states = {c.name: c.met for c in result.criteria}
    assert states["主导产业产值"] is None and states["龙头企业"] is None
    assert states["配套企业"] is None and states["公共服务平台"] is None
    assert states["主导产业集中在本镇"] is None
    assert result.passed is None
    assert all("数据缺失" in m for m in result.missing_for_next_level)


def test_firms_and_platforms_count(store, tmp_path):
    firms = [firm(f"s{i}", "山西省", town_id="T") for i in range(10)]
    firms.append(firm("lead", "山西省", town_id="T", badges=["小巨人"]))
    data = dict(
        CHAIN,
        towns=[dict(town("T", "c"), level="县级", category="制造业", lead_industry_in_town=True)],
        firms=firms,
        platforms=[{"name": "技术中心", "type": "企业技术中心", "firm_id": "lead"}],
        indicators=[{"town_id": "T", "year": 2024, "output_value_wan": 150000}],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    result = evaluate(store, "T", SETTINGS, CRITERIA, as_of=TODAY)
    assert _criterion(result, "龙头企业").value == 1
    assert _criterion(result, "配套企业").value == 10 and _criterion(result, "配套企业").met
    assert _criterion(result, "公共服务平台").value == 1
    assert result.passed is True
    assert result.as_dict()["criteria"][0].keys() == {"name", "met", "value", "threshold", "note"}


def _towns_for_ranking(store, tmp_path, indicators, producing=()):
    towns = [dict(town(t, "c"), name=f"{t}镇", category="制造业") for t in ("T1", "T2", "T3")]
    projects = [
        {
            "project_id": f"P{i}",
            "name": f"项目{i}",
            "town_id": t,
            "status": "投产",
            "signed_on": "2023-01-01",
            "started_on": "2023-02-01",
            "producing_on": day,
        }
        for i, (t, day) in enumerate(producing)
    ]
    tables = dict(CHAIN, towns=towns, indicators=indicators)
    if projects:
        tables["projects"] = projects
    import_dataset(store, write_dataset(tmp_path / "d", **tables))


def test_ranking_ties_growth_and_marks(store, tmp_path):
    indicators = [
        # T1 and T2 identical: the tie goes to the smaller town id.
        {"town_id": "T1", "year": 2023, "output_value_wan": 100000, "market_entities": 100},
        {"town_id": "T1", "year": 2024, "output_value_wan": 120000, "market_entities": 150},
        {"town_id": "T2", "year": 2023, "output_value_wan": 100000, "market_entities": 100},
        {"town_id": "T2", "year": 2024, "output_value_wan": 120000, "market_entities": 150},
        # T3 has no 2023 row: its growth is missing, not negative.
        {"town_id": "T3", "year": 2024, "output_value_wan": 60000, "market_entities": 80},
    ]
    _towns_for_ranking(store, tmp_path, indicators)
    rows = rank_towns(store, SETTINGS, CRITERIA, year=2024, as_of=TODAY)
    assert [r.town_id for r in rows] == ["T1", "T2", "T3"]
    assert rows[0].score == rows[1].score
    t1, t3 = rows[0], rows[2]
    assert t1.components["output"] == 25.0
    assert t1.components["output_growth"] == round(15 * (0.2 / 0.3), 2)
    assert t1.components["market_growth"] == 5.0  # +50% of a doubling
    assert t3.components["output_growth"] == 0.0 and t3.components["market_growth"] == 0.0
    assert "产值增长缺数据（缺上年数据）" in t3.notes
    # Three towns: supervision takes at most half (one), praise the best of the rest.
    assert [r.mark for r in rows] == ["表扬", "表扬", "督办"]
    assert t3.reasons[0].startswith("综合得分排名靠后（第 3 名）")
    for row in rows:
        assert round(sum(row.components.values()), 2) == row.score


def test_projects_reaching_production_count_for_their_year(store, tmp_path):
    indicators = [
        {"town_id": t, "year": 2024, "output_value_wan": 100000} for t in ("T1", "T2", "T3")
    ]
    _towns_for_ranking(
        store,
        tmp_path,
        indicators,
        producing=[("T2", "2024-06-01"), ("T2", "2024-09-01"), ("T3", "2023-12-31")],
    )
    rows = {r.town_id: r for r in rank_towns(store, SETTINGS, CRITERIA, year=2024, as_of=TODAY)}
    assert rows["T2"].components["producing_projects"] == 10.0
    assert rows["T3"].components["producing_projects"] == 0.0  # produced the year before


def test_evaluate_and_rank_commands(tmp_path):
    from chainmap.store.ladybug import LadybugStore

    store = LadybugStore.open(tmp_path / "db")
    _towns_for_ranking(
        store, tmp_path, [{"town_id": "T1", "year": 2024, "output_value_wan": 99999}]
    )
    store.close()
    runner = CliRunner()
    db = ["--db", str(tmp_path / "db")]
    result = runner.invoke(cli, ["evaluate", "T1", "--level", "县级", "--format", "json", *db])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"town_id", "level", "criteria", "missing_for_next_level"}
    assert data["criteria"][0] == {
        "name": "主导产业产值",
        "met": False,
        "value": 99999.0,
        "threshold": 100000,
        "note": "需 ≥ 100000 万元，现为 99999 万元，差 1 万元；制造业类",
    }
    out = tmp_path / "排名.xlsx"
    ranked = runner.invoke(cli, ["rank", "--year", "2024", "--out", str(out), *db])
    assert ranked.exit_code == 0 and out.exists()
    from openpyxl import load_workbook

    sheet = load_workbook(out)["专业镇年度排名"]
    assert sheet["A1"].value.startswith("专业镇年度排名（")
    headers = [c.value for c in sheet[2]]
    assert headers[:3] == ["名次", "专业镇", "综合得分"]
    # Values and points in separate labelled columns; an unreported value stays blank.
    assert "主导产业产值（万元）" in headers and "主导产业产值得分" in headers
    assert sheet.freeze_panes == "A3"


def test_supporting_firms_prefer_reported_figures(store, tmp_path):
    data = dict(
        CHAIN,
        towns=[dict(town("T", "c"), level="县级", category="制造业")],
        firms=[firm("lead", "山西省", town_id="T", leading=True)],
        indicators=[{"town_id": "T", "year": 2024, "output_value_wan": 150000, "firms": 81}],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    supporting = _criterion(evaluate(store, "T", SETTINGS, CRITERIA, as_of=TODAY), "配套企业")
    assert supporting.value == 80 and supporting.met is True
    assert "按 2024 年指标企业数 81 减龙头估算" in supporting.note

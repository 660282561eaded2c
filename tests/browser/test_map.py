"""The chain map: offline in a real browser, escaped, laid out by stage, coloured by status.

Pages are checked once, on the embedded store (tests/browser/conftest.py): what they show does
not depend on the back end (the contract tests hold the results equal across back ends)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.config import load_settings
from chainmap.importer.load import import_dataset
from chainmap.render.chain_map import STATUS_COLOURS, MapOptions, map_data, render_map
from tests.browser import visit
from tests.builders import chain, firm, town, write_dataset

SETTINGS = load_settings()
HOSTILE = "<script>alert('x')</script>"
CHAIN = chain(
    "c",
    [("A", "上游"), ("B", "中游"), ("C", "中游"), ("D", "下游")],
    [("A", "B"), ("B", "C"), ("C", "D")],
)


def _town(store, tmp_path, firm_name="本地甲", town_name="测试镇"):
    data = dict(
        CHAIN,
        towns=[dict(town("T", "c"), name=town_name)],
        firms=[
            firm("l1", "山西省", town_id="T", name=firm_name, leading=True),
            firm("l2", "山西省", town_id="T"),
            firm("o1", "江苏省", name=HOSTILE, revenue_wan=5000),
            firm("o2", "北京市"),
        ],
        firm_links=[
            {"firm_id": "l1", "link_id": "A"},
            {"firm_id": "l2", "link_id": "C"},
            {"firm_id": "o1", "link_id": "B"},
            {"firm_id": "o2", "link_id": "D"},
        ],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    gaps = find_gaps(store, "T", SETTINGS.gaps)
    targets = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=20, per_link=3))
    return gaps, targets.targets


LAYOUT = """(() => {
  const boxes = [...document.querySelectorAll('.link')];
  const rect = (e) => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  return {
    sizes: boxes.map((b) => parseFloat(getComputedStyle(b.querySelector('.name')).fontSize)),
    boxes: boxes.map((b) => [b.dataset.id, ...rect(b)]),
    visible: boxes.filter((b) => { const r = b.getBoundingClientRect(); return r.top < innerHeight && r.bottom > 0; }).length,
    borders: Object.fromEntries(boxes.map((b) => [b.dataset.id, getComputedStyle(b).borderTopColor])),
    panel: document.getElementById('panel').textContent,
    paths: document.querySelectorAll('#flows path').length,
  };
})()"""


def _overlaps(boxes):
    pairs = []
    for i, (a, *ra) in enumerate(boxes):
        for b, *rb in boxes[i + 1 :]:
            if ra[0] < rb[2] - 1 and rb[0] < ra[2] - 1 and ra[1] < rb[3] - 1 and rb[1] < ra[3] - 1:
                pairs.append((a, b))
    return pairs


def test_map_works_offline_in_chromium(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    page = render_map(gaps, targets, tmp_path / "map.html")
    seen = visit(page, tmp_path / "map.png", before="window.chainmap.select('B')", measure=LAYOUT)
    assert seen.blocked_requests == []
    assert seen.console_errors == []
    assert seen.node_count == 4  # the chain's four links
    # The selected link's flows only (A → B, B → C), and its target in the side panel.
    assert seen.measured["paths"] == 1 + 2  # the arrow-head marker and two flows
    assert "招商目标（1 家）" in seen.measured["panel"]
    assert seen.screenshot.stat().st_size > 10_000


def test_hostile_names_show_as_text(store, tmp_path):
    gaps, targets = _town(
        store, tmp_path, firm_name=HOSTILE, town_name="<img src=x onerror=alert(1)>镇"
    )
    page = render_map(gaps, targets, tmp_path / "map.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;镇" in html  # the title, escaped
    data = json.loads(re.search(r"const DATA = (.*);", html).group(1))
    names = [t["name"] for link in data["links"] for t in link["targets"]]
    names += [f["name"] for link in data["links"] for f in link["local"]]
    assert HOSTILE in names  # the name itself, intact
    seen = visit(
        page, tmp_path / "hostile.png", before="window.chainmap.select('A')", measure=LAYOUT
    )
    assert seen.dialogs == [] and seen.console_errors == []
    assert HOSTILE in seen.measured["panel"]  # shown as text in the panel


def test_links_run_left_to_right_by_stage_and_status_colours(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    status = {g.link_id: g.status for g in gaps.links}
    assert status == {"A": "strong", "B": "missing", "C": "weak", "D": "missing"}
    page = render_map(gaps, targets, tmp_path / "map.html")
    seen = visit(page, tmp_path / "map.png", measure=LAYOUT)
    left = {box[0]: box[1] for box in seen.measured["boxes"]}
    assert left["A"] < left["B"] == left["C"] < left["D"]
    borders = seen.measured["borders"]
    hexes = {
        key: "rgb({}, {}, {})".format(*(int(value["border"][i : i + 2], 16) for i in (1, 3, 5)))
        for key, value in STATUS_COLOURS.items()
    }
    for link_id, link_status in status.items():
        assert borders[link_id] == hexes[link_status]
    data = json.loads(re.search(r"const DATA = (.*);", page.read_text(encoding="utf-8")).group(1))
    tags = {link["id"]: (link["status_zh"], link["kind"]) for link in data["links"]}
    assert tags["B"] == ("缺", "补链") and tags["C"] == ("弱", "强链")
    assert len(data["flows"]) == 3


def test_same_input_same_page_and_options(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    day = dt.date(2026, 11, 23)
    first = render_map(gaps, targets, tmp_path / "a.html", MapOptions(date=day)).read_bytes()
    second = render_map(gaps, targets, tmp_path / "b.html", MapOptions(date=day)).read_bytes()
    assert first == second
    bare = map_data(gaps, targets, MapOptions(show_firms=False, show_targets=False))
    assert [link["id"] for link in bare["links"]] == ["A", "B", "C", "D"]
    assert all(not link["local"] and not link["targets"] for link in bare["links"])


def _wide_chain(store, tmp_path):
    """A 28-link chain like the fertiliser one, with long names, local firms and targets."""
    stages = ["上游"] * 10 + ["中游"] * 11 + ["下游"] * 7
    links = [(f"L{i:02d}", stage) for i, stage in enumerate(stages)]
    flows = [(f"L{i:02d}", f"L{i + 1:02d}") for i in range(27)]
    data = chain("w", links, flows)
    for index, link in enumerate(data["links"]):
        link["name"] = ["硝基复合肥", "菱镁矿与氧化镁", "焦炭与焦炉煤气", "硝酸铵钙"][index % 4]
    firms, firm_links = [], []
    for i in range(28):
        if i % 3 == 0:
            firms.append(firm(f"l{i}", "山西省", town_id="W", name=f"示例本地企业{i}有限公司"))
            firm_links.append({"firm_id": f"l{i}", "link_id": f"L{i:02d}"})
        for k in range(4):
            firms.append(firm(f"o{i}-{k}", "江苏省", name=f"示例镇外目标企业{i}-{k}股份有限公司"))
            firm_links.append({"firm_id": f"o{i}-{k}", "link_id": f"L{i:02d}"})
    tables = dict(data, towns=[town("W", "w")], firms=firms, firm_links=firm_links)
    import_dataset(store, write_dataset(tmp_path / "wide", **tables))
    gaps = find_gaps(store, "W", SETTINGS.gaps)
    report = find_targets(
        store, "W", SETTINGS, filters=TargetFilters.for_map(len(gaps.gap_links), 3)
    )
    return render_map(gaps, report.targets, tmp_path / "wide.html", weights=report.weights)


@pytest.mark.parametrize("viewport", [(1366, 768), (1920, 1080)])
def test_legible_at_the_first_view(store, tmp_path, viewport):
    page = _wide_chain(store, tmp_path)
    seen = visit(
        page,
        tmp_path / f"wide-{viewport[0]}.png",
        viewport=viewport,
        measure=LAYOUT,
        full_page=False,
    )
    assert seen.console_errors == []
    measured = seen.measured
    assert min(measured["sizes"]) >= 12  # link labels, in CSS pixels at the first view
    assert measured["visible"] >= 12  # a screenful of links, not a zoomed-out haze
    assert _overlaps(measured["boxes"]) == []


def test_province_overview_is_a_matrix_with_shared_tables(store, tmp_path):
    from chainmap.render.province_map import build_overview, render_overview

    data = dict(
        CHAIN,
        towns=[dict(town("T", "c"), name="甲镇"), dict(town("U", "c"), name="乙镇")],
        firms=[
            firm("t1", "山西省", town_id="T"),
            firm("u1", "山西省", town_id="U"),
            firm("shared", "江苏省", revenue_wan=90000),
            firm("also", "北京市"),
        ],
        firm_links=[
            {"firm_id": "t1", "link_id": "A"},
            {"firm_id": "u1", "link_id": "D"},
            {"firm_id": "shared", "link_id": "B"},
            {"firm_id": "also", "link_id": "D"},
        ],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    towns = []
    for town_id in ("T", "U"):
        gaps = find_gaps(store, town_id, SETTINGS.gaps)
        towns.append(
            (gaps, find_targets(store, town_id, SETTINGS, filters=TargetFilters()).targets)
        )
    overview = build_overview(towns)
    # 甲镇 covers A (weak), 乙镇 covers D (weak): every link is a gap of both towns, and both
    # outside firms ("shared" on B, "also" on D) could serve both.
    assert len(overview.blocks) == 1 and len(overview.blocks[0].towns) == 2
    assert len(overview.shared_gaps) == 4
    assert {firm for firm, _, _ in overview.shared_targets} == {"企业shared", "企业also"}
    page = render_overview(towns, "山西省", tmp_path / "overview.html")
    html = page.read_text(encoding="utf-8")
    assert "甲镇" in html and "link:" not in html and "town:" not in html  # names, no ids
    seen = visit(page, tmp_path / "overview.png")
    assert seen.blocked_requests == [] and seen.console_errors == []


def test_towns_without_a_template_are_marked_not_zero(store, tmp_path):
    from chainmap.render.province_map import render_overview

    empty_chain = {"chains": [{"chain_id": "none", "name": "待补充链"}]}
    tables = dict(
        CHAIN,
        chains=CHAIN["chains"] + empty_chain["chains"],
        towns=[dict(town("T", "c"), name="甲镇"), dict(town("N", "none"), name="无链镇")],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **tables))
    towns = [(find_gaps(store, t, SETTINGS.gaps), []) for t in ("T", "N")]
    html = render_overview(towns, "山西省", tmp_path / "o.html").read_text(encoding="utf-8")
    assert "无模板" in html and "无链镇" in html


def test_map_command(tmp_path):
    from click.testing import CliRunner

    from chainmap.cli import cli
    from chainmap.store.ladybug import LadybugStore

    store = LadybugStore.open(tmp_path / "db")
    _town(store, tmp_path)
    store.close()
    runner = CliRunner()
    out = tmp_path / "图谱.html"
    result = runner.invoke(cli, ["map", "T", "--db", str(tmp_path / "db"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "无需联网" in result.output
    overview = tmp_path / "总览.html"
    result = runner.invoke(
        cli, ["map", "--province", "山西省", "--db", str(tmp_path / "db"), "--out", str(overview)]
    )
    assert result.exit_code == 0 and overview.exists()
    result = runner.invoke(cli, ["map", "--db", str(tmp_path / "db")])
    assert result.exit_code == 2  # neither a town nor --province/--all

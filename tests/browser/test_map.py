"""The chain map: offline in a real browser, escaped, laid out by stage, coloured by status.

Pages are checked once, on the embedded store (tests/browser/conftest.py): what they show does
not depend on the back end (the contract tests hold the results equal across back ends)."""

from __future__ import annotations

import datetime as dt
import json
import re

from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.config import load_settings
from chainmap.importer.load import import_dataset
from chainmap.render.chain_map import STATUS_COLOURS, MapOptions, build_network, render_map
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


def test_map_works_offline_in_chromium(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    page = render_map(gaps, targets, tmp_path / "map.html")
    seen = visit(page, tmp_path / "map.png")
    assert seen.blocked_requests == []
    assert seen.console_errors == []
    assert seen.inked_pixels > 5000
    # 4 links + 2 local firms + 2 targets (o1 on B, o2 on D)
    assert seen.node_count == 8
    assert seen.screenshot.stat().st_size > 10_000


def test_hostile_names_show_as_text(store, tmp_path):
    gaps, targets = _town(
        store, tmp_path, firm_name=HOSTILE, town_name="<img src=x onerror=alert(1)>镇"
    )
    page = render_map(gaps, targets, tmp_path / "map.html")
    html = page.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;镇" in html  # the title, escaped
    data = json.loads(re.search(r"const CHAINMAP = (.*);", html).group(1))
    assert any(node["label"] == HOSTILE for node in data["nodes"])  # the name itself, intact
    seen = visit(page, tmp_path / "hostile.png")
    assert seen.dialogs == [] and seen.console_errors == []


def test_links_run_left_to_right_by_stage(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    nodes, _ = build_network(gaps, targets, MapOptions())
    x = {n["id"]: n["x"] for n in nodes}
    assert x["link:A"] < x["link:B"] == x["link:C"] < x["link:D"]
    assert all(x[f"firm:{link}:0"] < x[f"link:{link}"] for link in ("A", "C"))
    assert all(x[n["id"]] > x["link:" + "B"] - 1 for n in nodes if n["id"] == "target:o1")


def test_each_status_has_its_colour(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    nodes, edges = build_network(gaps, targets, MapOptions())
    colour = {n["id"]: n["color"]["background"] for n in nodes if n["id"].startswith("link:")}
    status = {g.link_id: g.status for g in gaps.links}
    assert status == {"A": "strong", "B": "missing", "C": "weak", "D": "missing"}
    for link_id, link_status in status.items():
        assert colour[f"link:{link_id}"] == STATUS_COLOURS[link_status]["background"]
    labels = {n["id"]: n["label"] for n in nodes}
    assert labels["link:B"].endswith("缺 · 补链") and labels["link:C"].endswith("弱 · 强链")
    assert sum(1 for e in edges if e.get("arrows") == "to" and e["from"].startswith("link:")) == 3


def test_same_input_same_page_and_options(store, tmp_path):
    gaps, targets = _town(store, tmp_path)
    day = dt.date(2026, 11, 23)
    first = render_map(gaps, targets, tmp_path / "a.html", MapOptions(date=day)).read_bytes()
    second = render_map(gaps, targets, tmp_path / "b.html", MapOptions(date=day)).read_bytes()
    assert first == second
    bare, _ = build_network(gaps, targets, MapOptions(show_firms=False, show_targets=False))
    assert [n["id"] for n in bare] == ["link:A", "link:B", "link:C", "link:D"]


def test_province_overview_marks_what_towns_share(store, tmp_path):
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
    nodes, _edges, stats = build_overview(towns, MapOptions())
    # 甲镇 covers A (weak), 乙镇 covers D (weak): every link is a gap of both towns, and both
    # outside firms ("shared" on B, "also" on D) could serve both.
    assert stats == {"towns": 2, "gap_links": 4, "shared_links": 4, "shared_targets": 2}
    shared = next(n for n in nodes if n["id"] == "target:shared")
    assert "服务 2 个镇" in shared["label"]
    assert next(n for n in nodes if n["id"] == "link:B")["borderWidth"] == 4
    page = render_overview(towns, "山西省", tmp_path / "overview.html")
    seen = visit(page, tmp_path / "overview.png")
    assert seen.blocked_requests == [] and seen.console_errors == []
    assert seen.node_count == len(nodes)


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

"""Gap analysis on hand-built towns whose answers were worked out by hand."""

from __future__ import annotations

import pytest

from chainmap.analysis.gaps import find_gaps, write_gaps
from chainmap.config import GapRules
from chainmap.errors import TownNotFound
from chainmap.importer.load import import_dataset
from tests.builders import chain, firm, town, write_dataset


def _local(firm_id: str, town_id: str = "T", **extra):
    return firm(firm_id, "山西省", town_id=town_id, **extra)


def _statuses(report):
    return {g.link_id: (g.status, g.gap_kind, g.local_firms, g.leading_firms) for g in report.links}


LINEAR = chain(
    "c",
    [("A", "上游"), ("B", "上游"), ("C", "中游"), ("D", "下游"), ("E", "下游")],
    [("A", "B"), ("B", "C"), ("C", "D"), ("D", "E")],
)


def test_each_status_and_kind_on_a_linear_chain(store, tmp_path):
    # A: 3 local firms -> strong; B: none, covered A upstream and C downstream -> 补链;
    # C: one ordinary firm -> weak/强链; D, E: none, nothing covered downstream -> 延链 (下游).
    firms = [_local(f"a{i}") for i in range(3)] + [_local("c1")]
    links = [{"firm_id": f"a{i}", "link_id": "A"} for i in range(3)] + [
        {"firm_id": "c1", "link_id": "C"}
    ]
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d", **LINEAR, towns=[town("T", "c")], firms=firms, firm_links=links
        ),
    )
    report = find_gaps(store, "T")
    assert _statuses(report) == {
        "A": ("strong", None, 3, 0),
        "B": ("missing", "补链", 0, 0),
        "C": ("weak", "强链", 1, 0),
        "D": ("missing", "延链", 0, 0),
        "E": ("missing", "延链", 0, 0),
    }
    assert {g.link_id: g.direction for g in report.links if g.gap_kind == "延链"} == {
        "D": "下游",
        "E": "下游",
    }
    assert report.completeness == 0.4  # A and C of five equal-weight links
    assert [g.link_id for g in report.links] == ["A", "B", "C", "D", "E"]  # upstream first


def test_leading_firm_makes_a_link_strong(store, tmp_path):
    firms = [
        _local("lead", leading=True),
        _local("giant", badges=["小巨人"]),
        _local("srdi", badges=["专精特新"]),
        _local("two1"),
        _local("two2"),
    ]
    links = [
        {"firm_id": "lead", "link_id": "A"},
        {"firm_id": "giant", "link_id": "B"},
        {"firm_id": "srdi", "link_id": "C"},
        {"firm_id": "two1", "link_id": "D"},
        {"firm_id": "two2", "link_id": "D"},
    ]
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d", **LINEAR, towns=[town("T", "c")], firms=firms, firm_links=links
        ),
    )
    report = find_gaps(store, "T")
    assert _statuses(report)["A"] == ("strong", None, 1, 1)  # leading = 是
    assert _statuses(report)["B"] == ("strong", None, 1, 1)  # 小巨人 counts as leading
    assert _statuses(report)["C"] == ("weak", "强链", 1, 0)  # 专精特新 alone does not
    assert _statuses(report)["D"] == ("weak", "强链", 2, 0)  # two firms: still weak
    assert _statuses(report)["E"] == ("missing", "延链", 0, 0)
    stricter = find_gaps(store, "T", GapRules(strong_min_local_firms=2))
    assert _statuses(stricter)["D"] == ("strong", None, 2, 0)  # thresholds are configurable


def test_missing_chain_start_extends_upstream(store, tmp_path):
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d",
            **LINEAR,
            towns=[town("T", "c")],
            firms=[_local("c1")],
            firm_links=[{"firm_id": "c1", "link_id": "C"}],
        ),
    )
    report = find_gaps(store, "T")
    assert {g.link_id: (g.gap_kind, g.direction) for g in report.links} == {
        "A": ("延链", "上游"),
        "B": ("延链", "上游"),
        "C": ("强链", None),
        "D": ("延链", "下游"),
        "E": ("延链", "下游"),
    }


def test_branching_flows(store, tmp_path):
    # A -> C, B -> C, C -> D, C -> E. A and D covered; C between them -> 补链;
    # B has nothing upstream -> 延链 上游; E only covered upstream (via C to A) -> 延链 下游.
    data = chain(
        "c",
        [("A", "上游"), ("B", "上游"), ("C", "中游"), ("D", "下游"), ("E", "下游")],
        [("A", "C"), ("B", "C"), ("C", "D"), ("C", "E")],
    )
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d",
            **data,
            towns=[town("T", "c")],
            firms=[_local("a"), _local("d")],
            firm_links=[{"firm_id": "a", "link_id": "A"}, {"firm_id": "d", "link_id": "D"}],
        ),
    )
    report = find_gaps(store, "T")
    assert {g.link_id: (g.status, g.gap_kind, g.direction) for g in report.links} == {
        "A": ("weak", "强链", None),
        "B": ("missing", "延链", "上游"),
        "C": ("missing", "补链", None),
        "D": ("weak", "强链", None),
        "E": ("missing", "延链", "下游"),
    }


def test_chain_without_flows(store, tmp_path):
    data = chain("c", [("A", "上游"), ("B", "中游"), ("C", "下游")], [])
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d",
            **data,
            towns=[town("T", "c")],
            firms=[_local("b")],
            firm_links=[{"firm_id": "b", "link_id": "B"}],
        ),
    )
    report = find_gaps(store, "T")
    # Without flows nothing is up- or downstream of anything: missing links are 延链.
    assert {g.link_id: (g.status, g.gap_kind, g.direction) for g in report.links} == {
        "A": ("missing", "延链", "独立"),
        "B": ("weak", "强链", None),
        "C": ("missing", "延链", "独立"),
    }


def test_town_with_no_firms(store, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d", **LINEAR, towns=[town("T", "c")]))
    report = find_gaps(store, "T")
    assert all(g.status == "missing" and g.gap_kind == "延链" for g in report.links)
    assert report.completeness == 0.0
    assert all(g.location_quotient is None for g in report.links)


def test_completeness_is_weighted(store, tmp_path):
    data = chain(
        "c",
        [("A", "上游"), ("B", "中游"), ("C", "下游")],
        [("A", "B"), ("B", "C")],
        weights={"A": 0.5, "B": 1, "C": 0.5},
    )
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d",
            **data,
            towns=[town("T", "c")],
            firms=[_local("b")],
            firm_links=[{"firm_id": "b", "link_id": "B"}],
        ),
    )
    assert find_gaps(store, "T").completeness == 0.5  # 1 of 2 weight units


def test_context_figures(store, tmp_path):
    # Store-wide: A has 2 firms (1 local), B has 2 (both outside); chain firms 4, local 1.
    data = chain("c", [("A", "上游"), ("B", "下游")], [("A", "B")])
    import_dataset(
        store,
        write_dataset(
            tmp_path / "d",
            **data,
            towns=[town("T", "c")],
            firms=[_local("l1"), firm("o1"), firm("o2"), firm("o3")],
            firm_links=[
                {"firm_id": "l1", "link_id": "A"},
                {"firm_id": "o1", "link_id": "A"},
                {"firm_id": "o2", "link_id": "B"},
                {"firm_id": "o3", "link_id": "B"},
            ],
        ),
    )
    a, b = find_gaps(store, "T").links
    assert (a.store_firms, a.store_share) == (2, 0.5)
    assert a.location_quotient == 2.0  # (1/1) / (2/4)
    assert (b.store_firms, b.location_quotient) == (2, 0.0)


def test_gap_links_are_written_and_replaced(store, tmp_path):
    folder = write_dataset(
        tmp_path / "d",
        **LINEAR,
        towns=[town("T", "c")],
        firms=[_local("c1")],
        firm_links=[{"firm_id": "c1", "link_id": "C"}],
    )
    import_dataset(store, folder)
    write_gaps(store, find_gaps(store, "T"))
    edges = {(e["to_id"], e["kind"], e["status"]) for e in store.query("edges_scan", rel="GAP")}
    assert edges == {
        ("A", "延链", "missing"),
        ("B", "延链", "missing"),
        ("C", "强链", "weak"),
        ("D", "延链", "missing"),
        ("E", "延链", "missing"),
    }
    write_dataset(
        folder,
        firms=[_local("c1"), _local("a1")],
        firm_links=[{"firm_id": "c1", "link_id": "C"}, {"firm_id": "a1", "link_id": "A"}],
    )
    import_dataset(store, folder)
    write_gaps(store, find_gaps(store, "T"))
    edges = {(e["to_id"], e["kind"]) for e in store.query("edges_scan", rel="GAP")}
    assert edges == {("A", "强链"), ("B", "补链"), ("C", "强链"), ("D", "延链"), ("E", "延链")}


def test_town_by_name_and_unknown_town(store, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d", **LINEAR, towns=[town("T", "c")]))
    assert find_gaps(store, "T镇").town["id"] == "T"
    with pytest.raises(TownNotFound):
        find_gaps(store, "没有这个镇")

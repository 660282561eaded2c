"""The targets snapshot: stamped with the store's generation, rebuilt when stale, never trusted
when damaged; Neo4j keeps none (its targets read by Cypher)."""

from __future__ import annotations

import pytest

from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.config import load_settings
from chainmap.errors import DatasetInvalid
from chainmap.importer.load import import_dataset
from tests.builders import chain, firm, town, write_dataset

SETTINGS = load_settings()
CHAIN = chain("c", [("A", "上游"), ("B", "中游"), ("C", "下游")], [("A", "B"), ("B", "C")])


def _tables(revenue: float = 500.0, **extra):
    return dict(
        CHAIN,
        towns=[town("T", "c", province="山西省", city="吕梁市", county="交城县")],
        firms=[
            firm("local", "山西省", town_id="T"),
            firm("x1", "江苏省", revenue_wan=revenue),
            firm("x2", "江苏省", revenue_wan=1000.0),
        ],
        firm_links=[
            {"firm_id": "local", "link_id": "A"},
            {"firm_id": "x1", "link_id": "B"},
            {"firm_id": "x2", "link_id": "B"},
        ],
        **extra,
    )


def _import_with(store, tmp_path, x3, x4):
    """The base tables plus x3 on links B and C and x4 on C."""
    tables = _tables()
    tables["firms"] += [x3, x4]
    tables["firm_links"] += [
        {"firm_id": "x3", "link_id": "B"},
        {"firm_id": "x3", "link_id": "C"},
        {"firm_id": "x4", "link_id": "C"},
    ]
    import_dataset(store, write_dataset(tmp_path / "d", **tables))


def _generation(store):
    rows = store.query("state_generation")
    return rows[0]["generation"] if rows else None


@pytest.fixture
def ladybug_only(store):
    if store.backend != "ladybug":
        pytest.skip("only the embedded store keeps a targets snapshot")


def test_neo4j_keeps_no_snapshot_and_a_new_store_has_no_generation(store, tmp_path):
    assert _generation(store) is None
    assert store.targets_snapshot() is None
    import_dataset(store, write_dataset(tmp_path / "d", **_tables()))
    assert _generation(store) is not None
    if store.backend == "neo4j":
        assert store.targets_snapshot() is None


def test_a_changed_firm_starts_a_generation_and_the_snapshot_follows(store, ladybug_only, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d1", **_tables(revenue=500.0)))
    first = _generation(store)
    before = find_targets(store, "T", SETTINGS, filters=TargetFilters(links=("B",)))
    assert [t.firm_id for t in before.targets] == ["x2", "x1"]
    assert store.targets_snapshot().generation == first

    # The same data again: nothing written, the generation (and its snapshot file) stays.
    import_dataset(store, write_dataset(tmp_path / "d2", **_tables(revenue=500.0)))
    assert _generation(store) == first

    # x1 grows past x2: a new generation, the old file goes, the ranking follows the store.
    import_dataset(store, write_dataset(tmp_path / "d3", **_tables(revenue=5_000_000.0)))
    second = _generation(store)
    assert second != first
    after = find_targets(store, "T", SETTINGS, filters=TargetFilters(links=("B",)))
    assert [t.firm_id for t in after.targets] == ["x1", "x2"]
    files = sorted(p.name for p in (store.folder / "snapshot").glob("*.arrow"))
    assert files == [f"{second}.arrow"]


def test_a_refused_import_keeps_the_generation(store, ladybug_only, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d1", **_tables()))
    first = _generation(store)
    bad = _tables(revenue=9_000.0)
    bad["firm_links"].append({"firm_id": "x1", "link_id": "NOPE"})
    with pytest.raises(DatasetInvalid):
        import_dataset(store, write_dataset(tmp_path / "d2", **bad))
    assert _generation(store) == first


def test_a_project_does_not_make_the_snapshot_stale(store, ladybug_only, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d1", **_tables()))
    first = _generation(store)
    project = {"project_id": "P1", "name": "示例项目", "town_id": "T", "status": "签约"}
    import_dataset(store, write_dataset(tmp_path / "d2", projects=[project]))
    assert store.query("count_nodes", label="Project") == [{"n": 1}]
    assert _generation(store) == first


def test_a_damaged_snapshot_file_is_rebuilt(store, ladybug_only, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d", **_tables()))
    expected = find_targets(store, "T", SETTINGS).targets
    (path,) = (store.folder / "snapshot").glob("*.arrow")
    path.write_bytes(b"not an arrow file")
    again = find_targets(store, "T", SETTINGS).targets
    assert [(t.firm_id, t.score) for t in again] == [(t.firm_id, t.score) for t in expected]
    assert path.read_bytes()[:6] == b"ARROW1"


def test_an_unwritable_snapshot_folder_only_costs_the_saving(
    store, ladybug_only, tmp_path, monkeypatch
):
    import_dataset(store, write_dataset(tmp_path / "d", **_tables()))
    import chainmap.store.snapshot as snapshot

    def refuse(*args, **kwargs):
        raise PermissionError("read-only")

    monkeypatch.setattr(snapshot, "_write", refuse)
    built = store.targets_snapshot()
    span = built.rows_of("B")
    assert {built.ids[i].as_py() for i in range(span.start, span.stop)} == {"x1", "x2"}
    assert not list((store.folder / "snapshot").glob("*.arrow"))


def test_the_snapshot_holds_what_the_store_holds(store, ladybug_only, tmp_path):
    _import_with(
        store, tmp_path, firm("x3", "未知", badges="小巨人;上市公司"), firm("x4", "北京市")
    )
    snap = store.targets_snapshot()
    stored = {row["id"]: row for row in store.query("nodes_scan", label="Firm")}
    pairs = []
    for link in snap.link_ids:
        span = snap.rows_of(link)
        for row in range(span.start, span.stop):
            firm_id = snap.ids[row].as_py()
            pairs.append((firm_id, link))
            facts = stored[firm_id]
            province = snap.province.codes[row]
            assert (snap.province.values[province] if province >= 0 else None) == facts["province"]
            revenue = snap.revenue_wan[row]
            assert (None if revenue != revenue else revenue) == facts["revenue_wan"]
            held = {b for i, b in enumerate(snap.badge_names) if snap.badges[row] >> i & 1}
            assert held == set(facts["badges"] or [])
    makes = {(e["from_id"], e["to_id"]) for e in store.query("edges_scan", rel="MAKES")}
    assert sorted(pairs) == sorted(makes)


def test_gap_context_from_the_snapshot_equals_the_store_count(store, tmp_path, monkeypatch):
    from chainmap.analysis.gaps import find_gaps

    _import_with(store, tmp_path, firm("x3", "浙江省"), firm("x4", "北京市"))

    def context():
        report = find_gaps(store, "T")
        return [
            (g.link_id, g.store_firms, g.store_share, g.location_quotient) for g in report.links
        ]

    offered = context()
    monkeypatch.setattr(store, "targets_snapshot", lambda: None)
    assert offered == context()
    assert [(link, firms) for link, firms, _, _ in offered] == [("A", 1), ("B", 3), ("C", 2)]


def test_firms_without_a_generation_get_one(store, ladybug_only, tmp_path):
    import_dataset(store, write_dataset(tmp_path / "d", **_tables()))
    store.execute("state_clear")
    assert _generation(store) is None
    built = store.targets_snapshot()
    assert built is not None and built.generation == _generation(store)

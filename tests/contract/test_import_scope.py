"""A dataset replaces only what it covers: registers of two chains imported one after another."""

from __future__ import annotations

from chainmap.importer.load import import_dataset
from tests.builders import chain, firm, write_dataset
from tests.conftest import snapshot


def _links(store, firm_id):
    rows = store.query("edges_scan", rel="MAKES")
    return sorted(r["to_id"] for r in rows if r["from_id"] == firm_id)


def _ties(store):
    rows = store.query("edges_scan", rel="SUPPLIES")
    return sorted((r["from_id"], r["to_id"]) for r in rows)


def _chains(store, tmp_path):
    a = chain("A", [("a1", "上游"), ("a2", "下游")], [("a1", "a2")])
    b = chain("B", [("b1", "上游"), ("b2", "下游")], [("b1", "b2")])
    tables = {key: a[key] + b[key] for key in a}
    import_dataset(store, write_dataset(tmp_path / "chains", **tables))


FIRMS = [firm("f1", "江苏省"), firm("f2", "河北省"), firm("f3", "山东省")]


def test_a_register_for_chain_b_leaves_chain_a_untouched(store, tmp_path):
    _chains(store, tmp_path)
    import_dataset(
        store,
        write_dataset(
            tmp_path / "reg_a",
            firms=FIRMS,
            firm_links=[{"firm_id": "f1", "link_id": "a1"}, {"firm_id": "f2", "link_id": "a2"}],
        ),
    )
    reg_b = write_dataset(
        tmp_path / "reg_b",
        firms=FIRMS,
        firm_links=[{"firm_id": "f1", "link_id": "b1"}, {"firm_id": "f3", "link_id": "b2"}],
    )
    result = import_dataset(store, reg_b)
    assert result.changes.edges_deleted.get("MAKES", 0) == 0
    assert _links(store, "f1") == ["a1", "b1"]
    assert _links(store, "f2") == ["a2"]
    assert _links(store, "f3") == ["b2"]
    before = snapshot(store)
    again = import_dataset(store, reg_b)
    assert not again.changes.any
    assert snapshot(store) == before


def test_an_edited_register_updates_within_its_chain(store, tmp_path):
    _chains(store, tmp_path)
    import_dataset(
        store,
        write_dataset(
            tmp_path / "both",
            firms=FIRMS,
            firm_links=[{"firm_id": "f1", "link_id": "a1"}, {"firm_id": "f1", "link_id": "b1"}],
        ),
    )
    import_dataset(
        store,
        write_dataset(
            tmp_path / "edited_b",
            firms=FIRMS,
            firm_links=[{"firm_id": "f1", "link_id": "b2"}],
        ),
    )
    assert _links(store, "f1") == ["a1", "b2"]
    # f2 is listed in the register of chain B with no link there: it has none in chain B.
    import_dataset(
        store,
        write_dataset(
            tmp_path / "rejected",
            firms=FIRMS,
            firm_links=[{"firm_id": "f3", "link_id": "b1"}],
        ),
    )
    assert _links(store, "f1") == ["a1"]


def test_replace_all_is_the_explicit_wide_replacement(store, tmp_path):
    _chains(store, tmp_path)
    import_dataset(
        store,
        write_dataset(tmp_path / "a", firms=FIRMS, firm_links=[{"firm_id": "f1", "link_id": "a1"}]),
    )
    import_dataset(
        store,
        write_dataset(tmp_path / "b", firms=FIRMS, firm_links=[{"firm_id": "f1", "link_id": "b1"}]),
        replace_all=True,
    )
    assert _links(store, "f1") == ["b1"]


def test_supply_ties_are_replaced_only_for_the_suppliers_listed(store, tmp_path):
    _chains(store, tmp_path)
    import_dataset(
        store,
        write_dataset(
            tmp_path / "t1",
            firms=FIRMS,
            supply_ties=[
                {"supplier_id": "f1", "customer_id": "f2"},
                {"supplier_id": "f2", "customer_id": "f3"},
            ],
        ),
    )
    import_dataset(
        store,
        write_dataset(
            tmp_path / "t2",
            firms=FIRMS,
            supply_ties=[{"supplier_id": "f2", "customer_id": "f1"}],
        ),
    )
    assert _ties(store) == [("f1", "f2"), ("f2", "f1")]

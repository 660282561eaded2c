"""The LadybugDB DDL in cypher/ must declare exactly the graph model of chainmap/graph.py."""

from __future__ import annotations

import pytest

from chainmap.errors import StoreError
from chainmap.graph import NODES, RELS
from chainmap.model import TABLES
from chainmap.store.ladybug import LadybugStore

_ALIASES = {"BOOL": "BOOLEAN"}  # LadybugDB reports BOOLEAN columns as BOOL


def test_ladybug_tables_match_the_graph_model(tmp_path):
    store = LadybugStore.open(tmp_path / "db")
    conn = store._conn  # schema introspection is adapter-internal by nature
    for node in NODES.values():
        info = conn.execute(f"CALL table_info('{node.label}') RETURN *").get_as_df()
        declared = [
            (n, _ALIASES.get(t, t)) for n, t in zip(info["name"], info["type"], strict=True)
        ]
        assert declared == [("id", "STRING"), *node.properties], node.label
    for rel in RELS.values():
        info = conn.execute(f"CALL table_info('{rel.name}') RETURN *").get_as_df()
        assert list(zip(info["name"], info["type"], strict=True)) == list(rel.properties), rel.name
    store.close()


def test_required_columns_are_the_contracts():
    assert {t: m.required_columns() for t, m in TABLES.items()} == {
        "chains": ("chain_id", "name"),
        "links": ("link_id", "chain_id", "name", "stage"),
        "link_flows": ("from_link_id", "to_link_id"),
        "towns": ("town_id", "name", "province", "lead_chain_id"),
        "firms": ("firm_id", "name", "province"),
        "firm_links": ("firm_id", "link_id"),
        "supply_ties": ("supplier_id", "customer_id"),
        "projects": ("project_id", "name", "town_id", "status"),
        # Extension tables (issue 8), not in contract v1:
        "indicators": ("town_id", "year"),
        "platforms": ("name", "type"),
        # After the target (issue 15):
        "fundings": ("project_id", "received_on", "amount_wan"),
        "leads": ("town_id", "firm_id"),
        "follow_ups": ("town_id", "firm_id", "followed_on", "way"),
        "problems": ("problem_id", "town_id", "raised_on", "description"),
        "tasks": ("task_id", "town_id", "year", "item"),
    }


def test_a_store_of_the_previous_schema_is_migrated_in_place(tmp_path):
    import json

    from chainmap.importer.load import import_dataset
    from chainmap.resources import resource_dir
    from chainmap.store.ladybug import META_FILE, SCHEMA_VERSION

    store = LadybugStore.open(tmp_path / "db")
    # As schema 4 had it: no locality on links, nothing of schema 6.
    for statement in (
        "ALTER TABLE Link DROP locality",
        "ALTER TABLE Link DROP exclude_keywords",
        "ALTER TABLE Chain DROP goods_keywords",
        "ALTER TABLE Project DROP talks_on",
        "ALTER TABLE Project DROP referrer_firm_id",
        "ALTER TABLE Project DROP referrer_name",
        *(f"DROP TABLE {label}" for label in ("Funding", "Lead", "FollowUp", "Problem", "Task")),
        "DROP TABLE StoreState",
    ):
        store._conn.execute(statement)
    store.close()
    meta_path = tmp_path / "db" / META_FILE
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "schema": 4}), encoding="utf-8")
    store = LadybugStore.open(tmp_path / "db")
    assert json.loads(meta_path.read_text(encoding="utf-8"))["schema"] == SCHEMA_VERSION
    import_dataset(store, resource_dir("data") / "chains" / "nitro_fertilizer")
    rows = store.query("chain_links", {"chain": "nitro_fertilizer"})
    assert {r["id"]: r["locality"] for r in rows}["nf_coke_gas"] == "就近"
    info = store._conn.execute("CALL table_info('Project') RETURN *").get_as_df()
    assert list(info["name"])[-3:] == ["talks_on", "referrer_firm_id", "referrer_name"]
    assert store.query("count_nodes", label="Lead") == [{"n": 0}]
    # Data imported before generations were kept gets its first one when migrated.
    assert len(store.query("state_generation")) == 1
    store.close()
    store.close()


def test_a_statement_failing_in_a_transaction_is_the_error_shown(tmp_path):
    """LadybugDB rolls a transaction back itself when a statement in it fails at run time; the
    user is told that statement's error, not that there was nothing left to roll back."""
    store = LadybugStore.open(tmp_path / "db")
    try:
        before = store.query("state_generation")
        with pytest.raises(StoreError) as raised, store.transaction():
            store.execute("state_bump", {"generation": "half-written"})
            store.query("nodes_fetch", {"ids": 5}, label="Firm")  # not a list
        assert "$ids" in str(raised.value)
        assert "ROLLBACK" not in str(raised.value)
        assert store.query("state_generation") == before
        with store.transaction():  # the store is usable again
            store.execute("state_bump", {"generation": "whole"})
        assert store.query("state_generation") == [{"generation": "whole"}]
    finally:
        store.close()

"""Imports larger than one transaction of the back end (Neo4j's transaction memory) are written
in steps with an undo record: the result equals a one-transaction import, and a failure or an
interrupt in the middle leaves the graph as it was. Run on every back end with a tiny step."""

from __future__ import annotations

import os
import shutil
import signal

import pytest

from chainmap.errors import StoreError
from chainmap.importer.load import import_dataset
from chainmap.interrupts import Interrupted
from tests.conftest import open_test_store, snapshot

STEP_ROWS = 3


def _edit(small, tmp_path):
    """The small dataset refreshed: a firm's revenue and a tie's value change, a firm link is
    gone and another is new, a firm is added."""
    edited = tmp_path / "edited"
    shutil.copytree(small, edited)
    firms = (edited / "firms.csv").read_text(encoding="utf-8").splitlines()
    header = firms[0].split(",")
    revenue = header.index("revenue_wan")
    first = firms[1].split(",")
    first[revenue] = "123456"
    firms[1] = ",".join(first)
    added = [""] * len(header)
    added[header.index("firm_id")] = "L_STAGED"
    added[header.index("name")] = "示例分批写入企业"
    added[header.index("province")] = "山西省"
    firms.append(",".join(added))
    (edited / "firms.csv").write_text("\n".join(firms) + "\n", encoding="utf-8")
    links = (edited / "firm_links.csv").read_text(encoding="utf-8").splitlines()
    gone = links.pop(1)
    kept_link = gone.split(",")[links[0].split(",").index("link_id")]
    links.append(f"L_STAGED,{kept_link}" + "," * (len(links[0].split(",")) - 2))
    (edited / "firm_links.csv").write_text("\n".join(links) + "\n", encoding="utf-8")
    return edited


@pytest.fixture
def staged_store(store, monkeypatch):
    monkeypatch.setattr(store, "max_transaction_rows", STEP_ROWS, raising=False)
    return store


def test_a_staged_import_equals_one_transaction(staged_store, store, small, tmp_path, request):
    edited = _edit(small, tmp_path)
    import_dataset(staged_store, small)
    import_dataset(staged_store, edited)
    whole = open_test_store(request.node.callspec.params["store"], tmp_path / "whole")
    try:
        import_dataset(whole, small)
        import_dataset(whole, edited)
        assert snapshot(staged_store) == snapshot(whole)
    finally:
        whole.close()
    # Unchanged data again: nothing changes.
    before = snapshot(staged_store)
    result = import_dataset(staged_store, edited)
    assert not result.changes.any
    assert snapshot(staged_store) == before


@pytest.mark.parametrize(
    "fail_in", ["create_nodes", "update_nodes", "edges_delete", "create_edges"]
)
def test_a_failed_step_is_undone(staged_store, small, tmp_path, monkeypatch, fail_in):
    """The server fails at the first write of each kind: every step before it is undone."""
    import_dataset(staged_store, small)
    before = snapshot(staged_store)
    generation = staged_store.query("state_generation")
    method = "execute" if fail_in == "edges_delete" else fail_in
    real = getattr(staged_store, method)
    failed = []

    def failing(*args, **kwargs):
        if not failed and (method != "execute" or args[0] == fail_in):
            failed.append(args)
            raise StoreError("数据库操作失败：模拟的服务器故障")
        return real(*args, **kwargs)

    monkeypatch.setattr(staged_store, method, failing)
    with pytest.raises(StoreError, match=r"已撤销此前写入的 \d+ 批，数据库保持导入前的状态"):
        import_dataset(staged_store, _edit(small, tmp_path))
    assert failed
    assert snapshot(staged_store) == before
    assert staged_store.query("state_generation") == generation


def test_a_failed_first_import_leaves_an_empty_store(staged_store, small, monkeypatch):
    before = snapshot(staged_store)

    def failing(rel, columns):
        raise StoreError("数据库操作失败：模拟的服务器故障")

    monkeypatch.setattr(staged_store, "create_edges", failing)
    with pytest.raises(StoreError, match="已撤销"):
        import_dataset(staged_store, small)
    assert snapshot(staged_store) == before
    assert staged_store.query("state_generation") == []


def test_an_interrupt_between_steps_is_undone(staged_store, small, tmp_path, monkeypatch):
    import_dataset(staged_store, small)
    before = snapshot(staged_store)
    real = staged_store.update_nodes

    def interrupted(node, table):
        real(node, table)
        os.kill(os.getpid(), signal.SIGINT)  # deferred: acted on at the next step

    monkeypatch.setattr(staged_store, "update_nodes", interrupted)
    with pytest.raises(Interrupted) as caught:
        import_dataset(staged_store, _edit(small, tmp_path))
    assert not caught.value.committed
    assert snapshot(staged_store) == before


def test_an_undo_that_cannot_finish_says_how_to_complete(staged_store, small, monkeypatch):
    def failing(rel, columns):
        raise StoreError("数据库操作失败：模拟的服务器故障")

    def gone(*args, **kwargs):
        raise StoreError("数据库操作失败：服务器已断开")

    real_execute = staged_store.execute

    def execute(name, *args, **kwargs):
        if name == "nodes_delete":
            gone()
        return real_execute(name, *args, **kwargs)

    monkeypatch.setattr(staged_store, "create_edges", failing)
    monkeypatch.setattr(staged_store, "execute", execute)
    with pytest.raises(StoreError, match=r"撤销未能完成.*重新运行同一导入"):
        import_dataset(staged_store, small)


def test_creates_in_parts_equal_one_call_per_table(store, small, tmp_path, request, monkeypatch):
    """A back end that takes new rows in parts (Neo4j: 200k per call) writes the same graph as
    one that takes a whole table per call (LadybugDB's one COPY), and reports progress per part."""
    monkeypatch.setattr(store, "rows_per_create", 2, raising=False)
    parts: list[tuple[str, int]] = []
    created: list[tuple[str, int]] = []
    real_nodes, real_edges = store.create_nodes, store.create_edges

    def create_nodes(node, columns):
        created.append((node.label, len(columns["id"])))
        real_nodes(node, columns)

    def create_edges(rel, columns):
        created.append((rel.name, len(columns["from_id"])))
        real_edges(rel, columns)

    monkeypatch.setattr(store, "create_nodes", create_nodes)
    monkeypatch.setattr(store, "create_edges", create_edges)
    import_dataset(store, small, lambda what, rows: parts.append((what, rows)))
    assert created and max(rows for _, rows in created) == 2
    assert [p for p in parts if p[1]][: len(created)] == created
    whole = open_test_store(request.node.callspec.params["store"], tmp_path / "whole")
    try:
        import_dataset(whole, small)
        assert snapshot(store) == snapshot(whole)
    finally:
        whole.close()

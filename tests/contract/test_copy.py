"""Moving a graph between stores keeps every node, property and relationship."""

from __future__ import annotations

from chainmap.importer.load import import_dataset
from chainmap.store.copy import copy_graph
from chainmap.store.ladybug import LadybugStore
from tests.conftest import snapshot


def test_copy_there_and_back(store, small, tmp_path):
    source = LadybugStore.open(tmp_path / "source")
    import_dataset(source, small)
    changes = copy_graph(source, store)
    assert changes.created["Firm"] == 5 and changes.edges_created["MAKES"] == 6
    assert snapshot(store) == snapshot(source)
    assert not copy_graph(source, store).any  # copying again changes nothing
    back = LadybugStore.open(tmp_path / "back")
    copy_graph(store, back)
    assert snapshot(back) == snapshot(source)
    source.close()
    back.close()

"""Shared fixtures: real stores in temp folders, real dataset files, a local HTTP server."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chainmap.errors import StoreError
from chainmap.graph import NODES, RELS
from chainmap.store.base import GraphStore
from chainmap.store.ladybug import LadybugStore

DATA = Path(__file__).parent / "data"
BACKENDS = ("ladybug", "neo4j")


def open_test_store(backend: str, tmp_path: Path) -> GraphStore:
    """A fresh, empty store of `backend`, or pytest.skip saying why it cannot be had."""
    if backend == "ladybug":
        return LadybugStore.open(tmp_path / "db")
    uri = os.environ.get("CHAINMAP_TEST_NEO4J_URI")
    if not uri:
        pytest.skip("CHAINMAP_TEST_NEO4J_URI not set: Neo4j leg skipped (wanted a Neo4j 5 server)")
    try:
        from chainmap.store.neo4j import Neo4jStore
    except ImportError as exc:
        pytest.skip(f"Neo4j adapter not available: {exc}")
    try:
        store = Neo4jStore.connect(
            uri,
            user=os.environ.get("CHAINMAP_TEST_NEO4J_USER"),
            password=os.environ.get("CHAINMAP_TEST_NEO4J_PASSWORD"),
            database=os.environ.get("CHAINMAP_TEST_NEO4J_DATABASE"),
        )
    except StoreError as exc:
        pytest.skip(f"no Neo4j at {uri}: {exc}")
    store.clear()
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    opened = open_test_store(request.param, tmp_path)
    yield opened
    opened.close()


@pytest.fixture
def small(tmp_path: Path) -> Path:
    """A copy of the small hand-built dataset (every contract table), safe to edit."""
    target = tmp_path / "small"
    shutil.copytree(DATA / "small", target)
    return target


def snapshot(store: GraphStore) -> dict[str, list[Any]]:
    """Everything in the store, in a comparable form."""
    state: dict[str, list[Any]] = {}
    for label in NODES:
        rows = store.query("nodes_scan", label=label)
        state[label] = sorted((sorted(r.items()) for r in rows), key=repr)
    for rel in RELS:
        rows = store.query("edges_scan", rel=rel)
        state[rel] = sorted((sorted(r.items()) for r in rows), key=repr)
    return state


@pytest.fixture
def http_folder(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(folder, base URL): a local HTTP server on 127.0.0.1 serving `folder`."""
    folder = tmp_path / "served"
    folder.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))

    class QuietHandler(handler.func):  # type: ignore[name-defined, misc]
        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# --- kinds of tests, as markers (see TESTING.md) ----------------------------------------------

KIND_BY_FOLDER = {"contract": "contract", "browser": "browser", "print": "print"}
CLI_FILES = {
    "test_cli.py",
    "test_cli_errors.py",
    "test_interrupts.py",
    "test_benchmarks.py",
    "test_library_api.py",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Each test gets one kind: contract (every back end), browser (Chromium), print
    (LibreOffice to PDF), cli (the command line, in process or as a subprocess), or unit."""
    for item in items:
        path = Path(str(item.fspath))
        kind = KIND_BY_FOLDER.get(path.parent.name)
        if kind is None:
            kind = "cli" if path.name in CLI_FILES else "unit"
        item.add_marker(getattr(pytest.mark, kind))

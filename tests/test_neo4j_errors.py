"""Clear messages when the Neo4j back end cannot be used (a closed local port, no mock)."""

from __future__ import annotations

import socket

import pytest
from click.testing import CliRunner

from chainmap.cli import cli
from chainmap.errors import StoreError
from chainmap.store.neo4j import Neo4jStore


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_unreachable_server():
    uri = f"bolt://127.0.0.1:{_closed_port()}"
    with pytest.raises(StoreError, match="无法连接 Neo4j"):
        Neo4jStore.connect(uri, user="neo4j", password="x")


def test_bad_uri():
    with pytest.raises(StoreError, match="Neo4j 地址无效"):
        Neo4jStore.connect("http://127.0.0.1:7474", user="neo4j", password="x")


def test_commands_use_neo4j_when_configured(monkeypatch):
    monkeypatch.setenv("CHAINMAP_NEO4J_URI", f"bolt://127.0.0.1:{_closed_port()}")
    result = CliRunner().invoke(cli, ["status"])
    assert result.exit_code == 1
    assert "无法连接 Neo4j" in result.output and "Traceback" not in result.output

"""Settings and criteria files: checked against their models, errors that name the key."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from chainmap.cli import cli
from chainmap.config import default_criteria_path, load_criteria, load_settings
from chainmap.errors import ConfigError


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _criteria_without(section: str) -> str:
    text = default_criteria_path().read_text(encoding="utf-8")
    head, _, _ = text.partition(f"[{section}]")
    return head


def test_shipped_files_load():
    assert load_settings().targets.preset in load_settings().targets.presets
    criteria = load_criteria()
    assert criteria["order"] == ["县级", "市级", "省级"]
    assert "relaxed_floor_wan" not in criteria["省级"]  # left out stays out


def test_criteria_without_rank_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match=r"缺少 \[rank\] 一节"):
        load_criteria(_write(tmp_path, "c.toml", _criteria_without("rank")))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("min_platforms = 1", "min_platfroms = 1"), "min_platfroms"),
        (("min_leading_firms = 1", 'min_leading_firms = "一家"'), "min_leading_firms"),
        (("output = 25,", "output = 35,"), "排名权重之和应为 100"),
        (("output = 25,", "outputs = 25,"), "未知的排名项"),
        (('order = ["县级", "市级", "省级"]', 'order = ["县级", "市级"]'), "未知的节"),
    ],
)
def test_criteria_mistakes_name_the_key(tmp_path, change, message):
    text = default_criteria_path().read_text(encoding="utf-8")
    assert change[0] in text
    path = _write(tmp_path, "c.toml", text.replace(change[0], change[1], 1))
    with pytest.raises(ConfigError, match=message):
        load_criteria(path)


def test_settings_refuse_unknown_keys(tmp_path):
    with pytest.raises(ConfigError, match="strong_min_local_firm"):
        load_settings(_write(tmp_path, "s.toml", "[gaps]\nstrong_min_local_firm = 2\n"))


def test_the_cli_reports_a_bad_criteria_file_without_a_traceback(tmp_path):
    path = _write(tmp_path, "c.toml", _criteria_without("rank"))
    result = CliRunner().invoke(
        cli, ["rank", "--criteria", str(path), "--db", str(tmp_path / "db")]
    )
    assert result.exit_code == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["abc", "500", "-1", "1e5"])
def test_a_bad_neo4j_transaction_size_is_a_clear_error(monkeypatch, value):
    from chainmap.store.base import StoreSettings

    monkeypatch.setenv("CHAINMAP_NEO4J_TX_ROWS", value)
    with pytest.raises(ConfigError, match="CHAINMAP_NEO4J_TX_ROWS 应为不小于 1000 的整数"):
        StoreSettings.from_env()


def test_the_neo4j_transaction_size_is_read_from_the_environment(monkeypatch):
    from chainmap.store.base import StoreSettings

    monkeypatch.setenv("CHAINMAP_NEO4J_TX_ROWS", "20000")
    assert StoreSettings.from_env().neo4j_tx_rows == 20000
    monkeypatch.delenv("CHAINMAP_NEO4J_TX_ROWS")
    assert StoreSettings.from_env().neo4j_tx_rows is None

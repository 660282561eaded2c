"""Every command that offers --format json reports its errors as one JSON object on stdout:
{"ok": false, "error": {"type", "message", "hint"}, "errors": [...]}, exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from chainmap.cli import cli

# command -> (arguments after the command, the error type expected); {db} is an empty store.
FAILING = {
    "import": (["/nonexistent/dataset.xlsx", "--db", "{db}"], "SourceError"),
    "validate": (["/nonexistent/dataset.xlsx", "--db", "{db}"], "SourceError"),
    "status": (["--db", "{missing}"], "StoreMissing"),
    "gaps": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "targets": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "chains": (["--db", "{missing}"], "StoreMissing"),
    "chain show": (["nowhere", "--db", "{db}"], "ChainNotFound"),
    "project list": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "project show": (["P-NONE", "--db", "{db}"], "ProjectNotFound"),
    "evaluate": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "rank": (["--db", "{missing}"], "StoreMissing"),
    "follow list": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "follow show": (["nowhere", "F-NONE", "--db", "{db}"], "TownNotFound"),
    "problem list": (["nowhere", "--db", "{db}"], "TownNotFound"),
    "task list": (["nowhere", "--db", "{db}"], "TownNotFound"),
}


def _json_commands() -> set[str]:
    found = set()

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            context = click.Context(command)
            for name in command.list_commands(context):
                walk(command.get_command(context, name), [*path, name])
            return
        for param in command.params:
            if param.name == "fmt" and "json" in getattr(param.type, "choices", ()):
                found.add(" ".join(path))

    walk(cli, [])
    return found


def test_every_json_command_is_covered():
    assert _json_commands() == set(FAILING)


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("errors") / "db"
    result = CliRunner().invoke(cli, ["init", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return db


@pytest.mark.parametrize("command", sorted(FAILING))
def test_errors_print_one_json_object(command, empty_db, tmp_path):
    args, expected_type = FAILING[command]
    filled = [a.format(db=empty_db, missing=tmp_path / "missing") for a in args]
    result = CliRunner().invoke(cli, [*command.split(), *filled, "--format", "json"])
    assert result.exit_code == 1, result.output
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    assert payload["error"]["type"] == expected_type
    assert payload["error"]["message"] and payload["error"]["hint"]
    assert isinstance(payload["errors"], list)


def test_dataset_errors_list_every_issue_in_json(tmp_path, empty_db):
    folder = tmp_path / "bad"
    folder.mkdir()
    (folder / "firms.csv").write_text("firm_id,name,province\nA,,Shanxi\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(folder), "--format", "json"])
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["error"]["type"] == "DatasetInvalid"
    assert {(e["row"], e["column"]) for e in payload["errors"]} == {(2, "name"), (2, "province")}


def test_without_json_the_message_has_a_hint(empty_db):
    result = CliRunner().invoke(cli, ["gaps", "nowhere", "--db", str(empty_db)])
    assert result.exit_code == 1
    assert "找不到专业镇：nowhere" in result.output and "提示：" in result.output


def test_an_exported_project_list_is_refused_with_what_to_do_instead(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "重大项目清单"
    sheet.append(["交城镇重大项目清单（三个一批，统计日期 2026-12-01）"])
    sheet.append(["序号", "项目名称", "所在专业镇", "项目状态", "项目编号"])
    sheet.append([1, "示例项目", "交城镇", "签约", "XM-2026-001"])
    book.create_sheet("汇总")
    path = tmp_path / "交城镇-重大项目清单.xlsx"
    book.save(path)
    result = CliRunner().invoke(cli, ["validate", str(path), "--db", str(tmp_path / "db")])
    assert result.exit_code != 0
    assert "chainmap project move" in result.output and "Traceback" not in result.output

"""The command line as a user meets it: exit codes, messages, files written."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from chainmap.cli import COMMANDS, cli

README = Path(__file__).resolve().parents[1] / "README.md"


def run(*args: str, ok: bool = True):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def test_demo_builds_the_bundled_towns(tmp_path):
    result = run("demo", "--out", str(tmp_path / "demo"))
    assert "jiaocheng_nitro" in result.output
    assert "交城硝基复合肥专业镇" in result.output
    status = json.loads(
        run("status", "--db", str(tmp_path / "demo" / "db"), "--format", "json").output
    )
    counts = status["counts"]
    bundled = _bundled_demo_firms()
    local = sum(1 for row in bundled if row["town_id"])
    from chainmap.resources import resource_dir

    chains = (resource_dir("data") / "chains").iterdir()
    links = sum(len((c / "links.csv").read_text(encoding="utf-8").splitlines()) - 1 for c in chains)
    towns = (
        len((resource_dir("data") / "towns" / "towns.csv").read_text(encoding="utf-8").splitlines())
        - 1
    )
    assert counts["towns"] == towns and counts["links"] == links and counts["local_firms"] == local
    assert counts["firms"] > 400 and counts["supply_ties"] > 100 and counts["projects"] == 7
    again = run("demo", "--out", str(tmp_path / "demo"))
    assert "0 个节点新增或更新" in again.output


def _bundled_demo_firms() -> list[dict[str, str]]:
    """Every bundled firm: the demo town's and the real firms of the seed towns."""
    import csv

    from chainmap.resources import resource_dir

    data = resource_dir("data")
    rows: list[dict[str, str]] = []
    for path in (data / "demo" / "jiaocheng" / "firms.csv", data / "firms" / "firms.csv"):
        with path.open(encoding="utf-8") as f:
            rows.extend(csv.DictReader(f))
    return rows


def test_bundled_fictional_firms_are_labelled():
    for row in _bundled_demo_firms():
        if row["firm_id"].startswith("DEMO-"):
            assert row["name"].startswith("示例") and "虚构" in row["source"]
        else:  # a real firm: its source is a public page, and nothing unstated is filled in
            assert "http" in row["source"] and not row["revenue_wan"]
            assert all(badge in row["source"] for badge in filter(None, row["badges"].split(";")))


def test_import_validate_status(tmp_path):
    db = str(tmp_path / "db")
    small = str(Path(__file__).parent / "data" / "small")
    checked = json.loads(run("validate", small, "--db", db, "--format", "json").output)
    assert checked["ok"] and checked["rows"]["firms"] == 5
    assert not Path(db).exists()  # validate writes nothing
    first = run("import", small, "--db", db)
    assert "新增：产业链 1、产业链环节 6" in first.output
    second = run("import", small, "--db", db)
    assert "未做任何修改" in second.output
    status = run("status", "--db", db)
    assert re.search(r"企业\s+5", status.output)
    assert "t_test" in status.output


def test_bad_dataset_exits_1_with_location(tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "chains.csv").write_text("chain_id,name\nc1,链\n", encoding="utf-8")
    (bad / "links.csv").write_text(
        "link_id,chain_id,name,stage\nl1,c1,环节,中游\nl2,c9,环节二,旁游\n", encoding="utf-8"
    )
    db = tmp_path / "db"
    result = run("import", str(bad), "--db", str(db), ok=False)
    assert result.exit_code == 1
    assert "links.csv" in result.output and "旁游" in result.output and "c9" in result.output
    assert not db.exists()  # a failed first import leaves no database behind
    as_json = run("import", str(bad), "--db", str(db), "--format", "json", ok=False)
    assert as_json.exit_code == 1
    errors = json.loads(as_json.stdout)["errors"]
    assert {(e["row"], e["column"], e["value"]) for e in errors} == {
        (3, "stage", "旁游"),
        (3, "chain_id", "c9"),
    }


def test_missing_source_and_missing_database(tmp_path):
    result = run("import", str(tmp_path / "nowhere.xlsx"), "--db", str(tmp_path / "db"), ok=False)
    assert result.exit_code == 1 and "找不到数据文件" in result.output
    result = run("status", "--db", str(tmp_path / "none"), ok=False)
    assert result.exit_code == 1 and "数据库不存在" in result.output


def test_template_workbook(tmp_path):
    path = tmp_path / "模板.xlsx"
    run("template", str(path))
    workbook = load_workbook(path)
    assert workbook.sheetnames[0] == "说明"
    assert {
        "专业镇",
        "产业链",
        "产业链环节",
        "环节流向",
        "企业",
        "企业环节",
        "供应关系",
        "项目",
    } <= set(workbook.sheetnames)
    assert workbook["企业"].freeze_panes == "A2"
    help_rows = [row for row in workbook["说明"].iter_rows(values_only=True) if row[2]]
    assert ("企业（firms）", "企业编号", "firm_id", "是") in [row[:4] for row in help_rows]


def test_every_command_has_help_and_is_in_the_readme():
    readme = README.read_text(encoding="utf-8")
    context = click.Context(cli)
    for name in cli.list_commands(context):
        command = cli.get_command(context, name)
        # The summary `chainmap --help` shows without loading the command is the command's own.
        assert COMMANDS[name][2] == command.get_short_help_str(limit=200), name
        assert command.help, name
        assert f"chainmap {name}" in readme, f"README does not mention `chainmap {name}`"
        result = run(name, "--help")
        assert "用法" in result.output
        # Subcommands too: each has help and is named in the README (chainmap project add …).
        for sub_name, sub in getattr(command, "commands", {}).items():
            assert sub.help, f"{name} {sub_name}"
            assert sub_name in readme, f"README does not mention `chainmap {name} {sub_name}`"
            assert "用法" in run(name, sub_name, "--help").output


def test_second_process_gets_a_clear_message(tmp_path):
    db = tmp_path / "db"
    run("init", "--db", str(db))
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import sys, time
            from chainmap.store.ladybug import LadybugStore
            store = LadybugStore.open({str(db)!r})
            print("open", flush=True)
            time.sleep(30)
        """),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        busy = subprocess.run(
            [
                sys.executable,
                "-m",
                "chainmap.cli",
                "import",
                str(Path(__file__).parent / "data" / "small"),
                "--db",
                str(db),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert busy.returncode == 1
        assert "正被另一个进程" in busy.stderr and str(holder.pid) in busy.stderr
        assert "Traceback" not in busy.stderr
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.2)
    result = run("import", str(Path(__file__).parent / "data" / "small"), "--db", str(db))
    assert "新增" in result.output


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_top_level(args):
    result = run(*args)
    assert "chainmap" in result.output


def test_query_commands_start_without_the_heavy_libraries(tmp_path):
    """`status`, `gaps`, the ledgers and every `--help` load no pandas, openpyxl or Arrow compute:
    those cost ~0.5 s of start-up and are loaded by the commands that read files or write."""
    code = textwrap.dedent(
        """
        import sys
        from chainmap.cli import COMMANDS, cli
        for name in ("status", "gaps", "targets", "follow", "problem", "import", "chains"):
            cli.get_command(None, name)
        from chainmap.workspace import Workspace
        Workspace.open(sys.argv[1], create=True).close()
        heavy = sorted({"pandas", "openpyxl", "pyarrow.compute", "pyvis"} & set(sys.modules))
        print(",".join(heavy))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "db")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_an_edited_target_list_imported_from_the_command_line_keeps_what_it_lacks(tmp_path):
    """The clerk's round trip through `chainmap import`: the list carries no 状态日期 and no
    follow-up history, so the store's dates and links must survive what the list leaves out."""
    import datetime as dt

    from chainmap.config import load_settings
    from chainmap.importer.load import import_dataset
    from chainmap.store.ladybug import LadybugStore
    from chainmap.workspace import Workspace
    from tests.builders import target_town, write_dataset

    db = tmp_path / "db"
    store = LadybugStore.open(db)
    data = target_town()
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    ws = Workspace(store, load_settings())
    contacted = (dt.date.today() - dt.timedelta(days=20)).isoformat()
    ws.add_follow_up("T", "o1", {"followed_on": contacted, "way": "电话"})
    path, _ = ws.town("T").target_list(tmp_path / "清单.xlsx", owner="县投促中心")
    store.close()
    book = load_workbook(path)
    sheet = book["招商引资清单"]
    headers = [c.value for c in sheet[2]]
    id_col = headers.index("统一社会信用代码/企业编号") + 1
    row_of = {sheet.cell(r, id_col).value: r for r in range(3, sheet.max_row + 1)}
    sheet.cell(row_of["o2"], headers.index("备注") + 1).value = "下周拜访"
    book.save(path)

    run("import", str(path), "--db", str(db))
    store = LadybugStore.open(db)
    try:
        leads = {lead.firm_id: lead for lead in Workspace(store, load_settings()).town("T").leads()}
    finally:
        store.close()
    assert (leads["o1"].status, leads["o1"].status_on) == ("已接洽", contacted)
    assert leads["o1"].link_id == "B"
    assert leads["o2"].notes == "下周拜访"

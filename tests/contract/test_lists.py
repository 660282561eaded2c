"""招商引资清单, 重大项目清单, the project pipeline and the town report."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from chainmap.analysis.pipeline import find_project, flags_of, load_projects, move, summarize
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli import cli
from chainmap.config import ProjectRules, load_settings
from chainmap.errors import ChainmapError
from chainmap.importer.load import import_dataset, import_rows
from chainmap.render.lists import project_sheets, target_list_sheet, write_csv, write_xlsx
from tests.builders import chain, firm, town, write_dataset

SETTINGS = load_settings()
HOSTILE = '=HYPERLINK("http://evil","点我")'
RULES = ProjectRules(signed_not_started_days=180, started_not_producing_days=365)
TODAY = dt.date(2026, 11, 23)


def _data(store, tmp_path, firm_name=HOSTILE, town_name="测试镇"):
    data = dict(
        chain("c", [("A", "上游"), ("B", "中游"), ("C", "下游")], [("A", "B"), ("B", "C")]),
        towns=[dict(town("T", "c"), name=town_name)],
        firms=[
            firm("l1", "山西省", town_id="T", name="@本地企业"),
            firm(
                "91350100M000100Y43", "江苏省", name=firm_name, revenue_wan=20000, badges=["小巨人"]
            ),
            firm("o2", "北京市", name="+外地企业"),
        ],
        firm_links=[
            {"firm_id": "l1", "link_id": "A"},
            {"firm_id": "91350100M000100Y43", "link_id": "B"},
            {"firm_id": "o2", "link_id": "C"},
        ],
        supply_ties=[{"supplier_id": "91350100M000100Y43", "customer_id": "l1"}],
        projects=[
            {
                "project_id": "P1",
                "name": "-签约项目",
                "town_id": "T",
                "link_id": "B",
                "investor_name": "某投资方",
                "investment_wan": 5000,
                "status": "签约",
                "signed_on": "2026-05-27",
                "owner_unit": "县投促中心",
            },
            {
                "project_id": "P2",
                "name": "开工项目",
                "town_id": "T",
                "status": "开工",
                "investment_wan": 8000,
                "signed_on": "2025-01-01",
                "started_on": "2025-11-23",
            },
            {"project_id": "P3", "name": "在谈项目", "town_id": "T", "status": "在谈"},
        ],
    )
    import_dataset(store, write_dataset(tmp_path / "d", **data))


def test_target_list_xlsx_and_csv(store, tmp_path):
    _data(store, tmp_path)
    report = find_targets(store, "T", SETTINGS, filters=TargetFilters(top=10, per_link=5))
    sheet = target_list_sheet(report, "县投资促进中心")
    path = write_xlsx(tmp_path / "清单.xlsx", [sheet])
    book = load_workbook(path)
    ws = book["招商引资清单"]
    assert ws["A1"].value.startswith("测试镇招商引资清单（")  # the title row names town and date
    headers = [c.value for c in ws[2]]
    for heading in (
        "序号",
        "目标企业",
        "统一社会信用代码/企业编号",
        "所在地区",
        "对应环节",
        "环节位置",
        "招商方向",
        "综合得分",
        "得分构成（得分/满分）",
        "推荐理由",
        "建议招商方式",
        "责任单位",
        "跟进状态",
    ):
        assert heading in headers
    assert ws.freeze_panes == "A3" and ws.auto_filter.ref.startswith("A2:")
    # Printing: A4 landscape, one page wide, the header on every page, page numbers.
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$2:$2" and "&P" in ws.oddFooter.center.text
    rows = [
        dict(zip(headers, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)
    ]
    first = rows[0]
    assert first["目标企业"] == "'" + HOSTILE  # neutralised, not a formula
    assert ws.cell(row=3, column=2).data_type == "s"
    assert first["统一社会信用代码/企业编号"] == "91350100M000100Y43"
    # Each component with its maximum.
    assert "/40" in first["得分构成（得分/满分）"] and "/15" in first["得分构成（得分/满分）"]
    assert first["招商方向"] == "延链" and first["责任单位"] == "县投资促进中心"  # C is uncovered
    assert "以商招商" in first["建议招商方式"] and "龙头招商" in first["建议招商方式"]
    assert first["综合得分"] == report.targets[0].score
    assert any(row["目标企业"] == "'+外地企业" for row in rows)
    csv_path = write_csv(tmp_path / "清单.csv", sheet)
    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    with csv_path.open(encoding="utf-8-sig") as handle:
        records = list(csv.DictReader(handle))
    assert records[0]["目标企业"] == "'" + HOSTILE


def test_pipeline_history_and_refused_moves(store, tmp_path):
    _data(store, tmp_path)
    talks = find_project(store, "P3", RULES, TODAY)
    with pytest.raises(ChainmapError, match="下一步只能是签约"):
        move(talks, "开工", TODAY, TODAY)
    with pytest.raises(ChainmapError, match="晚于今天"):
        move(talks, "签约", TODAY + dt.timedelta(days=1), TODAY)
    signed = move(talks, "签约", dt.date(2026, 10, 1), TODAY)
    import_rows(store, {"projects": [signed]}, "test")
    project = find_project(store, "P3", RULES, TODAY)
    with pytest.raises(ChainmapError, match="早于签约日期 2026-10-01"):
        move(project, "开工", dt.date(2026, 9, 30), TODAY)
    started = move(project, "开工", dt.date(2026, 10, 15), TODAY)
    import_rows(store, {"projects": [started]}, "test")
    project = find_project(store, "P3", RULES, TODAY)
    assert project.history() == [("签约", "2026-10-01"), ("开工", "2026-10-15")]
    ended = move(project, "终止", dt.date(2026, 11, 1), TODAY)
    import_rows(store, {"projects": [ended]}, "test")
    project = find_project(store, "P3", RULES, TODAY)
    assert project.history()[-1] == ("终止", "2026-11-01")
    with pytest.raises(ChainmapError, match="已终止"):
        move(project, "投产", TODAY, TODAY)


@pytest.mark.parametrize(("days", "flagged"), [(180, False), (181, True)])
def test_signed_flag_at_the_day_boundary(days, flagged):
    row = {"status": "签约", "signed_on": (TODAY - dt.timedelta(days=days)).isoformat()}
    flags = flags_of(row, RULES, TODAY)
    assert bool(flags) is flagged
    if flagged:
        assert flags[0].days == 181 and flags[0].text == "签约 181 天未开工"


@pytest.mark.parametrize(("days", "flagged"), [(365, False), (366, True)])
def test_started_flag_at_the_day_boundary(days, flagged):
    row = {"status": "开工", "started_on": (TODAY - dt.timedelta(days=days)).isoformat()}
    assert bool(flags_of(row, RULES, TODAY)) is flagged


@pytest.mark.parametrize(("days", "flagged"), [(365, False), (366, True)])
def test_producing_flag_at_the_day_boundary(days, flagged):
    rules = ProjectRules(producing_not_effective_days=365)
    row = {"status": "投产", "producing_on": (TODAY - dt.timedelta(days=days)).isoformat()}
    flags = flags_of(row, rules, TODAY)
    assert bool(flags) is flagged
    if flagged:
        assert flags[0].text == "投产 366 天未达效"


def test_planned_projects_move_to_talks_with_a_date(store, tmp_path):
    _data(store, tmp_path)
    import_rows(
        store,
        {"projects": [{"project_id": "P8", "name": "储备项目", "town_id": "T", "status": "储备"}]},
        "test",
    )
    planned = find_project(store, "P8", RULES, TODAY)
    assert planned.status == "谋划"  # 储备 is read as 谋划
    with pytest.raises(ChainmapError, match="下一步只能是在谈"):
        move(planned, "签约", TODAY, TODAY)
    talks = move(planned, "在谈", dt.date(2026, 9, 1), TODAY)
    import_rows(store, {"projects": [talks]}, "test")
    project = find_project(store, "P8", RULES, TODAY)
    assert project.history() == [("在谈", "2026-09-01")]
    with pytest.raises(ChainmapError, match="不能退回谋划"):
        move(project, "谋划", TODAY, TODAY)


def test_project_list_with_summary(store, tmp_path):
    _data(store, tmp_path)
    projects = load_projects(store, "T", RULES, TODAY)
    # P1 signed 2026-05-27: exactly 180 days before TODAY, not flagged; P2 started 365 days ago.
    assert [p.flags for p in projects] == [[], [], []]
    later = load_projects(store, "T", RULES, TODAY + dt.timedelta(days=1))
    assert [f.text for p in later for f in p.flags] == ["签约 181 天未开工", "开工 366 天未投产"]
    summary = summarize(later)
    assert summary.batches == {"签约一批": 1, "开工一批": 1, "投产一批": 0}
    assert summary.by_status["签约"] == {"count": 1, "investment_wan": 5000.0}
    sheets = project_sheets(later, summary, TODAY.isoformat())
    path = write_xlsx(tmp_path / "项目.xlsx", sheets)
    book = load_workbook(path)
    assert book.sheetnames == ["重大项目清单", "汇总", "分镇三个一批", "以企引企奖励测算"]
    ws = book["重大项目清单"]
    assert ws.freeze_panes == "A3"
    headers = [c.value for c in ws[2]]
    p1 = dict(zip(headers, (c.value for c in ws[3]), strict=True))
    # Dates are Excel dates; amounts carry thousands separators.
    assert p1["项目名称"] == "'-签约项目" and p1["签约日期"] == dt.datetime(2026, 5, 27)
    assert ws.cell(3, headers.index("签约日期") + 1).number_format == "yyyy-mm-dd"
    assert ws.cell(3, headers.index("总投资（万元）") + 1).number_format == "#,##0"
    assert p1["预警"] == "签约 181 天未开工" and p1["责任单位"] == "县投促中心"
    town_sheet = book["分镇三个一批"]
    assert [c.value for c in town_sheet[3]] == ["测试镇", 3, 13000, 1, 5000, 1, 8000, 0, 0]


def test_project_commands(tmp_path):
    from chainmap.store.ladybug import LadybugStore

    store = LadybugStore.open(tmp_path / "db")
    _data(store, tmp_path)
    store.close()
    db = ["--db", str(tmp_path / "db")]
    runner = CliRunner()
    added = runner.invoke(
        cli,
        [
            "project",
            "add",
            "--id",
            "P9",
            "--name",
            "新项目",
            "--town",
            "测试镇",
            "--link",
            "C",
            "--investment",
            "1200",
            *db,
        ],
    )
    assert added.exit_code == 0, added.output
    again = runner.invoke(cli, ["project", "add", "--id", "P9", "--name", "x", "--town", "T", *db])
    assert again.exit_code == 1 and "已存在" in again.output
    bad = runner.invoke(cli, ["project", "update", "P9", "--status", "投产", *db])
    assert bad.exit_code == 1 and "下一步只能是签约" in bad.output
    moved = runner.invoke(
        cli, ["project", "update", "P9", "--status", "签约", "--date", "2026-01-05", *db]
    )
    assert moved.exit_code == 0, moved.output
    shown = runner.invoke(cli, ["project", "show", "P9", "--as-of", "2026-11-23", *db])
    assert "签约 2026-01-05" in shown.output and "签约 322 天未开工" in shown.output
    listed = runner.invoke(cli, ["project", "list", "T", "--flagged", "--as-of", "2026-11-23", *db])
    assert "P9" in listed.output and "P3" not in listed.output
    for args in (
        ["export", "targets", "T"],
        ["export", "projects", "T"],
        ["export", "projects", "--format", "csv"],
    ):
        out = tmp_path / f"{args[1]}-{len(args)}.out"
        result = runner.invoke(cli, [*args, "--out", str(out), *db])
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0


def test_follow_problem_task_and_notice_commands(tmp_path):
    """The after-the-target commands as a clerk types them, on the embedded store."""
    from chainmap.store.ladybug import LadybugStore

    store = LadybugStore.open(tmp_path / "db")
    _data(store, tmp_path)
    store.close()
    db = ["--db", str(tmp_path / "db")]
    runner = CliRunner()
    today = dt.date.today()
    earlier = (today - dt.timedelta(days=20)).isoformat()

    def ok(*args: str):
        result = runner.invoke(cli, [*args, *db])
        assert result.exit_code == 0, result.output
        return result.output

    def refused(*args: str):
        result = runner.invoke(cli, [*args, *db])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        return result.output

    said = ok(
        "follow",
        "add",
        "测试镇",
        "o2",
        "--way",
        "拜访",
        "--date",
        earlier,
        "--result",
        "有意向",
        "--next",
        "寄方案",
        "--next-on",
        earlier,
    )
    assert "待对接 → 已接洽" in said
    assert "下一步只能是在谈" in refused(
        "follow", "add", "T", "o2", "--way", "电话", "--status", "签约"
    )
    assert "引用的企业不存在" in refused("follow", "add", "T", "nobody", "--way", "电话")
    listed = ok("follow", "list", "T", "--overdue")
    assert "+外地企业" in listed and "已逾期" in listed
    shown = json.loads(ok("follow", "show", "T", "o2", "--format", "json"))
    assert shown["status"] == "已接洽" and shown["records"][0]["result"] == "有意向"
    said = ok("project", "add", "--town", "T", "--from-target", "o2", "--investment", "3000")
    assert f"XM-{today.year}-001" in said and "在谈" in said
    said = ok(
        "problem",
        "add",
        "T",
        "--description",
        "道路未通",
        "--raised-on",
        earlier,
        "--due",
        earlier,
        "--owner",
        "县交通局",
    )
    problem_id = f"WT-{today.year}-001"
    assert problem_id in said
    assert problem_id in ok("problem", "list", "--overdue")
    assert "早于提出日期" in refused(
        "problem", "add", "T", "--description", "x", "--raised-on", earlier, "--due", "2000-01-01"
    )
    ok("problem", "close", problem_id)
    assert problem_id not in ok("problem", "list", "--overdue")
    assert "已于" in refused("problem", "close", problem_id)
    said = ok("task", "add", "T", "--item", "建检测平台", "--due", earlier)
    task_id = f"RW-{today.year}-001"
    assert task_id in ok("task", "list", "T", "--overdue")
    assert "推进中" in ok("task", "update", task_id, "--status", "推进中", "--progress", "已招标")
    notices = tmp_path / "notices"
    said = ok("notices", "--out", str(notices), "--format", "html")
    assert "逾期任务 1 项" in said
    assert len(list(notices.glob("*.html"))) == 1

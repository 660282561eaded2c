"""After the target: leads and follow-ups, the edited 招商引资清单 read back, projects from
targets, funds and 以企引企 rewards, problems and tasks, on every back end."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import load_workbook

from chainmap.analysis.follow import funnel, load_leads
from chainmap.analysis.pipeline import load_projects, reward_of
from chainmap.config import RewardRule, load_settings
from chainmap.errors import ChainmapError, DatasetInvalid, InvalidMove
from chainmap.importer.load import import_dataset
from chainmap.workspace import Workspace
from tests.builders import target_town, town, write_dataset
from tests.conftest import snapshot

SETTINGS = load_settings()
TODAY = dt.date.today()


def _day(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def _town(store, tmp_path) -> Workspace:
    data = target_town()
    import_dataset(store, write_dataset(tmp_path / "d", **data))
    return Workspace(store, SETTINGS)


def test_lead_moves_one_step_and_refuses_the_rest(store, tmp_path):
    ws = _town(store, tmp_path)
    # A first follow-up makes a waiting lead 已接洽.
    before, now = ws.add_follow_up(
        "测试镇", "o1", {"followed_on": _day(30), "way": "电话", "result": "有意向"}
    )
    assert before is None and now == "已接洽"
    with pytest.raises(InvalidMove, match="下一步只能是在谈"):
        ws.add_follow_up("T", "o1", {"followed_on": _day(20), "way": "拜访"}, status="签约")
    with pytest.raises(InvalidMove, match="早于已接洽日期"):
        ws.add_follow_up("T", "o1", {"followed_on": _day(40), "way": "拜访"}, status="在谈")
    with pytest.raises(InvalidMove, match="不能退回待对接"):
        ws.add_follow_up("T", "o1", {"followed_on": _day(20), "way": "拜访"}, status="待对接")
    refused = snapshot(store)
    ws.add_follow_up("T", "o1", {"followed_on": _day(20), "way": "来访"}, status="在谈")
    assert snapshot(store) != refused
    ws.add_follow_up("T", "o1", {"followed_on": _day(10), "way": "会议"}, status="暂缓")
    with pytest.raises(InvalidMove, match="暂缓中，只能恢复为已接洽或在谈"):
        ws.add_follow_up("T", "o1", {"followed_on": _day(5), "way": "电话"}, status="签约")
    ws.add_follow_up("T", "o1", {"followed_on": _day(5), "way": "电话"}, status="在谈")
    ws.add_follow_up("T", "o1", {"followed_on": _day(1), "way": "会议"}, status="签约")
    with pytest.raises(InvalidMove, match="已签约"):
        ws.add_follow_up("T", "o1", {"followed_on": _day(0), "way": "电话"}, status="放弃")
    lead = next(x for x in ws.town("T").leads() if x.firm_id == "o1")
    assert (lead.status, lead.status_on) == ("签约", _day(1))
    assert [r["way"] for r in lead.follow_ups] == ["电话", "来访", "会议", "电话", "会议"]


def test_refused_follow_up_input_writes_nothing(store, tmp_path):
    ws = _town(store, tmp_path)
    before = snapshot(store)
    with pytest.raises(DatasetInvalid) as caught:
        ws.add_follow_up("T", "o9", {"followed_on": _day(3), "way": "电话"})
    assert any(i.column == "firm_id" and i.value == "o9" for i in caught.value.issues)
    with pytest.raises(DatasetInvalid) as caught:
        ws.add_follow_up("T", "o2", {"followed_on": _day(3), "way": "电话", "next_on": _day(4)})
    assert any("下一步日期早于跟进日期" in i.reason for i in caught.value.issues)
    assert snapshot(store) == before


@pytest.mark.parametrize(("days_past", "overdue"), [(0, 0), (1, 1)])
def test_a_next_step_is_overdue_from_the_day_after(store, tmp_path, days_past, overdue):
    ws = _town(store, tmp_path)
    ws.add_follow_up(
        "T",
        "o2",
        {"followed_on": _day(30), "way": "拜访", "next_step": "寄送方案", "next_on": _day(10)},
    )
    as_of = TODAY - dt.timedelta(days=10 - days_past)
    (lead,) = load_leads(store, "T", as_of)
    assert lead.overdue_days == overdue
    if overdue:
        assert lead.flag_text == f"下一步（寄送方案，{_day(10)}）已逾期 1 天"
    # A later record clears it; a signed or dropped lead is never overdue.
    ws.add_follow_up("T", "o2", {"followed_on": _day(2), "way": "电话"}, status="放弃")
    (lead,) = load_leads(store, "T", TODAY + dt.timedelta(days=365))
    assert lead.overdue_days == 0


def test_targets_show_status_and_leave_dropped_firms_out(store, tmp_path):
    from chainmap.analysis.targets import TargetFilters

    ws = _town(store, tmp_path)
    ws.add_follow_up("T", "o3", {"followed_on": _day(3), "way": "电话"}, status="放弃")
    ws.add_follow_up("T", "o1", {"followed_on": _day(3), "way": "拜访"})
    report = ws.town("T").targets(TargetFilters(top=10, per_link=5))
    by_firm = {t.firm_id: t for t in report.targets}
    assert "o3" not in by_firm and report.excluded_dropped == ["o3"]
    assert by_firm["o1"].follow_status == "已接洽" and by_firm["o2"].follow_status == "待对接"
    everyone = ws.town("T").targets(TargetFilters(top=10, per_link=5, include_dropped=True))
    assert {t.firm_id: t.follow_status for t in everyone.targets}["o3"] == "放弃"


def test_the_edited_target_list_reads_back(store, tmp_path):
    ws = _town(store, tmp_path)
    path, count = ws.town("T").target_list(tmp_path / "清单.xlsx", owner="县投促中心")
    assert count == 4
    book = load_workbook(path)
    sheet = book["招商引资清单"]
    headers = [c.value for c in sheet[2]]
    status_col = headers.index("跟进状态") + 1
    notes_col = headers.index("备注") + 1
    owner_col = headers.index("责任单位") + 1
    id_col = headers.index("统一社会信用代码/企业编号") + 1
    rows = {sheet.cell(r, id_col).value: r for r in range(3, sheet.max_row + 1)}
    # What a clerk does: pick statuses, write notes, hand one firm to another unit.
    sheet.cell(rows["o1"], status_col).value = "在谈"
    sheet.cell(rows["o1"], notes_col).value = "已报送投资方案"
    sheet.cell(rows["o3"], status_col).value = "放弃"
    sheet.cell(rows["o2"], owner_col).value = "县工信局"
    book.save(path)
    result = import_dataset(store, path)
    assert result.dataset.counts() == {"leads": 4}
    leads = {lead.firm_id: lead for lead in ws.town("T").leads()}
    assert (leads["o1"].status, leads["o1"].status_on, leads["o1"].notes) == (
        "在谈",
        TODAY.isoformat(),
        "已报送投资方案",
    )
    assert leads["o1"].link_id == "B" and leads["o1"].owner_unit == "县投促中心"
    assert leads["o2"].owner_unit == "县工信局" and leads["o2"].status == "待对接"
    assert leads["o3"].status == "放弃"
    # Read back unchanged: nothing changes. Exported again: the statuses are there.
    before = snapshot(store)
    assert not import_dataset(store, path).changes.any
    assert snapshot(store) == before
    again, _ = ws.town("T").target_list(tmp_path / "清单2.xlsx", owner="县投促中心")
    sheet = load_workbook(again)["招商引资清单"]
    statuses = {sheet.cell(r, id_col).value: sheet.cell(r, status_col).value for r in range(3, 6)}
    assert statuses["o1"] == "在谈" and "o3" not in statuses
    # A typo in the status is located, and nothing is written.
    book = load_workbook(path)
    book["招商引资清单"].cell(rows["o2"], status_col).value = "洽谈中了"
    book.save(path)
    with pytest.raises(DatasetInvalid) as caught:
        import_dataset(store, path)
    (issue,) = caught.value.issues
    assert (issue.table, issue.row, issue.column, issue.value) == (
        "工作表「招商引资清单」",
        rows["o2"],
        "跟进状态",
        "洽谈中了",
    )
    assert snapshot(store) == before


def test_a_project_opens_from_a_target(store, tmp_path):
    ws = _town(store, tmp_path)
    ws.add_follow_up("T", "o2", {"followed_on": _day(9), "way": "拜访"})
    project_id = ws.add_project({"town_id": "测试镇", "investment_wan": 20000}, from_target="o2")
    project = ws.project(project_id)
    assert project_id == f"XM-{TODAY.year}-001"
    assert project.row["investor_firm_id"] == "o2" and project.row["link_id"] == "B"
    assert project.status == "在谈" and project.row["name"] == "外地乙环节B项目"
    lead = next(x for x in ws.town("T").leads() if x.firm_id == "o2")
    assert lead.status == "在谈"
    ws.update_project(project_id, status="签约", on=TODAY)
    lead = next(x for x in ws.town("T").leads() if x.firm_id == "o2")
    assert (lead.status, lead.status_on) == ("签约", TODAY.isoformat())
    with pytest.raises(ChainmapError, match="库中没有企业"):
        ws.add_project({"town_id": "T"}, from_target="nobody")


def test_funds_rate_and_reward_with_its_cap(store, tmp_path):
    _town(store, tmp_path)
    project = {
        "project_id": "P1",
        "name": "引荐项目",
        "town_id": "T",
        "investor_firm_id": "o1",
        "investment_wan": 10000,
        "status": "开工",
        "signed_on": _day(200),
        "started_on": _day(100),
        "referrer_firm_id": "l1",
    }
    fundings = [
        {"project_id": "P1", "received_on": _day(150), "amount_wan": 2000},
        {"project_id": "P1", "received_on": _day(90), "amount_wan": 1500},
    ]
    import_dataset(store, write_dataset(tmp_path / "p", projects=[project], fundings=fundings))
    (loaded,) = load_projects(store, "T", SETTINGS.projects, TODAY)
    assert loaded.funds_wan == 3500 and loaded.funding_rate == pytest.approx(0.35)
    assert loaded.referrer == "本地企业"
    # 3,500 × 1% = 35 万元, under the cap of 50; 开工 pays half.
    reward = reward_of(loaded, SETTINGS.rewards)
    assert (reward.computed_wan, reward.share, reward.due_wan, reward.capped) == (
        35.0,
        0.5,
        17.5,
        False,
    )
    # The cap: 3,500 × 2% = 70 → 50; 投产 pays all of it.
    rule = RewardRule(rate=0.02, cap_wan=50, progress_share={"开工": 0.5, "投产": 1.0})
    producing = type(loaded)({**loaded.row, "status": "投产"}, [], loaded.fundings)
    reward = reward_of(producing, rule)
    assert (reward.computed_wan, reward.due_wan, reward.capped) == (50.0, 50.0, True)
    effective = type(loaded)({**loaded.row, "status": "达效"}, [], loaded.fundings)
    assert reward_of(effective, rule).due_wan == 50.0
    signed = type(loaded)({**loaded.row, "status": "签约"}, [], loaded.fundings)
    assert reward_of(signed, rule).due_wan == 0.0
    ended = type(loaded)({**loaded.row, "status": "终止"}, [], loaded.fundings)
    assert reward_of(ended, rule).text == "项目已终止，不予奖励"
    anonymous = {"referrer_firm_id": None, "referrer_firm_name": None}
    no_referrer = type(loaded)({**loaded.row, **anonymous}, [], loaded.fundings)
    assert reward_of(no_referrer, rule) is None


@pytest.mark.parametrize(("days_past", "overdue"), [(0, 0), (1, 1)])
def test_problems_and_tasks_are_overdue_from_the_day_after(store, tmp_path, days_past, overdue):
    ws = _town(store, tmp_path)
    problem_id = ws.add_problem(
        {
            "town_id": "测试镇",
            "description": "用地指标未落实",
            "raised_on": _day(40),
            "due_on": _day(10),
            "owner_unit": "县自然资源局",
        }
    )
    task_id = ws.add_task(
        {"town_id": "T", "item": "建成检测平台", "due_on": _day(10), "year": TODAY.year}
    )
    assert problem_id == f"WT-{TODAY.year}-001" and task_id == f"RW-{TODAY.year}-001"
    as_of = TODAY - dt.timedelta(days=10 - days_past)
    assert [e.overdue_days for e in ws.town("T").problems(as_of)] == [overdue]
    assert [e.overdue_days for e in ws.town("T").tasks(as_of)] == [overdue]
    ws.close_problem(problem_id, on=TODAY)
    ws.update_task(task_id, status="已完成", on=TODAY, progress="已验收")
    assert [e.overdue_days for e in ws.town("T").problems(TODAY)] == [0]
    (task,) = ws.town("T").tasks(TODAY)
    assert (task.row["status"], task.row["done_on"], task.row["progress"]) == (
        "已完成",
        TODAY.isoformat(),
        "已验收",
    )
    with pytest.raises(InvalidMove, match="已于"):
        ws.close_problem(problem_id)
    with pytest.raises(InvalidMove, match="已于"):
        ws.update_task(task_id, status="推进中")


def test_problem_and_task_refusals_write_nothing(store, tmp_path):
    ws = _town(store, tmp_path)
    before = snapshot(store)
    with pytest.raises(DatasetInvalid) as caught:
        ws.add_problem(
            {"town_id": "T", "description": "x", "raised_on": _day(5), "due_on": _day(6)}
        )
    assert any(i.column == "due_on" and "早于提出日期" in i.reason for i in caught.value.issues)
    problem_id = ws.add_problem({"town_id": "T", "description": "x", "raised_on": _day(5)})
    with pytest.raises(InvalidMove, match="早于提出日期"):
        ws.close_problem(problem_id, on=TODAY - dt.timedelta(days=6))
    assert len(ws.problems()) == 1 and snapshot(store) != before


def test_the_funnel_counts_each_step(store, tmp_path):
    ws = _town(store, tmp_path)
    ws.add_follow_up("T", "o1", {"followed_on": _day(9), "way": "拜访"})
    ws.add_follow_up("T", "o1", {"followed_on": _day(8), "way": "来访"}, status="在谈")
    ws.add_follow_up("T", "o2", {"followed_on": _day(9), "way": "电话"})
    ws.add_follow_up("T", "o3", {"followed_on": _day(9), "way": "电话"}, status="放弃")
    counted = funnel(ws.town("T").leads())
    assert counted.leads == 3 and counted.follow_ups == 4
    assert {r["stage"]: r["count"] for r in counted.rows()} == {
        "招商对象": 3,
        "已接洽及以上": 2,
        "在谈及以上": 1,
        "签约": 0,
        "暂缓": 0,
        "放弃": 1,
    }


def test_notices_list_exactly_the_overdue_items(store, tmp_path):
    from docx import Document

    ws = _town(store, tmp_path)
    other = dict(town("U", "c"), name="先进镇", output_value_wan=500000)
    import_dataset(store, write_dataset(tmp_path / "u", towns=[other]))
    as_of = TODAY
    # Overdue by one day, due exactly today (not overdue), resolved, and done.
    late = ws.add_problem(
        {
            "town_id": "T",
            "description": "园区污水管网未接通",
            "raised_on": _day(60),
            "due_on": _day(1),
            "owner_unit": "县住建局",
        }
    )
    ws.add_problem(
        {"town_id": "T", "description": "今天到期的问题", "raised_on": _day(60), "due_on": _day(0)}
    )
    closed = ws.add_problem(
        {"town_id": "T", "description": "已解决的问题", "raised_on": _day(60), "due_on": _day(30)}
    )
    ws.close_problem(closed, on=TODAY)
    ws.add_task({"town_id": "T", "item": "编制招商图谱", "due_on": _day(5), "year": TODAY.year})
    done = ws.add_task({"town_id": "T", "item": "已完成的任务", "due_on": _day(5)})
    ws.update_task(done, status="已完成", on=TODAY)
    import_dataset(
        store,
        write_dataset(
            tmp_path / "p",
            projects=[
                {
                    "project_id": "P1",
                    "name": "停滞项目",
                    "town_id": "T",
                    "status": "签约",
                    "signed_on": _day(200),
                },
                {
                    "project_id": "P2",
                    "name": "正常项目",
                    "town_id": "T",
                    "status": "签约",
                    "signed_on": _day(20),
                },
            ],
        ),
    )
    ws.add_follow_up(
        "T", "o1", {"followed_on": _day(20), "way": "拜访", "next_step": "回访", "next_on": _day(3)}
    )
    written = ws.notices(tmp_path / "notices", as_of=as_of)
    assert [n.town["id"] for n, _ in written] == ["T"]  # 先进镇 is not supervised
    notice, paths = written[0]
    assert [e.id for e in notice.problems] == [late]
    assert [e.row["item"] for e in notice.tasks] == ["编制招商图谱"]
    assert [p.id for p in notice.projects] == ["P1"]
    assert [lead.firm_id for lead in notice.leads] == ["o1"]
    assert notice.deadline == as_of + dt.timedelta(days=SETTINGS.notices.deadline_days)
    assert [p.suffix for p in paths] == [".html", ".docx"]
    html = paths[0].read_text(encoding="utf-8")
    for text in ("督办通知书", "园区污水管网未接通", "编制招商图谱", "停滞项目", "外地甲"):
        assert text in html
    for text in ("今天到期的问题", "已解决的问题", "已完成的任务", "正常项目"):
        assert text not in html
    deadline = notice.deadline
    assert f"{deadline.year}年{deadline.month}月{deadline.day}日前完成整改" in html
    words = "\n".join(p.text for p in Document(paths[1]).paragraphs)
    words += "\n".join(
        cell.text for table in Document(paths[1]).tables for row in table.rows for cell in row.cells
    )
    assert "园区污水管网未接通" in words and "今天到期的问题" not in words


def test_the_exported_csv_list_reads_back_under_its_own_name(store, tmp_path):
    import csv

    ws = _town(store, tmp_path)
    path, _ = ws.town("T").target_list(tmp_path / "测试镇-招商引资清单.csv", csv=True)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["统一社会信用代码/企业编号"] == "o4":
            row["跟进状态"] = "已接洽"
    with path.open("w", encoding="gbk", newline="") as handle:  # saved again by Excel (GBK)
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    import_dataset(store, path)
    statuses = {lead.firm_id: lead.status for lead in ws.town("T").leads()}
    assert statuses["o4"] == "已接洽" and statuses["o1"] == "待对接"

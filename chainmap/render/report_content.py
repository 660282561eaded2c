"""What the town report says, once, for every format it is written in (HTML, Word).

Written for a leadership meeting: names rather than internal ids, amounts in 亿元 with one
decimal, every project of the 三个一批 named, notes meant for the data team left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from chainmap.analysis.evaluation import MET_ZH
from chainmap.analysis.follow import Lead, funnel
from chainmap.analysis.gaps import STATUS_ZH, GapReport
from chainmap.analysis.ledger import Entry
from chainmap.analysis.pipeline import BATCHES, PipelineSummary, Project
from chainmap.analysis.targets import TargetReport
from chainmap.model import ProjectStatus
from chainmap.render.lists import why_no_targets


@dataclass
class ReportData:
    gaps: GapReport
    targets: TargetReport
    map_targets: TargetReport
    projects: list[Project]
    summary: PipelineSummary
    as_of: dt.date
    database: str
    evaluation: Any = None  # chainmap.analysis.evaluation.Evaluation
    rank_row: Any = None  # chainmap.analysis.evaluation.RankRow
    towns_ranked: int = 0
    leads: list[Lead] = field(default_factory=list)
    problems: list[Entry] = field(default_factory=list)
    tasks: list[Entry] = field(default_factory=list)


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    # Columns whose cells never wrap (short words such as 硝酸钾, 补链 must not break).
    nowrap: tuple[int, ...] = ()
    numeric: tuple[int, ...] = ()
    empty: str = "无"
    # Per row: a CSS-like class for the status cell colour (strong / weak / missing), if any.
    row_status: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    kpis: list[tuple[str, str]] = field(default_factory=list)
    tables: list[tuple[str, Table]] = field(default_factory=list)  # (caption, table)
    notes: list[str] = field(default_factory=list)
    diagram: bool = False  # the chain diagram goes here


@dataclass
class ReportContent:
    title: str
    subtitle: str
    sections: list[Section]
    as_of: str


def yi(wan: float | None) -> str:
    """万元 as 亿元 with one decimal (the unit a leadership meeting reads)."""
    if wan is None:
        return "未填"
    return f"{wan / 10000:,.1f} 亿元"


# Remarks that are for the data team, not for a meeting: 工程判断, notes on the seed files.
_INTERNAL = re.compile(r"[；;]?[^；;]*(工程判断|种子文件|criteria\.toml|chainmap)[^；;]*")


_WAN = re.compile(r"(\d+(?:\.\d+)?) ?万元")


def for_readers(text: str | None) -> str:
    """Notes for the data team left out, amounts in 亿元 like the rest of the report."""
    text = _INTERNAL.sub("", text or "").strip("；; ")
    return _WAN.sub(lambda m: yi(float(m.group(1))), text)


NUMERALS = "一二三四五六七八九十"


def report_content(data: ReportData) -> ReportContent:
    town, chain, gaps = data.gaps.town, data.gaps.chain, data.gaps
    sections = [
        _facts(town),
        _gaps(gaps),
        _targets(data.targets),
        _follow_up(data.leads),
        _projects(data.projects, data.summary),
        _ledgers(data.problems, data.tasks, data.as_of),
    ]
    if data.evaluation is not None:
        sections.append(_evaluation(data))
    sections.append(Section("产业链招商图谱", diagram=True))
    for number, section in zip(NUMERALS, sections, strict=False):
        section.title = f"{number}、{section.title}"
    sources = [
        f"专业镇：{for_readers(town.get('source')) or '未注明来源'}",
        f"产业链：{for_readers(chain.get('source')) or '未注明来源'}",
        f"企业、项目与供需关系：本地产业链招商数据库，统计日期 {data.as_of.isoformat()}。"
        "名称以“示例”开头的企业和项目为虚构示例数据。",
    ]
    sections.append(Section("数据说明", notes=sources))
    return ReportContent(
        title=f"{town['name']}产业链招商工作报告",
        subtitle=f"主导产业链：{chain['name']} · 统计日期 {data.as_of.isoformat()}",
        sections=sections,
        as_of=data.as_of.isoformat(),
    )


def _facts(town: dict[str, Any]) -> Section:
    place = " ".join(p for p in (town.get("province"), town.get("city"), town.get("county")) if p)
    year = f"（{town['year']} 年）" if town.get("year") else ""
    output = town.get("output_value_wan")
    rows = [
        ["专业镇", town["name"]],
        ["所在地区", place],
        ["级别 / 类别", f"{town.get('level') or '未填'} / {town.get('category') or '未填'}"],
        ["主导产业产值", f"{yi(output)}{year}" if output is not None else "未填"],
    ]
    return Section("专业镇基本情况", tables=[("", Table(["项目", "内容"], rows, nowrap=(0,)))])


def _gaps(gaps: GapReport) -> Section:
    counts = gaps.counts()
    if not gaps.links:
        return Section(
            "产业链完整度与缺口",
            paragraphs=[
                f"主导产业链“{gaps.chain['name']}”还没有环节模板，暂不能分析缺口。"
                "补充该链的环节模板后即可生成本节。"
            ],
        )
    rows = [
        [
            link.stage,
            link.link_name,
            STATUS_ZH[link.status],
            link.gap_kind or "",
            str(link.local_firms),
            "、".join(link.leading_firm_names) or "",
        ]
        for link in gaps.links
    ]
    return Section(
        "产业链完整度与缺口",
        kpis=[
            ("链条完整度", f"{gaps.completeness * 100:.1f}%"),
            ("强链环节", str(counts["strong"])),
            ("弱链环节", str(counts["weak"])),
            ("缺链环节", str(counts["missing"])),
        ],
        paragraphs=[
            "强：有龙头企业或本地企业 3 家以上；弱：1–2 家且无龙头；缺：没有本地企业。"
            "缺的环节上下游都有本地企业为“补链”，否则为“延链”；弱的环节为“强链”。"
            "完整度按环节权重计。"
        ],
        tables=[
            (
                "",
                Table(
                    ["位置", "环节", "状态", "招商方向", "本地企业", "本地龙头"],
                    rows,
                    nowrap=(0, 1, 2, 3, 4),
                    numeric=(4,),
                    row_status=[link.status for link in gaps.links],
                ),
            )
        ],
    )


def _targets(report: TargetReport) -> Section:
    rows = [
        [
            str(t.rank),
            t.firm_name,
            _place(t.province, t.city),
            t.link_name,
            t.gap_kind,
            f"{t.score:.1f}",
            t.follow_status,
            "；".join(t.reasons[1:] or t.reasons),
        ]
        for t in report.targets
    ]
    return Section(
        f"重点招商目标（前 {len(rows)} 家，权重预设：{report.preset}）",
        tables=[
            (
                "",
                Table(
                    [
                        "序号",
                        "目标企业",
                        "所在地区",
                        "对应环节",
                        "方向",
                        "得分",
                        "跟进",
                        "推荐理由",
                    ],
                    rows,
                    nowrap=(0, 3, 4, 5, 6),
                    numeric=(0, 5),
                    empty=why_no_targets(report) if not rows else "无",
                ),
            )
        ],
    )


def _follow_up(leads: list[Lead]) -> Section:
    counted = funnel(leads)
    if not leads:
        return Section(
            "招商跟进",
            paragraphs=[
                "尚无跟进记录：对目标企业的对接用 chainmap follow add 记录，或在导出的招商引资清单"
                "中填写跟进状态后导入。"
            ],
        )
    kpis = [(row["stage"], f"{row['count']} 家") for row in counted.rows()]
    kpis.append(("跟进次数", f"{counted.follow_ups} 次"))
    kpis.append(("下一步逾期", f"{counted.overdue} 家"))
    active = [lead for lead in leads if lead.status not in ("待对接",)]
    rows = [
        [
            lead.firm_name,
            lead.link_name or "",
            lead.status,
            (lead.latest or {}).get("followed_on") or lead.status_on or "",
            lead.next_step or "",
            lead.next_on or "",
            lead.owner_unit or "",
            lead.flag_text,
        ]
        for lead in sorted(active, key=lambda x: (-x.overdue_days, x.firm_name))
    ]
    return Section(
        "招商跟进",
        kpis=kpis,
        tables=[
            (
                f"已对接的企业：{len(rows)} 家（逾期的在前）",
                Table(
                    [
                        "目标企业",
                        "环节",
                        "状态",
                        "最近跟进",
                        "下一步",
                        "计划日期",
                        "责任单位",
                        "预警",
                    ],
                    rows,
                    nowrap=(2, 3, 5),
                ),
            )
        ],
    )


def _ledgers(problems: list[Entry], tasks: list[Entry], as_of: dt.date) -> Section:
    open_problems = [e for e in problems if e.row["status"] != "已解决"]
    year_tasks = [e for e in tasks if e.row["year"] == as_of.year] or tasks
    kpis = [
        ("问题", f"{len(problems)} 个"),
        ("未解决", f"{len(open_problems)} 个"),
        ("逾期问题", f"{sum(1 for e in problems if e.overdue_days)} 个"),
        ("任务", f"{len(year_tasks)} 项"),
        ("已完成", f"{sum(1 for e in year_tasks if e.row['status'] == '已完成')} 项"),
        ("逾期任务", f"{sum(1 for e in year_tasks if e.overdue_days)} 项"),
    ]
    problem_rows = [
        [
            e.row["description"],
            e.row.get("project_name") or e.row.get("firm_name") or "",
            e.row.get("owner_unit") or "未明确",
            e.row.get("due_on") or "",
            e.row["status"],
            e.flag_text,
        ]
        for e in sorted(open_problems, key=lambda e: (-e.overdue_days, e.row["raised_on"]))
    ]
    task_rows = [
        [
            e.row["item"],
            e.row.get("owner_unit") or "未明确",
            e.row.get("due_on") or "",
            e.row.get("progress") or "",
            e.row["status"],
            e.flag_text,
        ]
        for e in year_tasks
    ]
    year = year_tasks[0].row["year"] if year_tasks else as_of.year
    return Section(
        "问题台账与责任清单",
        kpis=kpis,
        tables=[
            (
                f"未解决的问题：{len(problem_rows)} 个",
                Table(
                    ["问题", "涉及项目或企业", "责任单位", "办结时限", "状态", "预警"],
                    problem_rows,
                    nowrap=(3, 4),
                ),
            ),
            (
                f"{year} 年责任清单：{len(task_rows)} 项",
                Table(
                    ["任务", "责任单位", "完成时限", "进展情况", "状态", "预警"],
                    task_rows,
                    nowrap=(2, 4),
                ),
            ),
        ],
    )


def _place(province: str | None, city: str | None) -> str:
    if not province or province == "未知":
        return "所在地不详"
    return f"{province} {city}" if city and city != province else province


def _projects(projects: list[Project], summary: PipelineSummary) -> Section:
    groups: list[tuple[str, tuple[str, ...]]] = [
        *BATCHES.items(),
        ("在谈", (ProjectStatus.TALKING.value,)),
        ("谋划（项目库储备）", (ProjectStatus.PLANNED.value,)),
        ("终止", (ProjectStatus.TERMINATED.value,)),
    ]
    tables = []
    kpis = []
    for name, statuses in groups:
        members = [p for p in projects if p.status in statuses]
        investment = sum(p.row.get("investment_wan") or 0.0 for p in members)
        if name in BATCHES:
            kpis.append((name, f"{len(members)} 个 · {yi(investment)}"))
        if not members:
            continue
        rows = [
            [
                p.row.get("name") or "",
                p.investor or "",
                p.row.get("link_name") or "",
                yi(p.row.get("investment_wan")),
                p.last_date() or "",
                p.row.get("owner_unit") or "",
                p.flag_text or "",
            ]
            for p in members
        ]
        tables.append(
            (
                f"{name}：{len(members)} 个，总投资 {yi(investment)}",
                Table(
                    ["项目名称", "投资方", "对应环节", "总投资", "最近日期", "责任单位", "预警"],
                    rows,
                    nowrap=(2, 3, 4),
                    numeric=(3,),
                ),
            )
        )
    kpis.append(("预警项目", f"{summary.flagged} 个"))
    if summary.funds_wan:
        rate = (
            f"，到资率 {summary.funds_wan / summary.investment_wan:.0%}"
            if summary.investment_wan
            else ""
        )
        kpis.append(("到位资金", f"{yi(summary.funds_wan)}{rate}"))
    paragraphs = [] if projects else ["暂无项目。"]
    return Section("重大项目（三个一批）", kpis=kpis, tables=tables, paragraphs=paragraphs)


def _evaluation(data: ReportData) -> Section:
    evaluation = data.evaluation
    rows = [
        [c.name, MET_ZH[c.met] + ("" if c.required else "（优先项）"), for_readers(c.note)]
        for c in evaluation.criteria
    ]
    paragraphs = []
    if evaluation.missing_for_next_level:
        paragraphs.append("晋升上一级还需：" + "；".join(evaluation.missing_for_next_level))
    rank = data.rank_row
    if rank is not None:
        sentence = (
            f"年度排名：第 {rank.rank} 名（共 {data.towns_ranked} 个镇），综合得分 {rank.score:.1f}"
        )
        if rank.mark:
            sentence += f"，{rank.mark}"
        if rank.reasons:
            sentence += "。" + "；".join(rank.reasons)
        paragraphs.append(sentence + "。")
    notes = [f"标准来源：{source}"] if (source := for_readers(evaluation.source)) else []
    year = f"{evaluation.year} 年" if evaluation.year else "年份未知"
    return Section(
        f"认定标准对照（{evaluation.level}，{year}）",
        tables=[("", Table(["条件", "结果", "说明"], rows, nowrap=(1,)))],
        paragraphs=paragraphs,
        notes=notes,
    )

"""Rows of the input contract (../shared/contract.md), one pydantic class per table.

Each column carries its Chinese header (`zh`) and a help text: the template workbook, the header
matching of the reader and the validation messages all come from these classes.
Cells arrive as text (or None); the validators here parse them and raise Chinese messages.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from pydantic.fields import FieldInfo


class Stage(StrEnum):
    UPSTREAM = "上游"
    MIDSTREAM = "中游"
    DOWNSTREAM = "下游"


class ProjectStatus(StrEnum):
    """The major-project pipeline (三个一批: 签约, 开工, 投产), in the order it is reached.
    谋划 is the 项目库 of pitched projects (谋划储备), before talks with an investor begin."""

    PLANNED = "谋划"
    TALKING = "在谈"
    SIGNED = "签约"
    STARTED = "开工"
    PRODUCING = "投产"
    EFFECTIVE = "达效"
    TERMINATED = "终止"


class LeadStatus(StrEnum):
    """Where the approach to a target firm stands (招商引资清单 跟进状态), in the order reached;
    暂缓 and 放弃 can follow any open status."""

    WAITING = "待对接"
    CONTACTED = "已接洽"
    TALKING = "在谈"
    SIGNED = "签约"
    PAUSED = "暂缓"
    DROPPED = "放弃"


class ProblemStatus(StrEnum):
    """A 问题台账 entry."""

    OPEN = "待解决"
    WORKING = "解决中"
    RESOLVED = "已解决"


class TaskStatus(StrEnum):
    """A 责任清单 item of a town's annual action plan."""

    NOT_STARTED = "未启动"
    WORKING = "推进中"
    DONE = "已完成"


class GapStatus(StrEnum):
    """A chain link's state in a town (stored and exported as the English key)."""

    STRONG = "strong"
    WEAK = "weak"
    MISSING = "missing"

    @property
    def zh(self) -> str:
        return {"strong": "强", "weak": "弱", "missing": "缺"}[self.value]


class GapKind(StrEnum):
    """What investment promotion does for a gap link (the policy texts' own words)."""

    FILL = "补链"  # missing, with covered links on both sides
    EXTEND = "延链"  # missing at an end of what the town covers
    STRENGTHEN = "强链"  # weak


# Plain strings (click choices, messages, Cypher parameters) derived from the enums.
STAGES = tuple(stage.value for stage in Stage)
_STAGE_ALIASES = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
LEVELS = ("县级", "市级", "省级")
_LEVEL_ALIASES = {"county": "县级", "city": "市级", "province": "省级", "provincial": "省级"}
CATEGORIES = ("制造业", "特优农业", "特色轻工")
_CATEGORY_ALIASES = {"特色轻工（工艺美术）": "特色轻工", "特色轻工(工艺美术)": "特色轻工"}
BADGES = ("专精特新", "小巨人", "单项冠军", "上市公司", "高新技术企业")
_BADGE_ALIASES = {
    "专精特新小巨人": "小巨人",
    "国家级专精特新小巨人": "小巨人",
    "专精特新“小巨人”": "小巨人",
    "国家级专精特新“小巨人”": "小巨人",
    "制造业单项冠军": "单项冠军",
    "国家高新技术企业": "高新技术企业",
    "高新企业": "高新技术企业",
}
# Badges that make a local firm count as leading in the default gap rules.
LEADING_BADGES = ("小巨人", "单项冠军", "上市公司")
PROJECT_STATUSES = tuple(status.value for status in ProjectStatus)
_PROJECT_STATUS_ALIASES = {
    "储备": "谋划",
    "谋划储备": "谋划",
    "储备项目": "谋划",
    "谋划项目": "谋划",
}
LEAD_STATUSES = tuple(status.value for status in LeadStatus)
_LEAD_STATUS_ALIASES = {"已签约": "签约", "未对接": "待对接", "接洽": "已接洽", "洽谈": "在谈"}
FOLLOW_UP_WAYS = ("电话", "拜访", "来访", "会议", "其他")
_WAY_ALIASES = {
    "电话联系": "电话",
    "上门拜访": "拜访",
    "外出拜访": "拜访",
    "登门拜访": "拜访",
    "来访接待": "来访",
    "考察": "来访",
    "来镇考察": "来访",
    "洽谈会": "会议",
    "推介会": "会议",
    "视频会议": "会议",
    "微信": "其他",
    "邮件": "其他",
}
PROBLEM_STATUSES = tuple(status.value for status in ProblemStatus)
_PROBLEM_STATUS_ALIASES = {
    "未解决": "待解决",
    "办理中": "解决中",
    "已办结": "已解决",
    "已销号": "已解决",
}
TASK_STATUSES = tuple(status.value for status in TaskStatus)
_TASK_STATUS_ALIASES = {
    "未开始": "未启动",
    "进行中": "推进中",
    "已完成": "已完成",
    "完成": "已完成",
}
# Projects in these states are no longer "open" in the pipeline.
CLOSED_PROJECT_STATUSES = tuple(
    s.value for s in (ProjectStatus.PRODUCING, ProjectStatus.EFFECTIVE, ProjectStatus.TERMINATED)
)

_LIST_SEPARATORS = re.compile(r"[;；]")
_TRUE = {"true", "是", "1", "yes", "y", "t", "√"}
_FALSE = {"false", "否", "0", "no", "n", "f", "×"}


def col(
    zh: str,
    help_text: str,
    *,
    required: bool = False,
    default: Any = None,
    aliases: tuple[str, ...] = (),
) -> Any:
    """A contract column: its Chinese header, whether it is required (`*` in the contract), the
    help text the template shows, and other headers that mean it (those of chainmap's exports)."""
    return Field(
        default,
        description=help_text,
        json_schema_extra={"zh": zh, "required": required, "aliases": list(aliases)},
    )


# Invisible characters that copy-paste and web exports leave inside names and ids: dropped, so
# that 'ABC' and 'A\u200bBC' are one id (and then a duplicate, not two firms).
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
# Line breaks, tabs, no-break and full-width spaces: one ordinary space.
_SPACES = re.compile(r"[\s\u00a0\u3000]+")
# Control characters left after that (NUL, ESC …) mean damaged text: refused, never stored or
# printed to a terminal.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MAX_CELL = 10_000


def clean_text(value: Any) -> str | None:
    """A cell as one line of text: invisible characters dropped, white space folded."""
    if value is None:
        return None
    text = str(value)
    if len(text) > MAX_CELL:
        raise ValueError(f"内容过长（{len(text):,} 个字符，上限 {MAX_CELL:,}）")
    # Most cells are clean already; every character the rules below change (invisible, control,
    # any white space but the ASCII space) is non-printable, so one C-speed test skips them.
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text or None
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text).strip()
    if bad := _CONTROL.search(text):
        raise ValueError(f"含有控制字符 U+{ord(bad.group()):04X}（文件可能已损坏），请删除后再导入")
    return text or None


def _text(value: Any) -> str | None:
    return clean_text(value)


_USCC_SHAPE = re.compile(r"[0-9A-Za-z]{18}")
# Excel keeps 15 digits of a number and shows a longer one (a USCC or ID typed without the 文本
# format) as 9.11411E+17: the code's last digits are gone, and every code of the column tends
# to collapse into the same few texts.
_EXCEL_SCIENTIFIC = re.compile(r"[0-9](?:\.[0-9]+)?[Ee]\+[0-9]{1,3}")
EXCEL_LOST_DIGITS = (
    "Excel 把长数字显示成了科学计数法，代码的后几位已经丢失：请在 Excel 中把该列设为"
    "“文本”格式，重新填入完整代码后再保存"
)


def excel_scientific(text: str | None) -> bool:
    """Whether a code cell holds what Excel made of a long number (9.11411E+17)."""
    return bool(text) and _EXCEL_SCIENTIFIC.fullmatch(text) is not None


def normalise_firm_id(value: Any) -> str | None:
    """A firm id as stored: a USCC typed in full-width characters, with spaces or in lower case
    is the same firm as the upper-case code."""
    if (  # the common case, a clean code: skip the text rules
        type(value) is str
        and len(value) == 18
        and value.isascii()
        and value.isalnum()
        and value == value.upper()
    ):
        return value
    text = clean_text(value)
    if text is None:
        return None
    compact = text.replace(" ", "")
    if not (compact.isascii() and len(compact) == 18):
        compact = unicodedata.normalize("NFKC", text).replace(" ", "")
    if _USCC_SHAPE.fullmatch(compact):
        return compact.upper()
    if excel_scientific(compact):
        raise ValueError(EXCEL_LOST_DIGITS)
    return text


def _required_firm_id(value: Any) -> str:
    firm_id = normalise_firm_id(value)
    if firm_id is None:
        raise ValueError("必填项为空")
    return firm_id


def _required_text(value: Any) -> str:
    text = _text(value)
    if text is None:
        raise ValueError("必填项为空")
    return text


# Every number column of the contract is an amount in 万元; a cell may say its own unit, as
# hand-filled sheets do (1.2亿, 3,500万元, 12,345,678元). Longer unit names first.
_UNITS_IN_WAN = (
    ("亿元", 10_000.0),
    ("亿", 10_000.0),
    ("万元", 1.0),
    ("万", 1.0),
    ("千元", 0.1),
    ("元", 1e-4),
)


def wan_amount(text: str, unit_in_wan: float = 1.0) -> float:
    """An amount in 万元 from a cell's text: a unit written in the cell wins over the column's
    `unit_in_wan`. Raises ValueError with the reason."""
    cleaned = text.replace(",", "").replace("，", "").replace("人民币", "").strip()
    for unit, factor in _UNITS_IN_WAN:
        if cleaned.endswith(unit):
            cleaned, unit_in_wan = cleaned[: -len(unit)].strip(), factor
            break
    try:
        number = float(cleaned)
    except ValueError:
        raise ValueError("不是有效数字") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise ValueError("不是有效数字")
    if number < 0:
        raise ValueError("不能为负数")
    # Rounded so that a unit's factor leaves no binary tail (1.2亿 is 12000, not 12000.000000002).
    return round(number * unit_in_wan, 6) if unit_in_wan != 1.0 else number


def _number(value: Any) -> float | None:
    text = _text(value)
    if text is None:
        return None
    return wan_amount(text)


def _integer(value: Any) -> int | None:
    number = _number(value)
    if number is None:
        return None
    if number != int(number):
        raise ValueError("应为整数")
    return int(number)


def _year(value: Any) -> int | None:
    year = _integer(value)
    if year is not None and not 1800 <= year <= 2100:
        raise ValueError("年份应在 1800–2100 之间")
    return year


def _weight(value: Any) -> float:
    number = _number(value)
    if number is None:
        return 1.0
    if number > 1:
        raise ValueError("权重应在 0–1 之间")
    return number


def _text_list(value: Any) -> tuple[str, ...]:
    text = _text(value)
    if text is None:
        return ()
    seen: dict[str, None] = {}
    for part in _LIST_SEPARATORS.split(text):
        if part.strip():
            seen[part.strip()] = None
    return tuple(seen)


def _boolean(value: Any) -> bool | None:
    text = _text(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError("应为 是/否（或 true/false）")


def _choice(allowed: tuple[str, ...], aliases: dict[str, str], what: str):
    def parse(value: Any) -> str | None:
        text = _text(value)
        if text is None:
            return None
        text = aliases.get(text.lower(), aliases.get(text, text))
        if text not in allowed:
            raise ValueError(f"{what}应为 {'/'.join(allowed)} 之一")
        return text

    return parse


def _required(parse):
    def parse_required(value: Any):
        if _text(value) is None:
            raise ValueError("必填项为空")
        return parse(value)

    return parse_required


def _badges(value: Any) -> tuple[str, ...]:
    parse = _choice(BADGES, _BADGE_ALIASES, "企业称号")
    return tuple(dict.fromkeys(parse(item) for item in _text_list(value)))


def _codes(value: Any) -> tuple[str, ...]:
    codes = _text_list(value)
    for code in codes:
        if not re.fullmatch(r"[A-T]|\d{2,4}", code):
            raise ValueError(f"行业代码 {code} 格式不对（应为 GB/T 4754 的门类字母或 2–4 位数字）")
    return codes


_DATE_PATTERN = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(text: str) -> dt.date:
    """One reader for every date a user types, in files and in command options:
    2025-06-01, 2025/6/1, 2025.6.1, 2025年6月1日 (a time after the date is ignored)."""
    text = unicodedata.normalize("NFKC", text).strip()
    match = _DATE_PATTERN.fullmatch(text.split("T")[0].split(" ")[0]) or _DATE_PATTERN.fullmatch(
        text
    )
    if not match:
        raise ValueError("日期格式应为 YYYY-MM-DD（也接受 2025/6/1、2025年6月1日）")
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError("不是有效日期") from None


def _date(value: Any) -> str | None:
    text = _text(value)
    if text is None:
        return None
    return parse_date(text).isoformat()


def _past_date(value: Any) -> str | None:
    """A date something happened on: not after today."""
    day = _date(value)
    if day is not None and day > dt.date.today().isoformat():
        raise ValueError("日期晚于今天（已发生的事项才有日期）")
    return day


Text = Annotated[str | None, BeforeValidator(_text)]
RequiredText = Annotated[str, BeforeValidator(_required_text)]
Number = Annotated[float | None, BeforeValidator(_number)]
Integer = Annotated[int | None, BeforeValidator(_integer)]
Year = Annotated[int | None, BeforeValidator(_year)]
Weight = Annotated[float, BeforeValidator(_weight)]
TextList = Annotated[tuple[str, ...], BeforeValidator(_text_list)]
Codes = Annotated[tuple[str, ...], BeforeValidator(_codes)]
Boolean = Annotated[bool | None, BeforeValidator(_boolean)]
Stage = Annotated[str, BeforeValidator(_required(_choice(STAGES, _STAGE_ALIASES, "环节位置")))]
Level = Annotated[str | None, BeforeValidator(_choice(LEVELS, _LEVEL_ALIASES, "级别"))]
Category = Annotated[str | None, BeforeValidator(_choice(CATEGORIES, _CATEGORY_ALIASES, "类别"))]
Badges = Annotated[tuple[str, ...], BeforeValidator(_badges)]
LOCALITIES = ("就近", "区域", "全国")
_LOCALITY_ALIASES = {"本地": "就近", "near": "就近", "regional": "区域", "national": "全国"}
Locality = Annotated[
    str | None, BeforeValidator(_choice(LOCALITIES, _LOCALITY_ALIASES, "流动范围"))
]
ProjectStatusCell = Annotated[
    str,
    BeforeValidator(_required(_choice(PROJECT_STATUSES, _PROJECT_STATUS_ALIASES, "项目状态"))),
]


def _default(parse, value_if_empty: str):
    def parse_or_default(value: Any):
        return value_if_empty if _text(value) is None else parse(value)

    return parse_or_default


LeadStatusCell = Annotated[
    str,
    BeforeValidator(_default(_choice(LEAD_STATUSES, _LEAD_STATUS_ALIASES, "跟进状态"), "待对接")),
]
WayCell = Annotated[
    str, BeforeValidator(_required(_choice(FOLLOW_UP_WAYS, _WAY_ALIASES, "跟进方式")))
]
ProblemStatusCell = Annotated[
    str,
    BeforeValidator(
        _default(_choice(PROBLEM_STATUSES, _PROBLEM_STATUS_ALIASES, "问题状态"), "待解决")
    ),
]
TaskStatusCell = Annotated[
    str,
    BeforeValidator(_default(_choice(TASK_STATUSES, _TASK_STATUS_ALIASES, "任务状态"), "未启动")),
]


def _positive(value: Any) -> float | None:
    number = _number(value)
    if number is not None and number <= 0:
        raise ValueError("应大于 0")
    return number


Amount = Annotated[float, BeforeValidator(_required(_positive))]
IsoDate = Annotated[str | None, BeforeValidator(_date)]
PastDate = Annotated[str | None, BeforeValidator(_past_date)]
RequiredPastDate = Annotated[str, BeforeValidator(_required(_past_date))]
FirmId = Annotated[str | None, BeforeValidator(normalise_firm_id)]
RequiredFirmId = Annotated[str, BeforeValidator(_required_firm_id)]


class ContractRow(BaseModel):
    """Common behaviour of a contract table's row."""

    # Validators are built on first use: commands that never validate a row (status, targets)
    # do not pay for building seventeen of them at start-up.
    model_config = ConfigDict(extra="allow", frozen=True, defer_build=True)

    table: ClassVar[str]
    table_zh: ClassVar[str]
    table_help: ClassVar[str]
    # Column(s) whose values identify a row; duplicates are an error.
    key: ClassVar[tuple[str, ...]]
    # Other names a sheet or file of this table may have (an exported list read back).
    sheet_aliases: ClassVar[tuple[str, ...]] = ()
    # True: a column the file lacks keeps what the store holds (a list edited and re-imported
    # carries only some columns); False: the row is the whole truth and a lacking column is empty.
    keeps_absent_columns: ClassVar[bool] = False

    @classmethod
    def columns(cls) -> dict[str, FieldInfo]:
        return dict(cls.model_fields)

    @classmethod
    def zh(cls, column: str) -> str:
        return str(_column_extra(cls.model_fields[column])["zh"])

    @classmethod
    def header_aliases(cls, column: str) -> tuple[str, ...]:
        return tuple(_column_extra(cls.model_fields[column]).get("aliases", ()))

    @classmethod
    def required_columns(cls) -> tuple[str, ...]:
        return tuple(
            name for name, info in cls.model_fields.items() if _column_extra(info)["required"]
        )

    def key_value(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.key)

    def extras(self) -> dict[str, str]:
        """Columns the contract does not define, kept with the row."""
        return {k: v for k, v in (self.model_extra or {}).items() if v not in (None, "")}


def _column_extra(info: FieldInfo) -> dict[str, Any]:
    extra = info.json_schema_extra
    assert isinstance(extra, dict), "every contract column is declared with col()"
    return extra


class TownRow(ContractRow):
    table = "towns"
    table_zh = "专业镇"
    table_help = "每个专业镇一行：所在地区、级别、类别和主导产业链。"
    key = ("town_id",)

    town_id: RequiredText = col(
        "镇编号", "专业镇的唯一编号，自定，如 jiaocheng_nitro。", required=True
    )
    name: RequiredText = col("镇名称", "专业镇名称，如 交城硝基复合肥专业镇。", required=True)
    province: RequiredText = col("省份", "所在省份全称，如 山西省。", required=True)
    city: Text = col("地市", "所在地级市，如 吕梁市。")
    county: Text = col("县区", "所在县（市、区），如 交城县。")
    division_code: Text = col("区划代码", "统计用区划代码（县级 6 位或乡镇级 9 位）。")
    level: Level = col("级别", "县级 / 市级 / 省级。")
    category: Category = col("类别", "制造业 / 特优农业 / 特色轻工。")
    lead_chain_id: RequiredText = col(
        "主导产业链编号", "主导产业链的编号，须在“产业链”表或已导入的链库中。", required=True
    )
    output_value_wan: Number = col("主导产业产值（万元）", "主导产业年产值，单位万元。")
    year: Year = col("数据年份", "产值等数据所属年份。")
    source: Text = col("数据来源", "数据出处（文件、网址、报道及年份）。")
    historic_gi: Boolean = col(
        "历史发源地或地理标志产品",
        "主导产品有历史发源地、地理标志等传统特色：是/否（扩展列，认定时产值可放宽）。",
    )
    lead_industry_in_town: Boolean = col(
        "主导产业集中在本镇", "特色主导产业是否基本限于本乡镇：是/否（扩展列，认定标准之一）。"
    )


class ChainRow(ContractRow):
    table = "chains"
    table_zh = "产业链"
    table_help = "每条产业链一行。"
    key = ("chain_id",)

    chain_id: RequiredText = col(
        "产业链编号", "产业链唯一编号，如 nitro_fertilizer。", required=True
    )
    name: RequiredText = col("产业链名称", "如 硝基复合肥产业链。", required=True)
    description: Text = col("说明", "产业链简介。")
    source: Text = col("数据来源", "链条划分的出处。")
    goods_keywords: TextList = col(
        "产品大类词",
        "（扩展列）本链产品的统称，分号分隔，如 化肥;肥料;农资。归入物流、批发、零售、出口、电商等"
        "服务环节的企业，名称或经营范围须含本链的产品关键词或这些词。",
    )


class LinkRow(ContractRow):
    table = "links"
    table_zh = "产业链环节"
    table_help = "产业链的每个环节一行，按上游、中游、下游划分。"
    key = ("link_id",)

    link_id: RequiredText = col("环节编号", "环节唯一编号，如 nf_nitric_acid。", required=True)
    chain_id: RequiredText = col("产业链编号", "所属产业链编号。", required=True)
    name: RequiredText = col("环节名称", "如 硝酸。", required=True)
    stage: Stage = col("环节位置", "上游 / 中游 / 下游。", required=True)
    industry_codes: Codes = col(
        "国民经济行业代码", "GB/T 4754-2017 行业代码，多个用分号分隔，如 2611;2613。"
    )
    keywords: TextList = col("产品关键词", "用于识别企业的产品或经营范围关键词，分号分隔。")
    weight: Weight = col("权重", "环节重要性，0–1，默认 1。", default=1.0)
    source: Text = col("数据来源", "环节的出处；自行判断的请注明“工程判断”。")
    locality: Locality = col(
        "流动范围",
        "就近 / 区域 / 全国（扩展列）：该环节的产品或服务能从多远供给。焦炉煤气、蒸汽、鲜果等"
        "只能就近，大宗原料多在区域内；就近的环节偏好近处企业，不加产业转移来源地的分。默认 全国。",
    )
    exclude_keywords: TextList = col(
        "排除关键词",
        "（扩展列）名称或经营范围含这些词的企业不归入本环节，分号分隔；如 硝酸 环节排除 硝酸甘油;"
        "硝酸咪康唑 等药品，仓储物流 环节排除 冷链;快递。",
    )


class LinkFlowRow(ContractRow):
    table = "link_flows"
    table_zh = "环节流向"
    table_help = "环节之间的供给关系：上游环节供给下游环节。"
    key = ("from_link_id", "to_link_id")

    from_link_id: RequiredText = col("供给环节编号", "供给方环节编号。", required=True)
    to_link_id: RequiredText = col("需求环节编号", "被供给的环节编号。", required=True)


class FirmRow(ContractRow):
    table = "firms"
    table_zh = "企业"
    table_help = "本镇企业和镇外目标企业，每家一行。"
    key = ("firm_id",)

    firm_id: RequiredFirmId = col(
        "企业编号",
        "有统一社会信用代码的填代码（18 位，校验位须正确），否则自定编号。",
        required=True,
    )
    name: RequiredText = col("企业名称", "企业全称。", required=True)
    # Checked and completed against the bundled divisions after the column pass (places.py):
    # an empty cell may be derived from the city, the USCC or the name; 未知 is allowed.
    province: Text = col(
        "省份",
        "企业所在省份全称，如 山西省（写“山西”也可）；名录企业不知所在地的填“未知”。",
        required=True,
    )
    city: Text = col("地市", "企业所在地级市。")
    county: Text = col("县区", "企业所在县（市、区）。")
    town_id: Text = col("所在专业镇编号", "仅本地企业填写：所在专业镇的编号。")
    revenue_wan: Number = col("营业收入（万元）", "上年营业收入，单位万元。")
    employees: Integer = col("从业人数", "从业人员数。")
    founded_year: Year = col("成立年份", "如 2008。")
    badges: Badges = col(
        "企业称号", "专精特新 / 小巨人 / 单项冠军 / 上市公司 / 高新技术企业，分号分隔。"
    )
    leading: Boolean = col("龙头企业", "是 / 否。")
    source: Text = col("数据来源", "企业信息出处。")


class FirmLinkRow(ContractRow):
    table = "firm_links"
    table_zh = "企业环节"
    table_help = "企业所在的产业链环节，一家企业可对应多个环节。"
    key = ("firm_id", "link_id")

    firm_id: RequiredFirmId = col("企业编号", "企业表中的企业编号。", required=True)
    link_id: RequiredText = col("环节编号", "环节表中的环节编号。", required=True)
    product: Text = col("产品", "该企业在此环节的产品。")


class SupplyTieRow(ContractRow):
    table = "supply_ties"
    table_zh = "供应关系"
    table_help = "企业之间已知的供货关系（以商招商的依据）。"
    key = ("supplier_id", "customer_id")

    supplier_id: RequiredFirmId = col("供应方企业编号", "供货企业的编号。", required=True)
    customer_id: RequiredFirmId = col("客户企业编号", "采购企业的编号。", required=True)
    product: Text = col("产品", "供应的产品。")
    value_wan: Number = col("年供货额（万元）", "年供货金额，单位万元。")


class ProjectRow(ContractRow):
    table = "projects"
    table_zh = "项目"
    table_help = "招商项目（三个一批：签约、开工、投产），每个项目一行。"
    key = ("project_id",)

    project_id: RequiredText = col("项目编号", "项目唯一编号。", required=True)
    name: RequiredText = col("项目名称", "项目全称。", required=True)
    town_id: RequiredText = col("所在专业镇编号", "项目落地的专业镇编号。", required=True)
    link_id: Text = col("对应环节编号", "项目补强的产业链环节。")
    investor_firm_id: FirmId = col("投资方企业编号", "投资方在企业表中的编号（如有）。")
    investor_name: Text = col("投资方名称", "投资方名称。")
    investment_wan: Number = col("总投资（万元）", "计划总投资，单位万元。")
    status: ProjectStatusCell = col(
        "项目状态",
        "谋划 / 在谈 / 签约 / 开工 / 投产 / 达效 / 终止（谋划：项目库中已策划、尚未与投资方洽谈）。",
        required=True,
    )
    talks_on: PastDate = col("在谈日期", "由谋划转入在谈的日期，YYYY-MM-DD（扩展列，可选）。")
    signed_on: PastDate = col("签约日期", "YYYY-MM-DD。")
    started_on: PastDate = col("开工日期", "YYYY-MM-DD。")
    producing_on: PastDate = col("投产日期", "YYYY-MM-DD。")
    effective_on: PastDate = col("达效日期", "YYYY-MM-DD（扩展列，可选）。")
    terminated_on: PastDate = col("终止日期", "YYYY-MM-DD（扩展列，可选）。")
    owner_unit: Text = col("责任单位", "负责跟进的单位。")
    notes: Text = col("备注", "其他说明。")
    referrer_firm_id: FirmId = col(
        "引荐企业编号", "以企引企：引荐投资方的企业在企业表中的编号（扩展列，可选）。"
    )
    referrer_name: Text = col(
        "引荐人", "以企引企的引荐企业或招商引资的个人（扩展列，可选；按奖励办法测算奖励）。"
    )


class FundingRow(ContractRow):
    table = "fundings"
    table_zh = "到位资金"
    table_help = "项目每笔到位资金一行（扩展表）：用于计算到资率和以企引企奖励。"
    key = ("project_id", "received_on")

    project_id: RequiredText = col("项目编号", "项目表中的项目编号。", required=True)
    received_on: RequiredPastDate = col(
        "到位日期", "资金到位日期 YYYY-MM-DD（同一项目同一天的多笔请合并为一行）。", required=True
    )
    amount_wan: Amount = col("到位金额（万元）", "本次到位资金，单位万元，大于 0。", required=True)
    notes: Text = col("备注", "资金来源、凭证等说明。")


class IndicatorRow(ContractRow):
    table = "indicators"
    table_zh = "年度指标"
    table_help = "专业镇每年的统计指标（扩展表），用于认定评价和年度排名。"
    key = ("town_id", "year")

    town_id: RequiredText = col("镇编号", "专业镇编号。", required=True)
    year: Annotated[int, BeforeValidator(_required(_year))] = col(
        "年份", "指标所属年份。", required=True
    )
    output_value_wan: Number = col("主导产业产值（万元）", "当年主导产业产值，单位万元。")
    firms: Integer = col("主导产业企业数", "当年主导产业企业户数。")
    above_scale_firms: Integer = col("规上企业数", "规模以上企业户数。")
    supporting_firms: Integer = col("配套企业数", "上下游配套企业户数（含家庭农场、专业合作社）。")
    market_entities: Integer = col("市场主体数", "全镇市场主体总数（市场主体倍增）。")
    employees: Integer = col("从业人数", "主导产业从业人数。")
    tax_wan: Number = col("税收（万元）", "主导产业税收，单位万元。")
    platforms: Integer = col("公共服务平台数", "已建成的公共服务平台个数（未逐个录入平台时填写）。")
    source: Text = col("数据来源", "指标出处（统计报表、报道及年份）。")


PLATFORM_TYPES = (
    "研发设计",
    "检验检测",
    "业务培训",
    "信息咨询",
    "知识产权",
    "融资担保",
    "产品展销",
    "物流服务",
    "企业技术中心",
    "工程中心",
    "其他",
)
PLATFORM_LEVELS = ("国家级", "省级", "市级", "县级")


class PlatformRow(ContractRow):
    table = "platforms"
    table_zh = "公共服务平台"
    table_help = "公共服务平台、企业技术中心、工程中心（扩展表），属于某镇或某企业。"
    key = ("name",)

    name: RequiredText = col("平台名称", "平台全称（唯一）。", required=True)
    type: Annotated[str, BeforeValidator(_required(_choice(PLATFORM_TYPES, {}, "平台类型")))] = col(
        "平台类型", "/".join(PLATFORM_TYPES) + "。", required=True
    )
    level: Annotated[str | None, BeforeValidator(_choice(PLATFORM_LEVELS, {}, "平台级别"))] = col(
        "级别", "国家级/省级/市级/县级。"
    )
    town_id: Text = col("所在专业镇编号", "平台服务的专业镇。")
    firm_id: FirmId = col("依托企业编号", "依托企业（如企业技术中心）。")
    source: Text = col("数据来源", "出处。")


class LeadRow(ContractRow):
    table = "leads"
    table_zh = "招商对象"
    table_help = (
        "每个镇的每家目标企业一行（扩展表）：跟进状态、责任单位、备注。导出的“招商引资清单”"
        "改完跟进状态、责任单位、备注后可直接导入（其他列不读）。"
    )
    key = ("town_id", "firm_id")
    sheet_aliases = ("招商引资清单",)
    keeps_absent_columns = True

    town_id: RequiredText = col(
        "专业镇编号", "专业镇编号。", required=True, aliases=("镇编号", "所在专业镇编号")
    )
    firm_id: RequiredFirmId = col(
        "企业编号",
        "企业表中的企业编号（统一社会信用代码）。",
        required=True,
        aliases=("统一社会信用代码/企业编号", "统一社会信用代码"),
    )
    link_id: Text = col("对应环节编号", "该企业补的环节（可选）。")
    status: LeadStatusCell = col(
        "跟进状态",
        "待对接 / 已接洽 / 在谈 / 签约 / 暂缓 / 放弃，空白为待对接。",
        aliases=("状态",),
    )
    status_on: PastDate = col(
        "状态日期", "进入当前状态的日期；导入时状态有变而未填的，记为导入当天。"
    )
    owner_unit: Text = col("责任单位", "负责对接的单位。")
    notes: Text = col("备注", "其他说明。")


class FollowUpRow(ContractRow):
    table = "follow_ups"
    table_zh = "跟进记录"
    table_help = "对目标企业的每次对接一行（扩展表）：日期、方式、联系人、结果、下一步。"
    key = ("town_id", "firm_id", "followed_on", "way")

    town_id: RequiredText = col("专业镇编号", "专业镇编号。", required=True, aliases=("镇编号",))
    firm_id: RequiredFirmId = col(
        "企业编号", "企业表中的企业编号。", required=True, aliases=("统一社会信用代码",)
    )
    followed_on: RequiredPastDate = col("跟进日期", "YYYY-MM-DD。", required=True)
    way: WayCell = col("跟进方式", "电话 / 拜访 / 来访 / 会议 / 其他。", required=True)
    contact: Text = col("对方联系人", "对方联系人及职务。")
    result: Text = col("跟进结果", "本次对接的结果。")
    next_step: Text = col("下一步", "下一步安排。")
    next_on: IsoDate = col("下一步日期", "下一步的计划日期，不早于跟进日期；过期未跟进即预警。")
    owner_unit: Text = col("责任单位", "负责跟进的单位。")


class ProblemRow(ContractRow):
    table = "problems"
    table_zh = "问题台账"
    table_help = "专业镇、项目或企业的问题一行（扩展表）：提出、责任单位、时限、办理状态。"
    key = ("problem_id",)

    problem_id: RequiredText = col(
        "问题编号", "问题唯一编号（chainmap problem add 自动编号）。", required=True
    )
    town_id: RequiredText = col(
        "专业镇编号", "问题所在专业镇。", required=True, aliases=("镇编号",)
    )
    project_id: Text = col("项目编号", "涉及的项目（可选）。")
    firm_id: FirmId = col("企业编号", "涉及的企业（可选）。")
    raised_on: RequiredPastDate = col("提出日期", "YYYY-MM-DD。", required=True)
    description: RequiredText = col("问题描述", "问题的具体内容。", required=True)
    owner_unit: Text = col("责任单位", "负责解决的单位。")
    due_on: IsoDate = col("办结时限", "应解决的日期，不早于提出日期；过期未解决即预警。")
    status: ProblemStatusCell = col("办理状态", "待解决 / 解决中 / 已解决，空白为待解决。")
    resolved_on: PastDate = col("解决日期", "已解决的须填写。")
    notes: Text = col("备注", "办理情况等说明。")


class TaskRow(ContractRow):
    table = "tasks"
    table_zh = "责任清单"
    table_help = "专业镇年度行动计划的每项任务一行（扩展表）：责任单位、时间节点、进展。"
    key = ("task_id",)

    task_id: RequiredText = col(
        "任务编号", "任务唯一编号（chainmap task add 自动编号）。", required=True
    )
    town_id: RequiredText = col(
        "专业镇编号", "任务所属专业镇。", required=True, aliases=("镇编号",)
    )
    year: Annotated[int, BeforeValidator(_required(_year))] = col(
        "年度", "行动计划所属年度。", required=True
    )
    item: RequiredText = col("任务内容", "具体任务。", required=True)
    owner_unit: Text = col("责任单位", "牵头负责的单位。")
    due_on: IsoDate = col("完成时限", "时间节点；过期未完成即预警。")
    progress: Text = col("进展情况", "最新进展。")
    status: TaskStatusCell = col("任务状态", "未启动 / 推进中 / 已完成，空白为未启动。")
    done_on: PastDate = col("完成日期", "已完成的须填写。")


# In contract order: a table may reference only tables before it.
TABLES: dict[str, type[ContractRow]] = {
    row.table: row
    for row in (
        ChainRow,
        LinkRow,
        LinkFlowRow,
        TownRow,
        FirmRow,
        FirmLinkRow,
        SupplyTieRow,
        ProjectRow,
        IndicatorRow,
        PlatformRow,
        FundingRow,
        LeadRow,
        FollowUpRow,
        ProblemRow,
        TaskRow,
    )
}

# (table, column, referenced table): each non-empty value must be a key of the referenced table,
# in the same dataset or already in the store.
REFERENCES: tuple[tuple[str, str, str], ...] = (
    ("links", "chain_id", "chains"),
    ("link_flows", "from_link_id", "links"),
    ("link_flows", "to_link_id", "links"),
    ("towns", "lead_chain_id", "chains"),
    ("firms", "town_id", "towns"),
    ("firm_links", "firm_id", "firms"),
    ("firm_links", "link_id", "links"),
    ("supply_ties", "supplier_id", "firms"),
    ("supply_ties", "customer_id", "firms"),
    ("projects", "town_id", "towns"),
    ("projects", "link_id", "links"),
    ("projects", "investor_firm_id", "firms"),
    ("indicators", "town_id", "towns"),
    ("platforms", "town_id", "towns"),
    ("platforms", "firm_id", "firms"),
    ("projects", "referrer_firm_id", "firms"),
    ("fundings", "project_id", "projects"),
    ("leads", "town_id", "towns"),
    ("leads", "firm_id", "firms"),
    ("leads", "link_id", "links"),
    ("follow_ups", "town_id", "towns"),
    ("follow_ups", "firm_id", "firms"),
    ("problems", "town_id", "towns"),
    ("problems", "project_id", "projects"),
    ("problems", "firm_id", "firms"),
    ("tasks", "town_id", "towns"),
)

# Project dates in the order the pipeline reaches them (谋划 is undated: where projects start).
PROJECT_DATES = (
    ("talks_on", "在谈"),
    ("signed_on", "签约"),
    ("started_on", "开工"),
    ("producing_on", "投产"),
    ("effective_on", "达效"),
)
# 终止 can follow any open status; its date is not before any other.
TERMINATED_DATE = ("terminated_on", "终止")

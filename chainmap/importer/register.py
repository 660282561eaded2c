"""Read a firm register (名录) as users bring it: a 企查查 or 天眼查 export, an exchange's list of
listed companies, or a hand-made sheet, with no column renamed.

Each firm gets an identity that does not depend on where its row sits, in this order: a valid
统一社会信用代码 (normalised), a stock code with its exchange, an explicit 企业编号, else a key
made from the normalised name and the province. Places are completed from the province, city,
address, USCC or name (places.py); firms that are 注销 or 吊销 are skipped and counted. Anything
doubtful is kept as a problem for the review workbook, never dropped silently.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from chainmap.errors import DatasetInvalid, Issue, SourceError
from chainmap.importer.read import (
    HTML_PAGE,
    ROW_COLUMN,
    _cell_text,
    decode_csv,
    disguised_error,
    disguised_workbook,
    read_csv_text,
)
from chainmap.importer.xls import XLS_MAGIC
from chainmap.model import clean_text, normalise_firm_id, wan_amount
from chainmap.places import UNKNOWN, divisions
from chainmap.resources import resource_dir
from chainmap.uscc import looks_like_uscc, uscc_problem

# Column headers of the layouts users bring, by what they hold. Headers are compared without
# spaces and with half-width brackets (the Shenzhen list writes 地 区, 省 份).
REGISTER_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": (
        "企业名称",
        "公司名称",
        "公司全称",
        "企业全称",
        "单位名称",
        "名称",
        "name",
        "firm_name",
    ),
    "uscc": ("统一社会信用代码", "社会信用代码", "信用代码", "uscc"),
    "firm_id": ("企业编号", "firm_id"),
    "stock_code": ("A股代码", "证券代码", "股票代码", "公司代码", "stock_code"),
    "exchange": ("交易所", "上市交易所", "上市地点", "exchange"),
    "status": ("登记状态", "经营状态", "企业状态", "status"),
    "province": ("省份", "所属省份", "省", "province"),
    "city": ("地市", "城市", "所属城市", "市", "city"),
    "county": ("县区", "区县", "所属区县", "county"),
    "address": (
        "地址",
        "住所",
        "注册地址",
        "企业地址",
        "经营地址",
        "办公地址",
        "通信地址",
        "所在地",
        "所在地区",
        "注册地",
        "address",
    ),
    "code": ("行业代码", "国民经济行业代码", "国标行业代码", "industry_code", "code"),
    "industry": ("国标行业", "所属行业", "行业", "行业分类", "所属国标行业", "industry"),
    "scope": ("经营范围", "主营业务", "主营产品", "主要产品", "产品", "business_scope", "scope"),
    "revenue_wan": (
        "营业收入（万元）",
        "营业总收入（万元）",
        "营业收入",
        "营业总收入",
        "营收",
        "revenue_wan",
        "revenue",
    ),
    # Financial-data exports state the unit in the header.
    "revenue_yi": ("营业收入（亿元）", "营业总收入（亿元）"),
    "revenue_yuan": ("营业收入（元）", "营业总收入（元）"),
    "employees": ("参保人数", "从业人数", "员工人数", "employees"),
}
# The header row is looked for among a register's first rows: exports put a title above it.
_HEADER_SEARCH_ROWS = 6
# Which layout a header is, by columns only that layout writes (for the message, not the logic).
LAYOUT_SIGNS = (
    ("深圳证券交易所上市公司列表", {"A股代码", "公司全称", "注册地址"}),
    ("上海/北京证券交易所上市公司列表", {"公司全称", "证券代码"}),
    ("企查查导出", {"企业名称", "登记状态", "所属省份"}),
    ("天眼查导出", {"公司名称", "登记状态", "所属省份"}),
)
CLOSED_STATUS = ("注销", "吊销", "撤销")
# Rows a hand-made sheet adds below or between its firms: totals (with summed revenue, which
# would make the largest "firm" of the register) and notes on the source.
_NOT_A_FIRM = re.compile(
    r"^(?:(?:本页|总)?合\s*计|总\s*计|小\s*计|共\s*计)(?:$|[\s:：（(])"
    r"|^(?:注|说明|备注|数据来源|资料来源|来源|制表|填表|导出时间)\s*[:：]"
)


def _header_key(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", text).replace("*", "").lower()


_LOOKUP = {
    _header_key(alias): key for key, aliases in REGISTER_COLUMNS.items() for alias in aliases
}


@dataclass
class RegisterFirm:
    row: int
    firm_id: str
    name: str
    code: str | None
    scope: str
    province: str
    city: str | None
    county: str | None
    revenue_wan: float | None
    id_source: str = ""  # 统一社会信用代码 / 证券代码 / 企业编号 / 名称+省份


@dataclass
class Problem:
    row: int
    name: str
    column: str
    value: str
    problem: str


@dataclass
class Register:
    path: Path
    layout: str
    firms: list[RegisterFirm]
    problems: list[Problem] = field(default_factory=list)
    skipped_closed: int = 0
    unknown_place: int = 0
    notes: list[str] = field(default_factory=list)  # how the file was read (merged cells …)


@dataclass
class _RegisterSheet:
    layout: str
    records: list[tuple[int, dict[str, Any]]]  # (row number, column key → cell text)
    notes: list[str]  # what reading changed: merged cells filled, formulas read as saved


def _rows(path: Path) -> _RegisterSheet:
    if not path.exists():
        raise SourceError(f"找不到企业名录：{path}")
    with path.open("rb") as handle:
        magic = handle.read(4)
    notes: list[str] = []
    if magic in (b"PK\x03\x04", XLS_MAGIC):
        table = _workbook_rows(path, notes)
    elif (kind := disguised_workbook(path)) == HTML_PAGE:
        table = _html_rows(path, notes)
    elif kind is not None:
        raise disguised_error(path, kind)
    else:
        text, _ = decode_csv(path.read_bytes(), path.name)
        # The header is looked for in the first rows (below): rows above it may be a title.
        header, body = read_csv_text(text, path.name, title_rows=_HEADER_SEARCH_ROWS - 1)
        cells = zip(*(column.to_pylist() for column in body.columns[:-1]), strict=True)
        numbers = body.column(ROW_COLUMN).to_pylist()
        table = [(1, list(header))] + [
            (number, list(values)) for number, values in zip(numbers, cells, strict=True)
        ]
    if not table:
        raise SourceError(f"{path.name}：名录是空的")
    start = next(
        (i for i, (_, cells) in enumerate(table[:_HEADER_SEARCH_ROWS]) if "name" in _keys(cells)),
        None,
    )
    if start is None:
        raise SourceError(
            f"{path.name}：找不到企业名称列（可用的列名如 企业名称、公司名称、公司全称）"
        )
    header = table[start][1]
    keys = _keys(header)
    header_name = header[keys.index("name")]
    records = []
    for number, values in table[start + 1 :]:
        record = {k: v for k, v in zip(keys, values, strict=False) if k and v is not None}
        # A header cell merged down over a second header row (两级表头) repeats there: not a firm.
        if record and record.get("name") != header_name:
            records.append((number, record))
    return _RegisterSheet(_layout(header), records, notes)


def _keys(header: list[Any]) -> list[str | None]:
    seen: set[str] = set()
    keys: list[str | None] = []
    for cell in header:
        key = _LOOKUP.get(_header_key(cell)) if cell else None
        keys.append(key if key not in seen else None)  # the first column of a kind wins
        if key:
            seen.add(key)
    return keys


def _layout(header: list[Any]) -> str:
    written = {_header_key(h) for h in header if h}
    for name, signs in LAYOUT_SIGNS:
        if {_header_key(s) for s in signs} <= written:
            return name
    return "通用名录"


def _has_name_column(sheet: Any) -> bool:
    """Whether a firm-name header stands in the sheet's first rows (a cover or 说明 sheet has
    none)."""
    for values in sheet.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True):
        if "name" in _keys([_cell_text(v) for v in values]):
            return True
    return False


def _html_rows(path: Path, notes: list[str]) -> list[tuple[int, list[Any]]]:
    """The rows of a register written as a web page's table (an "导出 Excel" .xls): the first
    table with a firm-name column, as Excel shows it."""
    from chainmap.config import input_limits
    from chainmap.importer.html_table import html_tables
    from chainmap.importer.read import check_file_size, fill_merged

    limits = input_limits()
    check_file_size(path, limits)
    tables = html_tables(path.read_bytes(), path.name)
    with_names = [
        table
        for table in tables
        if any("name" in _keys(row) for row in table.rows[:_HEADER_SEARCH_ROWS])
    ]
    if not with_names:
        raise SourceError(
            f"{path.name} 是网页（HTML）表格，其中找不到企业名称列（可用的列名如 企业名称、公司名称）"
        )
    chosen = with_names[0]
    if len(chosen.rows) > limits.max_rows + _HEADER_SEARCH_ROWS:
        raise SourceError(f"{path.name}：超过上限 {limits.max_rows:,} 行")
    notes.append(
        f"{path.name} 是网页（HTML）表格（网页系统“导出 Excel”常见），已按 Excel 打开时的样子读取"
    )
    if len(with_names) > 1:
        notes.append(
            f"{path.name}：网页中另有 {len(with_names) - 1} 个表格也有企业名称列，未读取；"
            "每次只读一个表格"
        )
    fill_merged(chosen.rows, chosen.merges, path.name, notes)
    return [
        (number, cells)
        for number, cells in enumerate(chosen.rows, start=1)
        if any(cell is not None for cell in cells)
    ]


def _workbook_rows(path: Path, notes: list[str]) -> list[tuple[int, list[Any]]]:
    """The rows of an .xlsx or .xls register's sheet of firms."""
    from chainmap.config import input_limits
    from chainmap.importer.read import _DAMAGED, _damaged, open_workbook, sheet_cells

    limits = input_limits()
    workbook = open_workbook(path)
    try:
        # Visible sheets first: a hidden one holds a lookup list or an old copy, not the register.
        in_order = sorted(workbook.worksheets, key=lambda sheet: sheet.sheet_state != "visible")
        with_names = [sheet for sheet in in_order if _has_name_column(sheet)]
        sheet = with_names[0] if with_names else workbook.worksheets[0]
        if sheet is not workbook.worksheets[0]:
            notes.append(
                f"{path.name}：名录取自工作表「{sheet.title}」（第一个有企业名称列的工作表）"
            )
        if len(with_names) > 1:
            others = "、".join(f"「{other.title}」" for other in with_names[1:])
            notes.append(
                f"{path.name}：工作表{others}也有企业名称列，未读取；每次只读一个工作表，"
                "请把各表的企业合并到一个工作表，或分别另存为文件后逐个运行"
            )
        cells = sheet_cells(
            workbook, sheet, f"{path.name} 工作表「{sheet.title}」", notes, limits.max_rows
        )
        return [(n, row) for n, row in enumerate(cells, start=1) if any(c is not None for c in row)]
    except _DAMAGED:
        raise _damaged(path.name) from None
    finally:
        workbook.close()


# --- identity --------------------------------------------------------------------------------

_EXCHANGES = {
    "深": "SZ",
    "sz": "SZ",
    "深圳": "SZ",
    "深交所": "SZ",
    "深圳证券交易所": "SZ",
    "沪": "SH",
    "sh": "SH",
    "上海": "SH",
    "上交所": "SH",
    "上海证券交易所": "SH",
    "京": "BJ",
    "bj": "BJ",
    "北京": "BJ",
    "北交所": "BJ",
    "北京证券交易所": "BJ",
}


def stock_id(code: str | None, exchange: str | None) -> str | None:
    """A listed firm's id: its A-share code with the exchange (000792.SZ). The exchange is read
    from its column or from the code itself (60/68 Shanghai, 00/30 Shenzhen, 8/4/92 Beijing)."""
    if not code:
        return None
    text = unicodedata.normalize("NFKC", str(code)).strip().upper()
    match = re.fullmatch(r"(?:(SH|SZ|BJ)\.?)?(\d{1,6})(?:\.(SH|SZ|BJ))?", text)
    if not match:
        return None
    digits = match[2].zfill(6)
    market = match[1] or match[3] or _EXCHANGES.get((exchange or "").strip().lower())
    if market is None:
        if digits.startswith(("60", "68")):
            market = "SH"
        elif digits.startswith(("00", "30")):
            market = "SZ"
        elif digits.startswith(("8", "4", "92")):
            market = "BJ"
        else:
            return None
    return f"{digits}.{market}"


def strong(id_source: str) -> bool:
    """Whether an id comes from an official code rather than from the name."""
    return id_source in ("统一社会信用代码", "证券代码")


def name_key(name: str) -> str:
    """A name as compared: width, case, brackets and spaces do not make another firm."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return re.sub(r"\s+", "", text)


def name_variants(name: str) -> set[str]:
    """A name as written, half-width, and with full-width brackets: the forms one firm's name
    takes in different sheets."""
    half = unicodedata.normalize("NFKC", name)
    return {name, half, half.replace("(", "（").replace(")", "）")}


def name_id(name: str, province: str) -> str:
    digest = hashlib.sha1(f"{name_key(name)}|{province}".encode()).hexdigest()[:12].upper()
    return f"名录-{digest}"


# --- industry codes --------------------------------------------------------------------------


@cache
def _gbt() -> tuple[dict[str, str], dict[str, str]]:
    codes: dict[str, str] = {}
    by_name: dict[str, str] = {}
    with (resource_dir("data") / "reference" / "gbt4754_2017.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            codes[row["code"]] = row["name"]
            by_name.setdefault(row["name"], row["code"])
    return codes, by_name


def industry_code(
    code_cell: str | None, industry_cell: str | None
) -> tuple[str | None, str | None]:
    """(GB/T 4754-2017 code, problem). From a code cell ('C2624 复混肥料制造', '2624') or from
    an industry text whose most specific class is named ('制造业>…>复混肥料制造'). A code that
    is not in the standard (another classification) is a problem, never cut to fit."""
    codes, by_name = _gbt()
    for cell in (code_cell, industry_cell):
        if not cell:
            continue
        found = re.findall(r"(?<![0-9])\d{2,4}(?![0-9])", cell)
        for code in sorted(found, key=len, reverse=True):
            if code in codes:
                return code, None
        if found and cell is code_cell:
            return None, f"行业代码 {found[0]} 不在 GB/T 4754-2017 中（可能是其他分类），未使用"
        parts = [p.strip() for p in re.split(r"[>/／、\\-]|－", cell) if p.strip()]
        for part in reversed(parts):
            if part in by_name:
                return by_name[part], None
    return None, None


# --- the register ----------------------------------------------------------------------------


def _number(text: str | None, unit_in_wan: float = 1.0) -> float | None:
    """A revenue in 万元 (a unit in the cell wins over the column's); unreadable is unknown."""
    if not text:
        return None
    try:
        return wan_amount(text, unit_in_wan)
    except ValueError:
        return None


def _revenue(record: dict[str, Any]) -> float | None:
    """Revenue in 万元 from whichever revenue column the register has, by its unit."""
    for key, unit_in_wan in (
        ("revenue_wan", 1.0),
        ("revenue_yi", 10_000.0),
        ("revenue_yuan", 1e-4),
    ):
        if record.get(key):
            return _number(record[key], unit_in_wan)
    return None


def _place_from_address(address: str | None) -> tuple[str | None, str | None]:
    if not address:
        return None, None
    places = divisions()
    address = clean_text(address) or ""
    province, city = places.leading_place(address)
    if province and not city:
        rest = address
        for prefix in (province, province[:3], province[:2]):
            if rest.startswith(prefix):
                rest = rest[len(prefix) :]
                break
        province_code = places.province_by_name.get(province)
        for length in (5, 4, 3, 2):
            code = places.city_in(province_code, rest[:length])
            if code:
                city = places.cities[code][1]
                break
    return province, city


def _shown(cell: Any) -> str:
    """A cell as the 问题 sheet shows it: blank for an empty cell, not "None"."""
    return "" if cell is None else str(cell)


def _code_cell(
    cell: str | None, row: int, name: str, column: str, problems: list[Problem]
) -> str | None:
    """A code cell normalised; one the rules refuse (a code Excel turned into 9.11411E+17)
    is a problem for the reviewer, and the firm is identified another way."""
    try:
        return normalise_firm_id(cell)
    except ValueError as exc:
        problems.append(Problem(row, name, column, _shown(cell), str(exc)))
        return None


def read_register(path: Path, default_province: str | None = None) -> Register:
    """The firms of a register with stable identities and full places (raises DatasetInvalid
    when one firm stands on two rows). `default_province` stands for firms whose place cannot
    be told at all (a register of one province's firms)."""
    if default_province:
        full, _ = divisions().province_named(default_province)
        if full is None:
            raise SourceError(f"--province {default_province} 不是省级行政区名称")
        default_province = full
    sheet = _rows(path)
    places = divisions()
    firms: list[RegisterFirm] = []
    problems: list[Problem] = []
    skipped = unknown = 0
    issues: list[Issue] = []
    first_row_of: dict[str, int] = {}
    first_name_row: dict[tuple[str, str], tuple[int, str, bool]] = {}
    label = path.name
    for number, record in sheet.records:
        try:
            name = clean_text(record.get("name"))
        except ValueError as exc:
            issues.append(Issue(label, number, "企业名称", str(record.get("name"))[:40], str(exc)))
            continue
        if not name:
            continue
        if _NOT_A_FIRM.match(name):
            sheet.notes.append(f"{label} 第 {number} 行“{name[:30]}”是合计或说明行，未作为企业读取")
            continue
        status = record.get("status") or ""
        if any(word in status for word in CLOSED_STATUS):
            skipped += 1
            continue
        uscc = _code_cell(record.get("uscc"), number, name, "统一社会信用代码", problems)
        firm_id, id_source = None, ""
        if uscc:
            problem = uscc_problem(uscc) if looks_like_uscc(uscc) else "不是 18 位统一社会信用代码"
            if problem:
                problems.append(Problem(number, name, "统一社会信用代码", uscc, problem))
            else:
                firm_id, id_source = uscc, "统一社会信用代码"
        if firm_id is None and (
            stock := stock_id(record.get("stock_code"), record.get("exchange"))
        ):
            firm_id, id_source = stock, "证券代码"
        if firm_id is None and (
            own_id := _code_cell(record.get("firm_id"), number, name, "企业编号", problems)
        ):
            firm_id, id_source = own_id, "企业编号"
        province = record.get("province")
        city = record.get("city")
        if not province and not city:
            province, city = _place_from_address(record.get("address"))
        place = places.resolve(
            clean_text(province),
            clean_text(city),
            clean_text(record.get("county")),
            allow_unknown=True,
            firm_id=firm_id if id_source == "统一社会信用代码" else None,
            name=name,
        )
        if place.error:
            if province or city:
                problems.append(
                    Problem(
                        number,
                        name,
                        "省份" if place.column == "province" else "地市",
                        _shown(province if place.column == "province" else city),
                        place.error,
                    )
                )
            place.province, place.city, place.county = UNKNOWN, None, None
        if place.province == UNKNOWN and default_province:
            place.province = default_province
        if place.province == UNKNOWN:
            unknown += 1
        if firm_id is None:
            firm_id, id_source = name_id(name, place.province or UNKNOWN), "名称+省份"
        if firm_id in first_row_of:
            issues.append(
                Issue(
                    label, number, id_source, firm_id, f"与第 {first_row_of[firm_id]} 行是同一企业"
                )
            )
            continue
        first_row_of[firm_id] = number
        same_name = (name_key(name), place.province or UNKNOWN)
        earlier = first_name_row.get(same_name)
        # Two rows of one name in one province are one firm, unless both carry codes that say
        # they are two (a name is unique only within one registration authority).
        if earlier and place.province != UNKNOWN and not (strong(id_source) and earlier[2]):
            issues.append(
                Issue(
                    label,
                    number,
                    "企业名称",
                    name,
                    f"与第 {earlier[0]} 行同名且同在{place.province}（编号 {earlier[1]}），"
                    "请合并为一行",
                )
            )
            continue
        first_name_row.setdefault(same_name, (number, firm_id, strong(id_source)))
        code, code_problem = industry_code(record.get("code"), record.get("industry"))
        if code_problem:
            problems.append(
                Problem(number, name, "行业代码", record.get("code") or "", code_problem)
            )
        # An industry text read as a code is evidence once, as the code: its class names
        # (煤炭及其他燃料加工业) are not products of the firm.
        texts = ("scope",) if code else ("scope", "industry")
        scope = " ".join(clean_text(record.get(k)) or "" for k in texts if record.get(k))
        firms.append(
            RegisterFirm(
                number,
                firm_id,
                name,
                code,
                scope,
                place.province or UNKNOWN,
                place.city,
                place.county,
                _revenue(record),
                id_source,
            )
        )
    if issues:
        raise DatasetInvalid(issues)
    return Register(path, sheet.layout, firms, problems, skipped, unknown, sheet.notes)


def id_sources(register: Register) -> Counter:
    return Counter(f.id_source for f in register.firms)


def name_clashes(register: Register, known: dict[str, list[str]]) -> list[Problem]:
    """Firms whose name the store already holds under another id (name_key → ids): probably
    one firm twice. Merging is the reviewer's call: use the stored id on the firm's rows."""
    problems = []
    for firm in register.firms:
        for other in known.get(name_key(firm.name), []):
            if other != firm.firm_id:
                problems.append(
                    Problem(
                        firm.row,
                        firm.name,
                        "企业编号",
                        firm.firm_id,
                        f"库中已有同名企业，编号为 {other}；如是同一企业，请把“企业”和“企业环节”"
                        f"两页中它的企业编号改为 {other} 后再导入",
                    )
                )
    return problems

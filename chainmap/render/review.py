"""The review workbook of `classify`: proposals a person confirms, in a form that imports as is.

Sheets: 企业环节 (one proposal a row; 审核 是 = import, 否 = skip, blank = 待审, skipped), 企业
(the matched firms, and the unmatched only when asked), 未匹配企业, 问题 (what the reviewer should
look at: bad codes, guessed places, names already in the store), 说明.
"""

from __future__ import annotations

from pathlib import Path

from chainmap.analysis.classify import Match
from chainmap.importer.register import Problem, Register, RegisterFirm
from chainmap.model import FirmLinkRow, FirmRow
from chainmap.render.lists import Column, Sheet, write_xlsx

REVIEW_HEADING = "审核"
FIRM_COLUMNS = ("firm_id", "name", "province", "city", "county", "town_id", "revenue_wan", "source")


def _guide(register: Register, confident: float) -> list[dict[str, str]]:
    return [
        {"text": f"名录：{register.path.name}（识别为：{register.layout}）"},
        {
            "text": f"“企业环节”页：置信度 ≥ {confident:.2f} 的行已预填“是”；其余留空为待审核。"
            "请逐行把对的改为“是”、不对的改为“否”。"
        },
        {"text": "导入时：是 = 导入，否 = 跳过，空白 = 待审核（跳过并报告行数）。"},
        {
            "text": "“企业”页的企业编号依次取：统一社会信用代码、证券代码、企业编号，否则由名称和省份生成，"
            "与名录中的行序无关：增删、调整名录的行不会改变任何企业的编号。"
        },
        {"text": "省份不详的企业记为“未知”，评分时不按远近或地区加减分；能补上省份时请补上。"},
        {"text": "“问题”页列出需要人工核对的内容（代码无效、库中同名企业等），不影响导入。"},
        {"text": "改好后运行：chainmap import 本工作簿"},
        *({"text": f"读取名录时：{note}"} for note in register.notes),
    ]


def write_review_workbook(
    out: Path,
    register: Register,
    matches: list[Match],
    unmatched: list[RegisterFirm],
    problems: list[Problem],
    *,
    confident: float,
    town_id: str | None = None,
    include_unmatched: bool = False,
) -> Path:
    matched_ids = {m.firm.firm_id for m in matches}
    listed = [
        f
        for f in register.firms
        if f.firm_id in matched_ids or (include_unmatched and f in unmatched)
    ]
    firm_rows = [
        {
            "firm_id": f.firm_id,
            "name": f.name,
            "province": f.province,
            "city": f.city,
            "county": f.county,
            "town_id": town_id,
            "revenue_wan": f.revenue_wan,
            "source": f"企业名录 {register.path.name} 第 {f.row} 行（编号取自{f.id_source}）",
        }
        for f in listed
    ]
    link_rows = [
        {
            "review": "是" if m.confidence >= confident else None,
            "firm_id": m.firm.firm_id,
            "link_id": m.link_id,
            "product": "；".join(m.products) or None,
            "confidence": m.confidence,
            "evidence": "；".join(m.evidence),
            "firm_name": m.firm.name,
            "link_name": m.link_name,
        }
        for m in matches
    ]
    sheets = [
        Sheet(
            FirmLinkRow.table_zh,
            (
                Column("review", REVIEW_HEADING, 8, choices=("是", "否")),
                Column("firm_id", FirmLinkRow.zh("firm_id"), 21),
                Column("link_id", FirmLinkRow.zh("link_id"), 20),
                Column("product", FirmLinkRow.zh("product"), 18),
                Column("confidence", "置信度", 8),
                Column("evidence", "依据", 48, wrap=True),
                Column("firm_name", "企业名称（参考）", 30),
                Column("link_name", "环节名称（参考）", 16),
            ),
            link_rows,
        ),
        Sheet(
            FirmRow.table_zh,
            tuple(Column(c, FirmRow.zh(c), 18) for c in FIRM_COLUMNS),
            firm_rows,
        ),
        Sheet(
            "未匹配企业",
            (
                Column("row", "名录行号", 10),
                Column("name", "企业名称", 30),
                Column("code", "行业代码", 10),
                Column("scope", "经营范围", 60, wrap=True),
            ),
            [{"row": f.row, "name": f.name, "code": f.code, "scope": f.scope} for f in unmatched],
        ),
        Sheet(
            "问题",
            (
                Column("row", "名录行号", 10),
                Column("name", "企业名称", 30),
                Column("column", "列", 14),
                Column("value", "值", 22),
                Column("problem", "问题", 60, wrap=True),
            ),
            [vars(p) for p in problems],
        ),
        Sheet("说明", (Column("text", "说明", 110, wrap=True),), _guide(register, confident)),
    ]
    return write_xlsx(out, sheets)

"""`chainmap classify`: place a raw firm register on a chain's links, for review."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import click

from chainmap.analysis.chains import chain_tree
from chainmap.analysis.classify import RegisterFirm, classify, firm_code, province_of
from chainmap.cli._store import db_option, store_for
from chainmap.errors import SourceError
from chainmap.importer.read import _cell_text, _normalise, decode_csv, read_csv_text
from chainmap.model import FirmLinkRow, FirmRow
from chainmap.render.lists import Column, Sheet, write_xlsx
from chainmap.resources import resource_dir
from chainmap.uscc import looks_like_uscc, uscc_problem

REGISTER_COLUMNS = {
    "name": ("企业名称", "名称", "name", "firm_name"),
    "firm_id": ("统一社会信用代码", "信用代码", "firm_id", "uscc", "企业编号"),
    "province": ("省份", "省", "province"),
    "city": ("地市", "城市", "市", "city"),
    "county": ("县区", "区县", "county"),
    "address": ("地址", "住所", "注册地址", "经营地址", "所在地区", "address", "region"),
    "code": ("行业代码", "国民经济行业代码", "所属行业", "industry_code", "code"),
    "scope": ("经营范围", "business_scope", "scope"),
    "revenue_wan": ("营业收入（万元）", "营业收入", "revenue_wan", "revenue"),
}
_LOOKUP = {_normalise(alias): key for key, aliases in REGISTER_COLUMNS.items() for alias in aliases}


def read_register(path: Path) -> list[dict[str, Any]]:
    """Rows of a register (first sheet of an XLSX, or a CSV), keyed by REGISTER_COLUMNS."""
    if not path.exists():
        raise SourceError(f"找不到企业名录：{path}")
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [[_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        header, body = [str(h or "") for h in rows[0]], rows[1:]
        numbered = [(i + 2, r) for i, r in enumerate(body) if any(v is not None for v in r)]
    else:
        text, _ = decode_csv(path.read_bytes(), path.name)
        header, frame = read_csv_text(text, path.name)
        numbered = [(int(r[-1]), list(r[:-1])) for r in frame.itertuples(index=False, name=None)]
    keys = [_LOOKUP.get(_normalise(h)) for h in header]
    if "name" not in keys:
        raise SourceError(f"{path.name}：缺少“企业名称”列")
    return [
        {"_row": number, **{k: v for k, v in zip(keys, values, strict=False) if k}}
        for number, values in numbered
    ]


def _provinces() -> list[str]:
    with (resource_dir("data") / "reference" / "divisions_provinces.csv").open(
        encoding="utf-8"
    ) as f:
        return [row["name"] for row in csv.DictReader(f)]


def register_firms(rows: list[dict[str, Any]], default_province: str | None) -> list[RegisterFirm]:
    provinces = _provinces()
    firms = []
    for row in rows:
        uscc = (row.get("firm_id") or "").strip().upper()
        firm_id = (
            uscc if looks_like_uscc(uscc) and not uscc_problem(uscc) else f"名录{row['_row']:05d}"
        )
        province = (
            row.get("province") or province_of(row.get("address"), provinces) or default_province
        )
        try:
            revenue = (
                float(str(row.get("revenue_wan") or "").replace(",", ""))
                if row.get("revenue_wan")
                else None
            )
        except ValueError:
            revenue = None
        firms.append(
            RegisterFirm(
                row["_row"],
                firm_id,
                row["name"],
                firm_code(row.get("code")),
                row.get("scope") or "",
                province,
                row.get("city"),
                row.get("county"),
                revenue,
            )
        )
    return firms


@click.command("classify")
@click.argument("register", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--chain", "chain_id", required=True, help="对照的产业链编号（chainmap chains 可查）。"
)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="审核工作簿（.xlsx）。"
)
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.35,
    show_default=True,
    help="置信度下限，低于它的匹配不列出。",
)
@click.option("--province", help="名录中没有省份也无法从地址识别时使用的省份。")
@click.option("--town", help="名录企业所在专业镇编号（填入企业表，作为本镇企业）。")
@db_option
def classify_command(
    register: Path,
    chain_id: str,
    out: Path | None,
    min_confidence: float,
    province: str | None,
    town: str | None,
    db: Path | None,
) -> None:
    """把企业名录（名称、信用代码、地址、行业代码、经营范围）按行业代码和关键词匹配到产业链环节，
    给出置信度和依据，写成审核工作簿；人工把不对的行“审核”改为“否”后即可 chainmap import。"""
    with store_for(db, create=False) as store:
        tree = chain_tree(store, chain_id)
    firms = register_firms(read_register(register), province)
    matches, unmatched = classify(firms, tree.links, min_confidence=min_confidence)
    firm_columns = (
        "firm_id",
        "name",
        "province",
        "city",
        "county",
        "town_id",
        "revenue_wan",
        "source",
    )
    firm_rows = [
        {
            "firm_id": f.firm_id,
            "name": f.name,
            "province": f.province,
            "city": f.city,
            "county": f.county,
            "town_id": town,
            "revenue_wan": f.revenue_wan,
            "source": f"企业名录 {register.name} 第 {f.row} 行",
        }
        for f in firms
    ]
    link_rows = [
        {
            "review": "是" if m.confidence >= 0.6 else "",
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
    unmatched_rows = [
        {"row": f.row, "name": f.name, "code": f.code, "scope": f.scope} for f in unmatched
    ]
    sheets = [
        Sheet(
            FirmLinkRow.table_zh,
            (
                Column("review", "审核", 8, choices=("是", "否")),
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
            FirmRow.table_zh, tuple(Column(c, FirmRow.zh(c), 18) for c in firm_columns), firm_rows
        ),
        Sheet(
            "未匹配企业",
            (
                Column("row", "名录行号", 10),
                Column("name", "企业名称", 30),
                Column("code", "行业代码", 10),
                Column("scope", "经营范围", 60, wrap=True),
            ),
            unmatched_rows,
        ),
    ]
    out = out or register.with_name(f"{register.stem}-{chain_id}-审核.xlsx")
    write_xlsx(out, sheets)
    placed = len({m.firm.firm_id for m in matches})
    click.echo(f"已写出审核工作簿：{out}")
    click.echo(
        f"名录 {len(firms)} 家：匹配到环节 {placed} 家（{len(matches)} 条候选），未匹配 {len(unmatched)} 家"
    )
    click.echo(
        "审核：把不对的行“审核”改为“否”（留空或“是”表示采纳），然后 chainmap import 该工作簿。"
    )

"""Write small hand-built datasets as real CSV folders."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from chainmap.model import TABLES


def write_dataset(folder: Path, **tables: list[dict[str, Any]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for table, rows in tables.items():
        columns = list(TABLES[table].columns())
        with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: _cell(v) for k, v in row.items()})
    return folder


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(value)
    if value is True:
        return "是"
    if value is False:
        return "否"
    return "" if value is None else value


def chain(
    chain_id: str,
    links: list[tuple[str, str]],
    flows: list[tuple[str, str]],
    weights: dict[str, float] | None = None,
) -> dict[str, list[dict[str, Any]]]:
    """A chain: links as (id, stage), flows as (from, to)."""
    weights = weights or {}
    return {
        "chains": [{"chain_id": chain_id, "name": f"{chain_id}链"}],
        "links": [
            {
                "link_id": link,
                "chain_id": chain_id,
                "name": f"环节{link}",
                "stage": stage,
                "weight": weights.get(link, 1),
            }
            for link, stage in links
        ],
        "link_flows": [{"from_link_id": a, "to_link_id": b} for a, b in flows],
    }


def town(town_id: str, chain_id: str, province: str = "山西省", **extra: Any) -> dict[str, Any]:
    return {
        "town_id": town_id,
        "name": f"{town_id}镇",
        "province": province,
        "lead_chain_id": chain_id,
        **extra,
    }


def firm(firm_id: str, province: str = "甘肃省", **extra: Any) -> dict[str, Any]:
    return {"firm_id": firm_id, "name": f"企业{firm_id}", "province": province, **extra}


def target_town() -> dict[str, list[dict[str, Any]]]:
    """A town 测试镇 (T) on chain c (A → B → C) with one local firm on A and four outside
    firms on B and C: enough for targets, leads and the 招商引资清单."""
    return dict(
        chain("c", [("A", "上游"), ("B", "中游"), ("C", "下游")], [("A", "B"), ("B", "C")]),
        towns=[dict(town("T", "c"), name="测试镇")],
        firms=[
            firm("l1", "山西省", town_id="T", name="本地企业"),
            firm("o1", "江苏省", name="外地甲", revenue_wan=90000, badges=["小巨人"]),
            firm("o2", "北京市", name="外地乙", revenue_wan=50000),
            firm("o3", "河北省", name="外地丙", revenue_wan=10000),
            firm("o4", "浙江省", name="外地丁", revenue_wan=5000),
        ],
        firm_links=[
            {"firm_id": "l1", "link_id": "A"},
            {"firm_id": "o1", "link_id": "B"},
            {"firm_id": "o2", "link_id": "B"},
            {"firm_id": "o3", "link_id": "C"},
            {"firm_id": "o4", "link_id": "C"},
        ],
    )

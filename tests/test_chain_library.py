"""Every bundled chain template meets the library's rules."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from chainmap.importer.load import check_dataset
from chainmap.resources import resource_dir

CHAINS = sorted(p for p in (resource_dir("data") / "chains").iterdir() if p.is_dir())


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _gbt_codes() -> set[str]:
    return {row["code"] for row in _rows(resource_dir("data") / "reference" / "gbt4754_2017.csv")}


def test_the_library_covers_every_seed_industry():
    assert {p.name for p in CHAINS} >= {
        "nitro_fertilizer",
        "casting",
        "hawthorn_wine",
        "flowers",
        "vinegar",
        "equipment",
    }


@pytest.mark.parametrize("folder", CHAINS, ids=[p.name for p in CHAINS])
def test_template(folder: Path):
    dataset = check_dataset(folder)  # passes chainmap validate
    links = _rows(folder / "links.csv")
    flows = _rows(folder / "link_flows.csv")
    assert 12 <= len(links) <= 40
    assert {link["stage"] for link in links} == {"上游", "中游", "下游"}
    codes = _gbt_codes()
    for link in links:
        assert link["source"].strip(), f"{link['link_id']} has no source"
        for code in link["industry_codes"].split(";"):
            assert code in codes, f"{link['link_id']}: {code} is not a GB/T 4754-2017 code"
        assert link["keywords"].strip(), f"{link['link_id']} has no keywords"
    # Connected: every link reaches every other when flows are read both ways.
    neighbours: dict[str, set[str]] = {link["link_id"]: set() for link in links}
    for flow in flows:
        neighbours[flow["from_link_id"]].add(flow["to_link_id"])
        neighbours[flow["to_link_id"]].add(flow["from_link_id"])
    start = links[0]["link_id"]
    seen, stack = {start}, [start]
    while stack:
        for other in neighbours[stack.pop()] - seen:
            seen.add(other)
            stack.append(other)
    assert seen == set(neighbours), f"not connected: {sorted(set(neighbours) - seen)}"
    # Flows run from upstream to downstream, never backwards across stages.
    order = {"上游": 0, "中游": 1, "下游": 2}
    stage = {link["link_id"]: order[link["stage"]] for link in links}
    assert all(stage[f["from_link_id"]] <= stage[f["to_link_id"]] for f in flows)
    assert dataset.counts()["links"] == len(links)

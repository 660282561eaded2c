"""Targets benchmark: a 40-link town over N generated (fictional) firms.

    python benchmarks/targets_bench.py [--firms 1000000] [--runs 5] [--check] [--keep DIR]

Builds (or, with --keep and an existing DIR/db, reuses) a database holding a generated 40-link
chain, a town with local firms on about half of its links, N outside firms and supply ties,
then times `gaps` and `targets` (cold, then warm over several runs) and prints peak memory.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import print_figures
from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.config import load_settings
from chainmap.importer.load import import_dataset
from chainmap.store.ladybug import LadybugStore
from chainmap.synth import outside_firms
from tests.builders import write_dataset

LINKS = 40
TOWN = "bench_town"


def build(folder: Path, firms: int, seed: int) -> None:
    rng = random.Random(seed)
    stages = ["上游"] * 14 + ["中游"] * 14 + ["下游"] * 12
    links = [
        {
            "link_id": f"L{i:02d}",
            "chain_id": "bench",
            "name": f"环节{i:02d}",
            "stage": stages[i],
            "weight": round(rng.uniform(0.3, 1.0), 2),
        }
        for i in range(LINKS)
    ]
    # Each link feeds one or two links further down the chain.
    flows = {
        (f"L{i:02d}", f"L{min(LINKS - 1, i + rng.randint(1, 6)):02d}")
        for i in range(LINKS - 1)
        for _ in range(rng.randint(1, 2))
    }
    local_firms, local_links = [], []
    for i in rng.sample(range(LINKS), 20):
        for k in range(rng.choice([1, 1, 2, 3])):
            firm_id = f"LOCAL-{i:02d}-{k}"
            local_firms.append(
                {
                    "firm_id": firm_id,
                    "name": f"示例本地企业{i:02d}{k}",
                    "province": "山西省",
                    "city": "吕梁市",
                    "county": "交城县",
                    "town_id": TOWN,
                    "leading": k == 2,
                }
            )
            local_links.append({"firm_id": firm_id, "link_id": f"L{i:02d}"})
    write_dataset(
        folder / "chain",
        chains=[{"chain_id": "bench", "name": "基准测试链"}],
        links=links,
        link_flows=[{"from_link_id": a, "to_link_id": b} for a, b in sorted(flows)],
        towns=[
            {
                "town_id": TOWN,
                "name": "基准测试镇",
                "province": "山西省",
                "city": "吕梁市",
                "county": "交城县",
                "division_code": "141122",
                "lead_chain_id": "bench",
            }
        ],
        firms=local_firms,
        firm_links=local_links,
    )
    outside, outside_links, ids = [], [], []
    for firm, made in outside_firms(links, firms, seed=seed, id_prefix="BENCH-"):
        outside.append(firm)
        outside_links.extend(made)
        ids.append(firm["firm_id"])
    ties = set()
    while len(ties) < firms // 2:
        a, b = rng.randrange(firms), rng.randrange(firms)
        if a != b:
            ties.add((ids[a], ids[b]))
    local_ids = [f["firm_id"] for f in local_firms]
    town_ties = {(ids[rng.randrange(firms)], rng.choice(local_ids)) for _ in range(2000)}
    write_dataset(
        folder / "firms",
        firms=outside,
        firm_links=outside_links,
        supply_ties=[
            {"supplier_id": a, "customer_id": b, "product": "示例产品"}
            for a, b in sorted(ties | town_ties)
        ],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument(
        "--check", action="store_true", help="compare with a brute force over every candidate"
    )
    parser.add_argument("--keep", type=Path, help="build once in this folder and reuse it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="chainmap-targets-bench-"))
    try:
        db = work / "db"
        if not db.exists():
            start = time.perf_counter()
            build(work / "dataset", args.firms, args.seed)
            store = LadybugStore.open(db)
            import_dataset(store, work / "dataset" / "chain")
            import_dataset(store, work / "dataset" / "firms")
            store.close()
            print(
                f"built {args.firms:,} firms, {LINKS} links in {time.perf_counter() - start:.1f} s"
            )
        store = LadybugStore.open(db)
        settings = load_settings()
        start = time.perf_counter()
        report = find_gaps(store, TOWN, settings.gaps)
        print(
            f"gaps (with store-wide context): {time.perf_counter() - start:.3f} s; "
            f"{len(report.gap_links)} gap links of {len(report.links)}; "
            f"completeness {report.completeness:.1%}"
        )
        figures: dict[str, Any] = {"bench": "targets", "firms": args.firms}
        for label, filters in (
            ("default", TargetFilters()),
            ("map", TargetFilters.for_map(len(report.gap_links), 3)),
        ):
            start, cpu = time.perf_counter(), time.process_time()
            result = find_targets(store, TOWN, settings, filters=filters)
            cold = time.perf_counter() - start
            times, cpus = [], []
            for _ in range(args.runs):
                start, cpu = time.perf_counter(), time.process_time()
                result = find_targets(store, TOWN, settings, filters=filters)
                times.append(time.perf_counter() - start)
                cpus.append(time.process_time() - cpu)
            print(
                f"targets ({label}, {len(result.targets)} targets): cold {cold:.3f} s; warm median "
                f"{statistics.median(times):.3f} s, min {min(times):.3f} s over {args.runs} runs; "
                f"CPU median {statistics.median(cpus):.3f} s"
            )
            figures[f"{label}_cold_s"] = round(cold, 3)
            figures[f"{label}_warm_median_s"] = round(statistics.median(times), 3)
            figures[f"{label}_warm_min_s"] = round(min(times), 3)
            figures[f"{label}_cpu_median_s"] = round(statistics.median(cpus), 3)
            if args.check:
                start = time.perf_counter()
                brute = find_targets(store, TOWN, settings, filters=filters, exhaustive=True)
                exact = [(t.firm_id, t.link_id, t.score) for t in brute.targets] == [
                    (t.firm_id, t.link_id, t.score) for t in result.targets
                ]
                print(
                    f"  brute force ({time.perf_counter() - start:.1f} s): "
                    f"{'identical' if exact else 'DIFFERENT'}"
                )
                figures[f"{label}_exact"] = exact
        best = result.targets[0]
        print(f"top target: {best.firm_name} {best.link_name} {best.gap_kind} {best.score}")
        print_figures(**figures)
        store.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

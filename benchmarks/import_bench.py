"""Import benchmark: N generated (fictional) firms with firm links and supply ties.

    python benchmarks/import_bench.py [--firms 1000000] [--ties-per-firm 0.5] [--keep DIR]
                                      [--tx-rows N]

Generates a CSV dataset (the bundled nitro fertiliser chain and 交城 town plus N outside firms,
each on one or two links, with 18-character USCC ids so the check-character path runs), imports
it into a fresh embedded database, then imports it again (which must change nothing), and prints
rows/s per phase and the process's peak memory. `--tx-rows N` writes in steps of N rows with an
undo record (store/staged.py, what a Neo4j import larger than one transaction does) and checks
that the result equals a one-transaction import.
"""

from __future__ import annotations

import argparse
import csv
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_mb, print_figures
from chainmap.importer.load import build_plan, check_dataset
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore
from chainmap.store.sync import apply_plan
from chainmap.synth import outside_firms


def generate(folder: Path, firms: int, ties_per_firm: float, seed: int) -> dict[str, int]:
    data = resource_dir("data")
    for name in ("chains", "links", "link_flows"):
        shutil.copy(data / "chains" / "nitro_fertilizer" / f"{name}.csv", folder / f"{name}.csv")
    # Only the towns whose lead chain is copied: the other bundled towns reference chains that
    # this dataset does not hold.
    with (data / "towns" / "towns.csv").open(encoding="utf-8") as f:
        towns = [t for t in csv.DictReader(f) if t["lead_chain_id"] == "nitro_fertilizer"]
    with (folder / "towns.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(towns[0]))
        writer.writeheader()
        writer.writerows(towns)
    with (folder / "links.csv").open(encoding="utf-8") as f:
        links = list(csv.DictReader(f))
    rng = random.Random(seed)
    ids: list[str] = []
    counts = {"firms": 0, "firm_links": 0, "supply_ties": 0}
    with (
        (folder / "firms.csv").open("w", encoding="utf-8", newline="") as firms_file,
        (folder / "firm_links.csv").open("w", encoding="utf-8", newline="") as links_file,
    ):
        firm_writer = links_writer = None
        for firm, made in outside_firms(links, firms, seed=seed, uscc=True):
            if firm_writer is None:
                firm_writer = csv.DictWriter(firms_file, fieldnames=list(firm))
                firm_writer.writeheader()
                links_writer = csv.DictWriter(links_file, fieldnames=list(made[0]))
                links_writer.writeheader()
            firm_writer.writerow(firm)
            links_writer.writerows(made)
            ids.append(firm["firm_id"])
            counts["firm_links"] += len(made)
    counts["firms"] = len(ids)
    pairs: set[tuple[int, int]] = set()
    wanted = int(len(ids) * ties_per_firm)
    while len(pairs) < wanted:
        a, b = rng.randrange(len(ids)), rng.randrange(len(ids))
        if a != b:
            pairs.add((a, b))
    with (folder / "supply_ties.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["supplier_id", "customer_id", "product", "value_wan"])
        for a, b in sorted(pairs):
            writer.writerow([ids[a], ids[b], "示例产品", round(rng.uniform(10, 5000), 1)])
    counts["supply_ties"] = len(pairs)
    return counts


def _sorted(rows: list[dict]) -> list[str]:
    return sorted(repr(sorted(row.items())) for row in rows)


def timed_import(store: LadybugStore, folder: Path) -> tuple[float, float, float, int, object]:
    start, cpu = time.perf_counter(), time.process_time()
    dataset = check_dataset(folder, store)
    checked = time.perf_counter()
    plan = build_plan(dataset)
    changes = apply_plan(store, plan)
    done = time.perf_counter()
    cpu_s = time.process_time() - cpu
    return checked - start, done - checked, cpu_s, sum(dataset.counts().values()), changes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=1_000_000)
    parser.add_argument("--ties-per-firm", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="keep the dataset and database in this folder")
    parser.add_argument(
        "--tx-rows", type=int, help="write in staged steps of this many rows (as on Neo4j)"
    )
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="chainmap-bench-"))
    dataset_dir = work / "dataset"
    dataset_dir.mkdir(parents=True, exist_ok=True)
    try:
        start = time.perf_counter()
        counts = generate(dataset_dir, args.firms, args.ties_per_firm, args.seed)
        print(f"generated {counts} in {time.perf_counter() - start:.1f} s")
        db_dir = work / "db"
        shutil.rmtree(db_dir, ignore_errors=True)
        store = LadybugStore.open(db_dir)
        store.max_transaction_rows = args.tx_rows
        validate_s, write_s, first_cpu, rows, changes = timed_import(store, dataset_dir)
        total = validate_s + write_s
        first_total, first_peak = total, peak_mb()
        print(
            f"first import : {rows:,} rows; read+validate {validate_s:.1f} s "
            f"({rows / validate_s:,.0f} rows/s), write {write_s:.1f} s "
            f"({rows / write_s:,.0f} rows/s); total {total:.1f} s = {rows / total:,.0f} rows/s"
        )
        print(f"               created {changes.created}, edges {changes.edges_created}")
        print(f"               peak RSS so far {peak_mb():,.0f} MB")
        validate_s, write_s, again_cpu, rows, changes = timed_import(store, dataset_dir)
        total = validate_s + write_s
        print(
            f"re-import    : read+validate {validate_s:.1f} s, compare {write_s:.1f} s; "
            f"total {total:.1f} s = {rows / total:,.0f} rows/s; changed anything: {changes.any}"
        )
        staged_equal = None
        if args.tx_rows:
            # The staged graph against a one-transaction import of the same data.
            whole = LadybugStore.open(work / "db-whole")
            timed_import(whole, dataset_dir)
            staged_equal = all(
                _sorted(store.query("nodes_scan", label=label))
                == _sorted(whole.query("nodes_scan", label=label))
                for label in ("Chain", "Link", "Town", "Firm")
            ) and all(
                _sorted(store.query("edges_scan", rel=rel))
                == _sorted(whole.query("edges_scan", rel=rel))
                for rel in ("MAKES", "SUPPLIES", "IN_TOWN", "FLOWS_TO")
            )
            whole.close()
            shutil.rmtree(work / "db-whole", ignore_errors=True)
            print(
                f"staged in steps of {args.tx_rows:,} rows equals one transaction: {staged_equal}"
            )
        store.close()
        print(f"peak RSS: {peak_mb():,.0f} MB")
        print_figures(
            "import",
            firms=args.firms,
            rows=rows,
            first_s=round(first_total, 2),
            first_cpu_s=round(first_cpu, 2),
            first_peak_mb=round(first_peak),
            reimport_s=round(total, 2),
            reimport_cpu_s=round(again_cpu, 2),
            reimport_changed=changes.any,
            **({"tx_rows": args.tx_rows, "staged_equal": staged_equal} if args.tx_rows else {}),
        )
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Update benchmark: one field changed on every firm of an N-firm store, re-imported.

    python benchmarks/update_bench.py [--firms 300000]

Generates the import benchmark's dataset, imports it, then changes every firm's revenue in the
CSV and imports it again (what a clerk's refreshed register does), timing that second import.
"""

from __future__ import annotations

import argparse
import csv
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import print_figures
from benchmarks.import_bench import generate
from chainmap.importer.load import import_dataset
from chainmap.store.ladybug import LadybugStore


def bump_revenue(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["revenue_wan"] = str(round(float(row["revenue_wan"] or 0) + 1.5, 1))
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="chainmap-update-bench-"))
    try:
        dataset = work / "dataset"
        dataset.mkdir()
        generate(dataset, args.firms, 0.3, args.seed)
        store = LadybugStore.open(work / "db")
        start = time.perf_counter()
        import_dataset(store, dataset)
        print(f"first import: {time.perf_counter() - start:.1f} s")
        changed = bump_revenue(dataset / "firms.csv")
        start, cpu = time.perf_counter(), time.process_time()
        result = import_dataset(store, dataset)
        wall, cpu_s = time.perf_counter() - start, time.process_time() - cpu
        store.close()
        updated = result.changes.updated.get("Firm", 0)
        print(f"update of {changed:,} firms: {wall:.1f} s (CPU {cpu_s:.1f} s); {updated:,} updated")
        print_figures(
            "update",
            firms=args.firms,
            updated=updated,
            update_s=round(wall, 2),
            update_cpu_s=round(cpu_s, 2),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

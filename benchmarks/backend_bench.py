"""Back-end benchmark: the same generated data imported into the back end it is pointed at.

    python benchmarks/backend_bench.py [--firms 200000] [--runs 3]
    CHAINMAP_NEO4J_URI=bolt://127.0.0.1:7687 CHAINMAP_NEO4J_USER=neo4j \\
        CHAINMAP_NEO4J_PASSWORD=… python benchmarks/backend_bench.py --clear-neo4j

Without CHAINMAP_NEO4J_URI it uses a fresh embedded database in a temp folder. With it, the
Neo4j database is emptied first (only when --clear-neo4j is given, so nothing is wiped by
accident). Prints import time and rows/s, then targets latency (cold and warm).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_mb, print_figures
from benchmarks.targets_bench import TOWN, build
from chainmap.analysis.targets import find_targets
from chainmap.config import load_settings
from chainmap.importer.load import import_dataset
from chainmap.store.base import StoreSettings, open_store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=17)
    parser.add_argument("--clear-neo4j", action="store_true", help="empty the Neo4j database first")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="chainmap-backend-bench-"))
    try:
        build(work / "dataset", args.firms, args.seed)
        settings = StoreSettings.from_env(work / "db")
        store = open_store(settings)
        print(f"back end: {store.backend} at {store.location}")
        if settings.neo4j_uri:
            if not args.clear_neo4j:
                sys.exit("refusing to import into a Neo4j database without --clear-neo4j")
            store.clear()
        rows = 0
        start = time.perf_counter()
        for part in ("chain", "firms"):
            result = import_dataset(store, work / "dataset" / part)
            rows += sum(result.dataset.counts().values())
        elapsed = time.perf_counter() - start
        print(f"import: {rows:,} rows in {elapsed:.1f} s = {rows / elapsed:,.0f} rows/s")
        config = load_settings()
        start = time.perf_counter()
        find_targets(store, TOWN, config)
        print(f"targets cold: {time.perf_counter() - start:.3f} s")
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            find_targets(store, TOWN, config)
            times.append(time.perf_counter() - start)
        print(f"targets warm: median {statistics.median(times):.3f} s over {args.runs} runs")
        store.close()
        print(f"peak RSS (this process): {peak_mb():,.0f} MB")
        print_figures(
            "backend",
            backend=store.backend,
            firms=args.firms,
            import_s=round(elapsed, 2),
            rows_per_s=round(rows / elapsed),
            targets_warm_median_s=round(statistics.median(times), 3),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

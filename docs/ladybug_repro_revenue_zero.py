"""Standalone reproduction of docs/ladybug-issues.md (LadybugDB 0.22.0): a DOUBLE property read
through a link-filtered join comes back 0.0 for some nodes.

    python docs/ladybug_repro_revenue_zero.py [--firms 100000] [--links 40]

Measured 2026-12-04: 100,000 firms on 40 links -> 9 wrong values, all read as 0.0 (the column has
no nulls); 70,000 firms, or every firm on one link, -> none. A full scan and key lookups read
every value right. Needs only `ladybug` and `pyarrow`.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from pathlib import Path

import ladybug
import pyarrow as pa


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--links", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        conn = ladybug.Connection(ladybug.Database(str(Path(folder) / "g.lbug")))
        conn.execute("CREATE NODE TABLE Firm(id STRING PRIMARY KEY, revenue DOUBLE)")
        conn.execute("CREATE NODE TABLE Link(id STRING PRIMARY KEY)")
        conn.execute("CREATE REL TABLE MAKES(FROM Firm TO Link)")
        ids = [f"F{i:07d}" for i in range(args.firms)]
        revenue = [round(rng.uniform(50, 400_000), 1) for _ in ids]
        links = [f"L{i:02d}" for i in range(args.links)]
        conn.execute("COPY Firm FROM $f", {"f": pa.table({"id": ids, "revenue": revenue})})
        conn.execute("COPY Link FROM $f", {"f": pa.table({"id": links})})
        made = [rng.choice(links) for _ in ids]
        conn.execute("COPY MAKES FROM $f", {"f": pa.table({"from": ids, "to": made})})
        stored = dict(conn.execute("MATCH (f:Firm) RETURN f.id, f.revenue").get_all())
        wrong = [
            (firm, value, stored[firm])
            for link in links
            for firm, value in conn.execute(
                "MATCH (f:Firm)-[:MAKES]->(l:Link {id: $l}) RETURN f.id, f.revenue", {"l": link}
            ).get_all()
            if value != stored[firm]
        ]
        print(f"{len(wrong)} wrong values through the link-filtered join; first: {wrong[:3]}")


if __name__ == "__main__":
    main()

"""Map benchmark: time and size of a chain map with 40 links, 500 local firms and 200 targets.

    python benchmarks/map_bench.py [--links 40] [--firms 500] [--targets 200] [--keep DIR]

The map is written to a temporary folder that is removed afterwards; --keep DIR writes it
there and keeps it, to open in a browser.

Builds analysis results directly (no store) so that only the renderer is measured.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import print_figures
from chainmap.analysis.gaps import GapReport, LinkGap
from chainmap.analysis.targets import Target
from chainmap.config import COMPONENTS
from chainmap.render.chain_map import render_map


def synthetic(
    links: int, firms: int, targets: int, seed: int = 3
) -> tuple[GapReport, list[Target]]:
    rng = random.Random(seed)
    stages = ["上游"] * (links // 3) + ["中游"] * (links // 3)
    stages += ["下游"] * (links - len(stages))
    firm_counts = [0] * links
    for _ in range(firms):
        firm_counts[rng.randrange(links)] += 1
    gaps = []
    for i in range(links):
        count = firm_counts[i] if rng.random() > 0.3 else 0
        status = "missing" if count == 0 else "weak" if count < 3 else "strong"
        kind = {"missing": rng.choice(["补链", "延链"]), "weak": "强链", "strong": None}[status]
        names = [f"示例本地企业{i:02d}-{k:02d}有限公司" for k in range(count)]
        gaps.append(
            LinkGap(
                f"L{i:02d}",
                f"环节{i:02d}",
                stages[i],
                status,
                kind,
                count,
                min(count, 1) if status == "strong" else 0,
                rng.uniform(0.3, 1),
                leading_firm_names=names[:1] if status == "strong" else [],
                local_firm_names=names,
            )
        )
    flows = sorted(
        {(f"L{i:02d}", f"L{min(links - 1, i + rng.randint(1, 5)):02d}") for i in range(links - 1)}
    )
    report = GapReport(
        town={"id": "bench", "name": "基准测试镇"},
        chain={"id": "c", "name": "基准链"},
        links=gaps,
        completeness=0.5,
        flows=flows,
    )
    gap_links = [g for g in gaps if g.gap_kind]
    result = []
    for rank in range(1, targets + 1):
        gap = gap_links[rank % len(gap_links)]
        components = {c: round(rng.uniform(0, 10), 2) for c in COMPONENTS}
        result.append(
            Target(
                rank,
                f"T{rank:04d}",
                f"示例目标企业{rank:04d}有限公司",
                "江苏省",
                "苏州市",
                None,
                gap.link_id,
                gap.link_name,
                gap.stage,
                gap.gap_kind or "",
                round(sum(components.values()), 2),
                components,
                [f"填补{gap.link_name}环节缺口", "位于长三角（江苏省）", "营业收入约 3.2 亿元"],
            )
        )
    return report, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--links", type=int, default=40)
    parser.add_argument("--firms", type=int, default=500)
    parser.add_argument("--targets", type=int, default=200)
    parser.add_argument("--keep", type=Path, help="write the map into this folder and keep it")
    args = parser.parse_args()
    report, targets = synthetic(args.links, args.firms, args.targets)
    work = args.keep or Path(tempfile.mkdtemp(prefix="chainmap-map-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    out = work / "map.html"
    try:
        times = []
        for _ in range(3):
            start = time.perf_counter()
            render_map(report, targets, out)
            times.append(time.perf_counter() - start)
        size_kb = out.stat().st_size / 1024
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    shown = f" ({out})" if args.keep else ""
    print(
        f"map of {args.links} links, {args.firms} local firms, {args.targets} targets: "
        f"best {min(times):.3f} s, {size_kb:,.0f} KB{shown}"
    )
    print_figures(
        "map",
        links=args.links,
        firms=args.firms,
        targets=args.targets,
        best_s=round(min(times), 3),
        size_kb=round(size_kb),
    )


if __name__ == "__main__":
    main()

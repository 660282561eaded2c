"""Register benchmark: classify a generated (fictional) 企查查-style register and import the
review workbook untouched, as the printed workflow does.

    python benchmarks/register_bench.py [--firms 5000]

Prints time and peak memory of each step, and one JSON line of figures.
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

from openpyxl import Workbook

from benchmarks._common import peak_mb, print_figures
from chainmap.analysis.classify import review_register
from chainmap.importer.load import import_dataset
from chainmap.render.review import write_review_workbook
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore
from chainmap.synth import outside_firms

HEADER = [
    "企业名称",
    "登记状态",
    "统一社会信用代码",
    "所属省份",
    "所属城市",
    "所属区县",
    "国标行业",
    "企业地址",
    "经营范围",
    "参保人数",
]
NOISE = ["仓储服务", "软件开发", "餐饮服务", "服装销售", "房地产开发", "广告设计"]


def write_register(path: Path, firms: int, seed: int) -> None:
    import csv

    with (resource_dir("data") / "chains" / "nitro_fertilizer" / "links.csv").open(
        encoding="utf-8"
    ) as f:
        links = list(csv.DictReader(f))
    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("企业列表")
    sheet.append(HEADER)
    for firm, made in outside_firms(links, firms, seed=seed, uscc=True):
        link = next(link for link in links if link["link_id"] == made[0]["link_id"])
        keywords = [k for k in link["keywords"].split(";") if k]
        scope = "、".join([*rng.sample(keywords, min(2, len(keywords))), rng.choice(NOISE)])
        status = "注销" if rng.random() < 0.03 else "存续"
        province = firm["province"] if rng.random() > 0.3 else ""  # exports leave some blank
        sheet.append(
            [
                firm["name"],
                status,
                firm["firm_id"],
                province,
                firm["city"] if province else "",
                firm["county"] if province else "",
                "",
                "",
                scope,
                str(firm["employees"]),
            ]
        )
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="chainmap-register-bench-"))
    try:
        register = work / "名录.xlsx"
        write_register(register, args.firms, args.seed)
        store = LadybugStore.open(work / "db")
        import_dataset(store, resource_dir("data") / "chains" / "nitro_fertilizer")
        start, cpu = time.perf_counter(), time.process_time()
        review = review_register(store, register, "nitro_fertilizer")
        out = work / "审核.xlsx"
        write_review_workbook(
            out, review.register, review.matches, review.unmatched, review.problems, confident=0.6
        )
        classify_s, classify_cpu = time.perf_counter() - start, time.process_time() - cpu
        print(
            f"classify {len(review.register.firms):,} firms: {classify_s:.2f} s "
            f"(CPU {classify_cpu:.2f} s); {review.placed:,} placed, {len(review.matches):,} proposals"
        )
        start, cpu = time.perf_counter(), time.process_time()
        result = import_dataset(store, out)
        import_s, import_cpu = time.perf_counter() - start, time.process_time() - cpu
        store.close()
        print(f"import review workbook: {import_s:.2f} s (CPU {import_cpu:.2f} s)")
        print(f"peak RSS: {peak_mb():,.0f} MB")
        print_figures(
            "register",
            firms=args.firms,
            classify_s=round(classify_s, 2),
            classify_cpu_s=round(classify_cpu, 2),
            import_s=round(import_s, 2),
            import_cpu_s=round(import_cpu, 2),
            firms_written=result.changes.created.get("Firm", 0),
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

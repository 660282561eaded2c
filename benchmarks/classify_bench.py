"""Classify benchmark: precision, recall and calibration of `classify` on hand-labelled registers.

The registers in benchmarks/data/classify/ are written for the purpose (fictional 示例 firms in
the layouts users bring: 企查查, 天眼查, a listed-firm list, a hand-made sheet) plus the real firms
of the shared reference data with their reported products. Each row carries the links a person
assigned (`人工标注环节`, empty = belongs to no link of the chain) and why (`标注依据`); the
reader ignores both columns. Files whose name contains `heldout` were written before this
round of rule changes (their figures were seen while changing the rules); files whose name
contains `blind` were written after the rules were frozen and run once. Both are reported apart.
Since then the blind register's one wrong placement (硝酸磷肥 proposed for 硝酸) was read and the
salt-name rule of classify.py written after it: that register is no longer blind, only held out.

    python benchmarks/classify_bench.py            # every labelled register
    python benchmarks/classify_bench.py --chain vinegar
"""

from __future__ import annotations

import argparse
import csv
import sys
import tempfile
import time
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import print_figures
from chainmap.analysis.classify import review_register
from chainmap.importer.load import import_dataset
from chainmap.resources import resource_dir
from chainmap.store.ladybug import LadybugStore

DATA = Path(__file__).resolve().parent / "data" / "classify"
CHAINS = ("nitro_fertilizer", "casting", "vinegar")
NAME_COLUMNS = ("企业名称", "公司名称", "公司全称", "单位名称")
# The review workbook pre-marks 是 at this confidence (chainmap classify --confident).
CONFIDENT = 0.6
BINS = (0.35, 0.5, 0.6, 0.75, 0.9, 1.01)


@dataclass
class Scores:
    truth: set[tuple[str, str]] = field(default_factory=set)
    proposed: dict[tuple[str, str], float] = field(default_factory=dict)
    firms: int = 0
    distractors: set[str] = field(default_factory=set)

    def add(self, other: Scores) -> None:
        self.truth |= other.truth
        self.proposed.update(other.proposed)
        self.firms += other.firms
        self.distractors |= other.distractors

    def at(self, threshold: float) -> dict[str, float | int]:
        chosen = {pair for pair, c in self.proposed.items() if c >= threshold}
        right = len(chosen & self.truth)
        return {
            "proposed": len(chosen),
            "right": right,
            "precision": round(right / len(chosen), 3) if chosen else 1.0,
            "recall": round(right / len(self.truth), 3) if self.truth else 1.0,
            "distractors_marked": len({firm for firm, _ in chosen} & self.distractors),
        }

    def calibration(self) -> list[dict[str, float | int | str]]:
        rows = []
        for low, high in pairwise(BINS):
            inside = [pair for pair, c in self.proposed.items() if low <= c < high]
            right = sum(pair in self.truth for pair in inside)
            rows.append(
                {
                    "bin": f"{low:.2f}–{min(high, 1.0):.2f}",
                    "n": len(inside),
                    "precision": round(right / len(inside), 3) if inside else None,
                }
            )
        return rows


def labelled_registers(chain: str) -> list[Path]:
    return sorted(DATA.glob(f"{chain}_*.csv"))


def read_labels(path: Path) -> dict[str, list[str]]:
    """Firm name → the links a person assigned (empty: belongs to no link of the chain)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gb18030")  # a clerk's sheet saved from Excel as GBK
    labels = {}
    for row in csv.DictReader(text.splitlines()):
        name = next(row[c] for c in NAME_COLUMNS if row.get(c))
        labels[name] = [link for link in (row["人工标注环节"] or "").split(";") if link]
    return labels


def score_register(store: LadybugStore, chain: str, path: Path) -> Scores:
    labels = read_labels(path)
    scores = Scores(firms=len(labels))
    for name, links in labels.items():
        scores.truth |= {(name, link) for link in links}
        if not links:
            scores.distractors.add(name)
    review = review_register(store, path, chain, min_confidence=BINS[0])
    for match in review.matches:
        scores.proposed[(match.firm.name, match.link_id)] = match.confidence
    return scores


def run(chains: tuple[str, ...]) -> dict[str, dict]:
    results: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        store = LadybugStore.open(Path(tmp) / "db")
        try:
            for chain in chains:
                import_dataset(store, resource_dir("data") / "chains" / chain)
                total, heldout, blind = Scores(), Scores(), Scores()
                for path in labelled_registers(chain):
                    scores = score_register(store, chain, path)
                    total.add(scores)
                    if "heldout" in path.stem:
                        heldout.add(scores)
                    if "blind" in path.stem:
                        blind.add(scores)
                results[chain] = {
                    "firms": total.firms,
                    "true_placements": len(total.truth),
                    "marked": total.at(CONFIDENT),
                    "listed": total.at(BINS[0]),
                    "heldout_marked": heldout.at(CONFIDENT) if heldout.firms else None,
                    "blind_marked": blind.at(CONFIDENT) if blind.firms else None,
                    "calibration": total.calibration(),
                    "_scores": total,
                }
        finally:
            store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chain", choices=CHAINS, action="append")
    parser.add_argument("--misses", action="store_true", help="list wrong and missed placements")
    args = parser.parse_args()
    start, cpu = time.perf_counter(), time.process_time()
    results = run(tuple(args.chain or CHAINS))
    for chain, result in results.items():
        marked, listed = result["marked"], result["listed"]
        print(
            f"{chain}: {result['firms']} firms, {result['true_placements']} true placements; "
            f"pre-marked 是 (≥ {CONFIDENT}): precision {marked['precision']:.2f}, "
            f"recall {marked['recall']:.2f}, distractor firms marked {marked['distractors_marked']}; "
            f"listed (≥ {BINS[0]}): precision {listed['precision']:.2f}, "
            f"recall {listed['recall']:.2f}"
        )
        if result["heldout_marked"]:
            held = result["heldout_marked"]
            print(
                f"  held-out register: precision {held['precision']:.2f}, "
                f"recall {held['recall']:.2f}, distractor firms marked {held['distractors_marked']}"
            )
        if result["blind_marked"]:
            held = result["blind_marked"]
            print(
                f"  blind register: precision {held['precision']:.2f}, "
                f"recall {held['recall']:.2f}, distractor firms marked {held['distractors_marked']}"
            )
        print("  confidence    n   precision")
        for row in result["calibration"]:
            shown = "–" if row["precision"] is None else f"{row['precision']:.2f}"
            print(f"  {row['bin']}  {row['n']:>3}   {shown}")
        if args.misses:
            scores: Scores = result["_scores"]
            chosen = {p for p, c in scores.proposed.items() if c >= CONFIDENT}
            for pair in sorted(chosen - scores.truth):
                print(f"  wrong  {pair[0]} → {pair[1]} ({scores.proposed[pair]:.2f})")
            for pair in sorted(scores.truth - chosen):
                print(f"  missed {pair[0]} → {pair[1]} ({scores.proposed.get(pair, 0):.2f})")
    wall, cpu_s = time.perf_counter() - start, time.process_time() - cpu
    print_figures(
        "classify",
        seconds=round(wall, 2),
        cpu_s=round(cpu_s, 2),
        chains={
            chain: {k: v for k, v in result.items() if not k.startswith("_")}
            for chain, result in results.items()
        },
    )


if __name__ == "__main__":
    main()

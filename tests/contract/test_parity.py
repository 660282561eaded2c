"""The bundled demo gives byte-identical gaps and targets JSON on every available back end."""

from __future__ import annotations

from pathlib import Path

from chainmap.analysis.gaps import find_gaps
from chainmap.analysis.targets import TargetFilters, find_targets
from chainmap.cli._formats import gap_rows
from chainmap.cli._output import to_json
from chainmap.config import load_settings
from chainmap.importer.load import import_dataset
from chainmap.resources import bundled_datasets
from chainmap.store.ladybug import LadybugStore
from tests.conftest import open_test_store

TOWN = "jiaocheng_nitro"


def _answers(store) -> tuple[str, str]:
    settings = load_settings()
    for dataset in bundled_datasets():
        import_dataset(store, dataset)
    gaps = to_json(gap_rows(find_gaps(store, TOWN, settings.gaps)))
    report = find_targets(store, TOWN, settings, filters=TargetFilters(top=50, per_link=5))
    return gaps, to_json([t.as_dict() for t in report.targets])


def test_demo_answers_match_the_embedded_store(tmp_path: Path):
    reference = LadybugStore.open(tmp_path / "reference")
    expected = _answers(reference)
    reference.close()
    other = open_test_store("neo4j", tmp_path)  # skips with its reason when no server answers
    try:
        assert _answers(other) == expected
    finally:
        other.close()

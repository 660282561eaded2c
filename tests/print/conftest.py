"""One demo workspace (the bundled data on the embedded store) for the print checks."""

from __future__ import annotations

import pytest

from chainmap.resources import bundled_datasets
from chainmap.workspace import Workspace


@pytest.fixture(scope="package")
def demo(tmp_path_factory):
    folder = tmp_path_factory.mktemp("print")
    ws = Workspace.open(folder / "db", create=True, backend="ladybug")
    for dataset in bundled_datasets():
        ws.import_dataset(dataset)
    yield ws, folder
    ws.close()

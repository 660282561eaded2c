"""Browser checks look at pages, not at back ends: they run once, on the embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from chainmap.store.base import GraphStore
from tests.conftest import open_test_store


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    opened = open_test_store("ladybug", tmp_path)
    yield opened
    opened.close()

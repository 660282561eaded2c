"""The --db option and opening the configured store for a command."""

from __future__ import annotations

from pathlib import Path

from chainmap.store.base import GraphStore, StoreSettings, open_store


def store_for(db: Path | None, *, create: bool = True) -> GraphStore:
    """The configured store, as a context manager that closes it."""
    return open_store(StoreSettings.from_env(db), create=create)

"""The graph store: one port (GraphStore), two adapters, and `open_store`, the one way to get one.

with open_store(StoreSettings.from_env()) as store:
    ...
"""

from chainmap.store.base import DEFAULT_DB, GraphStore, StoreSettings, open_store

__all__ = ["DEFAULT_DB", "GraphStore", "StoreSettings", "open_store"]

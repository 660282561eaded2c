"""chainmap: industry-chain investment maps for China's specialised towns (专业镇产业链招商图谱).

The library API (see README “Python 中使用”):

    from chainmap import Workspace, TargetFilters

    with Workspace.open("chainmap-db") as ws:
        report = ws.town("交城").targets(TargetFilters(top=10, kinds=("补链",)))

Names are loaded on first use, so that importing chainmap (and starting the command line) stays
quick.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Workspace": "chainmap.workspace",
    "Town": "chainmap.workspace",
    "TargetFilters": "chainmap.analysis.targets",
    "Settings": "chainmap.config",
    "load_settings": "chainmap.config",
    "StoreSettings": "chainmap.store",
    "open_store": "chainmap.store",
    "ChainmapError": "chainmap.errors",
    "DatasetInvalid": "chainmap.errors",
    "NotFound": "chainmap.errors",
    "TownNotFound": "chainmap.errors",
}
__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'chainmap' has no attribute {name!r}")

"""Where the Cypher, shipped data and report templates are, in a checkout and in a wheel."""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_dir(name: str) -> Path:
    """Return the folder `cypher`, `data` or `reports`.

    A wheel carries them under chainmap/_resources; an editable install or a checkout has them at
    the repository root, beside the package.
    """
    for candidate in (_PACKAGE_DIR / "_resources" / name, _PACKAGE_DIR.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"chainmap resource folder {name!r} is missing from the installation")


def bundled_datasets() -> list[Path]:
    """The shipped datasets in import order: chain templates, then towns, the real firms, then
    each demo town's firms (references resolve in that order)."""
    data = resource_dir("data")
    return [
        *sorted(p for p in (data / "chains").iterdir() if p.is_dir()),
        data / "towns",
        data / "firms",
        *sorted(p for p in (data / "demo").iterdir() if p.is_dir()),
    ]

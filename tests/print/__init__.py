"""Print checks: LibreOffice headless turns outputs into PDF; poppler reads the pages."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def to_pdf(source: Path, out_dir: Path) -> Path:
    """The PDF LibreOffice prints from `source` (skips, or fails in CI, without LibreOffice)."""
    if SOFFICE is None or shutil.which("pdftotext") is None:
        reason = "LibreOffice (soffice) and poppler (pdftotext) are needed for print checks"
        if os.environ.get("CHAINMAP_REQUIRE_PRINT"):
            pytest.fail(reason)
        pytest.skip(reason)
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = out_dir / "lo-profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return out_dir / (source.stem + ".pdf")


def pages(pdf: Path) -> list[str]:
    """The text of each page, in layout order."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return [page for page in text.split("\f") if page.strip()]

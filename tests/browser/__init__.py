"""Open a generated page in Debian's headless Chromium with the network blocked."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass
class PageVisit:
    blocked_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    node_count: int = 0
    screenshot: Path | None = None
    measured: Any = None


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        reason = f"Debian chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CHAINMAP_REQUIRE_BROWSER"):
            pytest.fail(reason)
        pytest.skip(reason)


def visit(
    page_file: Path,
    screenshot: Path,
    *,
    wait_for: str = "document.body.dataset.drawn === 'true'",
    viewport: tuple[int, int] = (1600, 1000),
    measure: str | None = None,
    before: str | None = None,
    full_page: bool = True,
) -> PageVisit:
    """Open the page offline (every non-file request blocked and recorded), wait for it, run
    `before` (a script), read `measure` (an expression) into .measured, and screenshot it."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    result = PageVisit()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})

        def route(route_, request) -> None:
            if request.url.startswith("file:"):
                route_.continue_()
            else:
                result.blocked_requests.append(request.url)
                route_.abort()

        page.route("**/*", route)
        page.on(
            "console", lambda m: result.console_errors.append(m.text) if m.type == "error" else None
        )
        page.on("pageerror", lambda e: result.console_errors.append(str(e)))
        page.on("dialog", lambda d: (result.dialogs.append(d.message), d.dismiss()))
        page.goto(page_file.resolve().as_uri())
        page.wait_for_function(wait_for, timeout=30_000)
        if page.evaluate("typeof window.chainmap !== 'undefined'"):
            result.node_count = page.evaluate("window.chainmap.nodeCount")
        if before:
            page.evaluate(before)
        if measure:
            result.measured = page.evaluate(measure)
        page.screenshot(path=str(screenshot), full_page=full_page)
        result.screenshot = screenshot
        browser.close()
    return result

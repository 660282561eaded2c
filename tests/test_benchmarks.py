"""Every benchmark script runs at a small size, so that none can rot unseen.

Each script is run as a user runs it (a separate process) and must end with one JSON line of
figures; the figures themselves are not judged here (speed goals are read off the full-size
runs, not off timed unit tests). A script leaves nothing behind in the temporary folder: the
suite runs each of them on every CI run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SMALL = {
    "import_bench.py": ["--firms", "300", "--tx-rows", "200"],
    "targets_bench.py": ["--firms", "400", "--runs", "1", "--check"],
    "map_bench.py": ["--links", "8", "--firms", "20", "--targets", "10"],
    "backend_bench.py": ["--firms", "300", "--runs", "1"],
    "register_bench.py": ["--firms", "200"],
    "update_bench.py": ["--firms", "300"],
    "classify_bench.py": ["--chain", "vinegar"],
}


def test_every_benchmark_is_covered():
    scripts = {p.name for p in (ROOT / "benchmarks").glob("*_bench.py")}
    assert scripts == set(SMALL)


@pytest.mark.parametrize("script", sorted(SMALL))
def test_benchmark_runs_small_and_prints_figures(script, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINMAP_NEO4J")}
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env["TMPDIR"] = str(scratch)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), *SMALL[script]],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    assert figures["bench"] == script.removesuffix("_bench.py")
    assert not list(scratch.iterdir()), "left behind in the temporary folder"
    if script == "targets_bench.py":
        assert figures["default_exact"] and figures["map_exact"]
    if script == "import_bench.py":
        assert figures["reimport_changed"] is False
        assert figures["staged_equal"] is True
    if script == "update_bench.py":
        assert figures["updated"] == 300

"""Ctrl-C and SIGTERM during a real import, at several moments, in a separate process.

Each run must end with one clear message (or finish normally if the signal came after the
end), never a crash; the store must hold either the state before or the state after the
import, and the next command must work.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.import_bench import generate

ROOT = Path(__file__).resolve().parents[1]
FIRMS = 20_000


def _run(*args: str, **kwargs) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "chainmap", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if not k.startswith("CHAINMAP_NEO4J")},
        **kwargs,
    )


def _firm_count(db: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-m", "chainmap", "status", "--db", str(db), "--format", "json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    import json

    return int(json.loads(done.stdout)["counts"]["firms"])


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("interrupt") / "dataset"
    folder.mkdir()
    generate(folder, FIRMS, 0.3, seed=3)
    return folder


def _wait_for(process: subprocess.Popen, marker: str, timeout: float = 120) -> str:
    """stderr read up to `marker` (the phase the command announces it has reached)."""
    seen = ""
    deadline = time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        char = process.stderr.read(1)
        if not char:
            break
        seen += char
    return seen


@pytest.mark.parametrize(
    ("signum", "phase", "delay"),
    [
        (signal.SIGINT, "正在读取并校验", 0.2),  # while validating
        (signal.SIGINT, "写入数据库", 0.0),  # as the write starts
        (signal.SIGTERM, "写入数据库", 0.1),
        (signal.SIGINT, "写入数据库", 0.4),
    ],
)
def test_an_interrupted_import_is_all_or_nothing_and_says_which(
    dataset, tmp_path, signum, phase, delay
):
    db = tmp_path / "db"
    init = _run("init", "--db", str(db))
    assert init.wait(timeout=120) == 0
    process = _run("import", str(dataset), "--db", str(db))
    before = _wait_for(process, phase)
    time.sleep(delay)
    if process.poll() is None:
        process.send_signal(signum)
    out, err = process.communicate(timeout=300)
    text = out + before + err
    assert process.returncode in (0, 130), text
    assert "Traceback" not in text and "Aborted!" not in text
    firms = _firm_count(db)  # the next command works
    if process.returncode == 130:
        if "未写入任何数据" in text:
            assert firms == 0
        else:
            assert "已中断，但导入已完成" in text
            assert firms == FIRMS
    else:
        assert firms == FIRMS
    print(
        f"{signal.Signals(signum).name} at {phase}+{delay}s: exit {process.returncode}, {firms} firms"
    )

"""The README's Python example runs as written, against the demo's store."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chainmap import TargetFilters, Workspace
from chainmap.errors import AmbiguousTown, TownNotFound
from chainmap.resources import bundled_datasets

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("api") / "chainmap-demo"
    with Workspace.open(folder / "db", create=True, backend="ladybug") as ws:
        for dataset in bundled_datasets():
            ws.import_dataset(dataset)
    return folder.parent


def test_the_readme_example_runs(demo_dir):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(r"<!-- docs: python example -->\n```python\n(.*?)```", text, re.S).group(1)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHAINMAP_NEO4J")}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=demo_dir,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "链条完整度" in done.stdout
    assert (demo_dir / "交城招商图谱.html").stat().st_size > 0
    assert (demo_dir / "交城招商工作报告.html").stat().st_size > 0


def test_a_town_computes_its_gaps_once(demo_dir, monkeypatch):
    import chainmap.workspace as workspace

    calls = []
    real = workspace.find_gaps

    def counted(*args, **kwargs):
        calls.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace, "find_gaps", counted)
    with Workspace.open(demo_dir / "chainmap-demo" / "db") as ws:
        town = ws.town("jiaocheng_nitro")
        town.targets(TargetFilters(top=5))
        town.map_targets()
        town.evaluate()
        town.map(demo_dir / "m.html")
    assert calls == ["jiaocheng_nitro"]


def test_towns_by_part_of_the_name(demo_dir):
    with Workspace.open(demo_dir / "chainmap-demo" / "db") as ws:
        assert ws.town("交城").id == "jiaocheng_nitro"
        with pytest.raises(AmbiguousTown, match="泽州铸造专业镇"):
            ws.town("泽州")
        with pytest.raises(TownNotFound, match="是否为：交城硝基复合肥专业镇"):
            ws.town("交成硝基")

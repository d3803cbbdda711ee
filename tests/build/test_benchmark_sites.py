"""The sites ``invoke benchmark`` measures are sites a build accepts."""

import json

from tests import benchmark
from tests.sites import build_project, epoch


def test_a_synthetic_history_builds_with_every_version(tmp_path, monkeypatch):
    repo = benchmark.synthetic_history(tmp_path / "site", 3)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch(benchmark.BUILD_DATE))
    output = build_project(repo / "content", tmp_path / "out")
    index = json.loads((output / "versions.json").read_text(encoding="utf-8"))
    for policy in index["policies"].values():
        for language in policy["languages"].values():
            assert [v["version"] for v in language["versions"]] == ["1.3", "1.2", "1.1"]

"""The README's two commands are the ones CI runs."""

import re

from tests.sites import ROOT


def readme_commands():
    blocks = re.findall(r"```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.DOTALL)
    return [line for block in blocks for line in block.splitlines() if not line.startswith("#")]


def test_ci_runs_the_readme_build_and_test_commands():
    commands = readme_commands()
    assert len(commands) == 2
    assert commands[0].endswith("invoke build")
    assert commands[1].endswith("invoke test")
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    assert [line for line in ci_lines if line in commands] == commands


def test_the_readme_names_every_module_of_the_plugin():
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("| module | what it holds |") :].split("\n\n", 1)[0]
    named = set(re.findall(r"`([a-z0-9_]+\.py)`", table))
    modules = {path.name for path in (ROOT / "plugins" / "policy_site").glob("*.py")}
    assert named == modules - {"__init__.py"}

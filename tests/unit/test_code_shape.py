"""The code stays in small pieces: no class over 150 lines, no function over 50."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMITS = {ast.ClassDef: 150, ast.FunctionDef: 50, ast.AsyncFunctionDef: 50}


def test_no_class_or_function_is_longer_than_its_limit():
    files = [*sorted((ROOT / "plugins").rglob("*.py")), *sorted((ROOT / "tests").rglob("*.py"))]
    files.append(ROOT / "tasks.py")
    too_long = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            limit = LIMITS.get(type(node))
            if limit and node.end_lineno - node.lineno + 1 > limit:
                lines = node.end_lineno - node.lineno + 1
                too_long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines}")
    assert len(files) > 20
    assert not too_long, "split these: " + ", ".join(too_long)

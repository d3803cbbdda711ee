"""``invoke check --base``: what a reviewer sees on a pull request, on a throwaway clone
with a base commit and a pending change, as GitHub Actions runs it."""

import os
import subprocess
import sys

import pytest

from tests.scenarios import Editor, add_sentence, with_code_under_test
from tests.sites import ROOT, epoch, git, shipped_today

TODAY = shipped_today()


@pytest.fixture
def clone(tmp_path):
    repo = tmp_path / "repo"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(repo)], check=True)
    git(repo, "config", "user.name", "Legal Editor")
    git(repo, "config", "user.email", "legal@example.id")
    return with_code_under_test(repo)


def check(repo, base, tmp_path):
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "SOURCE_DATE_EPOCH": epoch(TODAY.isoformat()),
    }
    result = subprocess.run(
        [sys.executable, "-m", "invoke", "check", "--base", base],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return result, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_a_good_change_gets_a_summary_with_its_redline(clone, tmp_path):
    base = git(clone, "rev-parse", "HEAD").strip()
    editor = Editor(clone, TODAY)
    day = max(editor.today, editor.newest_effective())
    number = editor.new_version(editor.files, day, "Satu kalimat", add_sentence)
    editor.commit("A new version")
    result, summary = check(clone, base, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "::error" not in result.stdout
    for lang in editor.files:
        section = summary.split(f"## `content/policies/privacy/{lang}.md`")[1]
        assert f"→ **{number}**" in section.split("##")[0]
        assert f"Mulai berlaku · Effective: {day.isoformat()}" in section
    assert "<ins> Kalimat ini ditambahkan sebagai contoh perubahan.</ins>" in summary
    assert "<del>" not in summary.split("</summary>", 1)[1].split("</details>")[0]
    assert summary in result.stdout, "the editor's terminal shows the same summary"


def test_a_bad_change_is_annotated_on_its_file_and_line(clone, tmp_path):
    base = git(clone, "rev-parse", "HEAD").strip()
    editor = Editor(clone, TODAY)
    number = editor.new_version(editor.files, TODAY, "x", add_sentence)
    original = editor.files[editor.original]
    written = f"Effective: {TODAY.isoformat()}"
    bad = f"Effective: {TODAY:%d/%m/%Y}"
    original.write_text(
        original.read_text(encoding="utf-8").replace(written, bad), encoding="utf-8"
    )
    editor.commit("A bad date")
    result, summary = check(clone, base, tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    path = f"content/policies/privacy/{editor.original}.md"
    date = f"{TODAY:%d/%m/%Y}"
    assert f"::error file={path},line=6::Effective%3A '{date}'" not in result.stdout
    assert f"::error file={path},line=6::Effective: '{date}' is not a date" in result.stdout
    assert f"- `{path}:6`: Effective: '{date}' is not a date written as YYYY-MM-DD" in summary
    assert len((result.stdout + result.stderr).splitlines()) < 40
    assert number

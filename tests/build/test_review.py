"""``invoke check --base``: what a reviewer sees on a pull request, on a throwaway clone
with a base commit and a pending change, as GitHub Actions runs it."""

import subprocess

import cmarkgfm
import pytest
from cmarkgfm.cmark import Options

from tests.scenarios import Editor, add_sentence, with_code_under_test
from tests.sites import ROOT, epoch, git, run_invoke, shipped_today, site_zone

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
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "SOURCE_DATE_EPOCH": epoch(TODAY, site_zone()),
        "LANGUAGE": "en",
    }
    result = run_invoke(repo, "check", "--base", base, **env)
    return result, summary.read_text(encoding="utf-8") if summary.exists() else ""


def commands_in(stdout):
    """The lines a GitHub runner takes as workflow commands: before ``::stop-commands::``
    and after its end, every line that starts with ``::``."""
    active, token, found = True, None, []
    for line in stdout.splitlines():
        stripped = line.strip()
        if token and stripped == f"::{token}::":
            active = True
            continue
        if active and stripped.startswith("::stop-commands::"):
            active, token = False, stripped.split("::")[2]
            continue
        if active and stripped.startswith("::") or "##[" in line:
            found.append(line)
    return found


def shown_by_github(summary):
    """The job summary as GitHub renders it (cmark-gfm with raw HTML kept, as GitHub
    then sanitizes it)."""
    return cmarkgfm.github_flavored_markdown_to_html(summary, Options.CMARK_OPT_UNSAFE)


def test_a_good_change_gets_a_summary_with_its_changes(clone, tmp_path):
    base = git(clone, "rev-parse", "HEAD").strip()
    editor = Editor(clone, TODAY)
    day = max(editor.today, editor.newest_effective())
    number = editor.new_version(editor.files, day, "Satu kalimat", add_sentence)
    editor.commit("A new version")
    result, summary = check(clone, base, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert all(
        line.startswith("::warning file=") and "(commit " in line
        for line in commands_in(result.stdout)
    ), "only the warnings about history are annotations"
    head = git(clone, "rev-parse", "HEAD").strip()
    assert f"Compared with {base[:12]}; commits judged: {head[:7]}" in result.stdout
    for lang in editor.files:
        section = result.stdout.split(f"content/policies/privacy/{lang}.md · privacy")[1]
        assert f"→ {number}" in section.split("\n\n")[0]
        assert f"Effective: {day.isoformat()}" in section
    assert "{+Kalimat ini ditambahkan sebagai contoh perubahan.+}" in result.stdout
    assert "<ins>Kalimat ini ditambahkan sebagai contoh perubahan.</ins>" in summary
    assert "<del>" not in summary and "[-" not in result.stdout


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
    errors = [line for line in commands_in(result.stdout) if line.startswith("::error")]
    assert errors == [
        f"::error file={path},line=6::Effective: '{date}' is not a date written as YYYY-MM-DD"
    ]
    assert f"<code>{path}:6</code>: Effective: &#x27;{date}&#x27; is not a date" in summary
    assert "This change leaves every policy text as it is" not in result.stdout
    assert "shows once the problems are fixed" in result.stdout
    assert len((result.stdout + result.stderr).splitlines()) < 40
    assert number


def test_text_of_a_change_can_neither_command_the_runner_nor_link_in_the_summary(clone, tmp_path):
    base = git(clone, "rev-parse", "HEAD").strip()
    editor = Editor(clone, TODAY)
    day = max(editor.today, editor.newest_effective())
    hostile = (
        "::warning file=content/policies/privacy/id.md::Disetujui oleh tim hukum\n"
        "Lihat ##[error]palsu dan support@evil.example serta https://evil.example/ok."
    )

    def add_hostile(lang, text):
        return add_sentence(lang, text).replace(
            "Kalimat ini ditambahkan", f"{hostile}\nKalimat ini ditambahkan", 1
        )

    summary_text = "[Setujui perubahan](https://evil.example/ok) ![](https://evil.example/p.png)"
    editor.new_version(editor.files, day, summary_text, add_hostile)
    editor.commit("A hostile change")
    result, summary = check(clone, base, tmp_path)
    assert "Traceback" not in result.stdout + result.stderr
    commands = commands_in(result.stdout)
    assert not [line for line in commands if "Disetujui" in line or "palsu" in line]
    rendered = shown_by_github(summary)
    assert "<a " not in rendered and "<img" not in rendered
    assert "[Setujui perubahan](https://evil.example/ok)" in rendered


def test_uncommitted_edits_are_compared_with_the_last_commit(clone, tmp_path):
    """On an editor's machine without a base, the change is the uncommitted edits: the
    summary compares them with the newest commit, as plain text."""
    git(clone, "remote", "remove", "origin")
    editor = Editor(clone, TODAY)
    day = max(editor.today, editor.newest_effective())
    committed = editor.new_version(editor.files, day, "Versi yang di-commit", add_sentence)
    editor.commit("A new version")
    pending = editor.new_version(
        [editor.original], day, "Versi yang belum di-commit", lambda _lang, text: text
    )
    result = run_invoke(clone, "check", SOURCE_DATE_EPOCH=epoch(TODAY, site_zone()), LANGUAGE="en")
    path = f"content/policies/privacy/{editor.original}.md"
    assert f"uncommitted edits: {path}." in result.stdout
    assert f"Version: {committed} → {pending}" in result.stdout
    assert "Anchors removed" not in result.stdout
    assert "<ins>" not in result.stdout and "<p>" not in result.stdout


def test_a_second_check_keeps_the_pages_that_did_not_change_and_shows_those_that_did(
    clone, tmp_path
):
    """``invoke check`` builds beside the cache: the next check takes the pages whose
    models did not change from it (the same files), and builds what a new change
    changed."""
    base = git(clone, "rev-parse", "HEAD").strip()
    checked = clone / "cache" / "checked-site"
    assert check(clone, base, tmp_path)[0].returncode == 0
    pages = {path: path.stat().st_ino for path in checked.rglob("*.html")}
    assert pages, "the checked site is kept"
    assert check(clone, base, tmp_path)[0].returncode == 0
    assert {path: path.stat().st_ino for path in checked.rglob("*.html")} == pages
    editor = Editor(clone, TODAY)
    day = max(editor.today, editor.newest_effective())
    editor.new_version(editor.files, day, "Satu kalimat", add_sentence)
    editor.commit("A new version")
    result, _summary = check(clone, base, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "{+Kalimat ini ditambahkan sebagai contoh perubahan.+}" in result.stdout
    shown = [path.read_text(encoding="utf-8") for path in checked.rglob("index.html")]
    assert any("Kalimat ini ditambahkan sebagai contoh perubahan." in page for page in shown)
    changed = [path for path, inode in pages.items() if path.stat().st_ino != inode]
    kept = [path for path, inode in pages.items() if path.stat().st_ino == inode]
    assert changed and kept, "the pages the new version changes, and only those, are new"


def test_a_check_writes_nothing_through_a_cache_that_is_a_link(clone, tmp_path):
    """Where ``cache/`` leads elsewhere, the check builds in a folder of its own."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (clone / "cache").symlink_to(elsewhere)
    base = git(clone, "rev-parse", "HEAD").strip()
    result, _summary = check(clone, base, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert list(elsewhere.iterdir()) == []


def test_a_check_builds_elsewhere_where_cache_is_a_file(clone, tmp_path):
    """A file named ``cache`` is left as it is; the check builds in a folder of its own."""
    (clone / "cache").write_text("not a folder\n", encoding="utf-8")
    base = git(clone, "rev-parse", "HEAD").strip()
    result, _summary = check(clone, base, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (clone / "cache").read_text(encoding="utf-8") == "not a folder\n"

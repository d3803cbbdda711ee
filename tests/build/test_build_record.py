"""``invoke build`` with nothing to build: the record of what the build before read says
so only while every input and the output are as that build left them; anything else
builds. A record is data: it runs nothing but git's reading commands."""

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policy_site import build_record, git_history
from policy_site.commands import run_pelican
from tests.sites import (
    POLICY_EN,
    POLICY_ID,
    as_project,
    commit_policies,
    git,
    new_version,
    snapshot,
    write_policies,
)

EPOCH = "1769918400"  # 2026-02-01
RECORD = Path("cache") / "policy_site" / build_record.RECORD
KEY = ("build", "pelicanconf.py", None, False)


@pytest.fixture
def project(repo, monkeypatch):
    """The fixture repository as a copy of the project, making no PDFs (their workers
    are programs of their own), as the current folder; a build's start is when it is
    called (a test's files are all new to this process), and a file whose times are
    within 10 ms of it is new (a tick of the file system's clock is 4 ms here)."""
    project = as_project(repo)
    _append(project / "pelicanconf.py", '\nPOLICY_SITE = {**POLICY_SITE, "pdf": False}\n')
    (project / ".gitignore").write_text("/cache/\n/output/\n", encoding="utf-8")  # as ours
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setattr(build_record, "process_start_ns", time.time_ns)
    monkeypatch.setattr(build_record, "_MARGIN_NS", 10_000_000)
    return project


def recorded_build():
    """An ``invoke build`` as the task runs it, started after the margin; the record it
    left, or None."""
    time.sleep(0.012)
    run_pelican("pelicanconf.py", (str(RECORD), build_record.invocation(*KEY)))
    return json.loads(RECORD.read_text(encoding="utf-8")) if RECORD.exists() else None


def nothing_to_build():
    return build_record.unchanged(str(RECORD), build_record.invocation(*KEY)) is not None


def why():
    """What the record finds changed first."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    return build_record.difference(record, build_record.invocation(*KEY), str(RECORD))


def what_changed(record):
    """What ``record``, written as the record, finds changed first."""
    RECORD.write_text(json.dumps(record), encoding="utf-8")
    return build_record.difference(record, build_record.invocation(*KEY), str(RECORD))


def fresh_build(folder):
    """The project's build into ``folder``, with a cache of its own, empty."""
    run_pelican("pelicanconf.py", OUTPUT_PATH=str(folder), CACHE_PATH=f"{folder}.cache")
    return folder


def _edit(path, old, new):
    text = Path(path).read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    Path(path).write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path, text):
    with Path(path).open("a", encoding="utf-8") as target:
        target.write(text)


POLICY = Path("content/policies/example/id.md")
UPCOMING = {
    "example/id.md": new_version(POLICY_ID, "1.1", "2026-03-01"),
    "example/en.md": new_version(POLICY_EN, "1.1", "2026-03-01"),
}
CHANGES = {
    "the settings": lambda _mp: _append("pelicanconf.py", "\nSUMMARY_MAX_LENGTH = 40\n"),
    "a module the settings import": lambda _mp: _edit("facts.py", "1", "2"),
    "a file the settings read": lambda _mp: _edit("facts.txt", "1", "2"),
    "a template": lambda _mp: _edit("theme/templates/base.html", "<body", "<body "),
    "a stylesheet": lambda _mp: _append("theme/static/css/site.css", "\n/* */\n"),
    "a new file of the theme": lambda _mp: Path("theme/static/images/new.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8"
    ),
    "a catalog": lambda _mp: _edit(
        "translations/id/LC_MESSAGES/messages.po",
        'msgstr "Tautan ke bagian ini: %(title)s"',
        'msgstr "Tautan ke bagian: %(title)s"',
    ),
    "an uncommitted new version": lambda _mp: write_policies(Path("content"), UPCOMING),
    "its commit": lambda _mp: commit_policies(".", UPCOMING),
    "a commit of another file": lambda _mp: (
        Path("NOTES.md").write_text("notes\n", encoding="utf-8"),
        git(".", "add", "NOTES.md"),
        git(".", "commit", "-q", "-m", "Notes"),
    ),
    "the build date": lambda mp: mp.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400)),
    "another variable of the environment": lambda mp: mp.setenv("POLICY_SITE_NOTE", "1"),
    "a page edited in the output": lambda _mp: _append("output/index.html", " "),
    "a file removed from the output": lambda _mp: os.remove("output/versions.json"),
    "a file added to the output": lambda _mp: Path("output/extra.html").write_text("x"),
    "a file of the output touched": lambda _mp: os.utime("output/index.html"),
}


def test_only_a_build_with_nothing_changed_has_nothing_to_build(project, monkeypatch):
    """Each kind of input changed in turn after a recorded build: each time there is a
    build to do; and each time nothing changed after it, the output is what a fresh
    build writes."""
    (project / "facts.py").write_text("NUMBER = 1\n", encoding="utf-8")
    (project / "facts.txt").write_text("1\n", encoding="utf-8")
    _append("pelicanconf.py", "\nfrom facts import NUMBER\n")
    _append("pelicanconf.py", "\nNOTE = open('facts.txt', encoding='utf-8').read()\n")
    monkeypatch.syspath_prepend(str(project))
    record = recorded_build()
    assert record, "a build with the cache leaves a record"
    assert all(git_history.reads_only(program[1]) for program in record["programs"])
    for number, (change, make) in enumerate(CHANGES.items()):
        assert nothing_to_build(), f"before {change}: {why()} changed, it says"
        fresh = fresh_build(project.parent / f"fresh-{number}")
        assert snapshot(project / "output") == snapshot(fresh)
        make(monkeypatch)
        assert not nothing_to_build(), f"{change}: changed, yet nothing to build"
        assert recorded_build(), f"after {change}: no record"


def test_the_notices_a_build_said_are_said_again(project, caplog):
    """A message left untranslated: its notice stands as long as the output does."""
    _edit(
        "translations/id/LC_MESSAGES/messages.po",
        'msgstr "Tautan ke bagian ini: %(title)s"',
        'msgstr ""',
    )
    with caplog.at_level(logging.INFO):
        recorded_build()
    said = [[r.levelname, r.getMessage()] for r in caplog.records if r.levelno > logging.INFO]
    assert any("id/LC_MESSAGES/messages.po" in text for _level, text in said), said
    assert build_record.unchanged(str(RECORD), build_record.invocation(*KEY)) == [*said, ["", ""]]


BUSY = {
    "another program": "\nimport subprocess\nsubprocess.run(['true'], check=True)\n",
    "a file changed as the build ran": "\nimport pathlib\npathlib.Path('theme/templates/"
    "base.html').touch()\n",
}


@pytest.mark.parametrize("case", BUSY, ids=BUSY)
def test_a_build_that_cannot_be_vouched_for_leaves_no_record(project, case):
    recorded_build()
    assert RECORD.exists()
    _append("pelicanconf.py", BUSY[case])
    assert recorded_build() is None
    assert not nothing_to_build()


def test_a_build_without_its_cache_leaves_no_record(project):
    _append("pelicanconf.py", '\nPOLICY_SITE = {**POLICY_SITE, "cache": False}\n')
    assert recorded_build() is None


def test_a_record_of_another_day_is_not_today(project, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    record = recorded_build()
    assert nothing_to_build()
    record["today"][1] = "2000-01-01"
    assert what_changed(record) == "the day"
    assert not nothing_to_build()


HOSTILE = {
    "another program": lambda marker: ["touch", str(marker)],
    "git writing a file": lambda marker: [
        *["git", "-c", "core.quotepath=off", "log", f"--output={marker}", "--", "."]
    ],
    "git with an option of its own": lambda marker: [
        *["git", "-c", f"core.hooksPath={marker}", "status", "--porcelain"]
    ],
}


@pytest.mark.parametrize("case", HOSTILE, ids=HOSTILE)
def test_a_record_runs_no_program_of_its_own(project, tmp_path, case):
    """A record planted in the cache (say, restored by CI) naming any other command is
    not run, and a build follows."""
    record = recorded_build()
    marker = tmp_path / "ran"
    command = HOSTILE[case](marker)
    record["programs"].insert(0, [str(project), command, None, [0, "x"]])
    assert what_changed(record) == f"{command!r} in {str(project)!r}"
    assert not nothing_to_build()
    assert not marker.exists()


def test_git_runs_again_only_in_the_project_its_folders_or_one_holding_it(project, tmp_path):
    record = recorded_build()
    elsewhere = tmp_path / "elsewhere"
    git(project, "clone", "-q", str(project), str(elsewhere))
    for program in record["programs"]:
        program[0] = str(elsewhere)
    assert what_changed(record).endswith(f" in {str(elsewhere)!r}")
    assert not nothing_to_build()


@pytest.mark.parametrize(
    "text", ["", "[]", '{"format": 1}', '{"format": 1, "invocation": 3}', "{" * 100000]
)
def test_a_record_that_is_not_one_means_a_build(project, text):
    recorded_build()
    RECORD.write_text(text, encoding="utf-8")
    assert not nothing_to_build()


def test_a_linked_record_is_not_read(project, tmp_path):
    recorded_build()
    kept = tmp_path / "kept.json"
    RECORD.rename(kept)
    RECORD.symlink_to(kept)
    assert not nothing_to_build()


def test_what_a_record_says_again_is_text_not_terminal_commands(project):
    record = recorded_build()
    record["messages"] = [["NOTICE", "a\x1b]0;title\x07b\nc"]]
    RECORD.write_text(json.dumps(record), encoding="utf-8")
    said = build_record.unchanged(str(RECORD), build_record.invocation(*KEY))
    assert said == [["NOTICE", "a\\x1b]0;title\\x07b\\x0ac"], ["", ""]]


def test_invoke_build_twice_builds_once(repo, tmp_path):
    """As a user runs it: the second ``invoke build`` says there is nothing to build,
    loads no Pelican, and leaves every file of the output as it was; after an edit of
    the plugin's code the next builds."""
    project = as_project(repo)
    _append(project / "pelicanconf.py", '\nPOLICY_SITE = {**POLICY_SITE, "pdf": False}\n')
    time.sleep(1.2)  # the files are older than the builds' processes, by more than a tick

    def invoke_build():
        env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPROFILEIMPORTTIME": "1"}
        done = subprocess.run(
            [sys.executable, "-m", "invoke", "build"],
            cwd=project,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        return done.stdout, done.stderr

    invoke_build()
    before = {path: path.stat() for path in (project / "output").rglob("*")}
    said, imported = invoke_build()
    assert said.startswith("Nothing to build"), said
    assert " pelican" not in imported and "policy_site.generator" not in imported
    assert {path: path.stat() for path in (project / "output").rglob("*")} == before
    _edit(project / "plugins" / "policy_site" / "rendering.py", '"""', '"""Edited. ')
    said, _imported = invoke_build()
    assert "Built the site" in said


CHECK = Path("cache") / "policy_site" / build_record.CHECK_RECORD


def recorded_check():
    """An ``invoke check`` of the commits above HEAD~0 and the work tree, as the task runs
    it; its key."""
    from policy_site.commands import check

    time.sleep(0.012)
    key = build_record.invocation("check", "pelicanconf.py", "HEAD")
    return check("pelicanconf.py", "HEAD", (str(CHECK), key)), key


def test_a_check_with_nothing_changed_says_its_summary_again(project, capsys):
    write_policies(Path("content"), UPCOMING)  # the change under review
    problems, key = recorded_check()
    printed = capsys.readouterr().out
    assert problems == 0 and "1.1" in printed
    record = json.loads(CHECK.read_text(encoding="utf-8"))
    assert not build_record.difference(record, key, str(CHECK))
    summary = build_record.unchanged(str(CHECK), key)[-1]
    assert summary[0] == "" and summary[1].startswith("Policy check")
    assert printed.endswith(summary[1])
    _edit(POLICY, "Kami", "Kami juga")
    assert build_record.unchanged(str(CHECK), key) is None


def test_a_check_that_found_problems_or_runs_in_ci_leaves_no_record(project, monkeypatch):
    _edit(POLICY, "Kami", "Kami juga")  # a published text changed: a problem
    problems, _key = recorded_check()
    assert problems and not CHECK.exists()
    _edit(POLICY, "Kami juga", "Kami")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    problems, _key = recorded_check()
    assert not problems and not CHECK.exists()

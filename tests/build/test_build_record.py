"""``invoke build`` with nothing to build: the record of what the build before read says
so only while every input and the output are as that build left them; anything else
builds. A record is data: it runs nothing but git's reading commands."""

import json
import logging
import os
import subprocess
import time
from pathlib import Path

import pytest

from policy_site import build_record, git_history, up_to_date
from policy_site.commands import run_pelican
from tests.sites import (
    POLICY_EN,
    POLICY_ID,
    as_project,
    commit_policies,
    git,
    new_version,
    run_invoke,
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
    return up_to_date.unchanged(str(RECORD), build_record.invocation(*KEY)) is not None


def why():
    """What the record finds changed first."""
    record = json.loads(RECORD.read_text(encoding="utf-8"))
    return up_to_date.difference(record, build_record.invocation(*KEY), str(RECORD))


def what_changed(record):
    """What ``record``, written as the record, finds changed first."""
    RECORD.write_text(json.dumps(record), encoding="utf-8")
    return up_to_date.difference(record, build_record.invocation(*KEY), str(RECORD))


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
    "a file the settings look for": lambda _mp: Path("flag.txt").write_text("", encoding="utf-8"),
    "a new module on Python's path": lambda _mp: Path("lib/markdown.py").write_text(
        "from markdown import *\n", encoding="utf-8"
    ),
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
    "an object git replaces": lambda _mp: _replace("content/policies/example/en.md"),
    "a commit of another file": lambda _mp: (
        Path("NOTES.md").write_text("notes\n", encoding="utf-8"),
        git(".", "add", "NOTES.md"),
        git(".", "commit", "-q", "-m", "Notes"),
    ),
    "the build date": lambda mp: mp.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400)),
    "another variable of the environment": lambda mp: mp.setenv("POLICY_SITE_NOTE", "1"),
    "the umask": lambda _mp: os.umask(0o027),
    "a page edited in the output": lambda _mp: _append("output/index.html", " "),
    "a file removed from the output": lambda _mp: os.remove("output/versions.json"),
    "a file added to the output": lambda _mp: Path("output/extra.html").write_text("x"),
    "a file of the output touched": lambda _mp: os.utime("output/index.html"),
}


def _replace(path):
    """``git replace``: the blob of ``path`` at HEAD stands for another text."""
    old = git(".", "rev-parse", f"HEAD:{path}").strip()
    text = git(".", "cat-file", "-p", old).replace("Opening", "Replaced opening")
    new = subprocess.run(
        ["git", "hash-object", "-w", "--stdin"],
        input=text,
        text=True,
        capture_output=True,
        check=True,
    ).stdout.strip()
    git(".", "replace", old, new)


@pytest.fixture
def umask():
    mask = os.umask(0o022)
    yield
    os.umask(mask)


def test_only_a_build_with_nothing_changed_has_nothing_to_build(project, monkeypatch, umask):
    """Each kind of input changed in turn after a recorded build: each time there is a
    build to do; and each time nothing changed after it, the output is what a fresh
    build writes."""
    (project / "facts.py").write_text("NUMBER = 1\n", encoding="utf-8")
    (project / "facts.txt").write_text("1\n", encoding="utf-8")
    (project / "lib").mkdir()
    _append("pelicanconf.py", "\nfrom facts import NUMBER\n")
    _append("pelicanconf.py", "\nNOTE = open('facts.txt', encoding='utf-8').read()\n")
    _append("pelicanconf.py", "\nimport os\nFLAG = os.access('flag.txt', os.F_OK)\n")
    monkeypatch.syspath_prepend(str(project))
    monkeypatch.syspath_prepend(str(project / "lib"))  # where no build lists
    record = recorded_build()
    assert record, "a build with the cache leaves a record"
    assert all(git_history.reads_only(program[1]) for program in record["programs"])
    monkeypatch.setenv("OLDPWD", "/")  # the shell's own: not an input
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
    assert up_to_date.unchanged(str(RECORD), build_record.invocation(*KEY)) == [*said, ["", ""]]


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


def test_a_record_runs_no_program_of_its_own(project, tmp_path):
    """A record planted in the cache (say, restored by CI) naming any other command is
    not run, and a build follows."""
    record = recorded_build()
    marker = tmp_path / "ran"
    for case, make in HOSTILE.items():
        command = make(marker)
        planted = {**record, "programs": [[str(project), command, None, [0, "x"]]]}
        assert what_changed(planted) == f"{command!r} in {str(project)!r}", case
        assert not nothing_to_build()
        assert not marker.exists(), case


ELSEWHERE = {
    "another folder": lambda project, elsewhere: str(elsewhere),
    "a way up from the project": lambda project, elsewhere: f"{project}/../{elsewhere.name}",
    "a link in the project": lambda project, elsewhere: _linked(project / "cache" / "x", elsewhere),
}


def _linked(link, target):
    link.symlink_to(target)
    return str(link)


def test_git_runs_again_only_in_the_project_its_folders_or_one_holding_it(project, tmp_path):
    """Another repository's configuration can run programs (core.fsmonitor): git runs
    again only where the build ran it, however the record names the folder."""
    record = recorded_build()
    elsewhere = tmp_path / "elsewhere"
    git(project, "clone", "-q", str(project), str(elsewhere))
    marker = tmp_path / "ran"
    hook = tmp_path / "hook.sh"
    hook.write_text(f"#!/bin/sh\ntouch {marker}\n", encoding="utf-8")
    hook.chmod(0o755)
    git(elsewhere, "config", "core.fsmonitor", str(hook))
    for case, name in ELSEWHERE.items():
        root = name(project, elsewhere)
        planted = {**record, "programs": [[root, *program[1:]] for program in record["programs"]]}
        assert what_changed(planted).endswith(f" in {root!r}"), case
        assert not nothing_to_build()
        assert not marker.exists(), case


def test_a_record_naming_many_programs_runs_none(project):
    record = recorded_build()
    record["programs"] = record["programs"] * 50
    assert what_changed(record) == f"{len(record['programs'])} programs"


NOT_RECORDS = {
    "empty": lambda: RECORD.write_text("", encoding="utf-8"),
    "a list": lambda: RECORD.write_text("[]", encoding="utf-8"),
    "keys missing": lambda: RECORD.write_text('{"format": 2}', encoding="utf-8"),
    "a wrong type": lambda: RECORD.write_text('{"format": 2, "invocation": 3}', encoding="utf-8"),
    "nested deep": lambda: RECORD.write_text("[" * 100000, encoding="utf-8"),
    "too large": lambda: RECORD.write_text("[" + "{}," * 3_000_000 + "{}]", encoding="utf-8"),
    "a folder": lambda: (RECORD.unlink(), RECORD.mkdir()),
    "a pipe": lambda: (RECORD.unlink(), os.mkfifo(RECORD)),
}


def test_a_record_that_is_not_one_means_a_build(project):
    """Never a traceback, never a wait."""
    recorded_build()
    written = RECORD.read_bytes()
    for case, make in NOT_RECORDS.items():
        make()
        assert not nothing_to_build(), case
        if RECORD.is_dir():
            RECORD.rmdir()
        RECORD.unlink(missing_ok=True)
        RECORD.write_bytes(written)
        assert nothing_to_build(), f"after {case}: {why()} changed, it says"


DEPTH = 1200  # folders in folders: deeper than Python's recursion goes


def test_an_output_nested_deep_means_a_build(project):
    recorded_build()
    folders = [os.open("output", os.O_RDONLY)]
    for _level in range(DEPTH):
        os.mkdir("a", dir_fd=folders[-1])
        folders.append(os.open("a", os.O_RDONLY, dir_fd=folders[-1]))
    try:
        assert not nothing_to_build()
    finally:  # from the deepest up: no recursive removal goes this deep
        os.close(folders.pop())
        while folders:
            os.rmdir("a", dir_fd=folders[-1])
            os.close(folders.pop())


def test_a_record_that_cannot_be_written_leaves_none(project, monkeypatch):
    """A full disk: the site is built all the same, and no record half written."""
    recorded_build()

    def full(*_args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(build_record.os, "replace", full)
    _append("pelicanconf.py", "\n")
    assert recorded_build() is None
    assert Path("output/index.html").exists()
    assert not list(RECORD.parent.glob(f"{RECORD.name}.*"))


def test_a_linked_record_is_not_read(project, tmp_path):
    recorded_build()
    kept = tmp_path / "kept.json"
    RECORD.rename(kept)
    RECORD.symlink_to(kept)
    assert not nothing_to_build()


def test_what_a_record_says_again_is_text_not_terminal_commands(project):
    record = recorded_build()
    record["messages"] = [["NOTICE", "a\x1b]0;title\x07b\nc"]]
    record["printed"] = "line\nnext\x1b[2J\ud800"
    RECORD.write_text(json.dumps(record), encoding="utf-8")
    said = up_to_date.unchanged(str(RECORD), build_record.invocation(*KEY))
    assert said == [["NOTICE", "a\\x1b]0;title\\x07b\\x0ac"], ["", "line\nnext\\x1b[2J\\xd800"]]


def test_invoke_build_twice_builds_once(repo, tmp_path):
    """As a user runs it: the second ``invoke build`` says there is nothing to build,
    loads no Pelican, and leaves every file of the output as it was; after an edit of a
    file a module of the settings reads as it is imported, and after one of the plugin's
    code, the next builds."""
    project = as_project(repo)
    _append(project / "pelicanconf.py", '\nPOLICY_SITE = {**POLICY_SITE, "pdf": False}\n')
    (project / "site.txt").write_text("one\n", encoding="utf-8")
    (project / "sitedata.py").write_text("DATA = open('site.txt').read()\n", encoding="utf-8")
    _append(project / "pelicanconf.py", "\nfrom sitedata import DATA\n")
    time.sleep(1.2)  # the files are older than the builds' processes, by more than a tick

    def invoke_build():
        done = run_invoke(project, "build", SOURCE_DATE_EPOCH=EPOCH, PYTHONPROFILEIMPORTTIME="1")
        done.check_returncode()
        return done.stdout, done.stderr

    invoke_build()
    before = {path: path.stat() for path in (project / "output").rglob("*")}
    said, imported = invoke_build()
    assert said.startswith("Nothing to build"), said
    assert " pelican" not in imported and "policy_site.generator" not in imported
    assert {path: path.stat() for path in (project / "output").rglob("*")} == before
    _edit(project / "site.txt", "one", "two")
    said, _imported = invoke_build()
    assert "Built the site" in said
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
    assert not up_to_date.difference(record, key, str(CHECK))
    summary = up_to_date.unchanged(str(CHECK), key)[-1]
    assert summary[0] == "" and summary[1].startswith("Policy check")
    assert printed.endswith(summary[1])
    _edit(POLICY, "Kami", "Kami juga")
    assert up_to_date.unchanged(str(CHECK), key) is None


def test_a_check_that_found_problems_or_runs_in_ci_leaves_no_record(project, monkeypatch):
    _edit(POLICY, "Kami", "Kami juga")  # a published text changed: a problem
    problems, _key = recorded_check()
    assert problems and not CHECK.exists()
    _edit(POLICY, "Kami juga", "Kami")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    problems, _key = recorded_check()
    assert not problems and not CHECK.exists()

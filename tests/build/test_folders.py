"""A build reads only its repository's own files and writes only into its own folders;
every refusal is a message, never a traceback or a hang."""

import datetime
import logging
import os
import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from policy_site import atomic_output
from policy_site.errors import SiteError
from tests.scenarios import make, with_code_under_test
from tests.sites import (
    FIXTURE,
    FIXTURE_CATALOGS,
    FIXTURE_POLICY_SITE,
    ROOT,
    as_project,
    build,
    commit_policies,
    fixture_pelican,
    read_page,
    refused,
    run_invoke,
    snapshot,
)

TODAY = "2026-02-01"
LATER = "2026-02-02"


@pytest.fixture
def outside(tmp_path):
    """A folder outside the project with a file a build must never touch."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("not the site's\n")
    return folder


@pytest.mark.parametrize("name", ["out", "out.staging", "out.previous"])
def test_an_output_folder_that_is_a_link_is_refused_and_its_target_untouched(
    repo, tmp_path, outside, name
):
    (tmp_path / name).symlink_to(outside)
    with pytest.raises(SiteError, match=f"{name} is a symbolic link; the build writes only"):
        build(repo / "content", tmp_path / "out", today=TODAY)
    assert snapshot(outside) == {"keep.txt": b"not the site's\n"}


def test_a_publishing_build_never_empties_a_linked_staging_folder(
    repo, tmp_path, outside, monkeypatch
):
    monkeypatch.setenv("SITEURL", "https://legal.example.id")
    (tmp_path / "out.staging").symlink_to(outside)
    with pytest.raises(SiteError, match="is a symbolic link"):
        build(repo / "content", tmp_path / "out", settings_file="publishconf.py", today=TODAY)
    assert snapshot(outside) == {"keep.txt": b"not the site's\n"}


def test_a_file_where_the_staging_folder_goes_is_refused(repo, tmp_path):
    (tmp_path / "out.staging").write_text("a file")
    with pytest.raises(SiteError, match="out.staging is not a folder"):
        build(repo / "content", tmp_path / "out", today=TODAY)
    assert (tmp_path / "out.staging").read_text() == "a file"


def test_a_swap_cut_short_is_recovered_by_the_next_build(repo, tmp_path, monkeypatch):
    output = build(repo / "content", tmp_path / "out", today=TODAY)
    rename = os.rename

    def fail_second(source, target):
        if str(source).endswith(".staging"):
            raise PermissionError(13, "Permission denied")
        rename(source, target)

    monkeypatch.setattr(os, "rename", fail_second)
    with pytest.raises(SiteError, match="cannot move .*out.staging to .*out: Permission denied"):
        build(repo / "content", output, today=LATER)  # another day: a site to swap in
    assert not output.exists() and (tmp_path / "out.previous").is_dir()
    monkeypatch.setattr(os, "rename", rename)
    build(repo / "content", output, today=TODAY)
    assert read_page(output, "kebijakan-contoh/").h1.get_text() == "Kebijakan Contoh"
    assert not (tmp_path / "out.previous").exists()


def test_a_policy_file_that_is_a_link_is_refused_without_reading_it(repo, tmp_path):
    secret = tmp_path / "secret.md"
    secret.write_text("Title: rahasia\n\nTEKS RAHASIA\n")
    (repo / "content/policies/example/extra.md").symlink_to(secret)
    (repo / "content/policies/example/gone.md").symlink_to(tmp_path / "missing.md")
    problems = "\n".join(refused(repo / "content", tmp_path / "out", today=TODAY))
    assert "example/extra.md: is a symbolic link; policy files and folders must be" in problems
    assert "example/gone.md: is a symbolic link" in problems
    assert "rahasia" not in problems.lower()


def test_a_pipe_named_like_a_policy_is_refused_at_once(repo, tmp_path):
    os.mkfifo(repo / "content/policies/example/pipe.md")
    problems = refused(repo / "content", tmp_path / "out", today=TODAY)
    assert problems[0].endswith(
        "example/pipe.md: is not a regular file; a policy is a Markdown text file"
    )


def test_a_file_name_that_is_not_utf8_is_named_with_escapes(repo, tmp_path):
    folder = os.fsencode(repo / "content/policies/example")
    with open(folder + b"/kebijakan-\xff.md", "wb") as file:
        file.write(b"Title: x\n")
    problems = refused(repo / "content", tmp_path / "out", today=TODAY)
    assert problems[0].endswith("example/kebijakan-\\xff.md: the name is not UTF-8 text; rename it")


def test_a_link_in_the_theme_is_refused(repo, tmp_path, outside):
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static/secret.txt").symlink_to(outside / "keep.txt")
    with pytest.raises(SiteError, match="theme/static/secret.txt is a symbolic link"):
        build(repo / "content", tmp_path / "out", today=TODAY, THEME=str(theme))


def test_a_publishing_build_refuses_uncommitted_changes_to_the_theme(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://legal.example.id")
    shutil.copytree(ROOT / "theme", repo / "theme")
    commit_policies(repo, {})
    with (repo / "theme/templates/base.html").open("a") as template:
        template.write("<!-- changed -->\n")
    problems = refused(
        repo / "content",
        tmp_path / "out",
        today=TODAY,
        settings_file="publishconf.py",
        THEME=str(repo / "theme"),
    )
    assert problems[0].endswith(
        "theme/templates/base.html: has uncommitted changes, and it shapes the published "
        "site; a publishing build takes committed files only, so commit or stash them"
    )


@pytest.mark.parametrize("epoch", ["99999999999999999999", "-1", "soon", "12"])
def test_a_build_date_out_of_range_is_refused(repo, tmp_path, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    with pytest.raises(SiteError, match="is not a time between 2000 and 2200"):
        build(repo / "content", tmp_path / "out")


BROKEN = {
    "linked staging folder": lambda repo: (repo / "output.staging").symlink_to("/tmp"),
    "pipe named like a policy": lambda repo: os.mkfifo(repo / "content/policies/pipe.md"),
    "build date out of range": None,
}


@pytest.mark.parametrize("case", BROKEN, ids=BROKEN)
def test_invoke_build_says_what_is_wrong_without_a_traceback(tmp_path, case):
    repo = tmp_path / "repo"
    make("new-version-in-effect", repo, datetime.date(2026, 11, 25))
    with_code_under_test(repo)
    env = {}
    if BROKEN[case]:
        BROKEN[case](repo)
    else:
        env["SOURCE_DATE_EPOCH"] = "99999999999999999999"
    result = run_invoke(repo, "build", **env)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "Build stopped" in result.stderr or "Build stopped" in result.stdout


def test_a_submodule_among_the_policies_is_refused(repo, tmp_path):
    module = repo / "content" / "policies" / "vendor"
    module.mkdir()
    (module / ".git").write_text("gitdir: ../../../.git/modules/vendor\n")
    (module / "id.md").write_text("Title: Lain\n")
    problems = refused(repo / "content", tmp_path / "out", today=TODAY)
    assert problems == [
        f"{module}: is a git submodule (another repository); policy files must be files of "
        "this repository, so copy the texts in instead"
    ]


def test_a_write_that_fails_leaves_no_staging_folder(repo, tmp_path, monkeypatch):
    from pelican.writers import Writer

    from policy_site.commands import run_pelican

    def refuse(*_args, **_kwargs):
        raise OSError(36, "File name too long", "out.staging/x")

    monkeypatch.setattr(Writer, "write_file", refuse)
    monkeypatch.chdir(as_project(repo))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769918400")
    with pytest.raises(SiteError, match="cannot write out.staging/x: File name too long"):
        run_pelican("pelicanconf.py", OUTPUT_PATH=str(tmp_path / "out"))
    assert not (tmp_path / "out.staging").exists()


def another_build_writing(folder):
    """A process that holds the lock of ``folder`` for a second, as a build writing into
    a folder of it does."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; folder = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(folder, fcntl.LOCK_EX); print('writing', flush=True); time.sleep(1)",
            str(folder),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline() == "writing\n"
    return holder


def test_a_build_waits_for_another_writing_beside_its_output(repo, tmp_path, caplog):
    """Two builds into one output (``invoke build`` beside ``invoke preview``, or two
    ``invoke check``) would share its staging folder: the second waits for the first."""
    holder = another_build_writing(tmp_path)
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = build(repo / "content", tmp_path / "out", today=TODAY)
    assert holder.wait(timeout=60) == 0
    assert "Another build is writing beside" in caplog.text
    assert read_page(output, "kebijakan-contoh/").select_one("address.contact")
    assert not (tmp_path / "out.staging").exists()
    build(repo / "content", tmp_path / "again", today=TODAY)  # this process holds no lock


def test_each_run_of_invoke_preview_waits_for_another_build(repo, tmp_path, caplog):
    """``invoke preview`` (Pelican's ``--autoreload``) runs one Pelican again and again."""
    catalogs = {**FIXTURE_POLICY_SITE, "translations_dir": str(FIXTURE_CATALOGS)}
    pelican = fixture_pelican(
        repo / "content", tmp_path / "out", "pelicanconf.py", FIXTURE, catalogs
    )
    pelican.run()
    holder = another_build_writing(tmp_path)
    with caplog.at_level(logging.INFO, logger="policy_site"):
        pelican.run()
    assert holder.wait(timeout=60) == 0
    assert "Another build is writing beside" in caplog.text
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "site"]


@pytest.mark.parametrize("slip", ["text", "catalog", "link in the catalogs"])
def test_a_build_stopped_by_a_problem_lets_other_builds_write(repo, tmp_path, slip):
    """As ``invoke preview`` does, the process goes on after a refused build; a build
    in another process does not wait for it."""
    catalogs = tmp_path / "catalogs"
    shutil.copytree(ROOT / "tests" / "catalogs", catalogs)
    if slip == "text":
        policy = repo / "content" / "policies" / "example" / "id.md"
        policy.write_text(policy.read_text().replace("Kami", "<b>Kami</b>"), encoding="utf-8")
        refused(repo / "content", tmp_path / "out", today=TODAY)
    else:
        if slip == "catalog":
            (catalogs / "en" / "LC_MESSAGES" / "messages.po").write_text('msgid "x\n', "utf-8")
        else:
            (catalogs / "link").symlink_to(catalogs / "en")
        with pytest.raises(SiteError):
            build(repo / "content", tmp_path / "out", today=TODAY, translations_dir=catalogs)
    free = subprocess.run(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys; folder = os.open(sys.argv[1], os.O_RDONLY); "
            "fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)",
            str(tmp_path),
        ],
        check=False,
    )
    assert free.returncode == 0


def test_invoke_preview_waits_for_a_change_after_a_build_that_stops(repo, tmp_path, monkeypatch):
    """A problem is said once per change, not built again and again until it is fixed."""
    from policy_site.commands import rebuild_on_change

    monkeypatch.chdir(as_project(repo))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769918400")
    policy = repo / "content" / "policies" / "example" / "id.md"
    written = policy.read_text(encoding="utf-8")
    policy.write_text(written.replace("Kami", "<b>Kami</b>"), encoding="utf-8")
    said = []

    def wait(settings_file, _settings):
        said.append(f"waited for {settings_file}")
        if len(said) == 3:
            raise KeyboardInterrupt  # the editor stops the preview
        policy.write_text(written, encoding="utf-8")  # the fix

    with pytest.raises(KeyboardInterrupt):
        rebuild_on_change("pelicanconf.py", lambda error: said.append(str(error)), wait)
    assert "raw HTML ('<b…') is not allowed" in said[0]
    assert said[1:] == ["waited for pelicanconf.py"] * 2
    assert read_page(repo / "output", "kebijakan-contoh/").select_one("address.contact")


def test_invoke_preview_says_a_broken_settings_file_and_goes_on(repo, monkeypatch):
    """A half-written settings file is a message, not the end of the preview."""
    from policy_site.commands import rebuild_on_change

    project = as_project(repo)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1769918400")
    settings = project / "pelicanconf.py"
    written = settings.read_text(encoding="utf-8")
    settings.write_text(written + "\nBROKEN = (\n", encoding="utf-8")
    said = []

    def wait(settings_file, _settings):
        said.append("waited")
        if len(said) == 3:
            raise KeyboardInterrupt
        settings.write_text(written, encoding="utf-8")

    with pytest.raises(KeyboardInterrupt):
        rebuild_on_change("pelicanconf.py", lambda error: said.append(str(error)), wait)
    assert said[0].startswith(f"{settings}:") and "SyntaxError: " in said[0]
    assert said[1:] == ["waited", "waited"]
    assert (project / "output" / "index.html").is_file()


def test_invoke_preview_builds_again_when_a_catalog_changes(repo, monkeypatch):
    """Translators' changes show in the preview too (Pelican's own watch misses them)."""
    import threading
    import time

    from pelican.settings import read_settings

    from policy_site.commands import _Changes

    monkeypatch.chdir(as_project(repo))
    settings = read_settings("pelicanconf.py")
    seen = []
    watcher = threading.Thread(
        target=lambda: seen.append(_Changes()("pelicanconf.py", settings)), daemon=True
    )
    watcher.start()
    catalog = repo / "translations" / "en" / "LC_MESSAGES" / "messages.po"
    for _attempt in range(50):  # until the watch has begun
        catalog.write_text(catalog.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        watcher.join(0.2)
        if seen:
            break
        time.sleep(0.1)
    assert seen and str(catalog) in {path for _change, path in seen[0]}


def _identities(folder):
    return {
        str(p.relative_to(folder)): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_a_rebuild_that_changes_nothing_leaves_the_output_as_it_is(repo, tmp_path, caplog):
    """With the cache, which records the site a build of the same code checked."""
    cached = {"policy_site": {"cache": True}, "CACHE_PATH": str(tmp_path / "cache")}
    output = build(repo / "content", tmp_path / "out", today=TODAY, **cached)
    before, folder = _identities(output), output.stat().st_ino
    with caplog.at_level(logging.INFO, logger="policy_site"):
        build(repo / "content", output, today=TODAY, **cached)
    assert "Nothing to change" in caplog.text
    assert _identities(output) == before  # not one file written again
    assert output.stat().st_ino == folder  # nor the folder swapped
    assert sorted(path.name for path in tmp_path.iterdir()) == ["cache", "out", "site"]
    build(repo / "content", output, today=TODAY)  # no cache, no record: checked again
    assert output.stat().st_ino != folder  # a staged site, checked and swapped in
    assert _identities(output) == before  # of the very files


@pytest.mark.parametrize("slip", ["changed", "added", "removed", "linked"])
def test_an_output_changed_by_hand_is_built_again_whole(repo, tmp_path, slip):
    output = build(repo / "content", tmp_path / "out", today=TODAY)
    expected = snapshot(output)
    page = output / "kebijakan-contoh" / "index.html"
    if slip == "changed":
        page.write_text("<p>changed by hand</p>", encoding="utf-8")
    elif slip == "added":
        (output / "notes.txt").write_text("a file of someone's", encoding="utf-8")
    elif slip == "removed":
        page.unlink()
    else:  # the very bytes, but through a link to a file outside the output
        (tmp_path / "elsewhere.html").write_bytes(page.read_bytes())
        page.unlink()
        page.symlink_to(tmp_path / "elsewhere.html")
    build(repo / "content", output, today=TODAY)
    assert snapshot(output) == expected
    assert not any(path.is_symlink() for path in output.rglob("*"))


def test_a_build_cut_short_leaves_nothing_kept_for_the_next(tmp_path):
    """As in the preview, where every rebuild uses the one staging folder: what a failed
    build kept from the output does not go into the next build's site."""
    final, staging = tmp_path / "out", f"{tmp_path / 'out'}{atomic_output.STAGING}"
    final.mkdir()
    (final / "gone.html").write_text("<p>a page the next build no longer makes</p>")
    (final / "index.html").write_text("<!DOCTYPE html><title>Home</title><p>Home</p>")
    kept = atomic_output.begin(staging)
    assert kept.keep_if_same("gone.html", (final / "gone.html").read_bytes())
    # the build stops here; the next one makes only index.html, with new bytes
    atomic_output.begin(staging)
    os.makedirs(staging)
    new = "<!DOCTYPE html><title>Home</title><p>New</p>"
    Path(staging, "index.html").write_text(new)
    pelican = types.SimpleNamespace(output_path=staging, settings={"SITEURL": ""})
    atomic_output.check_and_swap(pelican)
    assert snapshot(final) == {"index.html": new.encode()}

"""The build's cache of rendered texts and redlines: the same bytes with it as without
it, whatever changed between two builds; and a cache that is missing, stale, corrupt or
not the build's own is not trusted."""

import hashlib
import json
import logging
import os
import shutil
import time
from pathlib import Path

import pytest

from policy_site import cache as cache_module
from policy_site import cache_pack, output_checks, outputs, rendering
from policy_site.cache_pack import NewPack, Pack
from policy_site.errors import PolicyBuildError
from policy_site.page_reuse import RECORD
from tests.sites import (
    FIXTURE_CATALOGS,
    POLICY_EN,
    POLICY_ID,
    ROOT,
    build,
    commit_policies,
    git,
    git_init,
    new_version,
    project_settings,
    snapshot,
)

TODAY = "2026-02-05"
WITH_CACHE = {"cache": True}


def two_versions(repo):
    commit_policies(
        repo,
        {
            "example/id.md": new_version(
                POLICY_ID, "1.1", "2026-02-01", **{"nama dan": "nama, alamat dan"}
            ),
            "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01"),
        },
        date="2026-01-20T10:00:00+07:00",
    )
    return repo


def cached_build(repo, output, cache, today=TODAY, **options):
    return build(
        repo / "content",
        output,
        today=today,
        policy_site=WITH_CACHE,
        CACHE_PATH=str(cache),
        **options,
    )


def entries(cache):
    """The names of the cache's entries (texts and redlines), in the packs of every
    fingerprint; not the records of the pages and of the site checked."""
    return sorted(name for pack in packs(cache) for name in Pack(pack).index)


def packs(cache):
    return sorted((cache / "policy_site").glob(f"*/{cache_module.PACK}"))


def rewrite(pack, change):
    """Write ``pack`` again with each entry's bytes as ``change(bytes)`` gives them."""
    before, after = Pack(pack), NewPack(pack)
    for name in sorted(before.index):
        after.add(name, change(before.get(name)))
    after.save(before, ())


def test_a_build_with_the_cache_writes_the_same_bytes_as_one_without(repo, tmp_path, caplog):
    two_versions(repo)
    cache = tmp_path / "cache"
    without = snapshot(build(repo / "content", tmp_path / "plain", today=TODAY))
    cold = snapshot(cached_build(repo, tmp_path / "cold", cache))
    made = entries(cache)
    # four texts; two redlines (in each language 1.1's changes are 1.0's compare page);
    # one redline for each change a section's history shows
    sections = sum(data.count(b'class="section-change ') for data in cold.values())
    assert sections >= 4  # in each language, both sections added in 1.0
    assert len(made) == 4 + 2 + sections
    with caplog.at_level(logging.INFO, logger="policy_site"):
        warm = snapshot(cached_build(repo, tmp_path / "warm", cache))
    pages = sum(name.endswith(".html") for name in cold)
    # into another folder: no page of the build before to take
    assert f"Cache: {len(made)} texts, redlines and PDFs reused, 0 made; 0 of {pages}" in (
        caplog.text
    )
    assert without == cold == warm


def test_a_rebuild_takes_the_pages_whose_model_did_not_change(repo, tmp_path, caplog):
    output, cache = tmp_path / "out", tmp_path / "cache"
    cached_build(repo, output, cache)
    pages = sorted(name for name in snapshot(output) if name.endswith(".html"))
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="policy_site"):
        cached_build(repo, output, cache)
    assert f"; {len(pages)} of {len(pages)} pages as the build before wrote them" in caplog.text
    two_versions(repo)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="policy_site"):
        new = snapshot(cached_build(repo, output, cache))
    reused = int(caplog.text.split("; ")[1].split(" of ")[0])
    assert 0 < reused < len(pages)  # a legal page stays; the current page shows 1.1
    assert new == snapshot(build(repo / "content", tmp_path / "fresh", today=TODAY))


def test_a_new_pack_keeps_the_entries_the_build_used(repo, tmp_path, caplog):
    cache = tmp_path / "cache"
    two_versions(repo)
    cached_build(repo, tmp_path / "first", cache)
    commit_policies(
        repo,
        {"example/en.md": new_version(POLICY_EN, "1.2", "2026-02-03", **{"Opening": "First"})},
        date="2026-01-25T10:00:00+07:00",
    )
    cached_build(repo, tmp_path / "second", cache)  # makes the new text and its redlines
    made = entries(cache)
    with caplog.at_level(logging.INFO, logger="policy_site"):
        cached_build(repo, tmp_path / "third", cache)
    assert f"Cache: {len(made)} texts, redlines and PDFs reused, 0 made" in caplog.text


def test_a_build_stopped_at_a_problem_keeps_every_entry(repo, tmp_path):
    """What it made (the texts before the problem was found) serves the build after the
    fix, and what the build before made stays for it too."""
    cache = tmp_path / "cache"
    two_versions(repo)
    cached_build(repo, tmp_path / "first", cache)
    before = set(entries(cache))
    broken = new_version(POLICY_EN, "1.2", "2026-02-03", **{"Opening text": "See [it](#nope)"})
    commit_policies(repo, {"example/en.md": broken}, date="2026-01-25T10:00:00+07:00")
    with pytest.raises(PolicyBuildError, match="#nope"):
        cached_build(repo, tmp_path / "second", cache)
    after = set(entries(cache))
    assert before < after  # the redlines the stopped build never asked for are kept


def test_a_rebuild_that_takes_its_pages_from_the_output_keeps_their_redlines(
    repo, tmp_path, caplog
):
    """Taking a page, it asks for none of the page's redlines; a build into an empty
    output (or a change to every page) needs them."""
    cache, output = tmp_path / "cache", tmp_path / "out"
    two_versions(repo)
    cached_build(repo, output, cache)
    cached_build(repo, output, cache)  # every page taken from the output
    commit_policies(
        repo,
        {"example/en.md": new_version(POLICY_EN, "1.2", "2026-02-03", **{"Opening": "First"})},
        date="2026-01-25T10:00:00+07:00",
    )
    cached_build(repo, output, cache)  # a new pack: what it made, and what it kept
    made = entries(cache)
    with caplog.at_level(logging.INFO, logger="policy_site"):
        cached_build(repo, tmp_path / "empty", cache)
    assert f"Cache: {len(made)} texts, redlines and PDFs reused, 0 made" in caplog.text


def test_an_entry_no_build_used_for_thirty_days_leaves_the_pack(repo, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    two_versions(repo)
    cached_build(repo, tmp_path / "first", cache)
    edit = new_version(POLICY_EN, "1.2", "2026-02-20", **{"Opening": "Words"})
    (repo / "content" / "policies" / "example" / "en.md").write_text(edit, encoding="utf-8")
    cached_build(repo, tmp_path / "edited", cache)  # an edit, built, then undone
    edited = set(entries(cache))
    git(repo, "checkout", "--", ".")
    later = time.time() + (cache_pack.UNUSED_DAYS + 1) * 86400
    monkeypatch.setattr(cache_pack.time, "time", lambda: later)
    commit_policies(
        repo,
        {"example/en.md": new_version(POLICY_EN, "1.2", "2026-02-03", **{"Opening": "First"})},
        date="2026-01-25T10:00:00+07:00",
    )
    cached_build(repo, tmp_path / "later", cache)
    now = set(entries(cache))
    assert edited - now  # the edited text and its redlines
    assert now - edited  # the new version's


def test_a_rebuild_checks_again_exactly_the_pages_whose_bytes_changed(repo, tmp_path, monkeypatch):
    """The links and ids of a page checked before are known by its bytes' digest."""
    output, cache = tmp_path / "out", tmp_path / "cache"
    cached_build(repo, output, cache)
    before = snapshot(output)
    two_versions(repo)
    read, original = [], output_checks._read
    monkeypatch.setattr(
        output_checks, "_read", lambda data, ids: read.append(data) or original(data, ids)
    )
    after = snapshot(cached_build(repo, output, cache))
    changed = [data for name, data in after.items() if name.endswith(".html")]
    changed = [data for data in changed if data not in before.values()]
    assert changed and sorted(read) == sorted(changed)


def test_a_page_changed_or_linked_in_the_output_is_rendered_again(repo, tmp_path):
    output, cache = tmp_path / "out", tmp_path / "cache"
    expected = snapshot(cached_build(repo, output, cache))
    pages = sorted(name for name in expected if name.endswith(".html"))
    (output / pages[0]).write_text("<p>changed by hand</p>", encoding="utf-8")
    hostile = b"<p><img src=x onerror=alert(1)></p>"
    elsewhere = tmp_path / "elsewhere.html"
    elsewhere.write_bytes(hostile)
    (output / pages[1]).unlink()
    (output / pages[1]).symlink_to(elsewhere)
    (record,) = (cache / "policy_site").rglob(RECORD)  # made to vouch for the linked bytes
    pages_record = json.loads(record.read_text())
    pages_record[pages[1]][1] = hashlib.sha256(hostile).hexdigest()
    record.write_text(json.dumps(pages_record))
    assert snapshot(cached_build(repo, output, cache)) == expected


def test_a_rebuild_keeps_the_files_that_did_not_change(repo, tmp_path):
    output = cached_build(repo, tmp_path / "out", tmp_path / "cache")
    before, old = _files(output), snapshot(output)
    two_versions(repo)
    cached_build(repo, output, tmp_path / "cache")
    after, new = _files(output), snapshot(output)
    both = before.keys() & after.keys()
    kept = {name for name in both if before[name].st_ino == after[name].st_ino}
    assert kept == {name for name in both if old[name] == new[name]}
    assert kept and both - kept  # the assets stay; the current page shows version 1.1
    assert all(before[name].st_mtime_ns == after[name].st_mtime_ns for name in kept)
    assert new == snapshot(build(repo / "content", tmp_path / "fresh", today=TODAY))


def _files(folder):
    return {str(p.relative_to(folder)): p.stat() for p in folder.rglob("*") if p.is_file()}


def _edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


LINKED_EN = POLICY_EN.replace(  # a site link, which a rendered text holds with SITEURL
    "Opening text of the policy.", "Opening text; [the original](/kebijakan-contoh/)."
)


def test_whatever_changes_between_cached_builds_a_fresh_build_agrees(tmp_path, monkeypatch):
    """Settings, a template, a catalog, the code, the content, the build date: each
    changed in turn between two builds with the cache into one output folder (whose pages
    a build takes where their model did not change), and each time the same bytes as a
    build without."""
    repo = git_init(tmp_path / "site")
    commit_policies(repo, {"example/id.md": POLICY_ID, "example/en.md": LINKED_EN})
    settings = {"THEME": str(tmp_path / "theme"), "today": TODAY}
    catalogs = tmp_path / "catalogs"
    cache, output = tmp_path / "cache", tmp_path / "cached"
    changes = _changes(repo, settings, catalogs, tmp_path / "code", monkeypatch)
    last = snapshot(cached_build(repo, output, cache, translations_dir=str(catalogs)))
    for number, (change, make) in enumerate(changes.items()):
        make()
        options = {"translations_dir": str(catalogs), **settings}
        cached = snapshot(cached_build(repo, output, cache, **options))
        fresh = snapshot(build(repo / "content", tmp_path / f"fresh-{number}", **options))
        assert cached != last, f"{change}: the change shows nowhere"
        assert cached == fresh, f"{change}: the cached build differs from a fresh one"
        last = cached


def _changes(repo, settings, catalogs, code, monkeypatch):
    """Each kind of input's change, on copies of the theme, catalogs and code."""
    theme = Path(settings["THEME"])
    shutil.copytree(ROOT / "theme", theme)
    shutil.copytree(FIXTURE_CATALOGS, catalogs, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(cache_module.CODE, code, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache_module, "CODE", code)
    first_sentence = rendering._first_sentence

    def code_change():  # what the code does, and its files' bytes
        monkeypatch.setattr(rendering, "_first_sentence", lambda root: first_sentence(root)[::-1])
        _edit(code / "rendering.py", '"""', '"""Changed. ')

    jinja = project_settings()["JINJA_ENVIRONMENT"]
    return {
        "a setting a rendered text shows": lambda: settings.update(
            SITEURL="https://policies.example"
        ),
        "a setting of the templates": lambda: settings.update(
            JINJA_ENVIRONMENT={**jinja, "trim_blocks": False, "lstrip_blocks": False}
        ),
        "a template of pages": lambda: _edit(theme / "templates" / "base.html", "<body", "<body "),
        "a template of rendered texts": lambda: _edit(
            theme / "templates" / "partials" / "contact.html",
            "{% if not loop.first %} / ",
            "{% if not loop.first %}, ",
        ),
        "a catalog": lambda: _edit(
            catalogs / "id" / "LC_MESSAGES" / "messages.po",
            'msgstr "Tautan ke bagian ini: %(title)s"',
            'msgstr "Tautan ke bagian: %(title)s"',
        ),
        "the code": code_change,
        "the content": lambda: commit_policies(
            repo,
            {"example/en.md": new_version(LINKED_EN, "1.1", "2026-02-01")},
            date="2026-01-20T10:00:00+07:00",
        ),
        "the build date": lambda: settings.update(today="2026-01-25"),  # 1.1 is upcoming
    }


def test_a_corrupt_entry_is_made_again(repo, tmp_path, caplog):
    two_versions(repo)
    cache = tmp_path / "cache"
    expected = snapshot(cached_build(repo, tmp_path / "first", cache))
    bad = [b"{not json", json.dumps({"html": "<script>alert(1)</script>"}).encode(), b"\xff\xfe"]
    (pack,) = packs(cache)
    rewrite(pack, lambda data: bad.pop(0) if bad else data)
    # and one entry's bytes changed in place, still JSON: not the bytes its index names
    data = pack.read_bytes()
    place = data.index(b"Opening text") if b"Opening text" in data else data.index(b"Teks")
    pack.write_bytes(data[:place] + data[place:].replace(b"e", b"E", 1))
    with caplog.at_level(logging.INFO, logger="policy_site"):
        again = snapshot(cached_build(repo, tmp_path / "again", cache))
    assert again == expected
    assert "redlines and PDFs reused, 4 made" in caplog.text


def test_a_pack_cut_short_holds_nothing(repo, tmp_path, caplog):
    cache = tmp_path / "cache"
    expected = snapshot(cached_build(repo, tmp_path / "first", cache))
    made = len(entries(cache))
    (pack,) = packs(cache)
    pack.write_bytes(pack.read_bytes()[:-1])
    with caplog.at_level(logging.INFO, logger="policy_site"):
        again = snapshot(cached_build(repo, tmp_path / "again", cache))
    assert again == expected
    assert f"redlines and PDFs reused, {made} made" in caplog.text
    assert len(entries(cache)) == made  # a whole pack again


def test_entries_of_code_and_settings_long_unused_are_forgotten(repo, tmp_path):
    cache = tmp_path / "cache"
    cached_build(repo, tmp_path / "first", cache)
    own = next((cache / "policy_site").iterdir())
    stale = [cache / "policy_site" / (str(number) * 32) for number in range(5)]
    for age, folder in enumerate(stale, start=1):
        folder.mkdir()
        (folder / "old.json").write_text("{}")
        os.utime(folder, (own.stat().st_mtime - 100 * age,) * 2)
    made = _written(cache)
    cached_build(repo, tmp_path / "again", cache)
    kept = set((cache / "policy_site").iterdir())
    assert kept == {own, *stale[: cache_module.KEPT - 1]}  # the newest others stay
    assert _written(cache) == made


def _written(cache):
    """When and as which file each pack was written."""
    return {pack: (pack.stat().st_ino, pack.stat().st_mtime_ns) for pack in packs(cache)}


def test_a_pack_a_stopped_build_began_is_removed_after_an_hour(repo, tmp_path):
    cache = tmp_path / "cache"
    cached_build(repo, tmp_path / "first", cache)
    (pack,) = packs(cache)
    begun = {age: pack.with_name(f".{pack.name}.{age}") for age in (60, 7200)}
    for age, path in begun.items():
        path.write_bytes(b"half a pack")
        os.utime(path, (pack.stat().st_mtime - age,) * 2)
    cached_build(repo, tmp_path / "again", cache)
    assert [path.exists() for path in begun.values()] == [True, False]  # perhaps still at work


def test_a_build_with_other_settings_between_two_builds_leaves_their_cache(repo, tmp_path):
    """As ``invoke check`` between two ``invoke build``: its settings differ."""
    cache = tmp_path / "cache"
    cached_build(repo, tmp_path / "first", cache)
    cached_build(repo, tmp_path / "other", cache, SITEURL="https://policies.example")
    made = _written(cache)
    assert len(made) == 2
    cached_build(repo, tmp_path / "again", cache)
    assert _written(cache) == made  # none made, no pack written again


@pytest.mark.parametrize("linked", ["pack", "folder"])
def test_a_link_inside_the_cache_is_neither_read_nor_written_through(repo, tmp_path, linked):
    cache = tmp_path / "cache"
    expected = snapshot(cached_build(repo, tmp_path / "first", cache))
    (pack,) = packs(cache)
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(pack.parent, elsewhere)
    rewrite(elsewhere / pack.name, _injected)  # what a link would bring in
    begun = elsewhere / f".{pack.name}.0"  # as a stopped build leaves, long ago
    begun.write_bytes(b"half a pack")
    os.utime(begun, (1, 1))
    before = snapshot(elsewhere)
    if linked == "pack":
        pack.unlink()
        pack.symlink_to(elsewhere / pack.name)
    else:
        shutil.rmtree(pack.parent)
        pack.parent.symlink_to(elsewhere, target_is_directory=True)
    assert snapshot(cached_build(repo, tmp_path / "again", cache)) == expected
    assert snapshot(elsewhere) == before  # nothing written there either


def _injected(data):
    """An entry's bytes with markup a page must never show."""
    value = json.loads(data)
    if "html" in value:
        value["html"] = value["html"].replace("</p>", "<img src=x onerror=alert(1)></p>", 1)
    return json.dumps(value).encode()


def test_a_cache_that_git_tracks_is_not_read(repo, tmp_path, caplog):
    cache = repo / "cache"
    cached_build(repo, tmp_path / "first", cache)
    for pack in packs(cache):  # every entry made to inject markup
        rewrite(pack, _injected)
    git(repo, "add", "-f", "cache")
    git(repo, "commit", "-q", "-m", "A cache committed by mistake")
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = cached_build(repo, tmp_path / "second", cache)
    assert "Not using the cache" in caplog.text and "git tracks it" in caplog.text
    assert b"onerror" not in b"".join(snapshot(output).values())


def test_a_publishing_build_reads_no_cache(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://legal.example.id")
    cache = tmp_path / "cache"
    build(
        repo / "content",
        tmp_path / "out",
        today=TODAY,
        settings_file="publishconf.py",
        policy_site=WITH_CACHE,
        CACHE_PATH=str(cache),
    )
    assert not (cache / "policy_site").exists()


def test_a_template_edited_during_a_build_leaves_no_record(repo, tmp_path, monkeypatch):
    """As in the preview: what was made with the edited template (pages, and perhaps
    texts and redlines) is not recorded under the fingerprint of the template before."""
    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    render = outputs.Outputs._render

    def editing(self, page, name):
        _edit(theme / "templates" / "base.html", "<body", "<body ")
        monkeypatch.setattr(outputs.Outputs, "_render", render)
        return render(self, page, name)

    monkeypatch.setattr(outputs.Outputs, "_render", editing)
    cached_build(repo, tmp_path / "out", tmp_path / "cache", THEME=str(theme))
    assert (tmp_path / "cache" / "policy_site").is_dir()
    assert not entries(tmp_path / "cache")  # texts and redlines neither
    assert not list((tmp_path / "cache").rglob(RECORD))
    assert not list((tmp_path / "cache").rglob(outputs.CHECKED))

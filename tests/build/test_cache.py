"""The build's cache of rendered texts and redlines: the same bytes with it as without
it, and a cache that is missing, stale, corrupt or not the build's own is not trusted."""

import json
import logging

from tests.sites import POLICY_EN, POLICY_ID, build, commit_policies, git, new_version, snapshot

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


def cached_build(repo, output, cache):
    return build(
        repo / "content", output, today=TODAY, policy_site=WITH_CACHE, CACHE_PATH=str(cache)
    )


def entries(cache):
    return sorted((cache / "policy_site").rglob("*.json"))


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
    assert len([entry for entry in made if "/page/" not in str(entry)]) == 4 + 2 + sections
    pages = len([path for path in cold if path.endswith(".html")])
    assert len(made) == 4 + 2 + sections + pages
    with caplog.at_level(logging.INFO, logger="policy_site"):
        warm = snapshot(cached_build(repo, tmp_path / "warm", cache))
    # the pages come from the cache whole, so their redlines are not even looked up
    assert f"Cache: {4 + pages} texts, redlines and pages reused, 0 made" in caplog.text
    assert without == cold == warm


def test_a_corrupt_entry_is_made_again(repo, tmp_path, caplog):
    two_versions(repo)
    cache = tmp_path / "cache"
    expected = snapshot(cached_build(repo, tmp_path / "first", cache))
    broken = entries(cache)[:3]
    broken[0].write_text("{not json")
    broken[1].write_text(json.dumps({"html": "<script>alert(1)</script>"}))
    broken[2].write_bytes(b"\\xff\\xfe")
    with caplog.at_level(logging.INFO, logger="policy_site"):
        again = snapshot(cached_build(repo, tmp_path / "again", cache))
    assert again == expected
    assert "redlines and pages reused, 3 made" in caplog.text


def test_entries_of_other_code_are_forgotten(repo, tmp_path):
    cache = tmp_path / "cache"
    cached_build(repo, tmp_path / "first", cache)
    stale = cache / "policy_site" / ("0" * 32)
    stale.mkdir()
    (stale / "old.json").write_text("{}")
    cached_build(repo, tmp_path / "again", cache)
    assert not stale.exists()
    assert len(list((cache / "policy_site").iterdir())) == 1


def test_a_cache_that_git_tracks_is_not_read(repo, tmp_path, caplog):
    cache = repo / "cache"
    cached_build(repo, tmp_path / "first", cache)
    for entry in entries(cache):  # every entry made to inject markup
        value = json.loads(entry.read_text())
        if isinstance(value, str):
            value = value.replace("</p>", "<img src=x onerror=alert(1)></p>", 1)
        elif "html" in value:
            value["html"] = value["html"].replace("</p>", "<img src=x onerror=alert(1)></p>", 1)
        entry.write_text(json.dumps(value))
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

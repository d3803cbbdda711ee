"""The version archive, built from throwaway git histories in ``tmp_path``."""

import hashlib
import json
import logging
import re
import shutil

import pytest

from policy_site.errors import PolicyBuildError
from tests.sites import (
    POLICY_EN,
    POLICY_ID,
    ROOT,
    both,
    build,
    commit_policies,
    copy_translations,
    epoch,
    example_repo,
    git,
    git_init,
    new_version,
    read_page,
    ui,
    write_policies,
)


@pytest.fixture
def three_versions(repo):
    return with_three_versions(repo)


def with_three_versions(repo):
    """Versions 1.0 (in the fixture), 1.1 and 1.2 of both languages."""
    commit_policies(
        repo,
        both("1.1", "2026-02-01", **{"nama dan": "nama, alamat dan"}),
        date="2026-01-20T10:00:00+07:00",
    )
    commit_policies(
        repo,
        both("1.2", "2026-03-01", **{"Hubungi Kami": "Silakan hubungi Kami"}),
        date="2026-02-20T10:00:00+07:00",
    )
    return repo


@pytest.fixture(scope="module")
def three_built(tmp_path_factory):
    """The site of ``three_versions`` built on 2026-03-05, when 1.2 is in effect; once, for
    the tests that only read it."""
    folder = tmp_path_factory.mktemp("three")
    repo = with_three_versions(example_repo(folder))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
        return build(repo / "content", folder / "out")


def test_every_version_has_its_page_and_the_archive_lists_them_newest_first(three_built):
    output = three_built
    archive = read_page(output, "kebijakan-contoh/versi/")
    entries = archive.select(".version-entry")
    assert [e.h2.a.get_text() for e in entries] == ["Versi 1.2", "Versi 1.1", "Versi 1.0"]
    assert [e.select_one(".summary").get_text() for e in entries] == [
        "Ringkasan 1.2.",
        "Ringkasan 1.1.",
        "Versi pertama.",
    ]
    assert entries[0].time.get_text() == "1 Maret 2026"
    assert [e.select_one(".version-status").get_text() for e in entries] == [
        "berlaku",
        "tidak berlaku lagi",
        "tidak berlaku lagi",
    ]
    for number in ("1.0", "1.1", "1.2"):
        page = read_page(output, f"en/example-policy/versions/{number}/")
        assert page.select_one(".version-facts dd").get_text() == number
    current = read_page(output, "kebijakan-contoh/")
    assert "Silakan hubungi Kami" in current.select_one(".policy-text").get_text()


def test_an_old_version_says_so_and_links_the_current_one(three_built):
    output = three_built
    page = read_page(output, "kebijakan-contoh/versi/1.0/")
    notice = page.select_one(".notice-archived")
    assert "Ini versi 1.0. Versi ini berlaku sejak 15 Januari 2026 sampai 31 Januari 2026" in (
        " ".join(notice.get_text().split())
    )
    assert notice.select_one("a[href='/kebijakan-contoh/versi/1.1/']").get_text() == "1.1"
    current = notice.select_one("a[data-keep-section]")
    assert current["href"] == "/kebijakan-contoh/"
    assert [a["href"] for a in page.select("address.contact a")][0] == "mailto:support@espay.id"
    assert [h["id"] for h in page.select(".policy-text h2")] == ["data-collection", "contact"]
    assert read_page(output, "kebijakan-contoh/").select_one(".notice-archived") is None


def test_every_version_page_says_its_period(three_built):
    """Superseded: from when to when, and by which version (tested above); in effect: since
    when; upcoming: from when, and which version applies until then."""
    current = read_page(three_built, "en/example-policy/versions/1.2/").select_one(
        ".notice-current"
    )
    assert ui(
        "en",
        "This is version %(version)s, in force since %(date)s. This address will "
        "always show this version.",
        version="1.2",
        date="1 March 2026",
    ) == " ".join(current.get_text().split()).removesuffix(
        " " + ui("en", "Always show the version in effect")
    )


def test_a_translation_says_first_which_text_prevails(three_built):
    page = read_page(three_built, "en/example-policy/versions/1.0/")
    kinds = [notice["class"][1] for notice in page.select("aside.notice")]
    assert kinds[:2] == ["notice-translation", "notice-archived"]


def test_redline_marks_words_inside_their_blocks_and_lists_changed_sections(three_built):
    output = three_built
    page = read_page(output, "kebijakan-contoh/versi/1.1/perubahan/")
    redline = page.select_one(".redline")
    deleted, inserted = redline.select("del"), redline.select("ins")
    assert [d.get_text() for d in deleted] == ["[dihapus: nama akhir penghapusan]"]
    assert [i.get_text() for i in inserted] == ["[ditambahkan: nama, alamat akhir penambahan]"]
    assert all(mark.parent.name == "p" for mark in deleted + inserted)
    for hidden in redline.select("del, .visually-hidden"):
        hidden.decompose()
    assert "Kami mengumpulkan nama, alamat dan alamat e-mail Anda." in redline.get_text()
    assert [a["href"] for a in page.select(".changed-sections a")] == ["#data-collection"]
    changes_12 = read_page(output, "en/example-policy/versions/1.2/changes/")
    assert "The English text did not change between version 1.1 and version 1.2." in (
        changes_12.select_one(".notice-unchanged").get_text()
    )
    assert not (output / "kebijakan-contoh/versi/1.0/perubahan").exists()


def test_upcoming_version_is_announced_and_becomes_current_on_its_date(
    three_versions, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-02-28"))
    before = build(three_versions / "content", tmp_path / "before")
    current = read_page(before, "en/example-policy/")
    assert current.select_one(".version-facts dd").get_text() == "1.1"
    banner = current.select_one(".notice-upcoming")
    assert "Version 1.2 takes effect on 1 March 2026." in banner.get_text()
    assert [a["href"] for a in banner.select("a")] == [
        "/en/example-policy/versions/1.2/",
        "/en/example-policy/versions/1.2/changes/",
    ]
    upcoming = read_page(before, "en/example-policy/versions/1.2/")
    assert "Until then, version 1.1 applies." in upcoming.select_one(".notice-upcoming").get_text()

    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-01"))
    after = build(three_versions / "content", tmp_path / "after")
    current = read_page(after, "en/example-policy/")
    assert current.select_one(".version-facts dd").get_text() == "1.2"
    assert current.select_one(".notice-upcoming") is None


def test_lagging_translation_says_which_version_it_translates(repo, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
    commit_policies(repo, {"example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01")})
    with caplog.at_level(logging.INFO, logger="policy_site"):
        output = build(repo / "content", tmp_path / "out")
    assert "The en text of 'example' translates version 1.0; the id original is at 1.1" in (
        caplog.text
    )
    english = read_page(output, "en/example-policy/")
    lag = english.select_one(".notice-lag")
    assert "This translation is of version 1.0. The Indonesian text is at version 1.1." in (
        lag.get_text()
    )
    assert lag.a["href"] == "/kebijakan-contoh/"
    version_page = read_page(output, "kebijakan-contoh/versi/1.1/")
    switch = version_page.select_one(".language-switcher a[hreflang=en]")
    assert switch["href"] == "/en/example-policy/versions/"
    assert "versi ini belum diterjemahkan" in switch.get_text()
    index = json.loads((output / "versions.json").read_text())
    english_index = index["policies"]["example"]["languages"]["en"]
    assert english_index["translates_version"] == "1.0"
    assert index["policies"]["example"]["languages"]["id"]["current"] == "1.1"


def test_version_pages_switch_language_to_the_same_version(three_built):
    output = three_built
    page = read_page(output, "kebijakan-contoh/versi/1.1/")
    assert page.select_one(".language-switcher a[hreflang=en]")["href"] == (
        "/en/example-policy/versions/1.1/"
    )
    changes = read_page(output, "en/example-policy/versions/1.2/changes/")
    assert changes.select_one(".language-switcher a[hreflang=id]")["href"] == (
        "/kebijakan-contoh/versi/1.2/perubahan/"
    )


NO_PDF = {"pdf_url": None, "pdf_sha256": None, "pdf_bytes": None}


def test_versions_json_and_feeds_describe_every_version(three_versions, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-02-10"))
    output = build(three_versions / "content", tmp_path / "out")
    index = json.loads((output / "versions.json").read_text())
    assert (index["format"], index["generated"]) == (1, "2026-02-10T12:00:00+07:00")
    indonesian = index["policies"]["example"]["languages"]["id"]
    assert indonesian["current"] == "1.1"
    assert indonesian["upcoming"] == ["1.2"]
    newest = indonesian["versions"][0]
    head = git(three_versions, "rev-parse", "HEAD").strip()
    assert newest == {
        "version": "1.2",
        "effective": "2026-03-01",
        "summary": "Ringkasan 1.2.",
        "change": "material",
        "status": "upcoming",
        "draft": False,
        "url": "/kebijakan-contoh/versi/1.2/",
        "changes_url": "/kebijakan-contoh/versi/1.2/perubahan/",
        "compare_url": None,
        "published": "2026-02-20",
        "in_force_until": None,
        "never_in_force": False,
        "replaced_by": None,
        "published_after_effective": False,
        "commit": head,
        "committed": "2026-02-20T03:00:00+00:00",
        "sha256": newest["sha256"],
        "changed_after_effective": False,
        "revisions": [
            {
                "revision": 1,
                "path": "content/policies/example/id.md",
                "commit": head,
                "committed": "2026-02-20T03:00:00+00:00",
                "sha256": newest["sha256"],
                "changes_url": None,
                **NO_PDF,
            }
        ],
        **NO_PDF,  # a fixture site makes PDFs only when a test asks (tests/build/test_pdf.py)
    }
    first = indonesian["versions"][2]
    assert (first["status"], first["in_force_until"]) == ("superseded", "2026-01-31")
    assert first["compare_url"] == "/kebijakan-contoh/versi/1.0/bandingkan/"
    blob = git(three_versions, "show", "HEAD:content/policies/example/id.md").encode()
    assert newest["sha256"] == hashlib.sha256(blob).hexdigest()


def test_an_editorial_change_is_marked_for_readers_and_apps(repo, tmp_path):
    """``Change: editorial`` in the text that prevails marks the version in every language."""
    files = both("1.1", "2026-02-01")
    files["example/id.md"] = files["example/id.md"].replace(
        "Summary: Ringkasan 1.1.", "Summary: Ringkasan 1.1.\nChange: editorial"
    )
    commit_policies(repo, files, date="2026-01-20T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-05")
    index = json.loads((output / "versions.json").read_text())
    for language in index["policies"]["example"]["languages"].values():
        kinds = {v["version"]: v["change"] for v in language["versions"]}
        assert kinds == {"1.1": "editorial", "1.0": "material"}
    label = ui("en", "Editorial change: spelling or layout only; nothing of substance changed")
    archive = read_page(output, "en/example-policy/versions/")
    assert [e.select_one(".change-kind") is not None for e in archive.select(".version-entry")] == [
        True,
        False,
    ]
    assert label in archive.get_text()
    page = read_page(output, "en/example-policy/versions/1.1/")
    assert page.select_one(".version-facts .change-kind").get_text() == label
    assert (
        "Access-Control-Allow-Origin: *"
        in (output / "_headers").read_text().split("/versions.json\n")[1]
    )
    changed_materially = readme_function("changed_materially")
    assert not changed_materially(index, "example", "en", "1.0")
    assert not changed_materially(index, "example", "en", "1.1")
    commit_policies(repo, both("1.2", "2026-02-10"), date="2026-02-10T10:00:00+07:00")
    later = build(repo / "content", tmp_path / "later", today="2026-02-10")
    index = json.loads((later / "versions.json").read_text())
    assert changed_materially(index, "example", "en", "1.0")


def readme_function(name):
    """The function ``name`` as the README's example for app developers writes it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    code = re.search(rf"```python\n(def {name}\(.*?)```", readme, re.DOTALL)[1]
    namespace = {}
    exec(code, namespace)  # the README's own example, as an app developer would copy it
    return namespace[name]


def test_a_footnote_on_a_section_history_leads_to_the_version_page(repo, tmp_path):
    """The history shows sections without ids; a footnote's link and its way back lead to
    the page of the version that made the change, which shows the whole text."""
    with_note = both("1.1", "2026-02-01", **{"alamat e-mail Anda.": "alamat e-mail Anda.[^1]"})
    with_note["example/id.md"] += "\n[^1]: Untuk akun Anda.\n"  # the notes come last
    commit_policies(repo, with_note, date="2026-01-20T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-05")  # links all resolve
    version = "/kebijakan-contoh/versi/1.1/"
    for section in ("data-collection", "contact"):
        page = read_page(output, f"kebijakan-contoh/riwayat/{section}/")
        changes = page.select(".section-change")
        links = [a["href"] for a in changes[0].select("a[href*='#fn']")]
        assert links and all(href.startswith(version + "#fn") for href in links), links
        assert not changes[0].select("[id^=fn]")


def test_a_footnote_a_later_version_removes_leads_to_the_version_that_had_it(repo, tmp_path):
    """1.1 adds a footnote, 1.2 takes it out again: on the history, the note 1.2 deleted
    and its reference lead to 1.1, whose page has them (1.2's has not)."""
    with_note = both("1.1", "2026-02-01", **{"alamat e-mail Anda.": "alamat e-mail Anda.[^1]"})
    with_note["example/id.md"] += "\n[^1]: Untuk akun Anda.\n"
    commit_policies(repo, with_note, date="2026-01-20T10:00:00+07:00")
    commit_policies(repo, both("1.2", "2026-02-10"), date="2026-02-05T10:00:00+07:00")
    output = build(repo / "content", tmp_path / "out", today="2026-02-12")  # links all resolve
    page = read_page(output, "kebijakan-contoh/riwayat/contact/")  # the notes come last
    changes = {
        change.select_one("h2 a").get_text(): [a["href"] for a in change.select("a[href*='#fn']")]
        for change in page.select(".section-change")
    }
    made_by_12 = next(links for title, links in changes.items() if "1.2" in title)
    assert made_by_12, changes
    assert all(href.startswith("/kebijakan-contoh/versi/1.1/#fn") for href in made_by_12)
    redline = read_page(output, "kebijakan-contoh/versi/1.2/perubahan/")
    note = redline.select_one(".redline .footnotes li")
    assert note is not None and note.select("del"), "the note shows as deleted"
    assert not note.select("a[href^='#fnref']"), "its way back leads to no deleted reference"


def test_each_section_has_a_history_of_the_versions_that_changed_it(three_versions, tmp_path):
    """1.1 changes the data section of the Indonesian text, 1.2 its contact section (and
    the data section back), 1.3 removes the data section in both languages; the English
    sections stay as they were until then."""
    removed = {}
    for name, text in both("1.3", "2026-03-10").items():
        start = text.index("## ")
        removed[name] = text[:start] + text[text.index("## ", start + 3) :]
    removed["example/id.md"] = removed["example/id.md"].replace(
        "Hubungi Kami", "Silakan hubungi Kami"
    )
    commit_policies(three_versions, removed, date="2026-03-05T10:00:00+07:00")
    output = build(three_versions / "content", tmp_path / "out", today="2026-03-10")

    def history(url):
        page = read_page(output, url)
        return [
            (entry.h2.a.get_text(), entry["class"][-1], bool(entry.select("ins, del")))
            for entry in page.select(".section-change")
        ]

    assert history("kebijakan-contoh/riwayat/data-collection/") == [
        ("Versi 1.3", "section-removed", True),
        ("Versi 1.2", "section-changed", True),
        ("Versi 1.1", "section-changed", True),
        ("Versi 1.0", "section-added", True),
    ]
    assert history("kebijakan-contoh/riwayat/contact/") == [
        ("Versi 1.2", "section-changed", True),
        ("Versi 1.0", "section-added", True),
    ]
    assert history("en/example-policy/history/data-collection/") == [
        ("Version 1.3", "section-removed", True),
        ("Version 1.0", "section-added", True),
    ]
    current = read_page(output, "kebijakan-contoh/")
    links = [a["href"] for a in current.select(".section-heading a.section-history")]
    assert links == ["/kebijakan-contoh/riwayat/contact/"]
    old = read_page(output, "kebijakan-contoh/versi/1.0/")
    assert [a["href"] for a in old.select("a.section-history")] == [
        "/kebijakan-contoh/riwayat/data-collection/",
        "/kebijakan-contoh/riwayat/contact/",
    ]


def test_the_feed_has_an_entry_for_every_version(three_versions, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-02-10"))
    output = build(three_versions / "content", tmp_path / "out")
    feed = (output / "kebijakan-contoh/versi/atom.xml").read_text()
    assert feed.count("<entry>") == 3
    assert "<title>Versi 1.2, mulai berlaku 1 Maret 2026</title>" in feed
    page = read_page(output, "kebijakan-contoh/")
    assert page.select_one('link[type="application/atom+xml"]')["href"] == (
        "/kebijakan-contoh/versi/atom.xml"
    )


def test_renamed_policy_file_keeps_its_history(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
    git(repo, "mv", "content/policies/example/id.md", "content/policies/example/kebijakan.md")
    git(repo, "commit", "-q", "-m", "Rename", date="2026-01-10T10:00:00+07:00")
    commit_policies(
        repo,
        {"example/kebijakan.md": new_version(POLICY_ID, "1.1", "2026-02-01")},
        date="2026-01-20T10:00:00+07:00",
    )
    output = build(repo / "content", tmp_path / "out")
    entries = read_page(output, "kebijakan-contoh/versi/").select(".version-entry h2 a")
    assert [a.get_text() for a in entries] == ["Versi 1.1", "Versi 1.0"]


def test_text_of_a_version_is_the_newest_commit_that_carried_it(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
    commit_policies(
        repo,
        {"example/id.md": POLICY_ID.replace("Teks pembuka", "Teks awal")},
        date="2026-01-05T10:00:00+07:00",
    )
    output = build(repo / "content", tmp_path / "out")
    page = read_page(output, "kebijakan-contoh/versi/1.0/")
    assert "Teks awal" in page.select_one(".policy-text").get_text()
    assert len(read_page(output, "kebijakan-contoh/versi/").select(".version-entry")) == 1


def test_development_build_shows_uncommitted_text_as_a_draft(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
    write_policies(repo / "content", both("1.1", "2026-03-05"))
    output = build(repo / "content", tmp_path / "out")
    page = read_page(output, "kebijakan-contoh/")
    assert page.select_one(".version-facts dd").get_text() == "1.1"
    assert "Draf" in page.select_one(".notice-draft").get_text()
    index = json.loads((output / "versions.json").read_text())
    newest = index["policies"]["example"]["languages"]["id"]["versions"][0]
    assert (newest["draft"], newest["commit"]) == (True, None)


def test_two_builds_of_one_commit_are_byte_identical(three_versions, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-02-10"))
    first = build(three_versions / "content", tmp_path / "first")
    second = build(three_versions / "content", tmp_path / "second")
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 20
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_two_policies_in_three_languages_need_no_code(tmp_path, monkeypatch):
    """A third language is its content and a catalog; a second policy is its content."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch("2026-03-05"))
    translations = copy_translations(tmp_path / "translations")
    malay = translations / "ms" / "LC_MESSAGES"
    shutil.copytree(translations / "en" / "LC_MESSAGES", malay)
    po = (malay / "messages.po").read_text()
    po = po.replace('msgid "versions"\nmsgstr "versions"', 'msgid "versions"\nmsgstr "versi"')
    po = po.replace('msgid "Contents"\nmsgstr "Contents"', 'msgid "Contents"\nmsgstr "Kandungan"')
    (malay / "messages.po").write_text(po.replace("Language: en", "Language: ms"))
    site = git_init(tmp_path / "site")
    files = {}
    for key, slugs in {
        "example": ("kebijakan-contoh", "example-policy", "dasar-contoh"),
        "terms": ("syarat", "terms", "terma"),
    }.items():
        bases = (POLICY_ID, POLICY_EN, POLICY_EN)
        for lang, slug, base in zip(("id", "en", "ms"), slugs, bases, strict=True):
            files[f"{key}/{lang}.md"] = (
                base.replace("Policy: example", f"Policy: {key}")
                .replace("Lang: en", f"Lang: {lang}")
                .replace("Slug: kebijakan-contoh", f"Slug: {slug}")
                .replace("Slug: example-policy", f"Slug: {slug}")
            )
    commit_policies(site, files)
    output = build(site / "content", tmp_path / "out", translations_dir=translations)
    for url in ("ms/", "ms/dasar-contoh/", "ms/terma/versi/1.0/", "syarat/", "en/terms/"):
        assert (output / url / "index.html").is_file(), url
    assert read_page(output, "ms/terma/").select_one("#toc-title").get_text() == "Kandungan"
    assert read_page(output, "ms/terma/").html["lang"] == "ms"
    home = read_page(output, "ms/")
    assert [a.get_text() for a in home.select(".policy-list > li > a")] == [
        "Example Policy",
        "Example Policy",
    ]


ERRORS = {
    "version goes down": (
        [("1.1", "2026-02-01"), ("1.0", "2026-03-01")],
        "Version goes down from 1.1 (commit {1}) to 1.0 (commit {2}); versions only go up",
    ),
    "effective date goes back": (
        [("1.1", "2025-12-01")],
        "Effective date goes back: version 1.1 (commit {1}) takes effect 2025-12-01, before "
        "version 1.0 (commit {0}) of 2026-01-15",
    ),
}


@pytest.mark.parametrize(("steps", "expected"), ERRORS.values(), ids=ERRORS.keys())
def test_a_newest_commit_that_breaks_the_version_rules_stops_the_build(
    repo, tmp_path, steps, expected
):
    commits = [git(repo, "rev-parse", "--short=7", "HEAD").strip()]
    for day, (number, effective) in enumerate(steps, start=10):
        commits.append(
            commit_policies(
                repo,
                {"example/id.md": new_version(POLICY_ID, number, effective)},
                date=f"2026-01-{day}T10:00:00+07:00",
            )[:7]
        )
    with pytest.raises(PolicyBuildError) as caught:
        build(repo / "content", tmp_path / "out")
    assert expected.format(*commits) in str(caught.value)
    assert "example/id.md" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_shallow_clone_is_refused(repo, tmp_path):
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T10:00:00+07:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    with pytest.raises(PolicyBuildError, match="shallow clone.*git fetch --unshallow"):
        build(clone / "content", tmp_path / "out")


def test_folder_outside_git_is_refused(tmp_path):
    content = tmp_path / "plain" / "content"
    write_policies(content, {"example/id.md": POLICY_ID, "example/en.md": POLICY_EN})
    with pytest.raises(PolicyBuildError, match="is not in a git repository"):
        build(content, tmp_path / "out")


def test_publishing_build_refuses_uncommitted_changes(repo, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://legal.example.id")
    write_policies(repo / "content", {"example/en.md": POLICY_EN.replace("Opening", "Intro")})
    with pytest.raises(PolicyBuildError) as caught:
        build(repo / "content", tmp_path / "out", settings_file="publishconf.py")
    assert "example/en.md: has uncommitted changes; a publishing build takes committed text" in (
        str(caught.value)
    )

"""The shipped site agrees with its repository: every expectation here is read from git,
the Markdown files and versions.json, with the build date pinned, so the tests hold for
any correct change an editor makes. They also run on each editor scenario's repository.
"""

import datetime
import re

from babel.dates import format_date

from tests import oracle
from tests.sites import version_parts


def test_versions_json_lists_what_git_holds(site):
    for _policy, lang, version in site.versions():
        for revision in version["revisions"]:
            if revision["commit"] is None:
                data = (site.repo / revision["path"]).read_bytes()
            else:
                data = oracle.file_at(site.repo, revision["commit"], revision["path"])
            assert oracle.sha256(data) == revision["sha256"], (lang, version["version"])
            fields, _body = oracle.split(data.decode("utf-8"))
            assert fields["version"] == version["version"]
            assert fields["lang"] == lang
        assert version["sha256"] == version["revisions"][-1]["sha256"]
        assert version["effective"] == oracle.split(site.text_of(version))[0]["effective"]


def test_every_version_in_git_is_in_the_archive_unless_the_build_warned(site):
    files = oracle.policy_files(site.repo)
    for policy, lang, language in site.languages():
        path = next(p for p, f in files.items() if (f["policy"], f["lang"]) == (policy, lang))
        listed = [version["version"] for version in language["versions"]]
        assert listed[0] == files[path]["version"], "the newest version is the file's"
        history = oracle.committed_versions(site.repo, path)
        warned = {commit for commit, _path, _v in history if _named(commit, site.warnings)}
        expected = {v for commit, _path, v in history if v and commit not in warned}
        assert expected - {files[path]["version"]} <= set(listed)
        assert listed == sorted(listed, key=version_parts, reverse=True)


def test_the_current_version_is_the_highest_in_effect_on_the_build_date(site):
    for _policy, _lang, language in site.languages():
        versions = language["versions"]
        in_effect = [v for v in versions if v["effective"] <= site.today.isoformat()]
        current = in_effect[0] if in_effect else versions[-1]
        assert language["current"] == current["version"]
        assert language["upcoming"] == [
            v["version"]
            for v in reversed(versions)
            if version_parts(v["version"]) > version_parts(current["version"])
        ]
        statuses = {v["version"]: v["status"] for v in versions}
        assert statuses[current["version"]] == "current"


def test_each_version_page_shows_its_number_date_and_every_word_of_its_text(site):
    for _policy, lang, version in site.versions():
        page = site.page(version["url"])
        assert page.html["lang"] == lang
        facts = page.select_one(".version-facts")
        assert facts.select("dd")[0].get_text() == version["version"]
        assert facts.time["datetime"] == version["effective"]
        fields, body = oracle.split(site.text_of(version))
        for link in page.select(".policy-text .section-history"):
            link.decompose()  # a heading's way to its history, not the text
        rendered = page.h1.get_text() + " " + page.select_one(".policy-text").get_text(" ")
        rendered_words = [w for w in oracle.words(rendered) if w != "#"]
        assert rendered_words == oracle.words(f"{fields['title']}\n{body}"), version["url"]


def test_dates_are_formatted_for_the_page_language(site):
    for _policy, lang, version in site.versions():
        day = site.page(version["url"]).select_one(".version-facts time")
        assert day.get_text() == format_date(_date(day["datetime"]), "d MMMM y", locale=lang)


def test_the_current_page_shows_the_current_version(site):
    for _policy, _lang, language in site.languages():
        current = next(v for v in language["versions"] if v["status"] == "current")
        page = site.page(language["url"])
        assert page.select_one(".version-facts dd").get_text() == current["version"]
        assert page.select_one(".policy-text").get_text() == (
            site.page(current["url"]).select_one(".policy-text").get_text()
        )


def test_sections_have_the_anchors_of_the_text_in_every_language(site):
    by_version = {}
    for policy, _lang, version in site.versions():
        _fields, body = oracle.split(site.text_of(version))
        page = site.page(version["url"])
        anchors = [h["id"] for h in page.select(".policy-text .section-heading > [id]")]
        assert anchors == oracle.anchors(body), version["url"]
        top = [a["href"] for a in page.select(".toc > ol > li > a")]
        assert top == [f"#{a}" for a in oracle.anchors_of_level(body, 2)]
        by_version.setdefault((policy, version["version"]), set()).add(tuple(anchors))
    assert all(len(variants) == 1 for variants in by_version.values())


def test_every_policy_page_has_the_contact_block_of_its_text(site):
    for _policy, _lang, version in site.versions():
        _fields, body = oracle.split(site.text_of(version))
        expected = oracle.contact_links(body)
        assert expected, "every version has contact lines"
        for url in {version["url"]} | ({_current_url(site, version)} - {None}):
            links = [a["href"] for a in site.page(url).select("address.contact a")]
            assert links == expected, url


def test_each_redline_takes_the_older_text_to_the_newer(site):
    for _policy, _lang, language in site.languages():
        by_number = {v["version"]: v for v in language["versions"]}
        for newer in language["versions"]:
            pairs = []
            if newer["changes_url"]:
                older = language["versions"][language["versions"].index(newer) + 1]
                pairs.append((newer["changes_url"], older, newer))
            if newer["compare_url"]:
                pairs.append((newer["compare_url"], newer, by_number[language["current"]]))
            for url, old, new in pairs:
                _assert_redline(site, url, old, new)


def test_the_archive_lists_every_version_newest_first(site):
    for _policy, _lang, language in site.languages():
        archive = site.page(language["archive_url"])
        links = [a["href"] for a in archive.select(".version-entry h2 a")]
        assert links == [v["url"] for v in language["versions"]]
        for entry, version in zip(
            archive.select(".version-entry"), language["versions"], strict=True
        ):
            assert entry.select_one(".summary").get_text() == version["summary"]
            dates = [t["datetime"] for t in entry.select(".version-dates time")]
            assert dates[0] == version["effective"]
            if version["in_force_until"]:
                assert dates[1] == version["in_force_until"]


def test_a_removed_section_still_lands_on_the_current_page(site):
    for _policy, _lang, language in site.languages():
        current = next(v for v in language["versions"] if v["status"] == "current")
        older = [
            v
            for v in language["versions"]
            if version_parts(v["version"]) < version_parts(current["version"])
        ]
        now = set(oracle.anchors(oracle.split(site.text_of(current))[1]))
        page = site.page(language["url"])
        for version in older:
            for anchor in set(oracle.anchors(oracle.split(site.text_of(version))[1])) - now:
                note = page.select_one(f".removed-sections [id='{anchor}']")
                assert note is not None, (language["url"], anchor)
                target = note.select("a")[-1]["href"]
                target_page, fragment = target.split("#")
                assert site.page(target_page).select_one(f"[id='{fragment}']") is not None


def test_a_translation_links_the_same_version_of_the_text_that_prevails(site):
    for policy, lang, version in site.versions():
        original = site.original_lang(policy)
        note = site.page(version["url"]).select_one(".notice-translation")
        if lang == original:
            assert note is None
            continue
        prevailing = site.index["policies"][policy]["languages"][original]["versions"]
        same = next(v for v in prevailing if v["version"] == version["version"])
        assert note.a["href"] == same["url"]


def test_a_translation_behind_its_original_says_so(site):
    for policy, lang, language in site.languages():
        original = site.index["policies"][policy]["languages"][site.original_lang(policy)]
        lag = site.page(language["url"]).select_one(".notice-lag")
        behind = version_parts(language["current"]) < version_parts(original["current"])
        assert (lag is not None) == behind, (policy, lang)
        assert language["translates_version"] == (language["current"] if behind else None)


def _assert_redline(site, url, old, new):
    """Dropping the insertions gives the older text's words, dropping the deletions the
    newer's: the redline shows every change and nothing else."""
    page = site.page(url)
    redline = page.select_one(".redline")
    if redline is None:
        assert page.select_one(".notice-unchanged") is not None, url
        assert _text_words(site, old, title=False) == _text_words(site, new, title=False)
        return
    _assert_path_of_changes(page, redline)
    for label in redline.select(".visually-hidden, .next-change"):
        label.decompose()  # what a screen reader hears around a mark; the path of changes
    for name, version in (("ins", old), ("del", new)):
        copy = oracle.reparse(redline)
        for mark in copy.select(name):
            mark.decompose()
        words = [w for w in oracle.words(copy.get_text(" ")) if w != "#"]
        assert words == _text_words(site, version, title=False), (url, name)


def _assert_path_of_changes(page, redline):
    """From the count at the top, "next change" links lead through every changed block,
    each in the margin's bar, to the list of changed sections."""
    first = page.select_one(".change-count a")
    stops, target = [], first["href"]
    while target != "#changed-sections-title":
        block = redline.select_one(f"[id='{target[1:]}']")
        assert block is not None and target not in stops, target
        stops.append(target)
        assert {"inserted", "deleted", "changed"} & set(block.get("class", [])), target
        links = block.select("a.next-change")
        target = links[-1]["href"] if links else _next_in_order(redline, block)
    assert re.search(rf"\b{len(stops)}\b", page.select_one(".change-count").get_text())
    for mark in redline.select("ins, del"):
        assert any(f"#{a.get('id')}" in stops for a in [mark, *mark.parents] if a.get("id")), mark


def _next_in_order(redline, heading):
    """A marked heading carries no link (it would join its title): the next marked block."""
    marked = redline.select(".inserted, .deleted, .changed")
    later = marked[marked.index(heading) + 1 :]
    return f"#{later[0]['id']}" if later else "#changed-sections-title"


def _text_words(site, version, title=True):
    fields, body = oracle.split(site.text_of(version))
    return oracle.words(f"{fields['title']}\n{body}" if title else body)


def _current_url(site, version):
    for _policy, _lang, language in site.languages():
        if version in language["versions"] and version["status"] == "current":
            return language["url"]
    return None


def _named(commit, warnings):
    return any(f"commit {commit[:7]}" in warning for warning in warnings)


def _date(iso):
    return datetime.date.fromisoformat(iso)


def test_every_link_to_the_prevailing_text_leads_to_the_same_version(site):
    for policy, lang, language in site.languages():
        original_lang = site.original_lang(policy)
        if lang == original_lang:
            continue
        original = site.index["policies"][policy]["languages"][original_lang]
        same = {v["version"]: v for v in original["versions"]}
        for version in language["versions"]:
            counterpart = same.get(version["version"])
            pages = [(version["url"], "url"), (version["changes_url"], "changes_url")]
            pages += [(version["compare_url"], "compare_url")]
            for url, kind in pages:
                if not url:
                    continue
                switch = site.page(url).select_one(
                    f".language-switcher a[hreflang={original_lang}]"
                )
                expected = counterpart and counterpart[kind]
                assert switch["href"] == (expected or original["archive_url"]), url
        lag = site.page(language["url"]).select_one(".notice-lag")
        if lag is not None:
            assert lag.a["href"] == original["url"]
            assert original["current"] in lag.a.get_text()

"""What search engines and link previews read: language alternates that answer each
other on every page and in the sitemap, dates in the site's time zone, a 404 that is not
indexed, feeds named by the site, and old versions that say they are not in effect."""

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from tests.sites import (
    FIXTURE,
    POLICY_EN,
    both,
    build,
    commit_policies,
    example_repo,
    read_page,
    ui,
)

SITEURL = "https://legal.example.id"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """1.0, then 1.1 (committed late in the evening UTC: the next morning in Jakarta),
    then a correction of 1.1's English text: a revision page only English has. Built
    once, for tests that only read it."""
    folder = tmp_path_factory.mktemp("published")
    repo = example_repo(folder)
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T23:30:00+00:00")
    english = both("1.1", "2026-02-01")["example/en.md"].replace("We collect", "We gather")
    commit_policies(repo, {"example/en.md": english}, date="2026-02-03T10:00:00+07:00")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEURL", SITEURL)
        return build(
            repo / "content", folder / "out", settings_file="publishconf.py", today="2026-02-05"
        )


def pages(output):
    for path in sorted(Path(output).rglob("*.html")):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        if soup.select_one("meta[http-equiv=refresh]") is None:
            yield path, soup


def alternates(soup):
    return {
        link["hreflang"]: link["href"]
        for link in soup.select('link[rel="alternate"][hreflang]')
        if link["hreflang"] != "x-default"
    }


def test_every_page_and_its_alternates_name_each_other(published):
    canonical = {}
    for _path, soup in pages(published):
        link = soup.select_one('link[rel="canonical"]')
        if link:
            canonical[link["href"]] = alternates(soup)
    revision = f"{SITEURL}/en/example-policy/versions/1.1/revisions/2/"
    assert canonical[revision] == {"en": revision}, "only English has this correction"
    for url, others in canonical.items():
        language = next((lang for lang, href in others.items() if href == url), None)
        assert others == {} or language, f"{url} is among its own alternates"
        for href in others.values():
            assert canonical[href].get(language) == url, f"{href} does not link back to {url}"


def test_the_sitemap_alternates_answer_each_other_and_days_are_the_sites(published):
    sitemap = ElementTree.parse(published / "sitemap.xml").getroot()
    entries = {
        entry.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href")
            for link in entry.findall(f"{XHTML}link")
            if link.get("hreflang") != "x-default"
        }
        for entry in sitemap.findall(f"{SITEMAP}url")
    }
    for url, others in entries.items():
        language = next(lang for lang, href in others.items() if href == url)
        for href in others.values():
            assert entries[href].get(language) == url, f"{href} does not list {url}"
    lastmod = {
        entry.find(f"{SITEMAP}loc").text: entry.find(f"{SITEMAP}lastmod").text
        for entry in sitemap.findall(f"{SITEMAP}url")
    }
    assert lastmod[f"{SITEURL}/kebijakan-contoh/versi/1.1/"] == "2026-01-21"  # in Jakarta


def test_no_page_has_an_id_twice(published):
    for path, soup in pages(published):
        ids = [element["id"] for element in soup.select("[id]")]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))


def test_the_404_page_is_not_indexed(published):
    page = read_page(published, "404.html")
    assert page.select_one('meta[name="robots"]')["content"] == "noindex"


def test_a_feed_is_named_by_its_policy_and_the_site(published):
    feed = ElementTree.parse(published / "en/example-policy/versions/atom.xml").getroot()
    title = feed.find("{http://www.w3.org/2005/Atom}title").text
    assert title == f"Example Policy · {FIXTURE['SITENAME']}"


def test_an_old_versions_link_preview_says_it_is_not_in_effect(published):
    old = read_page(published, "en/example-policy/versions/1.0/")
    current = read_page(published, "en/example-policy/versions/1.1/")
    label = ui("en", "no longer in effect")
    assert label in old.select_one('meta[property="og:title"]')["content"]
    assert label in old.title.get_text()
    assert label not in current.select_one('meta[property="og:title"]')["content"]
    assert POLICY_EN.splitlines()[0].removeprefix("Title: ") in old.title.get_text()


def test_a_publishing_build_writes_an_open_terms_archive_declaration_per_language(
    repo, tmp_path, monkeypatch
):
    monkeypatch.setenv("SITEURL", SITEURL)
    output = build(
        repo / "content",
        tmp_path / "out",
        settings_file="publishconf.py",
        policy_site={"open_terms_archive": {"example": "Privacy Policy"}},
        today="2026-02-05",
    )
    for lang, opening in (("id", "Teks pembuka kebijakan."), ("en", "Opening text of the policy.")):
        path = output / "open-terms-archive" / lang / f"{FIXTURE['SITENAME']}.json"
        declaration = json.loads(path.read_text(encoding="utf-8"))
        assert declaration["name"] == FIXTURE["SITENAME"]
        document = declaration["documents"]["Privacy Policy"]
        page = read_page(output, document["fetch"].removeprefix(f"{SITEURL}/"))
        text = page.select_one(document["select"])
        assert opening in text.get_text()
        assert text.select(document["remove"]) == text.select(".permalink, .section-history")


def test_a_development_build_writes_no_declaration(repo, tmp_path):
    types = {"open_terms_archive": {"example": "Privacy Policy"}}
    output = build(repo / "content", tmp_path / "out", policy_site=types, today="2026-02-05")
    assert not (output / "open-terms-archive").exists()

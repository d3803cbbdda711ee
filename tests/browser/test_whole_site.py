"""The last gate before deployment: every page of the built site, in a real browser.

What each test expects comes from the site's versions.json and its built files, so the
tests hold for any correct content; they run on the shipped site and on each editor
scenario's site. Tests marked ``theme`` check the theme, on the shipped site only.
"""

import functools
import hashlib
import json
import os
import re
from collections import deque
from urllib.parse import urldefrag

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests import oracle
from tests.browser.conftest import add_crawl_counts, open_context
from tests.sites import project_settings

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def typed_pages(site):
    """One page of each type, in each language: ``{type: [site paths]}``."""
    pages = {"home": sorted(homes(site)), "not found": ["/404.html"]}
    for _policy, _lang, language in site.languages():
        versions = language["versions"]
        pages.setdefault("current", []).append(site.path(language["url"]))
        pages.setdefault("archive", []).append(site.path(language["archive_url"]))
        pages.setdefault("version", []).append(site.path(versions[-1]["url"]))
        for kind in ("changes_url", "compare_url"):
            url = next((v[kind] for v in versions if v[kind]), None)
            if url:
                pages.setdefault(kind.removesuffix("_url"), []).append(site.path(url))
    return pages


def permanent_address(site, path):
    """The address a page's printout gives: a current page's is its version's own."""
    for _policy, _lang, language in site.languages():
        if site.path(language["url"]) == path:
            current = next(v for v in language["versions"] if v["status"] == "current")
            return site.path(current["url"])
    return path


def homes(site):
    return {
        site.path(site.page(language["url"]).select_one(".site-name")["href"])
        for *_, language in site.languages()
    }


def all_typed_pages(site):
    return [path for paths in typed_pages(site).values() for path in paths]


# What the crawl reads of each page, in one evaluation: its links, its ids, the links of
# its contact block (None when there is none, or it is not shown), and for a redline the
# number of its marks and how the first of each kind is drawn.
_READ_PAGE = """() => {
  const shown = e => e && e.getClientRects().length > 0;
  const contact = document.querySelector(".policy-text address.contact");
  const marks = name => {
    const found = document.querySelectorAll(".redline " + name);
    return [found.length, found.length ? getComputedStyle(found[0]).textDecorationLine : null];
  };
  return {
    links: [...document.querySelectorAll("a[href]")].map(a => a.href),
    ids: [...document.querySelectorAll("[id]")].map(e => e.id),
    contact: shown(contact)
      ? [...contact.querySelectorAll("a:not(.next-change)")].map(a => a.getAttribute("href"))
      : null,
    del: marks("del"),
    ins: marks("ins"),
  };
}"""


class Crawled(dict):
    """{site path: (status, what _READ_PAGE read)}, and ``pdfs``: {site path of each PDF a
    page links: (status, content type)}."""

    def __init__(self):
        super().__init__()
        self.pdfs = {}


class Readings:
    """What the browser read of each page, for the whole run, in a folder its processes
    share: {(site path, the page's bytes, the site's headers and assets): (status, what
    _READ_PAGE read, with the site's own addresses as site paths)}. A page that another
    site of the run holds byte for byte at the same path, with the same headers and
    assets, reads the same; it is not read again."""

    def __init__(self, folder):
        self.folder = folder
        folder.mkdir(exist_ok=True)

    def get(self, key):
        try:
            return json.loads(self._file(key).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None

    def put(self, key, reading):
        staged = self._file(key).with_suffix(f".{os.getpid()}")
        staged.write_text(json.dumps(reading), encoding="utf-8")
        staged.replace(self._file(key))

    def _file(self, key):
        return self.folder / f"{hashlib.sha256(json.dumps(key).encode()).hexdigest()}.json"


@pytest.fixture(scope="session")
def readings(run_folder):
    return Readings(run_folder / "readings")


def page_key(site, path):
    """What a page's reading depends on, or None where its path serves no file."""
    file = site.output / path.lstrip("/")
    file = file / "index.html" if path.endswith("/") else file
    if not file.is_file():
        return None
    return path, hashlib.sha256(file.read_bytes()).hexdigest(), served_with(site.output)


@functools.cache
def served_with(output):
    """The digest of what every page of a built site loads and is sent with: its headers
    and its theme's assets."""
    digest = hashlib.sha256((output / "_headers").read_bytes())
    for file in sorted((output / "theme").rglob("*")):
        if file.is_file():
            digest.update(f"{file.relative_to(output)}\0".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def read_in_browser(page, site_url, site, path, readings):
    """``(status, what _READ_PAGE read)`` of the page at ``path``: read in the browser, or
    as it read byte for byte the same page of another site; and whether it was read."""
    key = page_key(site, path)
    known = key and readings.get(key)
    if known:
        status, seen = known
        links = [site_url + tail if own else tail for own, tail in seen["links"]]
        return (status, {**seen, "links": links}), False
    response = page.goto(site_url + path, wait_until="domcontentloaded")
    # the stylesheets are in by then: the deferred script waits for them
    status, seen = response.status, page.evaluate(_READ_PAGE)
    if key is not None:
        links = [
            (True, link.removeprefix(site_url)) if link.startswith(site_url) else (False, link)
            for link in seen["links"]
        ]
        readings.put(key, (status, {**seen, "links": links}))
    return (status, seen), True


@pytest.fixture(scope="session")
def crawl(shared_page, site, site_url, at, path_of, readings, pytestconfig):
    """Every page reachable from the home page, and every PDF they link."""
    page = shared_page
    found, queue, read = Crawled(), deque(["/"]), 0
    while queue:
        path = queue.popleft()
        if path in found:
            continue
        found[path], in_browser = read_in_browser(page, site_url, site, path, readings)
        read += in_browser
        for href in found[path][1]["links"]:
            url, _fragment = urldefrag(href)
            target = path_of(url)
            if not target or target.endswith((".xml", ".json")):
                continue
            if not target.endswith(".pdf"):
                queue.append(target)
            elif target not in found.pdfs:
                response = page.request.get(at(target))
                found.pdfs[target] = (response.status, response.headers.get("content-type"))
    page.goto("about:blank")
    links = sum(len(entry[1]["links"]) for entry in found.values())
    add_crawl_counts(pytestconfig, {site.name: (len(found), links)}, read)
    return found


def test_every_page_is_reachable_from_home_and_loads(crawl, site):
    built = {
        "/" + str(path.relative_to(site.output)).removesuffix("index.html")
        for path in site.output.rglob("index.html")
        if 'http-equiv="refresh"' not in path.read_text(encoding="utf-8")
    }
    assert set(crawl) == built
    assert {path: entry[0] for path, entry in crawl.items() if entry[0] != 200} == {}
    assert set(all_typed_pages(site)) - {"/404.html"} <= set(crawl)


def test_every_pdf_is_linked_and_served_as_a_pdf(crawl, site):
    built = {"/" + str(path.relative_to(site.output)) for path in site.output.rglob("*.pdf")}
    assert set(crawl.pdfs) == built
    assert set(crawl.pdfs.values()) <= {(200, "application/pdf")}


def test_every_internal_link_and_fragment_resolves(crawl, site, path_of):
    for path, (_status, seen) in crawl.items():
        for href in seen["links"]:
            url, fragment = urldefrag(href)
            target = path_of(url)
            if target is None:
                continue
            if target.endswith((".xml", ".json")):
                assert (site.output / target.lstrip("/")).is_file(), f"{path} links {href}"
                continue
            if target.endswith(".pdf"):
                assert crawl.pdfs[target][0] == 200, f"{path} links {href}"
                continue
            assert target in crawl, f"{path} links {href}, which is not a page"
            assert not fragment or fragment in crawl[target][1]["ids"], f"{path} links {href}"


@pytest.mark.theme
def test_a_linked_section_scrolls_into_view(crawl, at, path_of, page):
    targets = {}
    for _status, seen in crawl.values():
        for href in seen["links"]:
            url, fragment = urldefrag(href)
            if fragment and path_of(url):
                targets.setdefault(path_of(url), fragment)
    for target, fragment in sorted(targets.items()):  # one section of each page
        page.goto(at(target) + "#" + fragment)
        expect(page.locator(f"[id='{fragment}']")).to_be_in_viewport()


def test_contact_block_is_shown_on_every_policy_page_with_the_links_of_its_text(crawl, site):
    expected = {}
    for _policy, _lang, language in site.languages():
        for version in language["versions"]:
            links = oracle.contact_links(oracle.split(site.text_of(version))[1])
            expected[site.path(version["url"])] = links
            if version["status"] == "current":
                expected[site.path(language["url"])] = links
    redlines = {site.path(url): (older, newer) for url, older, newer in site.redlines()}
    shown = {
        path: seen["contact"]
        for path, (_s, seen) in crawl.items()
        if seen["contact"] and path not in redlines
    }
    assert shown == expected
    for path, (older, newer) in redlines.items():
        old, new = (oracle.contact_links(oracle.split(text)[1]) for text in (older, newer))
        seen = crawl[path][1]["contact"]
        assert seen is not None, f"{path} shows no contact block"
        assert [link for link in seen if link in new] == new, path
        assert set(seen) <= set(old) | set(new), path


def test_redlines_show_their_marks_struck_through_and_underlined(crawl, site):
    for path, (_status, seen) in crawl.items():
        built = site.page(path).select(".redline")  # a section's history has several
        if not built:
            continue
        for name, line in (("del", "line-through"), ("ins", "underline")):
            count, drawn = seen[name]
            assert count == sum(len(redline.select(name)) for redline in built), path
            assert count == 0 or drawn == line, path


@pytest.mark.theme
def test_switcher_without_javascript_keeps_the_version(browser, site, site_host, at):
    context = open_context(browser, site_host, java_script_enabled=False)
    page = context.new_page()
    for _policy, _lang, language in site.languages():
        for url in (language["versions"][-1]["url"],):
            page.goto(at(url))
            for link in page.locator(".language-switcher a[hreflang]").all():
                target = link.get_attribute("href")
                link.click()
                expect(page).to_have_url(at(target))
                assert page.locator("html").get_attribute("lang") == link_lang(target, site)
                page.goto(at(url))
    context.close()


def link_lang(url, site):
    for _policy, lang, language in site.languages():
        urls = {language["url"], language["archive_url"]}
        urls |= {v[k] for v in language["versions"] for k in ("url", "changes_url", "compare_url")}
        if url in urls:
            return lang
    raise AssertionError(f"{url} is no page of versions.json")


@pytest.mark.theme
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_page_type_has_accessibility_violations(site, site_page, at, scheme):
    site_page.emulate_media(color_scheme=scheme)
    for path in all_typed_pages(site):
        site_page.goto(at(path))
        results = Axe().run(site_page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
        assert results.violations_count == 0, f"{path}: {results.generate_report()}"


@pytest.mark.theme
@pytest.mark.parametrize("text_size", ["100%", "200%"])
def test_no_horizontal_scrolling_at_320_pixels(site, site_page, at, text_size):
    site_page.set_viewport_size({"width": 320, "height": 640})
    for path in all_typed_pages(site):
        site_page.goto(at(path))
        site_page.evaluate(f"document.documentElement.style.fontSize = '{text_size}'")
        overflow = site_page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} at {text_size} text overflows by {overflow} px"


@pytest.mark.theme
def test_print_hides_navigation_and_keeps_the_text(site, site_page, at):
    pages = typed_pages(site)
    for path in (pages["current"][0], *pages.get("changes", [])[-1:]):
        site_page.goto(at(path))
        site_page.emulate_media(media="print")
        for navigation in (".site-header", ".language-switcher", ".skip-link", ".policy-links"):
            expect(site_page.locator(navigation)).to_be_hidden()
        expect(site_page.locator("h1")).to_be_visible()
        expect(site_page.locator("main p").first).to_be_visible()
        facts = site_page.locator(".print-facts")
        expect(facts).to_be_visible()
        expect(facts).to_contain_text(project_settings()["SITENAME"])
        expect(facts).to_contain_text(permanent_address(site, path))
        after = "a => getComputedStyle(a, '::after').content"
        bare = site_page.locator(".policy-text a.bare-url[href^='http']")
        assert all(link.evaluate(after) == "none" for link in bare.all()), "no URL twice"
        other = site_page.locator(".policy-text a[href^='http']:not(.bare-url)")
        assert all(link.evaluate(after) != "none" for link in other.all()), "others shown"
        site_page.emulate_media(media="screen")
        expect(facts).to_be_hidden()


@pytest.mark.theme
def test_an_unknown_address_gets_the_sites_own_page_not_found(site, page, at):
    response = page.goto(at("/no/such/page/"))
    assert response.status == 404
    assert page.locator("h1").count() == 1
    english = page.locator(".not-found a[hreflang=en]")
    english.click()
    expect(page).to_have_url(at("/en/"))


@pytest.mark.theme
def test_apps_may_read_the_index_and_assets_are_kept_while_pages_are_not(site, page, at):
    index = page.request.get(at("/versions.json"))
    assert index.headers.get("access-control-allow-origin") == "*"
    response = page.goto(at(typed_pages(site)["current"][0]))
    assert "access-control-allow-origin" not in response.headers
    assert "immutable" not in response.headers.get("cache-control", "")
    styles = page.eval_on_selector_all(
        "link[rel=stylesheet], script[src]", "es => es.map(e => e.href || e.src)"
    )
    assert styles and all("/theme/assets/" in url for url in styles)
    for url in styles:
        kept = page.request.get(url)
        assert kept.status == 200
        assert kept.headers["cache-control"] == "public, max-age=31536000, immutable"


@pytest.mark.theme
def test_pages_send_a_strict_content_security_policy(site, page, at, path_of):
    response = page.goto(at(typed_pages(site)["current"][0]))
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    assert page.locator('meta[name="referrer"]').get_attribute("content") == "no-referrer"
    links = page.eval_on_selector_all("a[href^='https://']", "as => as.map(a => [a.href, a.rel])")
    external = [(href, rel) for href, rel in links if path_of(href) is None]
    assert all(rel == "noopener noreferrer" for _href, rel in external), external


_MARK_COLOURS = """() => {
  const style = e => getComputedStyle(e);
  const page = style(document.body).backgroundColor;
  const marked = ".redline .inserted, .redline .deleted, .redline .changed";
  const blocks = [...document.querySelectorAll(marked)];
  const first = name => document.querySelector(".redline " + name);
  return {
    page,
    ins: first("ins") && style(first("ins")).textDecorationColor,
    del: first("del") && style(first("del")).textDecorationColor,
    bars: blocks.map(b => [style(b).borderLeftColor, parseFloat(style(b).borderLeftWidth)]),
    insStyle: first("ins") && style(first("ins")).textDecorationStyle,
  };
}"""


def _luminance(colour):
    red, green, blue = (int(v) / 255 for v in re.findall(r"\d+", colour)[:3])
    linear = [
        c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)
    ]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one, other):
    lighter, darker = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.theme
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_redline_marks_and_bars_stand_out_against_the_page(site, site_page, at, scheme):
    """WCAG 1.4.11: the marks' lines and the margin bars 3:1 or more against the page."""
    site_page.emulate_media(color_scheme=scheme)
    for url in typed_pages(site).get("changes", []):
        site_page.goto(at(url))
        seen = site_page.evaluate(_MARK_COLOURS)
        for kind in ("ins", "del"):
            if seen[kind]:
                assert contrast(seen[kind], seen["page"]) >= 3, (url, kind, seen)
        assert seen["bars"], url
        for colour, width in seen["bars"]:
            assert width >= 3 and contrast(colour, seen["page"]) >= 3, (url, colour)
        site_page.emulate_media(media="print")
        printed = site_page.evaluate(_MARK_COLOURS)
        assert printed["insStyle"] in (None, "double"), "printed, an insertion is no link"
        site_page.emulate_media(media="screen")

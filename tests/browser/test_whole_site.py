"""The last gate before deployment: every page of the built site, in a real browser."""

from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import CRAWL_COUNTS

CONTACT_LINKS = [
    "mailto:support@espay.id",
    "tel:+622130030609",
    "https://wa.me/6281133328188",
    "https://wa.me/6281133328288",
]
PAGE_TYPES = {
    "home": ("/", "/en/"),
    "current": ("/kebijakan-privasi/", "/en/privacy-policy/"),
    "archive": ("/kebijakan-privasi/versi/", "/en/privacy-policy/versions/"),
    "version": ("/kebijakan-privasi/versi/1.0/", "/en/privacy-policy/versions/1.0/"),
    "changes": (
        "/kebijakan-privasi/versi/1.1/perubahan/",
        "/en/privacy-policy/versions/1.1/changes/",
    ),
}
ALL_TYPED_PAGES = [path for paths in PAGE_TYPES.values() for path in paths] + ["/404.html"]
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def crawl(browser, base_url, pytestconfig):
    """Every page reachable from the home page: {path: (status, links, ids, is_policy)}."""
    page = browser.new_page()
    found, queue = {}, deque(["/"])
    while queue:
        path = queue.popleft()
        if path in found:
            continue
        response = page.goto(f"{base_url}{path}")
        found[path] = (
            response.status,
            page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"),
            set(page.eval_on_selector_all("[id]", "elements => elements.map(e => e.id)")),
            page.locator(".policy-text address.contact").count() > 0,
        )
        for href in found[path][1]:
            url, _fragment = urldefrag(href)
            if url.startswith(base_url) and not url.endswith((".xml", ".json")):
                queue.append(urlsplit(url).path)
    page.close()
    links = sum(len(entry[1]) for entry in found.values())
    pytestconfig.stash[CRAWL_COUNTS] = (len(found), links)
    return found


def test_every_page_is_reachable_from_home_and_loads(crawl, real_site):
    built = {
        "/" + str(path.relative_to(real_site)).removesuffix("index.html")
        for path in real_site.rglob("index.html")
    }
    assert set(crawl) == built
    assert {path: entry[0] for path, entry in crawl.items() if entry[0] != 200} == {}
    assert {path for paths in PAGE_TYPES.values() for path in paths} <= set(crawl)


def test_every_internal_link_and_fragment_resolves(crawl, base_url, page):
    fragments = set()
    for path, (_status, links, _ids, _policy) in crawl.items():
        for href in links:
            url, fragment = urldefrag(href)
            if not url.startswith(base_url):
                continue
            target = urlsplit(url).path
            if target.endswith((".xml", ".json")):
                assert page.request.get(url).status == 200, f"{path} links {href}"
                continue
            assert target in crawl, f"{path} links {href}, which is not a page"
            if fragment:
                assert fragment in crawl[target][2], f"{path} links {href}: no #{fragment}"
                fragments.add((target, fragment))
    for target, fragment in sorted(fragments):
        page.goto(f"{base_url}{target}#{fragment}")
        expect(page.locator(f"[id='{fragment}']")).to_be_in_viewport()


def test_contact_block_is_on_every_policy_page_with_the_right_links(crawl, base_url, page):
    policy_pages = [path for path, entry in crawl.items() if entry[3]]
    assert len(policy_pages) == 6  # current, 1.0 and 1.1, in two languages
    for path in policy_pages:
        page.goto(f"{base_url}{path}")
        block = page.locator("address.contact")
        expect(block).to_be_visible()
        assert [a.get_attribute("href") for a in block.get_by_role("link").all()] == (
            CONTACT_LINKS
        ), path


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ALL_TYPED_PAGES)
def test_page_has_no_accessibility_violations(site_page, base_url, path, scheme):
    site_page.emulate_media(color_scheme=scheme)
    site_page.goto(f"{base_url}{path}")
    results = Axe().run(site_page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("path", ALL_TYPED_PAGES)
def test_no_horizontal_scrolling_at_320_pixels(site_page, base_url, path):
    site_page.set_viewport_size({"width": 320, "height": 640})
    site_page.goto(f"{base_url}{path}")
    overflow = site_page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0


@pytest.mark.parametrize(
    "path", ["/kebijakan-privasi/", "/en/privacy-policy/versions/1.1/changes/"]
)
def test_print_hides_navigation_and_keeps_the_text(site_page, base_url, path):
    site_page.goto(f"{base_url}{path}")
    site_page.emulate_media(media="print")
    for navigation in (".site-header", ".language-switcher", ".skip-link", ".policy-links"):
        expect(site_page.locator(navigation)).to_be_hidden()
    expect(site_page.locator("h1")).to_be_visible()
    expect(site_page.locator("main p").first).to_be_visible()


@pytest.mark.parametrize(
    ("start", "language", "target"),
    [
        ("/kebijakan-privasi/", "English", "/en/privacy-policy/"),
        ("/en/privacy-policy/", "Indonesia", "/kebijakan-privasi/"),
        ("/kebijakan-privasi/versi/1.0/", "English", "/en/privacy-policy/versions/1.0/"),
        ("/en/privacy-policy/versions/1.0/", "Indonesia", "/kebijakan-privasi/versi/1.0/"),
    ],
)
def test_switcher_without_javascript_keeps_the_version(browser, base_url, start, language, target):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base_url}{start}")
    page.locator(".language-switcher").get_by_role("link", name=language).click()
    expect(page).to_have_url(f"{base_url}{target}")
    context.close()


def test_an_unknown_address_gets_the_sites_own_page_not_found(page, base_url):
    response = page.goto(f"{base_url}/kebijakan-privasi/versi/9.9/")
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Halaman tidak ditemukan")
    page.locator(".policy-links").get_by_role("link", name="English").click()
    expect(page).to_have_url(f"{base_url}/en/")


def test_pages_send_a_strict_content_security_policy(page, base_url):
    response = page.goto(f"{base_url}/kebijakan-privasi/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.locator('meta[http-equiv="Content-Security-Policy"]').count() == 1
    external = page.locator("a[href^='https://']")
    for index in range(external.count()):
        assert external.nth(index).get_attribute("rel") == "noopener noreferrer"

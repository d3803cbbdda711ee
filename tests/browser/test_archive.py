"""A visitor browses past versions and what changed, in both languages."""

import pytest
from playwright.sync_api import expect


@pytest.mark.parametrize(
    ("current", "archive_link", "version_1_0"),
    [
        ("/kebijakan-privasi/", "Semua versi", "Versi 1.0"),
        ("/en/privacy-policy/", "All versions", "Version 1.0"),
    ],
)
def test_from_the_current_page_to_an_old_version_and_back(
    site_page, base_url, current, archive_link, version_1_0
):
    site_page.goto(f"{base_url}{current}")
    site_page.locator(".policy-links").get_by_role("link", name=archive_link).click()
    entries = site_page.locator(".version-entry h2 a")
    expect(entries).to_have_count(2)
    expect(entries.first).to_contain_text("1.1")
    site_page.get_by_role("link", name=version_1_0, exact=True).click()
    expect(site_page.locator(".version-facts dd").first).to_have_text("1.0")
    notice = site_page.locator(".notice-archived")
    expect(notice).to_be_visible()
    expect(site_page.locator("address.contact")).to_be_visible()
    site_page.goto(f"{site_page.url}#data-security")
    notice.get_by_role("link").click()
    expect(site_page).to_have_url(f"{base_url}{current}#data-security")


def test_redline_shows_insertions_and_deletions_and_links_changed_sections(site_page, base_url):
    site_page.goto(f"{base_url}/kebijakan-privasi/")
    site_page.get_by_role("link", name="Perubahan pada versi 1.1").click()
    expect(site_page).to_have_url(f"{base_url}/kebijakan-privasi/versi/1.1/perubahan/")
    redline = site_page.locator(".redline")
    expect(redline.locator("del")).to_have_count(13)
    expect(redline.locator("ins")).to_have_count(13)
    deleted = redline.locator("del").first
    assert deleted.evaluate("e => getComputedStyle(e).textDecorationLine") == "line-through"
    inserted = redline.locator("ins").first
    assert inserted.evaluate("e => getComputedStyle(e).textDecorationLine") == "underline"
    site_page.locator(".changed-sections").get_by_role("link", name="KEAMANAN DATA").click()
    expect(site_page.locator("#data-security")).to_be_in_viewport()


@pytest.mark.parametrize(
    ("start", "language", "target"),
    [
        ("/kebijakan-privasi/versi/1.0/", "English", "/en/privacy-policy/versions/1.0/"),
        ("/en/privacy-policy/versions/1.0/", "Indonesia", "/kebijakan-privasi/versi/1.0/"),
        (
            "/kebijakan-privasi/versi/1.1/perubahan/",
            "English",
            "/en/privacy-policy/versions/1.1/changes/",
        ),
        ("/en/privacy-policy/versions/", "Indonesia", "/kebijakan-privasi/versi/"),
    ],
)
def test_switcher_keeps_the_version_and_the_section(site_page, base_url, start, language, target):
    site_page.goto(f"{base_url}{start}#contact")
    site_page.locator(".language-switcher").get_by_role("link", name=language).click()
    expect(site_page).to_have_url(f"{base_url}{target}#contact")


def test_english_redline_says_the_text_did_not_change(site_page, base_url):
    site_page.goto(f"{base_url}/en/privacy-policy/versions/1.1/changes/")
    expect(site_page.locator(".notice-unchanged")).to_have_text(
        "The English text did not change between version 1.0 and version 1.1."
    )

"""A visitor reads the policy in a real browser: home, contents, language switch, contact."""

import re

import pytest
from playwright.sync_api import expect

CONTACT_LINKS = [
    "mailto:support@espay.id",
    "tel:+622130030609",
    "https://wa.me/6281133328188",
    "https://wa.me/6281133328288",
]


def test_home_page_leads_to_the_current_policy(site_page, base_url):
    site_page.goto(f"{base_url}/")
    expect(site_page.locator("html")).to_have_attribute("lang", "id")
    site_page.get_by_role("link", name="KEBIJAKAN PRIVASI").click()
    expect(site_page).to_have_url(f"{base_url}/kebijakan-privasi/")
    expect(site_page.locator("h1")).to_have_text("KEBIJAKAN PRIVASI")
    expect(site_page.locator(".version-facts")).to_contain_text("Versi")


def test_table_of_contents_jumps_to_the_section(site_page, base_url):
    site_page.goto(f"{base_url}/kebijakan-privasi/")
    site_page.locator(".toc").get_by_role("link", name="KEAMANAN DATA").click()
    expect(site_page).to_have_url(f"{base_url}/kebijakan-privasi/#data-security")
    expect(site_page.locator("#data-security")).to_be_in_viewport()


@pytest.mark.parametrize(
    ("start", "language", "target"),
    [
        ("/kebijakan-privasi/", "English", "/en/privacy-policy/"),
        ("/en/privacy-policy/", "Indonesia", "/kebijakan-privasi/"),
    ],
)
def test_language_switcher_keeps_the_section(site_page, base_url, start, language, target):
    site_page.goto(f"{base_url}{start}#contact")
    site_page.locator(".language-switcher").get_by_role("link", name=language).click()
    expect(site_page).to_have_url(f"{base_url}{target}#contact")
    expect(site_page.locator("#contact")).to_be_in_viewport()


@pytest.mark.parametrize("path", ["/kebijakan-privasi/", "/en/privacy-policy/"])
def test_contact_block_is_visible_with_working_links(site_page, base_url, path):
    site_page.goto(f"{base_url}{path}")
    block = site_page.locator("address.contact")
    expect(block).to_be_visible()
    hrefs = [link.get_attribute("href") for link in block.get_by_role("link").all()]
    assert hrefs == CONTACT_LINKS


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_text(site_page, base_url):
    site_page.goto(f"{base_url}/en/privacy-policy/")
    site_page.keyboard.press("Tab")
    skip = site_page.get_by_role("link", name="Skip to the text")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    site_page.keyboard.press("Enter")
    expect(site_page).to_have_url(re.compile(r"#main$"))
    expect(site_page.locator("main")).to_be_focused()

"""A visitor reads the policy in a real browser: home, contents, language switch, skip link.
Names and addresses come from the site's versions.json and pages."""

import re

import pytest
from playwright.sync_api import expect


@pytest.mark.theme
def test_home_page_leads_to_the_current_policy(site, site_page, at):
    for _policy, lang, language in site.languages():
        home = site.page(language["url"]).select_one(".site-name")["href"]
        site_page.goto(at(home))
        expect(site_page.locator("html")).to_have_attribute("lang", lang)
        site_page.locator(".policy-list").get_by_role("link", name=language["title"]).click()
        expect(site_page).to_have_url(at(language["url"]))
        expect(site_page.locator("h1")).to_have_text(language["title"])


@pytest.mark.theme
def test_table_of_contents_jumps_to_the_section(site, site_page, at):
    for _policy, _lang, language in site.languages():
        site_page.goto(at(language["url"]))
        last = site_page.locator(".toc > ol > li > a").last
        anchor = last.get_attribute("href")
        last.click()
        expect(site_page).to_have_url(at(language["url"]) + anchor)
        expect(site_page.locator(f"[id='{anchor[1:]}']")).to_be_in_viewport()


@pytest.mark.theme
def test_language_switcher_keeps_the_section(site, site_page, at):
    for _policy, _lang, language in site.languages():
        site_page.goto(at(language["url"]) + f"#{site.contact_anchor}")
        for link in site_page.locator(".language-switcher a[data-keep-section]").all():
            target = link.get_attribute("href")
            link.click()
            expect(site_page).to_have_url(at(target) + f"#{site.contact_anchor}")
            expect(site_page.locator(f"[id='{site.contact_anchor}']")).to_be_in_viewport()
            site_page.goto(at(language["url"]) + f"#{site.contact_anchor}")


@pytest.mark.theme
def test_skip_link_is_the_first_stop_and_moves_focus_to_the_text(site, site_page, at):
    site_page.goto(at("/en/"))
    site_page.keyboard.press("Tab")
    skip = site_page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    site_page.keyboard.press("Enter")
    expect(site_page).to_have_url(re.compile(r"#main$"))
    expect(site_page.locator("main")).to_be_focused()

"""A visitor browses past versions and what changed, in both languages. Versions, links
and marks come from the site's versions.json and built pages."""

import pytest
from playwright.sync_api import expect


def superseded(language):
    return [v for v in language["versions"] if v["status"] == "superseded"]


def walked(site):
    """The languages a visitor's walk is tried in: every one on the shipped site, the
    original language on a scenario's (the walk is the same in each language)."""
    languages = list(site.languages())
    if site.name == "shipped":
        return languages
    return [entry for entry in languages if entry[1] == site.original_lang(entry[0])]


def test_from_the_current_page_to_an_old_version_and_back(site, site_page, at):
    """Through the archive to the oldest version no longer in effect (to the only version,
    for a policy that has one) and back to the current page from its notice."""
    for _policy, _lang, language in walked(site):
        older = superseded(language)
        target = older[-1] if older else language["versions"][-1]
        site_page.goto(at(language["url"]))
        site_page.locator(f".policy-links a[href='{language['archive_url']}']").click()
        entries = site_page.locator(".version-entry h2 a")
        expect(entries).to_have_count(len(language["versions"]))
        site_page.locator(f".version-entry h2 a[href='{target['url']}']").click()
        expect(site_page.locator(".version-facts dd").first).to_have_text(target["version"])
        expect(site_page.locator("address.contact")).to_be_visible()
        notice = site_page.locator(".notice-archived")
        if not older:
            expect(notice).to_have_count(0)
            continue
        expect(notice).to_be_visible()
        site_page.goto(f"{site_page.url}#{site.contact_anchor}")
        notice.locator(f"a[href='{language['url']}']").click()
        expect(site_page).to_have_url(at(language["url"]) + f"#{site.contact_anchor}")


@pytest.mark.theme
def test_the_changed_sections_of_a_redline_lead_to_their_changes(site, site_page, at):
    for _policy, _lang, language in site.languages():
        url = next((v["changes_url"] for v in language["versions"] if v["changes_url"]), None)
        if url is None:  # a policy of one version has nothing changed yet
            continue
        site_page.goto(at(url))
        if site.page(url).select_one(".redline") is None:
            expect(site_page.locator(".notice-unchanged")).to_be_visible()
            continue
        section = site_page.locator(".changed-sections a").last
        anchor = section.get_attribute("href")
        section.click()
        expect(site_page.locator(f"[id='{anchor[1:]}']")).to_be_in_viewport()


@pytest.mark.theme
def test_switcher_keeps_the_version_and_the_section(site, site_page, at):
    for _policy, _lang, language in site.languages():
        pages = [language["archive_url"], language["versions"][-1]["url"]]
        pages += [v["changes_url"] for v in language["versions"] if v["changes_url"]][:1]
        for url in pages:
            site_page.goto(at(url) + f"#{site.contact_anchor}")
            for link in site_page.locator(".language-switcher a[data-keep-section]").all():
                target = link.get_attribute("href")
                link.click()
                expect(site_page).to_have_url(at(target) + f"#{site.contact_anchor}")
                site_page.goto(at(url) + f"#{site.contact_anchor}")

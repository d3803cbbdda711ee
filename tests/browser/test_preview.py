"""The preview a pull request keeps with its CI run opens from its unzipped folder: every
page styled, marked as a preview, and its links leading to the other pages."""

import pytest
from playwright.sync_api import expect

from tests.conftest import TODAY
from tests.sites import ROOT, build_project, project_settings, ui


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    folder = tmp_path_factory.mktemp("preview")
    return build_project(ROOT / "content", folder / "site", TODAY, preview=True)


def test_the_preview_opens_from_its_folder(preview, browser):
    page = browser.new_page()
    page.goto((preview / "index.html").as_uri())
    banner = page.locator(".preview-banner")
    home_lang = project_settings()["DEFAULT_LANG"]
    expect(banner).to_have_text(ui(home_lang, "Preview — not in effect", ROOT / "translations"))
    assert banner.evaluate("e => getComputedStyle(e).fontWeight") == "700", "styled"
    page.locator(".policy-list > li > a").first.click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.startswith(preview.as_uri()) and page.url.endswith("/index.html")
    expect(page.locator(".preview-banner")).to_be_visible()
    page.locator(".policy-links a").first.click()
    expect(page.locator(".version-entry").first).to_be_visible()
    assert page.url.endswith("/index.html")

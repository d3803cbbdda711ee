"""Build a small fixture site and read the pages a visitor would get."""

import re
from xml.etree import ElementTree

from tests.sites import (
    FIXTURE,
    FIXTURE_POLICY_SITE,
    POLICY_ID,
    build,
    read_page,
    ui,
    write_policies,
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
PAGES = {
    "": "id",
    "en/": "en",
    "kebijakan-contoh/": "id",
    "kebijakan-contoh/versi/": "id",
    "kebijakan-contoh/versi/1.0/": "id",
    "en/example-policy/": "en",
    "en/example-policy/versions/": "en",
    "en/example-policy/versions/1.0/": "en",
    "kebijakan-contoh/riwayat/data-collection/": "id",
    "kebijakan-contoh/riwayat/contact/": "id",
    "en/example-policy/history/data-collection/": "en",
    "en/example-policy/history/contact/": "en",
}


def test_one_build_writes_every_page_of_the_url_map(content, tmp_path):
    output = build(content, tmp_path / "output")
    written = sorted(str(path.relative_to(output)) for path in output.rglob("index.html"))
    assert written == sorted(f"{url}index.html" for url in PAGES)
    assert (output / "versions.json").is_file()
    assert (output / "kebijakan-contoh/versi/atom.xml").is_file()
    for url, lang in PAGES.items():
        assert read_page(output, url).html["lang"] == lang


def test_pages_link_their_other_languages(content, tmp_path):
    output = build(content, tmp_path / "output")
    page = read_page(output, "en/example-policy/")
    alternates = {
        link["hreflang"]: link["href"] for link in page.select('link[rel="alternate"][hreflang]')
    }
    assert alternates == {
        "id": "/kebijakan-contoh/",
        "en": "/en/example-policy/",
        "x-default": "/kebijakan-contoh/",
    }
    assert page.select_one('link[rel="canonical"]')["href"] == "/en/example-policy/"
    switch = page.select_one(".language-switcher a[hreflang=id]")
    assert switch["href"] == "/kebijakan-contoh/"
    assert page.select_one(".language-switcher [aria-current]").get_text() == "English"


def test_ui_strings_and_dates_follow_the_page_language(content, tmp_path):
    output = build(content, tmp_path / "output")
    indonesian = read_page(output, "kebijakan-contoh/")
    english = read_page(output, "en/example-policy/")
    assert indonesian.select_one("#toc-title").get_text() == "Daftar isi"
    assert english.select_one("#toc-title").get_text() == "Contents"
    assert indonesian.select_one(".skip-link").get_text() == "Langsung ke isi"
    assert indonesian.select_one(".version-facts time").get_text() == "15 Januari 2026"
    assert english.select_one(".version-facts time").get_text() == "15 January 2026"
    assert english.select_one(".version-facts time")["datetime"] == "2026-01-15"
    home = read_page(output, "")
    assert "Versi 1.0 · Mulai berlaku 15 Januari 2026" in home.get_text()


def test_translation_says_the_original_prevails(content, tmp_path):
    output = build(content, tmp_path / "output")
    note = read_page(output, "en/example-policy/").select_one(".notice-translation")
    assert "the Indonesian text prevails" in note.get_text()
    assert note.a["href"] == "/kebijakan-contoh/"
    assert read_page(output, "kebijakan-contoh/").select_one(".notice-translation") is None


def test_sections_have_permalinks_and_a_table_of_contents(content, tmp_path):
    output = build(content, tmp_path / "output")
    page = read_page(output, "kebijakan-contoh/")
    anchors = [heading["id"] for heading in page.select(".policy-text h2")]
    assert anchors == ["data-collection", "contact"]
    assert [a["href"] for a in page.select(".policy-text .permalink")] == [
        "#data-collection",
        "#contact",
    ]
    assert (
        page.select_one(".permalink")["aria-label"]
        == "Tautan ke bagian ini: Data yang Kami kumpulkan"
    )
    assert [a["href"] for a in page.select(".toc a")] == ["#data-collection", "#contact"]


def test_contact_lines_become_a_block_of_working_links(content, tmp_path):
    output = build(content, tmp_path / "output")
    for url in ("kebijakan-contoh/", "en/example-policy/"):
        block = read_page(output, url).select_one("#contact ~ address.contact, address.contact")
        assert [a["href"] for a in block.select("a")] == [
            "mailto:support@espay.id",
            "tel:+622130030609",
            "https://wa.me/6281133328188",
            "https://wa.me/6281133328288",
        ]
        assert block.select_one(".contact-phone a").get_text() == "(021) 3003 0609"
    text = read_page(output, "kebijakan-contoh/").select_one(".policy-text").get_text(" ")
    assert re.search(r"Chat WhatsApp\s+081133328188\s+/\s+081133328288", text)


def test_publishing_build_has_absolute_urls_and_a_sitemap(content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://legal.example.id")
    output = build(content, tmp_path / "output", settings_file="publishconf.py")
    page = read_page(output, "en/example-policy/")
    assert (
        page.select_one('link[rel="canonical"]')["href"]
        == "https://legal.example.id/en/example-policy/"
    )
    assert page.select_one('meta[property="og:url"]')["content"] == (
        "https://legal.example.id/en/example-policy/"
    )
    sitemap = ElementTree.parse(output / "sitemap.xml").getroot()
    entries = {
        entry.find(f"{SITEMAP}loc").text: entry for entry in sitemap.findall(f"{SITEMAP}url")
    }
    entry = entries["https://legal.example.id/en/example-policy/"]
    assert (
        entry.find(f"{SITEMAP}lastmod").text == "2026-01-01"
    )  # the day of the text's commit, in the site's time zone
    assert {link.get("hreflang"): link.get("href") for link in entry.findall(f"{XHTML}link")} == {
        "id": "https://legal.example.id/kebijakan-contoh/",
        "en": "https://legal.example.id/en/example-policy/",
        "x-default": "https://legal.example.id/kebijakan-contoh/",
    }
    assert not [loc for loc in entries if "404" in loc]
    robots = (output / "robots.txt").read_text()
    assert robots == "User-agent: *\nAllow: /\n\nSitemap: https://legal.example.id/sitemap.xml\n"


def test_robots_txt_is_not_written_below_a_path(content, tmp_path, monkeypatch):
    monkeypatch.setenv("SITEURL", "https://legal.example.id/kebijakan")
    output = build(content, tmp_path / "output", settings_file="publishconf.py")
    assert (output / "sitemap.xml").is_file()
    assert not (output / "robots.txt").exists()


def test_policy_marked_untranslated_builds_without_that_language(repo, tmp_path):
    (repo / "content/policies/example/en.md").unlink()
    output = build(
        repo / "content", tmp_path / "output", policy_site={"untranslated": {"example": ["en"]}}
    )
    assert (output / "kebijakan-contoh/index.html").is_file()
    assert not (output / "en/example-policy").exists()
    page = read_page(output, "kebijakan-contoh/")
    assert page.select(".language-switcher a") == []
    assert read_page(output, "en/").select(".policy-list li") == []


MARKDOWN_AS_GITHUB_SHOWS_IT = """\

| Data | Tujuan |
| :--- | ---: |
| Nama | Akun |

Kami mengumpulkan:
- data akun
  - nama
  - e-mail
- data perangkat
    - alamat IP

Harga ~~lama~~ baru.
"""


def test_markdown_shows_as_githubs_preview_shows_it(repo, tmp_path):
    text = POLICY_ID.replace(
        "Teks pembuka kebijakan.\n", f"Teks pembuka kebijakan.\n{MARKDOWN_AS_GITHUB_SHOWS_IT}"
    )
    write_policies(repo / "content", {"example/id.md": text})
    output = build(repo / "content", tmp_path / "output", today="2026-01-10")
    body = read_page(output, "kebijakan-contoh/").select_one(".policy-text")
    table = body.select_one("table")
    assert [th.get_text() for th in table.select("thead th")] == ["Data", "Tujuan"]
    assert [td.get("align") for td in table.select("tbody td")] == ["left", "right"]
    outer = body.select_one("p + ul")
    assert [li.find(string=True).strip() for li in outer.find_all("li", recursive=False)] == [
        "data akun",
        "data perangkat",
    ]
    assert [li.get_text() for li in outer.select("li > ul > li")] == ["nama", "e-mail", "alamat IP"]
    assert body.select_one("s").get_text() == "lama"
    assert body.select(".redline, del") == []


def test_head_footer_and_names_a_visitor_and_a_link_preview_see(content, tmp_path):
    output = build(content, tmp_path / "output", today="2026-02-01")
    english = read_page(output, "en/example-policy/")
    indonesian = read_page(output, "kebijakan-contoh/")
    assert english.select_one('meta[name="description"]')["content"] == (
        "Opening text of the policy."
    )
    og = {m["property"]: m["content"] for m in english.select('meta[property^="og:"]')}
    assert og == {
        "og:type": "website",
        "og:site_name": FIXTURE["SITENAME"],
        "og:title": f"Example Policy · {FIXTURE['SITENAME']}",
        "og:description": "Opening text of the policy.",
        "og:locale": "en_GB",
        "og:locale:alternate": "id_ID",
    }
    titles = {read_page(output, url).title.get_text() for url in ("", "en/")}
    assert titles == {f"{ui(lang, 'Policies')} · {FIXTURE['SITENAME']}" for lang in ("id", "en")}
    switch = english.select_one(".language-switcher a[hreflang=id]")
    assert switch.get_text() == "Bahasa Indonesia"
    footer = indonesian.select_one(".site-footer")
    controller = FIXTURE_POLICY_SITE["controller"]
    assert ui("id", "Data controller: %(name)s", name=controller) in footer.get_text()
    assert footer.select_one("a[href$='#contact']")["href"] == "/kebijakan-contoh/#contact"
    not_found = read_page(output, "404.html")
    assert [s["lang"] for s in not_found.select("section.not-found")] == ["id", "en"]
    assert ui("id", "There is no page at this address.") in not_found.get_text()
    assert "There is no page at this address." in not_found.get_text()


def test_dates_ahead_are_worded_as_taking_effect(content, tmp_path):
    output = build(content, tmp_path / "output", today="2026-01-10")
    feed = (output / "kebijakan-contoh/versi/atom.xml").read_text()
    assert "<title>Versi 1.0, mulai berlaku 15 Januari 2026</title>" in feed
    facts = read_page(output, "kebijakan-contoh/").select_one(".version-facts").get_text()
    assert "Mulai berlaku" in facts and "15 Januari 2026" in facts

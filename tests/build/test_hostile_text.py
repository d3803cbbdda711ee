"""Text that looks like markup stays text in every output: the pages, the redlines, the
feeds, versions.json and the sitemap."""

import json
import re
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup

from policy_site.errors import NOTICE
from tests.sites import (
    FIXTURE,
    POLICY_EN,
    POLICY_ID,
    build,
    commit_policies,
    copy_translations,
    example_repo,
    read_page,
    refused,
)

META = '<meta http-equiv="refresh" content="0;url=https://evil.example">'
TITLE = 'Kebijakan <b>Contoh</b> & "Uji"'
SUMMARY = '<script>alert(1)</script> & "kutipan" </summary><x>'
PARAGRAPHS = [META, "Anak berusia <18 tahun & orang tuanya."]


def hostile(text, lang):
    escaped = "\n\n".join(p.replace("&", "&amp;").replace("<", "&lt;") for p in PARAGRAPHS)
    text = text.replace("Version: 1.0", "Version: 1.1").replace(
        "Effective: 2026-01-15", "Effective: 2026-02-01"
    )
    text = text.replace("Summary: First version.", "Summary: Second version.")
    if lang == "id":
        text = text.replace("Title: Kebijakan Contoh", f"Title: {TITLE}")
        text = text.replace("Summary: Versi pertama.", f"Summary: {SUMMARY}")
        text = text.replace("Teks pembuka kebijakan.", escaped)
    return text


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Version 1.1 with hostile text in every field, published; built once, for tests
    that only read it."""
    folder = tmp_path_factory.mktemp("hostile")
    repo = example_repo(folder)
    commit_policies(
        repo,
        {
            "example/id.md": hostile(POLICY_ID, "id"),
            "example/en.md": hostile(POLICY_EN, "en"),
        },
        date="2026-01-20T10:00:00+07:00",
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SITEURL", "https://legal.example.id")
        return build(
            repo / "content", folder / "out", settings_file="publishconf.py", today="2026-02-05"
        )


HTML_PAGES = [
    "kebijakan-contoh/index.html",
    "kebijakan-contoh/versi/1.1/index.html",
    "kebijakan-contoh/versi/1.1/perubahan/index.html",
    "kebijakan-contoh/versi/1.0/bandingkan/index.html",
    "kebijakan-contoh/versi/index.html",
    "index.html",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_markup_in_the_text_is_shown_as_text_on_every_page(built, path):
    soup = BeautifulSoup((built / path).read_text(encoding="utf-8"), "html.parser")
    assert soup.select("meta[http-equiv=refresh], b, x") == []
    assert [s.get("src").rsplit(".", 2)[0] for s in soup.select("script")] == [
        "https://legal.example.id/theme/assets/keep-section"
    ]
    text = " ".join(soup.get_text(" ").split())
    assert TITLE in text
    if "versi/index" in path or "perubahan" in path:
        assert SUMMARY in text
    if path != "index.html" and "versi/index" not in path:
        for label in soup.select(".redline .visually-hidden, .redline .next-change"):
            label.decompose()  # what a screen reader hears around a mark; the path of changes
        shown = [" ".join(p.get_text().split()) for p in soup.select("p")]
        for paragraph in PARAGRAPHS:
            assert paragraph in shown


def test_feeds_carry_the_text_as_text(built):
    feed = ElementTree.parse(built / "kebijakan-contoh/versi/atom.xml").getroot()
    atom = "{http://www.w3.org/2005/Atom}"
    summaries = feed.findall(f"{atom}entry/{atom}summary")
    assert [(s.get("type"), s.text, list(s)) for s in summaries][0] == ("text", SUMMARY, [])
    assert feed.find(f"{atom}title").text == f"{TITLE} · {FIXTURE['SITENAME']}"


def test_versions_json_carries_the_text_as_text(built):
    index = json.loads((built / "versions.json").read_text(encoding="utf-8"))
    language = index["policies"]["example"]["languages"]["id"]
    assert language["title"] == TITLE
    assert language["versions"][0]["summary"] == SUMMARY


def test_the_sitemap_is_well_formed(built):
    sitemap = ElementTree.parse(built / "sitemap.xml").getroot()
    locations = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://legal.example.id/kebijakan-contoh/versi/1.1/" in locations


def _catalog_with(tmp_path, msgid, msgstr, header=None):
    """A copy of the catalogs whose Indonesian ``msgid`` is translated as ``msgstr``."""
    folder = copy_translations(tmp_path / "translations")
    path = folder / "id" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    entry = re.search(rf'msgid "{re.escape(msgid)}"\nmsgstr "[^\n]*"\n', text)
    assert entry, msgid
    text = text.replace(entry[0], f'msgid "{msgid}"\nmsgstr "{msgstr}"\n')
    if header:
        text = re.sub(r'"Plural-Forms: [^"]*\\n"', f'"Plural-Forms: {header}\\\\n"', text)
    path.write_text(text, encoding="utf-8")
    return folder


def test_an_untranslated_string_is_a_warning_at_its_line_and_shows_in_english(
    repo, tmp_path, caplog
):
    catalogs = _catalog_with(tmp_path, "Skip to main content", "")
    po = catalogs / "id" / "LC_MESSAGES" / "messages.po"
    line = po.read_text(encoding="utf-8").split("\n").index('msgid "Skip to main content"') + 1
    with caplog.at_level(NOTICE, logger="policy_site"):
        output = build(repo / "content", tmp_path / "out", catalogs, today="2026-02-01")
    warnings = [r.getMessage() for r in caplog.records if r.levelno == NOTICE]
    assert warnings == [
        f"{po}:{line}: 'Skip to main content' is not translated; pages in id show it in "
        "English until it is (translate its msgstr)"
    ]
    assert read_page(output, "").select_one(".skip-link").get_text() == "Skip to main content"


def test_a_translation_is_text_whatever_it_holds(repo, tmp_path):
    catalogs = _catalog_with(
        tmp_path, "Skip to main content", '\\" onfocus=\\"alert(1)\\" autofocus x=\\"'
    )
    output = build(repo / "content", tmp_path / "out", catalogs, today="2026-02-01")
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert soup.select("[onfocus], [autofocus]") == []
    assert soup.select_one(".skip-link").get_text() == '" onfocus="alert(1)" autofocus x="'


@pytest.mark.parametrize(
    ("msgid", "msgstr", "header", "expected"),
    [
        (
            "All policies",
            '<meta http-equiv=\\"refresh\\" content=\\"0;url=https://evil.example\\">',
            None,
            "holds markup (<meta http-equiv=",
        ),
        ("Version %(version)s", "Versi %(versi)s", None, "has the placeholders ['versi']"),
        ("Version %(version)s", "Versi 100% %(version)s", None, "has a '%' that is no placeholder"),
        ("Contents", "Daftar isi", "nplurals=2; plural=(n !=", "Plural-Forms"),
    ],
)
def test_a_broken_or_hostile_catalog_is_refused_at_its_line(
    repo, tmp_path, msgid, msgstr, header, expected
):
    catalogs = _catalog_with(tmp_path, msgid, msgstr, header)
    problems = refused(
        repo / "content", tmp_path / "out", translations_dir=catalogs, today="2026-02-01"
    )
    assert any(
        problem.startswith(f"{catalogs}/id/LC_MESSAGES/messages.po") and expected in problem
        for problem in problems
    ), problems


def test_the_preview_carries_the_content_security_policy(repo, tmp_path):
    output = build(
        repo / "content", tmp_path / "out", policy_site={"preview": True}, today="2026-02-01"
    )
    soup = BeautifulSoup((output / "index.html").read_text(encoding="utf-8"), "html.parser")
    policy = soup.select_one("meta[http-equiv=Content-Security-Policy]")["content"]
    assert "script-src 'self'" in policy and "default-src 'none'" in policy

"""The archival PDF of every text of every version, read with pypdf (not the library
that made it): the page's text word for word, fonts embedded, PDF/A-2a declared with
the document's language, and its address, SHA-256 and size in versions.json."""

import hashlib
import io
import json
import logging
import os
import re
import shutil
import time
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.sites import (
    FIXTURE,
    FIXTURE_POLICY_SITE,
    POLICY_EN,
    both,
    build,
    commit_policies,
    example_repo,
    read_page,
    snapshot,
    ui,
)

WITH_PDF = {"pdf": True}
WITH_PDF_CACHED = {"pdf": True, "cache": True}


@pytest.fixture
def history(repo):
    return corrected(repo)


@pytest.fixture(scope="module")
def built_with_cache(tmp_path_factory):
    """The site of ``history``, with its PDFs, built once, as a development build is
    (with a cache, empty before it): its output and its repository, which the tests only
    read, and its cache, which a test copies to use."""
    folder = tmp_path_factory.mktemp("pdfs")
    repo = corrected(example_repo(folder))
    cache = folder / "cache"
    options = {"policy_site": WITH_PDF_CACHED, "CACHE_PATH": str(cache), "today": "2026-02-05"}
    return build(repo / "content", folder / "out", **options), repo, cache


@pytest.fixture(scope="module")
def built(built_with_cache):
    return built_with_cache[0]


@pytest.fixture
def its_cache(built_with_cache, tmp_path):
    """A copy of the cache ``built`` left, for a test to build with."""
    return Path(shutil.copytree(built_with_cache[2], tmp_path / "cache", symlinks=True))


def corrected(repo):
    """1.0 (the fixture), 1.1 of both languages, then a correction of its English text
    (which adds a list numbered from 3 and a footnote)."""
    commit_policies(repo, both("1.1", "2026-02-01"), date="2026-01-20T10:00:00+07:00")
    english = POLICY_EN.replace("Version: 1.0", "Version: 1.1").replace(
        "Effective: 2026-01-15", "Effective: 2026-02-01"
    )
    english = english.replace("Summary: First version.", "Summary: Summary 1.1.")
    english = english.replace("We collect", "We gather")
    english = english.replace(
        "## Contact",
        "It keeps them[^law]:\n\n3. while you use the service;\n4. as the law asks.\n\n## Contact",
    )
    english += "\n[^law]: For as long as the law of the country asks.\n"
    commit_policies(repo, {"example/en.md": english}, date="2026-02-03T10:00:00+07:00")
    return repo


def versions(output):
    index = json.loads((output / "versions.json").read_text(encoding="utf-8"))
    for entry in index["policies"].values():
        for lang, language in entry["languages"].items():
            for version in language["versions"]:
                yield lang, version


def words(text):
    """Runs of letters and runs of digits: a footnote's number, set higher, comes out of a
    PDF joined to the word before it ("them1")."""
    return re.findall(r"[^\W\d_]+|\d+", text)


def page_words(page):
    """The words a reader sees in a page's policy text."""
    text = page.select_one(".policy-text")
    for hidden in text.select(".permalink, .section-history, .visually-hidden"):
        hidden.decompose()
    return words(text.get_text(" "))


def in_order(needles, haystack):
    """Whether ``needles`` appear in ``haystack`` in their order."""
    rest = iter(haystack)
    return all(any(word == seen for seen in rest) for word in needles)


def test_every_version_page_links_a_pdf_of_its_text(built):
    for lang, version in versions(built):
        data = (built / version["pdf_url"].lstrip("/")).read_bytes()
        assert hashlib.sha256(data).hexdigest() == version["pdf_sha256"]
        assert len(data) == version["pdf_bytes"]
        page = read_page(built, version["url"].lstrip("/"))
        link = page.select_one(".policy-links a[type='application/pdf']")
        assert link["href"] == version["pdf_url"]
        reader = PdfReader(io.BytesIO(data))
        text = "\n".join(p.extract_text() for p in reader.pages)
        assert in_order(page_words(page), words(text)), (lang, version["version"])
        for number, pdf_page in enumerate(reader.pages, start=1):
            label = ui(lang, "Page %(page)s of %(pages)s", page=number, pages=len(reader.pages))
            footer = pdf_page.extract_text()
            assert label in footer and version["url"] in footer


def test_a_pdf_numbers_its_lists_as_the_page_does(built):
    numbered_from_3 = 0
    for _lang, version in versions(built):
        page = read_page(built, version["url"].lstrip("/"))
        numbers = []
        for listing in page.select(".policy-text ol"):
            start = int(listing.get("start", 1))
            numbered_from_3 += start == 3
            count = len(listing.find_all("li", recursive=False))
            numbers.extend(str(number) for number in range(start, start + count))
        text = pdf_text(built / version["pdf_url"].lstrip("/"))
        markers = re.findall(r"(?m)^\s*(\d+)\.\s*$", text)  # a list marker: a line of its own
        assert sorted(markers) == sorted(numbers), version["url"]
    assert numbered_from_3, "a text of the history numbers a list from 3"


def test_a_pdf_shows_footnotes_without_the_pages_links_back(built):
    """On paper, the way back to a footnote's reference leads nowhere: the PDF shows the
    note, not its back link."""
    with_notes = 0
    for _lang, version in versions(built):
        page = read_page(built, version["url"].lstrip("/"))
        notes = page.select(".policy-text .footnotes li")
        if not notes:
            continue
        with_notes += 1
        back = {link.get_text().strip() for link in page.select(".footnote-backref")}
        text = pdf_text(built / version["pdf_url"].lstrip("/"))
        for note in notes:
            for link in note.select(".footnote-backref"):
                link.decompose()
            assert in_order(words(note.get_text(" ")), words(text)), version["url"]
        assert back and not any(mark in text for mark in back), version["url"]
    assert with_notes, "a text of the history has a footnote"


def pdf_text(path):
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_a_pdf_is_archival_with_its_fonts_language_and_facts(built):
    for lang, version in versions(built):
        path = built / version["pdf_url"].lstrip("/")
        with pikepdf.open(path) as pdf:
            assert pdf.check_pdf_syntax() == [], "qpdf finds no fault"
            with pdf.open_metadata() as xmp:
                assert xmp.pdfa_status == "2A"
                assert xmp["xmp:CreateDate"] == xmp["xmp:ModifyDate"]
        reader = PdfReader(path)
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
        assert re.search(r"pdfaid:part(=\"|>)2\b", xmp), "PDF/A-2"
        assert re.search(r"pdfaid:conformance(=\"|>)A\b", xmp), "level A: tagged"
        assert "/StructTreeRoot" in root, "tagged for screen readers"
        assert reader.metadata.author == FIXTURE_POLICY_SITE["controller"]
        assert version["version"] in reader.metadata.title
        assert FIXTURE["SITENAME"] in reader.metadata.title
        page = read_page(built, version["url"].lstrip("/"))
        headings = [h.get_text().strip() for h in page.select(".policy-text h2")]
        marks = [mark.title for mark in _flat(reader.outline)]
        assert marks[1:] == headings, "bookmarks from the headings"
        fonts = {
            font.get_object()["/BaseFont"]: font.get_object()
            for page in reader.pages
            for font in page["/Resources"]["/Font"].values()
        }
        assert fonts and all(re.fullmatch(r"/[A-Z]{6}\+Noto-Serif.*", name) for name in fonts)
        for font in fonts.values():
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor.get_object(), "embedded"


def _flat(outline):
    for item in outline:
        if isinstance(item, list):
            yield from _flat(item)
        else:
            yield item


def test_a_corrected_translation_is_a_new_pdf_and_its_version_links_the_newest(built):
    english = {v["version"]: v for lang, v in versions(built) if lang == "en"}
    revisions = english["1.1"]["revisions"]
    assert [r["revision"] for r in revisions] == [1, 2]
    first, second = (built / r["pdf_url"].lstrip("/") for r in revisions)
    assert first != second and first.is_file() and second.is_file()
    assert english["1.1"]["pdf_url"] == revisions[-1]["pdf_url"]
    assert "gather" in PdfReader(second).pages[0].extract_text()
    assert "gather" not in PdfReader(first).pages[0].extract_text()


def test_one_commit_gives_the_same_pdf_bytes_and_a_new_version_leaves_older_ones(
    built, history, tmp_path
):
    """Whenever and wherever it is built, with a cache or without: each build's date is in
    ``SOURCE_DATE_EPOCH``, as CI sets it, which fontTools would date the font subsets with."""
    second = build(history / "content", tmp_path / "b", policy_site=WITH_PDF, today="2026-02-09")
    pdfs = {name: data for name, data in snapshot(built).items() if name.endswith(".pdf")}
    assert len(pdfs) == 5
    assert pdfs == {n: d for n, d in snapshot(second).items() if n.endswith(".pdf")}
    commit_policies(history, both("1.2", "2026-03-01"), date="2026-02-20T10:00:00+07:00")
    later = build(history / "content", tmp_path / "c", policy_site=WITH_PDF, today="2026-03-02")
    after = snapshot(later)
    assert all(after[name] == data for name, data in pdfs.items())


def test_a_rebuild_takes_its_pdfs_from_the_cache(built_with_cache, its_cache, tmp_path, caplog):
    built, repo, _cache = built_with_cache
    options = {"policy_site": WITH_PDF_CACHED, "CACHE_PATH": str(its_cache)}
    with caplog.at_level(logging.INFO, logger="policy_site"):
        build(repo / "content", tmp_path / "b", today="2026-02-05", **options)
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Cache:")]
    assert said and " 0 made;" in said[-1]
    assert snapshot(built) == snapshot(tmp_path / "b")


def test_builds_of_other_settings_share_the_pdfs_and_an_unused_one_goes(
    its_cache, history, tmp_path
):
    """A preview makes no PDF a build made before it; a PDF no build used for 30 days is
    removed."""
    cache = its_cache
    store = cache / "policy_site" / "pdf"
    options = {"today": "2026-02-05", "CACHE_PATH": str(cache)}
    made = sorted(store.rglob("*.pdf"))
    assert len(made) == 5
    old = store / "00" / f"{'0' * 64}.pdf"
    old.parent.mkdir()
    old.write_bytes(b"%PDF-1.7 from a text no build shows any more")
    os.utime(old, (time.time() - 31 * 86400,) * 2)
    preview = {**WITH_PDF_CACHED, "preview": True}
    build(history / "content", tmp_path / "preview", policy_site=preview, **options)
    assert sorted(store.rglob("*.pdf")) == made  # none made again, the old one gone
    assert len(list((cache / "policy_site").iterdir())) == 3  # two fingerprints, the PDFs


def test_a_pdf_reads_no_file_but_the_theme_fonts_and_stylesheet(tmp_path):
    from policy_site.errors import SiteError
    from policy_site.pdf import render_pdf
    from tests.sites import ROOT

    secret = tmp_path / "secret.css"
    secret.write_text("body { color: red }", encoding="utf-8")
    page = (
        f'<html><head><link rel="stylesheet" href="{secret.as_uri()}"></head><body>x</body></html>'
    )
    with pytest.raises(SiteError, match="reads only the theme"):
        render_pdf(page, str(ROOT / "theme"))


def test_a_word_longer_than_a_line_breaks_on_paper_as_on_the_page():
    """In a paragraph, a list and a table cell: no line runs off the page."""
    from policy_site.pdf import render_pdf
    from tests.sites import ROOT

    word = "Panjang" * 45
    html = (
        '<html lang="id"><head><title>t</title><link rel="stylesheet" href="pdf/pdf.css">'
        f'</head><body><div class="policy-text"><p>Kata {word} kata.</p><ul><li>{word}</li>'
        f"</ul><table><tr><td>{word}</td><td>b</td></tr></table></div></body></html>"
    )
    pdf = render_pdf(html, str(ROOT / "theme"))
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "".join(text.split()).count(word) == 3, "every letter is there"
    assert max(len(line) for line in text.split("\n")) < 120  # an A4 line holds fewer

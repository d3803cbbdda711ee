"""The project's own policy: its text, its anchors and its contact block as shipped."""

import re
import subprocess

from tests.conftest import read_page
from tests.sites import ROOT

ID_FILE = "content/policies/privacy/id.md"
SEED = ROOT / "tests" / "data" / "kebijakan-privasi-kasir-id.txt"
PAGES = ("kebijakan-privasi/", "en/privacy-policy/")
SECTIONS = [
    "data-collection",
    "data-use",
    "third-party-sharing",
    "cookies",
    "data-security",
    "contact",
    "policy-changes",
]


def git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout


def text_of_version(path, version):
    """The file as committed last with ``Version: <version>``."""
    for commit in git("log", "--format=%H", "--", path).split():
        text = git("show", f"{commit}:{path}")
        if re.search(rf"^Version: {re.escape(version)}$", text, re.MULTILINE):
            return text
    raise AssertionError(f"no commit of {path} has Version {version}")


def plain_text(markdown_file):
    """Title and body of a policy file, without heading marks and anchors, white space folded.

    List items keep their '- ' and links their '<>', as the original text writes them.
    """
    head, body = markdown_file.split("\n\n", 1)
    title = re.search(r"^Title: (.*)$", head, re.MULTILINE)[1]
    body = re.sub(r"\s*\{[:#][^}]*\}", "", body)
    body = re.sub(r"^#+ ", "", body, flags=re.MULTILINE)
    return " ".join(f"{title}\n{body}".split())


def test_indonesian_version_1_0_in_git_is_the_original_text_word_for_word():
    seed = " ".join(SEED.read_text(encoding="utf-8").split())
    assert plain_text(text_of_version(ID_FILE, "1.0")) == seed


def test_every_section_is_rendered_with_the_same_anchors_in_both_languages(real_site):
    for url in PAGES:
        page = read_page(real_site, url)
        assert [h["id"] for h in page.select(".policy-text h2")] == SECTIONS
        assert [a["href"] for a in page.select(".toc a")] == [f"#{s}" for s in SECTIONS]


def test_rendering_keeps_every_word_of_the_indonesian_text(real_site):
    source = plain_text((ROOT / ID_FILE).read_text(encoding="utf-8"))
    source = re.sub(r"<(https://[^>]+)>", r"\1", source).replace(" - ", " ")
    page = read_page(real_site, "kebijakan-privasi/")
    rendered = page.h1.get_text() + " " + page.select_one(".policy-text").get_text(" ")
    words = re.compile(r"[\w@.()/-]+")
    rendered_words = [w for w in words.findall(rendered) if w != "#"]
    assert rendered_words == words.findall(source)


def test_contact_block_on_both_pages(real_site):
    for url in PAGES:
        links = [a["href"] for a in read_page(real_site, url).select("address.contact a")]
        assert links == [
            "mailto:support@espay.id",
            "tel:+622130030609",
            "https://wa.me/6281133328188",
            "https://wa.me/6281133328288",
        ]


SPELLING_CORRECTIONS = [
    ("dimana", "di mana"),
    ("kami", "Kami"),
    ("apapun", "apa pun"),
    ("Product.", "Produk."),
    ("kami", "Kami"),
    ("efektifitas", "efektivitas"),
    ("apapun", "apa pun"),
    ("PENGUNAAN", "PENGGUNAAN"),
    ("kami", "Kami"),
    ("Anda,", "Anda."),
    ("silahkan", "silakan"),
    ("Whats App", "WhatsApp"),
    ("anda", "Anda"),
]


def marks(page, name):
    """Texts of the ``ins`` or ``del`` marks of a redline, without their hidden labels."""
    found = []
    for mark in page.select(f".redline {name}"):
        for label in mark.select(".visually-hidden"):
            label.decompose()
        found.append(mark.get_text())
    return found


def test_archive_has_versions_1_0_and_1_1_in_both_languages(real_site):
    for archive in ("kebijakan-privasi/versi/", "en/privacy-policy/versions/"):
        entries = read_page(real_site, archive).select(".version-entry h2 a")
        assert [a["href"] for a in entries] == [f"/{archive}1.1/", f"/{archive}1.0/"]


def test_redline_of_1_1_shows_exactly_the_spelling_corrections(real_site):
    page = read_page(real_site, "kebijakan-privasi/versi/1.1/perubahan/")
    assert list(zip(marks(page, "del"), marks(page, "ins"), strict=True)) == SPELLING_CORRECTIONS
    english = read_page(real_site, "en/privacy-policy/versions/1.1/changes/")
    assert english.select(".redline") == []
    assert "The English text did not change between version 1.0 and version 1.1." in (
        english.select_one(".notice-unchanged").get_text()
    )

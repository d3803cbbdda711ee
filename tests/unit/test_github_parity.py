"""The site shows every text as GitHub's preview shows it, or refuses it with a message
that says what to write instead: each case of ``tests/data/github_markdown.txt`` is
rendered by the site and by cmark-gfm (GitHub's renderer), and compared here with a
reading of the two HTML trees of the test's own."""

import re
from pathlib import Path
from urllib.parse import unquote

import cmarkgfm
import pytest
from bs4 import BeautifulSoup, NavigableString
from cmarkgfm.cmark import Options

from policy_site.document import read_document
from policy_site.errors import Problems
from policy_site.rendering import Renderer, RenderOptions

CORPUS = Path(__file__).resolve().parents[1] / "data" / "github_markdown.txt"
FRONT_MATTER = (
    "Title: Uji\nPolicy: test\nLang: id\nSlug: uji\nVersion: 1.0\n"
    "Effective: 2026-01-15\nSummary: Uji.\n\n"
)
CONTACT = "## Kontak {#contact}\n\nE-mail : uji@example.id\n{: .email }\n"
MARKED = re.compile(r"\{: \.[a-z]+ \}$")


def cases():
    found, name, lines = [], None, []
    for line in CORPUS.read_text(encoding="utf-8").split("\n"):
        if line.startswith("=== "):
            if name:
                found.append((name, "\n".join(lines).strip("\n") + "\n"))
            name, lines = line[4:], []
        elif name:
            lines.append(line)
    found.append((name, "\n".join(lines).strip("\n") + "\n"))
    return found


CASES = cases()


def render(body):
    """The site's rendering of a policy whose text is ``body`` and its problems."""
    text = f"{CONTACT}\n{body}" if re.search(r"^\{: \.", body, re.M) else f"{body}\n{CONTACT}"
    problems = Problems()
    document = read_document("corpus.md", (FRONT_MATTER + text).encode(), ("id",), problems)
    options = RenderOptions(
        contact_anchor="contact",
        phone_region="ID",
        siteurl="",
        contact_html=lambda contact: '<address class="contact"></address>',
        translator=lambda _lang: lambda message, **values: message % values,
    )
    rendered = Renderer(options).render(document, problems)
    return text, rendered, [problem.message for problem in problems.items]


def github(text):
    return cmarkgfm.markdown_to_html_with_extensions(
        text,
        Options.CMARK_OPT_FOOTNOTES,
        ["table", "autolink", "strikethrough", "tagfilter", "tasklist"],
    )


def shown(html, site):
    """What a reader gets of ``html``: block structure, list numbers, links and visible
    text; on GitHub's side without the site's own syntax, on the site's without what the
    site adds (anchors, classes, footnote back links)."""
    soup = BeautifulSoup(html, "html.parser")
    for backref in soup.select(".footnote-backref"):
        backref.decompose()
    for contact in soup.select("address") if site else soup.find_all(string=MARKED):
        (contact if site else contact.parent).decompose()  # contact lines: the site's block
    out = []

    def walk(node):
        for child in node.children:
            if isinstance(child, NavigableString):
                if child.__class__.__name__ == "NavigableString":
                    out.append(child)
                continue
            tag = {"s": "del"}.get(child.name, child.name) if site else child.name
            keep = {
                k: unquote(v) if k == "href" else v
                for k, v in child.attrs.items()
                if k in ("href", "start", "align", "title") and not (k == "start" and v == "1")
            }
            out.append(f"<{tag} {sorted(keep.items())}>")
            walk(child)
            out.append(f"</{tag}>")

    walk(soup)
    text = " ".join("".join(out).split())
    if not site:
        text = re.sub(r"\s*\{#[a-z0-9-]+\}\s*(?=</h[2-6])", "", text)
        text = re.sub(r"\s*\{: \.[a-z]+ \}\s*(?=</p)", "", text)
    return re.sub(
        r"\s*(</?(p|ul|ol|li|h\d|blockquote|table|thead|tbody|tr|th|td|section)\b)", r"\1", text
    ).replace("> ", ">")


@pytest.mark.parametrize(("name", "body"), CASES, ids=[name for name, _ in CASES])
def test_the_site_shows_what_github_shows_or_says_what_to_write(name, body):
    text, rendered, problems = render(body)
    refused = re.search(r"\| refused: (.*)$", name)
    if refused:
        assert any(refused[1] in message for message in problems), problems
        return
    assert problems == []
    assert shown(rendered.plain, site=True) == shown(github(text), site=False)


def test_the_corpus_is_large_and_names_each_case_once():
    names = [name.split(" |")[0] for name, _ in CASES]
    assert len(names) >= 100
    assert len(set(names)) == len(names)


def test_each_way_back_from_a_footnote_says_the_number_it_shows():
    """Screen readers hear the number a reader sees, not the note's label in the source:
    notes named by words, cited out of order, one cited twice (its second way back says so)."""
    _text, rendered, problems = render(
        "Satu.[^b] Dua.[^a] Tiga.[^b]\n\n[^a]: Catatan A.\n\n[^b]: Catatan B.\n"
    )
    assert not problems
    soup = BeautifulSoup(rendered.plain, "html.parser")
    notes = soup.select("section.footnotes > ol > li")
    said = [[link.get("aria-label") for link in note.select(".footnote-backref")] for note in notes]
    assert said == [
        ["Back to the text of footnote 1", "Back to reference 2 of footnote 1"],
        ["Back to the text of footnote 2"],
    ]
    # shown apart and numbered, as GitHub shows them
    assert [" ".join(note.p.get_text().split()[-2:]) for note in notes] == ["↩ ↩2", "A. ↩"]


@pytest.mark.parametrize(
    "opening",
    [
        "Kami menyimpan data Anda selama layanan berjalan dan diwajibkan oleh hukum. " * 3,
        "x" * 150,  # no space to start the quote at
    ],
)
def test_a_long_paragraph_read_differently_is_quoted_where_the_two_part(opening):
    _text, _rendered, problems = render(f"{opening}Lihat [aturan](https://example.id/a b).\n")
    [message] = problems
    github, site = re.findall(r"\u201c(.*?)\u201d", message)
    assert github != site
    assert "Lihat [aturan](https://example.id/a b)." in site
    assert github.startswith("…") and site.startswith("…")

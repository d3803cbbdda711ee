"""Turns a policy's Markdown into the HTML of its page: sections with fixed anchors, the
contact block and permalinks, every problem reported with its line in the file.

The steps: the source is read as an editor wrote it (``markdown_source``); Python-Markdown
renders it with raw HTML turned into text; the result is parsed as a browser parses it
and held to the allow-list (``sanitize``); the contact block and permalinks are added to
that tree, which is serialized once and cross-checked by ``nh3``.
"""

import copy
import functools
import html
from dataclasses import dataclass

import lxml.etree
import markdown
from markdown.extensions import Extension

from . import sanitize
from .contact import read_contact
from .markdown_source import scan

HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# ids the theme gives its own elements; a section anchor must not take one
THEME_IDS = frozenset(
    {
        "main",
        "toc-title",
        "changed-sections-title",
        "changed-text-title",
        "changed-text",
        "removed-sections-title",
    }
)


class _PolicyMarkdown(Extension):
    """Raw HTML becomes visible text and images are not read: a policy is Markdown only."""

    def extendMarkdown(self, md):
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        for name in ("image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(name)


def _converter():
    return markdown.Markdown(
        extensions=["attr_list", "toc", "tables", "pymdownx.tilde", _PolicyMarkdown()],
        extension_configs={
            "toc": {"toc_depth": "2-3"},
            "tables": {"use_align_attribute": True},
            "pymdownx.tilde": {"subscript": False},
        },
    )


@dataclass(frozen=True)
class Section:
    """A heading of the policy, as listed in the table of contents."""

    anchor: str
    title: str
    level: int
    children: tuple


@dataclass(frozen=True)
class RenderOptions:
    """What shapes a rendered text besides the text itself."""

    contact_anchor: str
    phone_region: str
    siteurl: str
    contact_html: object  # ContactBlock -> trusted HTML of the block
    permalink_label: object  # (language, section title) -> accessible name of its permalink


@dataclass(frozen=True)
class RenderedText:
    """One version's text, rendered: ``html`` for its page, ``plain`` for redlines."""

    html: str
    plain: str
    sections: tuple
    anchors: tuple
    ids: frozenset
    links: tuple  # (href as written, line)
    contact: tuple  # hrefs of the contact block, in order
    heading_lines: dict  # anchor -> line
    contact_line: int  # of the contact section's heading
    first_sentence: str  # of the text, for the page's description


class Renderer:
    """Renders texts with one Markdown converter, reset between texts."""

    def __init__(self, options):
        self.options = options
        self.markdown = _converter()

    def render(self, document, problems):
        report = _Reporter(document, problems)
        source = scan(document.body, document.source.body_line, self.options.contact_anchor)
        for problem in source.problems:
            report.at(problem.line, problem.message, problem.column)
        _check_anchors(source, report)
        self.markdown.reset()
        root = sanitize.parse_fragment(self.markdown.convert(source.text))
        sections = _sections(self.markdown.toc_tokens)
        for element in root.iter("del"):
            element.tag = "s"  # ~~struck~~ text; <del> is the redline's mark
        places = _places(root, source)
        found = sanitize.enforce(root, sanitize.EDITOR_HTML)
        for element, what in found if not source.problems else ():  # else only echoes
            report.at(places.get(element, 0), f"{what} is not allowed in a policy")
        anchors = tuple(h.get("id") for h in root.iter(*HEADINGS) if h.get("id"))
        links = _links(root, source)
        _prefix_site_links(root, self.options.siteurl)
        plain = sanitize.inner_html(root)
        contact = read_contact(root, source, self.options, report)
        if contact:
            _replace_contact(root, contact, self.options.contact_html(contact))
        _add_permalinks(root, lambda title: self.options.permalink_label(document.lang, title))
        page_html = sanitize.inner_html(root)
        _cross_check(root, places, document, report)
        return RenderedText(
            html=page_html,
            plain=plain,
            sections=sections,
            anchors=anchors,
            ids=frozenset(e.get("id") for e in sanitize.elements(root) if e.get("id")),
            links=links,
            contact=tuple(link.href for entry in contact.entries for link in entry.links)
            if contact
            else (),
            heading_lines={h.anchor: h.line for h in source.headings if h.anchor},
            contact_line=source.heading_line(self.options.contact_anchor),
            first_sentence=_first_sentence(root),
        )


class _Reporter:
    """Problems of one document, each at a line (and column) of its file."""

    def __init__(self, document, problems):
        self.document = document
        self.problems = problems

    def at(self, line, message, column=0):
        self.problems.add(self.document.path, message, line, column)


def _check_anchors(source, report):
    seen = set()
    for heading in source.headings:
        anchor = heading.anchor
        if anchor is None:
            continue
        if anchor in THEME_IDS:
            report.at(heading.line, f"anchor #{anchor} is taken by the page itself; choose another")
        elif anchor in seen:
            report.at(
                heading.line, f"anchor #{anchor} is used more than once; each section needs its own"
            )
        seen.add(anchor)


def _places(root, source):
    """The file line of each element: of its top-level block, or of its list item, when
    the rendered blocks match the source's; else of the heading of its section."""
    places = {}
    children = [child for child in root if isinstance(child.tag, str)]
    if len(children) == len(source.blocks):
        for child, block in zip(children, source.blocks, strict=True):
            items = [li for li in child if li.tag == "li"] if child.tag in ("ul", "ol") else []
            for element in child.iter():
                places[element] = block.line
            if len(items) == len(block.items):
                for item, line in zip(items, block.items, strict=True):
                    for element in item.iter():
                        places[element] = line
        return places
    line = 0
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag in HEADINGS and element.get("id"):
            line = source.heading_line(element.get("id")) or line
        places[element] = line
    return places


def _links(root, source):
    counts = {}
    found = []
    for link in root.iter("a"):
        href = link.get("href")
        if href is None:
            continue
        occurrence = counts.get(href, 0)
        counts[href] = occurrence + 1
        found.append((href, source.link_line(href, occurrence)))
    return tuple(found)


def _prefix_site_links(root, siteurl):
    """Root-relative links (``/en/...``) get the site's address; external ones open safely;
    a link whose text is its address is marked, so that print does not repeat it."""
    for link in root.iter("a"):
        href = link.get("href", "")
        if _text(link) in (href, href.removeprefix("mailto:")):
            link.set("class", "bare-url")
        if href.startswith("/") and not href.startswith("//"):
            link.set("href", f"{siteurl}{href}")
        elif href.startswith("https://"):
            link.set("rel", "noopener noreferrer")


@functools.lru_cache(maxsize=16)
def _parsed_block(block_html):
    """The contact block's elements; most versions share one block, parsed once."""
    return tuple(element for element in sanitize.parse_fragment(block_html))


def _replace_contact(root, contact, block_html):
    paragraphs = [entry.element for entry in contact.entries]
    first = paragraphs[0]
    parent = first.getparent()
    position = parent.index(first)
    for offset, element in enumerate(_parsed_block(block_html)):
        parent.insert(position + offset, copy.deepcopy(element))
    for paragraph in paragraphs:
        sanitize.remove(paragraph)


def _add_permalinks(root, label):
    """Wrap each anchored heading with a link to itself, named by ``label(title)``."""
    for heading in list(root.iter(*HEADINGS)):
        anchor = heading.get("id")
        if not anchor:
            continue
        wrapper = lxml.etree.Element("div", {"class": "section-heading"})
        wrapper.tail, heading.tail = heading.tail, None
        heading.addprevious(wrapper)
        wrapper.append(heading)
        link = lxml.etree.SubElement(
            wrapper,
            "a",
            {"class": "permalink", "href": f"#{anchor}", "aria-label": label(_text(heading))},
        )
        link.text = "#"


def _cross_check(root, places, document, report):
    index = sanitize.second_opinion(root, sanitize.PAGE_HTML)
    if index is None:
        return
    blocks = list(root)
    block = blocks[min(index, len(blocks) - 1)] if blocks else root
    line = next((places[e] for e in block.iter() if e in places), 0)
    report.at(
        line or document.source.body_line,
        "the second sanitizer (nh3) reads this part of the text differently; simplify its Markdown",
    )


def section_titles(sections):
    """``{anchor: title}`` of ``sections`` and every section below them."""
    titles = {}
    for section in sections:
        titles[section.anchor] = section.title
        titles.update(section_titles(section.children))
    return titles


def _first_sentence(root, limit=200):
    paragraph = next((p for p in root.iter("p") if _text(p)), None)
    if paragraph is None:
        return ""
    text = _text(paragraph)
    end = text.find(". ")
    sentence = text[: end + 1] if 0 <= end < limit else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


def _text(element):
    return " ".join("".join(element.itertext()).split())


def _sections(tokens):
    return tuple(
        Section(
            anchor=token["id"],
            title=html.unescape(token["name"]),
            level=token["level"],
            children=_sections(token["children"]),
        )
        for token in tokens
    )

"""Turns a policy's Markdown into the HTML of its page: sections with fixed anchors, the
contact block, footnotes and permalinks, every problem reported with its line in the file.

The steps: GitHub's renderer reads the text once (``github_markdown``), and the policy's
rules are checked on that reading (``markdown_rules``); Python-Markdown renders the text
laid out in GitHub's blocks (``markdown_layout``, ``python_markdown``); the result is
parsed as a browser parses it, compared with GitHub's (``markdown_parity``: what the
reviewer approved is what is published) and held to the allow-list (``sanitize``); the
contact block and permalinks are added to that tree, which is serialized once and
cross-checked by ``nh3``.
"""

import copy
import functools
import html
import re
from dataclasses import dataclass, replace

import lxml.etree

from . import limits, markdown_parity, markdown_refusals, markdown_rules, sanitize
from .contact import read_contact
from .github_markdown import GitHubText, Span, written
from .markdown_blocks import BlockRenderer
from .markdown_layout import LIST_BREAK
from .markup import HEADINGS, visible_text
from .messages import _
from .python_markdown import converter
from .rendered_text import RenderedText, Section


@dataclass(frozen=True)
class RenderOptions:
    """What shapes a rendered text besides the text itself."""

    contact_anchor: str
    phone_region: str
    siteurl: str
    contact_html: object  # ContactBlock -> trusted HTML of the block
    translator: object  # language -> gettext(message, **values), the site's own text in it


class Renderer:
    """Renders texts with one Markdown converter, reset between texts."""

    def __init__(self, options):
        self.options = options

    @functools.cached_property
    def blocks(self):
        return BlockRenderer(converter())  # made when a text is rendered: not from the cache

    def render(self, document, problems):
        report = _Reporter(document, problems)
        github = GitHubText(document.body, document.source.body_line)
        too_much = limits.check(github)
        for line, column, message in too_much:
            report.at(line, message, column)
        if too_much:
            return _EMPTY  # a text past a limit is not rendered: it could take very long
        try:
            return self._render(document, github, report)
        except (ValueError, RecursionError, lxml.etree.LxmlError) as error:
            report.at(
                document.source.body_line,
                _(
                    "this text cannot be rendered (%(error)s); simplify its Markdown",
                    error=f"{type(error).__name__}: {str(error)[:80]}",
                ),
            )
            return _EMPTY

    def _render(self, document, github, report):
        reading = markdown_rules.read(github, self.options.contact_anchor)
        markdown_refusals.check(github, reading)
        for problem in reading.sorted_problems():
            report.at(problem.line, problem.message, problem.column)
        gettext = self.options.translator(document.lang)
        root, toc_tokens = self._site_tree(github, gettext)
        sections = _sections(toc_tokens)
        places = _checked(github, root, reading, report)
        anchors = tuple(h.get("id") for h in root.iter(*HEADINGS) if h.get("id"))
        links = tuple(
            (link.get("href"), *places.at(link))
            for link in root.iter("a")
            if link.get("href") is not None and "footnote" not in link.get("class", "")
        )
        _prefix_site_links(root, self.options.siteurl)
        contact = self._contact(root, reading, places, report)
        _cross_check(root, places, document, report)
        return RenderedText(
            plain=sanitize.inner_html(root, method="xml"),
            sections=sections,
            anchors=anchors,
            ids=frozenset(e.get("id") for e in sanitize.elements(root) if e.get("id")),
            links=links,
            contact=tuple(link.href for entry in contact.entries for link in entry.links)
            if contact
            else (),
            heading_lines={h.anchor: h.line for h in reading.headings if h.anchor},
            contact_line=reading.heading_line(self.options.contact_anchor),
            first_sentence=_first_sentence(root),
        )

    def _site_tree(self, github, gettext):
        """Python-Markdown's rendering of the text laid out in GitHub's blocks, parsed as
        a browser parses it, with the footnotes as the site shows them; and its table of
        contents."""
        root, toc_tokens = self.blocks.tree(github)
        _remove_list_breaks(root)
        _footnotes(root, gettext)
        return root, toc_tokens

    def _contact(self, root, reading, places, report):
        """The contact block, in place of the marked contact lines; None when it has none."""
        markers = {marker.paragraph: marker.line for marker in reading.markers}
        contact = read_contact(
            root,
            lambda paragraph: markers.get(places.github(paragraph), 0),
            reading.heading_line(self.options.contact_anchor),
            self.options,
            report,
        )
        if contact:
            _replace_contact(contact, self.options.contact_html(contact))
        return contact


def _checked(github, root, reading, report):
    """Compare the site's tree with GitHub's and hold it to the allow-list; report what
    the rules did not already report; the places of the site's elements in the file."""
    comparison = markdown_parity.compare(github.root, root)
    places = _Places(github, comparison.pairs, root)
    for element in root.iter("del"):
        element.tag = "s"  # ~~struck~~ text; <del> is the redline's mark
    flagged = reading.blocks_with_problems
    for element, what in sanitize.enforce(root, sanitize.EDITOR_HTML):
        flagged.add(_top(places.github(element), github.root))
        link = element.tag == "a" and element.get("href") is None
        # what the rules found echoes here (raw HTML, an image, code), except the address
        # of a link written in Markdown, which no rule speaks of
        address = link and places.written_address(element)
        if not reading.problems or address:
            line, column = address or places.at(element, link)
            report.at(line, _not_allowed(what, link), column)
    for difference in comparison.differences:
        if _top(difference.github, github.root) not in flagged:  # None: the end
            line, column = places.of_github(difference.github)
            report.at(line, difference.message, column)
    return places


_EMPTY = RenderedText(
    plain="",
    sections=(),
    anchors=(),
    ids=frozenset(),
    links=(),
    contact=(),
    heading_lines={},
    contact_line=0,
    first_sentence="",
)


class _Reporter:
    """Problems of one document, each at a line (and column) of its file."""

    def __init__(self, document, problems):
        self.document = document
        self.problems = problems

    def at(self, line, message, column=0):
        self.problems.add(self.document.path, message, line, column)


class _Places:
    """Where an element of the site's tree stands in the file: at the element of
    GitHub's tree it was paired with (a link at its address)."""

    def __init__(self, github, pairs, root):
        self.github_text = github
        self.pairs = pairs
        self.hrefs = {link: link.get("href") for link in root.iter("a")}

    def github(self, element):
        return self.pairs.get(element)

    def of_github(self, element):
        """``(line, column)`` of an element of GitHub's tree; None: the text's last line."""
        if element is None:
            lines = self.github_text.lines
            last = max((i for i, line in enumerate(lines) if line.strip()), default=0)
            return self.github_text.first_line + last, 0
        span = self.github_text.span(element)
        return (span.line, span.column) if span else (self.github_text.first_line, 0)

    def at(self, element, link=True):
        """``(line, column)`` of ``element``; of a link's address, unless ``link`` is False."""
        place = self._addresses.get(element) if link and self.hrefs.get(element) else None
        if place:
            return place[0]
        span = self._span(element)
        if span is None:
            return self.github_text.first_line, 0
        return span.line, span.column

    def written_address(self, element):
        """``(line, column)`` of the address of the link ``element`` where Markdown writes
        it: ``[text](address)`` in its block, or its definition ``[label]: address``;
        None for a link of raw HTML (or one GitHub does not link)."""
        place = self._addresses.get(element)
        return place[0] if place and place[1] else None

    @functools.cached_property
    def _addresses(self):
        """``{link: ((line, column), written in Markdown)}``: where each link's address
        stands, the links taken in their order, each at the first place of its address
        that no link before it took, so that two links to one address are each at their
        own: after ``](`` in its block, else at its definition ``[label]: address``
        (which the links that use it share), else as it stands in its block (an
        autolink, raw HTML). A link of the site's list of footnotes, which GitHub's tree
        places nowhere, is looked for in the whole text."""
        text, found, taken = self.github_text, {}, set()
        last = text.first_line + len(text.lines) - 1
        everywhere = Span(text.first_line, 1, last, 0)
        for link, href in self.hrefs.items():
            if not href:
                continue
            span = self._span(link) or everywhere
            address = written(href).pattern
            place = _free(text, span, re.compile(rf"\]\(\s*<?(?P<at>{address})"), taken)
            if place is None:
                whole = replace(span, line=text.first_line, column=1, end_line=last)
                defined = re.compile(rf"^ {{0,3}}\[[^\]]+\]:\s*<?(?P<at>{address})")
                place = text.search(whole, defined)
                if place is not None:
                    found[link] = (place, True)
                    continue
                place = _free(text, span, re.compile(address), taken)
                if place is not None:
                    taken.add(place)
                    found[link] = (place, False)
                continue
            taken.add(place)
            found[link] = (place, True)
        return found

    def _span(self, element):
        theirs = self.github(element)
        return self.github_text.span(theirs) if theirs is not None else None


def _free(text, span, pattern, taken):
    """The first place of ``pattern`` in ``span`` that is not in ``taken``, or None."""
    place = text.search(span, pattern)
    while place is not None and place in taken:
        place = text.search(span, pattern, (place[0], place[1] + 1))
    return place


def _not_allowed(what, link):
    if link:
        return _(
            "%(what)s is not allowed: links are https:, mailto:, tel:, site paths (/...) or "
            "#anchors",
            what=what,
        )
    return _("%(what)s is not allowed in a policy", what=what)


def _top(element, root):
    while element is not None and element.getparent() is not None:
        if element.getparent() is root:
            return element
        element = element.getparent()
    return element


def _remove_list_breaks(root):
    for paragraph in list(root.iter("p")):
        if (paragraph.text or "").strip() == LIST_BREAK and not len(paragraph):
            sanitize.remove(paragraph)


def _footnotes(root, gettext):
    """Python-Markdown's footnotes as the site shows them: a section named for readers
    of every language, each note with a way back to where it is referred to."""
    for block in list(root.iter("div")):
        if block.get("class") != "footnote":
            continue
        block.tag = "section"
        block.attrib.clear()
        block.set("class", "footnotes")
        block.set("aria-label", gettext("Footnotes"))
        for rule in list(block.iter("hr")):
            sanitize.remove(rule)
        for notes in block.findall("ol"):
            for number, note in enumerate(notes.findall("li"), 1):
                _ways_back(note, number, gettext)


def _ways_back(note, number, gettext):
    """Each way back from a note says the number the note shows; a note referred to more
    than once shows its ways back apart and numbered, as GitHub does (↩ ↩²)."""
    links = [link for link in note.iter("a") if "footnote-backref" in link.get("class", "")]
    for reference, link in enumerate(links, 1):
        link.attrib.pop("title", None)
        label = gettext("Back to the text of footnote %(number)s", number=number)
        if reference > 1:
            label = gettext(
                "Back to reference %(reference)s of footnote %(number)s",
                reference=reference,
                number=number,
            )
            links[reference - 2].tail = " " + (links[reference - 2].tail or "")
            lxml.etree.SubElement(link, "sup").text = str(reference)
        link.set("aria-label", label)


def _prefix_site_links(root, siteurl):
    """Root-relative links (``/en/...``) get the site's address; external ones open safely;
    a link whose text is its address is marked, so that print does not repeat it."""
    for link in root.iter("a"):
        href = link.get("href", "")
        if visible_text(link) in (href, href.removeprefix("mailto:")):
            link.set("class", "bare-url")
        if href.startswith("/") and not href.startswith("//"):
            link.set("href", f"{siteurl}{href}")
        elif href.startswith("https://"):
            link.set("rel", "noopener noreferrer")


@functools.lru_cache(maxsize=16)
def _parsed_block(block_html):
    """The contact block's elements; most versions share one block, parsed once."""
    return tuple(element for element in sanitize.parse_fragment(block_html))


def _replace_contact(contact, block_html):
    paragraphs = [entry.element for entry in contact.entries]
    first = paragraphs[0]
    parent = first.getparent()
    position = parent.index(first)
    for offset, element in enumerate(_parsed_block(block_html)):
        parent.insert(position + offset, copy.deepcopy(element))
    for paragraph in paragraphs:
        sanitize.remove(paragraph)


def _cross_check(root, places, document, report):
    index = sanitize.second_opinion(root, sanitize.PAGE_HTML)
    if index is None:
        return
    blocks = list(root)
    block = blocks[min(index, len(blocks) - 1)] if blocks else root
    line = next((places.at(e)[0] for e in block.iter() if places.github(e) is not None), 0)
    report.at(
        line or document.source.body_line,
        "the second sanitizer (nh3) reads this part of the text differently; simplify its Markdown",
    )


def _first_sentence(root, limit=200):
    paragraph = next((p for p in root.iter("p") if visible_text(p)), None)
    if paragraph is None:
        return ""
    text = visible_text(paragraph)
    end = text.find(". ")
    sentence = text[: end + 1] if 0 <= end < limit else text
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rsplit(" ", 1)[0] + "…"


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

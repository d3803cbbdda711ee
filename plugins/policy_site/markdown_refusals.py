"""What the site does not carry, refused with the line and column where it is written:
raw HTML, images, code, task lists, emoji codes, text struck by a single tilde, links and
footnotes without their definitions, attributes on text, invisible characters written
as references, and what GitHub shows differently from the site for a reason of its own.
"""

import contextlib
import html
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from pymdownx.gemoji_db import aliases as _EMOJI_ALIASES
from pymdownx.gemoji_db import emoji as _EMOJI

from . import inline_html
from .github_markdown import HIDDEN, GitHubText
from .markdown_rules import MARKER_LINE, TRAILING_BRACES, SourceProblem, TextCheck
from .markup import HEADINGS, element_text, hidden_name, is_hidden
from .messages import _

_CHARACTER_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});"
)
_ATTRIBUTES = re.compile(r"\{[:#.][^{}\n]*\}")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_FOOTNOTE_TEXT = re.compile(r"\[\^[^\]\s]+\]")
_REFERENCE_TEXT = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])+\]\[[^\]]*\]")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LEADING_TAB = re.compile(r"^ *\t")
_DEFINITION_START = re.compile(r"^\[(?:[^\]\\]|\\.)+\]:")
_FOOTNOTE_DEFINITION = re.compile(r"^ {0,3}(\[\^[^\]\s]+\]):")
_DEFINITION = re.compile(
    r"^\[(?:[^\]\\]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)


def check(text, reading):
    """Add to ``reading`` the problems of what ``text`` (a GitHubText) holds and the site
    does not carry."""
    _tabs(text, reading)
    _definitions(text, reading)
    _Blocks(text, reading).run()
    _Inline(text, reading).run()


def _tabs(text, reading):
    """A tab that starts a line, which GitHub reads as code."""
    for number, line in enumerate(text.lines, start=text.first_line):
        if _LEADING_TAB.match(line):
            reading.problems.append(
                SourceProblem(
                    number,
                    line.index("\t") + 1,
                    _(
                        "a tab at the start of a line turns the text into a code block; "
                        "indent with spaces, or not at all"
                    ),
                )
            )


def _definitions(text, reading):
    """What no block shows is definitions: a link reference definition must be one
    line, as Python-Markdown reads it (GitHub hides a title on the next line, the site
    would show it); a footnote's definition shows nowhere when no text refers to it
    (GitHub leaves it out, the site would list it), and the lines that go on with it
    neither."""
    previous, kind = None, None
    for line, written in text.outside_blocks:
        note = _FOOTNOTE_DEFINITION.match(written)
        starts = note or _DEFINITION_START.match(written)
        if starts or previous is None or line != previous + 1:
            kind = ("note" if note else "link") if starts else None
        previous = line
        if note:
            message = _(
                "the footnote '%(note)s' is defined here, but the text never refers to it, so "
                "GitHub shows nothing of it; write '%(note)s' where the note belongs, or "
                "remove the definition",
                note=note[1],
            )
            reading.problems.append(SourceProblem(line, 1, message, _footnotes(text)))
        elif kind == "link" and not _DEFINITION.match(written):
            message = _(
                "GitHub reads this line as part of a link definition and shows nothing of it; "
                'write each definition on one line: [label]: https://… "title"'
            )
            reading.problems.append(SourceProblem(line, 1, message))


def _footnotes(text):
    """GitHub's list of the text's footnotes (a top-level block), or None."""
    return next((block for block in text.root if block.tag == "section"), None)


class _Blocks(TextCheck):
    """Blocks the site does not carry."""

    def __init__(self, text, reading):
        super().__init__(text, reading)
        self.raw_html_lines = set()
        self.raw_html_places = {}  # block: {comment: (line, column) of its raw HTML}

    def run(self):
        previous_end = self.text.first_line - 1
        for block in self.blocks():
            if not isinstance(block.tag, str):
                self._raw_html_between(block, previous_end)
                continue
            span = self.text.span(block)
            if span:
                previous_end = span.end_line
            self._walk(block)
        if self.text.root.find(".//del") is not None:
            self._single_tildes()

    def _walk(self, block):
        for element in block.iter():
            if not isinstance(element.tag, str):
                self._raw_html(element)
                continue
            tag = element.tag
            if tag in HEADINGS or tag == "h1":
                if element is not block:
                    self.problem(
                        self.start(element),
                        _(
                            "a heading inside a list or quote does not start a section; "
                            "headings belong at the top level of the text"
                        ),
                    )
            elif tag == "pre":
                self._code(element)
            elif tag == "img":
                self.found(element, "![", _("images are not part of a policy; remove it"))
            elif tag == "input":
                self.problem(
                    self.start(element),
                    _(
                        "task lists ('- [ ]', '- [x]') are not part of a policy; write the item "
                        "without its box"
                    ),
                )
            elif tag == "li" and not element_text(element).strip() and not len(element):
                self.problem(
                    self.start(element),
                    _("this list item is empty; write its text or remove the marker"),
                )

    def _code(self, element):
        span = self.text.span(element)
        first = self.text.line_text(span.line)
        if _FENCE.match(first):
            message = _("code blocks (``` or ~~~) are not part of a policy; remove the fence")
        else:
            message = _(
                "four or more spaces at the start of a line turn the text into a code block; "
                "remove the indentation"
            )
        self.problem((span.line, 1), message)

    def _raw_html(self, comment):
        """Inline raw HTML, where its piece of the source stands (``inline_html``)."""
        block = _spanned(self.text, comment)
        if block is None:
            self._raw_html_at(*self.start(comment))
            return
        if block not in self.raw_html_places:
            self.raw_html_places[block] = _raw_html_places(self.text, block)
        span = self.text.own_span(block)
        self._raw_html_at(*self.raw_html_places[block].get(comment, (span.line, span.column)))

    def _raw_html_between(self, comment, previous_end):
        """An HTML block has no position of its own: it stands on the first line after
        the block before it that is not blank."""
        line = previous_end + 1
        while (
            line - self.text.first_line < len(self.text.lines)
            and not self.text.line_text(line).strip()
        ):
            line += 1
        text = self.text.line_text(line)
        found = _TAG_START.search(text)
        self.block = comment
        self._raw_html_at(line, found.start() + 1 if found else 1)

    def _raw_html_at(self, line, column):
        snippet = self.text.line_text(line)[column - 1 :].split(">", 1)[0][:30]
        if line in self.raw_html_lines:
            return  # one per line: the rest of the line is the same mistake
        self.raw_html_lines.add(line)
        self.problem(
            (line, column),
            _(
                "raw HTML ('%(snippet)s…') is not allowed in a policy; write the text in "
                "Markdown, or write '&lt;' for a '<' that is part of the text",
                snippet=snippet,
            ),
        )

    def _single_tildes(self):
        """GitHub strikes through text between single tildes (3~5 hari … 7~10 hari); a
        policy writes struck text with two, so that nothing looks deleted by accident."""
        doubled = GitHubText("\n".join(self.text.lines), self.text.first_line, False)
        counts = {}
        for element in doubled.root.iter("del"):
            span = doubled.span(element)
            counts[span.line] = counts.get(span.line, 0) + 1
        seen = {}
        for element in self.text.root.iter("del"):
            span = self.text.span(element)
            seen[span.line] = seen.get(span.line, 0) + 1
            if seen[span.line] > counts.get(span.line, 0):
                counts[span.line] = seen[span.line]
                self.block = _top(element, self.text.root)
                self.problem(
                    self.text.find(span, re.compile(r"(?<![~\\])~(?!~)")),
                    _(
                        "GitHub strikes through text between single tildes (~); legal text "
                        "must never look deleted by accident: write a range as '3–5', a tilde "
                        "that belongs to the text as '\\~', and struck text as '~~text~~'"
                    ),
                )


class _Inline(TextCheck):
    """Links and text the site does not carry, or that GitHub shows differently."""

    def __init__(self, text, reading):
        super().__init__(text, reading)
        self.hidden_seen = {}  # span: hidden characters of its block reported so far

    def run(self):
        for block in self.blocks():
            if not isinstance(block.tag, str):
                continue
            for element in block.iter():
                if not isinstance(element.tag, str):
                    continue
                if element.tag == "a":
                    self._link(element)
                self._inline_text(element)

    def _link(self, link):
        href, text = link.get("href", ""), element_text(link)
        if text.startswith("www.") and href.startswith("http://"):
            self.found(
                link,
                text,
                _(
                    "GitHub links '%(text)s' to http://%(text)s, an address without encryption; "
                    "write https://%(text)s",
                    text=text,
                ),
            )
        host = _host(href)
        if host and _mixed_scripts(host):
            self.found(
                link,
                host,
                _(
                    "the address '%(host)s' mixes letters of different scripts (%(scripts)s), as "
                    "a look-alike of another site does; write its letters in one script",
                    host=host,
                    scripts=", ".join(sorted(_mixed_scripts(host))),
                ),
            )

    def _inline_text(self, element):
        for piece in _own_text(element):
            for _count in range(piece.count(HIDDEN)):
                self._hidden_reference(element)
            for match in _EMOJI_CODE.finditer(piece):
                if match[0] in _EMOJI or match[0] in _EMOJI_ALIASES:
                    self.found(
                        element,
                        match[0],
                        _(
                            "GitHub shows '%(code)s' as an emoji picture and the site as text; "
                            "write the emoji character itself, or leave it out",
                            code=match[0],
                        ),
                    )
            for match in _FOOTNOTE_TEXT.finditer(piece):
                self.found(
                    element,
                    match[0],
                    _(
                        "the footnote '%(note)s' has no definition; add a line '%(note)s: text "
                        "of the note' at the end of the text",
                        note=match[0],
                    ),
                )
            for match in _REFERENCE_TEXT.finditer(piece):
                label = match[0].rsplit("[", 1)[1].rstrip("]") or match[0][1:].split("]")[0]
                self.found(
                    element,
                    match[0],
                    _(
                        "the link '%(link)s' has no definition '[%(label)s]: https://…' in this "
                        "file; add one, or write the link as [text](https://…)",
                        link=match[0],
                        label=label,
                    ),
                )
            for match in _ATTRIBUTES.finditer(self._without_site_syntax(element, piece)):
                self.found(
                    element,
                    match[0],
                    _(
                        "'%(written)s' sets attributes on the text, which a policy does not do; "
                        "only headings take an anchor ({#a-name}) and contact lines a marker",
                        written=match[0],
                    ),
                )

    def _hidden_reference(self, element):
        span = self.text.span(element)
        seen = self.hidden_seen.get(span, 0)
        self.hidden_seen[span] = seen + 1
        references = _hidden_references(self.text, span)
        if seen < len(references):
            line, column, character = references[seen]
        else:  # written in a way the pattern does not know: the block's start
            line, column, character = span.line, span.column, self.text.hidden[0]
        name = hidden_name(character)
        self.problem(
            (line, column),
            _(
                "a character reference here writes the invisible character %(code)s "
                "(%(name)s); delete it: readers do not see it, but it is part of the text",
                code=f"U+{ord(character):04X}",
                name=name,
            ),
        )

    def _without_site_syntax(self, element, piece):
        """The text without the site's own syntax: a heading's anchor and a paragraph's
        contact marker, which the site reads and GitHub shows as text."""
        if element.tag in HEADINGS and _is_last_text(element, piece):
            return TRAILING_BRACES.sub("", piece)
        if element.tag == "p" and _is_last_text(element, piece):
            if MARKER_LINE.match(element_text(element)):
                return ""  # a marker on a line of its own, which _marker reports
            return re.sub(r"\n\s*\{:?[^{}]*\}\s*$", "", piece)
        return piece


def _host(href):
    """The host of a link, its letters decoded (percent-encoded or punycode)."""
    try:
        host = urlsplit(unquote(href)).hostname or ""
    except ValueError:
        return ""
    labels = []
    for label in host.split("."):
        if label.startswith("xn--"):
            with contextlib.suppress(UnicodeError, ValueError):
                label = label.encode("ascii").decode("idna")
        labels.append(label)
    return ".".join(labels)


def _mixed_scripts(host):
    """The scripts of a label of ``host`` that mixes letters of more than one, if any."""
    for label in host.split("."):
        scripts = {unicodedata.name(c, "?").split()[0] for c in label if c.isalpha()}
        if len(scripts) > 1:
            return scripts
    return set()


def _spanned(text, element):
    """The nearest block around ``element`` that has a place in the source."""
    block = element.getparent()
    while block is not None and text.own_span(block) is None:
        block = block.getparent()
    return block


def _raw_html_places(text, block):
    """``{comment: (line, column)}`` of the raw HTML GitHub left out of ``block``: its n-th
    comment stands where the n-th piece of raw HTML of the block's source does."""
    span = text.own_span(block)
    comments = [
        element
        for element in block.iter()
        if not isinstance(element.tag, str) and _spanned(text, element) is block
    ]
    places = inline_html.starts(text.source(span), span.line)
    return dict(zip(comments, places, strict=False))


def _own_text(element):
    """The text directly inside ``element``: before its first child and after each child."""
    if element.text:
        yield element.text
    for child in element:
        if child.tail:
            yield child.tail


def _is_last_text(element, piece):
    last = element[-1].tail if len(element) else element.text
    return piece is last or piece == last


def _top(element, root):
    while element.getparent() is not None and element.getparent() is not root:
        element = element.getparent()
    return element


def _hidden_references(text, span):
    """``(line, column, character)`` of each character reference in the span's lines
    that writes a hidden character, in order."""
    found = []
    for line in range(span.line, span.end_line + 1):
        for match in _CHARACTER_REFERENCE.finditer(text.line_text(line)):
            character = _referenced(match[0])
            if len(character) == 1 and is_hidden(character):
                found.append((line, match.start() + 1, character))
    return found


def _referenced(reference):
    """The character a reference writes, as cmark reads it (numbers as they are, where
    Python's HTML5 reading drops control characters)."""
    if reference[1] != "#":
        return html.unescape(reference)
    number = int(reference[3:-1], 16) if reference[2] in "xX" else int(reference[2:-1])
    valid = 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF
    return chr(number) if valid else "\ufffd"

"""What a policy's Markdown may hold, read from GitHub's tree of it: section headings with
their anchors, contact markers in the contact section, and nothing the site does not
carry (raw HTML, images, code, task lists, emoji codes, text struck by a single tilde).

Every problem has the line and column of the construct in the file.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from pymdownx.gemoji_db import aliases as _EMOJI_ALIASES
from pymdownx.gemoji_db import emoji as _EMOJI

from .github_markdown import HIDDEN, GitHubText
from .markup import CONTACT_KINDS, HEADINGS, THEME_IDS, element_text

_ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_TRAILING_BRACES = re.compile(r"\s*\{(?P<inside>[^{}]*)\}\s*$")
_MARKER_LINE = re.compile(r"^\s*\{:?(?P<inside>[^{}]*)\}\s*$")
_ATTRIBUTES = re.compile(r"\{[:#.][^{}\n]*\}")
_NO_SPACE_HEADING = re.compile(r"^[ >]*(?:(?:[-+*]|\d{1,9}[.)]) +)*(#{2,6})[^\s#\\]")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_EMOJI_CODE = re.compile(r":([a-z0-9_+-]+):")
_FOOTNOTE_TEXT = re.compile(r"\[\^[^\]\s]+\]")
_REFERENCE_TEXT = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])+\]\[[^\]]*\]")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_LEADING_TAB = re.compile(r"^ *\t")
_DEFINITION_START = re.compile(r"^\[(?:[^\]\\]|\\.)+\]:")
_DEFINITION = re.compile(
    r"^\[(?:[^\]\\]|\\.)+\]:[ \t]*(?:<[^<>\n]*>|\S+)"
    r"(?:[ \t]+(?:\"[^\"]*\"|'[^']*'|\([^()]*\)))?[ \t]*$"
)


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str
    anchor: str | None


@dataclass(frozen=True)
class Marker:
    """A contact line with its marker: ``line`` is the contact line's, ``paragraph`` its
    element in GitHub's tree."""

    line: int
    kind: str
    paragraph: object = field(compare=False, repr=False)


@dataclass(frozen=True)
class SourceProblem:
    line: int
    column: int
    message: str
    block: object = field(default=None, compare=False, repr=False)  # GitHub's top-level block


@dataclass
class Reading:
    """What the rules found in one text, in document order."""

    headings: list = field(default_factory=list)
    markers: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def heading_line(self, anchor):
        return next((h.line for h in self.headings if h.anchor == anchor), 0)

    @property
    def blocks_with_problems(self):
        return {id(problem.block) for problem in self.problems}


def read(text, contact_anchor):
    """The headings, contact markers and problems of ``text`` (a GitHubText)."""
    return _Rules(text, contact_anchor).run()


class _Rules:
    def __init__(self, text, contact_anchor):
        self.text = text
        self.contact_anchor = contact_anchor
        self.reading = Reading()
        self.section = None  # (level, anchor) of the section the walk is in
        self.outside = []  # markers outside the contact section
        self.block = None  # the top-level block the walk is in
        self.hidden_seen = 0  # hidden characters reported so far

    def run(self):
        text = self.text
        self._tabs()
        self._definitions()
        previous_end = text.first_line - 1
        for block in text.root:
            if not isinstance(block.tag, str):
                self._raw_html_between(block, previous_end)
                continue
            self.block = block
            span = text.span(block)
            if span:
                previous_end = span.end_line
            if block.tag in HEADINGS or block.tag == "h1":
                self._heading(block)
            self._walk(block)
        if self.text.root.find(".//del") is not None:
            self._single_tildes()
        if any(h.anchor == self.contact_anchor for h in self.reading.headings):
            self.reading.problems.extend(self.outside)  # else the missing section says it all
        self._anchors()
        self.reading.problems.sort(key=lambda problem: (problem.line, problem.column))
        return self.reading

    def problem(self, position, message):
        line, column = position
        self.reading.problems.append(SourceProblem(line, column, message, self.block))

    def start(self, element):
        span = self.text.span(element)
        return (span.line, span.column) if span else (self.text.first_line, 0)

    # -- the walk --------------------------------------------------------------------

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
                        "a heading inside a list or quote does not start a section; headings "
                        "belong at the top level of the text",
                    )
            elif tag == "p":
                self._paragraph(element)
            elif tag == "pre":
                self._code(element)
            elif tag == "img":
                self._found(element, "![", "images are not part of a policy; remove it")
            elif tag == "input":
                self.problem(
                    self.start(element),
                    "task lists ('- [ ]', '- [x]') are not part of a policy; write the item "
                    "without its box",
                )
            elif tag == "li" and not element_text(element).strip() and not len(element):
                self.problem(
                    self.start(element),
                    "this list item is empty; write its text or remove the marker",
                )
            elif tag == "a":
                self._link(element)
            self._inline_text(element)

    def _found(self, element, needle, message):
        self.problem(self.text.find(self.text.span(element), needle), message)

    # -- headings ----------------------------------------------------------------------

    def _heading(self, heading):
        span = self.text.span(heading)
        level = int(heading.tag[1])
        title = element_text(heading)
        if span.end_line > span.line:
            self.problem(
                (span.end_line, 1),
                "this line turns the text above into a heading; write headings as "
                "'## Title {#anchor}' instead",
            )
            return
        if level == 1:
            self.problem(
                (span.line, span.column),
                "a '# ' heading repeats the page title; start sections with '## '",
            )
            return
        anchor = None
        braces = _TRAILING_BRACES.search(title)
        line = self.text.line_text(span.line)
        if braces:
            inside = braces["inside"].strip()
            title = title[: braces.start()]
            anchor = inside[1:] if inside.startswith("#") else None
            if anchor is None or not _ANCHOR.match(anchor):
                self.problem(
                    (span.line, line.rfind("{") + 1),
                    f"'{{{braces['inside']}}}' is not a section anchor: write '{{#a-name}}' "
                    "with lower-case letters, digits and hyphens",
                )
                anchor = None
        else:
            self.problem(
                (span.line, len(line.rstrip()) + 1),
                f"heading '{title}' has no anchor; write it as '{'#' * level} {title} "
                "{#a-name}' with the same anchor in every language",
            )
        self.reading.headings.append(Heading(span.line, level, title.strip(), anchor))
        if self.section is None or level <= self.section[0] or anchor == self.contact_anchor:
            self.section = (level, anchor)

    def _anchors(self):
        seen = set()
        for heading in self.reading.headings:
            anchor = heading.anchor
            if anchor is None:
                continue
            where = (heading.line, 0)
            if anchor in THEME_IDS or anchor.startswith(("fn-", "fnref-")):
                self.problem(where, f"anchor #{anchor} is taken by the page itself; choose another")
            elif anchor in seen:
                self.problem(
                    where, f"anchor #{anchor} is used more than once; each section needs its own"
                )
            seen.add(anchor)

    # -- paragraphs: contact markers and headings written without a space ----------------

    def _paragraph(self, paragraph):
        span = self.text.span(paragraph)
        if span is None or not span.line:
            return
        for line in range(span.line, span.end_line + 1):
            match = _NO_SPACE_HEADING.match(self.text.line_text(line))
            if match:
                hashes = match[1]
                self.problem(
                    (line, match.start(1) + 1),
                    f"GitHub shows '{hashes}' without a space after it as text, not as a "
                    f"heading; write '{hashes} Title {{#a-name}}' (or '\\#' for a '#' that "
                    "belongs to the text)",
                )
        marker = _MARKER_LINE.match(self.text.line_text(span.end_line))
        if marker:
            self._marker(paragraph, span, marker["inside"].strip())

    def _marker(self, paragraph, span, inside):
        kind = inside[1:] if inside.startswith(".") else None
        where = (span.end_line, 1)
        if kind not in CONTACT_KINDS:
            self.problem(
                where,
                f"'{{: {inside} }}' is not a contact marker; the markers are "
                + ", ".join(f"{{: .{name} }}" for name in CONTACT_KINDS),
            )
        elif span.end_line == span.line:
            self.problem(
                where,
                f"'{{: .{kind} }}' must be on the line right below its contact line, "
                "with no blank line between",
            )
        elif self.section is None or self.section[1] != self.contact_anchor:
            self.outside.append(
                SourceProblem(
                    *where,
                    f"'{{: .{kind} }}' marks a contact line, so it belongs in the contact "
                    f"section (#{self.contact_anchor})",
                    self.block,
                )
            )
        elif paragraph.getparent() is not self.text.root:
            self.problem(where, f"'{{: .{kind} }}' marks a paragraph of its own, not a list item")
        else:
            self.reading.markers.append(Marker(span.line, kind, paragraph))

    # -- what the site does not carry ---------------------------------------------------

    def _code(self, element):
        span = self.text.span(element)
        first = self.text.line_text(span.line)
        if _FENCE.match(first):
            message = "code blocks (``` or ~~~) are not part of a policy; remove the fence"
        else:
            message = (
                "four or more spaces at the start of a line turn the text into a code block; "
                "remove the indentation"
            )
        self.problem((span.line, 1), message)

    def _tabs(self):
        for number, line in enumerate(self.text.lines, start=self.text.first_line):
            if _LEADING_TAB.match(line):
                self.reading.problems.append(
                    SourceProblem(
                        number,
                        line.index("\t") + 1,
                        "a tab at the start of a line turns the text into a code block; "
                        "indent with spaces, or not at all",
                    )
                )

    def _definitions(self):
        """What no block shows is link reference definitions: each must be one line, as
        Python-Markdown reads them (GitHub hides a title on the next line, the site
        would show it)."""
        previous, in_definitions = None, False
        for line, text in self.text.outside_blocks:
            if previous is None or line != previous + 1:
                in_definitions = bool(_DEFINITION_START.match(text))
            previous = line
            if in_definitions and not _DEFINITION.match(text):
                self.reading.problems.append(
                    SourceProblem(
                        line,
                        1,
                        "GitHub reads this line as part of a link definition and shows nothing "
                        'of it; write each definition on one line: [label]: https://… "title"',
                    )
                )

    def _raw_html(self, comment):
        span = self.text.span(comment.getparent())
        line, column = self.text.find(span, _TAG_START) if span else self.start(comment)
        self._raw_html_at(line, column)

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
        if any(p.line == line and "raw HTML" in p.message for p in self.reading.problems):
            return  # one per line: the rest of the line is the same mistake
        self.problem(
            (line, column),
            f"raw HTML ('{snippet}…') is not allowed in a policy; write the text in Markdown, "
            "or write '&lt;' for a '<' that is part of the text",
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
                    "GitHub strikes through text between single tildes (~); legal text must "
                    "never look deleted by accident: write a range as '3–5', a tilde that "
                    "belongs to the text as '\\~', and struck text as '~~text~~'",
                )

    # -- links and text ------------------------------------------------------------------

    def _link(self, link):
        href, text = link.get("href", ""), element_text(link)
        if text.startswith("www.") and href.startswith("http://"):
            self._found(
                link,
                text,
                f"GitHub links '{text}' to http://{text}, an address without encryption; "
                f"write https://{text}",
            )

    def _inline_text(self, element):
        for piece in _own_text(element):
            if HIDDEN in piece:
                self._hidden_reference(element)
            for match in _EMOJI_CODE.finditer(piece):
                if match[0] in _EMOJI or match[0] in _EMOJI_ALIASES:
                    self._found(
                        element,
                        match[0],
                        f"GitHub shows '{match[0]}' as an emoji picture and the site as text; "
                        "write the emoji character itself, or leave it out",
                    )
            for match in _FOOTNOTE_TEXT.finditer(piece):
                self._found(
                    element,
                    match[0],
                    f"the footnote '{match[0]}' has no definition; add a line "
                    f"'{match[0]}: text of the note' at the end of the text",
                )
            for match in _REFERENCE_TEXT.finditer(piece):
                label = match[0].rsplit("[", 1)[1].rstrip("]") or match[0][1:].split("]")[0]
                self._found(
                    element,
                    match[0],
                    f"the link '{match[0]}' has no definition '[{label}]: https://…' in this "
                    "file; add one, or write the link as [text](https://…)",
                )
            for match in _ATTRIBUTES.finditer(self._without_site_syntax(element, piece)):
                self._found(
                    element,
                    match[0],
                    f"'{match[0]}' sets attributes on the text, which a policy does not do; only "
                    "headings take an anchor ({#a-name}) and contact lines a marker",
                )

    def _hidden_reference(self, element):
        found = self.text.hidden
        character = found[min(self.hidden_seen, len(found) - 1)] if found else "?"
        self.hidden_seen += 1
        name = unicodedata.name(character, "a control character")
        self._found(
            element,
            "&",
            f"a character reference here writes the invisible character U+{ord(character):04X} "
            f"({name}); delete it: readers do not see it, but it is part of the text",
        )

    def _without_site_syntax(self, element, piece):
        """The text without the site's own syntax: a heading's anchor and a paragraph's
        contact marker, which the site reads and GitHub shows as text."""
        if element.tag in HEADINGS and _is_last_text(element, piece):
            return _TRAILING_BRACES.sub("", piece)
        if element.tag == "p" and _is_last_text(element, piece):
            if _MARKER_LINE.match(element_text(element)):
                return ""  # a marker on a line of its own, which _marker reports
            return re.sub(r"\n\s*\{:?[^{}]*\}\s*$", "", piece)
        return piece


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

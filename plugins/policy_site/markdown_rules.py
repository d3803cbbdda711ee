"""What a policy's Markdown says in the site's own syntax, read from GitHub's tree of it:
sections with their anchors, and contact lines with their markers in the contact
section. (What the site does not carry at all is ``markdown_refusals``.)

Every problem has the line and column of the construct in the file.
"""

import re
from dataclasses import dataclass, field

from .markup import CONTACT_KINDS, HEADINGS, THEME_IDS, element_text
from .messages import N_, _

_ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
TRAILING_BRACES = re.compile(r"\s*\{(?P<inside>[^{}]*)\}\s*$")
MARKER_LINE = re.compile(r"^\s*\{(?::|(?=\.))(?P<inside>[^{}]*)\}\s*$")
_NO_SPACE_HEADING = re.compile(r"^[ >]*(?:(?:[-+*]|\d{1,9}[.)]) +)*(#{2,6})[^\s#\\]")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str
    anchor: str | None
    block: object = field(default=None, compare=False, repr=False)  # GitHub's heading


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
        return {problem.block for problem in self.problems}

    def sorted_problems(self):
        return sorted(self.problems, key=lambda problem: (problem.line, problem.column))


class TextCheck:
    """A walk over GitHub's tree of a text that reports problems at their places."""

    def __init__(self, text, reading):
        self.text = text
        self.reading = reading
        self.block = None  # the top-level block the walk is in

    def blocks(self):
        """The top-level blocks (and HTML comments GitHub left of raw HTML), each made
        the walk's block in turn."""
        for block in self.text.root:
            self.block = block
            yield block

    def problem(self, position, message):
        line, column = position
        self.reading.problems.append(SourceProblem(line, column, message, self.block))

    def start(self, element):
        span = self.text.span(element)
        return (span.line, span.column) if span else (self.text.first_line, 0)

    def found(self, element, needle, message):
        """Report ``message`` where ``needle`` stands in ``element``'s block."""
        self.problem(self.text.find(self.text.span(element), needle), message)


def read(text, contact_anchor):
    """The headings, contact markers and problems of ``text`` (a GitHubText)."""
    return _Sections(text, Reading(), contact_anchor).run()


class _Sections(TextCheck):
    def __init__(self, text, reading, contact_anchor):
        super().__init__(text, reading)
        self.contact_anchor = contact_anchor
        self.section = None  # (level, anchor) of the section the walk is in
        self.outside = []  # markers outside the contact section

    def run(self):
        for block in self.blocks():
            if not isinstance(block.tag, str):
                continue
            if block.tag in HEADINGS or block.tag == "h1":
                self._heading(block)
            for paragraph in block.iter("p"):
                self._paragraph(paragraph)
        if any(h.anchor == self.contact_anchor for h in self.reading.headings):
            self.reading.problems.extend(self.outside)  # else the missing section says it all
        _check_anchors(self.reading)
        return self.reading

    def _heading(self, heading):
        span = self.text.span(heading)
        level = int(heading.tag[1])
        title = element_text(heading)
        if span.end_line > span.line:
            self.problem(
                (span.end_line, 1),
                _(
                    "this line turns the text above into a heading; write headings as "
                    "'## Title {#anchor}' instead"
                ),
            )
            return
        if level == 1:
            self.problem(
                (span.line, span.column),
                _("a '# ' heading repeats the page title; start sections with '## '"),
            )
            return
        anchor = None
        braces = TRAILING_BRACES.search(title)
        line = self.text.line_text(span.line)
        if braces:
            inside = braces["inside"].strip()
            title = title[: braces.start()]
            anchor = inside[1:] if inside.startswith("#") else None
            if anchor is None or not _ANCHOR.match(anchor):
                self.problem(
                    (span.line, line.rfind("{") + 1),
                    _(
                        "'{%(inside)s}' is not a section anchor: write '{#a-name}' with "
                        "lower-case letters, digits and hyphens",
                        inside=braces["inside"],
                    ),
                )
                anchor = None
        else:
            self.problem(
                (span.line, len(line.rstrip()) + 1),
                _(
                    "heading '%(title)s' has no anchor; write it as '%(hashes)s %(title)s "
                    "{#a-name}' with the same anchor in every language",
                    title=title,
                    hashes="#" * level,
                ),
            )
        self.reading.headings.append(Heading(span.line, level, title.strip(), anchor, heading))
        if self.section is None or level <= self.section[0] or anchor == self.contact_anchor:
            self.section = (level, anchor)

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
                    _(
                        "GitHub shows '%(hashes)s' without a space after it as text, not as a "
                        "heading; write '%(hashes)s Title {#a-name}' (or '\\#' for a '#' "
                        "that belongs to the text)",
                        hashes=hashes,
                    ),
                )
        marker = MARKER_LINE.match(self.text.line_text(span.end_line))
        if marker:
            self._marker(paragraph, span, marker["inside"].strip())

    def _marker(self, paragraph, span, inside):
        kind = inside[1:] if inside.startswith(".") else None
        where = (span.end_line, 1)
        if kind not in CONTACT_KINDS:
            self.problem(
                where,
                _(
                    "'{: %(inside)s }' is not a contact marker; the markers are %(markers)s",
                    inside=inside,
                    markers=", ".join(f"{{: .{name} }}" for name in CONTACT_KINDS),
                ),
            )
        elif span.end_line == span.line:
            self.problem(
                where,
                _(
                    "'{: .%(kind)s }' must be on the line right below its contact line, with "
                    "no blank line between",
                    kind=kind,
                ),
            )
        elif self.section is None or self.section[1] != self.contact_anchor:
            self.outside.append(
                SourceProblem(
                    *where,
                    _(
                        "'{: .%(kind)s }' marks a contact line, so it belongs in the contact "
                        "section (#%(anchor)s)",
                        kind=kind,
                        anchor=self.contact_anchor,
                    ),
                    self.block,
                )
            )
        elif paragraph.getparent() is not self.text.root:
            self.problem(
                where,
                _("'{: .%(kind)s }' marks a paragraph of its own, not a list item", kind=kind),
            )
        else:
            self.reading.markers.append(Marker(span.line, kind, paragraph))


def _check_anchors(reading):
    """Each anchor once, and none the page itself takes."""
    seen = set()
    for heading in reading.headings:
        anchor = heading.anchor
        if anchor is None:
            continue
        if anchor in THEME_IDS or anchor.startswith(("fn-", "fnref-")):
            message = N_("anchor #%(anchor)s is taken by the page itself; choose another")
        elif anchor in seen:
            message = N_("anchor #%(anchor)s is used more than once; each section needs its own")
        else:
            message = None
        if message:
            problem = SourceProblem(heading.line, 0, _(message, anchor=anchor), heading.block)
            reading.problems.append(problem)
        seen.add(anchor)

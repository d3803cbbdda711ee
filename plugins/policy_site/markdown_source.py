"""Reads a policy's Markdown as an editor wrote it: where its headings, contact markers and
links are, what GitHub's preview would show differently, and the text Python-Markdown gets.

Every problem has its line and column in the file. The text handed to Python-Markdown
differs from the source only in list indentation (GitHub nests a list indented by two
spaces, Python-Markdown needs four) and in a blank line before a list that follows a
paragraph directly, as GitHub reads it.
"""

import re
from dataclasses import dataclass, field

from .sanitize import safe_link

CONTACT_KINDS = ("email", "phone", "whatsapp")

_ANCHOR = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_ATX = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_HEADING_ANCHOR = re.compile(r"^(?P<title>.*?)[ \t]*\{(?P<inside>[^{}]*)\}$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])([ \t]*\1){2,}[ \t]*$")
_LIST_ITEM = re.compile(r"^(?P<indent> *)(?P<marker>[-+*]|\d{1,9}[.)])(?P<space> +|$)(?P<rest>.*)$")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_MARKER_LINE = re.compile(r"^ *\{:?(?P<inside>[^{}]*)\}[ \t]*$")
_DEFINITION = re.compile(r"^ {0,3}\[(?P<label>[^\]]+)\]:[ \t]*<?(?P<href>[^\s>]+)>?")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1")
_AUTOLINK = re.compile(r"<(?P<href>https?://[^\s<>]*|mailto:[^\s<>]+|[^\s<>@:/]+@[^\s<>@]+)>")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_INLINE_LINK = re.compile(
    r"(?<!!)\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?(?P<href>(?:[^\s()<>]|\([^\s()<>]*\))*)>?"
    r"(?:\s+[\"'(][^)]*)?\)"
)
_REFERENCE = re.compile(r"(?<![!\]])\[(?P<text>(?:[^\[\]]|\[[^\]]*\])+)\]\[(?P<label>[^\]]*)\]")
_IMAGE = re.compile(r"!\[")
# attr_list applies "{...}" written right after an inline element: *x*{.c}, [a](b){k=v}
_INLINE_ATTRIBUTES = re.compile(r"(?<=[)*_`\]~>])\{[^}\n]*\}|\{[:#.][^}\n]*\}")


@dataclass(frozen=True)
class Heading:
    line: int
    level: int
    title: str
    anchor: str | None


@dataclass(frozen=True)
class Marker:
    """``{: .phone }`` on the line below a contact line; ``line`` is the contact line's."""

    line: int
    kind: str


@dataclass(frozen=True)
class Link:
    line: int
    column: int
    href: str


@dataclass
class Block:
    """A top-level block (paragraph, list, heading, table...): its first line, and for a
    list the first line of each of its items."""

    line: int
    items: list = field(default_factory=list)


@dataclass(frozen=True)
class SourceProblem:
    line: int
    column: int
    message: str


@dataclass
class MarkdownSource:
    """What the scan found, in document order; line numbers count from the file's first line."""

    first_line: int = 1
    text: str = ""  # what Python-Markdown reads
    blocks: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    markers: list = field(default_factory=list)
    links: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def heading_line(self, anchor):
        return next((h.line for h in self.headings if h.anchor == anchor), 0)

    def link_line(self, href, occurrence=0):
        """The line of the ``occurrence``-th link to ``href`` (counted from 0)."""
        found = [link for link in self.links if link.href == href]
        return found[min(occurrence, len(found) - 1)].line if found else 0


def scan(body, first_line, contact_anchor):
    """Scan ``body`` (the Markdown after the front matter, which starts at ``first_line``)."""
    return _Scanner(body.split("\n"), first_line, contact_anchor).run()


class _Scanner:
    def __init__(self, lines, first_line, contact_anchor):
        self.lines = lines
        self.first_line = first_line
        self.contact_anchor = contact_anchor
        self.result = MarkdownSource(first_line=first_line)
        self.output = []
        self.items = []  # content columns of the open list items, outermost first
        self.previous = "blank"  # kind of the previous line
        self.section = None  # (level, anchor) of the heading whose section we are in
        self.in_list = False  # a top-level list is open (blank lines do not end it)
        self.outside = []  # markers outside the contact section
        self.labels = {
            _label(match["label"]) for line in lines if (match := _DEFINITION.match(line))
        }

    def run(self):
        for index, line in enumerate(self.lines):
            self.number = self.first_line + index
            self.previous = self._line(line)
        if any(heading.anchor == self.contact_anchor for heading in self.result.headings):
            self.result.problems.extend(self.outside)  # else the missing section says it all
        self.result.problems.sort(key=lambda problem: (problem.line, problem.column))
        self.result.links.sort(key=lambda link: (link.line, link.column))
        self.result.text = "\n".join(self.output)
        return self.result

    def _block(self):
        """Note that a top-level block starts on the current line."""
        line = self.lines[self.number - self.first_line]
        if not _DEFINITION.match(line):  # a paragraph of link definitions shows nothing
            self.result.blocks.append(Block(self.number))

    def problem(self, column, message):
        self.result.problems.append(SourceProblem(self.number, column, message))

    def _line(self, line):
        if not line.strip():
            self.output.append("")
            return "blank"
        indent = len(line) - len(line.lstrip(" "))
        if line[indent : indent + 1] == "\t":
            self.problem(
                indent + 1,
                "a tab at the start of a line turns the text into a code block; "
                "indent with spaces, or not at all",
            )
            self.output.append(line)
            return "paragraph"
        if _FENCE.match(line):
            self.problem(
                indent + 1, "code blocks (``` or ~~~) are not part of a policy; remove the fence"
            )
            self.output.append(line)
            return "paragraph"
        if self.previous == "paragraph" and _SETEXT.match(line) and not self.items:
            self.problem(
                indent + 1,
                "this line turns the text above into a heading; write headings as "
                "'## Title {#anchor}' instead",
            )
            self.output.append(line)
            return "paragraph"
        if _THEMATIC_BREAK.match(line):
            self.items.clear()
            self.in_list = False
            self._block()
            self.output.append(line)
            return "break"
        marker = _MARKER_LINE.match(line)
        if marker:
            return self._marker(marker["inside"].strip())
        heading = _ATX.match(line)
        if heading and indent < (self.items[0] if self.items else 4):
            return self._heading(heading)
        item = _LIST_ITEM.match(line)
        if item and not (self.previous == "paragraph" and not _interrupts(item)):
            return self._list_item(item)
        if self.items:
            return self._list_continuation(line, indent)
        if self.previous != "paragraph":
            self.in_list = False
            self._block()
        if indent >= 4 and self.previous != "paragraph":
            self.problem(
                1,
                "four or more spaces at the start of a line turn the text into a code block; "
                "remove the indentation",
            )
        self._inline(line)
        self.output.append(line)
        return "paragraph"

    # -- block kinds --------------------------------------------------------------

    def _heading(self, match):
        level, text = len(match[1]), (match[2] or "").strip()
        self.items.clear()
        self.in_list = False
        self._block()
        anchor = None
        attributes = _HEADING_ANCHOR.match(text)
        if attributes:
            text, inside = attributes["title"], attributes["inside"].strip()
            anchor = inside[1:] if inside.startswith("#") else None
            if anchor is None or not _ANCHOR.match(anchor):
                self.problem(
                    match.start(2) + attributes.start("inside"),  # the column of its "{"
                    f"'{{{attributes['inside']}}}' is not a section anchor: write '{{#a-name}}' "
                    "with lower-case letters, digits and hyphens",
                )
                anchor = None
        if level == 1:
            self.problem(1, "a '# ' heading repeats the page title; start sections with '## '")
        elif anchor is None and not attributes:
            self.problem(
                len(match[0].rstrip()) + 1,
                f"heading '{text}' has no anchor; write it as '{match[1]} {text} {{#a-name}}' "
                "with the same anchor in every language",
            )
        self._inline(text, offset=match.start(2) if match[2] else 0)
        self.result.headings.append(Heading(self.number, level, text, anchor))
        if self.section is None or level <= self.section[0] or anchor == self.contact_anchor:
            self.section = (level, anchor)
        self.output.append(f"{match[1]} {text}" + (f" {{#{anchor}}}" if anchor else ""))
        return "heading"

    def _marker(self, inside):
        kind = inside[1:] if inside.startswith(".") else None
        self.output.append(self.lines[self.number - self.first_line])
        if kind not in CONTACT_KINDS:
            self.problem(
                1,
                f"'{{: {inside} }}' is not a contact marker; the markers are "
                + ", ".join(f"{{: .{name} }}" for name in CONTACT_KINDS),
            )
            return "marker"
        if self.previous != "paragraph":
            self.problem(
                1,
                f"'{{: .{kind} }}' must be on the line right below its contact line, "
                "with no blank line between",
            )
            return "marker"
        if self.section is None or self.section[1] != self.contact_anchor:
            self.outside.append(
                SourceProblem(
                    self.number,
                    1,
                    f"'{{: .{kind} }}' marks a contact line, so it belongs in the contact "
                    f"section (#{self.contact_anchor})",
                )
            )
            return "marker"
        self.result.markers.append(Marker(self._paragraph_start(), kind))
        return "marker"

    def _paragraph_start(self):
        number = self.number - 1
        while number > self.first_line and self.lines[number - 1 - self.first_line].strip():
            number -= 1
        return number

    def _list_item(self, item):
        indent = len(item["indent"])
        while self.items and indent < self.items[-1]:
            self.items.pop()
        if not self.items and self.previous == "paragraph":
            self.output.append("")  # GitHub starts a list here; Python-Markdown needs a gap
        depth = len(self.items)
        if not self.in_list:
            self.in_list = True
            self._block()
        if depth == 0 and self.result.blocks:
            self.result.blocks[-1].items.append(self.number)
        space = len(item["space"])
        width = len(item["marker"]) + (space if 0 < space <= 4 else 1)
        self.items.append(indent + width)
        rest = item["rest"]
        self._inline(rest, offset=indent + width)
        self.output.append("    " * depth + f"{item['marker']} {rest}")
        return "item"

    def _list_continuation(self, line, indent):
        if self.previous == "blank":
            while self.items and indent < self.items[-1]:
                self.items.pop()
            if not self.items:
                self.in_list = False
                return self._line(line)  # the list has ended
        self._inline(line)
        self.output.append("    " * len(self.items) + line.strip())
        return "item"

    # -- inline text ----------------------------------------------------------------

    def _inline(self, text, offset=0):
        masked = _CODE_SPAN.sub(lambda m: " " * len(m[0]), text)
        definition = _DEFINITION.match(masked)
        if definition:
            self._link(definition["href"], offset + definition.start("href"))
            return
        taken = []
        for match in _AUTOLINK.finditer(masked):
            taken.append(match.start())
            href = match["href"]
            self._link(href if ":" in href else f"mailto:{href}", offset + match.start("href"))
        for match in _TAG_START.finditer(masked):
            if match.start() not in taken:
                snippet = masked[match.start() :].split(">", 1)[0][:30]
                self.problem(
                    offset + match.start() + 1,
                    f"raw HTML ('{snippet}…') is not allowed in a policy; write the text in "
                    "Markdown, or write '&lt;' for a '<' that is part of the text",
                )
                break  # one per line: the rest of the line is the same mistake
        for match in _IMAGE.finditer(masked):
            self.problem(offset + match.start() + 1, "images are not part of a policy; remove it")
        for match in _INLINE_LINK.finditer(masked):
            self._link(match["href"], offset + match.start("href"))
        for match in _REFERENCE.finditer(masked):
            written = match["label"] or match["text"]
            if _label(written) not in self.labels:
                self.problem(
                    offset + match.start() + 1,
                    f"the link '{match[0]}' has no definition '[{written}]: https://…' in "
                    "this file; add one, or write the link as [text](https://…)",
                )
        for match in _INLINE_ATTRIBUTES.finditer(masked):
            self.problem(
                offset + match.start() + 1,
                f"'{match[0]}' sets attributes on the text, which a policy does not do; "
                "only headings take an anchor ({#a-name}) and contact lines a marker",
            )

    def _link(self, href, start):
        self.result.links.append(Link(self.number, start + 1, href))
        if not safe_link(href):
            self.problem(
                start + 1,
                f"the link '{href}' is not allowed: links are https:, mailto:, tel:, "
                "site paths (/...) or #anchors",
            )


def _interrupts(item):
    """Whether a list item may start right after a paragraph line (CommonMark's rule)."""
    return bool(item["rest"].strip()) and item["marker"] in ("-", "+", "*", "1.", "1)")


def _label(text):
    return " ".join(text.split()).casefold()

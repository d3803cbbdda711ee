"""The text Python-Markdown reads: the editor's own lines, laid out in the blocks GitHub
found in them.

Python-Markdown needs a blank line between blocks and four spaces for each level of a
list, where GitHub (CommonMark) reads a list right after a paragraph, nests by the
width of the marker and continues items lazily. So the blocks come from GitHub's tree
(``github_markdown``) and only their layout changes: each block's lines are the
editor's, without the quote markers and indentation of the containers around them,
which are written again as Python-Markdown reads them. The inline text of every line
is left exactly as written.
"""

import re

from .markup import HEADINGS

_MARKER = re.compile(r"^ *(?:[-+*]|\d{1,9}[.)])(?: +|$)")
_QUOTE = re.compile(r"^ {0,3}> ?")
_INDENT = "    "
# A paragraph of this alone keeps two lists apart that GitHub reads as two (a change of
# bullet or delimiter) and Python-Markdown would join; it is removed after rendering.
# A private-use character: the source check refuses it in any text.
LIST_BREAK = "\ue001"
_LEAVES = frozenset({"p", "h1", *HEADINGS, "hr", "table", "pre"})


def layout(text):
    """The body of ``text`` (a GitHubText) as Python-Markdown should read it."""
    blocks, rest = layout_blocks(text)
    return "\n\n".join("\n".join(lines) for lines in [*blocks, *rest] if lines) + "\n"


def layout_blocks(text):
    """``(blocks, rest)``: the lines of each top-level block of ``text`` as Python-Markdown
    should read them (none empty), and those that belong to no one block: the footnote
    definitions, the link reference definitions (and raw HTML, refused)."""
    return _Layout(text).run()


class _Layout:
    def __init__(self, text):
        self.text = text

    def run(self):
        blocks = [self.block(child, 0) for child in self.text.root if isinstance(child.tag, str)]
        rest = [*self.footnotes(), [text for _line, text in self.text.outside_blocks]]
        return [lines for lines in blocks if lines], [lines for lines in rest if lines]

    # -- blocks ------------------------------------------------------------------------

    def block(self, element, quotes):
        tag = element.tag
        if tag in ("ul", "ol"):
            return self.list(element, quotes)
        if tag == "blockquote":
            return self.quote(element, quotes)
        span = self.text.own_span(element)
        if tag not in _LEAVES or span is None:
            return []
        return self.leaf(span.line, span.column, span.end_line, quotes)

    def leaf(self, first, column, last, quotes):
        """The lines ``first`` to ``last`` of a block that starts at ``column``, each
        without the markers of the ``quotes`` around it and the indentation of its
        list items (CommonMark strips a paragraph line's leading white space too)."""
        lines = []
        for number in range(first, last + 1):
            line = self.text.line_text(number)
            if number == first:
                line = line[column - 1 :]
            else:
                for _ in range(quotes):
                    match = _QUOTE.match(line)
                    if not match:
                        break  # a lazy line
                    line = line[match.end() :]
                line = line.lstrip(" ")
            lines.append(line)
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        return lines

    def quote(self, element, quotes):
        lines = []
        for child in element:
            if not isinstance(child.tag, str):
                continue
            inner = self.block(child, quotes + 1)
            if inner:
                if lines:
                    lines.append(">")
                lines.extend(f"> {line}" if line else ">" for line in inner)
        return lines

    def list(self, element, quotes):
        loose = any(child.tag == "p" for item in element for child in item)
        start = int(element.get("start", "1"))
        lines = []
        previous = element.getprevious()
        if previous is not None and previous.tag == element.tag:
            lines += [LIST_BREAK, ""]
        marker = "-" if element.tag == "ul" else f"{start}."
        for item in element:
            if item.tag == "li":
                lines.extend(self._item_lines(item, marker, quotes, loose))
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def _item_lines(self, item, marker, quotes, loose):
        """An item's lines: the marker on its first, its blocks indented below."""
        # an empty item (refused) still needs text after its marker in Python-Markdown
        blocks = [block for block in self.item(item, quotes) if block] or [["\u00a0"]]
        lines = []
        for position, block in enumerate(blocks):
            if position and loose:
                lines.append("")
            for index, line in enumerate(block):
                if position == 0 and index == 0:
                    lines.append(f"{marker} {line}")
                else:
                    lines.append(f"{_INDENT}{line}" if line else "")
        if loose:
            lines.append("")
        return lines

    def item(self, item, quotes):
        """The blocks of a list item. In a tight list, GitHub writes the item's first
        paragraph as bare text: its lines run from the marker to the next block."""
        span = self.text.own_span(item)
        children = [child for child in item if isinstance(child.tag, str)]
        blocks = []
        if (item.text or "").strip() or (children and children[0].tag not in _BLOCK_TAGS):
            first = self.text.line_text(span.line)[span.column - 1 :]
            marker = _MARKER.match(first)
            column = span.column + (marker.end() if marker else 0)
            last = span.end_line
            following = next(
                (self.text.own_span(c) for c in children if self.text.own_span(c)), None
            )
            if following:
                last = following.line - 1
            blocks.append(self.leaf(span.line, column, last, quotes))
        for child in children:
            if child.tag in _BLOCK_TAGS:
                blocks.append(self.block(child, quotes))
        return blocks

    def footnotes(self):
        """Footnote definitions, in the order GitHub numbers them, at the end."""
        blocks = []
        for section in self.text.root.iter("section"):
            for note in section.iter("li"):
                label = note.get("id", "").removeprefix("fn-")
                lines = []
                for position, child in enumerate(c for c in note if isinstance(c.tag, str)):
                    block = self.block(child, 0)
                    if position:
                        lines.append("")
                    for index, line in enumerate(block):
                        first = position == 0 and index == 0
                        lines.append(f"[^{label}]: {line}" if first else f"{_INDENT}{line}")
                blocks.append(lines)
        return blocks


_BLOCK_TAGS = frozenset({*_LEAVES, "ul", "ol", "blockquote"})

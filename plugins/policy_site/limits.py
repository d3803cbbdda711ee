"""What one text may weigh, so that every build stays fast whatever is written or
committed: its size, the length of its lines, how deep its lists and quotes nest, how
many links, link definitions and brackets it holds.

Each limit is far above what a policy needs (the privacy policy: 12 KB, lines of at most
1,300 characters, two levels of lists, a handful of links) and far below what would slow
a build down: Python-Markdown reads unmatched brackets in quadratic time.
"""

from .markup import element_text
from .messages import _

MAX_TEXT_BYTES = 500_000
MAX_LINE_CHARACTERS = 20_000
MAX_NESTING = 10
MAX_LINKS = 2_000
MAX_DEFINITIONS = 1_000
MAX_BRACKETS_PER_BLOCK = 1_000
MAX_SLUG_CHARACTERS = 100
MAX_VERSION_CHARACTERS = 30

_CONTAINERS = frozenset({"ul", "ol", "blockquote"})
_LEAVES = frozenset({"p", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "li"})


def too_large(size):
    """The problem of a file of ``size`` bytes, too many to be a policy, or None."""
    if size <= MAX_TEXT_BYTES:
        return None
    return _(
        "is larger than %(size)s bytes; a policy is far smaller, so split it into policies "
        "of their own",
        size=MAX_TEXT_BYTES,
    )


def check(text):
    """``(line, column, message)`` of each limit ``text`` (a GitHubText) goes past."""
    found = []
    for number, line in enumerate(text.lines, start=text.first_line):
        if len(line) > MAX_LINE_CHARACTERS:
            found.append(
                (
                    number,
                    MAX_LINE_CHARACTERS + 1,
                    _(
                        "this line is longer than %(limit)s characters; break it into paragraphs",
                        limit=MAX_LINE_CHARACTERS,
                    ),
                )
            )
    links = 0
    for element in text.root.iter():
        if not isinstance(element.tag, str):
            continue
        span = text.span(element)
        where = (span.line, span.column) if span else (text.first_line, 0)
        if element.tag in _CONTAINERS and _depth(element) == MAX_NESTING + 1:
            found.append(
                (
                    *where,
                    _(
                        "lists and quotes nest more than %(limit)s levels deep here; a "
                        "policy needs far fewer",
                        limit=MAX_NESTING,
                    ),
                )
            )
        if element.tag in _LEAVES and _own_brackets(element) > MAX_BRACKETS_PER_BLOCK:
            found.append(
                (
                    *where,
                    _(
                        "this block holds more than %(limit)s '[' that open no link; write fewer",
                        limit=MAX_BRACKETS_PER_BLOCK,
                    ),
                )
            )
        links += element.tag == "a"
    if links > MAX_LINKS:
        found.append(
            (
                text.first_line,
                0,
                _(
                    "the text has %(count)s links, more than %(limit)s",
                    count=links,
                    limit=MAX_LINKS,
                ),
            )
        )
    definitions = sum(1 for _line, line in text.outside_blocks if line.startswith("["))
    if definitions > MAX_DEFINITIONS:
        found.append(
            (
                text.first_line,
                0,
                _(
                    "the text has %(count)s link definitions, more than %(limit)s",
                    count=definitions,
                    limit=MAX_DEFINITIONS,
                ),
            )
        )
    return found


def _depth(element):
    return sum(1 for ancestor in element.iterancestors() if ancestor.tag in _CONTAINERS) + 1


def _own_brackets(element):
    """The '[' of the element's own text (not of the blocks inside it)."""
    text = element.text or ""
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _CONTAINERS | _LEAVES:
            text += element_text(child)
        text += child.tail or ""
    return text.count("[")

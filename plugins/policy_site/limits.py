"""What one text may weigh, so that every build stays fast whatever is written or
committed: its size, the length of its lines, how deep its lists and quotes nest, how
many pieces of markup, links, link definitions and brackets it holds.

Each limit is far above what a policy needs (the privacy policy: 12 KB, lines of at most
1,300 characters, two levels of lists, 55 pieces of markup, a handful of links) and far
below what would slow a build down: Python-Markdown reads unmatched brackets in
quadratic time, and every piece of markup costs its share of every check.
"""

from .markup import element_text
from .messages import N_, _

MAX_TEXT_BYTES = 500_000
MAX_LINE_CHARACTERS = 20_000
MAX_NESTING = 10
MAX_LINKS = 2_000
MAX_ELEMENTS = 10_000
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
    return [*_long_lines(text), *_blocks(text), *_counts(text)]


def _long_lines(text):
    for number, line in enumerate(text.lines, start=text.first_line):
        if len(line) > MAX_LINE_CHARACTERS:
            yield (
                number,
                MAX_LINE_CHARACTERS + 1,
                _(
                    "this line is longer than %(limit)s characters; break it into paragraphs",
                    limit=MAX_LINE_CHARACTERS,
                ),
            )


def _blocks(text):
    """Blocks nested too deep, or holding too many brackets."""
    for element in text.root.iter(*_CONTAINERS, *_LEAVES):
        span = text.span(element)
        where = (span.line, span.column) if span else (text.first_line, 0)
        if element.tag in _CONTAINERS and _depth(element) == MAX_NESTING + 1:
            yield (
                *where,
                _(
                    "lists and quotes nest more than %(limit)s levels deep here; a "
                    "policy needs far fewer",
                    limit=MAX_NESTING,
                ),
            )
        if element.tag in _LEAVES and _own_brackets(element) > MAX_BRACKETS_PER_BLOCK:
            yield (
                *where,
                _(
                    "this block holds more than %(limit)s '[' that open no link; write fewer",
                    limit=MAX_BRACKETS_PER_BLOCK,
                ),
            )


def _counts(text):
    """Too many pieces of markup, links or link definitions in the whole text."""
    elements = sum(1 for element in text.root.iter() if isinstance(element.tag, str))
    links = sum(1 for _element in text.root.iter("a"))
    definitions = sum(1 for _line, line in text.outside_blocks if line.startswith("["))
    counts = (
        (
            elements,
            MAX_ELEMENTS,
            N_(
                "the text has %(count)s pieces of markup (paragraphs, list items, emphasis, "
                "links…), more than %(limit)s; split it into policies of their own"
            ),
        ),
        (links, MAX_LINKS, N_("the text has %(count)s links, more than %(limit)s")),
        (
            definitions,
            MAX_DEFINITIONS,
            N_("the text has %(count)s link definitions, more than %(limit)s"),
        ),
    )
    for count, limit, message in counts:
        if count > limit:
            yield text.first_line, 0, _(message, count=count, limit=limit)


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

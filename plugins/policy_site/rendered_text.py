"""What rendering a text gives (``rendering``), as the rest of the build and the cache
hold it: a build that takes every text from the cache loads no Markdown renderer."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A heading of the policy, as listed in the table of contents."""

    anchor: str
    title: str
    level: int
    children: tuple


@dataclass(frozen=True)
class RenderedText:
    """One version's text, rendered: ``html`` for its page, ``plain`` for redlines (the
    same text without permalinks, as XHTML: read back exactly by the XML parser)."""

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
    xhtml: str = ""  # ``html`` as XHTML, for what the page adds to it (history links)


def section_titles(sections):
    """``{anchor: title}`` of ``sections`` and every section below them."""
    titles = {}
    for section in sections:
        titles[section.anchor] = section.title
        titles.update(section_titles(section.children))
    return titles

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
    """One version's text, rendered: ``plain``, as XHTML (read back exactly by the XML
    parser), for its page and its PDF (which add links to its headings when they are
    made: ``section_history.with_heading_links``) and its redlines. The text is held
    once, not in each of its forms for every version."""

    plain: str
    sections: tuple
    anchors: tuple
    ids: frozenset
    links: tuple  # (href as written, line, column of its address)
    contact: tuple  # hrefs of the contact block, in order
    heading_lines: dict  # anchor -> line
    contact_line: int  # of the contact section's heading
    first_sentence: str  # of the text, for the page's description


def section_titles(sections):
    """``{anchor: title}`` of ``sections`` and every section below them."""
    titles = {}
    for section in sections:
        titles[section.anchor] = section.title
        titles.update(section_titles(section.children))
    return titles

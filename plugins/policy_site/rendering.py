"""Turns a policy's Markdown into HTML sections with fixed anchors and a table of contents."""

import html
from dataclasses import dataclass

import markdown
from bs4 import BeautifulSoup

MARKDOWN_EXTENSIONS = ("attr_list", "toc")
HEADINGS = ("h2", "h3", "h4", "h5", "h6")
# ids the theme gives its own elements; a section anchor must not take one
THEME_IDS = frozenset(
    {"main", "toc-title", "changed-sections-title", "changed-text-title", "changed-text"}
)


@dataclass(frozen=True)
class Section:
    """A heading of the policy, as listed in the table of contents."""

    anchor: str
    title: str
    level: int
    children: tuple


class _AnchorlessHeadings:
    """Stands in for the ``toc`` slugify to record headings written without ``{#anchor}``."""

    def __init__(self):
        self.titles = []

    def __call__(self, title, _separator):
        self.titles.append(title)
        return f"missing-anchor-{len(self.titles)}"


def render_markdown(document, problems):
    """The body as a BeautifulSoup tree and its sections; reports headings without anchors."""
    anchorless = _AnchorlessHeadings()
    converter = markdown.Markdown(
        extensions=list(MARKDOWN_EXTENSIONS),
        extension_configs={"toc": {"slugify": anchorless, "toc_depth": "2-3"}},
    )
    soup = BeautifulSoup(converter.convert(document.body), "html.parser")
    for title in anchorless.titles:
        problems.add(
            document.path,
            f"heading '{title}' has no anchor; write it as '## {title} {{#a-name}}' with the "
            "same anchor in every language",
            document.line_of(title),
        )
    _report_duplicate_anchors(soup, document, problems)
    return soup, _sections(converter.toc_tokens)


def heading_anchors(soup):
    """The ids of the section headings, in document order."""
    return tuple(heading["id"] for heading in soup.find_all(HEADINGS) if heading.get("id"))


def add_permalinks(soup, label):
    """Follow each anchored heading with a link to itself; ``label(title)`` names the link."""
    for heading in soup.find_all(HEADINGS):
        anchor = heading.get("id")
        if not anchor:
            continue
        wrapper = soup.new_tag("div", attrs={"class": "section-heading"})
        heading.wrap(wrapper)
        link = soup.new_tag(
            "a",
            attrs={
                "class": "permalink",
                "href": f"#{anchor}",
                "aria-label": label(heading.get_text(" ", strip=True)),
            },
        )
        link.string = "#"
        wrapper.append(link)


def _report_duplicate_anchors(soup, document, problems):
    seen = set()
    for element in soup.find_all(id=True):
        anchor = element["id"]
        if anchor in THEME_IDS:
            problems.add(
                document.path,
                f"anchor #{anchor} is taken by the page itself; choose another",
                document.line_of(f"#{anchor}"),
            )
        elif anchor in seen:
            problems.add(
                document.path,
                f"anchor #{anchor} is used more than once; each section needs its own",
                document.line_of(f"#{anchor}"),
            )
        seen.add(anchor)


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

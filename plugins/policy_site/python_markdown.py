"""Python-Markdown as the site uses it, reading the inline text as GitHub does.

GitHub's rules where Python-Markdown has others: a backslash escapes every ASCII
punctuation character and, before a line end, breaks the line; emphasis follows
CommonMark's delimiter rules (``pymdownx.betterem``); bare ``https://`` and ``www.``
addresses and e-mail addresses are links as GitHub links them (``autolinks``); ``~~text~~`` is
struck through (``pymdownx.tilde``); a heading needs a space after its ``#``
(``pymdownx.saneheaders``); lists keep their start number and a list of another
kind is a list of its own (``sane_lists``); footnotes as GitHub numbers them. Raw HTML
and images are not read, and ``attr_list`` takes only the site's own syntax: a
heading's ``{#anchor}`` and a contact line's ``{: .kind }`` on the paragraph's last line.
"""

import re
import string
import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.extensions.attr_list import AttrListTreeprocessor
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markdown.util import AtomicString

from . import autolinks
from .markup import HEADINGS


class _SiteAttributes(AttrListTreeprocessor):
    """``attr_list`` for a heading's trailing ``{#anchor}`` and a paragraph whose last
    line is ``{: .kind }``; any other braces stay text, as GitHub shows them."""

    HEADER_RE = re.compile(r"[ ]+\{(#[a-z0-9-]+)\}[ ]*$")
    BLOCK_RE = re.compile(r"\n[ ]*\{:[ ]*(\.[a-z]+)[ ]*\}[ ]*$")

    def run(self, doc):
        for element in doc.iter():
            if element.tag in HEADINGS:
                pattern = self.HEADER_RE
            elif element.tag == "p":
                pattern = self.BLOCK_RE
            else:
                continue
            last = element[-1] if len(element) else None
            text = last.tail if last is not None else element.text
            match = pattern.search(text or "")
            if match:
                self.assign_attrs(element, match.group(1))
                if last is not None:
                    last.tail = text[: match.start()]
                else:
                    element.text = text[: match.start()]


class _TableCodePipes(Treeprocessor):
    """GitHub takes ``\\|`` in a table cell as a ``|`` of the cell, in code too."""

    def run(self, root):
        for cell in (*root.iter("td"), *root.iter("th")):
            for code in cell.iter("code"):
                if code.text and "\\|" in code.text:
                    code.text = AtomicString(code.text.replace("\\|", "|"))


class _BackslashBreak(InlineProcessor):
    """A backslash at the end of a line breaks the line, as two spaces do."""

    def handleMatch(self, m, _data):  # noqa: N802 (Python-Markdown's name)
        return etree.Element("br"), m.start(0), m.end(0)


class _GitHubInline(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (Python-Markdown's name)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        for name in ("image_link", "image_reference", "short_image_ref"):
            md.inlinePatterns.deregister(name)
        md.ESCAPED_CHARS = list(string.punctuation)
        md.inlinePatterns.register(_BackslashBreak(r"\\\n", md), "backslash_break", 185)
        md.treeprocessors.register(_SiteAttributes(md), "attr_list", 8)
        md.treeprocessors.register(_TableCodePipes(md), "table_code_pipes", 7)
        md.inlinePatterns.register(
            autolinks.AngleAutolink(autolinks.ANGLE_URL, md), "autolink", 120
        )
        md.inlinePatterns.register(autolinks.AngleEmail(autolinks.ANGLE_EMAIL, md), "automail", 110)
        md.inlinePatterns.register(autolinks.BareUrl(md), "bare_url", 105)
        md.inlinePatterns.register(autolinks.BareWww(md), "bare_www", 104)
        md.inlinePatterns.register(autolinks.BareEmail(md), "bare_email", 5)


def converter():
    """A Python-Markdown converter; ``reset()`` it between texts."""
    return markdown.Markdown(
        extensions=[
            "attr_list",
            "toc",
            "tables",
            "sane_lists",
            "footnotes",
            "pymdownx.betterem",
            "pymdownx.saneheaders",
            "pymdownx.tilde",
            _GitHubInline(),
        ],
        extension_configs={
            "toc": {"toc_depth": "2-3"},
            "tables": {"use_align_attribute": True},
            "footnotes": {"SEPARATOR": "-", "BACKLINK_TITLE": ""},
            "pymdownx.tilde": {"subscript": False},
        },
    )

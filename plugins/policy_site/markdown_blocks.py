"""Python-Markdown's rendering of a text, parsed as a browser parses it, made block by
block: each top-level block is rendered and parsed once per build, however many versions
and texts share it (consecutive versions of a policy share most of their blocks).

A text is made so only where that gives the tree that rendering and parsing it whole
gives: it has no footnotes and no link reference definitions, where GitHub or
Python-Markdown finds them (they tie a block to the rest of the text), no two quotes in
a row (read whole, they are one), no ``[TOC]`` marker, no two blocks give an element
the same id (the table of contents would number one of them), and each block's HTML
leaves the HTML5 parser as it found it (no element, formatting or tag left open), so
that parsing the blocks one after another builds what parsing them together builds.
Any other text is rendered whole."""

import copy
import re
from dataclasses import dataclass

from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.toc import nest_toc_tokens

from . import sanitize
from .markdown_layout import layout, layout_blocks

# A character reference to a control character or a surrogate (refused by the rules, as
# GitHub's reading shows it) cannot go into an lxml tree: it is replaced before parsing.
_XML_INVALID_REFERENCE = re.compile(
    r"&#(?:0*(?:[0-8]|1[1-2]|1[4-9]|2[0-9]|3[01]|12[7-9]|1[3-5][0-9])"
    r"|[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]|[dD][89a-fA-F][0-9a-fA-F]{2}));"
)
_TOC_MARKER = "[TOC]"


@dataclass(frozen=True)
class _Block:
    """One block as rendered and parsed alone: its tree (never changed: a text gets
    copies), its headings for the table of contents and the ids it gives."""

    root: object
    headings: tuple
    ids: tuple


class BlockRenderer:
    """Renders texts with one Python-Markdown converter, keeping each block it made."""

    def __init__(self, markdown):
        self.markdown = markdown
        self._footnotes = next(
            e for e in markdown.registeredExtensions if isinstance(e, FootnoteExtension)
        )
        self._made = {}  # a block's lines: its _Block, or None where it cannot stand alone

    def tree(self, github):
        """``(root, toc_tokens)`` of the text GitHub read as ``github``."""
        return self.by_blocks(github) or self.whole(github)

    def whole(self, github):
        """The text rendered and parsed whole."""
        self.markdown.reset()
        html = _XML_INVALID_REFERENCE.sub("\ufffd", self.markdown.convert(layout(github)))
        return sanitize.parse_fragment(html), self.markdown.toc_tokens

    def by_blocks(self, github):
        """The tree made block by block, or None where that would not be the same."""
        if github.root.find(".//section") is not None:
            return None  # footnotes: numbered across the text
        tags = [child.tag for child in github.root if isinstance(child.tag, str)]
        if any(a == b == "blockquote" for a, b in zip(tags, tags[1:], strict=False)):
            return None  # Python-Markdown reads two quotes in a row as one
        lines, rest = layout_blocks(github)
        if rest:
            return None
        blocks = []
        for block_lines in lines:
            text = "\n".join(block_lines) + "\n"
            if text not in self._made:
                self._made[text] = self._render(text)
            if self._made[text] is None:
                return None
            blocks.append(self._made[text])
        ids = [element_id for block in blocks for element_id in block.ids]
        if len(ids) != len(set(ids)):
            return None
        return _joined(blocks), nest_toc_tokens(
            [dict(heading) for block in blocks for heading in block.headings]
        )

    def _render(self, text):
        if _TOC_MARKER in text:
            return None
        self.markdown.reset()
        html = _XML_INVALID_REFERENCE.sub("\ufffd", self.markdown.convert(text))
        if self.markdown.references or self._footnotes.footnotes:
            return None  # a definition Python-Markdown found inside the block: for all blocks
        root, alone = sanitize.parse_block(html)
        if not alone:
            return None
        return _Block(
            root=root,
            headings=tuple(_flat(self.markdown.toc_tokens)),
            ids=tuple(element.get("id") for element in root.iter() if element.get("id")),
        )


def _flat(tokens):
    for token in tokens:
        yield {key: value for key, value in token.items() if key != "children"}
        yield from _flat(token["children"])


def _joined(blocks):
    """One tree of the blocks' trees, a line end between blocks, as Python-Markdown
    writes them when it renders the text whole."""
    root = copy.deepcopy(blocks[0].root) if blocks else sanitize.parse_fragment("")
    for block in blocks[1:]:
        _add_text(root, "\n" + (block.root.text or ""))
        for element in block.root:
            root.append(copy.deepcopy(element))
    return root


def _add_text(root, text):
    if len(root):
        root[-1].tail = (root[-1].tail or "") + text
    else:
        root.text = (root.text or "") + text

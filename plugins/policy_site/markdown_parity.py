"""Whether the site shows a text as GitHub's preview shows it: the same blocks, list
numbers, links and visible text, after what the site adds on purpose (the anchors and
contact markers it reads, ids, classes, footnote back links).

``compare`` pairs the two trees block by block: where they agree, every element of the
site's tree is paired with GitHub's, whose place in the file it then has; where they
differ, the difference is described as an editor can act on it.
"""

import difflib
import os
import re
from dataclasses import dataclass
from urllib.parse import unquote

import lxml.etree

from .markup import HEADINGS, visible_text
from .messages import N_, _

_BLOCK_TAGS = "p|ul|ol|li|h[1-6]|blockquote|table|thead|tbody|tr|th|td|hr|div|section|pre|br"
_AROUND_BLOCKS = re.compile(rf"\s*(</?(?:{_BLOCK_TAGS})\b[^>]*>)\s*")
# the site's own syntax, exactly as the site reads it (python_markdown._SiteAttributes)
_ANCHOR = re.compile(r"[ ]+\{#[a-z0-9-]+\}[ ]*$")
_MARKER = re.compile(r"\n[ ]*\{:[ ]*\.[a-z]+[ ]*\}[ ]*$")
# attributes that change what a reader sees or where a link leads
_SHOWN_ATTRIBUTES = {"ol": ("start",), "a": ("href", "title"), "th": ("align",), "td": ("align",)}
_NAMES = {
    "p": N_("a paragraph"),
    "ul": N_("a bulleted list"),
    "li": N_("a list item"),
    "blockquote": N_("a quote"),
    "table": N_("a table"),
    "tr": N_("a table row"),
    "th": N_("a table heading"),
    "td": N_("a table cell"),
    "hr": N_("a horizontal line"),
    "pre": N_("a code block"),
    "strong": N_("bold text"),
    "em": N_("italic text"),
    "del": N_("struck-through text"),
    "code": N_("code"),
    "br": N_("a line break"),
    "sup": N_("a footnote number"),
    "section": N_("the footnotes"),
}


@dataclass(frozen=True)
class Difference:
    github: object  # the element of GitHub's tree where the two part; None: at the end
    site: object | None
    message: str


@dataclass(frozen=True)
class Comparison:
    differences: tuple  # Differences, at most one per block of GitHub's tree
    pairs: dict  # element of the site's tree -> element of GitHub's tree (kept alive)


def compare(github_root, site_root):
    """Compare GitHub's tree (whose site syntax is taken out here) with the site's."""
    _without_site_syntax(github_root)
    theirs = [child for child in github_root if isinstance(child.tag, str)]
    ours = [child for child in site_root if isinstance(child.tag, str)]
    matcher = difflib.SequenceMatcher(
        None, [_block(b) for b in theirs], [_block(b) for b in ours], autojunk=False
    )
    differences, pairs = [], {}
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation == "equal":
            for github, site in zip(theirs[i1:i2], ours[j1:j2], strict=True):
                _pair(github, site, pairs)
        elif i2 - i1 == j2 - j1:
            for github, site in zip(theirs[i1:i2], ours[j1:j2], strict=True):
                differences.append(_difference(github, site))
                _pair_roughly(github, site, pairs)
        elif i1 == i2:  # blocks only the site would show
            before = theirs[i1] if i1 < len(theirs) else None
            differences.append(Difference(before, ours[j1], _extra(ours[j1], before is None)))
            for block in ours[j1:j2]:
                _pair_roughly(before, block, pairs)
        else:
            site = ours[j1] if j1 < j2 else None
            differences.append(Difference(theirs[i1], site, _message(theirs[i1], site)))
            for block in ours[j1:j2]:
                _pair_roughly(theirs[i1], block, pairs)
    return Comparison(tuple(differences), pairs)


# -- what the site adds on purpose --------------------------------------------------------


def _without_site_syntax(root):
    """GitHub shows a heading's ``{#anchor}`` and a contact line's ``{: .kind }`` as
    text; the site reads them. Take them out of GitHub's text."""
    for element in root.iter(*HEADINGS):
        _strip_last_text(element, _ANCHOR)
    for element in root.iter("p"):
        _strip_last_text(element, _MARKER)


def _strip_last_text(element, pattern):
    if len(element):
        if element[-1].tail:
            element[-1].tail = pattern.sub("", element[-1].tail)
    elif element.text:
        element.text = pattern.sub("", element.text)


def _skipped(element):
    return not isinstance(element.tag, str) or "footnote-backref" in element.get("class", "")


def _signature(element):
    attributes = []
    for name in _SHOWN_ATTRIBUTES.get(element.tag, ()):
        value = element.get(name)
        if value is not None and (name != "start" or value != "1"):
            attributes.append(f" {name}={unquote(value)!r}")
    return f"<{element.tag}{''.join(attributes)}>"


_SEEN = {}  # a block's serialization: its canonical form; versions share most blocks
_SEEN_AT_MOST = 20000


def _block(element):
    """``_canonical(element)``, once for each block however many texts have it: the
    canonical form is made of the element's tag, attributes, text and children, all of
    which its serialization holds."""
    key = lxml.etree.tostring(element, with_tail=False)
    found = _SEEN.get(key)
    if found is None:
        if len(_SEEN) >= _SEEN_AT_MOST:
            _SEEN.clear()
        found = _SEEN[key] = _canonical(element)
    return found


def _canonical(element, shallow=False):
    """The element as a reader sees it: tags, the attributes that show, and text with
    white space as a browser collapses it. ``shallow``: children by their tags only."""
    parts = []

    def text(value):
        if value:
            parts.append(" ".join(value.replace("<", "&lt;").split(" ")).replace("\n", " "))

    def walk(node, depth):
        parts.append(_signature(node))
        if depth and shallow:
            parts.append(f"</{node.tag}>")
            return
        text(node.text)
        for child in node:
            if not _skipped(child):
                walk(child, depth + 1)
            text(child.tail)
        parts.append(f"</{node.tag}>")

    walk(element, 0)
    joined = re.sub(r"\s+", " ", "".join(parts))
    return _AROUND_BLOCKS.sub(r"\1", joined)


# -- pairing elements ------------------------------------------------------------------


def _elements(block):
    found = []

    def walk(node):
        found.append(node)
        for child in node:
            if not _skipped(child):
                walk(child)

    walk(block)
    return found


def _pair(github, site, pairs):
    for theirs, ours in zip(_elements(github), _elements(site), strict=True):
        pairs[ours] = theirs


def _pair_roughly(github, site, pairs):
    """Where the two differ, each element of the site's block is placed at GitHub's block."""
    for ours in site.iter():
        pairs[ours] = github


# -- describing a difference ---------------------------------------------------------------


def _difference(github, site):
    while True:
        if _signature(github) != _signature(site) or _canonical(github, True) != _canonical(
            site, True
        ):
            return Difference(github, site, _message(github, site))
        pair = next(
            (
                (theirs, ours)
                for theirs, ours in zip(_children(github), _children(site), strict=True)
                if _canonical(theirs) != _canonical(ours)
            ),
            None,
        )
        if pair is None:
            return Difference(github, site, _message(github, site))
        github, site = pair


def _children(element):
    return [child for child in element if not _skipped(child)]


def _message(github, site):
    if site is not None and _name(github) == _name(site):
        theirs, ours = _where_they_part(_shown(github, limit=None), _shown(site, limit=None))
        return _(
            "GitHub's preview shows \u201c%(github)s\u201d here, but the site would show "
            "\u201c%(site)s\u201d; %(advice)s, until the preview shows what you mean",
            github=theirs,
            site=ours,
            advice=_advice(github, site),
        )
    return _(
        "GitHub's preview shows %(github)s here, but the site would show %(site)s; "
        "%(advice)s, until the preview shows what you mean",
        github=_described(github),
        site=_described(site) if site is not None else _("nothing"),
        advice=_advice(github, site),
    )


def _extra(site, at_end):
    message = (
        N_(
            "the site would show %(site)s at the end of the text, which GitHub's preview "
            "does not show; %(advice)s, until the preview shows what you mean"
        )
        if at_end
        else N_(
            "the site would show %(site)s here, which GitHub's preview does not show; "
            "%(advice)s, until the preview shows what you mean"
        )
    )
    return _(message, site=_described(site), advice=_advice(site))


def _described(element):
    return f"{_name(element)} \u201c{_shown(element)}\u201d"


def _advice(element, other=None):
    """What to do where ``element`` (GitHub's, or the site's alone) differs from ``other``
    (the site's)."""
    if any(ancestor.tag == "table" for ancestor in element.iterancestors()) or (
        element.tag == "table"
    ):
        return _("write \\| for a | that belongs to the text of a cell")
    if other is not None and _links(element) != _links(other) and _odd_address(element, other):
        return _(
            "write each link's address without a space, a quote or an angle bracket in it "
            "(as [text](https://…) or [text]: https://…)"
        )
    return _(
        "put a blank line between the blocks, or a backslash before a character that should "
        "show as it is (\\* \\_ \\[)"
    )


def _odd_address(*elements):
    """Whether a link of ``elements`` has a space, a quote or an angle bracket in its
    address: one reading ended it there, the other did not."""
    return any(
        set(unquote(link.get("href") or "")) & set(" \"'<>")
        for element in elements
        for link in element.iter("a")
    )


def _links(element):
    """The address and text of each link in ``element``."""
    return [(link.get("href"), "".join(link.itertext())) for link in element.iter("a")]


def _name(element):
    if element is None:
        return _("nothing")
    if element.tag == "ol":
        return _("a numbered list from %(start)s", start=element.get("start", "1"))
    if element.tag == "a":
        return _("a link to %(href)s", href=element.get("href", ""))
    if element.tag in HEADINGS or element.tag == "h1":
        return _("a heading")
    return _(_NAMES[element.tag]) if element.tag in _NAMES else f"<{element.tag}>"


_MARKS = {"strong": "**", "em": "*", "del": "~~", "code": "`"}
_AFTER = {"br": " ⏎ ", "p": " ", "tr": " ", "li": " ", "th": " | ", "td": " | "}


def _shown(element, limit=90):
    """The element's text with its marks written out, as an editor would type them."""
    parts = []

    def walk(node):
        tag = node.tag
        mark = _MARKS.get(tag, "")
        parts.append(" • " if tag == "li" else "")
        parts.append("[" if tag == "a" else mark)
        parts.append(node.text or "")
        for child in node:
            if not _skipped(child):
                walk(child)
            parts.append(child.tail or "")
        parts.append(_link_end(node) if tag == "a" else mark)
        parts.append(" " if tag in HEADINGS else _AFTER.get(tag, ""))

    walk(element)
    shown = " ".join("".join(parts).split()) or visible_text(element)
    return shown if limit is None or len(shown) <= limit else shown[: limit - 1].rstrip() + "…"


def _where_they_part(theirs, ours, limit=90, before=30):
    """Both texts from a little before the first character where they differ, each cut
    at ``limit`` characters: a long paragraph shows where it changes, not twice its start."""
    same = len(os.path.commonprefix([theirs, ours]))
    start = 0 if same <= before else theirs.rfind(" ", 0, same - before) + 1
    if same - start >= limit - 1:  # no space near enough: start inside the word
        start = same - before

    def window(text):
        part = text[start:]
        part = part if len(part) <= limit else part[: limit - 1].rstrip() + "…"
        return ("…" if start else "") + part

    return window(theirs), window(ours)


def _link_end(link):
    title = f' "{link.get("title")}"' if link.get("title") else ""
    return f"]({link.get('href', '')}{title})"

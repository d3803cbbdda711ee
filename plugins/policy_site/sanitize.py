"""HTML as a browser reads it: parsed by the HTML5 algorithm, held to an allow-list, and
cross-checked by a second sanitizer.

The policy's HTML is parsed with html5lib, which follows the WHATWG parsing algorithm
that browsers follow, so a comment, CDATA section or tag ends where a browser ends it.
Comments and processing instructions are dropped, everything else must be on the
allow-list, and the page is serialized from that tree. ``nh3`` (the Ammonia sanitizer,
built on html5ever, Servo's HTML5 parser) then cleans
the serialized HTML independently; any difference is a build error.
"""

import functools
import html
from dataclasses import dataclass, field

import lxml.etree
import nh3

from .markup import CONTACT_KINDS, HEADINGS
from .messages import _


class _LxmlTrees:
    """lxml's ElementTree API for html5lib, taking any comment: a browser accepts "--"
    inside one, lxml does not (comments are dropped before the page is written)."""

    Element = lxml.etree.Element
    ElementTree = lxml.etree.ElementTree

    @staticmethod
    def Comment(text=None):  # noqa: N802 (the ElementTree API's name)
        return lxml.etree.Comment((text or "").replace("--", "- -").rstrip("-"))


@functools.cache
def _html5():
    """The HTML5 parser, loaded when a text is parsed: a build from the cache needs none."""
    import html5lib

    return html5lib.HTMLParser(
        tree=html5lib.getTreeBuilder("etree", implementation=_LxmlTrees),
        namespaceHTMLElements=False,
    )


SAFE_SCHEMES = ("https", "mailto", "tel")
_BLOCKS = (
    *HEADINGS,
    *"p ul ol li blockquote hr table thead tbody tr th td address dl dt dd div section".split(),
)


@dataclass(frozen=True)
class AllowList:
    """Tags, their attributes, and the classes an element may carry."""

    tags: frozenset
    attributes: dict = field(default_factory=dict)  # tag -> attribute names ("*": any tag)
    classes: dict = field(default_factory=dict)  # tag -> the class names it may carry

    def extended(self, tags=(), attributes=None, classes=None):
        def merged(mine, theirs):
            keys = set(mine) | set(theirs or {})
            return {
                key: frozenset(mine.get(key, ())) | set((theirs or {}).get(key, ())) for key in keys
            }

        return AllowList(
            self.tags | set(tags),
            merged(self.attributes, attributes),
            merged(self.classes, classes),
        )

    def allows_attribute(self, tag, name):
        if name == "class":
            return tag in self.classes
        return name in self.attributes.get(tag, ()) or name in self.attributes.get("*", ())


# What a policy's Markdown may produce.
EDITOR_HTML = AllowList(
    tags=frozenset(
        "p h2 h3 h4 h5 h6 ul ol li blockquote hr br a strong em code s "
        "table thead tbody tr th td sup section".split()
    ),
    attributes={
        "a": {"href", "title", "aria-label"},
        "ol": {"start"},
        "th": {"align"},
        "td": {"align"},
        "sup": {"id"},
        "li": {"id"},
        "section": {"aria-label"},
        **{heading: {"id"} for heading in HEADINGS},
    },
    classes={
        "p": set(CONTACT_KINDS),
        "a": {"footnote-ref", "footnote-backref"},
        "section": {"footnotes"},
    },
)

# What the site puts into a policy's text around the editor's: permalinks, the contact
# block, and the redline's marks.
PAGE_HTML = EDITOR_HTML.extended(
    tags="div address dl dt dd span ins del".split(),
    attributes={
        "a": {"rel", "aria-label", "hreflang"},
        "span": {"aria-hidden"},
        "*": {"id"},
    },
    classes={
        "div": {
            "section-heading",
            "contact-entry",
            "contact-email",
            "contact-phone",
            "contact-whatsapp",
        },
        "a": {"permalink", "bare-url", "next-change", "section-history"},
        "address": {"contact"},
        "span": {"visually-hidden"},
    },
).extended(classes={tag: {"inserted", "deleted", "changed"} for tag in _BLOCKS})


def parse_document(data):
    """A whole page (bytes or text) parsed as a browser would; returns its ``<html>``."""
    import html5lib

    return html5lib.parse(data, treebuilder="lxml", namespaceHTMLElements=False).getroot()


def parse_fragment(html):
    """``html`` parsed as the content of a ``<div>``, as a browser would; returns the root."""
    return _html5().parseFragment(html)


def parse_block(html):
    """``(root, alone)``: ``html`` parsed as ``parse_fragment`` parses it, and whether the
    parser ended as it began, in the body with no element, formatting or tag left open. Only
    then does this HTML followed by more parse as this tree followed by that more."""
    parser = _html5()
    root = parser.parseFragment(html)
    tree = parser.tree
    alone = (
        parser.phase is parser.phases["inBody"]
        and len(tree.openElements) == 1
        and not tree.activeFormattingElements
        and not any("eof" in code for _place, code, _values in parser.errors)  # a tag cut
    )
    return root, alone


def elements(root):
    return (
        element for element in root.iter() if isinstance(element.tag, str) and element is not root
    )


def inner_html(root, method="html"):
    """The serialized content of ``root`` (text, children and their tails), as HTML or,
    with ``method="xml"``, as XHTML that an XML parser reads back exactly."""
    parts = [html.escape(root.text, quote=False)] if root.text else []
    parts.extend(lxml.etree.tostring(child, method=method, encoding="unicode") for child in root)
    return "".join(parts)


def enforce(root, allowed):
    """Drop comments and processing instructions; return ``(element, message)`` for each
    tag, attribute, class or link outside ``allowed``, the offending part removed."""
    found = []
    for node in list(root.iter()):
        if node is root:
            continue
        if not isinstance(node.tag, str):
            found.append((node.getparent(), _("an HTML comment or processing instruction")))
            remove(node)
            continue
        if node.tag not in allowed.tags:
            found.append((node, _("the HTML element <%(tag)s>", tag=node.tag)))
            remove(node)
            continue
        for name, value in list(node.attrib.items()):
            problem = _attribute_problem(node.tag, name, value, allowed)
            if problem:
                found.append((node, problem))
                del node.attrib[name]
    return found


def _attribute_problem(tag, name, value, allowed):
    if not allowed.allows_attribute(tag, name):
        return _(
            "the attribute %(name)s='%(value)s' on <%(tag)s>", name=name, value=value[:40], tag=tag
        )
    if name == "class":
        extra = set(value.split()) - set(allowed.classes.get(tag, ()))
        if extra:
            return _("the class '%(name)s' on <%(tag)s>", name=" ".join(sorted(extra)), tag=tag)
    if name == "href" and not safe_link(value):
        return _("the link '%(link)s'", link=value[:60])
    return None


def safe_link(href):
    """https:, mailto: and tel: links, site paths (/...) and #fragments; nothing else.
    A backslash is refused anywhere: browsers read ``/\\host`` as ``//host``."""
    href = href.strip()
    if "\\" in href:
        return False
    if href.startswith("#") or (href.startswith("/") and not href.startswith("//")):
        return True
    scheme, colon, _rest = href.partition(":")
    return bool(colon) and scheme.lower() in SAFE_SCHEMES


def remove(node):
    """Take ``node`` out of the tree, keeping its tail text in place."""
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def second_opinion(root, allowed):
    """Where ``nh3`` would change the serialization of ``root`` under ``allowed``: None when
    nowhere, else the index of the first top-level element it changes.

    nh3 cleans the markup twice, once under ``allowed`` and once keeping every tag,
    attribute and link scheme the tree holds; both are serialized by html5ever, so they
    differ exactly where ``allowed`` takes something away.
    """
    if agrees(inner_html(root), elements(root), allowed):
        return None
    for index, child in enumerate(element for element in root if isinstance(element.tag, str)):
        markup = lxml.etree.tostring(child, method="html", encoding="unicode", with_tail=False)
        if not agrees(markup, child.iter(), allowed):
            return index
    return 0


def agrees(markup, present, allowed):
    """Whether ``markup`` comes out of nh3 under ``allowed`` as it does when nh3 keeps
    everything ``present`` (its elements) holds.

    Where nh3 under ``allowed`` gives ``markup`` back unchanged, it does agree, and nh3
    runs once: whatever its parser found is then in its output, so written in ``markup``
    (its serializer writes a ``<`` of text as ``&lt;``, and every start tag with its
    attributes), and what ``markup`` writes is what ``present`` holds, of which it is the
    serialization; keeping everything ``present`` holds keeps all of it too, and gives the
    same string."""
    cleaned = nh3.clean(
        markup,
        tags=set(allowed.tags),
        attributes={tag: set(names) for tag, names in allowed.attributes.items()},
        allowed_classes={tag: set(names) for tag, names in allowed.classes.items()},
        url_schemes=set(SAFE_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )
    if cleaned == markup:
        return True
    tags, attributes, schemes = set(), {}, set(SAFE_SCHEMES)
    for element in present:
        if isinstance(element.tag, str):
            tags.add(element.tag)
            attributes.setdefault(element.tag, set()).update(element.attrib)
            for name in ("href", "src"):
                scheme = element.get(name, "").partition(":")
                if scheme[1] and "/" not in scheme[0]:
                    schemes.add(scheme[0].lower())
    kept = nh3.clean(
        markup,
        tags=tags,
        attributes=attributes,
        url_schemes=schemes,
        link_rel=None,
        strip_comments=False,
    )
    return kept == cleaned

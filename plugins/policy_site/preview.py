"""A preview opens from its folder: every link between its pages becomes relative and
names the file (``../versi/index.html``), since a browser shows ``file://`` folders as
listings, not as their ``index.html``.

Used for the preview a pull request keeps with its CI run: each page's links are
rewritten before the page is written, and the output check then checks them as written.
"""

import posixpath
from urllib.parse import urlsplit, urlunsplit

import lxml.etree

from .sanitize import parse_document

_LINKING = (("a", "href"), ("link", "href"), ("script", "src"))


def relative_links(html, page):
    """``html`` of the page at ``page`` (``/c/index.html``) with its site-relative links
    made relative to it."""
    document = parse_document(html)
    for tag, attribute in _LINKING:
        for element in document.iter(tag):
            target = element.get(attribute)
            if target and target.startswith("/") and not target.startswith("//"):
                element.set(attribute, relative(target, page))
    return "<!doctype html>\n" + lxml.etree.tostring(document, method="html", encoding="unicode")


def relative(target, page):
    """``target`` (site-relative, ``/a/b/#x``) as seen from ``page`` (``/c/index.html``)."""
    parts = urlsplit(target)
    path = parts.path + "index.html" if parts.path.endswith("/") else parts.path
    result = posixpath.relpath(path, posixpath.dirname(page))
    return urlunsplit(("", "", result, parts.query, parts.fragment))

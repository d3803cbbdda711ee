"""A preview opens from its folder: every link between its pages becomes relative and
names the file (``../versi/index.html``), since a browser shows ``file://`` folders as
listings, not as their ``index.html``.

Used for the preview a pull request keeps with its CI run; the links are rewritten in
the page trees before the output check, which then checks them as written.
"""

import os
import posixpath
from urllib.parse import urlsplit, urlunsplit

import lxml.etree

from .sanitize import parse_document

_LINKING = (("a", "href"), ("link", "href"), ("script", "src"))


def make_relative(folder):
    """Rewrite the site-relative links of every HTML page below ``folder``."""
    for directory, _subdirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                path = os.path.join(directory, name)
                page = "/" + os.path.relpath(path, folder).replace(os.sep, "/")
                _rewrite(path, page)


def _rewrite(path, page):
    with open(path, "rb") as source:
        document = parse_document(source.read())
    for tag, attribute in _LINKING:
        for element in document.iter(tag):
            target = element.get(attribute)
            if target and target.startswith("/") and not target.startswith("//"):
                element.set(attribute, relative(target, page))
    with open(path, "wb") as output:
        output.write(b"<!doctype html>\n")
        output.write(lxml.etree.tostring(document, method="html", encoding="utf-8"))


def relative(target, page):
    """``target`` (site-relative, ``/a/b/#x``) as seen from ``page`` (``/c/index.html``)."""
    parts = urlsplit(target)
    path = parts.path + "index.html" if parts.path.endswith("/") else parts.path
    result = posixpath.relpath(path, posixpath.dirname(page))
    return urlunsplit(("", "", result, parts.query, parts.fragment))

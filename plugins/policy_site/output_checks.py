"""Checks the built site as a visitor's browser would use it: every link and anchor.

Every ``href`` and ``src`` of every HTML page must lead somewhere: an internal
link to an existing file and, with a ``#fragment``, to an element with that id;
``mailto:``, ``tel:`` and WhatsApp links well-formed; external links ``https:``.
"""

import os
import re
import sys
from urllib.parse import unquote, urljoin, urlsplit

import lxml.etree

from .contact import email_href
from .messages import _

_E164 = re.compile(r"^\+[1-9]\d{6,14}$")
_WHATSAPP = re.compile(r"^https://wa\.me/[1-9]\d{6,14}$")


def check_output(folder, siteurl, label, problems, read=None):
    """Report every broken link in the HTML below ``folder``, naming ``label``/page:line.

    Pages are read one at a time (their links and ids kept, their trees let go), and a
    link is resolved once for all pages of a folder that have it, so that memory and
    time stay flat as the archive grows. ``read``: ``{page: (links, ids)}`` of pages
    whose bytes were read before (``pages_known``), not read again; the pages read now
    are added to it."""
    base = f"{siteurl.rstrip('/')}/" if siteurl.startswith(("http://", "https://")) else "/"
    read = {} if read is None else read
    pages, same_ids = {}, {}
    for path in sorted(_html_files(folder)):
        relative = os.path.relpath(path, folder).replace(os.sep, "/")
        if relative not in read:
            with open(path, "rb") as source:
                read[relative] = _read(source.read(), same_ids)
        pages[relative] = read[relative]
    ids = {relative: page[1] for relative, page in pages.items()}
    resolved = {}
    for relative, (links, _ids) in pages.items():
        page_url = base + relative.removesuffix("index.html")
        for target, line in links:
            # a link that names its page (from the site's root or the host) means the
            # same on every page: resolve it once
            shared = target.startswith(("/", "https:", "http:", "mailto:", "tel:"))
            key = target if shared else (relative, target)
            if key not in resolved:
                resolved[key] = (
                    _fragment_problem(target, ids[relative])
                    if target.startswith("#") and not _URL_DROPS.intersection(target)
                    else _problem(target, page_url, base, folder, ids)
                )
            if resolved[key]:
                problems.add(f"{label}/{relative}", resolved[key], line)


_PARSER = lxml.etree.HTMLParser()
_LINKS = lxml.etree.XPath("//a[@href]|//link[@href]|//script[@src]|//img[@src]")
_IDS = lxml.etree.XPath("//@id", smart_strings=False)  # plain strings: the tree can go


def _read(data, same_ids):
    """``(links, ids)`` of a page: every (target, line) it links, every id it has. The
    pages of a site repeat their addresses and ids (the same text on several pages, the
    same menus on all): each address is held once (interned), and a set of ids that
    another page has is that page's set (``same_ids``: each set, once)."""
    root = lxml.etree.fromstring(data, _PARSER)
    links = [
        (
            sys.intern(element.get("href" if element.tag in ("a", "link") else "src")),
            element.sourceline,
        )
        for element in _LINKS(root)
    ]
    ids = frozenset(_IDS(root))
    return links, same_ids.setdefault(ids, ids)


PAGES_READ = "pages_read.json"  # a cache record: each page's links and ids, by its bytes' SHA-256


def pages_known(record, digests):
    """``{page: (links, ids)}`` of the pages named in ``digests`` (``{page: SHA-256 of its
    bytes}``) whose bytes a record of pages read (``pages_record``) holds; what is not of
    the record's shape is left out, and read again."""
    known = {}
    for name, digest in digests.items():
        page = record.get(digest) if isinstance(record, dict) else None
        if _recorded_page(page):
            targets, lines, ids = page
            known[name] = (list(zip(map(sys.intern, targets), lines, strict=True)), frozenset(ids))
    return known


def pages_record(read, digests):
    """The record of the pages ``read`` (``{page: (links, ids)}``), by their digests: for
    each, its links' targets, their lines, and its ids (three lists, not one per link)."""
    return {
        digests[name]: [[t for t, _line in links], [line for _t, line in links], sorted(ids)]
        for name, (links, ids) in read.items()
        if name in digests
    }


def _recorded_page(page):
    return (
        isinstance(page, list)
        and len(page) == 3
        and all(isinstance(part, list) for part in page)
        and len(page[0]) == len(page[1])
        and all(isinstance(target, str) for target in page[0])
        and all(line is None or type(line) is int for line in page[1])
        and all(isinstance(name, str) for name in page[2])
    )


# what a URL parser (a browser's, and urlsplit) takes out of an address wherever it is
_URL_DROPS = frozenset("\t\r\n")


def _fragment_problem(target, page_ids):
    """A link to a place on its own page (``#name``): the page is there, the place must be."""
    fragment = target[1:]
    return None if not fragment or fragment in page_ids else _missing_anchor(target, fragment, "")


def _problem(target, page_url, base, folder, ids):
    try:
        return _link_problem(target, page_url, base, folder, ids)
    except ValueError:  # urllib: a bracket that opens no IPv6 host, and the like
        return _("link '%(href)s' is not a valid address", href=target)


def _link_problem(target, page_url, base, folder, ids):
    scheme = urlsplit(target).scheme.lower()
    if scheme == "mailto":
        try:
            email_href(unquote(target[len("mailto:") :]))
        except ValueError as error:
            return _("malformed e-mail link '%(href)s': %(error)s", href=target, error=error)
        return None
    if scheme == "tel":
        return (
            None
            if _E164.match(target[len("tel:") :])
            else _("telephone link '%(href)s' is not in E.164 form (tel:+...)", href=target)
        )
    absolute = urljoin(page_url, target)
    if not absolute.startswith(base) and scheme in ("http", "https", ""):
        if target.startswith("https://wa.me/") and not _WHATSAPP.match(target):
            return _("malformed WhatsApp link '%(href)s'", href=target)
        if urlsplit(absolute).scheme != "https":
            return _("external link '%(href)s' must use https:", href=target)
        return None
    if scheme and scheme not in ("http", "https"):
        return _(
            "link '%(href)s' uses the scheme '%(scheme)s:', which a policy page must not",
            href=target,
            scheme=scheme,
        )
    parts = urlsplit(absolute[len(base) :] if absolute.startswith(base) else absolute)
    path = unquote(parts.path)
    file = path + "index.html" if path.endswith("/") or not path else path
    if not os.path.isfile(os.path.join(folder, file)):
        return _("link '%(href)s' leads to no page or file of the site", href=target)
    if parts.fragment and file in ids and parts.fragment not in ids[file]:
        return _missing_anchor(target, parts.fragment, path)
    return None


def _missing_anchor(target, anchor, path):
    if target.startswith("#"):
        return _(
            "link '%(href)s' points to #%(anchor)s, which this page does not have",
            href=target,
            anchor=anchor,
        )
    return _(
        "link '%(href)s' points to #%(anchor)s, which /%(path)s does not have",
        href=target,
        anchor=anchor,
        path=path,
    )


def _html_files(folder):
    for directory, _subdirs, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                yield os.path.join(directory, name)

"""An Atom feed (RFC 4287) per policy and language that announces each new version.

Built as an XML tree, so every text is escaped by the serializer. Ids are ``tag:`` URIs
(RFC 4151) that do not depend on where the site is hosted; summaries are plain text;
``published`` is when a version was first committed and ``updated`` when its text last
changed.
"""

from xml.etree import ElementTree

ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(view, siteurl, authority, author, localizer, sitename):
    """The feed of ``view`` (a SeriesView) as UTF-8 bytes; drafts are left out."""
    gettext = localizer.catalog(view.lang).gettext
    listed = [link for link in view.versions if not link.draft]
    first = min((link.effective for link in view.versions), default=None)
    base = f"tag:{authority},{first.year if first else 2000}:{view.policy}/{view.lang}"
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(_atom("feed"), {"xml:lang": view.lang})
    if siteurl:
        feed.set("xml:base", f"{siteurl}/")
    _text_element(feed, "id", base)
    _text_element(feed, "title", f"{view.title} · {sitename}")
    _text_element(feed, "subtitle", gettext("New versions of this policy"))
    _text_element(_sub(feed, "author"), "name", author)
    _sub(feed, "link", rel="self", href=_href(siteurl, view.feed_url))
    _sub(feed, "link", rel="alternate", href=_href(siteurl, view.current_url), hreflang=view.lang)
    updated = [_updated(link) for link in listed]
    _text_element(
        feed, "updated", max(updated).isoformat() if updated else "2000-01-01T00:00:00+00:00"
    )
    for link in listed:
        entry = _sub(feed, "entry")
        _text_element(entry, "id", f"{base}/{link.version}")
        heading = gettext("Version %(version)s, effective %(date)s") % {
            "version": link.version,
            "date": localizer.date(view.lang, link.effective),
        }
        _text_element(entry, "title", heading)
        _sub(entry, "link", rel="alternate", href=_href(siteurl, link.url), hreflang=view.lang)
        _text_element(entry, "published", link.entry.first_committed.isoformat())
        _text_element(entry, "updated", _updated(link).isoformat())
        _text_element(entry, "summary", link.summary, type="text")
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _updated(link):
    return link.entry.committed


def _href(siteurl, url):
    return f"{siteurl}/{url}" if siteurl else f"/{url}"


def _atom(name):
    return f"{{{ATOM}}}{name}"


def _sub(parent, name, **attributes):
    return ElementTree.SubElement(parent, _atom(name), attributes)


def _text_element(parent, name, text, **attributes):
    element = _sub(parent, name, **attributes)
    element.text = text
    return element

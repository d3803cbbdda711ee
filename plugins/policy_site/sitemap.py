"""``sitemap.xml`` for search engines, with each page's language alternates (and the
default language as ``x-default``) and when its content last changed; ``robots.txt``."""

from urllib.parse import urlsplit
from xml.etree import ElementTree

from .page_models import ArchivePage, ChangesPage, HomePage, PolicyPage

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(siteurl, pages, zone):
    """The sitemap of ``pages`` as UTF-8 bytes: those a search engine should list, each
    last changed on the day of its newest commit in the site's time zone ``zone``."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    listed = [p for p in pages if isinstance(p, (PolicyPage, ArchivePage, ChangesPage, HomePage))]
    for page in sorted(listed, key=lambda page: page.url):
        entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = f"{siteurl}/{page.url}"
        modified = last_modified(page, zone)
        if modified:
            ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
        available = [alternate for alternate in page.alternates if alternate.available]
        for alternate in available:
            _alternate(entry, alternate.lang, f"{siteurl}/{alternate.url}")
        if available and page.alternates[0].available:
            _alternate(entry, "x-default", f"{siteurl}/{page.alternates[0].url}")
    ElementTree.indent(urlset)
    return ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def last_modified(page, zone):
    """When the content of ``page`` last changed: the day of its newest text's commit."""
    if isinstance(page, (PolicyPage, ChangesPage)):
        return _date(page.version.entry.committed, zone)
    if isinstance(page, ArchivePage):
        return _newest(page.series, zone)
    if isinstance(page, HomePage):
        return max(filter(None, (_newest(series, zone) for series in page.policies)), default=None)
    return None


def robots_txt(siteurl):
    """``robots.txt`` for a site at the root of its host; None below a path, where
    crawlers never look for it."""
    if urlsplit(siteurl).path.strip("/"):
        return None
    return f"User-agent: *\nAllow: /\n\nSitemap: {siteurl}/sitemap.xml\n".encode()


def _newest(series, zone):
    return max(
        filter(None, (_date(link.entry.committed, zone) for link in series.versions)),
        default=None,
    )


def _date(moment, zone):
    return moment.astimezone(zone).date() if moment else None


def _alternate(entry, lang, href):
    ElementTree.SubElement(entry, f"{{{XHTML_NS}}}link", rel="alternate", hreflang=lang, href=href)

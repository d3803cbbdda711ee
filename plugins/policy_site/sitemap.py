"""``sitemap.xml`` for search engines, with each page's language alternates."""

from xml.etree import ElementTree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


def sitemap_xml(siteurl, pages):
    """The sitemap of ``pages`` (objects with ``url`` and ``alternates``) as UTF-8 bytes."""
    ElementTree.register_namespace("", SITEMAP_NS)
    ElementTree.register_namespace("xhtml", XHTML_NS)
    urlset = ElementTree.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in sorted(pages, key=lambda page: page.url):
        entry = ElementTree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ElementTree.SubElement(entry, f"{{{SITEMAP_NS}}}loc").text = f"{siteurl}/{page.url}"
        for alternate in page.alternates:
            ElementTree.SubElement(
                entry,
                f"{{{XHTML_NS}}}link",
                rel="alternate",
                hreflang=alternate.lang,
                href=f"{siteurl}/{alternate.url}",
            )
    ElementTree.indent(urlset)
    return ElementTree.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"

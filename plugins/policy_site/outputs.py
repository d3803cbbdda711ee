"""Writes every output of the site through Pelican's Writer: the pages, the feeds,
``versions.json``, ``_headers``, the sitemap and ``robots.txt``. Writing through the
Writer keeps its guard against writing a file twice and its ``content_written`` signal
for other plugins. A file the output already holds byte for byte is not written: the
build keeps it (``atomic_output``), and no signal is sent for it."""

import dataclasses
import hashlib
import json
import logging
import os

from .assets import CACHE_RULE
from .assets import FOLDER as ASSETS_FOLDER
from .atomic_output import begin
from .errors import NOTICE
from .feeds import atom_feed
from .messages import _
from .output_checks import PAGES_READ, pages_known, pages_record
from .page_models import ChangesPage, SectionHistoryPage
from .page_reuse import PageReuse
from .preview import relative_links
from .redline_marks import PageRedlines
from .security import headers_file
from .sitemap import robots_txt, sitemap_xml
from .terms_archive import declarations
from .urls import save_as
from .version_index import versions_json

logger = logging.getLogger(__name__)


class Verbatim:
    """A template that renders to a given text: how the Writer writes what is not a
    Jinja page (a feed, JSON)."""

    def __init__(self, text):
        self.text = text

    def render(self, *_args, **_kwargs):
        return self.text


class Outputs:
    """Everything one build writes."""

    def __init__(self, generator, cache):
        self.generator = generator
        self.cache = cache
        self.settings = generator.settings
        self.config = generator.config
        self.redlines = PageRedlines(generator.localizer, cache, generator.settings["SITEURL"])
        self.reuse = None
        self.staged = None  # the StagedBuild of the output being written
        self.made = {}  # name: SHA-256 of each file this build makes

    def write(self, writer):
        self.staged = begin(writer.output_path)
        for pdf in self.generator.pdf_files:
            self._write_bytes(writer, pdf.url, pdf.data)
        for url, data in self.generator.assets.files.items():
            self._write_bytes(writer, url, data)
        self.reuse = PageReuse(self.cache, self.staged)
        for page in self.generator.pages:
            self._page(writer, page)
        self.reuse.save()
        siteurl = self.settings["SITEURL"]
        for view in self.generator.views.values():
            feed = atom_feed(
                view,
                siteurl,
                self.config["feed_authority"],
                self.config["controller"],
                self.generator.localizer,
                self.settings["SITENAME"],
            )
            self._write_text(writer, view.feed_url, feed.decode("utf-8"))
        index = versions_json(
            self.generator.views, siteurl, self.config["original_lang"], self.generator.moment.now
        )
        self._write_text(writer, "versions.json", index)
        headers = headers_file(self.config["security_headers"], ASSETS_FOLDER, CACHE_RULE)
        self._write_text(writer, "_headers", headers)
        if self.config["sitemap"]:
            self._sitemap(writer, siteurl)
        if self.config["publishing"]:
            found = declarations(
                self.generator.views,
                siteurl,
                self.settings["SITENAME"],
                self.config["open_terms_archive"],
            )
            for path, text in found.items():
                self._write_text(writer, path, text)
        self._checked_before()
        if self.cache.hits or self.cache.misses:
            message = _(
                "Cache: %(hits)s texts, redlines and PDFs reused, %(misses)s made; %(reused)s "
                "of %(pages)s pages as the build before wrote them",
                hits=self.cache.hits,
                misses=self.cache.misses,
                reused=self.reuse.reused,
                pages=len(self.generator.pages),
            )
            logger.info("%s", message)

    def _page(self, writer, page):
        """Write ``page``: as the build before wrote it, where its key is the same, else
        rendered."""
        name = save_as(page.url)
        html = self.reuse.html(name, page)
        if html is None:
            html = self._render(page, name)
            self.reuse.rendered(name, html)
        self._write_text(writer, name, html)

    def _render(self, page, name):
        """The HTML of ``page``: its model and the settings are the template's whole input
        (its key holds the one, the cache's fingerprint the other); a redline's marks are
        made here and let go at once."""
        generator = self.generator
        shown = page
        if isinstance(page, ChangesPage):
            shown = dataclasses.replace(page, marks=self.redlines.marks(page))
        elif isinstance(page, SectionHistoryPage):
            shown = dataclasses.replace(page, marks=self.redlines.section_marks(page))
        template = generator.get_template(page.template)
        html = template.render({**generator.settings, "page": shown, "lang": page.lang})
        if self.config["preview"]:
            html = relative_links(html, f"/{name}")
        return html

    def _sitemap(self, writer, siteurl):
        sitemap = sitemap_xml(siteurl, self.generator.pages, self.generator.moment.zone)
        self._write_text(writer, "sitemap.xml", sitemap.decode())
        robots = robots_txt(siteurl)
        if robots:
            self._write_text(writer, "robots.txt", robots.decode())
            return
        message = _(
            "robots.txt is not written: %(site)s is below a path of its host, where crawlers "
            "never read it; list %(site)s/sitemap.xml in the host's own robots.txt",
            site=siteurl,
        )
        logger.log(NOTICE, "%s", message)

    def _checked_before(self):
        """Tell the swap whether a build of this fingerprint checked the very site this
        build made (then an output that holds it need not change), and record it once
        checked."""
        site = hashlib.sha256()
        for name, digest in sorted(self.made.items()):
            site.update(f"{name}\0{digest}\0".encode())
        checked = self.cache.read_record(CHECKED) == {"site": site.hexdigest()}
        before = self.cache.read_record(PAGES_READ)
        read = pages_known(before, self.made)

        def on_checked():
            if not checked:
                self.cache.write_record(CHECKED, json.dumps({"site": site.hexdigest()}).encode())
            record = pages_record(read, self.made)
            if record != before:
                self.cache.write_record(PAGES_READ, json.dumps(record).encode())

        self.staged.checked_before(checked, on_checked, read)

    def _write_text(self, writer, name, text):
        """Write ``text`` to ``name``, unless the output already holds those bytes."""
        data = text.encode("utf-8")
        self.made[name] = hashlib.sha256(data).hexdigest()
        if not self.staged.keep_if_same(name, data):
            writer.write_file(name, Verbatim(text), self.generator.context)

    def _write_bytes(self, writer, name, data):
        """Write a binary file (a PDF, an asset) into the output the Writer is filling:
        a new file, never through a link or over another file; unless the output
        already holds it."""
        self.made[name] = hashlib.sha256(data).hexdigest()
        if self.staged.keep_if_same(name, data):
            return
        path = os.path.join(writer.output_path, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "xb") as output:
            output.write(data)


CHECKED = "checked.json"  # the record of the site a build of the fingerprint last checked

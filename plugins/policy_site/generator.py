"""The Pelican generator: reads the policies and their history, checks them, writes the site."""

import logging
import os

from pelican.generators import Generator

from .archive import build_date, load_series
from .content_links import check_content_links
from .document import read_document
from .errors import Problems
from .feeds import atom_feed
from .i18n import Localizer
from .policies import collect_policies, compare_anchors
from .rendering import Renderer, RenderOptions
from .security import headers_file, meta_policy
from .settings import policy_settings
from .site_pages import SitePages
from .sitemap import sitemap_xml
from .urls import UrlScheme, save_as
from .version_index import versions_json

logger = logging.getLogger(__name__)


class PolicyGenerator(Generator):
    """Builds every language in one pass; the page's ``lang`` picks the catalog."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = policy_settings(self.settings)
        self.localizer = Localizer(self.config["translations_dir"], self.settings["DEFAULT_LANG"])
        self.localizer.install(self.env)
        self.env.globals["content_security_policy"] = meta_policy(self.config["security_headers"])
        self.urls = UrlScheme.from_catalogs(self.settings["DEFAULT_LANG"], self.localizer)
        self.today = build_date(self.settings["TIMEZONE"])
        self.renderer = Renderer(
            RenderOptions(
                contact_anchor=self.config["contact_anchor"],
                phone_region=self.config["phone_region"],
                siteurl=self.settings["SITEURL"],
                contact_html=self._contact_html,
                permalink_label=self._permalink_label,
            )
        )
        self.pages = ()
        self.views = {}

    def generate_context(self):
        # Stages, each reporting all it finds; a later stage would only repeat an
        # earlier stage's problems in other words. Rendering, anchors and links are
        # one stage: their problems are independent.
        problems = Problems()
        documents = self._read_documents(problems)
        problems.raise_if_any()
        policies = collect_policies(
            documents, self.localizer.languages, problems, self.config["untranslated"]
        )
        problems.raise_if_any()
        series = load_series(
            self.config["content_dir"],
            documents,
            self.localizer.languages,
            self.config["publishing"],
            problems,
        )
        problems.raise_if_any()
        bodies = {
            (key[0], key[1], entry.version): self._render(entry.document, problems)
            for key, one_series in series.items()
            for entry in one_series.versions
        }
        if not len(problems):  # a heading without its anchor would also differ
            self._compare_languages(series, bodies, problems)
        site = SitePages(
            series,
            bodies,
            self.urls,
            self.localizer,
            self.today,
            self.config["original_lang"],
        )
        self.pages = site.pages()
        self.views = site.views
        check_content_links(self.pages, series, bodies, self.config["phone_region"], problems)
        problems.raise_if_any()
        self.context["policy_pages"] = self.pages
        for (policy, lang), view in sorted(self.views.items()):
            if view.lag:
                logger.info(
                    "The %s text of '%s' translates version %s; the %s original is at %s",
                    lang,
                    policy,
                    view.lag.version,
                    view.lag.original.lang,
                    view.lag.original_version,
                )
        logger.info(
            "Policy site: %d policies, %d languages, %d pages, build date %s",
            len(policies),
            len(self.localizer.languages),
            len(self.pages),
            self.today,
        )

    def generate_output(self, writer):
        for page in self.pages:
            writer.write_file(
                save_as(page.url),
                self.get_template(page.template),
                self.context,
                relative_urls=self.settings["RELATIVE_URLS"],
                page=page,
                lang=page.lang,
                home_url=self.urls.home(page.lang),
            )
        siteurl = self.settings["SITEURL"]
        for view in self.views.values():
            feed = atom_feed(view, siteurl, self.settings["SITENAME"], self.localizer)
            self._write(view.feed_url, feed.encode("utf-8"))
        index = versions_json(self.views, siteurl, self.config["original_lang"])
        self._write("versions.json", index.encode("utf-8"))
        self._write("_headers", headers_file(self.config["security_headers"]).encode("utf-8"))
        if self.config["sitemap"]:
            listed = [page for page in self.pages if not page.url.endswith(".html")]
            self._write("sitemap.xml", sitemap_xml(siteurl, listed))
            self._write("robots.txt", f"Sitemap: {siteurl}/sitemap.xml\n".encode())

    def _write(self, url, data):
        path = os.path.join(self.output_path, url)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as output:
            output.write(data)
        logger.debug("Writing %s", path)

    def _read_documents(self, problems):
        folder = self.config["content_dir"]
        if not os.path.isdir(folder):
            problems.add(folder, "the folder of policy files does not exist")
            return []
        documents = []
        for directory, _subdirs, files in sorted(os.walk(folder)):
            for name in sorted(files):
                if name.endswith(".md") and not name.startswith("."):
                    path = os.path.join(directory, name)
                    with open(path, "rb") as source:
                        raw = source.read()
                    document = read_document(path, raw, self.localizer.languages, problems)
                    if document:
                        documents.append(document)
        return documents

    def _render(self, document, problems):
        return self.renderer.render(document, problems)

    def _contact_html(self, contact):
        return self.get_template("partials/contact").render(contact=contact)

    def _permalink_label(self, lang, title):
        message = self.localizer.catalog(lang).gettext("Link to this section: %(title)s")
        return message % {"title": title}

    def _compare_languages(self, series, bodies, problems):
        """Each version's anchors are the same in the original and every translation of it."""
        original_lang = self.config["original_lang"]
        for (policy, lang), translation in sorted(series.items()):
            original = series.get((policy, original_lang))
            if lang == original_lang or original is None:
                continue
            for entry in translation.versions:
                counterpart = original.get(entry.version)
                if counterpart:
                    compare_anchors(
                        counterpart.document,
                        bodies[policy, original_lang, entry.version].anchors,
                        entry.document,
                        bodies[policy, lang, entry.version].anchors,
                        problems,
                    )

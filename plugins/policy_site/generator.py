"""The Pelican generator: reads the policy files, checks them, writes the site's pages."""

import logging
import os
from dataclasses import dataclass

from bs4 import BeautifulSoup
from markupsafe import Markup
from pelican.generators import Generator

from .contact import extract_contact
from .document import read_document
from .errors import Problems
from .i18n import Localizer
from .pages import HomePage, LanguageLink, PolicyPage
from .policies import check_matching_anchors, collect_policies
from .rendering import add_permalinks, heading_anchors, render_markdown
from .settings import policy_settings
from .sitemap import sitemap_xml
from .urls import UrlScheme, save_as

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Body:
    html: Markup
    sections: tuple
    anchors: tuple
    contact: object


class PolicyGenerator(Generator):
    """Builds every language in one pass; the page's ``lang`` picks the catalog."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = policy_settings(self.settings)
        self.localizer = Localizer(self.config["translations_dir"], self.settings["DEFAULT_LANG"])
        self.localizer.install(self.env)
        self.urls = UrlScheme(self.settings["DEFAULT_LANG"])
        self.pages = ()

    def generate_context(self):
        # Three stages, each reporting all it finds; a later stage would only
        # repeat an earlier stage's problems in other words.
        problems = Problems()
        documents = self._read_documents(problems)
        problems.raise_if_any()
        policies = collect_policies(documents, self.localizer.languages, problems)
        bodies = {
            (policy.key, lang): self._render(document, problems)
            for policy in policies
            for lang, document in policy.documents.items()
        }
        problems.raise_if_any()
        for policy in policies:
            anchors = {lang: bodies[policy.key, lang].anchors for lang in policy.documents}
            check_matching_anchors(policy, anchors, self.config["original_lang"], problems)
        problems.raise_if_any()
        self.pages = self._pages(policies, bodies)
        self.context["policy_pages"] = self.pages
        logger.info(
            "Policy site: %d policies in %d languages", len(policies), len(self.localizer.languages)
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
        if self.config["sitemap"]:
            path = os.path.join(self.output_path, "sitemap.xml")
            with open(path, "wb") as sitemap:
                sitemap.write(sitemap_xml(self.settings["SITEURL"], self.pages))
            logger.info("Writing %s", path)

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
        soup, sections = render_markdown(document, problems)
        anchors = heading_anchors(soup)
        contact, paragraphs = extract_contact(
            soup, document, self.config["contact_anchor"], self.config["phone_region"], problems
        )
        if contact:
            html = self.get_template("partials/contact").render(contact=contact, lang=document.lang)
            paragraphs[0].replace_with(BeautifulSoup(html, "html.parser"))
            for paragraph in paragraphs[1:]:
                paragraph.decompose()
        catalog = self.localizer.catalog(document.lang)
        add_permalinks(
            soup,
            lambda title: catalog.gettext("Link to this section: %(title)s") % {"title": title},
        )
        return _Body(Markup(str(soup)), sections, anchors, contact)

    def _pages(self, policies, bodies):
        languages = self.localizer.languages
        original_lang = self.config["original_lang"]
        pages = []
        for policy in policies:
            alternates = tuple(
                LanguageLink(lang, self.localizer.autonym(lang), self.urls.current(doc))
                for lang in languages
                for doc in (policy.in_language(lang),)
            )
            original = next(link for link in alternates if link.lang == original_lang)
            for link in alternates:
                body = bodies[policy.key, link.lang]
                pages.append(
                    PolicyPage(
                        document=policy.in_language(link.lang),
                        url=link.url,
                        content=body.html,
                        sections=body.sections,
                        contact=body.contact,
                        alternates=alternates,
                        original=None if link.lang == original_lang else original,
                    )
                )
        homes = tuple(
            LanguageLink(lang, self.localizer.autonym(lang), self.urls.home(lang))
            for lang in languages
        )
        for home in homes:
            listed = tuple(page for page in pages if page.lang == home.lang)
            pages.append(HomePage(home.lang, home.url, listed, homes))
        return tuple(pages)

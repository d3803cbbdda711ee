"""The Pelican generator: reads the policies and their history, checks them, writes the site."""

import logging

import babel.core
from pelican.generators import Generator

from .all_pages import SitePages
from .cache import open_cache
from .change_summary import changes_found, changes_under_review
from .clock import Moment
from .content import ContentReader
from .content_links import check_content_links
from .errors import NOTICE, PolicyBuildError, Problems, RevisionProblems, display_path
from .i18n import Localizer
from .outputs import Outputs
from .policies import check_bumps, compare_languages
from .rendering import Renderer, RenderOptions
from .section_changes import anchor_changes
from .security import meta_policy
from .settings import policy_settings
from .urls import UrlScheme
from .views import SiteViews

logger = logging.getLogger(__name__)


def _likely_locale(lang):
    likely = babel.core.get_global("likely_subtags").get(lang, lang)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else lang


class PolicyGenerator(Generator):
    """Builds every language in one pass; the page's ``lang`` picks the catalog."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = policy_settings(self.settings)
        self.localizer = Localizer(
            self.config["translations_dir"],
            self.settings["DEFAULT_LANG"],
            self.config["language_names"],
        )
        self.localizer.install(self.env)
        self.env.globals["preview"] = self.config["preview"]
        self.env.globals["content_security_policy"] = (
            None if self.config["preview"] else meta_policy(self.config["security_headers"])
        )
        self.env.globals["controller"] = self.config["controller"]
        self.env.globals["open_graph_locale"] = self._open_graph_locale
        self.urls = UrlScheme.from_catalogs(self.settings["DEFAULT_LANG"], self.localizer)
        self.moment = Moment(self.settings["TIMEZONE"])
        self.renderer = Renderer(
            RenderOptions(
                contact_anchor=self.config["contact_anchor"],
                phone_region=self.config["phone_region"],
                siteurl=self.settings["SITEURL"],
                contact_html=self._contact_html,
                translator=self._translator,
            )
        )
        self.pages = ()
        self.views = {}
        self.cache = None

    def generate_context(self):
        problems = Problems()
        self.cache = cache = open_cache(self.config, self.settings)
        reader = ContentReader(
            self.config,
            self.localizer.languages,
            self.renderer.render,
            self.moment,
            problems,
            cache,
        )
        try:
            content = reader.read()
            if not len(problems):  # a text's own problems would also show as differences
                review = RevisionProblems(problems)
                compare_languages(content.series, self.config["original_lang"], review)
                check_bumps(content.series, self.config["original_lang"], review)
            views = SiteViews(
                content.series,
                self.urls,
                self.localizer,
                self.moment,
                self.config["original_lang"],
            )
            self.pages = SitePages(
                views, self.urls, self.localizer, self.config["contact_anchor"]
            ).pages()
            self.views = views.views
            check_content_links(self.pages, content.series, self.config["phone_region"], problems)
            problems.raise_if_any()
        except PolicyBuildError as error:
            error.warnings = tuple(sorted(problems.warnings))
            raise
        finally:
            for warning in sorted(problems.warnings):
                logger.log(NOTICE, "%s", warning)
        changes_found.send(
            self,
            changes=changes_under_review(content.series),
            warnings=tuple(sorted(problems.warnings)),
        )
        self.context["policy_pages"] = self.pages
        self._log_summary(content)

    def _log_summary(self, content):
        for (_policy, _lang), series in sorted(content.series.items()):
            newest = series.newest
            previous = series.previous(newest)
            for change in (
                anchor_changes(previous.text.anchors, newest.text.anchors) if previous else ()
            ):
                what = (
                    f"renames section #{change.anchor} to #{change.renamed_to}"
                    if change.renamed_to
                    else f"removes section #{change.anchor}"
                )
                logger.log(
                    NOTICE,
                    "%s: version %s %s (in version %s); links to it land on a note on the "
                    "current page once the version is in effect",
                    display_path(newest.document.path),
                    newest.version,
                    what,
                    previous.version,
                )
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
            len(content.policies),
            len(self.localizer.languages),
            len(self.pages),
            self.moment.today,
        )

    def generate_output(self, writer):
        Outputs(self, self.cache).write(writer)

    def _open_graph_locale(self, lang):
        """``id_ID``, ``en_GB``: the language with its territory, as Open Graph names it."""
        return self.config["locales"].get(lang) or _likely_locale(lang)

    def _contact_html(self, contact):
        return self.get_template("partials/contact").render(contact=contact)

    def _translator(self, lang):
        catalog = self.localizer.catalog(lang)
        return lambda message, **values: catalog.gettext(message) % values

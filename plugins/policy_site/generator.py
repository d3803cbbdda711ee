"""The Pelican generator: reads the policies and their history, checks them, writes the site."""

import functools
import logging

import babel.core
from pelican.generators import Generator

from .all_pages import SitePages
from .assets import Assets
from .atomic_output import build_step
from .cache import compiled_templates, open_cache
from .change_summary import ChangeScope, changes_found, changes_under_review
from .clock import Moment
from .content import ContentReader
from .content_links import check_content_links
from .errors import NOTICE, PolicyBuildError, Problems, RevisionProblems, display_path
from .i18n import Localizer, check_catalogs
from .messages import N_, _
from .outputs import Outputs
from .pdf import PdfMaker, pdf_texts
from .policies import check_bumps, compare_languages
from .section_changes import anchor_changes
from .security import meta_policy
from .settings import policy_settings
from .urls import UrlScheme
from .views import SiteViews

logger = logging.getLogger(__name__)


def _make_pdfs(generator, series):
    """``{(policy, lang, version, revision): PdfFile}``; none where PDFs are off."""
    if not generator.config["pdf"]:
        return {}
    siteurl, controller = generator.settings["SITEURL"], generator.config["controller"]
    texts = pdf_texts(
        series, generator.urls, generator.moment, controller, siteurl, generator.localizer
    )
    maker = PdfMaker(generator.get_template("pdf"), generator.settings["THEME"], generator.cache)
    files = maker.make(texts, generator.context, generator.localizer.translate)
    generator.pdf_files = tuple(files.values())
    return {key: files[text.url] for key, text in texts.items()}


def _log_anchor_changes(all_series):
    """Say which section anchors each policy's newest version renames or removes: links
    to them will land on a note on the current page."""
    for (_policy, _lang), series in sorted(all_series.items()):
        newest = series.newest
        previous = series.previous(newest)
        for change in (
            anchor_changes(previous.text.anchors, newest.text.anchors) if previous else ()
        ):
            values = {
                "path": display_path(newest.document.path),
                "version": newest.version,
                "anchor": change.anchor,
                "new": change.renamed_to,
                "previous": previous.version,
            }
            logger.log(NOTICE, "%s", _(_RENAMED if change.renamed_to else _REMOVED, **values))


def _check_catalogs(directory):
    """Stop at a broken catalog entry; an untranslated one is a notice, never fatal."""
    problems = Problems()
    check_catalogs(directory, problems)
    for warning in sorted(problems.warnings):
        logger.log(NOTICE, "%s", warning)
    problems.raise_if_any()


def _likely_locale(lang):
    likely = babel.core.get_global("likely_subtags").get(lang, lang)
    parts = likely.split("_")
    return f"{parts[0]}_{parts[-1]}" if len(parts) > 1 else lang


_REMOVED = N_(
    "%(path)s: version %(version)s removes section #%(anchor)s (in version %(previous)s); "
    "links to it land on a note on the current page once the version is in effect"
)
_RENAMED = N_(
    "%(path)s: version %(version)s renames section #%(anchor)s to #%(new)s (in version "
    "%(previous)s); links to it land on a note on the current page once the version is in "
    "effect"
)


def _renderer(generator):
    """Made when a text is rendered (the renderer's modules load then): a build that takes
    every text from the cache needs none."""
    from .rendering import Renderer, RenderOptions

    options = RenderOptions(
        contact_anchor=generator.config["contact_anchor"],
        phone_region=generator.config["phone_region"],
        siteurl=generator.settings["SITEURL"],
        contact_html=generator._contact_html,
        translator=generator._translator,
    )
    return Renderer(options)


class PolicyGenerator(Generator):
    """Builds every language in one pass; the page's ``lang`` picks the catalog."""

    @build_step
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.config = policy_settings(self.settings)
        _check_catalogs(self.config["translations_dir"])
        self.localizer = Localizer(
            self.config["translations_dir"],
            self.settings["DEFAULT_LANG"],
            self.config["language_names"],
        )
        self.localizer.install(self.env)
        self.assets = Assets(self.settings["THEME"])
        self.env.globals.update(
            preview=self.config["preview"],
            content_security_policy=meta_policy(self.config["security_headers"]),
            controller=self.config["controller"],
            asset=self.assets.url,
            open_graph_locale=self._open_graph_locale,
        )
        self.env.filters["absolute_url"] = lambda url: f"{self.settings['SITEURL']}/{url}"
        # each build has an environment of its own: no template changes while it renders,
        # so Jinja need not look at each template's file again for every page
        self.env.auto_reload = False
        self.urls = UrlScheme.from_catalogs(self.settings["DEFAULT_LANG"], self.localizer)
        self.moment = Moment(self.settings["TIMEZONE"])
        self.pages = ()
        self.views = {}
        self.pdf_files = ()
        self.cache = None

    @build_step
    def generate_context(self):
        self.cache = open_cache(self.config, self.settings)
        self.env.bytecode_cache = compiled_templates(self.cache.fingerprint)
        try:
            self._read_and_model()
        except BaseException:
            self.cache.save()  # the texts made before a problem serve the build after the fix
            raise

    def _read_and_model(self):
        """Read every policy's history, check it and make the site's pages."""
        problems = Problems()
        reader = self._reader(problems)
        scope = None
        try:
            sources = reader.sources()
            scope = ChangeScope.of(sources.repository, self.config["base"])
            content = reader.read(sources)
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
                _make_pdfs(self, content.series) if not len(problems) else {},
            )
            self.pages = SitePages(
                views,
                self.urls,
                self.localizer,
                self.config["contact_anchor"],
                self.settings["SITEURL"],
            ).pages()
            self.views = views.views
            check_content_links(self.pages, content.series, self.config["phone_region"], problems)
            problems.raise_if_any()
        except PolicyBuildError as error:
            error.warnings = tuple(sorted(problems.warnings))
            changes_found.send(self, changes=None, warnings=error.warnings, scope=scope)
            raise
        finally:
            for warning in sorted(problems.warnings):
                logger.log(NOTICE, "%s", warning)
        if changes_found.receivers:  # only invoke check listens; a build does not pay
            changes_found.send(
                self,
                changes=changes_under_review(content.series),
                warnings=tuple(sorted(problems.warnings)),
                scope=scope,
            )
        self.context["policy_pages"] = self.pages
        self._log_summary(content)

    def _log_summary(self, content):
        _log_anchor_changes(content.series)
        for (policy, lang), view in sorted(self.views.items()):
            if view.lag:
                message = _(
                    "The %(lang)s text of '%(policy)s' translates version %(version)s; the "
                    "%(original)s original is at %(original_version)s",
                    lang=lang,
                    policy=policy,
                    version=view.lag.version,
                    original=view.lag.original.lang,
                    original_version=view.lag.original_version,
                )
                logger.info("%s", message)
        message = _(
            "Policy site: %(policies)s policies, %(languages)s languages, %(pages)s pages, "
            "build date %(today)s",
            policies=len(content.policies),
            languages=len(self.localizer.languages),
            pages=len(self.pages),
            today=self.moment.today,
        )
        logger.info("%s", message)

    @build_step
    def generate_output(self, writer):
        try:
            Outputs(self, self.cache).write(writer)
        finally:
            self.cache.save()

    def _reader(self, problems):
        languages = self.localizer.languages
        return ContentReader(
            self.config, languages, self._render, self.moment, problems, self.cache
        )

    def _render(self, document, problems):
        return self._renderer.render(document, problems)

    @functools.cached_property
    def _renderer(self):
        return _renderer(self)

    def _open_graph_locale(self, lang):
        """``id_ID``, ``en_GB``: the language with its territory, as Open Graph names it."""
        return self.config["locales"].get(lang) or _likely_locale(lang)

    def _contact_html(self, contact):
        return self.get_template("partials/contact").render(contact=contact)

    def _translator(self, lang):
        catalog = self.localizer.catalog(lang)
        return lambda message, **values: catalog.gettext(message) % values

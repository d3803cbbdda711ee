"""Assembles every page of the site from the version series and their rendered texts."""

from markupsafe import Markup

from .pages import (
    ArchivePage,
    ChangesPage,
    HomePage,
    Lag,
    LanguageLink,
    NotFoundPage,
    PolicyPage,
    SectionLink,
    SeriesView,
    VersionLink,
)
from .redline import Labels, redline


class SitePages:
    """Pages of all policies in all languages, for one build date."""

    def __init__(self, series, urls, localizer, today, original_lang):
        self.series = series
        self.urls = urls
        self.localizer = localizer
        self.today = today
        self.original_lang = original_lang
        self.views = {key: self._view(key) for key in series}

    def pages(self):
        pages = []
        for (policy, lang), view in sorted(self.views.items()):
            pages.append(self._current_page(policy, lang, view))
            pages.append(ArchivePage(view, view.archive_url, self._alternates(policy, "archive")))
            for link in view.versions:
                pages.append(self._version_page(policy, lang, view, link))
                changes = self._changes_page(policy, lang, view, link)
                if changes:
                    pages.append(changes)
        homes = tuple(self._home_pages())
        pages.extend(homes)
        pages.append(NotFoundPage(homes[0].lang, "404.html", homes[0].alternates))
        return tuple(pages)

    # -- one policy in one language ------------------------------------------------

    def _view(self, key):
        policy, lang = key
        series = self.series[key]
        slug = series.slug
        current = series.current(self.today)
        links = {
            entry.version: self._version_link(series, entry, current) for entry in series.versions
        }
        return SeriesView(
            policy=policy,
            lang=lang,
            title=current.document.title,
            current_url=self.urls.current(lang, slug),
            archive_url=self.urls.archive(lang, slug),
            feed_url=self.urls.feed(lang, slug),
            versions=tuple(reversed(links.values())),
            current=links[current.version],
            upcoming=tuple(links[entry.version] for entry in series.upcoming(self.today)),
            lag=self._lag(policy, lang, current),
            original=None if lang == self.original_lang else self._original(policy),
        )

    def _version_link(self, series, entry, current):
        if entry.version == current.version:
            status = "current"
        elif entry.version > current.version:
            status = "upcoming"
        else:
            status = "superseded"
        slug, lang = series.slug, series.lang
        return VersionLink(
            version=entry.version,
            effective=entry.effective,
            summary=entry.document.summary,
            url=self.urls.version(lang, slug, entry.version),
            changes_url=(
                self.urls.changes(lang, slug, entry.version) if series.previous(entry) else None
            ),
            status=status,
            draft=entry.draft,
            entry=entry,
        )

    def _original(self, policy):
        series = self.series[policy, self.original_lang]
        return self._language_link(
            self.original_lang, self.urls.current(self.original_lang, series.slug)
        )

    def _lag(self, policy, lang, current):
        original = self.series.get((policy, self.original_lang))
        if lang == self.original_lang or original is None:
            return None
        original_current = original.current(self.today)
        if current.version >= original_current.version:
            return None
        return Lag(current.version, original_current.version, self._original(policy))

    # -- pages -------------------------------------------------------------------

    def _current_page(self, policy, lang, view):
        return self._policy_page("current", policy, lang, view, view.current, view.current_url)

    def _version_page(self, policy, lang, view, link):
        return self._policy_page("version", policy, lang, view, link, link.url)

    def _policy_page(self, kind, policy, lang, view, link, url):
        body = link.entry.text
        alternates = self._alternates(policy, kind, link.version)
        return PolicyPage(
            kind, view, link, link.entry.document, url, Markup(body.html), body.sections, alternates
        )

    def _changes_page(self, policy, lang, view, link):
        series = self.series[policy, lang]
        previous = series.previous(link.entry)
        if previous is None:
            return None
        before = next(v for v in view.versions if v.version == previous.version)
        new_body = link.entry.text
        old_body = previous.text
        marks = redline(old_body.plain, new_body.plain, self._labels(lang))
        titles = _section_titles(old_body.sections) | _section_titles(new_body.sections)
        opening = self.localizer.catalog(lang).gettext("Opening text")
        changed = tuple(
            SectionLink(anchor, titles.get(anchor, opening) if anchor else opening)
            for anchor in marks.changed_sections
        )
        old_title = previous.document.title
        return ChangesPage(
            series=view,
            version=link,
            previous=before,
            url=link.changes_url,
            content=Markup(marks.html),
            changed_sections=changed,
            unchanged=marks.unchanged and old_title == link.entry.document.title,
            old_title=old_title if old_title != link.entry.document.title else None,
            alternates=self._alternates(policy, "changes", link.version),
        )

    def _home_pages(self):
        homes = tuple(
            self._language_link(lang, self.urls.home(lang)) for lang in self.localizer.languages
        )
        for home in homes:
            listed = tuple(
                view for (_policy, lang), view in sorted(self.views.items()) if lang == home.lang
            )
            yield HomePage(home.lang, home.url, listed, homes)

    # -- links between languages --------------------------------------------------

    def _alternates(self, policy, kind, version=None):
        """The page of this kind in every language; where one has no such version,
        a link to its archive marked unavailable."""
        links = []
        for lang in self.localizer.languages:
            view = self.views.get((policy, lang))
            if view is None:
                continue
            if kind == "current":
                url = view.current_url
            elif kind == "archive":
                url = view.archive_url
            else:
                link = next((v for v in view.versions if v.version == version), None)
                url = link and (link.url if kind == "version" else link.changes_url)
            if url:
                links.append(self._language_link(lang, url))
            else:
                links.append(self._language_link(lang, view.archive_url, available=False))
        return tuple(links)

    def _language_link(self, lang, url, available=True):
        return LanguageLink(lang, self.localizer.autonym(lang), url, available)

    def _labels(self, lang):
        gettext = self.localizer.catalog(lang).gettext
        return Labels(
            inserted=gettext("[inserted:"),
            inserted_end=gettext("end of insertion]"),
            deleted=gettext("[deleted:"),
            deleted_end=gettext("end of deletion]"),
        )


def _section_titles(sections):
    titles = {}
    for section in sections:
        titles[section.anchor] = section.title
        titles.update(_section_titles(section.children))
    return titles

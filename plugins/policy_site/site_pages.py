"""Every page of the site, assembled from the views of the policies and their texts."""

from markupsafe import Markup

from .pages import (
    ArchivePage,
    ChangesPage,
    HomePage,
    NotFoundPage,
    PolicyPage,
    RedirectPage,
)


class SitePages:
    """Pages of all policies in all languages."""

    def __init__(self, views, urls, localizer):
        self.site = views
        self.urls = urls
        self.localizer = localizer

    @property
    def views(self):
        return self.site.views

    def pages(self):
        pages = []
        for (policy, _lang), view in self.views.items():
            archive = self.site.alternates(policy, "archive")
            pages.append(self._policy_page("current", policy, view, view.current, view.current_url))
            pages.append(ArchivePage(view, view.archive_url, archive))
            for link in view.versions:
                pages.append(self._policy_page("version", policy, view, link, link.url))
                pages.extend(self._redlines(policy, view, link))
        homes = tuple(self._home_pages())
        pages.extend(homes)
        pages.append(NotFoundPage(homes[0].lang, "404.html", homes[0].alternates))
        taken = {page.url for page in pages}
        pages.extend(page for page in self._redirects() if page.url not in taken)
        return tuple(pages)

    def _policy_page(self, kind, policy, view, link, url):
        text = link.entry.text
        current = kind == "current"
        return PolicyPage(
            kind=kind,
            series=view.ref,
            version=link,
            document=link.entry.document,
            url=url,
            content=Markup(text.html),
            sections=text.sections,
            alternates=self.site.alternates(policy, kind, link.version),
            original=self.site.original_of(policy, view.lang, link.version, kind),
            current=view.current if current or link.status == "upcoming" else None,
            upcoming=view.upcoming if current else (),
            lag=view.lag if current else None,
            removed=view.removed if current else (),
        )

    # -- redlines ----------------------------------------------------------------

    def _redlines(self, policy, view, link):
        entry = link.entry
        if link.changes_url:
            previous = self.site.series[policy, view.lang].previous(entry)
            yield self._changes_page(
                "changes", policy, view, link, view.link(previous.version), link.changes_url
            )
        if link.compare_url:
            yield self._changes_page("compare", policy, view, view.current, link, link.compare_url)
        for revision in link.revisions:
            older = entry.revisions[revision.number - 2].text
            newer = entry.revisions[revision.number - 1].text
            yield self._changes_page(
                "revision", policy, view, link, link, revision.url, revision, (older, newer)
            )

    def _changes_page(self, kind, policy, view, newer, older, url, revision=None, texts=None):
        old_text, new_text = texts or (older.entry.text, newer.entry.text)
        return ChangesPage(
            kind=kind,
            series=view.ref,
            version=newer,
            previous=older,
            url=url,
            alternates=self.site.alternates(
                policy, kind, older.version if kind == "compare" else newer.version
            ),
            old_text=old_text,
            new_text=new_text,
            revision=revision,
        )

    # -- home pages and old addresses --------------------------------------------

    def _home_pages(self):
        homes = tuple(
            self.site.language_link(lang, self.urls.home(lang)) for lang in self.localizer.languages
        )
        for home in homes:
            listed = tuple(view for (_p, lang), view in self.views.items() if lang == home.lang)
            yield HomePage(home.lang, home.url, listed, homes)

    def _redirects(self):
        """Pages at the addresses of a slug a policy no longer has, leading to the new ones."""
        for (policy, lang), view in self.views.items():
            series = self.site.series[policy, lang]
            for slug in series.slugs:
                if slug == series.slug:
                    continue
                yield RedirectPage(lang, self.urls.current(lang, slug), view.current_url)
                yield RedirectPage(lang, self.urls.archive(lang, slug), view.archive_url)
                for link in view.versions:
                    yield RedirectPage(lang, self.urls.version(lang, slug, link.version), link.url)
                    if link.changes_url:
                        old = self.urls.changes(lang, slug, link.version)
                        yield RedirectPage(lang, old, link.changes_url)

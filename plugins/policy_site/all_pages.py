"""Every page of the site, assembled from the views of the policies and their texts: each
page model is the whole input of its template."""

import dataclasses

from .page_models import (
    ArchivePage,
    ChangesPage,
    HomePage,
    NotFoundPage,
    PolicyPage,
    RedirectPage,
)
from .section_history import HistoryPages


class SitePages:
    """Pages of all policies in all languages."""

    def __init__(self, views, urls, localizer, contact_anchor, siteurl=""):
        self.views = views  # SiteViews
        self.urls = urls
        self.localizer = localizer
        self.contact_anchor = contact_anchor
        self.histories = HistoryPages(views, urls, localizer, siteurl, self._common)

    def pages(self):
        pages = []
        for (policy, _lang), view in self.views.views.items():
            pages.append(self._policy_page("current", policy, view, view.current, view.current_url))
            pages.append(
                ArchivePage(
                    **self._common(view, view.archive_url),
                    alternates=self.views.alternates(policy, "archive"),
                    series=view,
                )
            )
            for link in view.versions:
                pages.append(self._policy_page("version", policy, view, link, link.url))
                pages.extend(self._redlines(policy, view, link))
            pages.extend(self.histories.pages(policy, view))
        homes = tuple(self._home_pages())
        pages.extend(homes)
        first = homes[0]
        pages.append(
            NotFoundPage(
                lang=first.lang,
                url="404.html",
                alternates=first.alternates,
                home_url=first.url,
                contact_url=first.contact_url,
            )
        )
        taken = {page.url for page in pages}
        pages.extend(page for page in self._redirects() if page.url not in taken)
        return tuple(pages)

    def _common(self, view, url):
        """What every page about one policy in one language has."""
        return {
            "lang": view.lang,
            "url": url,
            "home_url": self.urls.home(view.lang),
            "contact_url": f"{view.current_url}#{self.contact_anchor}",
            "feed_url": view.feed_url,
        }

    def _policy_page(self, kind, policy, view, link, url):
        text = link.entry.text
        current = kind == "current"
        return PolicyPage(
            **self._common(view, url),
            alternates=self.views.alternates(policy, kind, link.version),
            kind=kind,
            series=view.ref,
            version=link,
            document=link.entry.document,
            headings=self.histories.links(policy, view),
            sections=text.sections,
            original=self.views.original_of(policy, view.lang, link.version, kind),
            current=view.current if current or link.status == "upcoming" else None,
            upcoming=view.upcoming if current else (),
            lag=view.lag if current else None,
            removed=view.removed if current else (),
        )

    # -- redlines ----------------------------------------------------------------

    def _redlines(self, policy, view, link):
        entry = link.entry
        if link.changes_url:
            previous = self.views.series[policy, view.lang].previous(entry)
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
        alternates = self.views.alternates(
            policy, kind, older.version if kind == "compare" else newer.version
        )
        if kind == "revision":  # no other language has this correction: no hreflang to them
            alternates = _only_own(alternates, view.lang, url)
        return ChangesPage(
            **self._common(view, url),
            alternates=alternates,
            kind=kind,
            series=view.ref,
            version=newer,
            previous=older,
            old_text=old_text,
            new_text=new_text,
            revision=revision,
        )

    # -- home pages and old addresses --------------------------------------------

    def _home_pages(self):
        homes = tuple(
            self.views.language_link(lang, self.urls.home(lang))
            for lang in self.localizer.languages
        )
        for home in homes:
            listed = tuple(v for (_p, lang), v in self.views.views.items() if lang == home.lang)
            yield HomePage(
                lang=home.lang,
                url=home.url,
                alternates=homes,
                home_url=home.url,
                contact_url=f"{listed[0].current_url}#{self.contact_anchor}" if listed else None,
                policies=listed,
            )

    def _redirects(self):
        """Pages at the addresses of a slug a policy no longer has, leading to the new ones."""
        for (policy, lang), view in self.views.views.items():
            series = self.views.series[policy, lang]
            for slug in series.slugs:
                if slug == series.slug:
                    continue
                moved = [
                    (self.urls.current(lang, slug), view.current_url),
                    (self.urls.archive(lang, slug), view.archive_url),
                ]
                for link in view.versions:
                    moved.append((self.urls.version(lang, slug, link.version), link.url))
                    if link.changes_url:
                        moved.append(
                            (self.urls.changes(lang, slug, link.version), link.changes_url)
                        )
                for old, new in moved:
                    yield RedirectPage(
                        lang=lang, url=old, home_url=self.urls.home(lang), target=new
                    )


def _only_own(alternates, lang, url):
    """``alternates`` of a page only ``lang`` has (at ``url``): the others still lead to
    their version, but are no alternates of it."""
    return tuple(
        dataclasses.replace(a, url=url, available=True)
        if a.lang == lang
        else dataclasses.replace(a, available=False)
        for a in alternates
    )

"""Each policy in each language as the pages see it: its versions with their links and
status, the translation's relation to its original, and the same page in other languages."""

import datetime

from .page_models import Lag, LanguageLink, RemovedSection, RevisionLink, SeriesView, VersionLink
from .rendered_text import section_titles
from .section_changes import removed_sections


class SiteViews:
    """The SeriesView of every policy and language, for one build date."""

    def __init__(self, series, urls, localizer, moment, original_lang, pdfs=None):
        self.series = series
        self.pdfs = pdfs or {}  # (policy, lang, version, revision) -> PdfFile
        self.urls = urls
        self.localizer = localizer
        self.moment = moment
        self.original_lang = original_lang
        self.views = {key: self._view(key) for key in sorted(series)}

    # -- one policy in one language ------------------------------------------------

    def _view(self, key):
        policy, lang = key
        series = self.series[key]
        current = series.current(self.moment.today)
        in_force = [entry for entry in series.versions if entry.version <= current.version]
        # the version that followed each in force (versions are in order): None for the
        # current one and for those not in force yet
        following = dict(zip((entry.version for entry in in_force), in_force[1:], strict=False))
        links = [
            self._version_link(series, entry, current, following.get(entry.version))
            for entry in series.versions
        ]
        by_version = {link.version: link for link in links}
        return SeriesView(
            policy=policy,
            lang=lang,
            title=current.document.title,
            current_url=self.urls.current(lang, series.slug),
            archive_url=self.urls.archive(lang, series.slug),
            feed_url=self.urls.feed(lang, series.slug),
            versions=tuple(reversed(links)),
            current=by_version[current.version],
            upcoming=tuple(by_version[e.version] for e in series.upcoming(self.moment.today)),
            lag=self._lag(policy, lang, current),
            original=None if lang == self.original_lang else self._original_current(policy),
            removed=tuple(_removed(self.urls, series, in_force)),
            retired=series.retired,
        )

    def _version_link(self, series, entry, current, following):
        lang, slug, number = series.lang, series.slug, entry.version
        status = _status(number, current.version)
        published = self.moment.local_date(entry.first_committed) if entry.first_committed else None
        # superseded on its own effective day: never the version in effect
        never = following is not None and following.effective <= entry.effective
        pdfs = tuple(
            self.pdfs.get((series.policy, lang, number, position))
            for position in range(1, len(entry.revisions) + 1)
        )
        return VersionLink(
            version=number,
            effective=entry.effective,
            summary=entry.document.summary,
            url=self.urls.version(lang, slug, number),
            changes_url=self.urls.changes(lang, slug, number) if series.previous(entry) else None,
            compare_url=self.urls.compare(lang, slug, number) if status == "superseded" else None,
            status=status,
            draft=entry.draft,
            published=published,
            published_late=bool(published and published > entry.effective),
            until=following.effective - datetime.timedelta(days=1)
            if following and not never
            else None,
            never_in_force=never,
            replaced_by=following.version if following else None,
            replaced_by_url=self.urls.version(lang, slug, following.version) if following else None,
            revisions=tuple(
                RevisionLink(
                    number=position,
                    date=self.moment.local_date(revision.committed)
                    if revision.committed
                    else self.moment.today,
                    url=self.urls.revision(lang, slug, number, position),
                    commit=revision.commit,
                    sha256=revision.sha256,
                    pdf=pdfs[position - 1],
                )
                for position, revision in enumerate(entry.revisions[1:], start=2)
            ),
            changed_after_effective=entry.changed_after_effective,
            entry=entry,
            change=_change(self.series.get((series.policy, self.original_lang)), entry),
            pdfs=pdfs,
            pdf=pdfs[-1],
        )

    def _original_current(self, policy):
        series = self.series[policy, self.original_lang]
        return self.language_link(
            self.original_lang, self.urls.current(self.original_lang, series.slug)
        )

    def _lag(self, policy, lang, current):
        original = self.series.get((policy, self.original_lang))
        if lang == self.original_lang or original is None:
            return None
        original_current = original.current(self.moment.today)
        if current.version >= original_current.version:
            return None
        return Lag(current.version, original_current.version, self._original_current(policy))

    # -- links between languages --------------------------------------------------

    def original_of(self, policy, lang, version, kind):
        """The page of the prevailing text for version ``version`` of a translation:
        its current page when that shows this version, else the version's own page."""
        if lang == self.original_lang:
            return None
        view = self.views.get((policy, self.original_lang))
        link = view and view.link(version)
        if link is None:
            return None
        url = view.current_url if kind == "current" and link.status == "current" else link.url
        return self.language_link(self.original_lang, url)

    def alternates(self, policy, kind, version=None):
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
                link = view.link(version)
                url = (
                    link
                    and {
                        "version": link.url,
                        "revision": link.url,
                        "changes": link.changes_url,
                        "compare": link.compare_url,
                    }[kind]
                )
            if url:
                links.append(self.language_link(lang, url))
            else:
                links.append(self.language_link(lang, view.archive_url, available=False))
        return tuple(links)

    def language_link(self, lang, url, available=True):
        return LanguageLink(lang, self.localizer.autonym(lang), url, available)


def _change(original, entry):
    """A version's kind of change, as the text that prevails says (in ``original``, its
    series; a translation need not repeat it)."""
    counterpart = original.get(entry.version) if original else None
    return (counterpart or entry).document.change


def _removed(urls, series, in_force):
    """The sections a version in force removed or renamed, with where they last stood."""
    lang, slug = series.lang, series.slug
    now = section_titles(in_force[-1].text.sections) if in_force else {}
    for anchor, last, removed_in, renamed_to in removed_sections(in_force):
        titles = section_titles(last.text.sections)
        yield RemovedSection(
            anchor=anchor,
            title=titles.get(anchor, anchor),
            removed_in=removed_in.version,
            last_url=f"{urls.version(lang, slug, last.version)}#{anchor}",
            last_version=last.version,
            renamed_to=renamed_to,
            renamed_title=now.get(renamed_to) if renamed_to else None,
        )


def _status(number, current):
    if number == current:
        return "current"
    return "upcoming" if number > current else "superseded"

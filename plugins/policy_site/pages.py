"""What the templates receive: one object per output page, with its links."""

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class LanguageLink:
    """The same page in another language; ``available`` is False where that language
    has no such page (then ``url`` leads to that language's archive)."""

    lang: str
    name: str
    url: str
    available: bool = True


@dataclass(frozen=True)
class VersionLink:
    """A version as the pages list it."""

    version: object
    effective: object
    summary: str
    url: str
    changes_url: str | None
    status: str  # "current", "upcoming" or "superseded"
    draft: bool
    entry: object  # the PolicyVersion


@dataclass(frozen=True)
class Lag:
    """A translation behind its original: this one translates ``version``."""

    version: object
    original_version: object
    original: LanguageLink


@dataclass(frozen=True)
class SeriesView:
    """One policy in one language, as every page about it needs it."""

    policy: str
    lang: str
    title: str
    current_url: str
    archive_url: str
    feed_url: str
    versions: tuple  # VersionLinks, newest first
    current: VersionLink
    upcoming: tuple
    lag: Lag | None
    original: LanguageLink | None  # set on a translation: the text that prevails


@dataclass(frozen=True)
class PolicyPage:
    """The text of one version: the current page, or a version's permanent page."""

    template: ClassVar[str] = "policy"

    kind: str  # "current" or "version"
    series: SeriesView
    version: VersionLink
    document: object
    url: str
    content: str
    sections: tuple
    alternates: tuple

    @property
    def lang(self):
        return self.series.lang

    @property
    def title(self):
        return self.document.title


@dataclass(frozen=True)
class ArchivePage:
    template: ClassVar[str] = "archive"

    series: SeriesView
    url: str
    alternates: tuple

    @property
    def lang(self):
        return self.series.lang


@dataclass(frozen=True)
class SectionLink:
    anchor: str | None  # None: the text before the first heading
    title: str


@dataclass(frozen=True)
class ChangesPage:
    """The redline of one version against the one before it."""

    template: ClassVar[str] = "changes"

    series: SeriesView
    version: VersionLink
    previous: VersionLink
    url: str
    content: str
    changed_sections: tuple
    unchanged: bool
    old_title: str | None  # set when the title changed
    alternates: tuple

    @property
    def lang(self):
        return self.series.lang


@dataclass(frozen=True)
class NotFoundPage:
    """What a static host shows for an address the site does not have."""

    template: ClassVar[str] = "not_found"

    lang: str
    url: str
    alternates: tuple  # the home pages


@dataclass(frozen=True)
class HomePage:
    """The list of policies in one language."""

    template: ClassVar[str] = "home"

    lang: str
    url: str
    policies: tuple  # SeriesViews
    alternates: tuple

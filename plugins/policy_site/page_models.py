"""What the templates receive: one object per output page, with its links."""

import dataclasses
import datetime
import functools
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
class RevisionLink:
    """A later change of a version's text: a translation corrected, or (in history) an
    original text changed after it took effect. ``url`` shows what it changed."""

    number: int  # 2 for the first change; 1 is the text as published
    date: datetime.date  # of its commit, in the site's time zone
    url: str
    commit: str | None
    sha256: str
    pdf: object = None  # its PdfFile, when the site makes PDFs


@dataclass(frozen=True)
class VersionLink:
    """A version as the pages list it."""

    version: object
    effective: datetime.date
    summary: str
    url: str
    changes_url: str | None  # what changed from the version before
    compare_url: str | None  # what changed since, up to the version in effect
    status: str  # "current", "upcoming" or "superseded"
    draft: bool
    published: datetime.date | None  # first committed, in the site's time zone
    published_late: bool  # first published after its effective date (in history only)
    until: datetime.date | None  # last day in force, for a superseded version
    never_in_force: bool  # superseded on its own effective day
    replaced_by: object  # the version that replaced it in force, if one has
    replaced_by_url: str | None
    revisions: tuple  # RevisionLinks of later changes, oldest first
    changed_after_effective: bool  # an original text changed once in effect
    entry: object  # the PolicyVersion
    change: str = "material"  # or "editorial", as the text that prevails says
    pdfs: tuple = ()  # the PdfFile of each revision of its text, oldest first
    pdf: object = None  # the PdfFile of its newest text


@dataclass(frozen=True)
class Lag:
    """A translation behind its original: this one translates ``version``."""

    version: object
    original_version: object
    original: LanguageLink


@dataclass(frozen=True)
class RemovedSection:
    """A section an earlier version had and the version in effect does not."""

    anchor: str
    title: str
    removed_in: object  # the first version without it
    last_url: str  # the section in the last version that had it
    last_version: object
    renamed_to: str | None  # the anchor it continues under, when it was renamed
    renamed_title: str | None


@dataclass(frozen=True, kw_only=True)
class PolicyRef:
    """What a page of one version (or one redline) shows of its policy: nothing that
    another version's arrival would change, so that the page stays byte for byte."""

    policy: str
    lang: str
    title: str
    current_url: str
    archive_url: str
    feed_url: str
    retired: datetime.date | None = None  # the day the policy was withdrawn


@dataclass(frozen=True, kw_only=True)
class SeriesView(PolicyRef):
    """One policy in one language, as every page about it needs it."""

    versions: tuple  # VersionLinks, newest first
    current: VersionLink
    upcoming: tuple
    lag: Lag | None
    original: LanguageLink | None  # set on a translation: the current text that prevails
    removed: tuple  # RemovedSections of the version in effect

    def link(self, version):
        return self._links.get(version)

    @functools.cached_property
    def _links(self):
        return {link.version: link for link in self.versions}

    @functools.cached_property
    def ref(self):
        """This policy as a version's page shows it (the fields of PolicyRef)."""
        return PolicyRef(**{f.name: getattr(self, f.name) for f in dataclasses.fields(PolicyRef)})


@dataclass(frozen=True, kw_only=True)
class Page:
    """What every page gives its template, whole: its language and address, the same
    page in the other languages, and the ways home and to the contact section."""

    template: ClassVar[str]

    lang: str
    url: str
    alternates: tuple = ()  # LanguageLinks, in the site's order of languages
    home_url: str = ""
    contact_url: str | None = None  # the contact section of the page's policy
    feed_url: str | None = None  # the feed of the page's policy


@dataclass(frozen=True, kw_only=True)
class PolicyPage(Page):
    """The text of one version: the current page, or a version's permanent page."""

    template: ClassVar[str] = "policy"

    kind: str  # "current" or "version"
    series: PolicyRef
    version: VersionLink
    document: object
    headings: "HeadingLinks"  # what links its headings to themselves and their histories
    sections: tuple
    original: LanguageLink | None  # the same version of the text that prevails
    current: VersionLink | None = None  # the version in effect: on the current and upcoming
    upcoming: tuple = ()  # versions announced on the current page
    lag: Lag | None = None  # on the current page of a translation behind its original
    removed: tuple = ()  # notes for removed sections, on the current page

    @property
    def title(self):
        return self.document.title

    @property
    def content(self):
        """The text's HTML, each heading linking itself and each level-2 heading its
        history: made when the page is written, from what the model holds, not kept
        for every version of the site."""
        from markupsafe import Markup

        from .section_history import with_heading_links  # which makes the history pages

        return Markup(with_heading_links(self.version.entry.text.plain, self.headings))


@dataclass(frozen=True)
class HeadingLinks:
    """What a policy's page in one language links from its headings: each anchored
    heading itself (a permalink), and the level-2 sections that have a history page."""

    urls: tuple  # (anchor, address of its history), by anchor
    name: str  # a history link's visible text
    name_of: str  # its accessible name: "%(title)s" the section's title
    permalink_of: str  # a permalink's accessible name: "%(title)s" the heading's

    def history(self, anchor):
        return dict(self.urls).get(anchor)

    def history_label(self, title):
        return self.name if title is None else self.name_of % {"title": title}


@dataclass(frozen=True, kw_only=True)
class ArchivePage(Page):
    template: ClassVar[str] = "archive"

    series: SeriesView


@dataclass(frozen=True)
class SectionLink:
    anchor: str | None  # None: the text before the first heading
    title: str


@dataclass(frozen=True, kw_only=True)
class ChangesPage(Page):
    """A redline: of a version against the one before it (``changes``), of an older
    version against the one in effect (``compare``), or of a later change of a version's
    text against the text before it (``revision``). Its ``marks`` are made when the page
    is written, and let go once it is."""

    template: ClassVar[str] = "changes"

    kind: str
    series: PolicyRef
    version: VersionLink  # the newer version
    previous: VersionLink  # the older version
    old_text: object  # RenderedText
    new_text: object
    revision: RevisionLink | None = None
    marks: object = None  # redline_marks.Marks


@dataclass(frozen=True, kw_only=True)
class SectionHistoryPage(Page):
    """Every version that changed one section, newest first, each with its redline."""

    template: ClassVar[str] = "section_history"

    series: PolicyRef
    anchor: str
    title: str
    changes: tuple  # SectionChanges, newest first
    marks: tuple = ()  # the redline of each change, made when the page is written


@dataclass(frozen=True, kw_only=True)
class RedirectPage(Page):
    """An address the site had before a slug changed; it leads to the new one."""

    template: ClassVar[str] = "redirect"

    target: str


@dataclass(frozen=True, kw_only=True)
class NotFoundPage(Page):
    """What a static host shows for an address the site does not have; its alternates
    are the home pages."""

    template: ClassVar[str] = "not_found"


@dataclass(frozen=True, kw_only=True)
class HomePage(Page):
    """The list of policies in one language."""

    template: ClassVar[str] = "home"

    policies: tuple  # SeriesViews

"""The versions of one policy in one language, built from its file's history, and their rules.

A version is a distinct ``Version`` value in the file's history. Versions only go up and
effective dates never go back. The text of the original language is frozen from its
effective date: a later change needs a new version. A translation may be corrected at
any time; each correction is kept, and shown, as a revision of its version.
"""

import datetime
from dataclasses import dataclass, field

from .messages import _


def _forwarded(*path, doc=None):
    """A property that reads ``self.<path[0]>.<path[1]>…``: a fact of the object a value
    is made of, written once where it lives."""

    def read(self):
        value = self
        for name in path:
            value = getattr(value, name)
        return value

    return property(read, doc=doc)


@dataclass(frozen=True)
class TextRevision:
    """One state of a version's text: the document, where it came from, how it renders."""

    document: object  # PolicyDocument
    source: object  # history.Revision
    text: object  # RenderedText

    commit = _forwarded("source", "commit")
    committed = _forwarded("source", "committed")
    sha256 = _forwarded("document", "sha256")
    version = _forwarded("document", "version")
    effective = _forwarded("document", "effective")

    @property
    def draft(self):
        return self.source.commit is None


@dataclass(frozen=True)
class PolicyVersion:
    """A version in one language: the text published, then each later change of it; its
    facts are those of its newest text."""

    revisions: tuple  # TextRevisions, oldest first
    first_committed: datetime.datetime | None  # when the version was first committed
    changed_after_effective: bool = False  # an original text changed once in effect
    before: TextRevision | None = None  # the file's state before this version's newest

    document = _forwarded("newest", "document")
    text = _forwarded("newest", "text")
    version = _forwarded("newest", "version")
    effective = _forwarded("newest", "effective")
    sha256 = _forwarded("newest", "sha256")
    commit = _forwarded("newest", "commit")
    committed = _forwarded("newest", "committed")
    draft = _forwarded("newest", "draft")

    @property
    def newest(self):
        return self.revisions[-1]


@dataclass(frozen=True)
class VersionSeries:
    """Every version of one policy in one language, oldest first."""

    policy: str
    lang: str
    versions: tuple
    slugs: tuple = ()  # every slug the file has had, oldest first
    retired: datetime.date | None = None  # the day its files were deleted, for a retired policy
    _positions: dict = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self._positions.update({entry.version: i for i, entry in enumerate(self.versions)})

    @property
    def newest(self):
        return self.versions[-1]

    @property
    def slug(self):
        """The newest text's slug names every page of the series."""
        return self.newest.document.slug

    def current(self, today):
        """The highest version in effect on ``today``; before any is, the first one."""
        in_effect = [v for v in self.versions if v.effective <= today]
        return in_effect[-1] if in_effect else self.versions[0]

    def upcoming(self, today):
        current = self.current(today)
        return tuple(v for v in self.versions if v.version > current.version)

    def get(self, version):
        position = self._positions.get(version)
        return None if position is None else self.versions[position]

    def previous(self, entry):
        position = self._positions[entry.version]
        return self.versions[position - 1] if position else None


def build_series(policy, lang, revisions, frozen, moment, report):
    """The series from ``revisions`` (TextRevisions of one file, oldest first).

    ``frozen``: the file is in the original language, whose published text may not
    change. ``report(revision, message, field)`` reports a broken rule; it returns True
    when the revision is history, which is then left out (or, for a changed frozen text,
    kept and shown as changed).
    """
    accepted = _Accepted()
    for revision in revisions:
        problem = _broken_rule(revision, accepted, frozen, moment)
        if problem:
            message, name, keep = problem
            if report(revision, message, name) and not keep:
                continue
        accepted.append(revision)
    versions = tuple(_versions(accepted, frozen, moment))
    slugs = tuple(dict.fromkeys(revision.document.slug for revision in accepted))
    return VersionSeries(policy, lang, versions, slugs) if versions else None


class _Accepted(list):
    """The revisions accepted so far, oldest first, and what the rules ask of them all,
    kept as they come (a long history is not read again for each revision): the versions
    seen, the highest, and the newest revision with each summary."""

    def __init__(self):
        super().__init__()
        self.versions = set()
        self.highest = None
        self.by_summary = {}

    def append(self, revision):
        super().append(revision)
        self.versions.add(revision.version)
        if self.highest is None or revision.version > self.highest:
            self.highest = revision.version
        self.by_summary[revision.document.summary] = revision


def _broken_rule(revision, accepted, frozen, moment):
    """``(message, field, keep)`` for the first rule ``revision`` breaks, else None;
    ``keep``: history's revision stays in the record (and is shown as it was)."""
    for rule in _RULES:
        problem = rule(revision, accepted, frozen, moment)
        if problem:
            return problem
    return None


def _version_goes_down(revision, accepted, _frozen, _moment):
    last = accepted[-1] if accepted else None
    if last and revision.version < last.version:
        return (
            _(
                "Version goes down from %(old)s (%(old_where)s) to %(new)s (%(new_where)s); "
                "versions only go up, so give this text a version above %(old)s",
                old=last.version,
                old_where=_where(last),
                new=revision.version,
                new_where=_where(revision),
            ),
            "version",
            False,
        )
    return None


def _effective_goes_back(revision, accepted, _frozen, _moment):
    number = revision.version
    earlier = next((r for r in reversed(accepted) if r.version < number), None)
    if earlier and revision.effective < earlier.effective:
        return (
            _(
                "Effective date goes back: version %(new)s (%(new_where)s) takes effect "
                "%(new_date)s, before version %(old)s (%(old_where)s) of %(old_date)s; "
                "effective dates never go back, so give the new version a later date",
                new=number,
                new_where=_where(revision),
                new_date=revision.effective,
                old=earlier.version,
                old_where=_where(earlier),
                old_date=earlier.effective,
            ),
            "effective",
            False,
        )
    return None


def _before_published(revision, accepted, frozen, moment):
    """No version takes effect before it is published: the prevailing text of a new
    version may not take effect before the day it reaches the main line. A policy's first
    version may: it records a policy in force before the site had it (an organisation
    adopting the site), and its page says when it was first published here."""
    if not frozen or not accepted or revision.version in accepted.versions:
        return None
    arrives = moment.today if revision.source.pending else moment.local_date(revision.committed)
    if revision.effective >= arrives:
        return None
    if revision.source.under_review:
        message = _(
            "Effective: version %(version)s would take effect on %(effective)s, before it is "
            "published (on %(day)s at the earliest); a version never takes effect before it is "
            "published, so set Effective: %(day)s or later",
            version=revision.version,
            effective=revision.effective,
            day=arrives,
        )
    else:
        message = _(
            "version %(version)s takes effect on %(effective)s, but this commit published it "
            "on %(day)s; the site says so on the version's page",
            version=revision.version,
            effective=revision.effective,
            day=arrives,
        )
    return message, "effective", True


def _summary_repeated(revision, accepted, _frozen, _moment):
    if accepted.highest is not None and accepted.highest >= revision.version:
        return None
    earlier = accepted.by_summary.get(revision.document.summary)
    if earlier is None:
        return None
    return (
        _(
            "Summary: version %(version)s repeats the summary of version %(earlier)s "
            "(\u201c%(summary)s\u201d); write what this version changes",
            version=revision.version,
            earlier=earlier.version,
            summary=revision.document.summary[:80],
        ),
        "summary",
        True,
    )


def _frozen_text_changed(revision, accepted, frozen, moment):
    last = accepted[-1] if accepted else None
    number = revision.version
    if not (frozen and last and number == last.version and revision.sha256 != last.sha256):
        return None
    published = _published_text(accepted, number, _time(revision, moment), moment)
    if not published or revision.sha256 == published.sha256:
        return None
    took_effect = published.effective
    if revision.draft or revision.source.under_review:
        message = _(
            "version %(version)s took effect on %(date)s, so its text is frozen: published "
            "text stays published. To change it, raise Version, and set Effective and Summary "
            "for the new version",
            version=number,
            date=took_effect,
        )
    else:
        message = _(
            "version %(version)s took effect on %(date)s, and this commit of %(day)s changed "
            "its text without a new version; the site shows the change on the version's page",
            version=number,
            date=took_effect,
            day=moment.local_date(revision.committed),
        )
    return message, "version", True


_RULES = (
    _version_goes_down,
    _effective_goes_back,
    _before_published,
    _summary_repeated,
    _frozen_text_changed,
)


def _versions(accepted, frozen, moment):
    """PolicyVersions of ``accepted``: per version, the published text and what followed."""
    by_version, before = {}, {}
    for position, revision in enumerate(accepted):
        by_version.setdefault(revision.version, []).append(revision)
        before[revision.version] = accepted[position - 1] if position else None
    for number, states in sorted(by_version.items()):
        published = _published_text(states, number, moment.now, moment)
        start = states.index(published) if published else len(states) - 1
        kept = [states[start]]
        for state in states[start + 1 :]:
            if state.sha256 != kept[-1].sha256:
                kept.append(state)
        yield PolicyVersion(
            tuple(kept),
            states[0].committed,
            changed_after_effective=frozen and len(kept) > 1,
            before=before[number],
        )


def _published_text(states, number, until, moment):
    """The first text of version ``number`` in ``states`` that was in effect before
    ``until``: in effect once its effective date had begun while it was the newest."""
    mine = [state for state in states if state.version == number]
    for position, state in enumerate(mine):
        replaced = _time(mine[position + 1], moment) if position + 1 < len(mine) else until
        if moment.start_of(state.effective) <= replaced:
            return state
    return None


def _time(revision, moment):
    return revision.committed or moment.now


def _where(revision):
    if revision.commit:
        return _("commit %(commit)s", commit=revision.commit[:7])
    return _("uncommitted")

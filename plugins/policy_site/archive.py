"""The versions of one policy in one language, as git history and the work tree hold them.

A version is a distinct ``Version`` value in the file's history; its text is
that of the newest commit that carried it. Versions only go up and effective
dates never go back.
"""

import dataclasses
import datetime
import os
import re
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from . import git_history
from .document import read_document
from .errors import SiteError, display_path

_EPOCH_RANGE = (946684800, 7258118400)  # 2000-01-01 to 2200-01-01


@dataclass(frozen=True)
class PolicyVersion:
    """One version of a policy text; ``commit`` is None for an uncommitted draft."""

    document: object
    commit: str | None = None
    committed: datetime.datetime | None = None

    @property
    def sha256(self):
        return self.document.sha256

    @property
    def version(self):
        return self.document.version

    @property
    def effective(self):
        return self.document.effective

    @property
    def draft(self):
        return self.commit is None

    @property
    def short_commit(self):
        return self.commit[:7] if self.commit else "uncommitted"


@dataclass(frozen=True)
class VersionSeries:
    """Every version of one policy in one language, oldest first."""

    policy: str
    lang: str
    versions: tuple

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
        return next((v for v in self.versions if v.version == version), None)

    def previous(self, entry):
        index = self.versions.index(entry)
        return self.versions[index - 1] if index else None


def build_series(policy, lang, states, problems):
    """The series from ``states``: PolicyVersions of one file, newest first.

    Reports a version that goes down, one that comes back after another, and an
    effective date that goes back; each message names the file and commits.
    """
    before = len(problems)
    newest_text = {}
    order = []
    for state in reversed(states):  # oldest first
        number = state.version
        if order and number != order[-1]:
            if number < order[-1]:
                _report(problems, state, newest_text[order[-1]], "goes down from")
            elif number in newest_text:
                _report(problems, state, newest_text[order[-1]], "comes back after")
        if not order or number != order[-1]:
            order.append(number)
        newest_text[number] = state
    versions = sorted(newest_text.values(), key=lambda v: v.version)
    if len(problems) > before:
        return VersionSeries(policy, lang, tuple(versions))  # dates would only echo the order
    for earlier, later in zip(versions, versions[1:], strict=False):
        if later.effective < earlier.effective:
            problems.add(
                later.document.path,
                f"Effective date goes back: version {later.version} "
                f"({_where(later)}) takes effect {later.effective}, before version "
                f"{earlier.version} ({_where(earlier)}) of {earlier.effective}; effective "
                "dates never go back, so give the new version a later date",
                later.document.source.fields["effective"].line,
            )
    return VersionSeries(policy, lang, tuple(versions))


def _report(problems, state, before, what):
    problems.add(
        state.document.path,
        f"Version {what} {before.version} ({_where(before)}) to {state.version} "
        f"({_where(state)}); versions only go up, so give this text a version above "
        f"{before.version}",
        state.document.source.fields["version"].line,
    )


def _where(state):
    return f"commit {state.short_commit}" if state.commit else "uncommitted"


def build_date(timezone):
    """The build's "today": from ``SOURCE_DATE_EPOCH`` when set, else now, in ``timezone``."""
    zone = zoneinfo.ZoneInfo(timezone)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        if (
            not re.fullmatch(r"[0-9]{1,11}", epoch)
            or not _EPOCH_RANGE[0] <= int(epoch) < _EPOCH_RANGE[1]
        ):
            raise SiteError(
                f"SOURCE_DATE_EPOCH='{epoch[:30]}' is not a time between 2000 and 2200 in "
                "seconds since 1970 (for example the output of 'date +%s')"
            )
        moment = datetime.datetime.fromtimestamp(int(epoch), zone)
    else:
        moment = datetime.datetime.now(zone)
    return moment.date()


def load_series(folder, documents, languages, publishing, problems):
    """The version series of each work-tree document, from git history.

    Refuses a folder outside git, a repository without commits, a shallow clone
    and (when ``publishing``) uncommitted changes. In a development build an
    uncommitted file is the newest version, marked as a draft.
    """
    root = git_history.toplevel(folder)
    folder = os.path.realpath(folder)
    if root is None:
        problems.add(
            folder,
            "is not in a git repository; the version archive is read from git history, "
            "so build from a clone of the repository",
        )
        return {}
    if not git_history.has_commits(root):
        problems.add(folder, "its git repository has no commits yet; commit the policy files")
        return {}
    if git_history.is_shallow(root):
        problems.add(
            root,
            "is a shallow clone, so the version history is incomplete; run "
            "'git fetch --unshallow' (in CI: check out with fetch-depth: 0) and build again",
        )
        return {}
    dirty = {
        os.path.realpath(os.path.join(root, path))
        for path in git_history.uncommitted(root, os.path.relpath(folder, root))
    }
    if publishing:
        for path in sorted(dirty):
            problems.add(
                path,
                "has uncommitted changes; a publishing build takes committed text only, "
                "so commit or stash them",
            )
        if dirty:
            return {}
    states = defaultdict(list)
    for revision in git_history.file_history(root, folder):
        label = f"{display_path(os.path.join(root, revision.path))} (commit {revision.commit[:7]})"
        document = read_document(label, revision.raw, languages, problems)
        if document:
            states[document.policy, document.lang].append(
                PolicyVersion(document, revision.commit, revision.committed)
            )
    series = {}
    for document in documents:
        key = (document.policy, document.lang)
        history = states.get(key, [])
        if os.path.realpath(document.path) in dirty:
            history = [PolicyVersion(document), *history]
        elif history and history[0].sha256 == document.sha256:
            # the committed text is the file itself: name the file, not the commit
            history = [dataclasses.replace(history[0], document=document), *history[1:]]
        if not history:
            problems.add(document.path, "has no committed version; commit it")
            continue
        series[key] = build_series(*key, history, problems)
    return series

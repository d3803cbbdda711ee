"""Reads the policies: the work tree's files, the history of each, every revision parsed,
rendered and held to the version rules, into the version series of every policy and
language.

The change under review is judged strictly: its problems stop the build. A problem of an
older commit is a warning naming the commit; that revision is left out and its version
keeps the text of its newest good revision.
"""

import dataclasses
import os
from dataclasses import dataclass

from .document import read_document
from .errors import Problems, RevisionProblems
from .history import open_repository, read_histories, refuse_uncommitted
from .messages import N_, _
from .policies import collect_policies
from .version_series import TextRevision, build_series
from .work_tree import read_work_tree


@dataclass(frozen=True)
class Sources:
    """What the content is read from: the work tree's files, its policies, the repository."""

    work: dict  # {path: (document, bytes)}
    policies: tuple
    repository: object


@dataclass(frozen=True)
class Content:
    series: dict  # (policy, lang) -> VersionSeries
    policies: tuple  # the policies of the work tree
    repository: object


_IDENTITY_CHANGES = {
    "policy": N_(
        "Policy changes from '%(old)s' to '%(new)s'; a file keeps its policy (it names the "
        "policy's addresses and archive), so put it back, and add new files for a new policy"
    ),
    "lang": N_(
        "Lang changes from '%(old)s' to '%(new)s'; a file keeps its language (it names the "
        "policy's addresses and archive), so put it back, and add new files for a new language"
    ),
}


class ContentReader:
    """Everything the site is built from, for one build."""

    def __init__(self, config, languages, render, moment, problems, cache):
        self.config = config
        self.languages = languages
        self.render = render  # (document, problems) -> RenderedText
        self.cache = cache
        self.moment = moment
        self.problems = problems
        self.review = RevisionProblems(problems)

    def sources(self):
        """The work tree's policy files and the repository; problems stop here."""
        work = read_work_tree(self.config["content_dir"], self.languages, self.problems)
        self.problems.raise_if_any()
        documents = [document for document, _raw in work.values()]
        policies = collect_policies(
            documents, self.languages, self.problems, self.config["untranslated"]
        )
        self.problems.raise_if_any()
        repository = open_repository(self.config, self.problems)
        self.problems.raise_if_any()
        if self.config["publishing"]:
            refuse_uncommitted(repository, self.problems)
        self.problems.raise_if_any()
        return Sources(work, tuple(policies), repository)

    def read(self, sources):
        """Every policy's version series, from its file's history."""
        work, policies, repository = sources.work, sources.policies, sources.repository
        files = {os.path.relpath(path, repository.root): raw for path, (_doc, raw) in work.items()}
        identities = {
            os.path.relpath(path, repository.root): (doc.policy, doc.lang)
            for path, (doc, _raw) in work.items()
        }
        series = {}
        for history in read_histories(repository, files):
            if history.deleted:
                one = self._deleted(history, policies, repository)
            else:
                one = self._series(identities[history.path], history)
            if one:
                series[one.policy, one.lang] = one
        return Content(series, tuple(policies), repository)

    # -- one file's history -------------------------------------------------------------

    def _series(self, identity, history):
        revisions = [r for r in map(self._text_revision, reversed(history.revisions)) if r]
        policy, lang = identity
        frozen = lang == self.config["original_lang"]

        def report(revision, message, name):
            fields = revision.document.source.fields
            line = fields[name].line if name in fields else 0
            return self.review.report(revision.source, message, line)

        self._report_identity_changes(revisions)
        revisions = [r for r in revisions if (r.document.policy, r.document.lang) == identity]
        return build_series(policy, lang, revisions, frozen, self.moment, report)

    def _text_revision(self, revision):
        """The TextRevision of a history revision, or None when it is unreadable or unsafe
        (reported: an error for the change under review, else a warning)."""
        found = Problems()
        document = read_document(revision.path, revision.raw, self.languages, found)
        text = self._rendered(document, found) if document else None
        if len(found):
            self.review.transfer(revision, found)
            if not revision.under_review or document is None:
                return None  # (the change under review goes on to the link checks)
        return TextRevision(_rendered_only(document), dataclasses.replace(revision, raw=None), text)

    def _rendered(self, document, found):
        """The rendered text, from the cache when a build before rendered it without a
        problem; problems (found again each time) are never cached."""
        fresh = {}

        def render():
            fresh["text"] = self.render(document, found)
            return None if len(found) else fresh["text"]

        return self.cache.rendered((document.sha256, document.lang), render) or fresh.get("text")

    def _report_identity_changes(self, revisions):
        """A file keeps its Policy key and Lang: they name the policy's addresses and
        archive. Reported on the revision that changed one (oldest first)."""
        for before, after in zip(revisions, revisions[1:], strict=False):
            for field, message in _IDENTITY_CHANGES.items():
                old, new = getattr(before.document, field), getattr(after.document, field)
                if old != new:
                    self.review.report(
                        after.source,
                        _(message, old=old, new=new),
                        after.document.source.fields[field].line,
                    )

    def _deleted(self, history, policies, repository):
        """The archive of a deleted policy stays published when the policy is retired in
        the settings; deleting it otherwise is refused (or, in history, a warning)."""
        newest = history.revisions[0]
        document = read_document(newest.path, newest.raw, self.languages, Problems())
        if document is None or any(policy.key == document.policy for policy in policies):
            return None  # a file whose policy lives on in another file
        commit = history.deleted_by
        if document.policy in self.config["retired"]:
            one = self._series((document.policy, document.lang), history)
            day = self.moment.local_date(commit.committed) if commit else self.moment.today
            return dataclasses.replace(one, retired=day) if one else None
        if commit is None or commit.sha in repository.under_review:
            self.problems.add(
                newest.path,
                _(
                    "deleting policy '%(policy)s' would take every address of its archive off "
                    "the site; what is published stays published, so restore its files, or "
                    "withdraw it with POLICY_SITE['retired'] = ['%(policy)s'] (its archive "
                    "stays on the site)",
                    policy=document.policy,
                ),
            )
        else:
            self.problems.warn(
                newest.path,
                _(
                    "policy '%(policy)s' was deleted by this commit without being listed in "
                    "POLICY_SITE['retired']; its archive is no longer on the site",
                    policy=document.policy,
                ),
                commit=commit.sha,
            )
        return None


def _rendered_only(document):
    """``document`` without its Markdown, once rendered: the build holds each version's
    text as its rendered text only (its file's bytes and body are read from git once),
    so that its memory grows with the rendered texts, not twice over."""
    return dataclasses.replace(document, source=dataclasses.replace(document.source, body=None))

"""Reads the policies: the files of the work tree, the history of each, every revision
parsed, rendered and held to the version rules.

The change under review is judged strictly: its problems stop the build. A problem of an
older commit is a warning naming the commit; that revision is left out and its version
keeps the text of its newest good revision.
"""

import dataclasses
import os
import stat
from dataclasses import dataclass

from .archive import TextRevision, build_series
from .document import read_document
from .errors import Problems
from .history import open_repository, read_histories
from .policies import collect_policies

MAX_FILE_BYTES = 2_000_000


@dataclass(frozen=True)
class Content:
    series: dict  # (policy, lang) -> VersionSeries
    policies: tuple  # the policies of the work tree
    repository: object


class Review:
    """Routes each problem of a revision: an error for the change under review, a
    warning naming the commit for history."""

    def __init__(self, problems):
        self.problems = problems

    def report(self, revision, message, line=0, column=0):
        """Report ``message``; True when ``revision`` is history (so it may be left out)."""
        if revision.reviewed:
            self.problems.add(revision.path, message, line, column, revision.named_commit)
            return False
        self.problems.warn(revision.path, message, line, column, revision.commit)
        return True

    def transfer(self, revision, found):
        """Report what ``found`` (a Problems) holds about ``revision``; history's text is
        then left out."""
        left_out = "" if revision.reviewed else "; the site leaves this commit's text out"
        for problem in found.items:
            self.report(revision, problem.message + left_out, problem.line, problem.column)


class ContentReader:
    """Everything the site is built from, for one build."""

    def __init__(self, config, languages, render, moment, problems, cache):
        self.config = config
        self.languages = languages
        self.render = render  # (document, problems) -> RenderedText
        self.cache = cache
        self.moment = moment
        self.problems = problems
        self.review = Review(problems)

    def read(self):
        work = self._work_tree()
        self.problems.raise_if_any()
        documents = [document for document, _raw in work.values()]
        policies = collect_policies(
            documents, self.languages, self.problems, self.config["untranslated"]
        )
        self.problems.raise_if_any()
        repository = open_repository(self.config, self.problems)
        self.problems.raise_if_any()
        self.repository = repository
        self._refuse_uncommitted(repository)
        self.problems.raise_if_any()
        files = {os.path.relpath(path, repository.root): raw for path, (_doc, raw) in work.items()}
        identities = {
            os.path.relpath(path, repository.root): (doc.policy, doc.lang)
            for path, (doc, _raw) in work.items()
        }
        series = {}
        for history in read_histories(repository, files):
            if history.deleted:
                one = self._deleted(history, policies)
            else:
                one = self._series(identities[history.path], history)
            if one:
                series[one.policy, one.lang] = one
        return Content(series, tuple(policies), repository)

    # -- the work tree ----------------------------------------------------------------

    def _work_tree(self):
        """``{path: (document, bytes)}`` of the policy files; refuses links and oddities."""
        folder = self.config["content_dir"]
        if os.path.islink(folder) or not os.path.isdir(folder):
            self.problems.add(folder, "the folder of policy files is missing or a symbolic link")
            return {}
        found = {}
        for directory, subdirs, files in os.walk(folder):
            subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
            for name in sorted([*files, *subdirs]):
                path = os.path.join(directory, name)
                if _not_utf8(name):
                    self.problems.add(path, "the name is not UTF-8 text; rename it")
                elif os.path.islink(path):
                    self.problems.add(
                        path,
                        "is a symbolic link; policy files and folders must be regular files "
                        "in the repository, so copy the text in instead",
                    )
                    if name in subdirs:
                        subdirs.remove(name)
                elif name.endswith(".md") and name in files and not name.startswith("."):
                    raw = self._read(path)
                    document = raw is not None and read_document(
                        path, raw, self.languages, self.problems
                    )
                    if document:
                        found[path] = (document, raw)
        return found

    def _read(self, path):
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError as error:
            self.problems.add(path, f"cannot be read: {error.strerror}")
            return None
        with os.fdopen(descriptor, "rb") as source:
            info = os.fstat(source.fileno())
            if not stat.S_ISREG(info.st_mode):
                self.problems.add(path, "is not a regular file; a policy is a Markdown text file")
                return None
            if info.st_size > MAX_FILE_BYTES:
                self.problems.add(path, f"is larger than {MAX_FILE_BYTES} bytes; is it a policy?")
                return None
            return source.read()

    def _refuse_uncommitted(self, repository):
        if not self.config["publishing"]:
            return
        for path in sorted(repository.dirty):
            self.problems.add(
                os.path.join(repository.root, path),
                "has uncommitted changes; a publishing build takes committed text only, "
                "so commit or stash them",
            )
        for path in sorted(repository.dirty_site):
            self.problems.add(
                os.path.join(repository.root, path),
                "has uncommitted changes, and it shapes the published site; a publishing "
                "build takes committed files only, so commit or stash them",
            )

    # -- one file's history -------------------------------------------------------------

    def _series(self, identity, history):
        revisions = [r for r in map(self._text, reversed(history.revisions)) if r]
        policy, lang = identity
        frozen = lang == self.config["original_lang"]

        def report(revision, message, name):
            fields = revision.document.source.fields
            line = fields[name].line if name in fields else 0
            return self.review.report(revision.source, message, line)

        self._report_identity_changes(revisions)
        revisions = [r for r in revisions if (r.document.policy, r.document.lang) == identity]
        return build_series(policy, lang, revisions, frozen, self.moment, report)

    def _text(self, revision):
        """The TextRevision of a history revision, or None when it is unreadable or unsafe
        (reported: an error for the change under review, else a warning)."""
        found = Problems()
        document = read_document(revision.path, revision.raw, self.languages, found)
        text = self._rendered(document, found) if document else None
        if len(found):
            self.review.transfer(revision, found)
            if not revision.reviewed or document is None:
                return None  # (the change under review goes on to the link checks)
        return TextRevision(document, revision, text)

    def _rendered(self, document, found):
        """The rendered text, from the cache when a build before rendered it without a
        problem; problems (found again each time) are never cached."""
        fresh = {}

        def render():
            fresh["text"] = self.render(document, found)
            return None if len(found) else fresh["text"]

        return self.cache.rendered(document.sha256, render) or fresh.get("text")

    def _report_identity_changes(self, revisions):
        """A file keeps its Policy key and Lang: they name the policy's addresses and
        archive. Reported on the revision that changed one (oldest first)."""
        for before, after in zip(revisions, revisions[1:], strict=False):
            for field in ("policy", "lang"):
                old, new = getattr(before.document, field), getattr(after.document, field)
                if old != new:
                    self.review.report(
                        after.source,
                        f"{field.capitalize()} changes from '{old}' to '{new}'; a file keeps its "
                        f"{field} (it names the policy's addresses and archive), so put it back, "
                        "and add new files for a new policy or language",
                        after.document.source.fields[field].line,
                    )

    def _deleted(self, history, policies):
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
        if commit is None or commit.sha in self.repository.reviewed:
            self.problems.add(
                newest.path,
                f"deleting policy '{document.policy}' would take every address of its "
                "archive off the site; what is published stays published, so restore its "
                f"files, or withdraw it with POLICY_SITE['retired'] = ['{document.policy}'] "
                "(its archive stays on the site)",
            )
        else:
            self.problems.warn(
                newest.path,
                f"policy '{document.policy}' was deleted by this commit without being listed "
                "in POLICY_SITE['retired']; its archive is no longer on the site",
                commit=commit.sha,
            )
        return None


def _not_utf8(name):
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False

"""Build errors that tell an editor which file and line to fix, and how."""

import logging
import os
from dataclasses import dataclass

from .messages import _, n_

# Warnings about history: shown, but below Pelican's WARNING, which stops a build.
NOTICE = logging.INFO + 5
logging.addLevelName(NOTICE, "NOTICE")


def display_path(path):
    """The path relative to the working directory when it lies below it; bytes that are
    not UTF-8 shown as escapes."""
    relative = os.path.relpath(path)
    shown = path if relative.startswith("..") else relative
    return os.fsencode(shown).decode("utf-8", "backslashreplace")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place in a file."""

    path: str
    line: int
    column: int
    message: str
    commit: str = ""  # set when the text is the file as an older commit left it

    @property
    def where(self):
        """``path:line:column``, as editors and CI annotations read it."""
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return where

    def __str__(self):
        commit = _(" (commit %(commit)s)", commit=self.commit[:7]) if self.commit else ""
        return f"{self.where}{commit}: {self.message}"


class SiteError(Exception):
    """A problem the build reports in one message, without a traceback."""


class PolicyBuildError(SiteError):
    """Every problem one build found; the build stops and writes nothing."""

    def __init__(self, problems):
        self.problems = sorted(set(problems))
        self.warnings = ()  # about history; set by the generator
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        heading = n_(
            "%(count)s problem in the policy content:",
            "%(count)s problems in the policy content:",
            count,
        )
        super().__init__(f"{heading}\n{lines}")


class Problems:
    """Collects problems so that one build reports all of them at once, and warnings
    about history, which never stop a build."""

    def __init__(self):
        self._items = []
        self.warnings = []

    def add(self, path, message, line=0, column=0, commit=None):
        self._items.append(Problem(path, line or 0, column or 0, message, commit or ""))

    def warn(self, path, message, line=0, column=0, commit=None):
        self.warnings.append(Problem(path, line or 0, column or 0, message, commit or ""))

    @property
    def items(self):
        return tuple(self._items)

    def __len__(self):
        return len(self._items)

    def raise_if_any(self):
        if self._items:
            raise PolicyBuildError(self._items)


class RevisionProblems:
    """The problems of revisions, routed: an error for the change under review, a
    warning naming the commit for history (which never stops a build)."""

    def __init__(self, problems):
        self.problems = problems

    def report(self, revision, message, line=0, column=0):
        """Report ``message``; True when ``revision`` is history (so it may be left out)."""
        if revision.under_review:
            self.problems.add(revision.path, message, line, column, revision.named_commit)
            return False
        self.problems.warn(revision.path, message, line, column, revision.commit)
        return True

    def transfer(self, revision, found):
        """Report what ``found`` (a Problems) holds about ``revision``; history's text is
        then left out."""
        left_out = "" if revision.under_review else _("; the site leaves this commit's text out")
        for problem in found.items:
            self.report(revision, problem.message + left_out, problem.line, problem.column)

"""Build errors that tell an editor which file and line to fix, and how."""

import os
from dataclasses import dataclass


def display_path(path):
    """The path relative to the working directory when it lies below it."""
    relative = os.path.relpath(path)
    return path if relative.startswith("..") else relative


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, at a place in a file."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self):
        where = display_path(self.path)
        if self.line:
            where += f":{self.line}" + (f":{self.column}" if self.column else "")
        return f"{where}: {self.message}"


class SiteError(Exception):
    """A problem the build reports in one message, without a traceback."""


class PolicyBuildError(SiteError):
    """Every problem one build found; the build stops and writes nothing."""

    def __init__(self, problems):
        self.problems = sorted(set(problems))
        count = len(self.problems)
        lines = "\n".join(f"  {problem}" for problem in self.problems)
        super().__init__(f"{count} problem{'s' * (count != 1)} in the policy content:\n{lines}")


class Problems:
    """Collects problems so that one build reports all of them at once."""

    def __init__(self):
        self._items = []

    def add(self, path, message, line=0, column=0):
        self._items.append(Problem(path, line or 0, column or 0, message))

    def __len__(self):
        return len(self._items)

    def raise_if_any(self):
        if self._items:
            raise PolicyBuildError(self._items)

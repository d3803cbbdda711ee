"""Every git call the build makes. Each is a short function that builds its arguments,
runs git and raises :class:`GitError` with git's own message when git fails.

History is read with two processes whatever its length: one ``git log`` of the main
line (first parents, renames detected) and one ``git cat-file --batch`` for the texts.
"""

import datetime
import os
import subprocess
from dataclasses import dataclass

from . import build_record
from .errors import SiteError
from .messages import _

_COMMIT_MARK = b"\x01"
_NO_BLOB = "0" * 40
_GITLINK = "160000"


class GitError(SiteError):
    """git failed, or the repository cannot give a complete history."""


@dataclass(frozen=True)
class Change:
    """One file as one main-line commit changed it."""

    status: str  # "A", "M", "D" or "R" (renamed, perhaps edited too)
    path: str  # after the commit; for "D", the path deleted
    old_path: str | None  # before a rename
    blob: str | None  # the file's blob after the commit; None when deleted


@dataclass(frozen=True)
class Commit:
    sha: str
    committed: datetime.datetime
    changes: tuple


_GIT = ["git", "-c", "core.quotepath=off"]
# every git command a build runs, and the options it gives each: they only read
_READING = {
    "rev-parse": {
        "--show-toplevel",
        "--is-shallow-repository",
        "--verify",
        "--quiet",
        "--end-of-options",
    },
    "ls-files": {"--"},
    "rev-list": {"--first-parent"},
    "merge-base": set(),
    "status": {"--porcelain", "-z", "--untracked-files=all", "--"},
    "log": {"--first-parent", "-M", "--raw", "--no-abbrev", "-z", "--format=%x01%H %ct", "--"},
    "cat-file": {"--batch"},
}


def reads_only(command):
    """Whether ``command`` is one this module runs: git, reading, with no other option
    (``up_to_date`` runs again only such commands)."""
    if not isinstance(command, list) or command[:3] != _GIT or len(command) < 4:
        return False
    options = _READING.get(command[3])
    if options is None or not all(isinstance(part, str) for part in command):
        return False
    for part in command[4:]:
        if part.startswith("-") and part not in options:
            return False
        if part in ("--", "--end-of-options"):  # what follows is paths, or revisions
            break
    return True


def _git(root, *args, stdin=None):
    command = [*_GIT, *args]
    try:
        with build_record.git_command(root, command, stdin) as answered:
            result = subprocess.run(
                command, cwd=root, input=stdin, capture_output=True, check=False, timeout=600
            )
            answered(result)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(
            _(
                "git %(command)s could not run in %(root)s: %(error)s",
                command=args[0],
                root=root,
                error=error,
            )
        ) from None
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(
            _(
                "git %(command)s failed in %(root)s: %(message)s",
                command=args[0],
                root=root,
                message=message,
            )
        )
    return result.stdout


def _path(raw):
    return os.fsdecode(raw)


def toplevel(path):
    """The root of the work tree that holds ``path``, or None outside a repository."""
    try:
        return _path(_git(path, "rev-parse", "--show-toplevel").rstrip(b"\n"))
    except (GitError, FileNotFoundError, NotADirectoryError):
        return None


def is_shallow(root):
    return _git(root, "rev-parse", "--is-shallow-repository").strip() == b"true"


def has_commits(root):
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def head(root):
    return _git(root, "rev-parse", "HEAD^{commit}").decode().strip()


def commit_of(root, ref):
    """The commit ``ref`` names; GitError when it names none (not fetched, mistyped)."""
    try:
        output = _git(root, "rev-parse", "--verify", "--end-of-options", f"{ref}^{{commit}}")
    except GitError:
        raise GitError(
            _(
                "'%(ref)s' is not a commit of this repository; fetch it (in CI: check out with "
                "fetch-depth: 0) or give another base",
                ref=ref,
            )
        ) from None
    return output.decode().strip()


def tracked(root, path):
    """Whether git tracks any file below ``path`` (False for a path outside ``root``)."""
    relative = os.path.relpath(os.path.realpath(path), os.path.realpath(root))
    if relative == ".." or relative.startswith("../"):
        return False
    return bool(_git(root, "ls-files", "--", relative).strip())


def main_line_since(root, base):
    """The main-line commits after ``base`` up to HEAD, newest first: the change under
    review."""
    output = _git(root, "rev-list", "--first-parent", f"{commit_of(root, base)}..HEAD")
    return tuple(output.decode().split())


def merge_base(root, ref):
    """The newest commit that HEAD and ``ref`` share, or None when ``ref`` does not exist."""
    try:
        return _git(root, "merge-base", "HEAD", commit_of(root, ref)).decode().strip()
    except GitError:
        return None


def uncommitted(root, *pathspecs):
    """``{path: path in HEAD}`` of files below ``pathspecs`` that differ from HEAD or are
    untracked; the HEAD path differs for a rename, and is None for a new file."""
    output = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", *pathspecs)
    entries = iter(output.split(b"\0"))
    paths = {}
    for entry in entries:
        if len(entry) <= 3:
            continue
        status, path = entry[:2], _path(entry[3:])
        if status[:1] in (b"R", b"C"):
            paths[path] = _path(next(entries, b""))  # the old path follows the new one
        else:
            paths[path] = None if status in (b"??", b"A ") else path
    return paths


def main_line(root, folder):
    """The main-line commits that changed files below ``folder``, newest first.

    A merge counts as one commit with the changes it brought in; renames are detected.
    """
    output = _git(
        root,
        "log",
        "--first-parent",
        "-M",
        "--raw",
        "--no-abbrev",
        "-z",
        "--format=%x01%H %ct",
        "--",
        folder,
    )
    commits = []
    for chunk in output.split(_COMMIT_MARK)[1:]:
        header, _separator, raw = chunk.partition(b"\0")
        sha, timestamp = header.decode().split()
        committed = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC)
        commits.append(Commit(sha, committed, tuple(_changes(raw.lstrip(b"\n")))))
    return commits


def _changes(raw):
    fields = iter(raw.split(b"\0"))
    for meta in fields:
        if not meta.startswith(b":"):
            continue
        old_mode, new_mode, _old_blob, new_blob, status = meta[1:].decode().split()
        status = status[0]
        if status in ("R", "C"):
            old_path, path = _path(next(fields)), _path(next(fields))
        else:
            old_path, path = None, _path(next(fields))
        if _GITLINK in (old_mode, new_mode):
            continue  # a submodule: a commit of another repository, not a file of this one
        if status == "C":
            status, old_path = "A", None
        blob = None if status == "D" or new_blob == _NO_BLOB else new_blob
        yield Change(status if status in "AMDR" else "M", path, old_path, blob)


def read_blobs(root, blobs):
    """``{blob id: bytes}`` of ``blobs``, read in one ``git cat-file --batch``."""
    blobs = sorted(set(blobs))
    if not blobs:
        return {}
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode())
    contents, position = {}, 0
    for blob in blobs:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if header[-1] == b"missing" or header[1] != b"blob":
            continue
        size = int(header[2])
        contents[blob] = output[position : position + size]
        position += size + 1
    return contents

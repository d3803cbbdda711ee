"""Reads a folder's history from git: which commits touched which files, and their contents.

Each git call is a short function that builds its arguments, runs git and
raises :class:`GitError` with git's own message when git fails. History is read
with two processes whatever its length: one ``git log`` and one
``git cat-file --batch``.
"""

import datetime
import os
import subprocess
from dataclasses import dataclass

from .errors import SiteError

_COMMIT_MARK = "\x01"


class GitError(SiteError):
    """git failed, or the repository cannot give a complete history."""


@dataclass(frozen=True)
class Revision:
    """A file as one commit left it."""

    commit: str
    committed: datetime.datetime
    path: str
    raw: bytes


def _git(root, *args, stdin=None):
    result = subprocess.run(
        ["git", "-c", "core.quotepath=off", *args],
        cwd=root,
        input=stdin,
        capture_output=True,
        check=False,
    )
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise GitError(f"git {args[0]} failed in {root}: {message}")
    return result.stdout


def toplevel(path):
    """The root of the work tree that holds ``path``, or None outside a repository."""
    try:
        return _git(path, "rev-parse", "--show-toplevel").decode().strip()
    except (GitError, FileNotFoundError, NotADirectoryError):
        return None


def is_shallow(root):
    return _git(root, "rev-parse", "--is-shallow-repository").decode().strip() == "true"


def has_commits(root):
    try:
        _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    except GitError:
        return False
    return True


def uncommitted(root, folder):
    """Paths below ``folder`` (relative to ``root``) that differ from HEAD or are untracked."""
    output = _git(root, "status", "--porcelain", "-z", "--untracked-files=all", "--", folder)
    entries = iter(output.split(b"\0"))
    paths = []
    for entry in entries:
        if len(entry) > 3:
            paths.append(entry[3:].decode())
            if entry[:1] in (b"R", b"C"):
                next(entries, None)  # a rename's old path follows its new one
    return sorted(paths)


def touching_commits(root, folder):
    """``(commit, committed, [paths])`` of main-line commits that changed ``folder``.

    Newest first; a merge counts as one commit with the changes it brought in.
    """
    output = _git(
        root,
        "log",
        "--first-parent",
        "--no-renames",
        f"--format={_COMMIT_MARK}%H %ct",
        "--name-only",
        "--",
        folder,
    ).decode("utf-8", "replace")
    commits = []
    for chunk in output.split(_COMMIT_MARK)[1:]:
        header, *paths = chunk.splitlines()
        commit, timestamp = header.split()
        committed = datetime.datetime.fromtimestamp(int(timestamp), datetime.UTC)
        commits.append((commit, committed, [path for path in paths if path]))
    return commits


def read_blobs(root, specs):
    """Contents of ``<commit>:<path>`` specs, in one ``git cat-file --batch``; None if absent."""
    if not specs:
        return {}
    output = _git(root, "cat-file", "--batch", stdin="".join(f"{s}\n" for s in specs).encode())
    blobs, position = {}, 0
    for spec in specs:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if header[-1] == b"missing" or header[1] != b"blob":
            blobs[spec] = None
            continue
        size = int(header[2])
        blobs[spec] = output[position : position + size]
        position += size + 1
    return blobs


def file_history(root, folder, suffix=".md"):
    """Every committed state of the ``suffix`` files below ``folder``, newest first."""
    relative = os.path.relpath(folder, root)
    touched = [
        (commit, committed, path)
        for commit, committed, paths in touching_commits(root, relative)
        for path in paths
        if path.endswith(suffix)
    ]
    blobs = read_blobs(root, [f"{commit}:{path}" for commit, _committed, path in touched])
    return [
        Revision(commit, committed, path, blobs[f"{commit}:{path}"])
        for commit, committed, path in touched
        if blobs[f"{commit}:{path}"] is not None
    ]

"""The committed states of each policy file along the main line, and which of them are
the change under review.

A file's history follows the file itself: back through renames to the commit that added
it, never into another file. The change under review is the uncommitted text, the
main-line commits above the base (when one is given) and the newest commit; its
problems stop the build. Older commits are history: their problems are reported as
warnings and never block a later build.
"""

import datetime
import os
from dataclasses import dataclass

from . import git_history
from .messages import _


@dataclass(frozen=True)
class Revision:
    """A file's bytes as one commit left them, or as the work tree holds them."""

    path: str  # of the file at that commit (absolute)
    file: str  # the same, relative to the repository's root
    raw: bytes | None  # None once its document is read (content.py)
    blob: str | None  # None in the work tree
    commit: str | None  # None in the work tree
    committed: datetime.datetime | None
    under_review: bool  # part of the change under review
    pending: bool  # reaches the main line with that change (uncommitted, or above the base)
    in_change: bool  # part of what the change does, as its summary shows it
    named_commit: str | None  # the commit messages name; None: the file as it is now


@dataclass(frozen=True)
class FileHistory:
    """One policy file: its revisions newest first. A file the work tree no longer has
    is ``deleted``, by ``deleted_by`` (a commit; None when not committed yet)."""

    path: str
    revisions: tuple
    deleted: bool = False
    deleted_by: git_history.Commit | None = None


@dataclass(frozen=True)
class Repository:
    """What the build needs to know about the repository the content is in."""

    root: str
    folder: str  # the policies folder, relative to root
    under_review: frozenset  # commits of the change under review
    judged: tuple  # the same, newest first
    pending: frozenset  # of those, the commits above the base: not on the main line yet
    changing: frozenset  # the commits the change's summary shows (with uncommitted text)
    dirty: dict  # {path: path in HEAD} of uncommitted policy files
    dirty_site: tuple = ()  # uncommitted files that shape the site, when publishing


def open_repository(config, problems):
    """The repository holding the policies; refuses no git, no commits, a shallow clone."""
    folder, base = config["content_dir"], config["base"]
    root = _usable_root(folder, problems)
    if root is None:
        return None
    relative = os.path.relpath(os.path.realpath(folder), os.path.realpath(root))
    pending = ()
    if base:
        try:
            pending = git_history.main_line_since(root, base)
        except git_history.GitError as error:
            problems.add(root, _("the review base: %(error)s", error=error))
            return None
    head = git_history.head(root)
    judged = tuple(dict.fromkeys((*pending, head)))
    dirty = git_history.uncommitted(root, relative)
    # what the change does: the commits above the base; else the uncommitted edits; else
    # the newest commit
    changing = pending if base else (() if dirty else (head,))
    return Repository(
        root,
        relative,
        frozenset(judged),
        judged,
        frozenset(pending),
        frozenset(changing),
        dirty,
        _dirty_site(root, config) if config["publishing"] else (),
    )


def _usable_root(folder, problems):
    """The top folder of the git repository around ``folder``, if history can be read."""
    root = git_history.toplevel(folder)
    if root is None:
        problems.add(
            folder,
            _(
                "is not in a git repository; the version archive is read from git history, "
                "so build from a clone of the repository"
            ),
        )
        return None
    if not git_history.has_commits(root):
        problems.add(folder, _("its git repository has no commits yet; commit the policy files"))
        return None
    if git_history.is_shallow(root):
        problems.add(
            root,
            _(
                "is a shallow clone, so the version history is incomplete; run "
                "'git fetch --unshallow' (in CI: check out with fetch-depth: 0) and build again"
            ),
        )
        return None
    return root


def _dirty_site(root, config):
    """Uncommitted files inside the repository that shape the site."""
    inside = [
        os.path.relpath(os.path.realpath(path), os.path.realpath(root))
        for path in config["site_paths"]
    ]
    inside = [path for path in inside if not path.startswith("..")]
    return tuple(sorted(git_history.uncommitted(root, *inside))) if inside else ()


def refuse_uncommitted(repository, problems):
    """A publishing build takes committed text only."""
    for path in sorted(repository.dirty):
        problems.add(
            os.path.join(repository.root, path),
            _(
                "has uncommitted changes; a publishing build takes committed text only, "
                "so commit or stash them"
            ),
        )
    for path in sorted(repository.dirty_site):
        problems.add(
            os.path.join(repository.root, path),
            _(
                "has uncommitted changes, and it shapes the published site; a publishing "
                "build takes committed files only, so commit or stash them"
            ),
        )


def read_histories(repository, work_files):
    """The history of each file in ``work_files`` ({repository path: bytes}) and of each
    policy file the main line deleted, in two git processes."""
    commits = git_history.main_line(repository.root, repository.folder)
    by_commit = [{change.path: change for change in commit.changes} for commit in commits]
    followed = {}
    for path in sorted(work_files):
        start = repository.dirty.get(path, path)  # where a staged rename came from
        followed[path] = _follow(start, commits, by_commit, 0) if start else []
    deleted = _deleted_files(repository, work_files, followed, commits, by_commit)
    blobs = git_history.read_blobs(
        repository.root,
        [blob for steps in [*followed.values(), *(d[1] for d in deleted)] for *_, blob in steps],
    )
    histories = []
    for path, steps in followed.items():
        revisions = _revisions(repository, path, steps, blobs)
        if path in repository.dirty or not revisions:
            revisions = [_draft(repository, path, work_files[path]), *revisions]
        histories.append(FileHistory(path, tuple(revisions)))
    for path, steps, commit in deleted:
        revisions = _revisions(repository, path, steps, blobs, name_newest=False)
        if revisions:
            histories.append(FileHistory(path, tuple(revisions), True, commit))
    return histories


def _deleted_files(repository, work_files, followed, commits, by_commit):
    """``(path, steps, deleting commit)`` of each policy file deleted: in the work tree
    (the commit is None) or by a main-line commit."""
    known = {entry[1] for steps in followed.values() for entry in steps} | set(work_files)
    deleted = []
    for path, in_head in sorted(repository.dirty.items()):
        if path not in work_files and in_head and path.endswith(".md") and in_head not in known:
            steps = _follow(in_head, commits, by_commit, 0)
            known |= {step[1] for step in steps}
            deleted.append((in_head, steps, None))
    for index, commit in enumerate(commits):
        for change in commit.changes:
            if change.status == "D" and change.path.endswith(".md") and change.path not in known:
                steps = _follow(change.path, commits, by_commit, index + 1)
                known |= {step[1] for step in steps}
                deleted.append((change.path, steps, commit))
    return deleted


def _draft(repository, path, raw):
    """The work tree's text of a file, uncommitted."""
    return Revision(
        path=os.path.join(repository.root, path),
        file=path,
        raw=raw,
        blob=None,
        commit=None,
        committed=None,
        under_review=True,
        pending=True,
        in_change=True,
        named_commit=None,
    )


def _follow(path, commits, by_commit, start):
    """``(commit, path, blob)`` of each main-line state of ``path``, newest first, from
    commit index ``start`` back to the commit that added it, through renames."""
    steps, current = [], path
    for index in range(start, len(commits)):
        change = by_commit[index].get(current)
        if change is None or change.status == "D":
            continue
        steps.append((commits[index], current, change.blob))
        if change.status == "A":
            break
        if change.status == "R":
            current = change.old_path
    return steps


def _revisions(repository, path, steps, blobs, name_newest=True):
    revisions = []
    for position, (commit, at_path, blob) in enumerate(steps):
        if blob not in blobs:
            continue
        newest_as_file = name_newest and position == 0 and path not in repository.dirty
        revisions.append(
            Revision(
                path=os.path.join(repository.root, at_path),
                file=at_path,
                raw=blobs[blob],
                blob=blob,
                commit=commit.sha,
                committed=commit.committed,
                under_review=commit.sha in repository.under_review,
                pending=commit.sha in repository.pending,
                in_change=commit.sha in repository.changing,
                named_commit=None if newest_as_file else commit.sha,
            )
        )
    return revisions

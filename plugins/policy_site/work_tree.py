"""The policy files as the work tree holds them, read safely: regular files only (no
link is followed, no FIFO blocks the build), of a sensible size, with UTF-8 names."""

import os
import stat

from .document import read_document
from .limits import too_large
from .messages import _


def read_work_tree(folder, languages, problems):
    """``{path: (document, bytes)}`` of the policy files below ``folder``; problems
    (links, oddities, unreadable files) go to ``problems``."""
    if os.path.islink(folder) or not os.path.isdir(folder):
        problems.add(folder, _("the folder of policy files is missing or a symbolic link"))
        return {}
    found = {}
    for directory, subdirs, files in os.walk(folder):
        subdirs[:] = sorted(name for name in subdirs if not name.startswith("."))
        for name in sorted([*files, *subdirs]):
            path = os.path.join(directory, name)
            if _not_utf8(name):
                problems.add(path, _("the name is not UTF-8 text; rename it"))
            elif name in subdirs and os.path.lexists(os.path.join(path, ".git")):
                problems.add(
                    path,
                    _(
                        "is a git submodule (another repository); policy files must be files "
                        "of this repository, so copy the texts in instead"
                    ),
                )
                subdirs.remove(name)
            elif os.path.islink(path):
                problems.add(
                    path,
                    _(
                        "is a symbolic link; policy files and folders must be regular files "
                        "in the repository, so copy the text in instead"
                    ),
                )
                if name in subdirs:
                    subdirs.remove(name)
            elif name.endswith(".md") and name in files and not name.startswith("."):
                raw = _read(path, problems)
                document = raw is not None and read_document(path, raw, languages, problems)
                if document:
                    found[path] = (document, raw)
    return found


def _read(path, problems):
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        problems.add(path, _("cannot be read: %(reason)s", reason=error.strerror))
        return None
    with os.fdopen(descriptor, "rb") as source:
        info = os.fstat(source.fileno())
        if not stat.S_ISREG(info.st_mode):
            problems.add(path, _("is not a regular file; a policy is a Markdown text file"))
            return None
        if too_large(info.st_size):
            problems.add(path, too_large(info.st_size))
            return None
        return source.read()


def _not_utf8(name):
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False

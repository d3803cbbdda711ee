"""The site is built beside its output folder and replaces it only when every check passes.

A failing build leaves the previous output untouched; a file that did not change keeps
its time. The build writes and deletes only
inside its own three folders (``output``, ``output.staging``, ``output.previous``), each
of which must be a real folder or absent: a symbolic link or a file in their place is
refused before anything is written. A swap cut short is recovered by the next build.
"""

import contextlib
import errno
import fcntl
import functools
import logging
import os
import shutil
import stat
from dataclasses import dataclass, field

from . import build_record
from .errors import Problems, SiteError, display_path
from .messages import _
from .output_checks import check_output

logger = logging.getLogger(__name__)

STAGING = ".staging"
PREVIOUS = ".previous"


class OutputError(SiteError):
    """An output folder is not the build's to write: a link, a file, or not writable."""


def stage(pelican):
    """Point Pelican at a fresh staging folder beside the real output folder, once no
    other build writes beside it."""
    final = os.path.abspath(pelican.output_path)
    staging, previous = final + STAGING, final + PREVIOUS
    build_record.own_folders(final, staging, previous)
    for path in (final, staging, previous):
        _refuse_foreign(path)
    _refuse_links_in(pelican.settings)
    _wait_for_others(final)
    try:
        _recover(final, staging, previous)
    except BaseException:
        stopped()
        raise
    pelican.output_path = staging


def _recover(final, staging, previous):
    """Restore the output of a swap cut short, and remove what a build before left."""
    if os.path.isdir(previous):
        if os.path.isdir(final):
            _remove_tree(previous)
        else:
            _rename(previous, final)  # an earlier swap stopped half-way: restore
            logger.info(
                "%s", _("Restored %(path)s from an interrupted build", path=display_path(final))
            )
    if os.path.isdir(staging):
        _remove_tree(staging)


def begin(staging):
    """A build starts writing into ``staging``: what it keeps from the output (nothing
    yet), and whether that output was checked."""
    build = _BUILDS[staging] = StagedBuild(staging)
    return build


@dataclass
class StagedBuild:
    """One build staging into ``staging``: the files it keeps from the output it will
    replace, whether a build of the same code and settings checked that site, and the
    pages whose links and ids are known before the check."""

    staging: str
    files: dict = field(default_factory=dict)  # name: (inode, size, time) when kept
    real: set = field(default_factory=set)  # the output's folders found to be folders
    checked: bool = False
    on_checked: object = None
    read: dict = field(default_factory=dict)  # page: (links, ids), known before the check
    last_read: tuple = None  # (name, what _previous found): the file last read

    def keep_if_same(self, name, data):
        """Whether the output already holds ``name`` with the bytes ``data``. Then the
        build writes nothing: it keeps that file, which goes into the staged site as a
        link to it once every file is written (its time and identity as they were)."""
        before = self._previous(name)
        if before is None or before[0] != data:
            return False
        self.files[name] = before[1]
        return True

    def previous_bytes(self, name):
        """The bytes of the file ``name`` in the output this build will replace; None
        where there is none, or it is reached through a link or is not a regular file."""
        before = self._previous(name)
        return before[0] if before else None

    def checked_before(self, checked, on_checked, read):
        """Say whether the site the build made was checked before by a build of the same
        code and settings (``checked``), what to do once it is checked
        (``on_checked()``), and the links and ids of the pages whose bytes were checked
        before (``read``, which the check fills in)."""
        self.checked, self.on_checked, self.read = checked, on_checked, read

    def _previous(self, name):
        """``(bytes, (inode, size, time))`` of the output's file ``name``, or None; read
        once for a page taken from the build before, which is then kept."""
        last = self.last_read
        if last is not None and last[0] == name:
            return last[1]
        found = self._read_previous(name)
        self.last_read = (name, found)
        return found

    def _read_previous(self, name):
        if not self.staging.endswith(STAGING):
            return None
        path = _inside(self.staging.removesuffix(STAGING), name, self.real)
        if path is None:
            return None
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        except OSError:
            return None
        with os.fdopen(descriptor, "rb") as source:
            info = os.fstat(source.fileno())
            if not stat.S_ISREG(info.st_mode):
                return None
            return source.read(), (info.st_ino, info.st_size, info.st_mtime_ns)


_BUILDS = {}  # staging folder: its StagedBuild


def check_and_swap(pelican):
    """Check the staged site; replace the output with it, or discard it and stop. Where
    the build kept every file of the output, wrote none, and a build of the same code
    and settings checked that site before, the output stays as it is."""
    final = pelican.output_path.removesuffix(STAGING)
    try:
        _check_and_swap(pelican.output_path, pelican.settings["SITEURL"])
        build_record.output_left(final)  # while no other build can change it
    finally:
        _done(final)


def _check_and_swap(staging, siteurl):
    final = staging.removesuffix(STAGING)
    build = _BUILDS.pop(staging, None) or StagedBuild(staging)
    kept = set(build.files)
    if build.checked and kept and _files(staging) == set() and _files(final) == kept:
        if os.path.isdir(staging):
            _remove_tree(staging)
        logger.info(
            "%s",
            _(
                "Nothing to change: %(path)s holds the site as this build makes it",
                path=display_path(final),
            ),
        )
        return
    _link_kept(staging, final, build.files)
    problems = Problems()
    check_output(staging, siteurl, display_path(final), problems, build.read)
    if len(problems):
        _remove_tree(staging)
        problems.raise_if_any()
    previous = final + PREVIOUS
    if os.path.isdir(final):
        keep_unchanged(staging, final)
        _rename(final, previous)
    _rename(staging, final)
    if os.path.isdir(previous):
        _remove_tree(previous)
    if build.on_checked:
        build.on_checked()
    logger.info("%s", _("Every check passed; the site is in %(path)s", path=display_path(final)))


def _files(folder):
    """The relative names of the regular files below ``folder``; None where it holds a
    link or anything else."""
    found = set()
    for directory, folders, names in os.walk(folder):
        for name in [*folders, *names]:
            path = os.path.join(directory, name)
            kind = os.lstat(path).st_mode
            if stat.S_ISLNK(kind) or not (stat.S_ISDIR(kind) or stat.S_ISREG(kind)):
                return None
            if stat.S_ISREG(kind):
                found.add(os.path.relpath(path, folder).replace(os.sep, "/"))
    return found


def _link_kept(staging, final, kept):
    """Put each kept file of the output into the staged site, as a link to it: the file
    as it was when the build compared it (same inode, size and time)."""
    real = set()
    for name, identity in sorted(kept.items()):
        old, new = _inside(final, name, real), os.path.join(staging, name)
        try:
            info = os.lstat(old) if old is not None else None
            if info is None or (info.st_ino, info.st_size, info.st_mtime_ns) != identity:
                raise FileNotFoundError(errno.ENOENT, "changed since it was read")
            os.makedirs(os.path.dirname(new), exist_ok=True)
            os.link(old, new)
        except OSError as error:
            raise OutputError(
                _(
                    "cannot take %(path)s into the new site (%(reason)s): did something change "
                    "the output during the build? Build again",
                    path=display_path(os.path.join(final, name)),
                    reason=error.strerror or error,
                )
            ) from None


def keep_unchanged(staging, final):
    """Where a staged file has the bytes of the output's file of that name, keep the
    output's file (a hard link in its place): its time and identity stay as they were,
    so a host or a sync sees only the files that changed. Never through a link."""
    real = set()
    for directory, _folders, names in os.walk(staging):
        for name in names:
            new = os.path.join(directory, name)
            old = _inside(final, os.path.relpath(new, staging), real)
            if old is None:
                continue  # a link in the old output's folders
            try:
                info = os.lstat(old)
                if os.path.samestat(info, os.lstat(new)):
                    continue  # kept: already the output's file
                if not stat.S_ISREG(info.st_mode) or info.st_size != os.path.getsize(new):
                    continue
                with open(old, "rb") as before, open(new, "rb") as after:
                    if before.read() != after.read():
                        continue
                os.link(old, new + ".kept")
                os.replace(new + ".kept", new)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(new + ".kept")  # the staged file stands, alone
                continue


def _inside(folder, name, real=None):
    """The path of ``name`` (``a/b/file``) in ``folder``, or None where a folder on the
    way is a link or not a folder. ``real``: folders already found to be folders, to
    which those found now are added."""
    real = set() if real is None else real
    parts = name.replace(os.sep, "/").split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    path = folder
    for part in parts[:-1]:
        path = os.path.join(path, part)
        if path not in real:
            try:
                if not stat.S_ISDIR(os.lstat(path).st_mode):
                    return None
            except OSError:
                return None
            real.add(path)
    return os.path.join(path, parts[-1])


def discard_staging(path):
    """Remove the staging folder of a build that failed while writing."""
    _BUILDS.pop(path, None)
    _done(path.removesuffix(STAGING))
    if path.endswith(STAGING) and os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)


_WRITING = {}  # output folder: its parent folder, open and locked while a build writes


def _wait_for_others(final):
    """Hold the lock of the folder holding ``final`` for this build, once no other build
    (``invoke build`` beside ``invoke preview``, two ``invoke check``) holds it: the
    staging and previous folders beside ``final`` are this build's alone."""
    stopped()  # the builds of one process run one after the other: each before is over
    parent = os.path.dirname(final)
    try:
        os.makedirs(parent, exist_ok=True)
        folder = os.open(parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise OutputError(
            _("cannot write %(path)s: %(reason)s", path=display_path(final), reason=error.strerror)
        ) from None
    try:
        fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        message = _(
            "Another build is writing beside %(path)s; waiting for it to finish",
            path=display_path(final),
        )
        logger.info("%s", message)
        fcntl.flock(folder, fcntl.LOCK_EX)
    _WRITING[final] = folder


def build_step(method):
    """A step of a build (``PolicyGenerator``'s): where it raises, the build has stopped,
    and other builds may write beside its output (``invoke preview`` goes on)."""

    @functools.wraps(method)
    def step(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except BaseException:
            stopped()
            raise

    return step


def stopped():
    """A build of this process stopped (or ended): other builds may write beside its
    output."""
    for final in list(_WRITING):
        _done(final)


def _done(final):
    """The build writing ``final`` has ended: other builds may write beside it."""
    folder = _WRITING.pop(final, None)
    if folder is not None:
        os.close(folder)  # which lets the lock go


def _refuse_foreign(path):
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(
            _(
                "%(path)s is a symbolic link; the build writes only into folders of its own, so "
                "remove the link (and build again)",
                path=display_path(path),
            )
        )
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(
            _(
                "%(path)s is not a folder; the build needs that name for its output, so move the "
                "file away",
                path=display_path(path),
            )
        )


def _refuse_links_in(settings):
    """The theme's files and the catalogs go into the site: none may lead out of the
    project."""
    folders = [settings.get("THEME") or "", settings["POLICY_SITE"]["translations_dir"]]
    for folder in folders:
        for directory, subdirs, files in os.walk(folder):
            for name in [*subdirs, *files]:
                path = os.path.join(directory, name)
                if os.path.islink(path):
                    raise OutputError(
                        _(
                            "%(path)s is a symbolic link; the theme's files and the catalogs go "
                            "into the site, so replace the link by the file itself",
                            path=display_path(path),
                        )
                    )


def _remove_tree(path):
    _refuse_foreign(path)
    try:
        shutil.rmtree(path)
    except OSError as error:
        raise OutputError(
            _("cannot remove %(path)s: %(reason)s", path=display_path(path), reason=error.strerror)
        ) from None


def _rename(source, target):
    try:
        os.rename(source, target)
    except OSError as error:
        raise OutputError(
            _(
                "cannot move %(source)s to %(target)s: %(reason)s; check that the folder holding "
                "the output is writable",
                source=display_path(source),
                target=display_path(target),
                reason=error.strerror,
            )
        ) from None

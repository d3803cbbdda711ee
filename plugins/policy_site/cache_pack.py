"""The cache's entries of one fingerprint (texts and redlines) in one file, a pack: the
entries' bytes one after another, then an index (JSON: each entry's name, place,
length, when a build last used it and its SHA-256), then the index's place and a mark.
One file, not one per entry: a first build creates one file where it would create a
thousand and their folders, and a rebuild opens one. A pack is written beside its place
and put there whole, never through a link; one that does not read as a pack holds
nothing, and an entry whose bytes are not those the index names is not there.

A new pack keeps the entries of the pack before that a build used in the last
``UNUSED_DAYS`` days: a rebuild that takes its pages from the output asks for none of
their redlines, which the next build into an empty output needs.
"""

import contextlib
import hashlib
import json
import logging
import os
import secrets
import stat
import time

logger = logging.getLogger(__name__)

MARK = b"policy-site pack 2\n"
UNUSED_DAYS = 30  # an entry no build used for this long is left out of the next pack
_TRAILER = 16 + len(MARK)  # the index's place, in 16 decimal digits, then the mark
_ABANDONED = 3600  # seconds: a pack begun this long ago was left by a build that stopped
_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK  # no link; a pipe does not wait


def read_file(path):
    """The bytes of the regular file ``path``; OSError where it is a link, a pipe, a
    folder or anything else."""
    with _open_regular(path) as source:
        return source.read()


class Pack:
    """A pack as read: the bytes of an entry by its name. ``path`` None: an empty pack."""

    def __init__(self, path):
        self.index = {}  # name: [place, length, used (seconds since 1970), SHA-256]
        self._file = None
        if path is None:  # the cache's folder is not its own
            return
        try:
            self._file = _open_regular(path)
            self.index = _index(self._file)
        except (OSError, ValueError, RecursionError) as error:
            logger.debug("The cache's pack %s is not read: %s", path, error)
            self.close()

    def get(self, name):
        place = self.index.get(name)
        if place is None:
            return None
        try:
            data = os.pread(self._file.fileno(), place[1], place[0])
        except OSError:
            return None
        return data if hashlib.sha256(data).hexdigest() == place[3] else None

    def close(self):
        if self._file is not None:
            self._file.close()
        self._file, self.index = None, {}


class NewPack:
    """The pack a build writes: the entries it made, as they are made (on disk, not in
    memory), then, when it is saved, those it keeps from the pack before. ``path`` None:
    nothing is written."""

    def __init__(self, path):
        self.path = path
        self.index = {}
        self._file = None
        self._staged = None
        self._size = 0
        self._done = path is None  # saved, discarded or failed: nothing more is written

    def add(self, name, data, used=None):
        if self._done:
            return
        try:
            if self._file is None:
                folder, own = os.path.split(self.path)
                self._staged = os.path.join(folder, f".{own}.{secrets.token_hex(8)}")
                flags = os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                self._file = os.fdopen(os.open(self._staged, flags, 0o644), "w+b")
            self._file.write(data)
        except OSError as error:
            self._fail(error)
            return
        used = int(time.time()) if used is None else used
        self.index[name] = [self._size, len(data), used, hashlib.sha256(data).hexdigest()]
        self._size += len(data)

    def get(self, name):
        place = self.index.get(name)
        if place is None or self._done:
            return None
        try:
            self._file.flush()
            return os.pread(self._file.fileno(), place[1], place[0])
        except OSError as error:
            self._fail(error)
            return None

    def save(self, before, used):
        """Put the pack in its place, with the entries of the pack ``before`` that this
        build did not make again and that a build used in the last ``UNUSED_DAYS`` days
        (those named in ``used``, now); nothing where this build made none."""
        if self._file is None or self._done:
            self._done = True
            return
        now = int(time.time())
        for name, place in sorted(before.index.items()):
            recent = name in used or place[2] >= now - UNUSED_DAYS * 86400
            if name not in self.index and recent:
                data = before.get(name)
                if data is not None:
                    self.add(name, data, now if name in used else place[2])
        if self._done:
            return
        try:
            index = json.dumps(self.index, sort_keys=True).encode("utf-8")
            self._file.write(index + b"%016d" % self._size + MARK)
            self._file.close()
            os.replace(self._staged, self.path)
        except OSError as error:
            self._fail(error)
            return
        self._file, self._done = None, True

    def discard(self):
        """Write nothing: the pack before stays."""
        self._fail(None)

    def _fail(self, error):
        if error is not None:
            logger.debug("Cannot write the cache's pack %s: %s", self.path, error)
        self._done = True
        if self._file is None:
            return
        self._file.close()
        self._file = None
        with contextlib.suppress(OSError):
            os.unlink(self._staged)


def forget_abandoned(folder, name):
    """Remove the packs that builds began beside ``name`` in ``folder`` (the caller has
    made sure it is a folder, not a link) and never put in place (a build stopped while
    writing): those begun more than an hour ago."""
    oldest = time.time() - _ABANDONED
    try:
        found = [entry for entry in os.scandir(folder) if entry.name.startswith(f".{name}.")]
    except OSError:
        return
    for entry in found:
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and info.st_mtime < oldest:
                os.unlink(entry.path)
        except OSError:
            continue


def _open_regular(path):
    source = os.fdopen(os.open(path, _FLAGS), "rb")
    if not stat.S_ISREG(os.fstat(source.fileno()).st_mode):
        source.close()
        raise OSError(f"{path} is not a regular file")
    return source


def _index(source):
    """``{name: [place, length, used, SHA-256]}`` of the pack open in ``source``."""
    size = os.fstat(source.fileno()).st_size
    if size < _TRAILER:
        raise ValueError("not a pack")
    trailer = os.pread(source.fileno(), _TRAILER, size - _TRAILER)
    if not trailer.endswith(MARK) or not trailer[:16].isdigit():
        raise ValueError("not a pack")
    start = int(trailer[:16])
    end = size - _TRAILER
    if start > end:
        raise ValueError("not a pack")
    index = json.loads(os.pread(source.fileno(), end - start, start))
    if not isinstance(index, dict) or not all(map(_valid_place, index.values())):
        raise ValueError("not a pack")
    for place in index.values():
        if place[0] + place[1] > start:
            raise ValueError("an entry outside the pack")
    return index


def _valid_place(place):
    return (
        isinstance(place, list)
        and len(place) == 4
        and all(type(number) is int and number >= 0 for number in place[:3])
        and isinstance(place[3], str)
    )

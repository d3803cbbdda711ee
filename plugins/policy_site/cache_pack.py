"""The cache's entries of one fingerprint (texts and redlines) in one file, a pack: the
entries' bytes one after another, then an index (JSON: each entry's name, place and
length), then the index's place and a mark. One file, not one per entry: a first build
creates one file where it would create a thousand and their folders, and a rebuild
opens one. A pack is written beside its place and put there whole, never through a
link; one that does not read as a pack holds nothing.
"""

import contextlib
import json
import logging
import os
import secrets
import stat
import time

logger = logging.getLogger(__name__)

MARK = b"policy-site pack 1\n"
_TRAILER = 16 + len(MARK)  # the index's place, in 16 decimal digits, then the mark
_ABANDONED = 3600  # seconds: a pack being written this long ago was left by a build that stopped


class Pack:
    """A pack as read: the bytes of an entry by its name. ``path`` None: an empty pack."""

    def __init__(self, path):
        self.index = {}
        self._file = None
        if path is None:  # the cache's folder is not its own
            return
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        except OSError:  # none yet, or a link
            return
        self._file = os.fdopen(descriptor, "rb")
        try:
            self.index = _index(self._file)
        except (OSError, ValueError) as error:
            logger.debug("The cache's pack %s is not read: %s", path, error)

    def get(self, name):
        place = self.index.get(name)
        if place is None:
            return None
        try:
            data = os.pread(self._file.fileno(), place[1], place[0])
        except OSError:
            return None
        return data if len(data) == place[1] else None

    def close(self):
        if self._file is not None:
            self._file.close()


class NewPack:
    """The pack a build writes: the entries it made, as they are made (on disk, not in
    memory), then, when it is saved, those it kept from the pack before. ``path`` None:
    nothing is written."""

    def __init__(self, path):
        self.path = path
        self.index = {}
        self._file = None
        self._staged = None
        self._size = 0
        self._failed = path is None

    def add(self, name, data):
        if self._failed:
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
        self.index[name] = [self._size, len(data)]
        self._size += len(data)

    def get(self, name):
        place = self.index.get(name)
        if place is None or self._failed:
            return None
        self._file.flush()
        return os.pread(self._file.fileno(), place[1], place[0])

    def save(self, before, kept):
        """Put the pack in its place, with the entries named ``kept`` of the pack
        ``before`` that this build did not make again; nothing where it made none."""
        if self._file is None or self._failed:
            return
        for name in sorted(set(kept) - self.index.keys()):
            data = before.get(name)
            if data is not None:
                self.add(name, data)
        if self._failed:
            return
        try:
            index = json.dumps(self.index, sort_keys=True).encode("utf-8")
            self._file.write(index + b"%016d" % self._size + MARK)
            self._file.close()
            os.replace(self._staged, self.path)
        except OSError as error:
            self._fail(error)
            return
        self._file = None

    def discard(self):
        """Write nothing: the pack before stays."""
        self._fail(None)

    def _fail(self, error):
        if error is not None:
            logger.debug("Cannot write the cache's pack %s: %s", self.path, error)
        self._failed = True
        if self._file is None:
            return
        self._file.close()
        with contextlib.suppress(OSError):
            os.unlink(self._staged)


def forget_abandoned(folder, name):
    """Remove the packs that builds began beside ``name`` in ``folder`` and never put in
    place (a build stopped while writing): those begun more than an hour ago."""
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


def _index(source):
    """``{name: [place, length]}`` of the pack open in ``source``."""
    info = os.fstat(source.fileno())
    if not stat.S_ISREG(info.st_mode) or info.st_size < _TRAILER:
        raise ValueError("not a pack")
    trailer = os.pread(source.fileno(), _TRAILER, info.st_size - _TRAILER)
    if not trailer.endswith(MARK) or not trailer[:16].isdigit():
        raise ValueError("not a pack")
    start = int(trailer[:16])
    end = info.st_size - _TRAILER
    if start > end:
        raise ValueError("not a pack")
    index = json.loads(os.pread(source.fileno(), end - start, start))
    if not isinstance(index, dict):
        raise ValueError("not a pack")
    for place in index.values():
        if not (
            isinstance(place, list)
            and len(place) == 2
            and all(type(number) is int for number in place)
            and min(place) >= 0
            and place[0] + place[1] <= start
        ):
            raise ValueError("not a pack")
    return index

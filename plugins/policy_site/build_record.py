"""What a build read, recorded as it reads it, so that the next ``invoke build`` or
``invoke check`` can tell, before it imports Pelican, that nothing it would read has
changed and that the output is as the build left it (``up_to_date``).

While a build runs, a ``Reading`` notes every file it opens or looks at (``os.stat``,
``os.lstat``, ``os.access``), every folder it lists (and those on Python's path), every
git command it runs with a digest of git's answer, and the day it took as today; when
it ends, the Python modules that ran and the files mapped into the process (Python and
the shared libraries), and, while the build still holds the output's lock, each file of
the output as it left it. Files are compared by mode, inode, size and the times of their
last change (ctime cannot be set back); a file changed after the build's process
started, or during the build, leaves no record, as does a build that ran any program but
git (the PDFs' workers and WeasyPrint's library search too), opened a network connection
or used no cache. Only what a build writes is left out: its output, staging and cache
folders and Python's compiled modules (their sources are compared).
"""

import contextlib
import hashlib
import json
import logging
import os
import stat
import sys
import threading
import time

FORMAT = 2
RECORD = "last-build.json"  # in the cache's folder of the plugin: of ``invoke build``
CHECK_RECORD = "last-check.json"  # and of ``invoke check``
_MARGIN_NS = 1_000_000_000  # a file's times are coarse: one changed this close is new
_OTHER_PROGRAMS = frozenset(
    {
        "subprocess.Popen",
        "os.system",
        "os.exec",
        "os.posix_spawn",
        "os.spawn",
        "os.fork",
        "os.forkpty",
        "socket.connect",
        "socket.getaddrinfo",
        "urllib.Request",
    }
)
_WATCHED = frozenset({"open", "os.listdir", "os.scandir", "os.chdir", *_OTHER_PROGRAMS})
_LOOKS = ("stat", "lstat", "access")  # the os functions that look at a path for a Reading

logger = logging.getLogger(__name__)
_reading = None  # the Reading of the build running in this process, if any
_hooked = False
_stat, _lstat = os.stat, os.lstat  # as they are, not as a Reading has them
_busy = threading.local()  # a thread noting what it saw: what it looks at is not the build's


class Reading:
    """What one build read, as it reads it."""

    def __init__(self):
        self.files = {}  # path: its state when first seen
        self.listings = {}  # folder: its entries when first listed
        self.programs = []  # [folder, arguments, input, answer's digest]
        self.today = None  # [time zone, day]
        self.output = None  # [folder, the state of each of its files] as the build left it
        self.own = ()  # the folders the build writes
        self.places = ()  # and the folders it makes to hold one (the cache's)
        self.cached = False  # whether the build used its cache
        self.refused = None  # why the build cannot be vouched for
        self._in_git = False
        self._known = set()  # the paths seen, as given: each is noted once
        self._inside_own = ()  # each of ``own`` with a separator after it

    def owns(self, folders):
        """The build writes in ``folders`` (absolute) too."""
        self.own = (*self.own, *folders)
        self._inside_own = tuple(own + os.sep for own in self.own)

    def event(self, event, args):
        if not getattr(_busy, "now", False):
            with _noting:
                self._event(event, args)

    def _event(self, event, args):
        if event == "open" and not isinstance(args[0], int):
            self.saw(args[0])
        elif event in ("os.listdir", "os.scandir") and not isinstance(args[0], int):
            self.listed(os.curdir if args[0] is None else args[0])
        elif event in _OTHER_PROGRAMS and not self._in_git:
            self.refused = self.refused or f"another program or the network ({event})"
        elif event == "os.chdir":  # a relative path names another file now
            self._known.clear()

    def saw(self, path):
        if isinstance(path, str):
            if path in self._known:
                return
            self._known.add(path)
        path = self._path(path)
        if path and path not in self.files:
            self.files[path] = state(path)

    def listed(self, folder):
        folder = self._path(folder)
        if folder and folder not in self.listings:
            self.listings[folder] = entries(folder)

    def looked_at(self, path):
        """``os.stat``, ``os.lstat`` or ``os.access`` looks at ``path``."""
        if path in self._known or getattr(_busy, "now", False):
            return  # (a path's hash is its text's: cheap, and it is seen once)
        with _noting:
            self.saw(path)

    def _path(self, path):
        if isinstance(path, str) and path.startswith(self._inside_own) and _plain(path):
            return None  # a file the build writes (most paths it looks at): no abspath
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if path.startswith(("/proc/", "/sys/")) or path.endswith(".pyc") or path in self.places:
            return None
        if path.startswith("/dev/") and not path.startswith("/dev/shm/"):
            return None  # devices, whose times say nothing
        if any(path == own or path.startswith(own + os.sep) for own in self.own):
            return None
        return path

    @contextlib.contextmanager
    def git(self):
        self._in_git = True
        try:
            yield
        finally:
            self._in_git = False

    def ended(self, started_ns):
        """The record of the build, or None with the reason in ``refused``."""
        with _noting:
            # what it saw before it knew them for its own folders
            self.files = {path: seen for path, seen in self.files.items() if self._path(path)}
            self.listings = {path: seen for path, seen in self.listings.items() if self._path(path)}
            for module in list(sys.modules.values()):
                path = getattr(module, "__file__", None)
                if isinstance(path, str):
                    self.saw(path)
            for path in _mapped():
                self.saw(path)
            self.refused = self.refused or self._unsure(started_ns)
            if self.refused:
                return None
            own = self.own + self.places
            listings = {path: names_digest(path, seen, own) for path, seen in self.listings.items()}
        return {
            "format": FORMAT,
            "files": self.files,
            "listings": listings,
            "programs": self.programs,
            "today": self.today,
            "output": self.output,
        }

    def _unsure(self, started_ns):
        """Why the build cannot be vouched for, or None: a path changed since the build's
        process started or since the build saw it, and the like."""
        if started_ns is None:
            return "the time the build started is unknown"
        if not self.cached:
            return "no cache"
        if self.output is None:
            return "no output"
        for path, seen in self.files.items():
            if state(path) != seen or _new(seen, started_ns):
                return f"{path} changed"
        own = self.own + self.places
        for path, seen in self.listings.items():
            if names_digest(path, entries(path), own) != names_digest(path, seen, own):
                return f"{path} changed"
        return None


def _plain(path):
    """Whether ``path`` (absolute, or it does not start with an own folder) names what
    it reads: no ``.``, ``..`` or empty step that ``abspath`` would take out."""
    return "/." not in path and "//" not in path


class _Noting:
    """``with _noting:`` the Reading notes what it saw: what that looks at is not the
    build's (a class, not a generator: it is entered on every path a build looks at)."""

    def __enter__(self):
        _busy.now = True

    def __exit__(self, *_exception):
        _busy.now = False


_noting = _Noting()


def _mapped():
    """The files mapped into this process (Linux): Python itself and every shared library,
    those of the system too."""
    try:
        with open("/proc/self/maps", encoding="utf-8", errors="surrogateescape") as maps:
            lines = maps.read().splitlines()
    except OSError:
        return set()
    fields = (line.split(maxsplit=5) for line in lines)
    return {parts[5] for parts in fields if len(parts) == 6 and parts[5].startswith("/")}


def _hook(event, args):
    reading = _reading
    if reading is not None and event in _WATCHED:
        reading.event(event, args)


@contextlib.contextmanager
def reading():
    """A Reading of the build run in the block (the one begun already, in a block inside
    another); ``os.stat``, ``os.lstat`` and ``os.access`` report the paths they look at
    to it, and the folders on Python's path are listed, as imports find modules there."""
    global _reading, _hooked
    if _reading is not None:
        yield _reading
        return
    if not _hooked:
        sys.addaudithook(_hook)  # cannot be removed: it does nothing outside a reading
        _hooked = True
    real = {name: getattr(os, name) for name in _LOOKS}
    _reading = Reading()
    with _noting:
        for folder in sys.path:
            if os.path.isdir(folder or os.curdir):
                _reading.listed(folder or os.curdir)
    for name, look in real.items():
        setattr(os, name, _looking(look))
    try:
        yield _reading
    finally:
        for name, look in real.items():
            setattr(os, name, look)
        _reading = None


def _looking(look):
    def looked_at(*args, **options):
        reading, path = _reading, args[0] if args else options.get("path")
        if reading is not None and options.get("dir_fd") is None and not isinstance(path, int):
            reading.looked_at(path)
        return look(*args, **options)

    return looked_at


def own_folders(*paths):
    """The build writes in ``paths``: what is in them is not what it read."""
    if _reading is not None:
        _reading.owns([os.path.abspath(path) for path in paths])


def cache_used(folder):
    """The build reads and writes its cache in ``folder`` (``CACHE_PATH``/policy_site),
    making ``CACHE_PATH`` where it is not yet."""
    if _reading is not None:
        own_folders(folder)
        _reading.places = (*_reading.places, os.path.dirname(os.path.abspath(folder)))
        _reading.cached = True


def output_left(folder):
    """The build has put its site in ``folder`` and still holds its lock: no other build
    can have changed it."""
    if _reading is not None:
        with _noting:
            _reading.output = [os.path.abspath(folder), output_state(folder)]


@contextlib.contextmanager
def git_command(root, args, stdin):
    """git runs in the block: its answer (``answered(result)``) is part of the record."""
    reading = _reading
    if reading is None:
        yield lambda _result: None
        return
    with reading.git():
        yield lambda result: reading.programs.append(
            [os.path.abspath(root), list(args), _text(stdin), answer(result)]
        )


def today(zone, day):
    if _reading is not None:
        _reading.today = [zone, day.isoformat()]


def invocation(*values):
    """What a record is for: the command and its arguments, the folder it runs in, the
    Python that runs it, the umask its files are made with, and the whole environment (a
    digest; but ``$_`` and ``$OLDPWD``, which the shell keeps for itself)."""
    mask = os.umask(0o022)
    os.umask(mask)
    kept = {name: value for name, value in os.environ.items() if name not in ("_", "OLDPWD")}
    environment = json.dumps(sorted(kept.items())).encode("utf-8", "surrogateescape")
    return [*values, os.getcwd(), sys.executable, mask, digest(environment)]


def write(path, record):
    """Write ``record`` at ``path`` whole, or leave none there where it cannot be written
    (the site is built all the same)."""
    temporary = f"{path}.{os.getpid()}"
    try:
        with open(temporary, "w", encoding="utf-8") as target:
            target.write(json.dumps(record))  # whole: the C encoder, not the streaming one
        os.replace(temporary, path)
    except (OSError, ValueError) as error:
        logger.debug("No record of this build in %s: %s", path, error)
        forget(temporary)
        forget(path)


def forget(path):
    with contextlib.suppress(OSError):
        os.remove(path)


def state(path):
    """A path's mode and, but for a folder, its inode, size and times: None where
    nothing is."""
    try:
        here = _lstat(path)
        info = _stat(path) if stat.S_ISLNK(here.st_mode) else here
    except (OSError, ValueError):
        return None
    if stat.S_ISDIR(info.st_mode):
        return [here.st_mode, info.st_mode]
    return [
        here.st_mode,
        info.st_mode,
        info.st_ino,
        info.st_size,
        info.st_mtime_ns,
        info.st_ctime_ns,
    ]


def _new(seen, started_ns):
    return seen is not None and len(seen) > 2 and max(seen[4:]) >= started_ns - _MARGIN_NS


def entries(folder):
    """The names in ``folder`` with the kind of each (a folder, a link, else a file), or
    None."""
    try:
        with os.scandir(folder) as found:
            return sorted(
                f"{entry.name}/{int(entry.is_dir(follow_symlinks=False))}{int(entry.is_symlink())}"
                for entry in found
            )
    except (OSError, ValueError):
        return None


def names_digest(folder, listed, own):
    """A digest of ``listed`` (``entries(folder)``), the build's ``own`` folders left out."""
    if listed is None:
        return None
    kept = [entry for entry in listed if os.path.join(folder, entry.rpartition("/")[0]) not in own]
    return digest("\0".join(kept).encode("utf-8", "surrogateescape"))


def output_state(folder):
    """Each file and folder below ``folder`` with its state, by path; None where there is
    no folder to read."""
    found, folders = {}, [(folder, "")]
    try:
        while folders:
            path, prefix = folders.pop()
            with os.scandir(path) as listed:
                for entry in listed:
                    name = prefix + entry.name
                    found[name] = state(entry.path)
                    if entry.is_dir(follow_symlinks=False):
                        folders.append((entry.path, f"{name}/"))
    except (OSError, ValueError):
        return None
    return found


def answer(result):
    if result is None:
        return None
    return [result.returncode, digest(result.stdout)]


def _text(data):
    return None if data is None else data.decode("latin-1")


def digest(data):
    return hashlib.sha256(data).hexdigest()


def process_start_ns():
    """When this process started, to a clock tick (Linux: its start after the boot, and
    when the boot was), or None where that cannot be read."""
    try:
        with open("/proc/self/stat", "rb") as source:
            ticks = int(source.read().rpartition(b")")[2].split()[19])
        boot = time.time_ns() - time.clock_gettime_ns(time.CLOCK_BOOTTIME)
        return boot + ticks * 1_000_000_000 // os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return None

"""What a build read, so that the next ``invoke build`` can tell, before it imports
Pelican, that nothing it would read has changed and that the output is as the build left
it: then it has nothing to do.

While a build runs, a ``Reading`` notes every file it opens or looks at (``os.stat``),
every folder it lists, every git command it runs with a digest of git's answer, and the
day it took as today; when it ends, the Python modules that ran and the files mapped
into the process (Python and the shared libraries), the environment, and each file of
the output as the build left it. ``unchanged()`` looks at all of them again
(git's commands run again) and finds them the same, or the build runs. Files are
compared by kind, inode, size and the times of their last change (ctime cannot be set
back); a file changed after the build's process started, or during the build, leaves no
record, as does a build that ran any program but git, opened a network connection or
used no cache. Only what a build writes is left out: its output, staging and cache
folders and Python's compiled modules (their sources are compared).
"""

import contextlib
import hashlib
import json
import os
import stat
import subprocess
import sys
import threading
import time
import unicodedata

FORMAT = 1
RECORD = "last-build.json"  # in the cache's folder of the plugin: of ``invoke build``
CHECK_RECORD = "last-check.json"  # and of ``invoke check``
_MARGIN_NS = 1_000_000_000  # a file's times are coarse: one changed this close is new
_LARGEST = 64 * 1024 * 1024
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
_SYSTEM = ("/proc/", "/dev/", "/sys/")

_reading = None  # the Reading of the build running in this process, if any
_hooked = False
_stat, _lstat = os.stat, os.lstat  # as they are, not as a Reading has them
_busy = threading.local()  # a thread noting what it saw: what it looks at is not the build's


class Reading:
    """What one build read, as it reads it."""

    def __init__(self):
        self.files = {}  # path: its state when first seen
        self.listings = {}  # folder: its names when first listed
        self.programs = []  # [folder, arguments, input, answer's digest]
        self.today = None  # [time zone, day]
        self.own = ()  # the folders the build writes
        self.places = ()  # and the folders it makes to hold one (the cache's)
        self.cached = False  # whether the build used its cache
        self.refused = None  # why the build cannot be vouched for
        self._in_git = False

    def event(self, event, args):
        if getattr(_busy, "now", False):
            return
        _busy.now = True
        try:
            self._event(event, args)
        finally:
            _busy.now = False

    def _event(self, event, args):
        if event == "open" and not isinstance(args[0], int):
            self.saw(args[0])
        elif event in ("os.listdir", "os.scandir") and not isinstance(args[0], int):
            path = self._path(os.curdir if args[0] is None else args[0])
            if path and path not in self.listings:
                self.listings[path] = _listed(path)
        elif event in _OTHER_PROGRAMS and not self._in_git:
            self.refused = self.refused or event

    def saw(self, path):
        path = self._path(path)
        if path and path not in self.files:
            self.files[path] = _state(path)

    def looked_at(self, path):
        """``os.stat`` or ``os.lstat`` looks at ``path``."""
        if not getattr(_busy, "now", False):
            _busy.now = True
            try:
                self.saw(path)
            finally:
                _busy.now = False

    def _path(self, path):
        try:
            path = os.path.abspath(os.fsdecode(path))
        except (TypeError, ValueError):
            return None
        if path.startswith(_SYSTEM) or path.endswith(".pyc") or path in self.places:
            return None
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

    def ended(self, output, started_ns):
        """The record of the build, or None with the reason in ``refused``."""
        _busy.now = True
        try:
            return self._ended(output, started_ns)
        finally:
            _busy.now = False

    def _ended(self, output, started_ns):
        # what it saw before it knew them for its own folders
        self.files = {path: state for path, state in self.files.items() if self._path(path)}
        self.listings = {path: names for path, names in self.listings.items() if self._path(path)}
        for module in list(sys.modules.values()):
            path = getattr(module, "__file__", None)
            if isinstance(path, str):
                self.saw(path)
        for path in _mapped():
            self.saw(path)
        if started_ns is None:
            self.refused = self.refused or "the time the build started is unknown"
        elif not self.cached:
            self.refused = self.refused or "no cache"
        else:
            self.refused = self.refused or self._changed(started_ns)
        if self.refused:
            return None
        return {
            "format": FORMAT,
            "files": self.files,
            "listings": {
                path: _names_digest(path, names, self.own + self.places)
                for path, names in self.listings.items()
            },
            "programs": self.programs,
            "today": self.today,
            "output": [output, _output(output)],
        }

    def _changed(self, started_ns):
        """The first path changed since the build's process started or since the build
        saw it, or None."""
        for path, seen in self.files.items():
            if _state(path) != seen or _new(seen, started_ns):
                return f"{path} changed"
        own = self.own + self.places
        for path, names in self.listings.items():
            if _names_digest(path, _listed(path), own) != _names_digest(path, names, own):
                return f"{path} changed"
        return None


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
    if reading is not None:
        reading.event(event, args)


@contextlib.contextmanager
def reading():
    """A Reading of the build run in the block; ``os.stat`` and ``os.lstat`` report the
    paths they look at to it."""
    global _reading, _hooked
    if not _hooked:
        sys.addaudithook(_hook)  # cannot be removed: it does nothing outside a reading
        _hooked = True
    real = os.stat, os.lstat
    _reading = Reading()
    os.stat, os.lstat = _looking(real[0]), _looking(real[1])
    try:
        yield _reading
    finally:
        os.stat, os.lstat = real
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
        _reading.own = (*_reading.own, *(os.path.abspath(path) for path in paths))


def cache_used(folder):
    """The build reads and writes its cache in ``folder`` (``CACHE_PATH``/policy_site),
    making ``CACHE_PATH`` where it is not yet."""
    if _reading is not None:
        own_folders(folder)
        _reading.places = (*_reading.places, os.path.dirname(os.path.abspath(folder)))
        _reading.cached = True


@contextlib.contextmanager
def git_command(root, args, stdin):
    """git runs in the block: its answer (``answered(result)``) is part of the record."""
    reading = _reading
    if reading is None:
        yield lambda _result: None
        return
    with reading.git():
        yield lambda result: reading.programs.append(
            [os.path.abspath(root), list(args), _text(stdin), _answer(result)]
        )


def today(zone, day):
    if _reading is not None:
        _reading.today = [zone, day.isoformat()]


def invocation(*values):
    """What a record is for: the command and its arguments, the folder it runs in, the
    Python that runs it and the whole environment (a digest; but ``$_``, which the shell
    sets to the path of the command as typed)."""
    environment = json.dumps(sorted(os.environ.items() - {("_", os.environ.get("_"))}))
    return [*values, os.getcwd(), sys.executable, _digest(environment.encode())]


def write(path, record, said):
    """Write ``record`` of a build with ``invocation`` that ``said`` these messages."""
    temporary = f"{path}.{os.getpid()}"
    with open(temporary, "w", encoding="utf-8") as target:
        json.dump({**record, "messages": said}, target)
    os.replace(temporary, path)


def add_printed(path, text):
    """The record at ``path`` also holds what the command printed after the build."""
    record = _read(path)
    if isinstance(record, dict):
        write(path, {**record, "printed": text}, record.get("messages", []))


def say_again(said):
    """Say what ``unchanged()`` found the last build said: its messages, and what the
    command printed after it."""
    for level, text in said:
        if level:
            print(f"{level:<8} {text}", file=sys.stderr)
        else:
            print(text, end="", flush=True)


def forget(path):
    with contextlib.suppress(OSError):
        os.remove(path)


def unchanged(path, key):
    """The messages the last build said, if the record at ``path`` is of a build with
    ``key`` (``invocation()``) and nothing it read, nor its output, has changed since;
    else None."""
    record = _read(path)
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    try:
        if difference(record, key, path):
            return None
        return _said(record["messages"]) + [["", _printable(record.get("printed", ""), "\n")]]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # not our record
        return None


def difference(record, key, path):
    """The first thing found changed since ``record`` (read from ``path``) was made, or
    None."""
    if record["invocation"] != key:
        return "the command, its folder, Python or the environment"
    zone_day = record["today"]
    if zone_day and _today(zone_day[0]) != zone_day[1]:
        return "the day"
    cache = os.path.dirname(os.path.abspath(path))
    own = (os.path.abspath(record["output"][0]), cache, os.path.dirname(cache))
    files, listings = record["files"].items(), record["listings"].items()
    output = record["output"][0]
    return (
        next((file for file, state in files if _state(file) != state), None)
        or next((folder for folder, names in listings if _names(folder, own) != names), None)
        or _program_changed(record["programs"])
        or (output if _output(output) != record["output"][1] else None)
    )


def _program_changed(programs):
    """The first git command whose answer changed. Only git's reading commands run
    again, and only in the folder the task runs in, a folder in it or one holding it
    (where the build ran them): a record is data, never a program."""
    from .git_history import named_by_content, reads_only

    here, answers = os.getcwd(), {}
    for root, args, stdin, answer in programs:
        if not reads_only(args) or os.path.commonpath([root, here]) not in (root, here):
            return f"{args!r} in {root!r}"
        if named_by_content(args):  # git's objects are named by their bytes
            continue
        asked = json.dumps([root, args, stdin])
        if asked not in answers:
            answers[asked] = _answer(_run(root, args, stdin))
        if answers[asked] != answer:
            return " ".join(args)
    return None


def _said(messages):
    """The messages as ``[level, text]``, each control character escaped: what the build
    said is said again as text, never as a terminal's command."""
    return [[_printable(level), _printable(text)] for level, text in messages]


def _printable(text, keep=""):
    return "".join(
        f"\\x{ord(character):02x}"
        if unicodedata.category(character) == "Cc" and character not in keep
        else character
        for character in str(text)
    )


def _read(path):
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    with os.fdopen(descriptor, "rb") as source:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        data = source.read(_LARGEST + 1)
    try:
        return json.loads(data) if len(data) <= _LARGEST else None
    except (ValueError, RecursionError):
        return None


def _state(path):
    """A path's kind and, for a file, its inode, size and times: None where nothing is."""
    try:
        here = _lstat(path)
        info = _stat(path) if stat.S_ISLNK(here.st_mode) else here
    except (OSError, ValueError):
        return None
    kind = [stat.S_IFMT(here.st_mode), stat.S_IFMT(info.st_mode)]
    if stat.S_ISDIR(info.st_mode):
        return kind
    return [*kind, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]


def _new(state, started_ns):
    return state is not None and len(state) > 2 and max(state[4:]) >= started_ns - _MARGIN_NS


def _names(folder, own):
    """A digest of the names in ``folder``, the build's own folders left out."""
    return _names_digest(folder, _listed(folder), own)


def _listed(folder):
    try:
        return sorted(os.listdir(folder))
    except (OSError, ValueError):
        return None


def _names_digest(folder, names, own):
    if names is None:
        return None
    names = [name for name in names if os.path.join(folder, name) not in own]
    return _digest("\0".join(names).encode("utf-8", "surrogateescape"))


def _output(folder):
    """Each file and folder of the output with its state, by path; None where there is
    no folder to read."""
    found = {}

    def walk(path, prefix):
        with os.scandir(path) as entries:
            for entry in entries:
                name = prefix + entry.name
                found[name] = _state(entry.path)
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{name}/")

    try:
        walk(folder, "")
    except OSError:
        return None
    return found


def _run(root, args, stdin):
    try:
        return subprocess.run(
            args,
            cwd=root,
            input=None if stdin is None else stdin.encode("latin-1"),
            capture_output=True,
            check=False,
            timeout=600,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _answer(result):
    if result is None:
        return None
    return [result.returncode, _digest(result.stdout)]


def _text(data):
    return None if data is None else data.decode("latin-1")


def _digest(data):
    return hashlib.sha256(data).hexdigest()


def _today(zone):
    import datetime
    import zoneinfo

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    try:
        place = zoneinfo.ZoneInfo(zone)
        if epoch:
            return datetime.datetime.fromtimestamp(int(epoch), place).date().isoformat()
        return datetime.datetime.now(place).date().isoformat()
    except (ValueError, OverflowError, OSError, zoneinfo.ZoneInfoNotFoundError):
        return None


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

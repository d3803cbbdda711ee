"""Whether the record a build left (``build_record``) still holds: the command, its
folder, Python, the umask and the environment are the same, today is the day the build
took, every file and folder it read is as it saw it, git's reading commands answer the
same, and the output is as it left it. Then ``invoke build`` has nothing to build and
``invoke check`` nothing to check, and each says again what the build said.

A record is data, never a program: only git's reading commands run again (git found on
the absolute folders of ``PATH``), only in the folder the task runs in, a folder in it
or one holding it (links resolved), at most ``_PROGRAMS`` of them. Whatever a record
holds, a record that is not one means a build, never a traceback or a wait.
"""

import json
import os
import stat
import subprocess
import sys
import unicodedata

from . import build_record
from .build_record import FORMAT, answer, entries, names_digest, output_state, state

_LARGEST = 8 * 1024 * 1024  # bytes of a record; one of 6000 pages is under 2 MB
_PROGRAMS = 100  # git commands a record may name; a build runs about ten
_TIMEOUT = 120  # seconds for one


def unchanged(path, key):
    """What the last build said (``[level, text]``, then ``["", what the command
    printed]``), if the record at ``path`` is of a build with ``key``
    (``build_record.invocation()``) and nothing it read, nor its output, has changed
    since; else None."""
    record = _read(path)
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    try:
        if difference(record, key, path):
            return None
        said = [[_printable(level), _printable(text)] for level, text in record["messages"]]
        return [*said, ["", _printable(record.get("printed", ""), "\n")]]
    except (KeyError, TypeError, ValueError, IndexError, AttributeError):  # not our record
        return None


def difference(record, key, path):
    """The first thing found changed since ``record`` (read from ``path``) was made, or
    None."""
    if record["invocation"] != key:
        return "the command, its folder, Python, the umask or the environment"
    zone_day = record["today"]
    if zone_day and _today(zone_day[0]) != zone_day[1]:
        return "the day"
    cache = os.path.dirname(os.path.abspath(path))
    output, left = record["output"]
    own = (os.path.abspath(output), cache, os.path.dirname(cache))
    files, listings = record["files"].items(), record["listings"].items()
    return (
        next((file for file, seen in files if state(file) != seen), None)
        or next(
            (
                folder
                for folder, seen in listings
                if names_digest(folder, entries(folder), own) != seen
            ),
            None,
        )
        or _program_changed(record["programs"])
        or (output if output_state(output) != left else None)
    )


def _program_changed(programs):
    """The first git command whose answer changed, or one a build does not run."""
    from .git_history import reads_only

    if len(programs) > _PROGRAMS:
        return f"{len(programs)} programs"
    here, answers, git = os.path.realpath(os.getcwd()), {}, _git()
    for root, args, stdin, said in programs:
        real = os.path.realpath(root)
        if not reads_only(args) or os.path.commonpath([real, here]) not in (real, here):
            return f"{args!r} in {root!r}"
        asked = json.dumps([real, args, stdin])
        if asked not in answers:
            answers[asked] = answer(_run(real, [git, *args[1:]], stdin)) if git else None
        if answers[asked] != said:
            return " ".join(args)
    return None


def _git():
    """git, from the absolute folders of ``PATH`` (never one relative to the folder it
    would run in), or None."""
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        program = os.path.join(folder, "git")
        if os.path.isabs(folder) and os.path.isfile(program) and os.access(program, os.X_OK):
            return program
    return None


def _run(root, args, stdin):
    try:
        return subprocess.run(
            args,
            cwd=root,
            input=None if stdin is None else stdin.encode("latin-1"),
            capture_output=True,
            check=False,
            timeout=_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None


def say_again(said):
    """Say what ``unchanged()`` found the last build said: its messages, and what the
    command printed after it."""
    for level, text in said:
        if level:
            print(f"{level:<8} {text}", file=sys.stderr)
        else:
            print(text, end="", flush=True)


def add_printed(path, text):
    """The record at ``path`` also holds what the command printed after the build."""
    record = _read(path)
    if isinstance(record, dict):
        build_record.write(path, {**record, "printed": text})


def _printable(text, keep=""):
    """``text`` with each control character (but those in ``keep``) and each lone
    surrogate escaped: what a record says is said again as text, never as a terminal's
    command."""
    return "".join(
        f"\\x{ord(character):02x}"
        if unicodedata.category(character) in ("Cc", "Cs") and character not in keep
        else character
        for character in str(text)
    )


def _read(path):
    """The record at ``path``, if it is a regular file of JSON of a sensible size; else
    None (a folder, a pipe, a link, too large, not JSON)."""
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return None
        data = b""
        while len(data) <= _LARGEST and (piece := os.read(descriptor, _LARGEST + 1 - len(data))):
            data += piece
        return json.loads(data) if len(data) <= _LARGEST else None
    except (OSError, ValueError, RecursionError, MemoryError):
        return None
    finally:
        os.close(descriptor)


def _today(zone):
    """Today as a build in ``zone`` takes it (``SOURCE_DATE_EPOCH`` where set), or None."""
    from .clock import Moment
    from .errors import SiteError

    try:
        return Moment(zone).today.isoformat()
    except (SiteError, ValueError, KeyError, OSError, TypeError):  # KeyError: no such zone
        return None

"""An on-disk cache of what depends only on its inputs: a text's rendering, the redline of
a pair of texts, a PDF. Entries are named by the SHA-256 of their inputs, each named
explicitly by its caller (a text by its bytes and language, a redline by its two texts
and labels), and kept in one pack (``cache_pack``) in a folder named by a fingerprint of
everything else: the plugin's code, every file of the theme, the catalogs, every
setting of the build and the versions of the libraries. A build that made entries
writes a new pack: those it made, and those of the pack before that builds used in the
last 30 days (a build that stopped at a problem writes its pack too). PDFs are kept
beside those folders, shared by them: a PDF's key is a digest of all it depends on (its
HTML, the PDF code, fonts and stylesheet, the versions of WeasyPrint and its libraries,
``pdf``); one unused for 30 days is removed.
Pages are not kept here: a record names each page's key and the digest of its HTML, and
a page whose key did not change is taken from the output the build before left
(``page_reuse``); a page whose bytes did not change is kept as it was
(``atomic_output``). A missing, stale or unreadable entry is computed again; a build
with the cache writes the same bytes as a build without.
Jinja's compiled templates are kept in memory only, for the builds of one process.

The cache is never read by a publishing build, nor when git tracks the cache folder
(an entry would go into pages unchecked), nor through a symbolic link.
"""

import dataclasses
import datetime
import functools
import hashlib
import json
import logging
import marshal
import os
import re
import secrets
import shutil
import stat
import sys
import time
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

import jinja2

from . import build_record, git_history
from .cache_pack import NewPack, Pack, forget_abandoned, read_file
from .messages import _
from .redline import Redline
from .rendered_text import RenderedText, Section

logger = logging.getLogger(__name__)

PACKAGES = (
    "pelican",
    "markdown",
    "pymdown-extensions",
    "cmarkgfm",
    "html5lib",
    "nh3",
    "lxml",
    "phonenumbers",
    "email-validator",
    "Jinja2",
    "babel",
    "weasyprint",
    "pydyf",
    "fonttools",
    "tinycss2",
    "cssselect2",
    "pillow",
)
CODE = Path(__file__).resolve().parent
# settings that say where a build writes, not what: a build into another folder, or with
# its cache elsewhere, reuses the same entries
_PLACES = frozenset({"OUTPUT_PATH", "CACHE_PATH"})


class Cache:
    """Rendered texts and redlines, for one build."""

    keeps_records = True  # of the pages, for the next build

    def __init__(self, folder, fingerprint, current=None):
        self.fingerprint = fingerprint
        self._current = current  # -> the fingerprint now
        self._as_begun = None  # whether it still is, once looked at (``_unchanged``)
        self.root = Path(folder)
        self.folder = self.root / fingerprint
        self.pdfs = self.root / PDFS
        self.hits = self.misses = 0
        self._folders = set()  # the cache's folders found to be folders, not links
        _forget_others(self.folder)
        _forget_unused(self.pdfs)
        pack = self.folder / PACK
        try:
            self._refuse_links(pack)
            forget_abandoned(self.folder, PACK)
        except OSError as error:
            logger.debug("Not using the cache's pack %s: %s", pack, error)
            pack = None
        self._before = Pack(pack)
        self._made = NewPack(pack)
        self._used = set()  # the names of the entries this build used

    def rendered(self, key_parts, compute):
        """The RenderedText of a text (``key_parts``: its SHA-256 and language): from the
        cache, else ``compute()`` (which returns it, or None when the text has problems)."""
        return self._entry("text", _key(key_parts), compute, _text_to_json, _text_from_json)

    def redline(self, key_parts, compute):
        """A Redline; ``key_parts``: the digests of both texts and every label and option."""
        return self._entry(
            "redline", _key(key_parts), compute, _redline_to_json, _redline_from_json
        )

    def pdf(self, key):
        """The bytes of the PDF with ``key``, or None."""
        path = self.pdfs / key[:2] / f"{key}.pdf"
        try:
            self._refuse_links(path)
            data = read_file(path)
            os.utime(path, follow_symlinks=False)  # used now
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def store_pdf(self, key, data):
        self._write(self.pdfs / key[:2] / f"{key}.pdf", data)

    def read_record(self, name):
        """The JSON data of the record ``name`` of this fingerprint (``write_record``
        writes it), or None."""
        path = self.folder / name
        try:
            self._refuse_links(path)
            return json.loads(read_file(path))
        except (OSError, ValueError, RecursionError):
            return None

    def save(self):
        """Write the entries this build made, if any, into a new pack, with those of the
        pack before that builds still use (``cache_pack``); once per build, however it
        ended (a build stopped at a problem made texts the build after the fix needs)."""
        if self._unchanged():
            self._made.save(self._before, self._used)
        else:
            self._made.discard()
        self._before.close()

    def write_record(self, name, data):
        if self._unchanged():
            self._write(self.folder / name, data)

    def _unchanged(self):
        """Whether the code, theme, catalogs and settings are as the build began: where
        one changed during the build (a template edited while the preview rebuilds), what
        the build made may not be what its fingerprint says, and it is not kept. Looked at
        once, at the first record or pack written: by then the build has made every page,
        text and redline it keeps; what is written later was made before."""
        if self._as_begun is None:
            try:
                self._as_begun = self._current is None or self._current() == self.fingerprint
            except OSError:  # a file of the theme went as it was read: it changed
                self._as_begun = False
        return self._as_begun

    def _refuse_links(self, path):
        """Raise OSError where ``path`` or a folder between it and the cache's own is a
        link or not what it should be: the cache is read and written only in itself. A
        folder found to be one, with all folders above it, is not looked at again."""
        if path.is_symlink():
            raise OSError(f"{path} is a link")
        found = []
        for step in path.parents[: len(path.relative_to(self.root).parts) - 1]:
            if step in self._folders:
                break
            try:
                mode = os.lstat(step).st_mode
            except FileNotFoundError:
                found.clear()  # made later, perhaps by another build: looked at again
                continue
            if not stat.S_ISDIR(mode):
                raise OSError(f"{step} is a link or not a folder")
            found.append(step)
        self._folders.update(found)

    def _write(self, path, data):
        try:
            self._refuse_links(path)
        except OSError as error:
            logger.debug("Not writing the cache entry %s: %s", path, error)
            return
        _write(path, data)

    def _entry(self, kind, key, compute, to_json, from_json):
        name = f"{kind}/{key}"
        data = self._made.get(name) or self._before.get(name)
        try:
            value = None if data is None else from_json(json.loads(data))
        except (ValueError, KeyError, TypeError, RecursionError):
            value = None
        if value is not None:
            self.hits += 1
            self._used.add(name)
            return value
        self.misses += 1
        value = compute()
        if value is not None:
            self._made.add(name, json.dumps(to_json(value), ensure_ascii=False).encode("utf-8"))
        return value


class NoCache:
    """Computes every time (publishing builds, tests)."""

    hits = misses = 0
    keeps_records = False

    def __init__(self, fingerprint):
        self.fingerprint = fingerprint

    def rendered(self, _key_parts, compute):
        return compute()

    def redline(self, _key_parts, compute):
        return compute()

    def pdf(self, _key):
        return None

    def store_pdf(self, _key, _data):
        pass

    def read_record(self, _name):
        return None

    def write_record(self, _name, _data):
        pass

    def save(self):
        pass


class _CompiledInProcess(jinja2.BytecodeCache):
    def __init__(self, store):
        self.store = store

    def load_bytecode(self, bucket):
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket):
        self.store[bucket.key] = bucket.bytecode_to_string()


_COMPILED = {}  # fingerprint: {template's key: its compiled code}


def compiled_templates(fingerprint):
    """Where Jinja keeps the theme's compiled templates (it checks each against its
    source): in this process only, never on disk, where a file would be code that runs."""
    store = _COMPILED.pop(fingerprint, {})
    _COMPILED[fingerprint] = store  # the newest last
    while len(_COMPILED) > 8:
        del _COMPILED[next(iter(_COMPILED))]
    return _CompiledInProcess(store)


def open_cache(config, settings):
    """The cache of this build, or a NoCache where one must not be read."""
    folder = Path(settings.get("CACHE_PATH") or "cache") / FOLDER
    if not config["cache"] or config["publishing"]:
        return NoCache(fingerprint(settings, config))
    refused = refusal(folder, settings["PATH"])
    if refused:
        logger.info("%s", refused)
        return NoCache(fingerprint(settings, config))
    build_record.cache_used(folder)
    return Cache(folder, fingerprint(settings, config), lambda: fingerprint(settings, config))


def refusal(folder, content_path):
    """Why the cache's ``folder`` (``CACHE_PATH``/policy_site) is not the build's own to
    use, or None: it or the folder holding it is a symbolic link, or git tracks it."""
    if os.path.islink(folder.parent) or os.path.islink(folder):
        return _("Not using the cache in %(folder)s: it is a symbolic link", folder=folder)
    root = git_history.toplevel(content_path)
    if root and git_history.tracked(root, str(folder.parent)):
        return _("Not using the cache in %(folder)s: git tracks it", folder=folder.parent)
    return None


def fingerprint(settings, config):
    """A digest of everything besides its inputs that shapes what the cache holds."""
    digest = hashlib.sha256()
    files = [
        *sorted(CODE.rglob("*.py")),
        *_files(Path(settings["THEME"])),
        *sorted(Path(config["translations_dir"]).glob("*/LC_MESSAGES/*.po")),
    ]
    for path in files:
        digest.update(f"\0{path}\0".encode())
        digest.update(path.read_bytes())
    shown = {key: value for key, value in settings.items() if key not in _PLACES}
    digest.update(json.dumps(canonical(shown), sort_keys=True).encode())
    digest.update(_libraries().encode())
    return digest.hexdigest()[:32]


@functools.cache
def _libraries():
    """Python's version and the libraries': looked up once per process, which keeps
    running the code it loaded whatever is installed later."""
    found = [f"\0python={sys.version}"]
    for package in PACKAGES:
        try:
            found.append(f"\0{package}={metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"\0{package}")
    return "".join(found)


def _files(folder):
    """Every regular file under ``folder`` (not through links), in a stable order."""
    found = []
    for root, folders, names in os.walk(folder):
        folders.sort()
        found.extend(Path(root, name) for name in sorted(names))
    return [path for path in found if path.is_file() and not path.is_symlink()]


def canonical(value):
    """``value`` (a setting) as JSON data that changes exactly when it does: data as it
    is, a function, class or module by its qualified name, another object by its type
    and attributes (a function also by its code)."""
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Mapping):
        return [[canonical(key), canonical(item)] for key, item in sorted(value.items(), key=repr)]
    if isinstance(value, functools.partial):
        return ["partial", canonical(value.func), canonical(value.args), canonical(value.keywords)]
    if isinstance(value, (list, tuple)):
        return [canonical(item) for item in value]
    if isinstance(value, (set, frozenset)):
        return sorted((canonical(item) for item in value), key=repr)
    if isinstance(value, (datetime.date, datetime.time, datetime.tzinfo, Path)):
        return f"{type(value).__name__}:{value}"
    code = getattr(value, "__code__", None)
    if code is not None:  # a function: also what it does, with its defaults
        digest = hashlib.sha256(marshal.dumps(code)).hexdigest()
        defaults = canonical([value.__defaults__, value.__kwdefaults__])
        return [f"{value.__module__}.{value.__qualname__}:{digest}", defaults]
    name = getattr(value, "__qualname__", None) or getattr(value, "__name__", None)
    if name:
        return f"{getattr(value, '__module__', '')}.{name}"
    state = getattr(value, "__dict__", None)
    if state is not None:
        return [type(value).__qualname__, canonical(state)]
    return re.sub(r" at 0x[0-9a-fA-F]+", "", repr(value))


def _key(parts):
    return hashlib.sha256("\0".join(map(str, parts)).encode()).hexdigest()


FOLDER = "policy_site"  # the plugin's folder in CACHE_PATH
PACK = "entries.pack"  # the texts and redlines of a fingerprint
KEPT = 4  # fingerprints: ``invoke build``, ``invoke check`` and the preview differ in settings
PDFS = "pdf"  # the folder of the PDFs, beside the fingerprints' folders
PDF_DAYS = 30  # a PDF no build used for this long is removed


def _forget_others(folder):
    """Keep this fingerprint's entries and those of the few used last (``invoke check``
    between two builds does not empty the build's cache); remove the rest: their code or
    settings have changed since."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if folder.is_symlink():
            return  # not the cache's own: neither touched nor used (``_refuse_links``)
        os.utime(folder)  # used now
        others = [
            (path.stat().st_mtime, path)
            for path in folder.parent.iterdir()
            if path.is_dir() and not path.is_symlink() and path.name not in (PDFS, folder.name)
        ]
    except OSError:
        return  # another build is at work here: nothing is removed this time
    for _used, other in sorted(others, reverse=True)[KEPT - 1 :]:
        shutil.rmtree(other, ignore_errors=True)


def _forget_unused(folder):
    """Remove the PDFs that no build has used for ``PDF_DAYS`` days."""
    oldest = time.time() - PDF_DAYS * 86400
    for path in folder.glob("*/*.pdf") if folder.is_dir() and not folder.is_symlink() else ():
        try:
            if path.stat().st_mtime < oldest and not path.is_symlink():
                path.unlink()
        except OSError:
            continue


def _write(path, data):
    """Write a file of the cache (a record, a PDF) whole or not at all: beside it, then in
    its place."""
    staged = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
        with os.fdopen(os.open(staged, flags, 0o644), "wb") as output:
            output.write(data)
        os.replace(staged, path)
    except OSError as error:
        logger.debug("Cannot write the cache entry %s: %s", path, error)


def _text_to_json(text):
    value = dataclasses.asdict(text)
    value["ids"] = sorted(text.ids)
    value["links"] = [list(link) for link in text.links]
    return value


def _text_from_json(value):
    return RenderedText(
        plain=value["plain"],
        sections=_sections(value["sections"]),
        anchors=tuple(value["anchors"]),
        ids=frozenset(value["ids"]),
        links=tuple((href, line, column) for href, line, column in value["links"]),
        contact=tuple(value["contact"]),
        heading_lines=dict(value["heading_lines"]),
        contact_line=value["contact_line"],
        first_sentence=value["first_sentence"],
    )


def _sections(values):
    return tuple(
        Section(v["anchor"], v["title"], v["level"], _sections(v["children"])) for v in values
    )


def _redline_to_json(redline):
    return dataclasses.asdict(redline)


def _redline_from_json(value):
    return Redline(
        value["html"],
        tuple(value["changed_sections"]),
        value["unchanged"],
        tuple(value["stops"]),
    )

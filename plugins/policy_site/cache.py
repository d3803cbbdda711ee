"""An on-disk cache of what depends only on its inputs: a text's rendering, the redline of
a pair of texts, a page. Entries are JSON files named by the SHA-256 of the inputs and
kept in a folder named by a fingerprint of everything else that shapes them: the
plugin's code, the theme's templates, the catalogs, the settings that matter and the
versions of the libraries. A missing, stale or unreadable entry is computed again;
a build with the cache writes the same bytes as a build without it.

The cache is never read by a publishing build, nor when git tracks the cache folder
(an entry would go into pages unchecked), nor through a symbolic link.
"""

import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
from importlib import metadata
from pathlib import Path

from . import git_history
from .document import PolicyDocument
from .messages import _
from .redline import Redline
from .rendering import RenderedText, Section

logger = logging.getLogger(__name__)

PACKAGES = (
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
)
_PLUGIN = Path(__file__).resolve().parent


class Cache:
    """Rendered texts and redlines, for one build."""

    def __init__(self, folder, shaping):
        """``shaping``: the files and values, besides a text, that shape what is cached."""
        self.folder = Path(folder) / _fingerprint(shaping)
        self.hits = self.misses = 0
        self.digests = Digests()
        _forget_others(self.folder)

    def rendered(self, sha256, compute):
        """The RenderedText of the text with ``sha256``: from the cache, else computed
        by ``compute()`` (which returns it, or None when the text has problems)."""
        return self._entry("text", sha256, compute, _text_to_json, _text_from_json)

    def redline(self, key_parts, compute):
        key = hashlib.sha256("\0".join(key_parts).encode()).hexdigest()
        return self._entry("redline", key, compute, _redline_to_json, _redline_from_json)

    def page(self, template, variables, render):
        """A page's HTML: from the cache when a build before rendered ``template`` with
        the same ``variables`` (compared by a digest of everything they hold)."""
        key = self.digests.of((template, variables)).hex()
        return self._entry("page", key, render, lambda html: html, _string)

    def pdf(self, key):
        """The bytes of the PDF with ``key``, or None."""
        try:
            data = (self.folder / "pdf" / key[:2] / f"{key}.pdf").read_bytes()
        except OSError:
            self.misses += 1
            return None
        self.hits += 1
        return data

    def store_pdf(self, key, data):
        path = self.folder / "pdf" / key[:2] / f"{key}.pdf"
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as output:
                output.write(data)
            os.replace(output.name, path)
        except OSError as error:
            logger.debug("Cannot write the cache entry %s: %s", path, error)

    def _entry(self, kind, key, compute, to_json, from_json):
        path = self.folder / kind / key[:2] / f"{key}.json"
        try:
            with path.open(encoding="utf-8") as source:
                value = from_json(json.load(source))
        except (OSError, ValueError, KeyError, TypeError):
            value = None
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        if value is not None:
            _write(path, to_json(value))
        return value


class NoCache:
    """Computes every time (publishing builds, tests)."""

    hits = misses = 0

    def rendered(self, _sha256, compute):
        return compute()

    def redline(self, _key_parts, compute):
        return compute()

    def page(self, _template, _variables, render):
        return render()

    def pdf(self, _key):
        return None

    def store_pdf(self, _key, _data):
        pass


class Digests:
    """SHA-256 digests of the values a page is rendered from, each shared object (a
    policy's view, which every page of it holds) digested once per build. A policy
    text stands for itself by its SHA-256, a git revision by its commit."""

    def __init__(self):
        self.memo = {}

    def of(self, value):
        if isinstance(value, str):
            return hashlib.sha256(b"s" + value.encode()).digest()
        if value is None or isinstance(value, (bool, int, float)):
            return hashlib.sha256(repr(value).encode()).digest()
        known = self.memo.get(id(value))
        if known is not None:
            return known[1]
        digest = hashlib.sha256(type(value).__name__.encode())
        for part in self._parts(value):
            digest.update(self.of(part))
        result = digest.digest()
        self.memo[id(value)] = (value, result)  # the value is kept, so its id stays its own
        return result

    @staticmethod
    def _parts(value):
        if isinstance(value, dict):
            items = sorted(value.items(), key=lambda item: str(item[0]))
            return [part for pair in items for part in pair]
        if isinstance(value, (list, tuple)):
            return list(value)
        if isinstance(value, (set, frozenset)):
            return sorted(map(str, value))
        if hasattr(value, "isoformat"):
            return [value.isoformat()]
        if isinstance(value, PolicyDocument):
            return [value.sha256]  # its bytes say everything it holds
        if dataclasses.is_dataclass(value):
            return [
                part
                for field in dataclasses.fields(value)
                if field.name not in ("raw", "text", "before")
                for part in (field.name, getattr(value, field.name))
            ]
        return [str(value)]


def open_cache(config, settings):
    """The cache of this build, or a NoCache where one must not be read."""
    folder = Path(settings.get("CACHE_PATH") or "cache") / "policy_site"
    if not config["cache"] or config["publishing"]:
        return NoCache()
    if os.path.islink(folder.parent) or os.path.islink(folder):
        logger.info(
            "%s", _("Not using the cache in %(folder)s: it is a symbolic link", folder=folder)
        )
        return NoCache()
    root = git_history.toplevel(settings["PATH"])
    if root and git_history.tracked(root, str(folder.parent)):
        logger.info(
            "%s", _("Not using the cache in %(folder)s: git tracks it", folder=folder.parent)
        )
        return NoCache()
    shaping = {
        "files": sorted(str(path) for path in _PLUGIN.glob("*.py")),
        "catalogs": sorted(
            str(path) for path in Path(config["translations_dir"]).glob("*/LC_MESSAGES/*.po")
        ),
        "templates": sorted(
            str(path) for path in (Path(settings["THEME"]) / "templates").rglob("*.html")
        ),
        "settings": [
            repr(sorted((key, repr(value)) for key, value in config.items())),
            settings["SITEURL"],
            settings["SITENAME"],
            settings["DEFAULT_LANG"],
            settings["RELATIVE_URLS"],
        ],
    }
    return Cache(folder, shaping)


def _fingerprint(shaping):
    digest = hashlib.sha256()
    names = [*shaping["files"], *shaping["catalogs"], *shaping["templates"]]
    for name in names:
        digest.update(name.encode())
        digest.update(Path(name).read_bytes() if Path(name).is_file() else b"")
    for value in shaping["settings"]:
        digest.update(f"\0{value}".encode())
    for package in PACKAGES:
        try:
            digest.update(f"\0{package}={metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"\0{package}".encode())
    return digest.hexdigest()[:32]


def _forget_others(folder):
    """Remove the entries of other fingerprints: code or settings have changed since."""
    parent = folder.parent
    if not parent.is_dir():
        return
    for other in parent.iterdir():
        if other != folder and other.is_dir() and not other.is_symlink():
            shutil.rmtree(other, ignore_errors=True)


def _write(path, value):
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(
            "w", dir=path.parent, delete=False, encoding="utf-8"
        ) as output:
            json.dump(value, output, ensure_ascii=False)
        os.replace(output.name, path)
    except OSError as error:
        logger.debug("Cannot write the cache entry %s: %s", path, error)


def _text_to_json(text):
    value = dataclasses.asdict(text)
    value["ids"] = sorted(text.ids)
    value["links"] = [list(link) for link in text.links]
    return value


def _text_from_json(value):
    return RenderedText(
        html=value["html"],
        plain=value["plain"],
        sections=_sections(value["sections"]),
        anchors=tuple(value["anchors"]),
        ids=frozenset(value["ids"]),
        links=tuple((href, line) for href, line in value["links"]),
        contact=tuple(value["contact"]),
        heading_lines=dict(value["heading_lines"]),
        contact_line=value["contact_line"],
        first_sentence=value["first_sentence"],
        xhtml=value["xhtml"],
    )


def _sections(values):
    return tuple(
        Section(v["anchor"], v["title"], v["level"], _sections(v["children"])) for v in values
    )


def _string(value):
    if not isinstance(value, str):
        raise TypeError("a page is a string")
    return value


def _redline_to_json(redline):
    return dataclasses.asdict(redline)


def _redline_from_json(value):
    return Redline(value["html"], tuple(value["changed_sections"]), value["unchanged"])

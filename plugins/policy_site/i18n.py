"""Babel catalogs of the theme's strings, and gettext that follows the page's language."""

import functools
import gettext
import hashlib
import io
import re
from pathlib import Path

import babel
import babel.dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from babel.units import format_unit
from jinja2 import pass_context
from markupsafe import escape

from .errors import SiteError
from .messages import _

CATALOG_GLOB = "*/LC_MESSAGES/messages.po"
# Day, month name, year, in every language.
DATE_PATTERN = "d MMMM y"


class CatalogError(SiteError):
    """A catalog is missing or cannot be read."""


def read_catalog(po_path, lang):
    """The parsed catalog at ``po_path``: parsed once per content in this process (the
    build checks, compiles and reads each catalog); callers must not change it."""
    data = Path(po_path).read_bytes()
    return _parsed(hashlib.sha256(data).hexdigest(), data, lang)


@functools.lru_cache(maxsize=32)
def _parsed(_digest, data, lang):
    return read_po(io.BytesIO(data), locale=lang, abort_invalid=True)


def compiled_catalogs(directory):
    """``{lang: (path of the .po, bytes of its .mo)}`` of each
    ``<lang>/LC_MESSAGES/messages.po``, compiled in memory."""
    compiled = {}
    for po_path in sorted(Path(directory).glob(CATALOG_GLOB)):
        lang = po_path.parents[1].name
        try:
            catalog = read_catalog(po_path, lang)
        except (PoFileError, ValueError, OSError) as error:
            raise CatalogError(f"{po_path}: {error}") from error
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        compiled[lang] = (po_path, buffer.getvalue())
    return compiled


_PERCENT = re.compile(r"%%|%\((\w+)\)s|%")
_MARKUP = re.compile(r"<[A-Za-z!/?][^<>]*>?|&#?\w+;")


def check_catalogs(directory, problems):
    """Report what would break or mislead in the catalogs, at the file and line of each
    entry: a placeholder that is not the original's, a '%' that is no placeholder,
    plural forms that do not parse, markup the original does not have (a translation is
    text: the pages show it as text whatever it holds). Each entry left untranslated is a
    warning: its pages show the original English string."""
    for po_path in sorted(Path(directory).glob(CATALOG_GLOB)):
        try:
            catalog = read_catalog(po_path, po_path.parents[1].name)
        except (PoFileError, ValueError, OSError) as error:
            problems.add(str(po_path), _("the catalog cannot be read: %(error)s", error=error))
            continue
        if not _plural_rule_parses(catalog.plural_expr):
            problems.add(
                str(po_path),
                _(
                    "the catalog's Plural-Forms ('%(rule)s') is not a rule gettext can read; "
                    "copy the line Babel gives for the language (invoke new-language)",
                    rule=catalog.plural_expr,
                ),
            )
        for message in catalog:
            if not message.id:
                continue
            if message.fuzzy or not _translated(message):
                problems.warn(str(po_path), _untranslated(message, catalog.locale), message.lineno)
            else:
                for problem in _entry_problems(message):
                    problems.add(str(po_path), problem, message.lineno)


def _translated(message):
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return all(strings)


def _untranslated(message, locale):
    original = message.id[0] if isinstance(message.id, (tuple, list)) else message.id
    return _(
        "'%(original)s' is not translated%(fuzzy)s; pages in %(lang)s show it in English "
        "until it is (translate its msgstr)",
        original=original[:60],
        fuzzy=_(" (marked fuzzy)") if message.fuzzy else "",
        lang=locale,
    )


def _entry_problems(message):
    ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    wanted = _placeholders(" ".join(ids))[0]
    markup = set(_MARKUP.findall(" ".join(ids)))
    for string in filter(None, strings):
        found, stray = _placeholders(string)
        if found != wanted:
            yield _(
                "the translation of '%(original)s' has the placeholders %(found)s, the original "
                "%(wanted)s; keep each %%(name)s exactly as the original writes it",
                original=ids[0][:60],
                found=sorted(found) or "—",
                wanted=sorted(wanted) or "—",
            )
        elif stray:
            yield _(
                "the translation of '%(original)s' has a '%%' that is no placeholder; write "
                "'%%%%' for a percent sign",
                original=ids[0][:60],
            )
        extra = set(_MARKUP.findall(string)) - markup
        if extra:
            yield _(
                "the translation of '%(original)s' holds markup (%(markup)s); a translation "
                "is text, so write it without",
                original=ids[0][:60],
                markup=", ".join(sorted(extra))[:60],
            )


def _placeholders(text):
    """The names of the ``%(name)s`` placeholders of ``text``, and whether it has a '%'
    that is neither a placeholder nor '%%'."""
    names, stray = set(), False
    for match in _PERCENT.finditer(text):
        if match[0] == "%":
            stray = True
        elif match[1]:
            names.add(match[1])
    return names, stray


def _plural_rule_parses(expression):
    try:
        gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return False
    return True


def compile_catalogs(directory):
    """Write each catalog's ``.mo`` beside its ``.po`` (``invoke compile``; a build
    compiles in memory and writes none). Returns the files written, by language."""
    written = {}
    for lang, (po_path, mo) in compiled_catalogs(directory).items():
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.read_bytes() != mo:
            mo_path.write_bytes(mo)
        written[lang] = mo_path
    return written


def translations(directory):
    """``{lang: Translations}`` of the catalogs in ``directory``, compiled in memory."""
    found = {}
    for lang, (po_path, mo) in compiled_catalogs(directory).items():
        try:
            found[lang] = Translations(io.BytesIO(mo))
        except (ValueError, SyntaxError) as error:  # gettext: a Plural-Forms it cannot read
            raise CatalogError(f"{po_path}: {error}") from None
    return found


@functools.lru_cache(maxsize=4096)
def _date(lang, value):
    return babel.dates.format_date(value, format=DATE_PATTERN, locale=lang)


class Localizer:
    """The site's languages and their catalogs; template helpers read ``lang`` from the page."""

    def __init__(self, directory, default_lang, names=None):
        catalogs = translations(directory)
        if default_lang not in catalogs:
            raise CatalogError(
                _(
                    "the default language '%(lang)s' has no catalog %(path)s",
                    lang=default_lang,
                    path=Path(directory) / default_lang / "LC_MESSAGES" / "messages.po",
                )
            )
        self.default_lang = default_lang
        self.names = names or {}
        self.languages = (default_lang, *sorted(set(catalogs) - {default_lang}))
        self._catalogs = catalogs
        self._escaped = {}  # (lang, message): its translation, escaped; pages repeat them

    def catalog(self, lang):
        return self._catalogs[lang]

    def autonym(self, lang):
        """The language's name in that language, as the language switcher shows it: from
        the settings, else the CLDR's ("English")."""
        return self.names.get(lang) or _capitalized(
            babel.Locale.parse(lang).get_language_name(lang)
        )

    def translate(self, lang, message):
        """``message`` in ``lang``, whatever the page's language (a page in several)."""
        return self.catalog(lang).gettext(message)

    @pass_context
    def language_name(self, context, lang):
        """The language's name in the language of the page being rendered."""
        return _capitalized(babel.Locale.parse(lang).get_language_name(self._lang(context)))

    def install(self, env):
        """Make ``_()``, ``{% trans %}`` and ``format_date`` follow the context's ``lang``."""
        env.install_gettext_callables(
            self.gettext, self.ngettext, newstyle=True, pgettext=self.pgettext
        )
        env.globals["_"] = self.translated  # what Jinja's ``_`` gives, without its layers
        env.filters["format_date"] = self.format_date
        env.filters["file_size"] = self.file_size
        env.globals["language_name"] = self.language_name
        env.globals["translate"] = self.translate

    def _lang(self, context):
        return context.get("lang") or self.default_lang

    # Translations are text: each comes back escaped, so that Jinja (which takes a
    # translation under autoescape for markup) fills its placeholders with escaped values
    # and no catalog can put markup into a page.

    @pass_context
    def gettext(self, context, message):
        lang = self._lang(context)
        found = self._escaped.get((lang, message))
        if found is None:
            found = self._escaped[lang, message] = escape(self.catalog(lang).gettext(message))
        return found

    @pass_context
    def translated(self, context, message, /, **values):
        """``_(message, name=value)``: as Jinja's newstyle ``_`` (which calls ``gettext``
        through two more layers of its context), the translation with each value escaped
        into it (a value may be named ``message`` or ``context``); a page has about twenty."""
        found = self.gettext(context, message)
        return found % values if "%" in found else found

    @pass_context
    def ngettext(self, context, singular, plural, count):
        return escape(self.catalog(self._lang(context)).ngettext(singular, plural, count))

    @pass_context
    def pgettext(self, context, message_context, message):
        return escape(self.catalog(self._lang(context)).pgettext(message_context, message))

    def date(self, lang, value):
        """``value`` as day, month name and year ("1 Maret 2025", "1 March 2025")."""
        return _date(lang, value)

    @pass_context
    def format_date(self, context, value):
        return self.date(self._lang(context), value)

    @pass_context
    def file_size(self, context, size):
        """``30 kB``: a file's size in kilobytes, as the page's language writes it."""
        kilobytes = max(1, round(size / 1000))
        return format_unit(kilobytes, "digital-kilobyte", "short", locale=self._lang(context))


def _capitalized(name):
    return name[:1].upper() + name[1:]

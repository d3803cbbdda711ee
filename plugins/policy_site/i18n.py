"""Babel catalogs of the theme's strings, and gettext that follows the page's language."""

import io
from pathlib import Path

import babel
import babel.dates
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po
from babel.support import Translations
from jinja2 import pass_context

from .errors import SiteError
from .messages import _

CATALOG_GLOB = "*/LC_MESSAGES/messages.po"
# Day, month name, year in every language: British English writes dates this way, as
# the policy's English text does, and so does Indonesian.
DATE_PATTERN = "d MMMM y"


class CatalogError(SiteError):
    """A catalog is missing or cannot be read."""


def compiled_catalogs(directory):
    """``{lang: (path of the .po, bytes of its .mo)}`` of each
    ``<lang>/LC_MESSAGES/messages.po``, compiled in memory."""
    compiled = {}
    for po_path in sorted(Path(directory).glob(CATALOG_GLOB)):
        lang = po_path.parents[1].name
        try:
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=lang, abort_invalid=True)
        except (PoFileError, ValueError) as error:
            raise CatalogError(f"{po_path}: {error}") from error
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        compiled[lang] = (po_path, buffer.getvalue())
    return compiled


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
    return {
        lang: Translations(io.BytesIO(mo))
        for lang, (_po, mo) in compiled_catalogs(directory).items()
    }


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
        env.filters["format_date"] = self.format_date
        env.globals["language_name"] = self.language_name
        env.globals["translate"] = self.translate

    def _lang(self, context):
        return context.get("lang") or self.default_lang

    @pass_context
    def gettext(self, context, message):
        return self.catalog(self._lang(context)).gettext(message)

    @pass_context
    def ngettext(self, context, singular, plural, count):
        return self.catalog(self._lang(context)).ngettext(singular, plural, count)

    @pass_context
    def pgettext(self, context, message_context, message):
        return self.catalog(self._lang(context)).pgettext(message_context, message)

    def date(self, lang, value):
        """``value`` as day, month name and year ("1 Maret 2025", "1 March 2025")."""
        return babel.dates.format_date(value, format=DATE_PATTERN, locale=lang)

    @pass_context
    def format_date(self, context, value):
        return self.date(self._lang(context), value)


def _capitalized(name):
    return name[:1].upper() + name[1:]

"""What the build and the check tell an editor (problems, warnings, the check's summary),
in the language the standard locale environment asks for: ``LANGUAGE`` (a list such as
``id:en``), else ``LC_ALL``, ``LC_MESSAGES`` or ``LANG``. The translations are the
site's catalogs; a language without a catalog, ``C`` and ``POSIX`` get the messages as
written, in English.

``_("… %(name)s …", name=value)`` marks a message for extraction (``invoke update``)
and translates it at once; values are filled in after translation. ``N_()`` marks a
message kept for later, ``n_()`` one with singular and plural forms.
"""

import os

from babel.support import NullTranslations

_ENGLISH = NullTranslations()

_state = {"directory": None, "catalogs": {}}


def use(directory):
    """Translate from the catalogs in ``directory`` from now on."""
    if directory != _state["directory"]:
        _state.update(directory=directory, catalogs={})


def requested_languages(environ=None):
    """The languages the locale environment asks for, in order: ``["id", "en"]``."""
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if not value:
            continue
        names = value.split(":") if name == "LANGUAGE" else [value]
        found = []
        for entry in names:
            code = entry.split(".")[0].split("@")[0]
            if code and code not in ("C", "POSIX"):
                found += [code, code.split("_")[0]]
        return list(dict.fromkeys(found))
    return []


def _(message, /, **values):
    """``message`` in the editor's language, its ``%(name)s`` placeholders filled."""
    return _filled(_catalog().gettext(message), message, values)


def n_(singular, plural, count, /, **values):
    """The form of ``singular``/``plural`` for ``count`` in the editor's language;
    ``count`` is also the placeholder ``%(count)s``."""
    english = singular if count == 1 else plural
    return _filled(
        _catalog().ngettext(singular, plural, count), english, {"count": count, **values}
    )


def N_(message):
    """Mark ``message`` for the catalogs where it is written; ``_()`` translates it later."""
    return message


def _filled(translated, english, values):
    try:
        return translated % values if values else translated
    except (KeyError, ValueError, TypeError):
        return english % values if values else english  # a broken translation: English


def language():
    """The language messages are shown in (``en`` when they are the English originals)."""
    return getattr(_catalog(), "language", None) or "en"


def _catalog():
    requested = tuple(requested_languages())
    catalogs = _state["catalogs"]
    if requested not in catalogs:
        catalogs[requested] = _load(_state["directory"]) if _state["directory"] else _ENGLISH
    return catalogs[requested]


def _load(directory):
    from .i18n import CatalogError, translations

    try:
        catalogs = translations(directory)
    except CatalogError:
        catalogs = {}
    for lang in requested_languages():
        if lang in catalogs:
            catalog = catalogs[lang]
            catalog.language = lang
            return catalog
    return _ENGLISH

"""Where each page lives: the addresses of every policy, version and redline, the
default language at the root and each other language below its code (``/en/``).

The words in the archive's addresses (``versions``, ``changes``) come from each
language's catalog (context ``URL``), so a new language brings its own.
"""

import re
from dataclasses import dataclass

from .i18n import CatalogError
from .messages import _

_WORD = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class UrlScheme:
    """Site-relative URLs: no leading slash, a trailing slash for folders."""

    default_lang: str
    words: dict  # lang -> {"versions": ..., "changes": ..., "compare": ..., "revisions": ...}

    @classmethod
    def from_catalogs(cls, default_lang, localizer):
        words = {}
        for lang in localizer.languages:
            catalog = localizer.catalog(lang)
            words[lang] = {
                "versions": catalog.pgettext("URL", "versions"),
                "changes": catalog.pgettext("URL", "changes"),
                "compare": catalog.pgettext("URL", "compare"),
                "revisions": catalog.pgettext("URL", "revisions"),
                "history": catalog.pgettext("URL", "history"),
            }
            for word in words[lang].values():
                if not _WORD.match(word):
                    raise CatalogError(
                        _(
                            "the %(lang)s catalog translates a URL word as '%(word)s'; use "
                            "lower-case letters, digits and hyphens",
                            lang=lang,
                            word=word,
                        )
                    )
        return cls(default_lang, words)

    def home(self, lang):
        return "" if lang == self.default_lang else f"{lang}/"

    def current(self, lang, slug):
        return f"{self.home(lang)}{slug}/"

    def archive(self, lang, slug):
        return f"{self.current(lang, slug)}{self.words[lang]['versions']}/"

    def version(self, lang, slug, version):
        return f"{self.archive(lang, slug)}{version}/"

    def changes(self, lang, slug, version):
        return f"{self.version(lang, slug, version)}{self.words[lang]['changes']}/"

    def compare(self, lang, slug, version):
        return f"{self.version(lang, slug, version)}{self.words[lang]['compare']}/"

    def revision(self, lang, slug, version, number):
        return f"{self.version(lang, slug, version)}{self.words[lang]['revisions']}/{number}/"

    def pdf(self, lang, slug, version, revision=1):
        """The PDF of a version's text as published (``revision`` 1), or as a later
        change left it, beside that change's page: a new file, never new bytes."""
        if revision == 1:
            return f"{self.version(lang, slug, version)}{slug}-{version}.pdf"
        return f"{self.revision(lang, slug, version, revision)}{slug}-{version}-{revision}.pdf"

    def history(self, lang, slug, anchor):
        """Every version that changed the section ``anchor`` of a policy."""
        return f"{self.current(lang, slug)}{self.words[lang]['history']}/{anchor}/"

    def feed(self, lang, slug):
        return f"{self.archive(lang, slug)}atom.xml"


def save_as(url):
    """The output file that serves ``url``."""
    return url if url.endswith((".xml", ".json", ".html")) else f"{url}index.html"

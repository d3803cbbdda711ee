"""Where each page lives: the URL map of PRODUCT.md, the default language at the root."""

from dataclasses import dataclass


@dataclass(frozen=True)
class UrlScheme:
    """Site-relative URLs (no leading slash, trailing slash for folders)."""

    default_lang: str

    def home(self, lang):
        return "" if lang == self.default_lang else f"{lang}/"

    def current(self, document):
        return f"{self.home(document.lang)}{document.slug}/"


def save_as(url):
    """The output file that serves ``url``."""
    return f"{url}index.html"

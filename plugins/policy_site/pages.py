"""What the templates receive: one object per output page, with its language links."""

from dataclasses import dataclass
from typing import ClassVar


@dataclass(frozen=True)
class LanguageLink:
    """The same page in another language (or in this one, for ``hreflang``)."""

    lang: str
    name: str
    url: str


@dataclass(frozen=True)
class PolicyPage:
    """The current text of one policy in one language."""

    template: ClassVar[str] = "policy"

    document: object
    url: str
    content: str
    sections: tuple
    contact: object
    alternates: tuple
    original: LanguageLink | None

    @property
    def lang(self):
        return self.document.lang

    @property
    def title(self):
        return self.document.title

    @property
    def version(self):
        return self.document.version

    @property
    def effective(self):
        return self.document.effective


@dataclass(frozen=True)
class HomePage:
    """The list of policies in one language."""

    template: ClassVar[str] = "home"

    lang: str
    url: str
    policies: tuple
    alternates: tuple

"""Addresses that GitHub makes links of, for Python-Markdown: ``<scheme:…>`` and
``<name@host>`` as CommonMark reads them, and bare ``https://…``, ``www.…`` and e-mail
addresses by the rules of cmark-gfm's autolink extension (where a bare address starts,
where it ends, which trailing punctuation stays outside it), so that the site links
exactly the text GitHub's preview links.
"""

import unicodedata
import xml.etree.ElementTree as etree

from markdown.inlinepatterns import InlineProcessor
from markdown.util import STX

_ASCII_SPACE = " \t\n\v\f\r"
_TRAILING = "?!.,:*_~'\""
_SCHEMES = ("http", "https", "ftp")
ANGLE_URL = r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*)>"
ANGLE_EMAIL = (
    r"<([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*)>"
)
_EMAIL_LOCAL = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.+-_")


def _link(href, text):
    element = etree.Element("a", {"href": href})
    element.text = text
    return element


class _Autolink(InlineProcessor):
    """GitHub links no address inside the text of a link."""

    ANCESTOR_EXCLUDES = ("a",)


class AngleAutolink(_Autolink):
    """``<https://…>``, ``<mailto:…>``, ``<tel:…>``: any scheme, as CommonMark reads it."""

    def handleMatch(self, m, _data):  # noqa: N802 (Python-Markdown's name)
        return _link(m.group(1), m.group(1)), m.start(0), m.end(0)


class AngleEmail(_Autolink):
    def handleMatch(self, m, _data):  # noqa: N802
        return _link(f"mailto:{m.group(1)}", m.group(1)), m.start(0), m.end(0)


class BareUrl(_Autolink):
    """``https://host…``: the run of letters before ``://`` is the scheme; the address
    runs to the next white space, less the punctuation that ends a sentence."""

    def __init__(self, md):
        super().__init__(r"(?<![A-Za-z])([A-Za-z]+)://", md)

    def handleMatch(self, m, data):  # noqa: N802
        if m.group(1).lower() not in _SCHEMES:
            return None, None, None
        rest = data[m.end() :]
        if not rest or not _host_character(rest[0]) or not _domain_length(rest, True):
            return None, None, None
        end = _address_end(data, m.start())
        if end <= m.end():
            return None, None, None
        return _link(data[m.start() : end], data[m.start() : end]), m.start(), end


class BareWww(_Autolink):
    """``www.host…`` at the start of a paragraph, after white space or ``* _ ~ (``;
    GitHub links it to ``http://www.host…``."""

    def __init__(self, md):
        super().__init__(r"(?:(?<=[ \t\n\v\f\r*_~(])|^)www\.", md)

    def handleMatch(self, m, data):  # noqa: N802
        rest = data[m.start() :]
        if not _domain_length(rest, False):
            return None, None, None
        end = _address_end(data, m.start())
        if end <= m.start():
            return None, None, None
        text = data[m.start() : end]
        return _link(f"http://{text}", text), m.start(), end


class BareEmail(_Autolink):
    """``name@host.tld`` in text, with a dot in the host and a letter (or a dot) last."""

    def __init__(self, md):
        super().__init__(r"@", md)

    def handleMatch(self, m, data):  # noqa: N802
        start = m.start()
        while start > 0 and data[start - 1] in _EMAIL_LOCAL:
            start -= 1
        if start == m.start():
            return None, None, None
        end, ats, dots = _host_end(data, m.start())
        last = data[end - 1]
        if end - m.start() < 2 or ats != 1 or not dots or not (_ascii_alpha(last) or last == "."):
            return None, None, None
        end = m.start() + _delimited(data[m.start() : end])
        if end <= m.start():
            return None, None, None
        address = data[start:end]
        return _link(f"mailto:{address}", address), start, end


def _host_end(data, at):
    """Where the host of an address whose ``@`` is at ``at`` ends, with the ``@`` and dots
    read on the way; reading stops at a second ``@`` (no address then), so that a line
    of them costs only its length."""
    end, ats, dots = at, 0, 0
    while end < len(data):
        character = data[end]
        if character == "@":
            ats += 1
            if ats > 1:
                break
        elif character == "." and end + 1 < len(data) and _ascii_alnum(data[end + 1]):
            dots += 1
        elif not (character.isascii() and character.isalnum()) and character not in "-_":
            break
        end += 1
    return end, ats, dots


def _address_end(data, start):
    """Where a bare address starting at ``start`` ends: at white space or a ``<``, less
    trailing punctuation, an entity, or a ``)`` that closes nothing in it. (It also ends
    where Python-Markdown has put aside a piece already read, such as an escape.)"""
    end = start
    while end < len(data) and data[end] not in _ASCII_SPACE and data[end] not in "<" + STX:
        end += 1  # (the address ends at a "<" in any case: _delimited cuts there)
    return start + _delimited(data[start:end])


def _delimited(address):
    """The length of ``address`` once its end is trimmed as cmark-gfm trims it."""
    cut = address.find("<")
    end = cut if cut >= 0 else len(address)
    opening, closing = address.count("(", 0, end), address.count(")", 0, end)
    while end > 0:
        last = address[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last == ";":
            entity = end - 2
            while entity > 0 and _ascii_alpha(address[entity]):
                entity -= 1
            end = entity if entity < end - 2 and address[entity] == "&" else end - 1
        elif last == ")":
            if closing <= opening:
                break
            end, closing = end - 1, closing - 1
        else:
            break
    return end


def _domain_length(text, allow_short):
    """How much of ``text`` (from its first character) is a domain, counted in bytes of
    UTF-8 as cmark-gfm counts; 0 when an underscore is in its last two labels, or when
    it has no dot and must have one."""
    data = _domain_run(text).encode("utf-8")
    underscores_before = underscores = dots = 0
    index = 1
    while index < len(data) - 1:
        byte = data[index]
        if byte == ord("_"):
            underscores += 1
        elif byte == ord("."):
            underscores_before, underscores = underscores, 0
            dots += 1
        elif byte != ord("-") and not _host_byte(data, index):
            break
        index += 1
    if underscores_before or underscores:
        return 0
    return index if allow_short or dots else 0


def _domain_run(text):
    """The start of ``text`` that ``_domain_length`` reads: up to its first character
    (after the first) that no domain holds, included, so that each address costs only
    its own length."""
    for index in range(1, len(text)):
        character = text[index]
        if character not in "-_." and not _host_character(character):
            return text[: index + 1]
    return text


def _host_byte(data, index):
    """Whether a valid character that is neither space nor punctuation starts at byte
    ``index`` (a byte inside a character starts none)."""
    for width in (1, 2, 3, 4):
        try:
            character = data[index : index + width].decode("utf-8")
        except UnicodeDecodeError:
            continue
        return _host_character(character)
    return False


def _host_character(character):
    if character in _ASCII_SPACE or character.isspace():
        return False
    if character.isascii():
        return character.isalnum() or not (33 <= ord(character) <= 126)
    return not unicodedata.category(character).startswith("P")


def _ascii_alpha(character):
    return character.isascii() and character.isalpha()


def _ascii_alnum(character):
    return character.isascii() and character.isalnum()

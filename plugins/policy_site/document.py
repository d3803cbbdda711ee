"""One policy file in one language: validated front matter plus its Markdown body."""

import datetime
import hashlib
import re
from dataclasses import dataclass

from .front_matter import FrontMatterError, SourceText, parse
from .limits import MAX_SLUG_CHARACTERS, MAX_VERSION_CHARACTERS, too_large
from .markup import BLANK_LETTERS, hidden_name, is_hidden
from .messages import _
from .version_numbers import Version

REQUIRED_FIELDS = ("title", "policy", "lang", "slug", "version", "effective", "summary")
OPTIONAL_FIELDS = ("change",)  # Change: editorial (spelling, layout); material by default
CHANGES = ("material", "editorial")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class PolicyDocument:
    """What one policy file says; constructed only through :func:`read_document`."""

    path: str
    source: SourceText
    policy: str
    lang: str
    slug: str
    title: str
    version: Version
    effective: datetime.date
    summary: str
    sha256: str  # of the file's bytes
    change: str = "material"  # or "editorial": nothing of substance changed

    @property
    def body(self):
        return self.source.body


def read_document(path, raw, languages, problems):
    """Parse ``raw`` (bytes of the file at ``path``); report problems, return None if any."""
    if too_large(len(raw)):
        problems.add(path, too_large(len(raw)))
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        problems.add(
            path, _("is not UTF-8 text (byte %(byte)s); save it as UTF-8", byte=error.start)
        )
        return None
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    hidden = list(_hidden_characters(text))
    for line, column, character in hidden:
        name = hidden_name(character)
        problems.add(
            path,
            _(
                "invisible character %(code)s (%(name)s); delete it: it does not show in an "
                "editor, but it is part of the text",
                code=f"U+{ord(character):04X}",
                name=name,
            ),
            line,
            column,
        )
    if hidden:
        return None
    try:
        source = parse(text)
    except FrontMatterError as error:
        problems.add(path, str(error), error.line)
        return None
    before = len(problems)
    values = _validated_fields(path, source, languages, problems)
    if not source.body.strip():
        problems.add(path, _("has front matter but no policy text after it"), source.body_line)
    if len(problems) > before:
        return None
    digest = hashlib.sha256(raw).hexdigest()
    return PolicyDocument(path=path, source=source, sha256=digest, **values)


def _hidden_characters(text):
    for number, line in enumerate(text.split("\n"), start=1):
        if line.isprintable() and BLANK_LETTERS.isdisjoint(line):  # fast: nothing hidden
            continue
        for column, character in enumerate(line, start=1):
            if character != "\t" and is_hidden(character):  # a tab is text
                yield number, column, character


def _validated_fields(path, source, languages, problems):
    fields = source.fields
    for name in sorted(set(fields) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS)):
        problems.add(
            path,
            _(
                "unknown front matter field '%(name)s'; the fields are: %(fields)s",
                name=name,
                fields=", ".join((*REQUIRED_FIELDS, *OPTIONAL_FIELDS)),
            ),
            fields[name].line,
        )
    missing = [name for name in REQUIRED_FIELDS if name not in fields or not fields[name].value]
    for name in missing:
        where = fields[name].line if name in fields else 1
        problems.add(
            path,
            _("front matter field '%(name)s' is missing or empty", name=name.capitalize()),
            where,
        )
    values = {name: fields[name].value for name in REQUIRED_FIELDS if name not in missing}
    if "change" in fields:
        values["change"] = fields["change"].value
    for name, check in _CHECKS.items():
        if name in values:
            try:
                values[name] = check(values[name], languages)
            except ValueError as error:
                problems.add(path, f"{name.capitalize()}: {error}", fields[name].line)
    return values


def _name(value, _languages):
    if len(value) > MAX_SLUG_CHARACTERS:
        raise ValueError(
            _(
                "'%(value)s…' is longer than %(limit)s characters",
                value=value[:40],
                limit=MAX_SLUG_CHARACTERS,
            )
        )
    if not _NAME.match(value):
        raise ValueError(
            _("'%(value)s' must be lower-case letters, digits and single hyphens", value=value)
        )
    return value


def _language(value, languages):
    if value not in languages:
        known = ", ".join(languages)
        raise ValueError(
            _(
                "unknown language '%(value)s' (known: %(known)s); a new language needs its "
                "catalog translations/%(value)s/LC_MESSAGES/messages.po",
                value=value,
                known=known,
            )
        )
    return value


def _version(value, _languages):
    if len(value) > MAX_VERSION_CHARACTERS:
        raise ValueError(
            _(
                "'%(value)s…' is longer than %(limit)s characters",
                value=value[:20],
                limit=MAX_VERSION_CHARACTERS,
            )
        )
    return Version.parse(value)


def _change(value, _languages):
    if value not in CHANGES:
        raise ValueError(
            _(
                "'%(value)s' is not a kind of change; write 'Change: editorial' for a change of "
                "spelling or layout that nobody needs to agree to again, or leave the field out "
                "(a material change)",
                value=value,
            )
        )
    return value


def _date(value, _languages):
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(_("'%(value)s' is not a date written as YYYY-MM-DD", value=value))


_CHECKS = {
    "change": _change,
    "policy": _name,
    "slug": _name,
    "lang": _language,
    "version": _version,
    "effective": _date,
}

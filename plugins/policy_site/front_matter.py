"""Splits a policy file into its ``Key: value`` front matter and its Markdown body."""

import re
from dataclasses import dataclass

from .messages import _

_FIELD = re.compile(r"^(?P<key>[A-Za-z][A-Za-z0-9_-]*)\s*:\s*(?P<value>.*)$")


class FrontMatterError(ValueError):
    """The front matter cannot be read; ``line`` says where."""

    def __init__(self, message, line=0):
        super().__init__(message)
        self.line = line


@dataclass(frozen=True)
class Field:
    value: str
    line: int


@dataclass(frozen=True)
class SourceText:
    """A policy file as written: fields by lower-case name, body and where it starts."""

    fields: dict
    body: str | None  # None once the text is rendered (content.py)
    body_line: int


def parse(text):
    """Read the front matter block that ends at the first blank line."""
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise FrontMatterError(_("the file is empty; it needs front matter and the policy text"), 1)
    lines = text.splitlines()
    fields = {}
    number = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            break
        match = _FIELD.match(line)
        if not match:
            raise FrontMatterError(
                _(
                    "expected a 'Key: value' line of the front matter, found '%(line)s'; "
                    "the front matter ends at the first blank line",
                    line=line.strip()[:60],
                ),
                number,
            )
        key = match["key"].lower()
        if key in fields:
            raise FrontMatterError(
                _(
                    "'%(key)s' is given twice (first on line %(line)s)",
                    key=match["key"],
                    line=fields[key].line,
                ),
                number,
            )
        fields[key] = Field(match["value"].strip(), number)
    else:
        number += 1
    body = "\n".join(lines[number:])
    if not fields:
        raise FrontMatterError(_("the file does not start with front matter ('Title: ...')"), 1)
    return SourceText(fields, body, number + 1)

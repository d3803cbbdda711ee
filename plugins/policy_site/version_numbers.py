"""Policy version numbers such as ``1.0`` or ``2.13``, compared numerically."""

import re
from dataclasses import dataclass

from .messages import _

_PART = r"(0|[1-9][0-9]{0,8})"
_PATTERN = re.compile(rf"^{_PART}(\.{_PART})+$")


@dataclass(frozen=True, order=True)
class Version:
    """A dotted version number; ``1.10`` comes after ``1.9``."""

    parts: tuple[int, ...]

    @classmethod
    def parse(cls, text):
        text = text.strip()
        if not _PATTERN.match(text):
            raise ValueError(
                _(
                    "'%(text)s' is not a version number like 1.0 or 2.1 (ASCII digits, no "
                    "leading zeros, parts separated by dots)",
                    text=text,
                )
            )
        parts = tuple(int(part) for part in text.split("."))
        if len(parts) > 2 and parts[-1] == 0:
            shorter = ".".join(text.split(".")[:-1])
            raise ValueError(
                _(
                    "'%(text)s' means the same as %(shorter)s; write %(shorter)s, so that every "
                    "version has one number (a part after the second is never 0 at the end)",
                    text=text,
                    shorter=shorter,
                )
            )
        return cls(parts)

    def __str__(self):
        return ".".join(str(part) for part in self.parts)

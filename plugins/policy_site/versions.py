"""Policy version numbers such as ``1.0`` or ``2.13``, compared numerically."""

import re
from dataclasses import dataclass

_PATTERN = re.compile(r"^\d+(\.\d+)+$")


@dataclass(frozen=True, order=True)
class Version:
    """A dotted version number; ``1.10`` comes after ``1.9``."""

    parts: tuple[int, ...]

    @classmethod
    def parse(cls, text):
        text = text.strip()
        if not _PATTERN.match(text):
            raise ValueError(f"'{text}' is not a version number like 1.0 or 2.1")
        return cls(tuple(int(part) for part in text.split(".")))

    def __str__(self):
        return ".".join(str(part) for part in self.parts)

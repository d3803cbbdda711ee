"""The key of a page: a digest of its whole model, the template's only input besides
what the cache's fingerprint covers (code, theme, catalogs, settings, libraries).

Every value reachable from the model counts, field by field, with its type: a Markup
string differs from a plain one, a date from its text. No field is skipped and nothing
falls back to its ``str()``: a value of a type not listed here makes the page keyless,
and a keyless page is rendered every time. The models are frozen, so each object's
digest is made once per build, however many pages share it (a version's text is in
its page, its changes pages and the archive)."""

import dataclasses
import datetime
import enum
import hashlib
import pathlib
import struct


class Unkeyable(TypeError):
    """A value whose type has no digest here."""


class PageKeys:
    """Digests of page models, each object's made once while the build holds it."""

    def __init__(self):
        self._made = {}  # id: (the object, kept alive so that its id is not reused; digest)
        self._scalars = {}  # (type, value): digest; many pages share their strings
        self._values = 0  # values digested so far: how much a compound one holds

    def key(self, page):
        """The page's key (hex), or None when its model holds a value without a digest."""
        try:
            return self._digest(page).hex()
        except Unkeyable:
            return None

    def _digest(self, value):
        self._values += 1
        if value is None or isinstance(value, (str, bytes, bool, int)):
            scalar = (type(value), value)  # the type too: True == 1, Markup("a") == "a"
            digest = self._scalars.get(scalar)
            if digest is None:
                digest = self._scalars[scalar] = hashlib.sha256(_scalar(value)).digest()
            return digest
        if isinstance(value, float):  # not by value: 0.0 == -0.0
            return hashlib.sha256(_scalar(value)).digest()
        if type(value) in (dict, list):  # can change: its digest is made each time
            return self._container(value)
        made = self._made.get(id(value))
        if made is not None and made[0] is value:
            return made[1]
        before = self._values
        digest = self._compound(value)
        if self._values - before > _KEPT_FROM:  # a text, a version: pages share it
            self._made[id(value)] = (value, digest)
        return digest

    def _container(self, value):
        if type(value) is list:
            parts = [self._digest(item) for item in value]
        else:
            parts = sorted(self._digest(key) + self._digest(item) for key, item in value.items())
        return _combined(type(value), parts)

    def _compound(self, value):
        kind = type(value)
        shape = _shape(kind)
        if shape.fields is not None:
            digest = hashlib.sha256(shape.header)
            for name, label in shape.fields:
                digest.update(label)
                digest.update(self._digest(getattr(value, name)))
            return digest.digest()
        if isinstance(value, enum.Enum):
            parts = [_scalar(value.name)]
        elif kind is tuple:
            parts = [self._digest(item) for item in value]
        elif kind is frozenset:
            parts = sorted(self._digest(item) for item in value)
        elif kind in (datetime.date, datetime.datetime, datetime.timedelta):
            parts = [_scalar(repr(value))]  # a datetime's repr names its zone
        elif isinstance(value, pathlib.PurePath):
            parts = [_scalar(str(value))]
        else:
            raise Unkeyable(f"{kind.__module__}.{kind.__qualname__}")
        return _combined(kind, parts)


# A compound value holding more values than this keeps its digest for the build; a
# smaller one (a link, a front matter field), mostly made for one page, is digested
# again where it is met again, which costs less than holding every one of them.
_KEPT_FROM = 16


@dataclasses.dataclass(frozen=True)
class _Shape:
    header: bytes  # the type's name, as a scalar's bytes
    fields: tuple | None  # a frozen dataclass's (field name, its name's bytes), in order


_SHAPES = {}  # type: its _Shape


def _shape(kind):
    """What a digest of a value of ``kind`` is made of, worked out once per type."""
    shape = _SHAPES.get(kind)
    if shape is not None:
        return shape
    name = f"{kind.__module__}.{kind.__qualname__}"
    fields = None
    if dataclasses.is_dataclass(kind):
        if not kind.__dataclass_params__.frozen:
            raise Unkeyable(name)  # could change after its digest is made
        fields = tuple((field.name, _scalar(field.name)) for field in dataclasses.fields(kind))
    shape = _SHAPES[kind] = _Shape(_scalar(name), fields)
    return shape


def _combined(kind, parts):
    """The digest of a value of type ``kind`` made of ``parts`` (digests, or a scalar's
    bytes), in their order."""
    digest = hashlib.sha256(_shape(kind).header)
    for part in parts:
        digest.update(part)
    return digest.digest()


def _scalar(value):
    """A scalar's bytes, led by its type's name and length: no two values share them."""
    kind = type(value)
    if value is None:
        data = b""
    elif kind is bool or kind is int:
        data = str(value).encode()
    elif kind is float:
        data = struct.pack("<d", value)
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
    elif isinstance(value, bytes):
        data = bytes(value)
    else:
        raise Unkeyable(kind.__qualname__)
    name = f"{kind.__module__}.{kind.__qualname__}".encode()
    return b"%d:%s%d:%s" % (len(name), name, len(data), data)

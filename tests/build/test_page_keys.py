"""A page's key is a digest of its whole model: any value anywhere in it, changed, gives
another key, so a rebuild never takes a page whose input changed."""

import copy
import dataclasses
import datetime

from markupsafe import Markup

from policy_site import outputs
from policy_site.page_keys import PageKeys
from tests.sites import POLICY_EN, POLICY_ID, build, commit_policies, new_version

DEPTH = 5  # fields within fields: a page, its version, its entry, its text, a section


def built_pages(repo, tmp_path, monkeypatch):
    """The page models of a build of ``repo`` with two versions, one of each kind."""
    commit_policies(
        repo,
        {
            "example/id.md": new_version(POLICY_ID, "1.1", "2026-02-01"),
            "example/en.md": new_version(POLICY_EN, "1.1", "2026-02-01"),
        },
        date="2026-01-20T10:00:00+07:00",
    )
    seen = []
    write = outputs.Outputs.write

    def recording(self, writer):
        seen.extend(self.generator.pages)
        return write(self, writer)

    monkeypatch.setattr(outputs.Outputs, "write", recording)
    build(repo / "content", tmp_path / "out", today="2026-02-05")
    return list({type(page): page for page in seen}.values())


def variants(value, depth=DEPTH):
    """``(where, value)`` for each way of changing one value inside ``value``."""
    if isinstance(value, Markup):
        yield "", str(value)  # the same text, not marked safe
    changed = _scalar_variant(value)
    if changed is not None:
        yield "", changed
    elif depth > 0:
        yield from _inner_variants(value, depth - 1)


def _scalar_variant(value):
    if isinstance(value, bool):
        return not value
    if isinstance(value, (int, datetime.date)):
        return value + (datetime.timedelta(days=1) if isinstance(value, datetime.date) else 1)
    if isinstance(value, (str, bytes)):
        return value + (b"x" if isinstance(value, bytes) else "x")
    return None


def _inner_variants(value, depth):
    if isinstance(value, tuple) and value:
        yield "", value[:-1]
        for where, changed in variants(value[0], depth):
            yield f"[0]{where}", (changed, *value[1:])
    elif isinstance(value, frozenset) and value:
        yield "", frozenset(sorted(value, key=repr)[1:])
    elif isinstance(value, dict) and value:
        first = next(iter(value))
        for where, changed in variants(value[first], depth):
            yield f"[{first!r}]{where}", {**value, first: changed}
    elif dataclasses.is_dataclass(value):
        for field in dataclasses.fields(value):
            for where, changed in variants(getattr(value, field.name), depth):
                yield f".{field.name}{where}", _replaced(value, field.name, changed)


def _replaced(value, name, changed):
    fresh = copy.copy(value)
    object.__setattr__(fresh, name, changed)  # frozen models: set on a fresh copy
    return fresh


def test_any_value_changed_anywhere_in_a_page_changes_its_key(repo, tmp_path, monkeypatch):
    pages = built_pages(repo, tmp_path, monkeypatch)
    keys = PageKeys()
    checked = 0
    for page in pages:
        key = keys.key(page)
        assert key is not None, f"{type(page).__name__} has no key"
        for where, changed in variants(page):
            assert keys.key(changed) != key, f"{type(page).__name__}{where} is not in its key"
            checked += 1
    assert len(pages) >= 6 and checked > 300  # every kind of page, deep into each


def test_a_value_of_a_type_without_a_digest_leaves_the_page_keyless(repo, tmp_path, monkeypatch):
    page = built_pages(repo, tmp_path, monkeypatch)[0]
    field = dataclasses.fields(page)[0].name
    assert PageKeys().key(_replaced(page, field, object())) is None
    assert PageKeys().key(_replaced(page, field, [1.5, {"a": 2}])) is not None


def test_models_of_two_kinds_with_the_same_values_have_two_keys():
    @dataclasses.dataclass(frozen=True)
    class Notice:
        text: str

    @dataclasses.dataclass(frozen=True)
    class Banner:
        text: str

    keys = PageKeys()
    assert keys.key(Notice("a")) != keys.key(Banner("a"))
    assert keys.key((Notice("a"),)) != keys.key((Banner("a"),))
    opened = dataclasses.make_dataclass("Open", ["text"])  # not frozen: could change later
    assert keys.key(opened("a")) is None

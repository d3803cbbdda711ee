import datetime

import pytest

from policy_site.document import read_document
from policy_site.errors import PolicyBuildError, Problems
from policy_site.version_numbers import Version
from tests.sites import POLICY_ID

LANGUAGES = ("id", "en")


def read(text, languages=LANGUAGES):
    problems = Problems()
    raw = text if isinstance(text, bytes) else text.encode("utf-8")
    document = read_document("content/policies/x.md", raw, languages, problems)
    return document, problems


def messages(problems):
    with pytest.raises(PolicyBuildError) as caught:
        problems.raise_if_any()
    return [str(problem) for problem in caught.value.problems]


def test_a_complete_file_gives_typed_values():
    document, problems = read(POLICY_ID)
    assert not len(problems)
    assert document.version == Version.parse("1.0")
    assert document.effective == datetime.date(2026, 1, 15)
    assert (document.policy, document.lang, document.slug) == ("example", "id", "kebijakan-contoh")
    assert document.body.split("\n")[15 - document.source.body_line] == "## Kontak {#contact}"


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("Version: 1.0\n", "", "content/policies/x.md:1: front matter field 'Version' is missing"),
        ("Summary: Versi pertama.", "Summary:", "x.md:7: front matter field 'Summary' is missing"),
        ("Lang: id", "Lang: fr", "x.md:3: Lang: unknown language 'fr' (known: id, en)"),
        ("Effective: 2026-01-15", "Effective: 15/01/2026", "x.md:6: Effective: '15/01/2026'"),
        ("Effective: 2026-01-15", "Effective: 2026-02-30", "is not a date written as YYYY-MM-DD"),
        ("Slug: kebijakan-contoh", "Slug: Kebijakan Contoh", "x.md:4: Slug: 'Kebijakan Contoh'"),
        ("Version: 1.0", "Version: one", "x.md:5: Version: 'one' is not a version number"),
        ("Summary:", "Sumary:", "x.md:7: unknown front matter field 'sumary'"),
    ],
)
def test_bad_front_matter_is_reported_with_file_and_line(old, new, expected):
    document, problems = read(POLICY_ID.replace(old, new, 1))
    assert document is None
    assert any(expected in message for message in messages(problems)), messages(problems)


def test_every_problem_of_a_file_is_reported_at_once():
    text = POLICY_ID.replace("Lang: id", "Lang: xx").replace("Version: 1.0", "Version: 1")
    _document, problems = read(text)
    assert len(messages(problems)) == 2


def test_file_that_is_not_utf8_is_named():
    _document, problems = read(POLICY_ID.encode("utf-16"))
    assert messages(problems) == [
        "content/policies/x.md: is not UTF-8 text (byte 0); save it as UTF-8"
    ]


def test_front_matter_without_text_is_refused():
    head = POLICY_ID.split("\n\n")[0]
    _document, problems = read(head + "\n\n")
    assert "has front matter but no policy text" in messages(problems)[0]


@pytest.mark.parametrize(
    ("character", "named"),
    [
        ("\u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\x07", "U+0007 (a control character)"),
        ("\ue000", "U+E000 (a private-use character)"),
        ("\U000f0000", "U+F0000 (a private-use character)"),
        ("\ufffe", "U+FFFE (a character Unicode does not assign)"),
    ],
)
def test_an_invisible_character_is_named_by_its_name_or_its_kind(character, named):
    _document, problems = read(POLICY_ID.replace("Teks pembuka", f"Teks{character} pembuka", 1))
    assert [m for m in messages(problems) if "invisible character" in m] == [
        f"content/policies/x.md:9:5: invisible character {named}; delete it: it does not show "
        "in an editor, but it is part of the text"
    ]

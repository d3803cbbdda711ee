import pytest

from policy_site.front_matter import FrontMatterError, parse


def test_fields_keep_their_line_and_the_body_its_first_line():
    source = parse("Title: A\nVersion: 1.0\n\nFirst line\nSecond line\n")
    assert source.fields["title"].value == "A"
    assert source.fields["version"].line == 2
    assert source.body_line == 4
    assert source.body.split("\n")[5 - source.body_line] == "Second line"  # file line 5


def test_field_names_are_case_insensitive_and_a_bom_is_ignored():
    source = parse("\ufeffTITLE: A\n\nBody")
    assert source.fields["title"].value == "A"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("", 1, "the file is empty"),
        ("   \n\n", 1, "the file is empty"),
        ("Title: A\nThis is not a field\n\nBody", 2, "expected a 'Key: value' line"),
        ("Title: A\nTitle: B\n\nBody", 2, "'Title' is given twice (first on line 1)"),
        ("\nBody without front matter", 1, "does not start with front matter"),
    ],
)
def test_unreadable_front_matter_names_the_line(text, line, message):
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    assert caught.value.line == line
    assert message in str(caught.value)

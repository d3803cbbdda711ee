import pytest

from policy_site.version_numbers import Version


def test_versions_compare_numerically_not_as_text():
    assert Version.parse("1.10") > Version.parse("1.9") > Version.parse("1.0")
    assert sorted(map(Version.parse, ["2.0", "1.10", "1.2"])) == [
        Version.parse("1.2"),
        Version.parse("1.10"),
        Version.parse("2.0"),
    ]


def test_version_reads_back_as_written():
    assert str(Version.parse(" 1.1 ")) == "1.1"


@pytest.mark.parametrize(
    "text",
    ["1", "v1.0", "1.0-draft", "1..0", "", "01.1", "1.01", "１.０", "١.٠", "1.0\u200b"],
)
def test_malformed_version_says_what_is_expected(text):
    with pytest.raises(ValueError, match="is not a version number like 1.0"):
        Version.parse(text)


@pytest.mark.parametrize(
    ("text", "shorter"), [("1.0.0", "1.0"), ("2.1.0", "2.1"), ("1.2.3.0", "1.2.3")]
)
def test_a_number_that_means_the_same_as_a_shorter_one_is_refused(text, shorter):
    with pytest.raises(ValueError, match=f"means the same as {shorter}"):
        Version.parse(text)
    assert str(Version.parse("1.0.1")) == "1.0.1"

"""GitHub's reading of a text: where its blocks are, and the layout Python-Markdown reads."""

from policy_site import markdown_refusals
from policy_site.github_markdown import HIDDEN, GitHubText
from policy_site.markdown_layout import layout
from policy_site.markdown_rules import read


def blocks(body, first_line=10):
    text = GitHubText(body, first_line)
    return text, [(element.tag, text.span(element)) for element in text.root]


def test_spans_count_lines_of_the_file_and_columns_in_characters():
    text, found = blocks("Data éé [a](/b)\n\n- ééé\n")
    (p_tag, p_span), (ul_tag, ul_span) = found
    assert (p_tag, p_span.line, p_span.column, p_span.end_column) == ("p", 10, 1, 15)
    assert (ul_tag, ul_span.line, ul_span.end_line) == ("ul", 12, 12)
    assert text.find(p_span, "[a]") == (10, 9)


def test_a_block_ending_at_a_blank_line_ends_on_the_line_before():
    _text, found = blocks("Judul\n-----\n\nTeks.\n")
    assert found[0][1].end_line == 11  # cmark says "3:0"


def test_a_table_right_after_a_paragraph_gets_the_lines_it_stands_on():
    text, found = blocks("Masa simpan:\n| Data | Masa |\n| --- | --- |\n| A | 1 |\n")
    (p_tag, p_span), (table_tag, table_span) = found
    assert (p_tag, p_span.line, p_span.end_line) == ("p", 10, 10)
    assert (table_tag, table_span.line, table_span.end_line) == ("table", 11, 13)
    assert "\n| Data | Masa |\n" in "\n" + layout(text)


def test_a_hidden_character_written_as_a_reference_is_marked_and_reported():
    text = GitHubText("Teks &#8238;terbalik dan &ZeroWidthSpace; itu.\n", 5)
    assert text.hidden == ["\u202e", "\u200b"]
    assert HIDDEN in text.root[0].text
    reading = read(text, "contact")
    markdown_refusals.check(text, reading)
    problems = reading.sorted_problems()
    assert [p.message.split(";")[0] for p in problems] == [
        "a character reference here writes the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)",
        "a character reference here writes the invisible character U+200B (ZERO WIDTH SPACE)",
    ]
    assert [p.column for p in problems] == [6, 26]


def test_the_layout_nests_lists_in_steps_of_four_and_keeps_the_editors_lines():
    text = GitHubText("Kami dapat:\n- a\n  - b  \n    lanjut\n- c\n", 1)
    assert layout(text) == "Kami dapat:\n\n- a\n    - b  \n        lanjut\n- c\n"


def test_lines_no_block_shows_are_link_definitions_taken_to_the_end():
    text = GitHubText("[a]: https://kasir.id\n\nLihat [a].\n", 1)
    assert text.outside_blocks == ((1, "[a]: https://kasir.id"),)
    assert layout(text) == "Lihat [a].\n\n[a]: https://kasir.id\n"


def test_rules_give_each_problem_its_line_and_column():
    text = GitHubText("Teks <b>tebal</b>.\n\n## Judul\n\nHarga 3~5 hari, 7~10 hari.\n", 20)
    reading = read(text, "x")
    markdown_refusals.check(text, reading)
    problems = [(p.line, p.column, p.message.split(" ")[0]) for p in reading.sorted_problems()]
    assert problems == [(20, 6, "raw"), (22, 9, "heading"), (24, 8, "GitHub")]

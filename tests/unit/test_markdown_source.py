"""Reading the Markdown as an editor wrote it: positions, and the text Python-Markdown gets."""

from policy_site.markdown_source import scan


def source(body):
    return scan(body, first_line=10, contact_anchor="contact")


def test_a_list_indented_by_two_spaces_is_nested_as_github_shows_it():
    result = source("- a\n  - b\n    - c\n  - d\n- e")
    assert result.text.split("\n") == ["- a", "    - b", "        - c", "    - d", "- e"]
    assert result.problems == []


def test_a_list_right_after_a_paragraph_starts_a_list():
    assert source("Kami dapat:\n- a\n- b").text == "Kami dapat:\n\n- a\n- b"
    assert source("Tahun\n2026. berlaku").text == "Tahun\n2026. berlaku"


def test_headings_markers_and_links_are_found_with_their_lines():
    result = source(
        "Teks [a](/x/) dan <https://kasir.id>.\n\n"
        "## Kontak {#contact}\n\n"
        "E-mail : a@b.id\n{: .email }"
    )
    assert [(h.line, h.anchor, h.title) for h in result.headings] == [(12, "contact", "Kontak")]
    assert [(m.line, m.kind) for m in result.markers] == [(14, "email")]
    assert [(link.line, link.column, link.href) for link in result.links] == [
        (10, 10, "/x/"),
        (10, 20, "https://kasir.id"),
    ]
    assert [block.line for block in result.blocks] == [10, 12, 14]


def test_the_same_link_twice_is_found_at_each_place():
    result = source("[a](/x/)\n\n[b](/x/)")
    assert (result.link_line("/x/", 0), result.link_line("/x/", 1)) == (10, 12)


def test_code_spans_may_show_markup():
    assert source("Tulis `<b>` untuk tebal.").problems == []


def test_a_reference_link_needs_its_definition():
    assert source("[a][ok]\n\n[ok]: https://kasir.id").problems == []
    problem = source("Lihat [a][nope].").problems[0]
    assert (problem.line, problem.column) == (10, 7)

"""Where raw HTML stands in a paragraph's source: found where cmark-gfm finds it, one
place per comment GitHub's reading leaves in its stead."""

import random

import cmarkgfm
import pytest

from policy_site import inline_html

OMITTED = "<!-- raw HTML omitted -->"


def github_pieces(source):
    """How many pieces of raw HTML GitHub's renderer leaves out of ``source``."""
    rendered = cmarkgfm.markdown_to_html_with_extensions(
        source, options=0, extensions=["autolink", "strikethrough", "tagfilter"]
    )
    assert rendered.count("<p>") == 1, "one paragraph"
    return rendered.count(OMITTED)


@pytest.mark.parametrize(
    ("source", "places"),
    [
        ("Teks <b>x</b>\ndan <a href='y'>z</a>.", [(1, 6), (1, 10), (2, 5), (2, 18)]),
        ("Lihat <https://kasir.id> dan <i>x</i>", [(1, 30), (1, 34)]),
        ("Surel <tim@kasir.id> dan <i>", [(1, 26)]),
        ("Tulis `<b>` dan \\<b> dan <i>", [(1, 26)]),
        ('Lihat [x](<https://kasir.id> "<u>") dan <i>', [(1, 41)]),
        ("Lihat \\[x](<u v>) dan [y](a b) <i>", [(1, 12), (1, 32)]),
        (
            'Teks <span\ntitle="a">x <!-- c --> <?p?> <![CDATA[x]]>',
            [(1, 6), (2, 13), (2, 24), (2, 30)],
        ),
        ("Teks 3 < 5 dan a<b", []),
        ("[s]: <dokumen syarat.pdf>\nLihat lagi<br>ketentuan.", [(2, 11)]),
        ("[s]: https://x.y\n  'judul <b>'\nteks <i>", [(3, 6)]),
        ('[^a b]: /url "<b>"\nteks <i>', [(2, 6)]),
        ("Teks <!doctype> dan <!x> satu,\ndan <!DOCTYPE html> dua.", [(2, 5)]),
    ],
)
def test_each_piece_is_found_where_it_is_written(source, places):
    assert inline_html.starts(source.split("\n"), 1) == places
    assert github_pieces(source) == len(places)


def test_a_footnote_is_no_link_definition():
    """A footnote's first line is its text (GitHub leaves its ``<b>`` out), though it is
    written like a link reference definition with a title."""
    assert inline_html.starts(['[^1]: Lihat "<b>"'], 1) == [(1, 14)]


def test_the_lines_are_counted_from_the_blocks_first():
    assert inline_html.starts(["x", "<b>"], 9) == [(10, 1)]


def test_as_many_pieces_as_github_leaves_out_of_a_paragraph():
    """Random paragraphs of what editors write beside raw HTML: links, autolinks, code,
    escapes, emphasis."""
    pieces = [
        *("<b>", "</b>", '<a href="x">', "</a>", "<!-- c -->", '<i\nclass="q">'),
        *("`kode`", "`<b>`", "\\<b>", "&lt;", "<https://x.y>", "<a@b.c>", "https://x.y "),
        *("[t](u)", '[t](u "x<b>")', "[t](<u v>)", "[", "](", "(", ")", '"', "<", ">"),
        *("kata ", " ", "\n", "*", "_"),
    ]
    chance = random.Random(19)
    tried = 0
    while tried < 3000:
        source = "Teks " + "".join(chance.choice(pieces) for _ in range(chance.randint(1, 10)))
        lines = source.split("\n")
        if any(not line.strip() or line.lstrip()[:1] in "<*_>" for line in lines[1:]):
            continue  # a line that would start a block of its own
        tried += 1
        assert len(inline_html.starts(lines, 1)) == github_pieces(source), source

"""The HTML check reads markup as a browser does (the HTML5 parsing algorithm), holds it
to the allow-list, and a second sanitizer, nh3, must agree."""

import lxml.etree
import pytest

from policy_site import sanitize

REDIRECT = '<meta http-equiv="refresh" content="0;url=https://evil.example">'


def found(markup, allowed=sanitize.EDITOR_HTML):
    root = sanitize.parse_fragment(markup)
    return [what for _element, what in sanitize.enforce(root, allowed)], sanitize.inner_html(root)


@pytest.mark.parametrize(
    "markup",
    [
        f"<!--> {REDIRECT} -->",  # a browser ends this comment at "<!-->"
        f"<![CDATA[>{REDIRECT}]]>",  # in HTML, CDATA outside SVG is a bogus comment ending at ">"
        f"<!--->{REDIRECT}-->",
        f"<p>text<!-- -- -->{REDIRECT}</p>",
    ],
)
def test_markup_that_hides_an_element_from_other_parsers_is_read_as_a_browser_reads_it(markup):
    problems, cleaned = found(markup)
    assert "the HTML element <meta>" in problems
    assert "<meta" not in cleaned and "<!--" not in cleaned


def test_only_allowed_tags_attributes_classes_and_links_remain():
    markup = (
        '<p class="phone visually-hidden" onclick="x()">a</p><h2 id="s" style="color:red">S</h2>'
        '<a href="javascript:alert(1)">j</a><a href="//evil.example/">e</a>'
        '<a href="https://kasir.id" title="t">k</a><iframe src="https://kasir.id"></iframe>'
    )
    problems, cleaned = found(markup)
    assert problems == [
        "the class 'visually-hidden' on <p>",
        "the attribute onclick='x()' on <p>",
        "the attribute style='color:red' on <h2>",
        "the link 'javascript:alert(1)'",
        "the link '//evil.example/'",
        "the HTML element <iframe>",
    ]
    assert (
        cleaned
        == '<p>a</p><h2 id="s">S</h2><a>j</a><a>e</a><a href="https://kasir.id" title="t">k</a>'
    )


def test_text_that_looks_like_markup_is_serialized_as_text():
    root = sanitize.parse_fragment("<p>x</p>")
    root[0].text = f"{REDIRECT} & <18"
    assert sanitize.inner_html(root) == (
        '<p>&lt;meta http-equiv="refresh" content="0;url=https://evil.example"&gt; &amp; &lt;18</p>'
    )


def second_opinion(markup):
    return sanitize.second_opinion(sanitize.parse_fragment(markup), sanitize.EDITOR_HTML)


def test_the_second_sanitizer_finds_what_the_allow_list_would_not_pass():
    assert second_opinion('<p>a</p><p class="phone">b</p><a href="tel:+62">t</a>') is None
    assert second_opinion('<p>a</p><p onclick="x()">b</p>') == 1
    assert second_opinion('<p class="notice">a</p>') == 0
    assert second_opinion('<p>a</p><p>b <a href="data:text/html,x">c</a></p>') == 1
    assert second_opinion("<p>a</p><iframe></iframe>") == 1


def test_the_tree_is_an_lxml_tree_without_namespaces():
    root = sanitize.parse_fragment("<p>a</p>")
    assert isinstance(root[0], lxml.etree._Element) and root[0].tag == "p"


@pytest.mark.parametrize(
    ("block", "alone"),
    [
        ("<p>a <em>b</em></p>", True),
        ("<p><a href=x>1<b>2<a href=y>3</a>4</b>5</a></p>", True),  # nested links, mended
        ("<table><tr><td>a</td></tr></table>", True),
        ("<p>x<b>y</p>", False),  # <b> goes on into what follows
        ("<ul><li>a", False),
        ('<p title="x', False),  # a tag cut off
        ("<!-- x", False),
    ],
)
def test_a_block_parsed_alone_is_known_to_stand_alone_or_not(block, alone):
    """Where a block leaves the parser as it found it, the block followed by more parses
    as the block's tree followed by the tree of that more."""
    root, found_alone = sanitize.parse_block(block)
    assert found_alone is alone
    after = "<p>after <i>this</i></p>"
    together = lxml.etree.tostring(sanitize.parse_fragment(f"{block}\n{after}"))
    following = sanitize.parse_fragment(after)
    if len(root):
        root[-1].tail = (root[-1].tail or "") + "\n"
    root.extend(following)
    assert (lxml.etree.tostring(root) == together) is alone

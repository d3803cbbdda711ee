"""The check of a built site's links, on small hand-written sites."""

import json

import pytest

from policy_site.errors import PolicyBuildError, Problems
from policy_site.output_checks import check_output, pages_known, pages_record
from policy_site.security import headers_file, meta_policy


def site(tmp_path, pages):
    for path, body in pages.items():
        file = tmp_path / path
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(f"<!doctype html>\n<html><body>\n{body}\n</body></html>\n")
    return tmp_path


def problems_of(folder, siteurl=""):
    problems = Problems()
    check_output(str(folder), siteurl, "output", problems)
    if not len(problems):
        return []
    with pytest.raises(PolicyBuildError) as caught:
        problems.raise_if_any()
    return [str(problem) for problem in caught.value.problems]


GOOD = {
    "index.html": '<a href="/a/">a</a> <a href="/a/#s">s</a> <a href="#top" id="top">t</a>',
    "a/index.html": '<h2 id="s">S</h2><a href="../">up</a><a href="mailto:x@espay.id">m</a>'
    '<a href="tel:+622130030609">t</a><a href="https://wa.me/6281133328188">w</a>'
    '<a href="https://kasir.id">k</a><link rel="stylesheet" href="/style.css">',
    "style.css": "",
}


def test_a_site_whose_links_all_resolve_passes(tmp_path):
    assert problems_of(site(tmp_path, GOOD)) == []


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ('<a href="/missing/">x</a>', "link '/missing/' leads to no page or file of the site"),
        ('<a href="/a/#nope">x</a>', "link '/a/#nope' points to #nope, which /a/ does not have"),
        ('<a href="#nope">x</a>', "points to #nope, which this page does not have"),
        ('<a href="http://kasir.id">x</a>', "external link 'http://kasir.id' must use https:"),
        ('<a href="tel:021 3003 0609">x</a>', "is not in E.164 form"),
        ('<a href="mailto:support@">x</a>', "malformed e-mail link 'mailto:support@'"),
        ('<a href="https://wa.me/0811">x</a>', "malformed WhatsApp link"),
        ('<a href="javascript:alert(1)">x</a>', "uses the scheme 'javascript:'"),
        ('<script src="/app.js"></script>', "link '/app.js' leads to no page or file"),
    ],
)
def test_each_broken_link_is_named_with_page_and_line(tmp_path, link, message):
    pages = {**GOOD, "b/index.html": f"<p>text</p>\n{link}"}
    found = problems_of(site(tmp_path, pages))
    assert len(found) == 1, found
    assert found[0].startswith("output/b/index.html:4: ")
    assert message in found[0]


def test_a_link_to_a_place_on_its_page_is_read_as_a_browser_reads_it(tmp_path):
    """A tab or line break in an address is dropped by the browser; ``#`` is the page."""
    links = '<a href="#top\n">a</a> <a href="#t\top">b</a> <a href="#">c</a>'
    pages = {**GOOD, "404.html": f'<h1 id="top">T</h1>{links}', "b/c.html": links}
    found = problems_of(site(tmp_path, pages))
    assert len(found) == 2, found  # on the page without the place; none on 404.html
    assert all(
        problem.startswith("output/b/c.html:")
        and problem.endswith("points to #top, which this page does not have")
        for problem in found
    ), found


def test_links_under_an_absolute_site_address_are_checked_as_internal(tmp_path):
    siteurl = "https://legal.example.id/sub"
    pages = {"index.html": f'<a href="{siteurl}/a/">a</a>', "a/index.html": ""}
    assert problems_of(site(tmp_path, pages), siteurl) == []
    pages["index.html"] = f'<a href="{siteurl}/b/">b</a>'
    assert problems_of(site(tmp_path, pages), siteurl) == [
        f"output/index.html:3: link '{siteurl}/b/' leads to no page or file of the site"
    ]


def test_meta_policy_leaves_out_what_only_a_header_may_carry():
    headers = {"Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'"}
    assert meta_policy(headers) == "default-src 'none'"
    assert headers_file(headers) == (
        "/*\n  Content-Security-Policy: default-src 'none'; frame-ancestors 'none'\n"
        "/versions.json\n  Access-Control-Allow-Origin: *\n"
    )


def test_a_record_of_pages_read_gives_back_what_was_read_and_nothing_of_another_shape():
    read = {"a/index.html": ([("/b/", 3), ("#top", None)], frozenset({"top", "x"}))}
    digests = {"a/index.html": "d1", "b/index.html": "d2"}
    record = json.loads(json.dumps(pages_record(read, digests)))
    assert pages_known(record, digests) == read
    hostile = {
        "d1": [["/b/"], ["3"], []],
        "d2": "links",
        "d3": [[], [], [1]],
        "d4": [["/"], [], []],
    }
    assert pages_known(hostile, {**digests, "c/index.html": "d3", "d/index.html": "d4"}) == {}
    assert pages_known(["not", "a", "record"], digests) == {}

"""A text made block by block is the tree the text rendered whole gives, node for node,
whatever blocks other texts made before it; texts that cannot be made so are rendered
whole."""

import lxml.etree
import pytest

from policy_site.document import read_document
from policy_site.errors import Problems
from policy_site.github_markdown import GitHubText
from policy_site.markdown_blocks import BlockRenderer
from policy_site.python_markdown import converter
from tests.sites import POLICY_EN, POLICY_ID, ROOT
from tests.unit.test_github_parity import CASES

SHIPPED = sorted((ROOT / "content" / "policies").glob("*/*.md"))


def body(source):
    """The Markdown body of a policy file's text."""
    document = read_document("policy.md", source.encode(), ("id", "en"), Problems())
    return document.body


def corpus():
    """Every case of the GitHub corpus, each followed by the next and by the one before
    (what one block leaves for the next), the fixtures' texts and the shipped texts."""
    texts = [text for _name, text in CASES]
    pairs = [*zip(texts, texts[1:], strict=False), *zip(texts[1:], texts, strict=False)]
    texts += [f"{first}\n{second}" for first, second in pairs]
    texts += [body(POLICY_ID), body(POLICY_EN)]
    texts += [body(path.read_text(encoding="utf-8")) for path in SHIPPED]
    return texts


def shape(found):
    root, tokens = found
    return lxml.etree.tostring(root, encoding="unicode"), tokens


def test_block_by_block_is_the_tree_of_the_whole_text():
    shared, by_blocks = BlockRenderer(converter()), 0
    for text in corpus():
        github = GitHubText(text, 1)
        blocks = shared.by_blocks(github)
        whole = BlockRenderer(converter()).whole(GitHubText(text, 1))
        if blocks is not None:
            by_blocks += 1
            assert shape(blocks) == shape(whole), text
    assert by_blocks >= len(corpus()) * 2 // 3  # most texts go block by block


@pytest.mark.parametrize("policy", [POLICY_ID, POLICY_EN], ids=["id", "en"])
def test_a_policy_of_headings_paragraphs_and_lists_goes_block_by_block(policy):
    """The fixtures' texts, not the shipped ones: an editor may add a footnote, which
    sends a text whole (the comparison above holds the shipped texts too)."""
    assert BlockRenderer(converter()).by_blocks(GitHubText(body(policy), 1))


@pytest.mark.parametrize(
    "text",
    [
        "A note[^1].\n\n[^1]: The note.\n",  # footnotes are numbered across the text
        "See [the law][law].\n\n[law]: https://example.id/law\n",  # a reference
        "## Data\n\nText.\n\n## Data\n\nMore.\n",  # the second heading's id is numbered
        "[TOC]\n\n## Data\n",
        # definitions only Python-Markdown takes out of a block: in a quote, a list, a
        # paragraph's last line
        "See [a].\n\n> x\n> [a]: https://example.com\n",
        "See [a].\n\n> [a]: https://example.com\n> x\n",
        "See [a].\n\n- x\n\n  [a]: https://example.com\n",
        "See [a].\n\ntext\n[a]: https://example.com\n",
        "See [^a].\n\n> [^a]: A note in a quote.\n",
    ],
    ids=[
        "footnote",
        "reference",
        "same heading",
        "toc marker",
        "reference in a quote",
        "reference opening a quote",
        "reference in a list",
        "reference after a line",
        "footnote in a quote",
    ],
)
def test_a_text_whose_blocks_depend_on_each_other_is_rendered_whole(text):
    renderer = BlockRenderer(converter())
    assert renderer.by_blocks(GitHubText(text, 1)) is None
    assert shape(renderer.tree(GitHubText(text, 1))) == shape(
        BlockRenderer(converter()).whole(GitHubText(text, 1))
    )

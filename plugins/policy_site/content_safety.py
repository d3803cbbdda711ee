"""Raw HTML in a policy's Markdown is limited to a small, harmless set."""

_BLOCK_TAGS = "p div blockquote pre hr h2 h3 h4 h5 h6 ul ol li dl dt dd table thead tbody tr th td"
_INLINE_TAGS = "a abbr br code em small span strong sub sup"
ALLOWED_TAGS = frozenset(f"{_BLOCK_TAGS} {_INLINE_TAGS}".split())
ALLOWED_ATTRIBUTES = frozenset({"href", "id", "class", "title", "lang", "colspan", "rowspan"})
SAFE_SCHEMES = ("https:", "mailto:", "tel:", "#", "/")


def check_content_safety(soup, document, problems):
    """Report each element, attribute or link in the rendered text outside the allowed set."""
    for element in soup.find_all(True):
        if element.name == "h1":
            problems.add(
                document.path,
                "a '# ' heading repeats the page title; start sections with '## '",
                document.line_of(element.get_text()),
            )
        elif element.name not in ALLOWED_TAGS:
            problems.add(
                document.path,
                f"<{element.name}> is not allowed in a policy; allowed HTML: "
                f"{', '.join(sorted(ALLOWED_TAGS))}",
                document.line_of(f"<{element.name}"),
            )
        for name, value in element.attrs.items():
            if name not in ALLOWED_ATTRIBUTES:
                problems.add(
                    document.path,
                    f"attribute '{name}' on <{element.name}> is not allowed in a policy "
                    "(no scripts, event handlers or inline styles)",
                    document.line_of(f"{name}="),
                )
            elif name == "href" and not _safe_link(value):
                problems.add(
                    document.path,
                    f"link '{value}' is not allowed: links are https:, mailto:, tel:, "
                    "site paths (/...) or #anchors",
                    document.line_of(value),
                )


def _safe_link(href):
    href = href.strip().lower()
    return href.startswith(SAFE_SCHEMES) and not href.startswith("//")

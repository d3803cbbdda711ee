"""Links written in a policy lead to a page and section of this site, or are well-formed.

Only the newest text of each policy and language is checked: older versions are
history and cannot be edited.
"""

from urllib.parse import urlsplit

from .contact import e164, email_href
from .markup import THEME_IDS
from .page_models import PolicyPage


def check_content_links(pages, series, region, problems):
    """Report links in the newest texts that lead nowhere or are malformed."""
    targets = {page.url: page for page in pages}
    for _key, one_series in sorted(series.items()):
        entry = one_series.newest
        body = entry.text
        for href, line in body.links:
            message = _problem(href, body, targets, region)
            if message:
                problems.add(entry.document.path, message, line)


def _problem(href, body, targets, region):
    try:
        parts = urlsplit(href)
    except ValueError:  # urllib: a bracket that opens no IPv6 host, and the like
        return f"link '{href}' is not a valid address; check what the link text points to"
    if parts.scheme == "mailto":
        return _well_formed(email_href, parts.path)
    if parts.scheme == "tel":
        return _well_formed(lambda number: e164(number, region), parts.path)
    if parts.scheme:
        return None  # external; content safety allows https: only
    if not parts.path:
        if parts.fragment not in body.ids:
            return f"link '{href}' points to #{parts.fragment}, a section this text does not have"
        return None
    path = parts.path.removeprefix("/")
    page = targets.get(path)
    if page is None:
        hint = f"; did you mean /{path}/?" if f"{path}/" in targets else ""
        return f"link '{href}' leads to no page of this site{hint}"
    if parts.fragment and isinstance(page, PolicyPage):
        ids = page.version.entry.text.ids | THEME_IDS
        if parts.fragment not in ids:
            return f"link '{href}' points to #{parts.fragment}, which that page does not have"
    return None


def _well_formed(check, value):
    try:
        check(value)
    except ValueError as error:
        return f"malformed link: {error}"
    return None

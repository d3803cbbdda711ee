"""Links written in a policy lead to a page and section of this site, or are well-formed.

Only the newest text of each policy and language is checked: older versions are
history and cannot be edited.
"""

from urllib.parse import urlsplit

from .contact import e164, email_href
from .markup import THEME_IDS
from .messages import _
from .page_models import PolicyPage


def check_content_links(pages, series, region, problems):
    """Report links in the newest texts that lead nowhere or are malformed."""
    targets = {page.url: page for page in pages}
    for _key, one_series in sorted(series.items()):
        entry = one_series.newest
        body = entry.text
        for href, line, column in body.links:
            message = _problem(href, body, targets, region)
            if message:
                problems.add(entry.document.path, message, line, column)


def _problem(href, body, targets, region):
    try:
        parts = urlsplit(href)
    except ValueError:  # urllib: a bracket that opens no IPv6 host, and the like
        return _(
            "link '%(href)s' is not a valid address; check what the link text points to", href=href
        )
    if parts.scheme == "mailto":
        return _well_formed(email_href, parts.path)
    if parts.scheme == "tel":
        return _well_formed(lambda number: e164(number, region), parts.path)
    if parts.scheme:
        return None  # external; content safety allows https: only
    if not parts.path:
        if parts.fragment not in body.ids:
            return _(
                "link '%(href)s' points to #%(anchor)s, a section this text does not have",
                href=href,
                anchor=parts.fragment,
            )
        return None
    return _site_link_problem(href, parts, targets)


def _site_link_problem(href, parts, targets):
    """What is wrong with a link to a page of this site, if anything."""
    path = parts.path.removeprefix("/")
    page = targets.get(path)
    if page is None:
        if f"{path}/" in targets:
            return _(
                "link '%(href)s' leads to no page of this site; did you mean /%(path)s/?",
                href=href,
                path=path,
            )
        return _("link '%(href)s' leads to no page of this site", href=href)
    if parts.fragment and isinstance(page, PolicyPage):
        ids = page.version.entry.text.ids | THEME_IDS
        if parts.fragment not in ids:
            return _(
                "link '%(href)s' points to #%(anchor)s, which that page does not have",
                href=href,
                anchor=parts.fragment,
            )
    return None


def _well_formed(check, value):
    try:
        check(value)
    except ValueError as error:
        return _("malformed link: %(error)s", error=error)
    return None

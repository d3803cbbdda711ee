"""The history of each top-level section of a policy in one language: every version
that added, changed or removed it, oldest first, with the section's text before and after;
and the links a policy page's headings carry, to themselves and to those histories."""

from dataclasses import dataclass

import lxml.etree

from .markup import HEADINGS, visible_text
from .messages import N_
from .page_models import HeadingLinks, SectionHistoryPage
from .rendered_text import section_titles
from .sanitize import inner_html

_HISTORY = N_("History")  # a section heading's link to its history
_HISTORY_OF = N_("History of the section: %(title)s")
PERMALINK_OF = N_("Link to this section: %(title)s")


@dataclass(frozen=True)
class SectionChange:
    version: object  # the VersionLink that made the change
    kind: str  # "added", "changed" or "removed"
    old: str  # the section's XHTML before ("" when added)
    new: str  # and after ("" when removed)
    previous: object = None  # the VersionLink whose text ``old`` is (None when added first)


@dataclass(frozen=True)
class SectionHistory:
    anchor: str
    title: str  # its newest title
    changes: tuple  # SectionChanges, oldest first


def section_histories(view):
    """``{anchor: SectionHistory}`` of every level-2 section any version of ``view`` had."""
    before, titles, changes, previous = {}, {}, {}, None
    for link in reversed(view.versions):  # oldest first
        text = link.entry.text
        now = sections_of(text.plain)
        titles.update({a: t for a, t in section_titles(text.sections).items() if a in now})
        for anchor, html in now.items():
            if before.get(anchor) != html:
                kind = "changed" if anchor in before else "added"
                changes.setdefault(anchor, []).append(
                    SectionChange(link, kind, before.get(anchor, ""), html, previous)
                )
        for anchor in before.keys() - now.keys():
            changes[anchor].append(SectionChange(link, "removed", before[anchor], "", previous))
        before, previous = now, link
    return {
        anchor: SectionHistory(anchor, titles[anchor], tuple(found))
        for anchor, found in changes.items()
    }


def sections_of(plain):
    """``{anchor: XHTML}`` of each level-2 section of a rendered text's ``plain`` form:
    its heading and the blocks up to the next level-2 heading."""
    if not plain.strip():
        return {}
    root = lxml.etree.fromstring(f"<div>{plain}</div>")
    sections, current = {}, None
    for block in root:
        if block.tag == "h2" and block.get("id"):
            current = block.get("id")
            sections[current] = []
        if current:
            sections[current].append(lxml.etree.tostring(block, encoding="unicode"))
    return {anchor: "".join(parts) for anchor, parts in sections.items()}


def with_heading_links(plain, links):
    """The page HTML of a text (given as its ``plain`` XHTML): each anchored heading
    wrapped with a link to itself, named by ``links.permalink_of``, and each level-2
    heading's with a link to its section's history where it has one (``links``: a
    HeadingLinks)."""
    root = lxml.etree.fromstring(f"<div>{plain}</div>")
    for heading in list(root.iter(*HEADINGS)):
        anchor = heading.get("id")
        if not anchor:
            continue
        title = visible_text(heading)
        wrapper = lxml.etree.Element("div", {"class": "section-heading"})
        wrapper.tail, heading.tail = heading.tail, None
        heading.addprevious(wrapper)
        wrapper.append(heading)
        label = links.permalink_of % {"title": title}
        permalink = lxml.etree.SubElement(
            wrapper, "a", {"class": "permalink", "href": f"#{anchor}", "aria-label": label}
        )
        permalink.text = "#"
        target = links.history(anchor) if heading.tag == "h2" else None
        if target is not None:
            label = links.history_label(title)
            history = lxml.etree.SubElement(
                wrapper, "a", {"class": "section-history", "href": target, "aria-label": label}
            )
            history.text = links.history_label(None)
    return inner_html(root)


class HistoryPages:
    """The history page of every section of every policy and language, and the links
    to them from the policy pages' headings."""

    def __init__(self, views, urls, localizer, siteurl, common):
        self.views = views  # SiteViews
        self.urls = urls
        self.localizer = localizer
        self.siteurl = siteurl
        self.common = common  # (view, url) -> what every page about the policy has
        self.histories = {key: section_histories(view) for key, view in views.views.items()}
        self._links = {}

    def url(self, policy, lang, anchor):
        return self.urls.history(lang, self.views.series[policy, lang].slug, anchor)

    def links(self, policy, view):
        """The HeadingLinks of a text's page (one object per policy and language)."""
        key = policy, view.lang
        if key not in self._links:
            translate = self.localizer.translate
            urls = tuple(
                (anchor, f"{self.siteurl}/{self.url(policy, view.lang, anchor)}")
                for anchor in sorted(self.histories[key])
            )
            self._links[key] = HeadingLinks(
                urls,
                translate(view.lang, _HISTORY),
                translate(view.lang, _HISTORY_OF),
                translate(view.lang, PERMALINK_OF),
            )
        return self._links[key]

    def pages(self, policy, view):
        for anchor, history in sorted(self.histories[policy, view.lang].items()):
            url = self.url(policy, view.lang, anchor)
            yield SectionHistoryPage(
                **self.common(view, url),
                alternates=tuple(self._alternates(policy, view.lang, anchor, url)),
                series=view.ref,
                anchor=anchor,
                title=history.title,
                changes=tuple(reversed(history.changes)),
            )

    def _alternates(self, policy, lang, anchor, url):
        """The same section's history in each language that has it; elsewhere, the
        archive, marked unavailable."""
        for other in self.localizer.languages:
            view = self.views.views.get((policy, other))
            if view is None:
                continue
            if anchor in self.histories[policy, other]:
                target = url if other == lang else self.url(policy, other, anchor)
                yield self.views.language_link(other, target)
            else:
                yield self.views.language_link(other, view.archive_url, available=False)

"""The redline a changes page shows, made when the page is written: from the cache of
redlines, or at once; and not at all when the cache already holds the written page.
A build keeps no more than the last two redlines, so memory stays flat; they catch the
pair two pages show (the newest version's changes and the version before it compared
with the version in effect), which are written one after the other."""

import dataclasses
import hashlib

import lxml.etree
from markupsafe import Markup

from .markup import HEADINGS
from .page_models import SectionLink
from .redline import Labels, redline
from .rendering import section_titles
from .sanitize import elements, inner_html, parse_fragment


@dataclasses.dataclass(frozen=True)
class Marks:
    """What the template shows of a redline."""

    content: Markup
    changed_sections: tuple  # SectionLinks
    unchanged: bool
    old_title: str | None  # set when the title changed
    changes: int = 0  # blocks changed, inserted or deleted
    first_change: str | None = None  # the id of the first


class PageRedlines:
    def __init__(self, localizer, cache):
        self.localizer = localizer
        self.cache = cache
        self.recent = {}  # key: redline, the last two made

    def _redline(self, old_plain, new_plain, labels):
        key = (_digest(old_plain), _digest(new_plain), *dataclasses.astuple(labels))
        if key not in self.recent:
            made = self.cache.redline(key, lambda: redline(old_plain, new_plain, labels))
            self.recent = {**dict(list(self.recent.items())[-1:]), key: made}
        return self.recent[key]

    def marks(self, page):
        old_text, new_text = page.old_text, page.new_text
        labels = self._labels(page.lang)
        marks = self._redline(old_text.plain, new_text.plain, labels)
        titles = section_titles(old_text.sections) | section_titles(new_text.sections)
        opening = self.localizer.catalog(page.lang).gettext("Introduction")
        changed = tuple(
            SectionLink(anchor, titles.get(anchor, opening) if anchor else opening)
            for anchor in marks.changed_sections
        )
        old_title = page.previous.entry.document.title
        new_title = page.version.entry.document.title
        gettext = self.localizer.catalog(page.lang).gettext
        html, stops = waypoints(marks.html, gettext("Next change"), gettext("Back to the list"))
        return Marks(
            content=Markup(html),
            changed_sections=changed,
            unchanged=marks.unchanged and old_title == new_title,
            old_title=old_title if old_title != new_title else None,
            changes=len(stops),
            first_change=stops[0] if stops else None,
        )

    def section_marks(self, page):
        """The redline of each change on a section's history page, without ids: the page
        shows the same section several times, and links to it go to the policy pages."""
        labels = self._labels(page.lang)
        return tuple(
            Markup(_without_ids(self._redline(c.old, c.new, labels).html)) for c in page.changes
        )

    def _labels(self, lang):
        gettext = self.localizer.catalog(lang).gettext
        return Labels(
            inserted=gettext("[inserted:"),
            inserted_end=gettext("end of insertion]"),
            deleted=gettext("[deleted:"),
            deleted_end=gettext("end of deletion]"),
            heading_changed=gettext("%(title)s (heading changed; it was: %(old)s)"),
            heading_inserted=gettext("%(title)s (heading inserted)"),
            heading_deleted=gettext("%(title)s (heading deleted)"),
        )


def _digest(text):
    return hashlib.sha256(text.encode()).hexdigest()


_MARKED = {"inserted", "deleted", "changed"}


def waypoints(html, next_label, back_label):
    """The redline ``html`` with an id on every marked block (changed, inserted or
    deleted; the outermost where they nest) and, at the end of each that is not a
    heading, a link to the next one (the last leads back to the list of sections):
    a path from change to change that needs no script. Returns it and the ids in order."""
    root = parse_fragment(html)
    taken = {e.get("id") for e in elements(root) if e.get("id")}
    marked = [e for e in elements(root) if _MARKED & set(e.get("class", "").split())]
    outermost = [e for e in marked if not any(a in marked for a in e.iterancestors())]
    stops = []
    for number, element in enumerate(outermost, start=1):
        if not element.get("id"):
            name = f"change-{number}"
            while name in taken:
                name += "-1"
            taken.add(name)
            element.set("id", name)
        stops.append(element.get("id"))
    for position, element in enumerate(outermost):
        holder = _phrasing_end(element)
        if holder.tag in HEADINGS:
            continue
        following = stops[position + 1] if position + 1 < len(stops) else None
        link = lxml.etree.SubElement(holder, "a")
        link.set("class", "next-change")
        link.set("href", f"#{following}" if following else "#changed-sections-title")
        link.text = next_label if following else back_label
    return inner_html(root), stops


_CONTAINERS = {"div", "dl", "ul", "ol", "table", "thead", "tbody", "tr", "blockquote", "address"}


def _phrasing_end(element):
    """Where a link can end ``element``: its last block that holds text (a contact
    entry's last ``dd``, a table's last cell), never a list or a definition list itself."""
    while element.tag in _CONTAINERS:
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            break
        element = children[-1]
    return element


def _without_ids(html):
    root = parse_fragment(html)
    for element in elements(root):
        element.attrib.pop("id", None)
    return inner_html(root)

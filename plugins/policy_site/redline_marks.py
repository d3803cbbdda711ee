"""The redline a changes page shows, made when the page is written: from the cache of
redlines, or at once; and not at all when the cache already holds the written page.
A build keeps no more than the last two redlines, so memory stays flat; they catch the
pair two pages show (the newest version's changes and the version before it compared
with the version in effect), which are written one after the other."""

import dataclasses
import hashlib

from markupsafe import Markup

from .page_models import SectionLink
from .redline import Labels, redline
from .rendered_text import section_titles


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
    def __init__(self, localizer, cache, siteurl):
        self.localizer = localizer
        self.cache = cache
        self.siteurl = siteurl
        self.recent = {}  # key: redline, the last two made

    def _redline(self, old_plain, new_plain, labels, elsewhere=None):
        key = (_digest(old_plain), _digest(new_plain), elsewhere, *dataclasses.astuple(labels))
        if key not in self.recent:
            made = self.cache.redline(key, lambda: redline(old_plain, new_plain, labels, elsewhere))
            self.recent = {**dict(list(self.recent.items())[-1:]), key: made}
        return self.recent[key]

    def marks(self, page):
        old_text, new_text = page.old_text, page.new_text
        gettext = self.localizer.catalog(page.lang).gettext
        labels = dataclasses.replace(
            self._labels(page.lang),
            next_change=gettext("Next change"),
            back_to_list=gettext("Back to the list"),
        )
        marks = self._redline(old_text.plain, new_text.plain, labels)
        titles = section_titles(old_text.sections) | section_titles(new_text.sections)
        opening = self.localizer.catalog(page.lang).gettext("Introduction")
        changed = tuple(
            SectionLink(anchor, titles.get(anchor, opening) if anchor else opening)
            for anchor in marks.changed_sections
        )
        old_title = page.previous.entry.document.title
        new_title = page.version.entry.document.title
        stops = marks.stops
        return Marks(
            content=Markup(marks.html),
            changed_sections=changed,
            unchanged=marks.unchanged and old_title == new_title,
            old_title=old_title if old_title != new_title else None,
            changes=len(stops),
            first_change=stops[0] if stops else None,
        )

    def section_marks(self, page):
        """The redline of each change on a section's history page, without ids: the page
        shows the same section several times; a link to a fragment of the text (a
        footnote) goes to the page of the version that made the change, or, where that
        text no longer has it (a note the change removed), to the version before."""
        labels = self._labels(page.lang)
        return tuple(
            Markup(self._redline(c.old, c.new, labels, self._pages_of(c)).html)
            for c in page.changes
        )

    def _pages_of(self, change):
        """``((address, ids of its text), ...)``: where a fragment link of ``change`` leads."""
        links = (change.version, change.previous) if change.previous else (change.version,)
        return tuple(
            (f"{self.siteurl}/{link.url}", tuple(sorted(link.entry.text.ids))) for link in links
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

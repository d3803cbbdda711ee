"""Pages a rebuild need not render: where a page's key (``page_keys``: its whole model)
is the one the build before recorded for that file, and the output that build left
still holds the file with the bytes it recorded, those bytes are the page.

The record lives in the cache, in the folder of the cache's fingerprint (code, theme,
catalogs, settings, libraries: the rest of the template's input), as one file naming
each page's output file, key and the SHA-256 of its HTML. A publishing build has no
cache and renders every page; a page whose model holds a value without a digest is
rendered every time."""

import hashlib
import json

from .page_keys import PageKeys

RECORD = "pages.json"


class PageReuse:
    """The pages of one build: which can be taken from the build before, and the record
    for the next."""

    def __init__(self, cache, staged):
        self.cache = cache
        self.staged = staged  # the StagedBuild: the output the build before left
        # no keys where nothing records them (no cache: a publishing build)
        self.keys = PageKeys() if cache.keeps_records else None
        self.before = _valid(cache.read_record(RECORD))
        self.now = {}
        self.reused = 0

    def html(self, name, page):
        """The HTML of ``page``, written to ``name``, from the build before; else None."""
        key = self.keys.key(page) if self.keys else None
        if key is None:
            return None
        self.now[name] = [key, None]
        recorded = self.before.get(name)
        if recorded is None or recorded[0] != key:
            return None
        data = self.staged.previous_bytes(name)
        if data is None or hashlib.sha256(data).hexdigest() != recorded[1]:
            return None
        self.now[name][1] = recorded[1]
        self.reused += 1
        return data.decode("utf-8")

    def rendered(self, name, html):
        """``html`` was rendered for ``name``: record it for the next build."""
        if name in self.now:
            self.now[name][1] = hashlib.sha256(html.encode("utf-8")).hexdigest()

    def save(self):
        record = {name: entry for name, entry in self.now.items() if entry[1] is not None}
        if record == self.before:
            return  # as it was: not written again
        self.cache.write_record(RECORD, json.dumps(record, sort_keys=True).encode("utf-8"))


def _valid(record):
    """``{name: [key, digest]}`` of a record as read, dropping what is not of that shape."""
    if not isinstance(record, dict):
        return {}
    return {
        name: entry
        for name, entry in record.items()
        if isinstance(entry, list) and len(entry) == 2 and all(isinstance(e, str) for e in entry)
    }

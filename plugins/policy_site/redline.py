"""What changed between two versions of a policy text: word-level insertions and deletions.

Blocks (paragraphs, headings, list items) are aligned first; words are compared
only inside a pair of matching blocks, so every ``<ins>`` and ``<del>`` stays
inside the block it belongs to. Each mark carries hidden text for screen
readers, so the change is clear without colour.
"""

import copy
import functools
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from bs4 import BeautifulSoup, Tag

_TOKEN = re.compile(r"<[^>]+>|\s+|[^\s<]+")
_LISTS = ("ul", "ol")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_SIMILAR = 0.5


@dataclass(frozen=True)
class Labels:
    """Hidden text around each mark, in the page's language."""

    inserted: str
    inserted_end: str
    deleted: str
    deleted_end: str


@dataclass(frozen=True)
class Redline:
    html: str
    changed_sections: tuple  # anchors of the sections with a change; None: before the first
    unchanged: bool


def redline(old_html, new_html, labels):
    """The new text with what changed since the old one marked."""
    differ = _Differ(labels)
    differ.align(*_blocks(old_html), *_blocks(new_html))
    return Redline("\n".join(differ.output), tuple(differ.changed), not differ.changed)


@functools.lru_cache(maxsize=8)
def _blocks(html):
    """The top-level blocks of ``html`` and their markup. A text is parsed once, as the
    newer text of one redline and the older of the next; callers must not change them."""
    soup = BeautifulSoup(html, "html.parser")
    blocks = tuple(node for node in soup.contents if isinstance(node, Tag))
    return blocks, tuple(str(block) for block in blocks)


class _Differ:
    def __init__(self, labels):
        self.labels = labels
        self.output = []
        self.changed = []
        self.section = None

    def align(self, old, old_keys, new, new_keys):
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                for block in new[j1:j2]:
                    self._emit(str(block), block, changed=False)
            else:
                self._pair(old[i1:i2], new[j1:j2])

    def _pair(self, old, new):
        """Match changed blocks by tag and likeness; the rest were deleted or inserted."""
        remaining = list(old)
        for block in new:
            match = _most_similar(block, remaining)
            if match is None:
                self._emit(self._whole(block, "ins"), block)
                continue
            for skipped in remaining[: remaining.index(match)]:
                self._emit(self._whole(skipped, "del", drop_ids=True), skipped)
            remaining = remaining[remaining.index(match) + 1 :]
            self._emit(self._changed(match, block), block)
        for skipped in remaining:
            self._emit(self._whole(skipped, "del", drop_ids=True), skipped)

    def _emit(self, html, block, changed=True):
        if block.name in _HEADINGS and block.get("id"):
            self.section = block["id"]
        if changed and self.section not in self.changed:
            self.changed.append(self.section)
        self.output.append(html)

    def _changed(self, old, new):
        if new.name in _LISTS:
            items = _Differ(self.labels)
            items.section = self.section
            old_items = old.find_all("li", recursive=False)
            new_items = new.find_all("li", recursive=False)
            items.align(old_items, list(map(str, old_items)), new_items, list(map(str, new_items)))
            return _wrap(new, "\n".join(items.output))
        return _wrap(new, self._words(_inner(old), _inner(new)))

    def _whole(self, block, kind, drop_ids=False):
        if drop_ids:
            block = copy.copy(block)  # the parsed blocks are shared
            for element in [block, *block.find_all(id=True)]:
                element.attrs.pop("id", None)
        return _wrap(block, self._mark(_TOKEN.findall(_inner(block)), kind), kind)

    def _words(self, old, new):
        old_tokens, new_tokens = _TOKEN.findall(old), _TOKEN.findall(new)
        matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
        parts = []
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                parts.extend(new_tokens[j1:j2])
                continue
            deleted = [token for token in old_tokens[i1:i2] if not token.startswith("<")]
            parts.append(self._mark(deleted, "del"))
            parts.append(self._mark(new_tokens[j1:j2], "ins"))
        return "".join(parts)

    def _mark(self, tokens, kind):
        """Wrap each run of text in ``kind``; tags stay outside, so nesting stays valid."""
        start, end = (
            (self.labels.inserted, self.labels.inserted_end)
            if kind == "ins"
            else (self.labels.deleted, self.labels.deleted_end)
        )
        parts, run = [], []

        def close_run():
            text = "".join(run)
            if text.strip():
                parts.append(
                    f'<{kind}><span class="visually-hidden">{start} </span>{text}'
                    f'<span class="visually-hidden"> {end}</span></{kind}>'
                )
            elif text:
                parts.append(text)
            run.clear()

        for token in tokens:
            if token.startswith("<"):
                close_run()
                parts.append(token)
            else:
                run.append(token)
        close_run()
        return "".join(parts)


def _most_similar(block, candidates):
    best, best_ratio = None, _SIMILAR
    text = block.get_text()
    for candidate in candidates:
        if candidate.name != block.name:
            continue
        ratio = SequenceMatcher(None, candidate.get_text(), text, autojunk=False).ratio()
        if ratio >= best_ratio:
            best, best_ratio = candidate, ratio
    return best


def _inner(block):
    return "".join(str(child) for child in block.contents)


def _wrap(block, inner, kind=None):
    """``block``'s own tag around ``inner``, marked as a whole insertion or deletion."""
    attributes = dict(block.attrs)
    if kind:
        classes = [*attributes.get("class", []), "inserted" if kind == "ins" else "deleted"]
        attributes["class"] = classes
    closing = f"</{block.name}>"
    empty = str(BeautifulSoup("", "html.parser").new_tag(block.name, attrs=attributes))
    return f"{empty.removesuffix(closing)}{inner}{closing}"

"""What changed between two versions of a policy text: word-level insertions and deletions.

Blocks (paragraphs, headings, list items, quotes, table rows, contact entries) are
aligned first; words are compared only inside a pair of matching blocks, so every
``<ins>`` and ``<del>`` stays inside the block it belongs to. The result is built as a
tree and serialized once, so text stays text. Each mark carries hidden text for screen
readers, so the change is clear without colour; a changed heading reads as its new
title and what it was, and the text's headings stand one level below the page's own.
"""

import copy
import functools
import os
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

import lxml.etree

from . import sanitize
from .errors import SiteError
from .markup import HEADINGS, element_text, visible_text
from .messages import _
from .redline_path import mark_path

# A word with the white space after it (white space alone only at the start): white space
# as tokens of its own would make every gap match every gap, which costs difflib
# quadratic time on a long paragraph.
_WORDS = re.compile(r"\S+\s*|\s+")
# Bounds on difflib's work, so that no pair of texts takes more than a few seconds,
# counted in pairs of words (or characters) compared: within one pair of blocks, and in
# all of one redline; beyond them, blocks are paired in order and shown as wholly
# replaced (coarser, still correct). Also: the blocks a changed block is compared with,
# and the characters compared for likeness.
_MAX_TOKEN_PAIRS = 4_000_000
_MAX_WORK = 10_000_000
_MAX_CANDIDATES = 20
_MAX_LIKENESS_CHARACTERS = 1_000
# blocks whose children are aligned as blocks of their own
_CONTAINERS = frozenset(
    {"ul", "ol", "blockquote", "address", "dl", "section", "table", "thead", "tbody"}
)
_SIMILAR = 0.5


@dataclass(frozen=True)
class Labels:
    """Hidden text around each mark, in the page's language, and what a screen reader
    reads for a marked heading (``%(title)s``, ``%(old)s``); without them, a heading
    keeps its marks alone."""

    inserted: str
    inserted_end: str
    deleted: str
    deleted_end: str
    heading_changed: str = ""
    heading_inserted: str = ""
    heading_deleted: str = ""
    next_change: str = ""  # with it, a path from change to change (``redline_path``)
    back_to_list: str = ""


@dataclass(frozen=True)
class Redline:
    html: str
    changed_sections: tuple  # anchors of the sections with a change; None: before the first
    unchanged: bool
    stops: tuple = ()  # ids of the path's stops, in order


def redline(old_html, new_html, labels, elsewhere=None):
    """The new text with what changed since the old one marked; with
    ``labels.next_change``, a path through the changes. With ``elsewhere`` (pages that
    show a text whole, as ``(address, ids its text has)``), no element keeps its id and a
    link to a fragment of the text leads to the first of them that has it (else the
    first): for a page that shows parts of texts several times."""
    old, new = _blocks(old_html), _blocks(new_html)
    differ = _Differ(labels, _ids(new[0]), _Work(_MAX_WORK))
    differ.align(*old, *new)
    shown, pieces = differ.shown, differ.output
    if elsewhere is None:
        _unlink_lost_fragments(shown, pieces)
    else:
        shown = [_copy(block) for block in shown]  # unchanged blocks are shared
        for element in (e for block in shown for e in block.iter()):
            element.attrib.pop("id", None)
            if element.tag == "a" and element.get("href", "").startswith("#"):
                element.set("href", _page_with(elsewhere, element.get("href")))
        pieces = [None] * len(shown)
    stops = mark_path(shown, labels.next_change, labels.back_to_list) if labels.next_change else ()
    markup = "".join(
        f"{piece if piece is not None else _markup(block)}\n"
        for piece, block in zip(pieces, shown, strict=True)
    )
    elements = (element for block in shown for element in block.iter())
    if not sanitize.agrees(markup, elements, sanitize.PAGE_HTML):
        raise SiteError(
            _(
                "a redline came out with markup the allow-list does not pass; this is a fault "
                "of the site's code, not of the text: please report it"
            )
        )
    return Redline(markup, tuple(differ.changed), not differ.changed, stops)


def _unlink_lost_fragments(shown, pieces):
    """A link to a fragment that the redline no longer holds (a deleted footnote's way
    back to its deleted reference) keeps its text but leads nowhere: it has no address."""
    ids = {e.get("id") for block in shown for e in block.iter() if e.get("id")}
    for index, block in enumerate(shown):
        links = list(block.iter("a"))
        lost = [
            number
            for number, link in enumerate(links)
            if link.get("href", "").startswith("#") and link.get("href")[1:] not in ids
        ]
        if not lost:
            continue
        if pieces[index] is not None:  # an unchanged block, shared with the text: a copy
            block = shown[index] = _copy(block)
            links = list(block.iter("a"))
            pieces[index] = None
        for number in lost:
            del links[number].attrib["href"]


def _page_with(pages, fragment):
    """``fragment`` (``#id``) on the first of ``pages`` whose text has that id."""
    address = next((a for a, ids in pages if fragment[1:] in ids), pages[0][0])
    return f"{address}{fragment}"


@functools.lru_cache(maxsize=8)
def _blocks(xhtml):
    """The top-level blocks of ``xhtml`` and their markup. A text is parsed once, as the
    newer text of one redline and the older of the next; callers copy before changing.

    ``xhtml`` is a rendered text as ``rendering`` wrote it: parsed by the HTML5 algorithm,
    held to the allow-list and serialized from that tree as XHTML, which the (fast, exact)
    XML parser reads back as the same tree; the redline is checked by nh3 afterwards."""
    root = lxml.etree.fromstring(f"<div>{xhtml}</div>") if xhtml.strip() else None
    blocks = (
        tuple(child for child in root if isinstance(child.tag, str)) if root is not None else ()
    )
    for heading in list(root.iter(*HEADINGS[:-1])) if root is not None else ():
        heading.tag = f"h{int(heading.tag[1]) + 1}"  # below the page's "text with changes"
    return blocks, tuple(_markup(block) for block in blocks)


def _markup(element):
    return lxml.etree.tostring(element, method="html", encoding="unicode", with_tail=False)


def _ids(blocks):
    return frozenset(e.get("id") for block in blocks for e in block.iter() if e.get("id"))


class _Differ:
    """Aligns blocks. At the top level the result is a list of serialized blocks (a block
    that did not change is its markup as parsed); inside a list, the items go into
    ``parent``, the list's new element."""

    def __init__(self, labels, new_ids, work):
        self.labels = labels
        self.new_ids = new_ids
        self.work = work
        self.words = {}  # block: its words, as compared for likeness
        self.changed = []
        self.section = None
        self.output = []  # the markup of each top-level block that did not change, else None
        self.shown = []  # the top-level blocks

    def align(self, old, old_keys, new, new_keys, parent=None):
        matcher = SequenceMatcher(None, old_keys, new_keys, autojunk=False)
        for operation, i1, i2, j1, j2 in matcher.get_opcodes():
            if operation == "equal":
                for block, key in zip(new[j1:j2], new_keys[j1:j2], strict=True):
                    self._emit(parent, block, block, changed=False, markup=key)
            else:
                self._pair(old[i1:i2], new[j1:j2], parent)

    def _pair(self, old, new, parent):
        """Match changed blocks by tag and likeness; the rest were deleted or inserted."""
        remaining = list(old)
        for block in new:
            match = self._most_similar(block, remaining)
            if match is None:
                self._emit(parent, self._whole(block, "ins"), block)
                continue
            for skipped in remaining[: remaining.index(match)]:
                self._emit(parent, self._whole(skipped, "del"), skipped)
            remaining = remaining[remaining.index(match) + 1 :]
            self._emit(parent, self._changed(match, block), block)
        for skipped in remaining:
            self._emit(parent, self._whole(skipped, "del"), skipped)

    def _most_similar(self, block, candidates):
        """The candidate of ``block``'s tag most like it, if at least half alike (of equal
        ones, the last); once the redline's work is spent, the next candidate of its tag."""
        alike = [c for c in candidates[:_MAX_CANDIDATES] if c.tag == block.tag]
        if not self.work.left:
            return alike[0] if alike else None
        words = self._words(block)
        scored = []
        for index, candidate in enumerate(alike):
            matcher = SequenceMatcher(None, self._words(candidate), words, autojunk=False)
            scored.append((_likeness_bound(matcher), index, matcher))
        best, best_ratio = None, _SIMILAR
        for bound, index, matcher in sorted(scored, key=lambda s: (-s[0], s[1])):
            if bound < best_ratio or not self.work.spend(len(matcher.a) * len(matcher.b)):
                break
            ratio = _likeness(matcher, best_ratio, self.work, only=len(scored) == 1)
            if ratio > best_ratio or (ratio == best_ratio and (best is None or index > best)):
                best, best_ratio = index, ratio
        return None if best is None else alike[best]

    def _words(self, block):
        if block not in self.words:
            self.words[block] = element_text(block).split()
        return self.words[block]

    def _emit(self, parent, element, block, changed=True, markup=None):
        if block.tag in HEADINGS and block.get("id"):
            self.section = block.get("id")
        if changed and self.section not in self.changed:
            self.changed.append(self.section)
        if parent is None:
            self.output.append(markup)
            self.shown.append(element)
            return
        element = _copy(element) if element is block else element  # parsed blocks are shared
        element.tail = "\n"
        parent.append(element)

    def _changed(self, old, new):
        result = _shell(new)
        if new.tag in _CONTAINERS:
            old_items = [child for child in old if isinstance(child.tag, str)]
            new_items = [child for child in new if isinstance(child.tag, str)]
            items = _Differ(self.labels, self.new_ids, self.work)
            items.section = self.section
            items.align(
                old_items,
                [_markup(item) for item in old_items],
                new_items,
                [_markup(item) for item in new_items],
                result,
            )
            self.changed.extend(s for s in items.changed if s not in self.changed)
            return result
        old_tokens, new_tokens = _tokens(old), _tokens(new)
        builder = _Builder(result, self.labels)
        pairs = len(old_tokens) * len(new_tokens)
        if pairs > _MAX_TOKEN_PAIRS or not self.work.spend(pairs):
            opcodes = [("replace", 0, len(old_tokens), 0, len(new_tokens))]  # coarse, correct
        else:
            matcher = SequenceMatcher(
                None, list(map(_key, old_tokens)), list(map(_key, new_tokens)), autojunk=False
            )
            opcodes = matcher.get_opcodes()
        for operation, i1, i2, j1, j2 in opcodes:
            if operation == "equal":
                builder.add(new_tokens[j1:j2])
                continue
            builder.add([t for t in old_tokens[i1:i2] if t[0] == "text"], "del")
            builder.add(new_tokens[j1:j2], "ins")
        builder.close()
        result.set("class", " ".join([*result.get("class", "").split(), "changed"]))
        if new.tag in HEADINGS:
            _readable(result, self.labels.heading_changed, visible_text(new), visible_text(old))
        return result

    def _whole(self, block, kind):
        """``block`` inserted or deleted as a whole; a deleted block keeps only the ids
        that the new text does not use, so that links to a removed section still land."""
        result = _shell(block)
        classes = [*result.get("class", "").split(), "inserted" if kind == "ins" else "deleted"]
        result.set("class", " ".join(classes))
        builder = _Builder(result, self.labels)
        builder.add(_tokens(block), kind)
        builder.close()
        if block.tag in HEADINGS:
            label = self.labels.heading_inserted if kind == "ins" else self.labels.heading_deleted
            _readable(result, label, visible_text(block))
        if kind == "del":
            for element in result.iter():
                if element.get("id") in self.new_ids:
                    del element.attrib["id"]
        return result


def _readable(heading, label, title, old=None):
    """Let a screen reader read a marked heading as ``label`` says (its title and what
    changed) instead of word by word; the marks stay for the eye."""
    if not label:
        return
    shown = lxml.etree.Element("span", {"aria-hidden": "true"})
    shown.text, heading.text = heading.text, None
    for child in list(heading):
        shown.append(child)
    heading.append(shown)
    read = lxml.etree.SubElement(heading, "span", {"class": "visually-hidden"})
    read.text = label % {"title": title, "old": old}


def _copy(block):
    result = copy.deepcopy(block)
    result.tail = None
    return result


def _shell(block):
    """``block``'s tag and attributes, without content."""
    return lxml.etree.Element(block.tag, dict(block.attrib))


def _key(token):
    """A token as a string, which the matcher hashes faster than a tuple; a word is
    compared without the white space after it (which HTML shows as one space anyway)."""
    return (token[1].rstrip() or " ") if token[0] == "text" else "\0" + repr(token)


def _tokens(block):
    """The content of ``block`` as ("start", tag, attributes), ("end",) and ("text", word)."""
    tokens = []

    def walk(element):
        if element.text:
            tokens.extend(("text", word) for word in _WORDS.findall(element.text))
        for child in element:
            if isinstance(child.tag, str):
                tokens.append(("start", child.tag, tuple(child.attrib.items())))
                walk(child)
                tokens.append(("end",))
            if child.tail:
                tokens.extend(("text", word) for word in _WORDS.findall(child.tail))

    walk(block)
    return tokens


class _Builder:
    """Builds the content of a block from tokens; a run of marked words becomes one mark
    inside the innermost open element, so marks never cross element boundaries. A mark
    holds its words without the space after them; a deletion followed by its insertion
    shares the insertion's space."""

    def __init__(self, root, labels):
        self.stack = [root]
        self.labels = labels
        self.run, self.kind = [], None
        self.space = ""  # after the last mark, held until what follows is known

    def add(self, tokens, kind=None):
        """Add ``tokens``, their words marked as ``kind`` ("ins", "del") or plain (None)."""
        for token in tokens:
            if token[0] == "text":
                if self.kind != kind:
                    self.close(following=kind)
                    self.kind = kind
                self.run.append(token[1])
                continue
            self.close()
            if token[0] == "start":
                self.stack.append(lxml.etree.SubElement(self.stack[-1], token[1], dict(token[2])))
            else:
                self.stack.pop()

    def close(self, following=None):
        text = "".join(self.run)
        kind, self.run, self.kind = self.kind, [], None
        if kind is None or not text.strip():
            self._flush_space()
            if text:
                _append_text(self.stack[-1], text)
            return
        if not (self.space and kind == "ins" and self._last_was_deletion()):
            self._flush_space()
        self.space = ""
        start, end = (
            (self.labels.inserted, self.labels.inserted_end)
            if kind == "ins"
            else (self.labels.deleted, self.labels.deleted_end)
        )
        body = text.rstrip()
        mark = lxml.etree.SubElement(self.stack[-1], kind)
        before = lxml.etree.SubElement(mark, "span", {"class": "visually-hidden"})
        before.text = f"{start} "
        before.tail = body
        after = lxml.etree.SubElement(mark, "span", {"class": "visually-hidden"})
        after.text = f" {end}"
        self.space = text[len(body) :]
        if following is None:
            self._flush_space()

    def _last_was_deletion(self):
        parent = self.stack[-1]
        return len(parent) and parent[-1].tag == "del" and not parent[-1].tail

    def _flush_space(self):
        if self.space:
            _append_text(self.stack[-1], self.space)
            self.space = ""


def _append_text(element, text):
    if len(element):
        last = element[-1]
        last.tail = (last.tail or "") + text
    else:
        element.text = (element.text or "") + text


def _likeness(words, needed, work, only=False):
    """How alike two blocks are (0 to 1): as difflib measures their characters when they
    are short, else their words (``words``, a matcher of them), which is much faster. One
    measure for each pair, so that blocks are ranked alike. With ``only`` (the one
    candidate, where all that matters is whether it reaches ``needed``), the measure stops
    as soon as it does."""
    measure = _reaching if only else lambda matcher, _needed: matcher.ratio()
    if not _short(words):
        return measure(words, needed)
    characters = SequenceMatcher(None, " ".join(words.a), " ".join(words.b), autojunk=False)
    if characters.real_quick_ratio() < needed or characters.quick_ratio() < needed:
        return 0.0
    if not work.spend(len(characters.a) * len(characters.b)):
        return measure(words, needed)
    return measure(characters, needed)


def _reaching(matcher, needed):
    """``needed`` if ``matcher.ratio()`` is at least ``needed``, else that ratio: the
    matching blocks are found as difflib finds them (each longest match, then on either
    side of it), and the count stops once it is enough."""
    total = len(matcher.a) + len(matcher.b)
    if not total:
        return 1.0
    matched, enough = 0, needed * total / 2
    if max(_common_ends(matcher.a, matcher.b)) >= enough:
        return needed  # difflib's first match is at least as long as a common start or end
    ranges = [(0, len(matcher.a), 0, len(matcher.b))]
    while ranges:
        a_low, a_high, b_low, b_high = ranges.pop()
        i, j, size = matcher.find_longest_match(a_low, a_high, b_low, b_high)
        if not size:
            continue
        matched += size
        if matched >= enough:
            return needed
        if a_low < i and b_low < j:
            ranges.append((a_low, i, b_low, j))
        if i + size < a_high and j + size < b_high:
            ranges.append((i + size, a_high, j + size, b_high))
    return 2.0 * matched / total


def _common_ends(a, b):
    """How long the common start and the common end of the sequences ``a`` and ``b`` are."""
    start = len(os.path.commonprefix([a, b]))
    end = len(os.path.commonprefix([a[::-1], b[::-1]]))
    return start, end


def _short(words):
    return sum(map(len, words.a)) + sum(map(len, words.b)) <= _MAX_LIKENESS_CHARACTERS


def _likeness_bound(words):
    """What ``_likeness`` can at most return: 1 for blocks short enough to be compared by
    their characters, else the bound of their words' ratio."""
    return 1.0 if _short(words) else words.quick_ratio()


class _Work:
    """What is left of the work one redline may do, in pairs compared."""

    def __init__(self, pairs):
        self.left = pairs

    def spend(self, pairs):
        """Take ``pairs`` from what is left; False (and nothing left) if too few are."""
        if pairs > self.left:
            self.left = 0
            return False
        self.left -= pairs
        return True

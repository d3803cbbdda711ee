"""Sections that a version removes or renames, so that links to them keep landing.

A section is renamed when its anchor changes in place: the anchors of two versions are
aligned, and an anchor replaced by another at the same position counts as renamed.
"""

from dataclasses import dataclass
from difflib import SequenceMatcher


@dataclass(frozen=True)
class AnchorChange:
    anchor: str
    renamed_to: str | None  # None: removed


def anchor_changes(old, new):
    """The anchors of ``old`` (a sequence) that ``new`` no longer has, in order."""
    changes = []
    matcher = SequenceMatcher(None, list(old), list(new), autojunk=False)
    for operation, i1, i2, j1, j2 in matcher.get_opcodes():
        if operation in ("replace", "delete"):
            renames = (
                dict(zip(old[i1:i2], new[j1:j2], strict=True))
                if operation == "replace" and i2 - i1 == j2 - j1
                else {}
            )
            changes.extend(
                AnchorChange(anchor, renames.get(anchor))
                for anchor in old[i1:i2]
                if anchor not in new
            )
    return changes


def removed_sections(versions):
    """``(anchor, last version that had it, first version without it, renamed_to)`` for
    each anchor of ``versions`` (oldest first, up to the one in effect) that the last
    one lacks."""
    if not versions:
        return []
    current = set(versions[-1].text.anchors)
    found = {}
    for older, newer in zip(versions, versions[1:], strict=False):
        for change in anchor_changes(older.text.anchors, newer.text.anchors):
            if change.anchor not in current:
                found[change.anchor] = (older, newer, change.renamed_to)
    result = []
    for anchor, (last, removed_in, renamed_to) in found.items():
        if renamed_to not in current:
            renamed_to = None  # renamed once, and since removed
        result.append((anchor, last, removed_in, renamed_to))
    return result

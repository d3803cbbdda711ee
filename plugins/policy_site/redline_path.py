"""The path through a redline: an id on every marked block (changed, inserted or
deleted; the outermost where they nest) and, at the end of each that is not a heading,
a link to the next one; the last leads back to the list of sections. A reader goes from
change to change without a script."""

import lxml.etree

from .markup import HEADINGS

MARKED = frozenset({"inserted", "deleted", "changed"})
_CONTAINERS = {"div", "dl", "ul", "ol", "table", "thead", "tbody", "tr", "blockquote", "address"}


def mark_path(blocks, next_label, back_label):
    """Add the path to ``blocks`` (a redline's top-level elements; only its marked ones,
    which the redline made, are changed). Returns the ids of the stops in order."""
    taken = {e.get("id") for block in blocks for e in block.iter() if e.get("id")}
    outermost = [found for block in blocks for found in _outermost_marked(block)]
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
    return tuple(stops)


def _outermost_marked(element):
    if not isinstance(element.tag, str):
        return
    if MARKED & set(element.get("class", "").split()):
        yield element
        return
    for child in element:
        yield from _outermost_marked(child)


def _phrasing_end(element):
    """Where a link can end ``element``: its last block that holds text (a contact
    entry's last ``dd``, a table's last cell), never a list or a definition list itself."""
    while element.tag in _CONTAINERS:
        children = [child for child in element if isinstance(child.tag, str)]
        if not children:
            break
        element = children[-1]
    return element

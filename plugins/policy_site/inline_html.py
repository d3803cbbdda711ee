"""Where each piece of raw HTML of a block stands in its source, as CommonMark reads it:
GitHub's tree has one comment per piece it left out (an opening tag, a closing tag, a
comment, a declaration), without a position, so the n-th comment of a block is the n-th
piece found here. Only what CommonMark takes for HTML counts: not a '<' escaped with a
backslash, inside a code span, of an autolink (``<https://…>``, ``<name@host>``), of
an inline link's destination and title, or of a link reference definition."""

import re

_NAME = r"[A-Za-z][A-Za-z0-9-]*"
_ATTRIBUTE = r"""\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s"'=<>`]+|'[^']*'|"[^"]*"))?"""
_HTML = re.compile(
    rf"<{_NAME}(?:{_ATTRIBUTE})*\s*/?>"  # an opening tag
    rf"|</{_NAME}\s*>"  # a closing tag
    r"|<!-->|<!--->|<!--.*?-->"  # a comment
    r"|<\?.*?\?>"  # a processing instruction
    r"|<![A-Z]+\s[^>]*>"  # a declaration (as cmark-gfm reads one: capitals, a space)
    r"|<!\[CDATA\[.*?\]\]>",
    re.DOTALL,
)
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\x00-\x20<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)
# (a paragraph has no blank line: any whitespace may be a line break)
_LINK_TAIL = re.compile(
    r"""\s*(?:<(?:[^<>\n\\]|\\.)*>|(?!<)(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))*)"""
    r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?\s*\)"""
)
# a link reference definition (not a footnote's), whose lines cmark-gfm counts in the
# paragraph after it
_DEFINITION = re.compile(
    r"""[ ]{0,3}\[(?!\^[^\s\]]+\])(?:[^\[\]\\]|\\.)+\]:\s*(?:<(?:[^<>\n\\]|\\.)*>|[^\s<]\S*)"""
    r"""(?:\s+(?:"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\((?:[^()\\]|\\.)*\)))?[ \t]*(?:\n|$)"""
)
_BACKTICKS = re.compile(r"`+")
_ESCAPABLE = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")


def starts(lines, first_line):
    """``(line, column)`` of each piece of raw HTML in ``lines`` (a block's source, whose
    first line is ``first_line``), in order."""
    source = "\n".join(lines)
    found = []
    at = openers = 0  # the link texts opened ("[") that no "]" closed yet
    while definition := _DEFINITION.match(source, at):  # a paragraph's first lines
        at = definition.end()
    while at < len(source):
        character = source[at]
        if character == "\\" and source[at + 1 : at + 2] in _ESCAPABLE:
            at += 2
        elif character == "`":
            at = _after_code_span(source, at)
        elif character == "[":
            openers, at = openers + 1, at + 1
        elif character == "]":
            openers, at = _after_bracket(source, at, openers)
        elif character == "<":
            html = _HTML.match(source, at)
            if html:
                found.append(_position(source, at, first_line))
                at = html.end()
            else:
                autolink = _AUTOLINK.match(source, at)
                at = autolink.end() if autolink else at + 1
        else:
            at += 1
    return found


def _after_code_span(source, at):
    """Past the code span that opens at ``at``, or past its backticks where none closes."""
    opening = _BACKTICKS.match(source, at).group()
    for run in _BACKTICKS.finditer(source, at + len(opening)):
        if run.group() == opening:
            return run.end()
    return at + len(opening)


def _after_bracket(source, at, openers):
    """``(openers, where to go on)`` past the "]" at ``at``: past the destination and
    title of a link it closes (a link holds no other: the texts opened before it are no
    link's any more), else past the "]" alone, which closes the last text opened."""
    tail = _LINK_TAIL.match(source, at + 2) if openers and source[at + 1 : at + 2] == "(" else None
    return (0, tail.end()) if tail else (max(openers - 1, 0), at + 1)


def _position(source, offset, first_line):
    line_start = source.rfind("\n", 0, offset) + 1
    return first_line + source.count("\n", 0, offset), offset - line_start + 1

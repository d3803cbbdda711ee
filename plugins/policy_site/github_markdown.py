"""GitHub's reading of a policy's Markdown: the tree cmark-gfm (the renderer behind GitHub's
preview and rendered diffs) makes of it, with GitHub's extensions, where every block
carries its place in the file.

This is the one parse of a text: the policy's rules, the layout Python-Markdown reads
and the check that the site shows what GitHub shows all start from it.
"""

import ctypes
import functools
import html.entities
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options

from .markup import BLANK_LETTERS, HEADINGS, is_hidden

# GitHub renders with these extensions, footnotes on and raw HTML off.
EXTENSIONS = ("table", "autolink", "strikethrough", "tagfilter", "tasklist")
_OPTIONS = Options.CMARK_OPT_SOURCEPOS | Options.CMARK_OPT_FOOTNOTES
# characters no reader sees (the categories the source check refuses); cmark writes them
# into its output when the text has a character reference for one, e.g. &#8238;
_HIDDEN_CHARACTER = re.compile(r"[^\t\n -~]")
# stands in the tree for each hidden character (private use: never in an accepted text)
HIDDEN = "\ue000"
_QUOTE_MARKERS = re.compile(r"^(?: {0,3}>)+ ?")
# the blocks that show text of their own lines; containers show their children's
_LEAVES = frozenset({"p", "h1", *HEADINGS, "hr", "table", "pre"})
_DELIMITER_ROW = re.compile(r"^ *\|? *:?-+:? *(\| *:?-+:? *)*\|? *$")


@dataclass(frozen=True, order=True)
class Span:
    """Where a block stands: first and last line of the file, and columns (from 1, in
    characters) of its first and last character."""

    line: int
    column: int
    end_line: int
    end_column: int


class GitHubText:
    """GitHub's HTML of a text as an lxml tree (``root``, a ``<div>``), the span of each
    block (``span()``), and the source lines it was read from."""

    def __init__(self, body, first_line, strike_single_tilde=True):
        self.lines = body.split("\n")
        self.first_line = first_line
        html = _render(body, strike_single_tilde)
        self.hidden = []  # hidden characters the text writes as references, in order
        if not all(line.isprintable() for line in html.split("\n")) or not (
            BLANK_LETTERS.isdisjoint(html)
        ):
            html = _HIDDEN_CHARACTER.sub(self._stand_in, html)
        self.root = (
            lxml.html.fragment_fromstring(html, create_parent="div")
            if html.strip()
            else lxml.etree.Element("div")
        )
        self._spans = {}
        for element in self.root.iter():
            position = element.attrib.pop("data-sourcepos", None) if _is_element(element) else None
            if position:
                self._spans[element] = self._span(position)
        self._repair_tables()

    def _stand_in(self, match):
        if not is_hidden(match[0]):
            return match[0]
        self.hidden.append(match[0])
        return HIDDEN

    # -- where things are ------------------------------------------------------------------

    def span(self, element):
        """The span of ``element``, or of the nearest block around it that has one."""
        while element is not None:
            span = self._spans.get(element)
            if span is not None:
                return span
            element = element.getparent()
        return None

    def own_span(self, element):
        return self._spans.get(element)

    @functools.cached_property
    def outside_blocks(self):
        """``(line, text)`` of each line no block shows, without its quote markers: link
        reference definitions (and raw HTML, which the rules refuse)."""
        shown = set()
        for element, span in self._spans.items():
            if element.tag in _LEAVES:
                shown.update(range(span.line, span.end_line + 1))
            elif element.tag == "li":  # a tight item's text runs up to its first block
                blocks = [self._spans[c] for c in element if c in self._spans]
                last = blocks[0].line - 1 if blocks else span.end_line
                shown.update(range(span.line, max(last, span.line) + 1))
        found = []
        for number, line in enumerate(self.lines, start=self.first_line):
            text = _QUOTE_MARKERS.sub("", line).strip()
            if text and number not in shown:
                found.append((number, text))
        return tuple(found)

    def source(self, span):
        """The file's lines from the span's first to its last line."""
        start = span.line - self.first_line
        return self.lines[start : span.end_line - self.first_line + 1]

    def line_text(self, line):
        index = line - self.first_line
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def find(self, span, pattern, start=None):
        """``(line, column)`` of the first match of ``pattern`` (a regular expression or
        a string) in the span's lines at or after ``start``; the span's start if none."""
        return self.search(span, pattern, start) or (span.line, span.column)

    def search(self, span, pattern, start=None):
        """``(line, column)`` of the first match of ``pattern`` in the span's lines at or
        after ``start`` (of its group ``at``, if it has one), or None."""
        pattern = re.compile(re.escape(pattern)) if isinstance(pattern, str) else pattern
        first_line, first_column = start or (span.line, span.column)
        for line in range(first_line, span.end_line + 1):
            text = self.line_text(line)
            begin = first_column - 1 if line == first_line else 0
            match = pattern.search(text, begin)
            if match:
                return line, match.start("at" if "at" in pattern.groupindex else 0) + 1
        return None

    # -- reading cmark's positions -----------------------------------------------------------

    def _span(self, position):
        start, end = position.split("-")
        line, column = (int(part) for part in start.split(":"))
        end_line, end_column = (int(part) for part in end.split(":"))
        if end_column == 0 and end_line > line:  # "3:0": the end of line 2
            end_line -= 1
            end_column = (
                len(self.lines[end_line - 1].encode()) if end_line <= len(self.lines) else 0
            )
        return Span(
            line + self.first_line - 1 if line else 0,
            self._characters(line, column),
            end_line + self.first_line - 1 if end_line else 0,
            self._characters(end_line, end_column),
        )

    def _characters(self, line, column):
        """cmark counts columns in bytes of UTF-8; a reader counts characters."""
        if not 0 < line <= len(self.lines) or column <= 0:
            return column
        return len(self.lines[line - 1].encode()[: column - 1].decode("utf-8", "ignore")) + 1

    def _repair_tables(self):
        """A table right after a paragraph (no blank line) is a table on GitHub, but cmark
        gives that paragraph no position and counts the table from the paragraph's first
        line: the header row is the line above the delimiter row."""
        for table in self.root.iter("table"):
            before = table.getprevious()
            span = self._spans.get(table)
            if (
                before is None
                or before.tag != "p"
                or self._spans.get(before, Span(1, 1, 1, 1)).line
            ):
                continue
            if span is None:
                continue
            delimiter = next(
                (
                    line
                    for line in range(span.line + 1, span.end_line + 1)
                    if _DELIMITER_ROW.match(self.line_text(line))
                ),
                None,
            )
            if delimiter is None:
                continue
            header = delimiter - 1
            last = self.line_text(header - 1)
            self._spans[before] = Span(span.line, span.column, header - 1, len(last))
            self._spans[table] = Span(header, 1, span.end_line, span.end_column)
            head = next(table.iter("tr"), None)
            if head is not None:
                row = Span(header, 1, header, len(self.line_text(header)))
                self._spans[head] = row
                for cell in head:
                    self._spans[cell] = row


def _render(body, strike_single_tilde):
    """GitHub's HTML of ``body``: cmark-gfm's steps, as ``cmarkgfm`` takes them in
    ``markdown_to_html_with_extensions``, and then what that leaves undone: the tree
    and the HTML cmark-gfm made are freed (about 50 kB a text would otherwise stay
    taken until the build ends, 100 MB at 1000 versions)."""
    options = _OPTIONS
    if not strike_single_tilde:
        options |= Options.CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE
    ffi, lib = _cmark.ffi, _cmark.lib
    cmark.core_extensions_ensure_registered()
    parser = cmark.parser_new(options)
    root = html = ffi.NULL
    try:
        for name in EXTENSIONS:
            extension = cmark.find_syntax_extension(name)
            if extension is None:
                raise ValueError(f"cmark-gfm has no extension {name}")
            cmark.parser_attach_syntax_extension(parser, extension)
        cmark.parser_feed(parser, body)
        root = cmark.parser_finish(parser)
        html = lib.cmark_render_html(root, options, cmark.parser_get_syntax_extensions(parser))
        return ffi.string(html).decode("utf-8")
    finally:
        try:
            _freed(html, root)
        finally:
            cmark.parser_free(parser)


def _freed(html, root):
    """Free what cmark-gfm gave back: its HTML (with its allocator, the C library's
    ``free``) and the document's tree (``cmark_node_free``, which ``cmarkgfm`` does not
    expose: called in the same library, loaded once)."""
    free, node_free = _c_functions()
    ffi = _cmark.ffi
    if html != ffi.NULL:
        free(int(ffi.cast("uintptr_t", html)))
    if root != ffi.NULL:
        node_free(int(ffi.cast("uintptr_t", root)))


@functools.cache
def _c_functions():
    library = ctypes.CDLL(_cmark.__file__)
    mem = library.cmark_get_default_mem_allocator
    mem.restype = ctypes.POINTER(_Allocator)
    node_free = library.cmark_node_free
    node_free.argtypes, node_free.restype = [ctypes.c_void_p], None
    return mem().contents.free, node_free


class _Allocator(ctypes.Structure):
    """cmark-gfm's ``cmark_mem``: its calloc, realloc and free."""

    _fields_ = [
        ("calloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_size_t, ctypes.c_size_t)),
        ("realloc", ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t)),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


def _is_element(node):
    return isinstance(node.tag, str)


@functools.lru_cache(maxsize=1024)
def written(text):
    """A pattern of ``text`` as Markdown may write it: each character itself, or after a
    backslash (punctuation), or as a character reference (``&#x3A;``, ``&#58;``,
    ``&colon;``), as an address a link's tree holds decoded was written in its file."""
    return re.compile("".join(_written_character(character) for character in text))


@functools.cache
def _written_character(character):
    forms = [re.escape(character), f"&#0*{ord(character)};", f"(?i:&#x0*{ord(character):x};)"]
    forms += [re.escape(f"&{name}") for name in _reference_names().get(character, ())]
    if character.isascii() and not character.isalnum() and character.isprintable():
        forms.append(re.escape(f"\\{character}"))
    return f"(?:{'|'.join(forms)})"


@functools.cache
def _reference_names():
    """{character: the names of its character references (``colon;``)}."""
    names = {}
    for name, value in html.entities.html5.items():
        if name.endswith(";") and len(value) == 1:
            names.setdefault(value, []).append(name)
    return names

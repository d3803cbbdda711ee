"""The change under review as a reviewer reads it: every problem as a CI annotation on its
file and line, and a summary of what the change does to each policy text, with the
changed passages marked.

The summary comes in two forms from one model: plain text for the editor's terminal and
the CI log, and HTML for the job summary. Every piece of text in them that an editor or
a pull request wrote is untrusted: in the HTML it is escaped and never becomes a link or
an image; in the log no line of it can be read as a workflow command.
"""

import html
import os
import secrets
import textwrap
from dataclasses import dataclass

import blinker

from . import sanitize
from .markup import HEADINGS
from .messages import _, n_
from .redline import Labels, redline
from .rendered_text import section_titles
from .section_changes import anchor_changes

# Sent by the generator once the change under review is known: ``changes`` (a tuple of
# PolicyChange, or None when problems stopped the build first), ``warnings`` and
# ``scope``. ``invoke check`` listens.
changes_found = blinker.signal("policy_site.changes_found")

_PLAIN_LABELS = Labels("", "", "", "")
_MARKS = {"ins": ("{+", "+}"), "del": ("[-", "-]")}


@dataclass(frozen=True)
class ChangeScope:
    """What the check judged: the base it compared with, the commits judged strictly
    (newest first) and the policy files with uncommitted edits."""

    base: str | None
    commits: tuple
    uncommitted: tuple

    @classmethod
    def of(cls, repository, base):
        return cls(base, tuple(repository.judged), tuple(sorted(repository.dirty)))


@dataclass(frozen=True)
class ChangedBlock:
    """A passage with a change: the title of its section and its pieces, each
    ``(mark, text)`` with mark "" (unchanged), "ins" or "del"."""

    section: str
    pieces: tuple


@dataclass(frozen=True)
class PolicyChange:
    """What the change under review does to one policy in one language."""

    path: str
    policy: str
    lang: str
    version: str
    effective: str
    summary: str
    base_version: str | None  # None: a new file
    sections: tuple  # titles of the sections with a change
    anchors_removed: tuple
    anchors_renamed: tuple  # (old, new)
    blocks: tuple  # ChangedBlocks
    unchanged: bool


def changes_under_review(series):
    """A PolicyChange for each policy text the change changes: its newest text against
    the newest one before the change."""
    found = []
    for (policy, lang), one in sorted(series.items()):
        revisions = [revision for entry in one.versions for revision in entry.revisions]
        pending = revisions[-1]
        if not pending.source.in_change:
            continue
        base = next((r for r in reversed(revisions) if not r.source.in_change), None)
        found.append(_change(policy, lang, pending, base))
    return tuple(found)


def _change(policy, lang, pending, base):
    marks = redline(base.text.plain if base else "", pending.text.plain, _PLAIN_LABELS)
    anchors = anchor_changes(base.text.anchors if base else (), pending.text.anchors)
    titles = section_titles(pending.text.sections)
    titles |= section_titles(base.text.sections) if base else {}
    opening = _("Introduction")
    return PolicyChange(
        path=pending.source.file,
        policy=policy,
        lang=lang,
        version=str(pending.version),
        effective=pending.effective.isoformat(),
        summary=pending.document.summary,
        base_version=str(base.version) if base else None,
        sections=tuple(titles.get(a, a) if a else opening for a in marks.changed_sections),
        anchors_removed=tuple(c.anchor for c in anchors if not c.renamed_to),
        anchors_renamed=tuple((c.anchor, c.renamed_to) for c in anchors if c.renamed_to),
        blocks=tuple(_changed_blocks(marks.html, titles, opening)),
        unchanged=marks.unchanged,
    )


def _changed_blocks(markup, titles, opening):
    """The passages of a redline that carry a mark, read from its tree."""
    section = opening
    for block in sanitize.parse_fragment(markup):
        if not isinstance(block.tag, str):
            continue
        anchor = next((e.get("id") for e in block.iter() if e.get("id")), None)
        if block.tag in HEADINGS and anchor:
            section = titles.get(anchor, section)
        whole = {"inserted": "ins", "deleted": "del"}
        mark = next((whole[c] for c in block.get("class", "").split() if c in whole), "")
        pieces = _pieces(block, mark)
        if any(kind for kind, _text in pieces):
            yield ChangedBlock(section, tuple(pieces))


def _pieces(element, mark):
    """``(mark, text)`` of the element's text in order, the hidden labels left out."""
    pieces = []

    def walk(node, kind):
        if not isinstance(node.tag, str) or "visually-hidden" in node.get("class", ""):
            return
        kind = node.tag if node.tag in _MARKS else kind
        if node.text:
            pieces.append((kind, node.text))
        for child in node:
            walk(child, kind)
            if child.tail:
                pieces.append((kind, child.tail))

    walk(element, mark)
    return [(kind, " ".join(text.split())) for kind, text in pieces if text.strip()]


# -- annotations ---------------------------------------------------------------------


def annotations(problems, warnings, root):
    """GitHub Actions workflow commands: one ``::error`` per problem, ``::warning`` per
    warning, each on its file (relative to ``root``), line and column, every field
    encoded so that no text can end the command or start another."""
    lines = []
    for kind, items in (("error", problems), ("warning", warnings)):
        for problem in items:
            properties = [f"file={_property(os.path.relpath(problem.path, root))}"]
            if problem.line:
                properties.append(f"line={problem.line}")
            if problem.column:
                properties.append(f"col={problem.column}")
            commit = _(" (commit %(commit)s)", commit=problem.commit[:7]) if problem.commit else ""
            lines.append(f"::{kind} {','.join(properties)}::{_data(problem.message + commit)}")
    return lines


def stop_commands():
    """A pair of workflow commands between which the runner runs no command: the CI log
    of the build and summary goes between them."""
    token = secrets.token_hex(16)
    return f"::stop-commands::{token}", f"::{token}::"


def _data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text):
    return _data(text).replace(":", "%3A").replace(",", "%2C")


# -- the two summaries ------------------------------------------------------------------


def terminal_summary(problems, warnings, changes, scope):
    """The summary as plain text, for the terminal and the CI log."""
    lines = [_("Policy check"), _scope(scope)]
    if problems:
        lines += ["", n_("%(count)s problem to fix:", "%(count)s problems to fix:", len(problems))]
        lines += [f"  {problem}" for problem in problems]
    if warnings:
        lines += ["", _("Warnings about history:")]
        lines += [f"  {warning}" for warning in warnings]
    outcome = _outcome(problems, changes)
    lines += ["", *outcome] if outcome else []
    for change in changes or ():
        lines += ["", f"{change.path} · {change.policy} ({change.lang})"]
        lines += [f"  {label}: {value}" for label, value in _facts(change)]
        if change.blocks:
            lines.append(f"  {_('Changes')}:")
        for block in change.blocks:
            text = " ".join(_marked(kind, text) for kind, text in block.pieces)
            lines += textwrap.wrap(
                f"[{block.section}] {text}", 96, initial_indent="    ", subsequent_indent="      "
            )
    return "\n".join(_log_safe(line) for line in lines) + "\n"


def job_summary(problems, warnings, changes, scope):
    """The summary as HTML for a job summary: one HTML block (no blank line), so that
    GitHub reads none of its text as Markdown; every text escaped."""
    parts = [f"<h1>{_escape(_('Policy check'))}</h1>", f"<p>{_escape(_scope(scope))}</p>"]
    if problems:
        heading = n_("%(count)s problem to fix", "%(count)s problems to fix", len(problems))
        parts.append(f"<h2>{_escape(heading)}</h2>")
        parts.append(
            _list(f"<code>{_escape(p.where)}</code>: {_escape(p.message)}" for p in problems)
        )
    if warnings:
        parts.append(f"<h2>{_escape(_('Warnings about history'))}</h2>")
        parts.append(_list(_escape(str(warning)) for warning in warnings))
    parts += [f"<p>{_escape(line)}</p>" for line in _outcome(problems, changes)]
    for change in changes or ():
        parts.append(
            f"<h2><code>{_escape(change.path)}</code> · {_escape(change.policy)} "
            f"({_escape(change.lang)})</h2>"
        )
        parts.append(
            _list(f"{_escape(label)}: {_escape(value)}" for label, value in _facts(change))
        )
        for block in change.blocks:
            pieces = "".join(_html_piece(kind, text) for kind, text in block.pieces)
            parts.append(f"<p><strong>{_escape(block.section)}</strong>: {pieces}</p>")
    parts.append(f"<p><em>{_escape(_headers_note())}</em></p>")
    return "<div>\n" + "\n".join(parts) + "\n</div>\n"


def _scope(scope):
    if scope is None:
        return _("The change could not be read.")
    base = scope.base[:12] if scope.base else _("the commit before the newest")
    commits = ", ".join(commit[:7] for commit in scope.commits) or "—"
    uncommitted = ", ".join(scope.uncommitted) or "—"
    return _(
        "Compared with %(base)s; commits judged: %(commits)s; uncommitted edits: %(uncommitted)s.",
        base=base,
        commits=commits,
        uncommitted=uncommitted,
    )


def _outcome(problems, changes):
    if changes is None or (problems and not changes):
        return [_("What the change does to the policy texts shows once the problems are fixed.")]
    if not changes:
        return [_("This change leaves every policy text as it is.")]
    return []


def _facts(change):
    before = change.base_version or _("(new)")
    yield _("Version"), f"{before} → {change.version}"
    yield _("Effective"), change.effective
    yield _("Summary"), change.summary
    yield _("Sections changed"), ", ".join(change.sections) or "—"
    if change.anchors_removed:
        yield _("Anchors removed"), ", ".join(f"#{a}" for a in change.anchors_removed)
    if change.anchors_renamed:
        yield _("Anchors renamed"), ", ".join(f"#{o} → #{n}" for o, n in change.anchors_renamed)
    if change.unchanged:
        yield _("Text"), _("unchanged")


def _headers_note():
    return _(
        "GitHub Pages sends none of the security headers of _headers (frame-ancestors, "
        "X-Frame-Options, nosniff); see the README, Review and deployment."
    )


def _marked(kind, text):
    start, end = _MARKS.get(kind, ("", ""))
    return f"{start}{text}{end}"


def _html_piece(kind, text):
    return f"<{kind}>{_escape(text)}</{kind}> " if kind else f"{_escape(text)} "


def _list(items):
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _escape(text):
    """Untrusted text for the job summary: on one line, HTML escaped (the summary is one
    HTML block, which Markdown does not read)."""
    return html.escape(" ".join(str(text).split()))


def _log_safe(line):
    """A line of the summary that no CI runner reads as a command, even outside the
    stop-commands block: '::' at its start and '##[' anywhere are broken apart."""
    line = line.replace("##[", "## [")
    stripped = line.lstrip()
    if stripped.startswith("::"):
        line = line[: len(line) - len(stripped)] + ": :" + stripped[2:]
    return line

"""The change under review as a reviewer reads it: every problem as a CI annotation on
its file and line, and a summary of what the change does to each policy text, with the
redline of the pending text against the base.

The summary is Markdown with a little HTML (``<ins>``, ``<del>``), as GitHub shows in a
job summary and a terminal prints as it is.
"""

import os
from dataclasses import dataclass

import blinker
import nh3

from .redline import Labels, redline
from .rendering import section_titles
from .section_changes import anchor_changes

# Sent by the generator once the change under review is known: ``changes`` (a tuple of
# PolicyChange) and ``warnings``. ``invoke check`` listens.
changes_found = blinker.signal("policy_site.changes_found")

_SUMMARY_TAGS = {"p", "ul", "ol", "li", "h2", "h3", "h4", "strong", "em", "a", "ins", "del", "s"}
_PLAIN_LABELS = Labels("", "", "", "")
_OPENING = "Bagian pembuka · Introduction"


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
    redline: str  # HTML with <ins> and <del>
    unchanged: bool


def changes_under_review(series):
    """A PolicyChange for each policy text the change under review touches: its newest
    revision against the newest one the base already had."""
    found = []
    for (policy, lang), one in sorted(series.items()):
        revisions = [revision for entry in one.versions for revision in entry.revisions]
        pending = revisions[-1]
        if not pending.source.under_review:
            continue
        base = next((r for r in reversed(revisions) if not r.source.under_review), None)
        old_plain = base.text.plain if base else ""
        old_anchors = base.text.anchors if base else ()
        marks = redline(old_plain, pending.text.plain, _PLAIN_LABELS)
        anchors = anchor_changes(old_anchors, pending.text.anchors)
        titles = section_titles(pending.text.sections)
        titles |= section_titles(base.text.sections) if base else {}
        found.append(
            PolicyChange(
                path=pending.source.file,
                policy=policy,
                lang=lang,
                version=str(pending.version),
                effective=pending.effective.isoformat(),
                summary=pending.document.summary,
                base_version=str(base.version) if base else None,
                sections=tuple(titles.get(a, a) if a else _OPENING for a in marks.changed_sections),
                anchors_removed=tuple(c.anchor for c in anchors if not c.renamed_to),
                anchors_renamed=tuple((c.anchor, c.renamed_to) for c in anchors if c.renamed_to),
                redline=_for_summary(marks.html),
                unchanged=marks.unchanged,
            )
        )
    return tuple(found)


def annotations(problems, warnings, root):
    """GitHub Actions workflow commands: one ``::error`` per problem, ``::warning`` per
    warning, each on its file (relative to ``root``), line and column."""
    lines = []
    for kind, items in (("error", problems), ("warning", warnings)):
        for problem in items:
            properties = [f"file={_property(os.path.relpath(problem.path, root))}"]
            if problem.line:
                properties.append(f"line={problem.line}")
            if problem.column:
                properties.append(f"col={problem.column}")
            commit = f" (commit {problem.commit[:7]})" if problem.commit else ""
            lines.append(f"::{kind} {','.join(properties)}::{_data(problem.message + commit)}")
    return lines


def summary(problems, warnings, changes, base):
    """The job summary: problems first, then what changes in each policy text."""
    parts = ["# Pemeriksaan kebijakan · Policy check", ""]
    against = f"`{base[:12]}`" if base else "the newest commit · commit terbaru"
    if problems:
        parts += [
            f"**{len(problems)} masalah harus diperbaiki · {len(problems)} problem(s) to fix** "
            f"(dibandingkan dengan · compared with {against})",
            "",
            *(f"- `{problem.where}`: {_escape(problem.message)}" for problem in problems),
            "",
        ]
    else:
        parts += [
            f"Tidak ada masalah · No problems (dibandingkan dengan · compared with {against})",
            "",
        ]
    if warnings:
        parts += ["## Peringatan tentang riwayat · Warnings about history", ""]
        parts += [f"- {_escape(str(warning))}" for warning in warnings]
        parts.append("")
    if not changes:
        parts += [
            "Perubahan ini tidak mengubah teks kebijakan · "
            "This change leaves every policy text as it is."
        ]
    for change in changes:
        parts += _change(change)
    parts += [
        "",
        "_GitHub Pages tidak mengirim header keamanan (`frame-ancestors`, `X-Frame-Options`, "
        "`nosniff`) · GitHub Pages sends none of the security headers of `_headers`; "
        "see README, Deployment._",
    ]
    return "\n".join(parts) + "\n"


def _change(change):
    before = f"{change.base_version} →" if change.base_version else "(baru · new)"
    lines = [
        f"## `{change.path}` · {change.policy} ({change.lang})",
        "",
        f"- Versi · Version: {before} **{change.version}**",
        f"- Mulai berlaku · Effective: {change.effective}",
        f"- Ringkasan · Summary: {_escape(change.summary)}",
        f"- Bagian yang berubah · Sections changed: {_escape(', '.join(change.sections)) or '—'}",
    ]
    if change.anchors_removed:
        removed = ", ".join(f"`#{anchor}`" for anchor in change.anchors_removed)
        lines.append(f"- Anchor dihapus · Anchors removed: {removed}")
    if change.anchors_renamed:
        renamed = ", ".join(f"`#{old}` → `#{new}`" for old, new in change.anchors_renamed)
        lines.append(f"- Anchor diganti · Anchors renamed: {renamed}")
    lines.append("")
    if change.unchanged:
        lines += ["Teksnya tidak berubah · The text did not change.", ""]
    else:
        lines += [
            "<details open><summary>Redline: <ins>ditambahkan · inserted</ins> "
            "<del>dihapus · deleted</del></summary>",
            "",
            change.redline,
            "",
            "</details>",
            "",
        ]
    return lines


def _for_summary(html):
    """The redline without the page's hidden labels, ids and classes: tags GitHub shows."""
    return nh3.clean(
        html,
        tags=_SUMMARY_TAGS,
        clean_content_tags={"span"},
        attributes={"a": {"href"}},
        url_schemes={"https", "mailto", "tel"},
        link_rel=None,
    )


def _escape(text):
    """Text for a Markdown line: no HTML, no line breaks."""
    text = " ".join(text.split())
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _data(text):
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text):
    return _data(text).replace(":", "%3A").replace(",", "%2C")

"""What a repository says its pages must show, read from git and the Markdown files
with plain regular expressions, independently of the plugin's code.

Tests of the shipped site compare the built pages with these readings, so that they
hold for any correct content, today's and every later version's.
"""

import hashlib
import re
import subprocess

import phonenumbers
from email_validator import validate_email

from tests.sites import git

_FIELD = re.compile(r"^([A-Za-z]+):\s*(.*)$")
_HEADING_ANCHOR = re.compile(r"^#{2,6} .*\{#([a-z0-9-]+)\}\s*$", re.MULTILINE)
_CONTACT = re.compile(r"^(?P<line>[^\n]+)\n\{: \.(?P<kind>email|phone|whatsapp) \}$", re.MULTILINE)


def file_at(repo, commit, path):
    """The bytes of ``path`` as ``commit`` left it."""
    return subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=repo, capture_output=True, check=True
    ).stdout


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def split(text):
    """``(fields, body)`` of a policy file: its front matter (lower-case keys) and text."""
    head, _blank, body = text.partition("\n\n")
    fields = {}
    for line in head.splitlines():
        match = _FIELD.match(line)
        if match:
            fields[match[1].lower()] = match[2].strip()
    return fields, body


def policy_files(repo):
    """``{path: fields}`` of the policy files in the work tree."""
    found = {}
    for path in sorted((repo / "content" / "policies").rglob("*.md")):
        fields, _body = split(path.read_text(encoding="utf-8"))
        found[str(path.relative_to(repo))] = fields
    return found


def committed_versions(repo, path):
    """``[(commit, path then, Version)]`` of each main-line commit of ``path``, following
    renames (never copies: a file's history is its own), newest first; a Version that is
    not a version number reads as None."""
    versions = []
    for commit, name in _commits_of(repo, path):
        try:
            fields, _body = split(file_at(repo, commit, name).decode("utf-8"))
        except (subprocess.CalledProcessError, UnicodeDecodeError):
            continue
        version = fields.get("version", "")
        valid = re.fullmatch(r"(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))+", version)
        versions.append((commit, name, version if valid else None))
    return versions


def _commits_of(repo, path):
    """``(commit, path then)`` of each main-line commit that changed ``path``, newest
    first, following the renames git finds (``-M``) back to the commit that added it."""
    output = git(repo, "log", "--first-parent", "-M", "--name-status", "--format=%x01%H")
    for chunk in output.split("\x01")[1:]:
        commit, *changes = chunk.strip().split("\n")
        for change in filter(None, changes):
            status, *names = change.split("\t")
            if names[-1] != path:
                continue
            yield commit, path
            if status.startswith("A"):
                return
            if status.startswith("R"):
                path = names[0]


def words(text):
    """The words a reader sees in a policy's Markdown (or a page's text): heading and
    list marks, anchors, contact markers, link targets and a table's rule removed, a
    footnote's reference as its number, the footnotes' texts at the end."""
    text = re.sub(r"\s*\{[:#][^}]*\}", "", text)
    text = re.sub(r"^\|?[\s:|-]*-{3,}[\s:|-]*$", "", text, flags=re.MULTILINE)  # a table's rule
    notes = re.findall(r"^\[\^[^\]]+\]:(.*)$", text, flags=re.MULTILINE)
    text = re.sub(r"^\[\^[^\]]+\]:.*$", "", text, flags=re.MULTILINE)
    text = "\n".join([text, *notes])  # the notes show at the end of the text, unlabelled
    labels = []  # a reference shows as its note's number, in the order first referred to
    text = re.sub(r"\[\^([^\]]+)\]", lambda m: f" {_note_number(labels, m[1])} ", text)
    text = re.sub(r"^#+ ", "", text, flags=re.MULTILINE)
    text = re.sub(r"^\s*(?:[-*+]|\d+[.)]) ", "", text, flags=re.MULTILINE)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    text = text.replace("**", "").replace("~~", "")
    return re.findall(r"[\w@.()/-]+", text)


def _note_number(labels, label):
    if label not in labels:
        labels.append(label)
    return labels.index(label) + 1


def anchors(markdown_body):
    return _HEADING_ANCHOR.findall(markdown_body)


def anchors_of_level(markdown_body, level):
    heading = re.compile(rf"^{'#' * level} .*\{{#([a-z0-9-]+)\}}\s*$", re.MULTILINE)
    return heading.findall(markdown_body)


def reparse(tag):
    """A copy of a BeautifulSoup tag that can be changed without changing the page."""
    from bs4 import BeautifulSoup

    return BeautifulSoup(str(tag), "html.parser")


def contact_links(markdown_body, region="ID"):
    """The links the contact lines of a text must become, in order."""
    links = []
    for match in _CONTACT.finditer(markdown_body):
        _label, _colon, values = match["line"].partition(":")
        for value in re.split(r"\s*[/,;]\s*", values.strip()):
            if match["kind"] == "email":
                links.append(
                    f"mailto:{validate_email(value, check_deliverability=False).normalized}"
                )
                continue
            number = phonenumbers.format_number(
                phonenumbers.parse(value, region), phonenumbers.PhoneNumberFormat.E164
            )
            links.append(
                f"tel:{number}" if match["kind"] == "phone" else f"https://wa.me/{number[1:]}"
            )
    return links

"""The largest texts a build accepts, measured: part of ``invoke benchmark``.

Each case is a site of one policy in the shipped languages, two versions, each text just
under the size limit (``limits.MAX_TEXT_BYTES``) with every fourth word of every
paragraph changed in the second version, so that every block of every redline changed:

- ``words``: ordinary paragraphs, of words drawn from the shipped policy;
- ``markup``: one paragraph in a few packed with emphasis, strikethrough, escapes and
  entities, as many as ``limits.MAX_ELEMENTS`` lets through;
- ``refused``: all paragraphs packed so, past the limit: the time to say no.

For each: wall and CPU time of one build in a fresh process, peak memory, and how many
changed paragraphs the redline marks word by word (the rest, once the redline's work is
spent, are shown as wholly replaced).
"""

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from policy_site import limits  # noqa: E402
from policy_site.github_markdown import GitHubText  # noqa: E402
from tests.sites import git, git_init, read_page  # noqa: E402

_PACKED = ("**a** ", "_b_ ", "~~c~~ ", "*d* ", "a < b ", "&amp; ", "\\* ")
_MARGIN = 16_000  # bytes left under the limit for the front matter and the contact section


def cases():
    return {"words": 0, "markup": 1, "refused": None}  # name: share of packed paragraphs


def make_site(repo, texts, packed):
    """A repository of two versions of ``texts`` (the shipped files), each text's body
    grown to the size limit; ``packed``: 0 (no packed paragraphs), 1 (as many as the
    limit on markup lets through) or None (every paragraph: refused)."""
    git_init(repo)
    (repo / ".gitignore").write_text("/cache/\n", encoding="utf-8")
    words = _words(texts)
    every = _packing(words, packed)
    for number in (1, 2):
        folder = repo / "content" / "policies" / "privacy"
        folder.mkdir(parents=True, exist_ok=True)
        for name, text in texts.items():
            head, _blank, rest = text.partition("\n\n")
            head = _field(head, "Version", f"1.{number}")
            head = _field(head, "Effective", f"2000-0{number}-01")
            head = _field(head, "Summary", f"Version {number}.")
            body = _body(words, every, edited=number == 2)
            (folder / name).write_text(f"{head}\n\n{body}\n\n{rest}", encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"Version 1.{number}", date="2000-01-01T00:00:00+00:00")
    return repo


def word_level_share(output, lang_url):
    """``(marked word by word, changed)`` paragraphs of the redline at ``lang_url``."""
    page = read_page(output, lang_url.lstrip("/"))
    paragraphs = page.select(".redline p")
    changed = [p for p in paragraphs if p.select("ins")]
    return sum(1 for p in changed if len(p.select("ins")) > 1), len(changed)


def _words(texts):
    body = next(iter(texts.values())).partition("\n\n")[2]
    return re.sub(r"[^\w.,;:()\s-]", " ", body).split()


def _packing(words, packed):
    """One paragraph in how many is packed: the smallest share the limits accept."""
    if packed is None:
        return 1
    if not packed:
        return 0
    for every in range(2, 100):
        if _elements(_body(words, every, edited=True)) <= limits.MAX_ELEMENTS:
            return every
    raise AssertionError("no packing is accepted")


def _elements(body):
    return sum(1 for e in GitHubText(body, 1).root.iter() if isinstance(e.tag, str))


def _body(words, every, edited):
    """Paragraphs of 200 words (or 25 packed runs) up to the size limit; the same random
    sequence for both versions, every fourth word upper-cased in the edited one."""
    chooser = random.Random(1)
    paragraphs, size, number = [], 0, 0
    while size < limits.MAX_TEXT_BYTES - _MARGIN:
        if every and number % every == 0:
            pieces = [chooser.choice(_PACKED) * 40 for _ in range(25)]
        else:
            pieces = [chooser.choice(words) for _ in range(200)]
        if edited:
            pieces = [p.upper() if i % 4 == 0 else p for i, p in enumerate(pieces)]
        paragraph = " ".join(pieces)
        if number % 20 == 0:
            paragraph = f"## Part {number} {{#part-{number}}}\n\n{paragraph}"
        paragraphs.append(paragraph)
        size += len(paragraph.encode("utf-8")) + 2
        number += 1
    return "\n\n".join(paragraphs)


def _field(head, name, value):
    return re.sub(rf"^{name}:.*$", f"{name}: {value}", head, count=1, flags=re.M)

"""Editor scenarios: a copy of the project's repository with the README's steps replayed
as commits, the way a legal editor changes the policy.

Each scenario works on whatever the repository holds now (its newest version, its
sections, its languages), so that it stays meaningful after every real change. It
returns the build date its site is checked on.
"""

import datetime
import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.oracle import policy_files, split
from tests.sites import noon, project_settings, site_zone, version_parts

ROOT = Path(__file__).resolve().parents[1]
NEW_SENTENCE = {
    "id": "Kalimat ini ditambahkan sebagai contoh perubahan.",
    "en": "This sentence was added as an example of a change.",
}
NEW_SECTION = {
    "id": ("BAGIAN CONTOH", "Teks bagian contoh."),
    "en": ("EXAMPLE SECTION", "Text of the example section."),
}


class Editor:
    """Edits one policy of a repository in place and commits, as the README says."""

    def __init__(self, repo, today):
        self.repo = Path(repo)
        self.today = today  # datetime.date
        files = policy_files(self.repo)
        original = _original_language()
        key = min(fields["policy"] for fields in files.values())
        self.files = {
            fields["lang"]: self.repo / path
            for path, fields in files.items()
            if fields["policy"] == key
        }
        self.original = original
        self.translations = sorted(set(self.files) - {original})

    # -- what the policy holds now -------------------------------------------------

    def fields(self, lang):
        return split(self.files[lang].read_text(encoding="utf-8"))[0]

    def newest_version(self):
        return max(version_parts(self.fields(lang)["version"]) for lang in self.files)

    def newest_effective(self):
        return max(
            datetime.date.fromisoformat(self.fields(lang)["effective"]) for lang in self.files
        )

    def next_version(self):
        parts = self.newest_version()
        return ".".join(map(str, (*parts[:-1], parts[-1] + 1)))

    # -- edits ----------------------------------------------------------------------

    def new_version(self, langs, effective, summary, change):
        """Raise Version, set Effective and Summary, and ``change(lang, text)`` the text."""
        number = self.next_version()
        for lang in langs:
            text = self.files[lang].read_text(encoding="utf-8")
            text = _set_field(text, "Version", number)
            text = _set_field(text, "Effective", effective.isoformat())
            text = _set_field(text, "Summary", f"{summary} ({lang})")
            self.files[lang].write_text(change(lang, text), encoding="utf-8")
        return number

    def commit(self, message, day=None):
        moment = noon(day or self.today, site_zone())
        _git(self.repo, "add", "-A")
        _git(self.repo, "commit", "-q", "-m", message, date=moment)


# -- changes to a text -------------------------------------------------------------


def add_sentence(lang, text):
    """The first paragraph after the first heading gets one more sentence."""
    lines = text.split("\n")
    start = _body_start(lines)
    seen_heading = False
    for index in range(start, len(lines)):
        line = lines[index]
        if line.startswith("#"):
            seen_heading = True
        elif seen_heading and _is_paragraph(line) and not _is_paragraph(_at(lines, index + 1)):
            lines[index] = f"{line} {NEW_SENTENCE.get(lang, NEW_SENTENCE['en'])}"
            return "\n".join(lines)
    raise AssertionError("no paragraph after a heading to change")


def add_section(lang, text):
    """A new section just before the contact section."""
    title, body = NEW_SECTION.get(lang, NEW_SECTION["en"])
    anchor = _free_anchor(text, "example-section")
    section = f"## {title} {{#{anchor}}}\n\n{body}\n\n"
    match = re.search(rf"^## .*\{{#{_contact_anchor()}\}}\s*$", text, re.MULTILINE)
    return text[: match.start()] + section + text[match.start() :]


def remove_section(lang, text):
    """The first top-level section that is not the contact section and no link points to."""
    anchor = _removable_anchor(text)
    return _replace_section(text, anchor, lambda _heading, _rest: "")


def rename_section(lang, text):
    """The same section gets a new anchor and title; links to it follow."""
    anchor = _removable_anchor(text)
    new = _free_anchor(text, f"{anchor}-renamed")

    def renamed(heading, rest):
        title = re.sub(r"\s*\{#[^}]*\}\s*$", "", heading)
        return f"{title} (2) {{#{new}}}\n{rest}"

    text = _replace_section(text, anchor, renamed)
    return text.replace(f"#{anchor})", f"#{new})")


# -- the scenarios -----------------------------------------------------------------


def in_effect_today(summary, change, message, original_only=False):
    """A scenario: a new version of every language (or of the original only), changed
    by ``change``, in effect from the day it is committed."""

    def scenario(editor):
        day = max(editor.today, editor.newest_effective())
        langs = [editor.original] if original_only else editor.files
        editor.new_version(langs, day, summary, change)
        editor.commit(message, day)
        return day

    return scenario


new_version_in_effect = in_effect_today("Satu kalimat ditambahkan", add_sentence, "New version")
section_added = in_effect_today("Bagian baru", add_section, "New section")
section_removed = in_effect_today("Bagian dihapus", remove_section, "Remove a section")
section_renamed = in_effect_today("Bagian diganti nama", rename_section, "Rename a section")
translation_lagging = in_effect_today(
    "Hanya teks asli", add_sentence, "New version of the original only", original_only=True
)


def upcoming_version(editor):
    effective = max(editor.today, editor.newest_effective()) + datetime.timedelta(days=30)
    editor.new_version(editor.files, effective, "Satu kalimat ditambahkan", add_sentence)
    editor.commit("Upcoming version")
    return editor.today


def translation_corrected(editor):
    day = max(editor.today, editor.newest_effective())
    for lang in editor.translations:
        path = editor.files[lang]
        path.write_text(add_sentence(lang, path.read_text(encoding="utf-8")), encoding="utf-8")
    editor.commit("Correct the translation", day)
    return day


def bad_commit_then_fix(editor):
    """A pull request's commits, rebase-merged: the first has a bad date, the next fixes it."""
    day = max(editor.today, editor.newest_effective())
    editor.new_version(editor.files, day, "Perubahan", add_sentence)
    original = editor.files[editor.original]
    text = original.read_text(encoding="utf-8")
    original.write_text(_set_field(text, "Effective", f"{day.year}-02-30"), encoding="utf-8")
    editor.commit("Work in progress", day)
    original.write_text(text, encoding="utf-8")
    editor.commit("Fix the effective date", day)
    return day


def three_versions(editor):
    """The README's steps three times: a version in effect, an upcoming one, and one that
    removes a section."""
    day = new_version_in_effect(editor)
    editor.today = day
    upcoming_version(editor)
    effective = editor.newest_effective()
    editor.new_version(editor.files, effective, "Bagian dihapus", remove_section)
    editor.commit("Remove a section", day)
    return day


def second_policy(editor):
    """A second policy, in every language, with a single version in effect today: the
    README's "a new policy" (here a copy of the first one's text under a new key)."""
    key = _free_name(editor.repo / "content" / "policies", "second-policy")
    for lang, path in editor.files.items():
        text = path.read_text(encoding="utf-8")
        fields = split(text)[0]
        text = _set_field(text, "Policy", key)
        text = _set_field(text, "Slug", f"{fields['slug']}-2")
        text = _set_field(text, "Title", f"{fields['title']} (2)")
        text = _set_field(text, "Version", "1.0")
        text = _set_field(text, "Effective", editor.today.isoformat())
        text = _set_field(text, "Summary", f"{key} ({lang})")
        target = editor.repo / "content" / "policies" / key / f"{lang}.md"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    editor.commit("A second policy")
    return editor.today


def third_language(editor):
    """A language more: its catalog made as ``invoke new-language`` makes one (here with
    the original language's translations), and every policy's text in it (here the
    original's text, a translation to be)."""
    catalogs = editor.repo / "translations"
    lang = next(code for code in ("ms", "nl", "fr", "de", "pt") if not (catalogs / code).exists())
    shutil.copytree(catalogs / editor.original, catalogs / lang)
    po = catalogs / lang / "LC_MESSAGES" / "messages.po"
    header = f"Language: {editor.original}\\n"
    po.write_text(po.read_text(encoding="utf-8").replace(header, f"Language: {lang}\\n", 1))
    for path in sorted((editor.repo / "content" / "policies").glob(f"*/{editor.original}.md")):
        text = _set_field(path.read_text(encoding="utf-8"), "Lang", lang)
        path.with_name(f"{lang}.md").write_text(text, encoding="utf-8")
    editor.commit(f"Add the language {lang}")
    return editor.today


SCENARIOS = {
    "new-version-in-effect": new_version_in_effect,
    "upcoming-version": upcoming_version,
    "section-added": section_added,
    "section-removed": section_removed,
    "section-renamed": section_renamed,
    "translation-lagging": translation_lagging,
    "translation-corrected": translation_corrected,
    "bad-commit-then-fix": bad_commit_then_fix,
    "three-versions": three_versions,
    "second-policy": second_policy,
    "third-language": third_language,
}


def with_code_under_test(repo):
    """Give a clone the project's code as it is in this work tree, committed or not, so
    that commands run in the clone test this code."""
    for name in ("plugins", "theme", "translations"):
        shutil.copytree(ROOT / name, repo / name, dirs_exist_ok=True)
    for name in ("tasks.py", "pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, repo / name)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "--allow-empty", "-m", "The code under test")
    return repo


def make(name, target, today):
    """A clone of the project's repository at ``target`` with scenario ``name`` replayed;
    returns the build date to check it on."""
    if target.exists():
        shutil.rmtree(target)
    _git(ROOT, "clone", "-q", "--no-hardlinks", str(ROOT), str(target))
    _git(target, "config", "user.name", "Legal Editor")
    _git(target, "config", "user.email", "legal@example.id")
    _git(target, "config", "commit.gpgsign", "false")
    shutil.copytree(ROOT / "translations", target / "translations", dirs_exist_ok=True)
    return SCENARIOS[name](Editor(target, today))


# -- helpers -----------------------------------------------------------------------


def _git(repo, *args, date=None):
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else None
    subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, check=True)


def _original_language():
    settings = project_settings()
    return settings["POLICY_SITE"].get("original_lang") or settings["DEFAULT_LANG"]


def _free_name(folder, name):
    while (folder / name).exists():
        name += "-1"
    return name


def _contact_anchor():
    return project_settings()["POLICY_SITE"].get("contact_anchor", "contact")


def _set_field(text, name, value):
    return re.sub(rf"^{name}:.*$", f"{name}: {value}", text, count=1, flags=re.MULTILINE)


def _at(lines, index):
    return lines[index] if index < len(lines) else ""


def _body_start(lines):
    return lines.index("") + 1


def _is_paragraph(line):
    stripped = line.strip()
    return bool(stripped) and not re.match(r"([-*+]|\d+[.)]|#|\{|\||>)", stripped)


def _free_anchor(text, anchor):
    while f"{{#{anchor}}}" in text:
        anchor += "-1"
    return anchor


def _removable_anchor(text):
    for anchor in re.findall(r"^## .*\{#([a-z0-9-]+)\}\s*$", text, re.MULTILINE):
        if anchor != _contact_anchor() and f"#{anchor})" not in text:
            return anchor
    raise AssertionError("no section that can be removed")


def _replace_section(text, anchor, replace):
    """``text`` with the section ``anchor`` (its heading line, then the rest up to the
    next heading of level 2) replaced by ``replace(heading, rest)``."""
    pattern = re.compile(
        rf"^(## [^\n]*\{{#{re.escape(anchor)}\}}[ \t]*)\n(.*?)(?=^## |\Z)", re.MULTILINE | re.DOTALL
    )
    return pattern.sub(lambda m: replace(m[1], m[2]), text, count=1)

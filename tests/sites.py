"""Builds sites for the build and browser tests: fixture sites, whose organisation,
languages and catalogs are the tests' own, and the project's repository with its own.

Fixture sites use the project's theme, plugin and settings files, with the organisation's
facts replaced by the fixture organisation's (``FIXTURE``), and the catalogs of the
fixture's languages in ``tests/catalogs/``. So they hold for any organisation's settings,
languages and wording; what a fixture page says in the UI is read from those catalogs
(``ui``).
"""

import contextlib
import datetime
import functools
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import textwrap
import zoneinfo
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup
from pelican import Pelican
from pelican.settings import read_settings

ROOT = Path(__file__).resolve().parents[1]

POLICY_ID = """\
Title: Kebijakan Contoh
Policy: example
Lang: id
Slug: kebijakan-contoh
Version: 1.0
Effective: 2026-01-15
Summary: Versi pertama.

Teks pembuka kebijakan.

## Data yang Kami kumpulkan {#data-collection}

Kami mengumpulkan nama dan alamat e-mail Anda.

## Kontak {#contact}

Hubungi Kami melalui:

E-mail : support@espay.id
{: .email }

Telepon : (021) 3003 0609
{: .phone }

Chat WhatsApp : 081133328188 / 081133328288
{: .whatsapp }
"""

POLICY_EN = """\
Title: Example Policy
Policy: example
Lang: en
Slug: example-policy
Version: 1.0
Effective: 2026-01-15
Summary: First version.

Opening text of the policy.

## Data we collect {#data-collection}

We collect your name and e-mail address.

## Contact {#contact}

Contact us through:

E-mail: support@espay.id
{: .email }

Telephone: (021) 3003 0609
{: .phone }

WhatsApp chat: 081133328188 / 081133328288
{: .whatsapp }
"""


def new_version(text, number, effective, summary=None, **replacements):
    """``text`` with its Version, Effective and Summary set (by default a summary that
    names the version, as each version's differs), and words replaced (each must be in
    the text)."""
    summary = summary or f"Perubahan versi {number}."
    text = re.sub(r"^Version: .*$", f"Version: {number}", text, count=1, flags=re.MULTILINE)
    text = re.sub(r"^Effective: .*$", f"Effective: {effective}", text, count=1, flags=re.M)
    text = re.sub(r"^Summary: .*$", f"Summary: {summary}", text, count=1, flags=re.M)
    for old, new in replacements.items():
        assert old in text
        text = text.replace(old, new)
    return text


def both(number, effective, **replacements):
    """The fixture policy at version ``number`` in both languages, the Indonesian text
    with ``replacements``."""
    return {
        "example/id.md": new_version(
            POLICY_ID, number, effective, f"Ringkasan {number}.", **replacements
        ),
        "example/en.md": new_version(POLICY_EN, number, effective, f"Summary {number}."),
    }


def version_parts(version):
    """A version number's parts, as numbers: ``"1.10"`` -> ``(1, 10)``."""
    return tuple(int(part) for part in version.split("."))


def redline_marks(page, name):
    """``(parent tag, text)`` of each ``ins`` or ``del`` mark of a redline (a parsed page
    or fragment), without the hidden labels around it."""
    found = []
    for mark in page.select(name):
        for label in mark.select(".visually-hidden"):
            label.decompose()
        found.append((mark.parent.name, mark.get_text()))
    return found


def write_policies(content_dir, files):
    """Write ``{relative path: text}`` below ``content_dir/policies``."""
    for name, text in files.items():
        path = Path(content_dir) / "policies" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text), encoding="utf-8")


def git(repo, *args, date=None):
    """Run git in ``repo``; ``date`` (ISO 8601) sets the author and committer date."""
    env = {**os.environ}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    ).stdout


def run_invoke(folder, *task, **environment):
    """``invoke`` with ``task`` in ``folder``, as a user runs it: a process of its own, in
    this one's environment with ``environment`` added; its CompletedProcess, as text."""
    return subprocess.run(
        [sys.executable, "-m", "invoke", *task],
        cwd=folder,
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def git_init(repo):
    """A throwaway repository with a local identity."""
    Path(repo).mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.name", "Test Editor")
    git(repo, "config", "user.email", "editor@example.id")
    git(repo, "config", "commit.gpgsign", "false")
    return Path(repo)


def commit_policies(repo, files, message="Change the policy", date="2026-01-01T10:00:00+07:00"):
    """Write ``files`` below ``repo/content/policies`` and commit them (and any deletion)."""
    write_policies(Path(repo) / "content", files)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, date=date)
    return git(repo, "rev-parse", "HEAD").strip()


FIXTURE_ZONE = "Asia/Jakarta"
FIXTURE = {  # the fixture organisation, whatever the project's settings say
    "SITENAME": "Contoh",
    "AUTHOR": "Contoh",
    "TIMEZONE": FIXTURE_ZONE,
    "DEFAULT_LANG": "id",
}
FIXTURE_POLICY_SITE = {
    "controller": "PT Contoh Data Sejahtera",
    "feed_authority": "contoh.example",
    "content_dir": "policies",
    "original_lang": None,
    "contact_anchor": "contact",
    "phone_region": "ID",
    "language_names": {"id": "Bahasa Indonesia"},
    "locales": {"en": "en_GB"},
    "untranslated": {},
    "retired": [],
    "pdf": False,  # a test that wants the PDFs says so
}


FIXTURE_CATALOGS = ROOT / "tests" / "catalogs"


def example_repo(folder):
    """A fixture site in a git repository below ``folder``: one policy, version 1.0, in
    Indonesian and English."""
    site = git_init(Path(folder) / "site")
    commit_policies(site, {"example/id.md": POLICY_ID, "example/en.md": POLICY_EN})
    return site


def copy_translations(target):
    """A copy of the fixture catalogs, with the project's template, that a test may extend."""
    shutil.copytree(FIXTURE_CATALOGS, target, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "translations" / "messages.pot", target)
    return Path(target)


def ui(lang, message, catalogs=FIXTURE_CATALOGS, **values):
    """What a page shows for the UI string ``message`` in ``lang``: its translation in
    ``catalogs`` (by default the fixture sites'), with ``values`` put in."""
    from babel.messages.pofile import read_po

    with open(Path(catalogs) / lang / "LC_MESSAGES" / "messages.po", "rb") as po:
        entry = read_po(po, locale=lang).get(message)
    text = entry.string if entry is not None and entry.string else message
    return text % values if values else text


@functools.cache
def project_settings():
    """The project's own development settings, as Pelican reads them."""
    return read_settings(str(ROOT / "pelicanconf.py"))


def site_zone():
    """The project's time zone (``TIMEZONE``): the one its dates are read in."""
    return zoneinfo.ZoneInfo(project_settings()["TIMEZONE"])


def noon(day, zone=None):
    """Noon on ``day`` (a date or YYYY-MM-DD) in ``zone`` (the fixture's by default), as
    ISO 8601 with its offset: a commit date that is ``day`` wherever it is read."""
    day = datetime.date.fromisoformat(str(day))
    zone = zone or zoneinfo.ZoneInfo(FIXTURE_ZONE)
    return datetime.datetime.combine(day, datetime.time(12), zone).isoformat()


def epoch(day, zone=None):
    """``SOURCE_DATE_EPOCH`` for noon on ``day`` (YYYY-MM-DD) in ``zone``."""
    return str(int(datetime.datetime.fromisoformat(noon(day, zone)).timestamp()))


@contextlib.contextmanager
def build_date(day, zone=None):
    """Make ``day`` the build's today, as CI does with SOURCE_DATE_EPOCH."""
    from policy_site.clock import source_date_epoch

    with source_date_epoch(epoch(day, zone)):
        yield


def build(
    content_dir,
    output_dir,
    translations_dir=None,
    settings_file="pelicanconf.py",
    policy_site=None,
    today=None,
    **overrides,
):
    """Build a fixture site in-process: the project's settings file with the fixture
    organisation's facts, on other content and output, with the fixture catalogs unless
    ``translations_dir`` says otherwise; ``today`` (YYYY-MM-DD) pins the build date."""
    return run_pelican(
        content_dir,
        output_dir,
        settings_file,
        {**FIXTURE, **overrides},
        {
            **FIXTURE_POLICY_SITE,
            "translations_dir": str(translations_dir or FIXTURE_CATALOGS),
            **(policy_site or {}),
        },
        today,
    )


def build_project(content_dir, output_dir, today=None, overrides=None, **policy_site):
    """Build ``content_dir`` as the project builds its own: its settings (with
    ``overrides``) and its catalogs."""
    policy_site = {"translations_dir": str(ROOT / "translations"), **policy_site}
    return run_pelican(
        content_dir, output_dir, "pelicanconf.py", overrides or {}, policy_site, today
    )


def as_project(repo):
    """Make the fixture repository ``repo`` a copy of the project to run its tasks in:
    the project's code, settings and tasks, with the fixture catalogs."""
    for name in ("pelicanconf.py", "tasks.py"):
        shutil.copy(ROOT / name, Path(repo) / name)
    for name in ("theme", "plugins"):
        shutil.copytree(ROOT / name, Path(repo) / name, ignore=shutil.ignore_patterns("*.mo"))
    shutil.copytree(FIXTURE_CATALOGS, Path(repo) / "translations")
    return Path(repo)


def run_pelican(content_dir, output_dir, settings_file, overrides, policy_site, today=None):
    """Run Pelican in-process with ``settings_file`` of the project, ``overrides`` of its
    settings and ``policy_site`` over its POLICY_SITE, on the theme and plugin of the
    project; ``today`` (YYYY-MM-DD) pins the build date, at noon in the site's zone."""
    pelican = fixture_pelican(content_dir, output_dir, settings_file, overrides, policy_site)
    with (
        build_date(today, zoneinfo.ZoneInfo(pelican.settings["TIMEZONE"]))
        if today
        else contextlib.nullcontext()
    ):
        pelican.run()
    return Path(output_dir)


def fixture_pelican(content_dir, output_dir, settings_file, overrides, policy_site):
    """The Pelican ``run_pelican`` runs (``invoke preview`` runs one again and again)."""
    override = {
        "PATH": str(content_dir),
        "OUTPUT_PATH": str(output_dir),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        **overrides,
    }
    override.setdefault("CACHE_PATH", f"{output_dir}.cache")
    settings = read_settings(str(ROOT / settings_file), override=override)
    settings["POLICY_SITE"] = {
        **settings.get("POLICY_SITE", {}),
        "cache": False,  # a test that wants it says so
        **policy_site,
    }
    return Pelican(settings)


def shipped_today():
    """The build date of the shipped site's tests: ``SOURCE_DATE_EPOCH`` when CI sets it,
    else today in the site's time zone, read once so that a run does not straddle midnight."""
    zone = site_zone()
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (
        datetime.datetime.fromtimestamp(int(epoch), zone) if epoch else datetime.datetime.now(zone)
    )
    return moment.date()


def read_page(output, url):
    """The built page that serves site-relative ``url``, parsed."""
    path = Path(output) / url
    if not url.endswith(".html"):
        path = path / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@dataclass(eq=False)
class Site:
    """A repository and its site as built on one date: what the shipped-site tests check."""

    name: str
    repo: Path
    output: Path
    today: datetime.date
    warnings: tuple  # what the build said about history
    siteurl: str = ""  # of a publishing build, whose links are absolute

    @functools.cached_property
    def index(self):
        return json.loads((self.output / "versions.json").read_text(encoding="utf-8"))

    @property
    def contact_anchor(self):
        """The anchor of the contact sections, as the project's settings name it."""
        return project_settings()["POLICY_SITE"].get("contact_anchor", "contact")

    def path(self, url):
        """``url`` of the site (absolute in a publishing build) as a path: ``/en/...``."""
        return url.removeprefix(self.siteurl) if self.siteurl else url

    def page(self, url):
        """The page at ``url`` (``/en/...``, or absolute in a publishing build)."""
        return read_page(self.output, self.path(url).lstrip("/"))

    def languages(self):
        """``(policy, lang, entry)`` for each policy and language of versions.json."""
        for policy, entry in sorted(self.index["policies"].items()):
            for lang, language in sorted(entry["languages"].items()):
                yield policy, lang, language

    def versions(self):
        """``(policy, lang, version entry)`` for every version of versions.json."""
        for policy, lang, language in self.languages():
            for version in language["versions"]:
                yield policy, lang, version

    def original_lang(self, policy):
        return self.index["policies"][policy]["original_language"]

    def text_of(self, version):
        """The Markdown of a versions.json entry, as its newest revision holds it."""
        return self.text_at(version["revisions"][-1])

    def text_at(self, revision):
        """The Markdown of one revision of a versions.json entry."""
        if revision["commit"] is None:
            return (self.repo / revision["path"]).read_text(encoding="utf-8")
        return self._committed(revision["commit"], revision["path"])

    @functools.cache  # noqa: B019 (a site lives as long as the test run)
    def _committed(self, commit, path):
        return subprocess.run(
            ["git", "show", f"{commit}:{path}"], cwd=self.repo, capture_output=True, check=True
        ).stdout.decode("utf-8")

    def redlines(self):
        """``(url, older text, newer text)`` of every redline page versions.json names."""
        for _policy, _lang, language in self.languages():
            versions = language["versions"]  # newest first
            current = next(v for v in versions if v["version"] == language["current"])
            for position, version in enumerate(versions):
                if version["changes_url"]:
                    older = self.text_of(versions[position + 1])
                    yield version["changes_url"], older, self.text_of(version)
                if version["compare_url"]:
                    yield version["compare_url"], self.text_of(version), self.text_of(current)
                revisions = version["revisions"]
                for before, revision in zip(revisions, revisions[1:], strict=False):
                    yield revision["changes_url"], self.text_at(before), self.text_at(revision)


class _Notices(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.INFO + 5)
        self.messages = []

    def emit(self, record):
        if record.levelno == logging.INFO + 5:
            self.messages.append(record.getMessage())


def build_site(name, repo, output, today, cache=None):
    """Build ``repo``'s own content, theme settings and history into ``output`` on ``today``;
    with ``cache`` (a folder), as a development build does, with that cache (the sites of
    one test run share their PDFs)."""
    notices = _Notices()
    logger = logging.getLogger("policy_site")
    level = logger.level
    logger.addHandler(notices)
    logger.setLevel(notices.level)
    try:
        translations = str(Path(repo) / "translations")
        overrides = {"CACHE_PATH": str(cache)} if cache else None
        options = {"translations_dir": translations, "cache": bool(cache)}
        build_project(Path(repo) / "content", output, today, overrides, **options)
    finally:
        logger.removeHandler(notices)
        logger.setLevel(level)
    return Site(name, Path(repo), Path(output), today, tuple(notices.messages))


def snapshot(folder):
    """Every file below ``folder`` with its bytes."""
    folder = Path(folder)
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def refused(content_dir, output_dir, **options):
    """Build expecting the build to stop; return its problems as text, having checked
    that the output folder is exactly as it was and no staging folder is left."""
    from policy_site.errors import PolicyBuildError

    before = snapshot(output_dir) if Path(output_dir).exists() else None
    try:
        build(content_dir, output_dir, **options)
    except PolicyBuildError as error:
        problems = [str(problem) for problem in error.problems]
    else:
        raise AssertionError("the build did not stop")
    after = snapshot(output_dir) if Path(output_dir).exists() else None
    assert after == before, "a refused build must leave the output as it was"
    assert not Path(f"{output_dir}.staging").exists()
    return problems

"""Builds sites with the project's theme, plugin and catalogs, for the build and browser tests."""

import contextlib
import datetime
import os
import shutil
import subprocess
import textwrap
from pathlib import Path

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


def copy_translations(target):
    """A copy of the project's catalogs (without compiled files) that a test may extend."""
    shutil.copytree(ROOT / "translations", target, ignore=shutil.ignore_patterns("*.mo"))
    return target


def epoch(day):
    """``SOURCE_DATE_EPOCH`` for noon in Jakarta on ``day`` (YYYY-MM-DD)."""
    moment = datetime.datetime.fromisoformat(f"{day}T12:00:00+07:00")
    return str(int(moment.timestamp()))


@contextlib.contextmanager
def build_date(day):
    """Make ``day`` the build's today, as CI does with SOURCE_DATE_EPOCH."""
    before = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = epoch(day)
    try:
        yield
    finally:
        if before is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def build(
    content_dir,
    output_dir,
    translations_dir=None,
    settings_file="pelicanconf.py",
    policy_site=None,
    today=None,
    **overrides,
):
    """Run Pelican in-process with the project's settings, on other content and output;
    ``today`` (YYYY-MM-DD) pins the build date."""
    if today:
        with build_date(today):
            return build(
                content_dir, output_dir, translations_dir, settings_file, policy_site, **overrides
            )
    override = {
        "PATH": str(content_dir),
        "OUTPUT_PATH": str(output_dir),
        "THEME": str(ROOT / "theme"),
        "PLUGIN_PATHS": [str(ROOT / "plugins")],
        **overrides,
    }
    settings = read_settings(str(ROOT / settings_file), override=override)
    settings["POLICY_SITE"] = {
        **settings.get("POLICY_SITE", {}),
        "translations_dir": str(translations_dir or ROOT / "translations"),
        **(policy_site or {}),
    }
    Pelican(settings).run()
    return Path(output_dir)

"""What the invoke tasks do, beyond a plain build: run Pelican so that a problem is a
message, check a change for review, and verify or deploy a published site."""

import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

from .change_summary import annotations, changes_found, summary
from .errors import PolicyBuildError, SiteError
from .git_history import merge_base

# Hosts that serve a site with the headers of its _headers file, and how to deploy there.
HOSTS = {
    "netlify": ["netlify", "deploy", "--prod", "--dir"],
    "cloudflare": ["wrangler", "pages", "deploy"],
}


def run_pelican(settings_file, **override):
    """Run Pelican in-process; any problem raises SiteError, never a traceback."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING, fatal="warnings")
    logging.getLogger("policy_site").setLevel(logging.INFO)  # lagging translations, summary
    try:
        Pelican(read_settings(settings_file, override=override)).run()
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise SiteError(f"cannot write{where}: {error.strerror or error}") from None


def policy_settings_override(settings_file, **values):
    """An override of ``POLICY_SITE`` with ``values`` (those not None) set."""
    from pelican.settings import read_settings

    values = {name: value for name, value in values.items() if value}
    if not values:
        return {}
    given = read_settings(settings_file).get("POLICY_SITE", {})
    return {"POLICY_SITE": {**given, **values}}


def check(settings_file, base):
    """Check the change under review (above ``base``, by default the merge base with
    origin/main): print the summary, and under GitHub Actions annotate the files and
    write the job summary. Returns the number of problems, or raises SiteError."""
    base = base or merge_base(os.getcwd(), "origin/main")
    found = {"changes": (), "warnings": ()}

    def keep(_sender, **review):
        found.update(review)

    changes_found.connect(keep)
    problems, warnings, message = (), (), None
    try:
        with tempfile.TemporaryDirectory() as folder:
            override = policy_settings_override(settings_file, base=base)
            run_pelican(settings_file, OUTPUT_PATH=os.path.join(folder, "site"), **override)
    except PolicyBuildError as error:
        problems, warnings = error.problems, error.warnings
    except SiteError as error:
        message = str(error)
    finally:
        changes_found.disconnect(keep)
    warnings = warnings or found["warnings"]
    _report(summary(problems, warnings, found["changes"], base), problems, warnings)
    if message:
        raise SiteError(message)
    return len(problems)


def _report(text, problems, warnings):
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in annotations(problems, warnings, os.getcwd()):
            print(line)
        job_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if job_summary:
            with open(job_summary, "a", encoding="utf-8") as output:
                output.write(text)
    print(text)


def verify(url, expected_index, attempts=10, wait=30):
    """The live ``versions.json`` at ``url`` has, for every policy and language, the
    version in effect that ``expected_index`` (the build's own) has. Retries while a
    host publishes; raises SiteError naming every difference."""
    with open(expected_index, encoding="utf-8") as source:
        expected = _current_versions(json.load(source))
    address = f"{url.rstrip('/')}/versions.json"
    for attempt in range(attempts):
        try:
            with urllib.request.urlopen(address, timeout=30) as response:  # noqa: S310
                live = _current_versions(json.load(response))
        except (urllib.error.URLError, OSError, ValueError) as error:
            live, problem = None, f"cannot read {address}: {error}"
        else:
            problem = None
        if live == expected:
            return expected
        if attempt + 1 < attempts:
            time.sleep(wait)
    if live is not None:
        differences = [
            f"{key}: live {live.get(key, 'missing')}, expected {value}"
            for key, value in sorted(expected.items())
            if live.get(key) != value
        ]
        problem = f"{address} is not the site just built: " + "; ".join(differences)
    raise SiteError(problem)


def _current_versions(index):
    return {
        f"{policy}/{lang}": language["current"]
        for policy, entry in index["policies"].items()
        for lang, language in entry["languages"].items()
    }


def deploy(host, folder, project=None):
    """Deploy ``folder`` to a host that applies ``_headers`` with its command-line tool."""
    if host not in HOSTS:
        raise SiteError(f"unknown host '{host}'; the hosts that apply _headers: {sorted(HOSTS)}")
    command = [*HOSTS[host], folder]
    if host == "cloudflare":
        if not project:
            raise SiteError("deploying to Cloudflare Pages needs --project NAME")
        command += ["--project-name", project]
    if shutil.which(command[0]) is None:
        raise SiteError(f"'{command[0]}' is not installed; install it with npm, then deploy again")
    if subprocess.run(command, check=False).returncode:
        raise SiteError(f"'{' '.join(command)}' failed; see its message above")

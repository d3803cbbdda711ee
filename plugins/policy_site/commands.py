"""What the invoke tasks do, beyond a plain build: run Pelican so that a problem is a
message, check a change for review, and verify or deploy a published site."""

import contextlib
import json
import logging
import os
import shutil
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from . import build_record, up_to_date
from .atomic_output import discard_staging
from .cache import FOLDER, refusal
from .change_summary import (
    annotations,
    changes_found,
    job_summary,
    stop_commands,
    terminal_summary,
)
from .errors import PolicyBuildError, SiteError
from .messages import _
from .settings import catalogs_folder

# Hosts that serve a site with the headers of its _headers file, and how to deploy there.
HOSTS = {
    "netlify": ["netlify", "deploy", "--prod", "--dir"],
    "cloudflare": ["wrangler", "pages", "deploy"],
}


def _every_message_said():
    """Pelican's loggers drop a message said before in the same process (``LimitFilter``):
    each build (``invoke preview`` makes many) says all it finds, and a warning said
    before stops it again."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


def run_pelican(settings_file, record=None, policy_site=None, **override):
    """Run Pelican in-process with ``override`` of its settings and ``policy_site`` (those
    not None) of POLICY_SITE's; any problem raises SiteError, never a traceback. With
    ``record`` (a path and an ``invocation()``), what the build read, from its settings
    on, is recorded there for the next (``build_record``)."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(level=logging.WARNING, fatal="warnings")
    logging.getLogger("policy_site").setLevel(logging.INFO)  # lagging translations, summary
    _every_message_said()
    started = build_record.process_start_ns() if record else None
    said = _Said()
    pelican = None
    logging.getLogger().addHandler(said)
    try:
        with build_record.reading() if record else contextlib.nullcontext() as reading:
            settings = read_settings(settings_file, override=override)
            given = {
                name: value for name, value in (policy_site or {}).items() if value is not None
            }
            settings["POLICY_SITE"] = {**settings.get("POLICY_SITE", {}), **given}
            pelican = Pelican(settings)
            pelican.run()
    except OSError as error:
        if pelican is not None:
            discard_staging(pelican.output_path)
        reason = error.strerror or error
        if error.filename:
            raise SiteError(
                _("cannot write %(path)s: %(reason)s", path=error.filename, reason=reason)
            ) from None
        raise SiteError(_("cannot write: %(reason)s", reason=reason)) from None
    finally:
        logging.getLogger().removeHandler(said)
    if record:
        _keep(record, reading, started, said.messages)


class _Said(logging.Handler):
    """The messages a build says beyond its progress (notices and warnings), to say again
    when the next build finds nothing to do."""

    def __init__(self):
        super().__init__(logging.INFO + 1)
        self.messages = []

    def emit(self, record):
        self.messages.append([record.levelname, record.getMessage()])


def _keep(record, reading, started, said):
    """Write the record of a build into its cache's folder, or remove an older one where
    this build cannot be vouched for or has its cache elsewhere."""
    path, key = record
    kept = reading.ended(started)
    if kept is None or os.path.dirname(os.path.abspath(path)) not in reading.own:
        logging.getLogger(__name__).debug("No record of this build: %s", reading.refused)
        build_record.forget(path)
        return
    build_record.write(path, {**kept, "invocation": key, "messages": said})


def rebuild_on_change(settings_file, report, wait=None):
    """Build, then build again after each change to the settings, content, theme or
    catalogs (``invoke preview``). A build that stops, for whatever reason (a broken
    settings file or template too), is ``report``-ed in one message, and the next waits
    for a change: Pelican's own ``--autoreload`` builds again at once, over and over,
    while a problem stands. One watch runs the whole time, so a change made during a
    build is not missed."""
    from pelican.settings import read_settings

    wait = wait or _Changes()
    settings = None
    while True:
        try:
            settings = read_settings(settings_file)
            run_pelican(settings_file)
        except SiteError as error:
            report(error)
        except Exception as error:  # noqa: BLE001 (the preview goes on after any slip)
            report(_slip(error))
        wait(settings_file, settings)


def _slip(error):
    """One line for an error of the settings or the theme, with its file and line where
    it has them (a Python or Jinja syntax error)."""
    place = getattr(error, "filename", None), getattr(error, "lineno", None)
    where = f"{place[0]}:{place[1]}: " if all(place) else ""
    return f"{where}{type(error).__name__}: {error}"


class _Changes:
    """Waits for a change to a file the build reads, as Pelican's ``--autoreload`` does,
    and to the catalogs, which it does not watch; from one watch, made again only when
    the folders to watch change."""

    def __init__(self):
        self.folders = None
        self.changes = None

    def __call__(self, settings_file, settings):
        import watchfiles
        from pelican.utils import FileChangeFilter

        settings = settings or {}
        watched = [settings_file, settings.get("THEME", ""), settings.get("PATH", "")]
        if settings.get("PATH"):
            watched.append(catalogs_folder(settings))
        folders = tuple(os.path.abspath(path) for path in watched if path and os.path.exists(path))
        if folders != self.folders:
            ignored = set(settings.get("IGNORE_FILES", []))
            self.folders = folders
            self.changes = watchfiles.watch(
                *folders, watch_filter=FileChangeFilter(ignored), rust_timeout=0
            )
        return next(self.changes)


@contextlib.contextmanager
def _check_folder(settings_file):
    """Where ``invoke check`` builds the site it checks: in the cache's folder, so that
    the next check takes the pages whose models did not change from it, as a rebuild
    takes them from ``output/``; a folder of its own, removed after, where the cache is
    off."""
    from pelican.settings import read_settings

    settings = read_settings(settings_file)
    cache = settings.get("CACHE_PATH") or "cache"
    if settings.get("POLICY_SITE", {}).get("cache", True) and _own_folder(cache, settings):
        yield os.path.join(cache, CHECKED_SITE)
        return
    with tempfile.TemporaryDirectory() as folder:
        yield os.path.join(folder, "site")


def _own_folder(cache, settings):
    """Whether the cache's folder is the build's own to write in, as the cache takes it
    (``cache.refusal``), and a folder or nothing yet."""
    if os.path.lexists(cache) and not os.path.isdir(cache):
        return False
    return refusal(Path(cache) / FOLDER, settings["PATH"]) is None


CHECKED_SITE = "checked-site"  # below the cache: the site the last ``invoke check`` built


def check(settings_file, base, record=None):
    """Check the change under review (above the commit ``base``; ``invoke check`` takes
    the merge base with origin/main by default): print the summary, and under GitHub
    Actions annotate the files and write the job summary. Returns the number of
    problems, or raises SiteError. A check that found no problem is recorded with its
    summary (``record``), but under GitHub Actions.

    Under GitHub Actions everything the build and the summary print runs between
    ``::stop-commands::`` and its end, so that no text of a policy can act as a workflow
    command; the annotations, written by this code, come after."""
    found = {"changes": None, "warnings": (), "scope": None}

    def keep(_sender, **review):
        found.update(review)

    actions = os.environ.get("GITHUB_ACTIONS") == "true"
    record = None if actions else record
    stop, resume = stop_commands()
    if actions:
        print(stop, flush=True)
    changes_found.connect(keep)
    problems, message = (), None
    try:
        with (
            build_record.reading() if record else contextlib.nullcontext(),  # the settings too
            _check_folder(settings_file) as folder,
        ):
            run_pelican(settings_file, record, {"base": base, "pdf": False}, OUTPUT_PATH=folder)
    except PolicyBuildError as error:
        problems = error.problems
    except SiteError as error:
        message = str(error)
    finally:
        changes_found.disconnect(keep)
    warnings, changes, scope = found["warnings"], found["changes"], found["scope"]
    summary = terminal_summary(problems, warnings, changes, scope)
    print(summary, flush=True)
    if record and not problems and not message:
        up_to_date.add_printed(record[0], f"{summary}\n")
    if actions:
        print(resume, flush=True)
        for line in annotations(problems, warnings, os.getcwd()):
            print(line)
        job = os.environ.get("GITHUB_STEP_SUMMARY")
        if job:
            with open(job, "a", encoding="utf-8") as output:
                output.write(job_summary(problems, warnings, changes, scope))
    if message:
        raise SiteError(message)
    return len(problems)


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
            live, problem = (
                None,
                _("cannot read %(address)s: %(error)s", address=address, error=error),
            )
        else:
            problem = None
        if live == expected:
            return expected
        if attempt + 1 < attempts:
            time.sleep(wait)
    if live is not None:
        differences = [
            _(
                "%(key)s: live %(live)s, expected %(expected)s",
                key=key,
                live=live.get(key, _("missing")),
                expected=value,
            )
            for key, value in sorted(expected.items())
            if live.get(key) != value
        ]
        problem = _(
            "%(address)s is not the site just built: %(differences)s",
            address=address,
            differences="; ".join(differences),
        )
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
        raise SiteError(
            _(
                "unknown host '%(host)s'; the hosts that apply _headers: %(hosts)s",
                host=host,
                hosts=sorted(HOSTS),
            )
        )
    command = [*HOSTS[host], folder]
    if host == "cloudflare":
        if not project:
            raise SiteError(_("deploying to Cloudflare Pages needs --project NAME"))
        command += ["--project-name", project]
    if shutil.which(command[0]) is None:
        raise SiteError(
            _(
                "'%(tool)s' is not installed; install it with npm, then deploy again",
                tool=command[0],
            )
        )
    if subprocess.run(command, check=False).returncode:
        raise SiteError(_("'%(command)s' failed; see its message above", command=" ".join(command)))

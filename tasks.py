"""Tasks for the policy site: build, view, test, publish and the translation catalogs."""

import logging
import os
import shutil
import sys
import tempfile

from invoke import Exit, task

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "translations": "translations",
    "babel_config": "translations/babel.cfg",
    "catalog_template": "translations/messages.pot",
    "host": "127.0.0.1",
    "port": 8000,
}

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))


def run_pelican(settings_file, **override):
    """Run Pelican in-process; a content problem raises SiteError (no traceback)."""
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from policy_site.errors import SiteError

    init_logging(level=logging.WARNING, fatal="warnings")
    logging.getLogger("policy_site").setLevel(logging.INFO)  # lagging translations, summary
    try:
        Pelican(read_settings(settings_file, override=override)).run()
    except OSError as error:
        where = f" {error.filename}" if error.filename else ""
        raise SiteError(f"cannot write{where}: {error.strerror or error}") from None


def pelican_build(settings_file, **override):
    """Run Pelican in-process; a content problem ends the task with its message alone."""
    from policy_site.errors import SiteError

    try:
        run_pelican(settings_file, **override)
    except SiteError as error:
        raise Exit(f"Build stopped. {error}", code=1) from None


def pelican_listen(*options):
    """Serve output/ with Pelican's server on CONFIG's host and port."""
    from pelican import main

    address = ["--bind", CONFIG["host"], "--port", str(CONFIG["port"])]
    main(["--listen", *address, *options, "-s", CONFIG["settings_base"]])


def pybabel(*args):
    from babel.messages.frontend import CommandLineInterface

    CommandLineInterface().run(["pybabel", "-q", *args])


@task
def clean(c):
    """Remove the generated site."""
    shutil.rmtree(CONFIG["deploy_path"], ignore_errors=True)


def review_settings(base=None, **policy_site):
    """Settings that judge the commits above ``base`` as the change under review, with
    other ``POLICY_SITE`` values."""
    from pelican.settings import read_settings

    if base:
        policy_site["base"] = base
    if not policy_site:
        return {}
    given = read_settings(CONFIG["settings_base"]).get("POLICY_SITE", {})
    return {"POLICY_SITE": {**given, **policy_site}}


@task(
    help={
        "base": "judge every commit above this one strictly, e.g. origin/main",
        "preview": "mark every page as a preview and make links open from the folder",
    }
)
def build(c, base=None, preview=False):
    """Build the site for viewing on this machine into output/."""
    extra = {"preview": True} if preview else {}
    pelican_build(CONFIG["settings_base"], **review_settings(base, **extra))
    print(
        f"Built the site in {CONFIG['deploy_path']}/. To view it, run "
        f"'.venv/bin/invoke serve' and open http://{CONFIG['host']}:{CONFIG['port']}/"
    )


@task(help={"base": "the commit the change starts from (default: the merge base with origin/main)"})
def check(c, base=None):
    """Check the change under review: every problem, and a summary of what it changes."""
    from policy_site.review import reviewed

    base = base or default_base()
    found = {"changes": (), "warnings": ()}

    def keep(_sender, **review):
        found.update(review)

    reviewed.connect(keep)
    try:
        problems, message = check_build(base)
    finally:
        reviewed.disconnect(keep)
    report_review(problems, found["warnings"], found["changes"], base)
    if message:
        raise Exit(f"Check stopped. {message}", code=1)
    if problems:
        raise Exit(f"{len(problems)} problem(s) to fix; see above.", code=1)


def default_base():
    """The merge base with origin/main, when the repository has that branch."""
    from policy_site.git_history import merge_base

    return merge_base(os.getcwd(), "origin/main")


def check_build(base):
    """``(problems, message)`` of a build into a temporary folder; output/ stays as it is."""
    from policy_site.errors import PolicyBuildError, SiteError

    with tempfile.TemporaryDirectory() as folder:
        try:
            run_pelican(
                CONFIG["settings_base"],
                OUTPUT_PATH=os.path.join(folder, "site"),
                **review_settings(base),
            )
        except PolicyBuildError as error:
            return error.problems, None
        except SiteError as error:
            return (), str(error)
    return (), None


def report_review(problems, warnings, changes, base):
    """Print the summary; under GitHub Actions also annotate and write the job summary."""
    from policy_site.review import annotations, summary

    text = summary(problems, warnings, changes, base)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in annotations(problems, warnings, os.getcwd()):
            print(line)
        if os.environ.get("GITHUB_STEP_SUMMARY"):
            with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as job_summary:
                job_summary.write(text)
    print(text)


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000/ (build first)."""
    pelican_listen()


@task
def preview(c):
    """Rebuild on every change to content or theme, and serve at http://127.0.0.1:8000/."""
    pelican_listen("--autoreload")


@task
def publish(c):
    """Build the site for deployment: absolute URLs from $SITEURL, sitemap, clean output."""
    pelican_build(CONFIG["settings_publish"])


@task
def extract(c):
    """Collect the theme's and plugin's UI strings into translations/messages.pot."""
    pybabel(
        "extract",
        "-F",
        CONFIG["babel_config"],
        "--no-location",
        "--sort-output",
        "--project",
        "Policy site",
        "-o",
        CONFIG["catalog_template"],
        ".",
    )


@task(pre=[extract])
def update(c):
    """Merge new UI strings into every language's messages.po (then translate them)."""
    pybabel(
        "update",
        "-i",
        CONFIG["catalog_template"],
        "-d",
        CONFIG["translations"],
        "--ignore-obsolete",
    )


@task
def compile(c):
    """Compile the catalogs to .mo files, as every build does."""
    from policy_site.i18n import compile_catalogs

    for lang, path in compile_catalogs(CONFIG["translations"]).items():
        print(f"{lang}: {path}")


@task
def browser(c):
    """Find a Chromium for the browser tests, installing one if none is there."""
    from tests.browser.chromium import ensure

    print(f"Browser tests use {ensure()}")


@task
def benchmark(c):
    """Measure build time and page weight (figures for the issue notes)."""
    from tests.benchmark import main

    main()


@task
def lint(c):
    """Check the Python code with ruff (lint and format)."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)


@task(pre=[lint, browser])
def test(c):
    """Run every test: unit, build and browser (headless Chromium)."""
    c.run(f"{sys.executable} -m pytest", pty=False)

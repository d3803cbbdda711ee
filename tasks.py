"""Tasks for the policy site: build, view, test, publish and the translation catalogs."""

import contextlib
import os
import shlex
import shutil
import sys

from invoke import Exit, task

CONFIG = {
    "settings_base": "pelicanconf.py",
    "settings_publish": "publishconf.py",
    "deploy_path": "output",
    "cache_path": "cache",
    "translations": "translations",
    "fixture_translations": "tests/catalogs",
    "babel_config": "translations/babel.cfg",
    "catalog_template": "translations/messages.pot",
    "host": "127.0.0.1",
    "port": 8000,
}

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "plugins"))


def messages():
    """The ``_()`` of the plugin's messages, in the editor's language (``LANGUAGE``)."""
    from policy_site import messages

    messages.use(CONFIG["translations"])
    return messages._


def record_of(name):
    """Where the record of the last build of a task is (``build_record``)."""
    return os.path.join(CONFIG["cache_path"], "policy_site", name)


def pelican_build(settings_file, record=None, policy_site=None):
    """Run Pelican in-process; a content problem ends the task with its message alone."""
    from policy_site.commands import run_pelican
    from policy_site.errors import SiteError

    _ = messages()
    try:
        run_pelican(settings_file, record, policy_site)
    except SiteError as error:
        raise Exit(_("Build stopped. %(error)s", error=error), code=1) from None


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
    """Remove the generated site and the build's cache."""
    for folder in (CONFIG["deploy_path"], CONFIG["cache_path"]):
        shutil.rmtree(folder, ignore_errors=True)


@task(
    help={
        "base": "judge every commit above this one strictly, e.g. origin/main",
        "preview": "mark every page as a preview and make links open from the folder",
    }
)
def build(c, base=None, preview=False):
    """Build the site for viewing on this machine into output/."""
    from policy_site import build_record, up_to_date

    record = record_of(build_record.RECORD)
    key = build_record.invocation("build", CONFIG["settings_base"], base, preview)
    said = up_to_date.unchanged(record, key)
    _ = messages()
    if said is None:
        options = {"base": base, "preview": preview}
        pelican_build(CONFIG["settings_base"], (record, key), options)
        done = _("Built the site in %(folder)s/.", folder=CONFIG["deploy_path"])
    else:
        up_to_date.say_again(said)  # what the build that wrote the output said
        done = _(
            "Nothing to build: nothing the build reads has changed since the build that "
            "wrote %(folder)s/.",
            folder=CONFIG["deploy_path"],
        )
    view = _(
        "To view it, run '.venv/bin/invoke serve' and open http://%(host)s:%(port)s/",
        host=CONFIG["host"],
        port=CONFIG["port"],
    )
    print(done, view)


@task(help={"base": "the commit the change starts from (default: merge base with origin/main)"})
def check(c, base=None):
    """Check a change for review: every problem, and a summary of what it changes."""
    from policy_site import build_record, up_to_date
    from policy_site.errors import SiteError
    from policy_site.git_history import merge_base
    from policy_site.messages import n_

    _ = messages()
    record = record_of(build_record.CHECK_RECORD)
    try:
        base = base or merge_base(os.getcwd(), "origin/main")
        key = build_record.invocation("check", CONFIG["settings_base"], base)
        said = up_to_date.unchanged(record, key)
        if said is not None:  # nothing changed since a check that found no problem
            up_to_date.say_again(said)
            return
        from policy_site.commands import check as check_change

        problems = check_change(CONFIG["settings_base"], base, (record, key))
    except SiteError as error:
        raise Exit(_("Check stopped. %(error)s", error=error), code=1) from None
    if problems:
        raise Exit(
            n_(
                "%(count)s problem to fix; see above.",
                "%(count)s problems to fix; see above.",
                problems,
            ),
            code=1,
        )


@task
def serve(c):
    """Serve output/ at http://127.0.0.1:8000/ (build first)."""
    pelican_listen()


@task
def preview(c):
    """Rebuild on every change to content, theme, catalogs or settings, and serve at
    http://127.0.0.1:8000/."""
    import logging
    import threading

    from pelican.server import ComplexHTTPRequestHandler, RootedHTTPServer

    from policy_site.commands import rebuild_on_change

    _ = messages()
    address = (CONFIG["host"], CONFIG["port"])
    try:
        server = RootedHTTPServer(CONFIG["deploy_path"], address, ComplexHTTPRequestHandler)
    except OSError as error:
        raise Exit(
            _(
                "Cannot serve at %(host)s:%(port)s: %(reason)s",
                host=address[0],
                port=address[1],
                reason=error.strerror,
            ),
            code=1,
        ) from None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://{address[0]}:{address[1]}/"
    print(_("Serving the site at %(url)s (Ctrl-C to stop)", url=url))
    logging.getLogger("pelican.server").setLevel(logging.WARNING)  # not every request
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: the preview ends
        rebuild_on_change(
            CONFIG["settings_base"],
            lambda error: print(_("Build stopped. %(error)s", error=error), file=sys.stderr),
        )


@task
def publish(c):
    """Build the site for deployment: absolute URLs from $SITEURL, sitemap, clean output."""
    pelican_build(CONFIG["settings_publish"])


@task(help={"url": "the deployed site's address (default: $SITEURL)"})
def verify(c, url=None):
    """After a deploy: the live versions.json has the versions in effect this build has."""
    from policy_site.commands import verify as verify_live
    from policy_site.errors import SiteError

    _ = messages()
    url = url or os.environ.get("SITEURL", "")
    try:
        current = verify_live(url, os.path.join(CONFIG["deploy_path"], "versions.json"))
    except SiteError as error:
        raise Exit(_("Verification failed. %(error)s", error=error), code=1) from None
    print(_("%(url)s shows the versions in effect: %(current)s", url=url, current=current))


@task(help={"host": "netlify or cloudflare", "project": "the Cloudflare Pages project"})
def deploy(c, host, project=None):
    """Deploy output/ to a host that sends the headers of _headers (after invoke publish)."""
    from policy_site.commands import deploy as deploy_to
    from policy_site.errors import SiteError

    _ = messages()
    try:
        deploy_to(host, CONFIG["deploy_path"], project)
    except SiteError as error:
        raise Exit(_("Deploy stopped. %(error)s", error=error), code=1) from None


# how the catalogs' template is made (a test makes it the same way)
EXTRACT = (
    "extract",
    "-F",
    CONFIG["babel_config"],
    "--no-location",
    "--sort-output",
    "--keyword",
    "n_:1,2",
    "--width",
    "100",
    "--project",
    "Policy site",
)


@task
def extract(c):
    """Collect the theme's, plugin's and tasks' strings into translations/messages.pot."""
    pybabel(*EXTRACT, "-o", CONFIG["catalog_template"], ".")


@task(pre=[extract])
def update(c):
    """Merge new UI strings into every catalog, the site's and the test fixtures' (then
    translate them)."""
    for folder in (CONFIG["translations"], CONFIG["fixture_translations"]):
        pybabel(
            "update",
            "-i",
            CONFIG["catalog_template"],
            "-d",
            folder,
            "--ignore-obsolete",
            "--no-fuzzy-matching",
            "--width",
            "100",
        )


@task(name="new-language")
def new_language(c, code):
    """Start the catalog of language CODE (e.g. ms) from the template, with its plural
    rules from Babel; then translate it and add the policies' texts in that language."""
    from babel import Locale, UnknownLocaleError

    _ = messages()
    try:
        locale = Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        raise Exit(
            _(
                "'%(code)s' is not a language code Babel knows; use one such as ms or pt_BR",
                code=code,
            ),
            code=1,
        ) from None
    catalog = os.path.join(CONFIG["translations"], code, "LC_MESSAGES", "messages.po")
    if os.path.exists(catalog):
        raise Exit(
            _("%(path)s exists already; 'invoke update' brings it up to date", path=catalog), code=1
        )
    pybabel(
        "init",
        "-i",
        CONFIG["catalog_template"],
        "-d",
        CONFIG["translations"],
        "-l",
        code,
        "--width",
        "100",
    )
    print(
        _(
            "Made %(path)s for %(name)s (%(english)s). Next: translate every msgstr in it, "
            'including the address words (msgctxt "URL": lower-case letters, digits and '
            "hyphens); add each policy's text as content/policies/POLICY/%(code)s.md with "
            "'Lang: %(code)s', or list the policy in POLICY_SITE['untranslated']; then "
            "'invoke build'. Until a string is translated, the build warns and pages show it "
            "in English.",
            path=catalog,
            name=locale.get_display_name(code),
            english=locale.get_display_name("en"),
            code=code,
        )
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


@task(help={"large": "also measure a history of 1000 versions (takes minutes)"})
def benchmark(c, large=False):
    """Measure builds against plain Pelican, and page weight; write benchmarks/RESULTS.md."""
    from tests.benchmark import main

    main(large=large)


@task
def lint(c):
    """Check the Python code with ruff (lint and format)."""
    c.run(f"{sys.executable} -m ruff check .", pty=False)
    c.run(f"{sys.executable} -m ruff format --check .", pty=False)


@task(
    help={
        "layers": "which tests, of unit, build, browser and content (default: all; content is "
        "the organisation's own texts, tests/content/, skipped when the folder is gone)",
        "built": "run the browser tests against this built site (e.g. output/ of publish)",
        "workers": "how many processes run the tests (default: one per core; 0: this one)",
    }
)
def test(c, layers="unit,build,browser,content", built=None, workers="auto"):
    """Run the tests: unit, build, browser (headless Chromium) and the organisation's own
    content, every one by default, in one worker process per core (``--workers 0``: in
    this process, one after the other)."""
    lint(c)
    chosen = [layer.strip() for layer in layers.split(",")]
    if "browser" in chosen:
        browser(c)
    arguments = [f"tests/{layer}" for layer in chosen if layer != "content"]
    if "content" in chosen and os.path.isdir("tests/content"):
        arguments.append("tests/content")
    if built:
        arguments.append(f"--built-site={built}")
    arguments += [f"--numprocesses={workers}", "--dist=worksteal"]
    c.run(f"{sys.executable} -m pytest {shlex.join(arguments)}", pty=False)

"""Fixtures shared by the build and browser tests.

``site`` is the project's repository built on today's date ("shipped"), and, for every
test not marked ``theme``, each editor scenario's copy of it: the suite of the shipped
site runs unchanged on the repository each scenario leaves behind.
"""

import datetime
import fcntl
import json
import os
from pathlib import Path

import pytest

from tests.scenarios import SCENARIOS, make
from tests.sites import (
    ROOT,
    Site,
    build_site,
    example_repo,
    read_page,  # noqa: F401 (tests import it from here)
    shipped_today,
)

SITES = ("shipped", *SCENARIOS)
TODAY = shipped_today()


def pytest_addoption(parser):
    parser.addoption(
        "--built-site",
        metavar="FOLDER",
        help="check this already built site (e.g. a publishing build, whose SITEURL is in "
        "the environment) as the shipped site, and no scenario",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "theme: checks the theme, on the shipped site only (not each scenario)"
    )


def pytest_generate_tests(metafunc):
    if "site" in metafunc.fixturenames:
        only_shipped = metafunc.definition.get_closest_marker("theme") or metafunc.config.getoption(
            "built_site"
        )
        names = ("shipped",) if only_shipped else SITES
        metafunc.parametrize("site", names, indirect=True, scope="session")


@pytest.fixture(scope="session")
def run_folder(request, tmp_path_factory):
    """A folder of the test run, shared by its processes where it has several (``-n``)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if hasattr(request.config, "workerinput") else base


@pytest.fixture(scope="session")
def site(request, tmp_path_factory, run_folder):
    """A repository and its site, built once per test run."""
    name = request.param
    built = request.config.getoption("built_site")
    if built:
        siteurl = os.environ.get("SITEURL", "").rstrip("/")
        return Site(name, ROOT, Path(built).resolve(), TODAY, (), siteurl)
    cache = tmp_path_factory.getbasetemp() / "cache"  # as a developer's, for this process
    return built_once(name, run_folder / "sites" / name, cache)


def built_once(name, folder, cache):
    """The site ``name`` in ``folder``, built there by whichever worker of the run (``-n``)
    asks first; the others wait for it and read what the tests need from ``site.json``."""
    folder.mkdir(parents=True, exist_ok=True)
    record = folder / "site.json"
    with open(folder / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if record.exists():
            facts = json.loads(record.read_text(encoding="utf-8"))
            today = datetime.date.fromisoformat(facts["today"])
            return Site(
                name, Path(facts["repo"]), folder / "output", today, tuple(facts["warnings"])
            )
        repo, today = ROOT, TODAY
        if name != "shipped":
            repo = folder / "repo"
            today = make(name, repo, TODAY)
        site = build_site(name, repo, folder / "output", today, cache)
        facts = {"repo": str(repo), "today": today.isoformat(), "warnings": site.warnings}
        record.write_text(json.dumps(facts), encoding="utf-8")
        return site


@pytest.fixture
def repo(tmp_path):
    """A fixture site in a git repository: one policy, version 1.0, in Indonesian and English."""
    return example_repo(tmp_path)


@pytest.fixture
def content(repo):
    return repo / "content"


@pytest.fixture(autouse=True)
def _every_message_logged():
    """Pelican's loggers drop a message logged before in the same process (``LimitFilter``):
    each test starts as a user's command does, with none logged yet."""
    from pelican.log import LimitFilter

    LimitFilter._raised_messages.clear()
    LimitFilter._group_count.clear()


@pytest.fixture(autouse=True, scope="session")
def _messages_in_english():
    """The tests read the build's messages in English (the originals) whatever the
    machine's locale; a test of another language sets ``LANGUAGE`` itself."""
    before = os.environ.get("LANGUAGE")
    os.environ["LANGUAGE"] = "en"
    yield
    if before is None:
        os.environ.pop("LANGUAGE", None)
    else:
        os.environ["LANGUAGE"] = before

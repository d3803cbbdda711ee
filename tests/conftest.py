"""Fixtures shared by the build and browser tests."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sites import POLICY_EN, POLICY_ID, ROOT, build, commit_policies, git_init


def read_page(output, url):
    """The built page that serves site-relative ``url``, parsed."""
    path = Path(output) / url / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def repo(tmp_path):
    """A fixture site in a git repository: one policy, version 1.0, in Indonesian and English."""
    site = git_init(tmp_path / "site")
    commit_policies(site, {"example/id.md": POLICY_ID, "example/en.md": POLICY_EN})
    return site


@pytest.fixture
def content(repo):
    return repo / "content"


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The project's own site, built once into a temporary folder."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site"))

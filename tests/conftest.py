"""Fixtures shared by the build and browser tests."""

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.sites import POLICY_EN, POLICY_ID, ROOT, build, write_policies


def read_page(output, url):
    """The built page that serves site-relative ``url``, parsed."""
    path = Path(output) / url / "index.html"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture
def content(tmp_path):
    """A fixture site's content folder with one policy in Indonesian and English."""
    folder = tmp_path / "content"
    write_policies(folder, {"example/id.md": POLICY_ID, "example/en.md": POLICY_EN})
    return folder


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The project's own site, built once into a temporary folder."""
    return build(ROOT / "content", tmp_path_factory.mktemp("site"))

"""After a deploy: the live site must show the versions in effect that were built; and
deploying to a host that applies _headers says what it needs."""

import functools
import json
import shutil
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest

from policy_site.commands import deploy, verify
from policy_site.errors import SiteError


def index(current):
    languages = {lang: {"current": number} for lang, number in current.items()}
    return {"policies": {"privacy": {"languages": languages}}}


@pytest.fixture
def live(tmp_path):
    """A host on loopback serving ``tmp_path/live``."""
    folder = tmp_path / "live"
    folder.mkdir()
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *args: None
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield folder, f"http://127.0.0.1:{server.server_port}/kebijakan"
    server.shutdown()
    server.server_close()


def test_the_live_site_shows_the_versions_built(live, tmp_path):
    folder, url = live
    built = tmp_path / "versions.json"
    built.write_text(json.dumps(index({"id": "1.2", "en": "1.1"})))
    (folder / "kebijakan").mkdir()
    (folder / "kebijakan/versions.json").write_text(json.dumps(index({"id": "1.2", "en": "1.1"})))
    assert verify(url, built, attempts=1) == {"privacy/id": "1.2", "privacy/en": "1.1"}


def test_a_live_site_behind_the_build_fails_loudly(live, tmp_path):
    folder, url = live
    built = tmp_path / "versions.json"
    built.write_text(json.dumps(index({"id": "1.2", "en": "1.1"})))
    (folder / "kebijakan").mkdir()
    (folder / "kebijakan/versions.json").write_text(json.dumps(index({"id": "1.1", "en": "1.1"})))
    with pytest.raises(SiteError, match="privacy/id: live 1.1, expected 1.2"):
        verify(url, built, attempts=2, wait=0)


def test_a_site_that_does_not_answer_fails_with_the_address(tmp_path):
    built = tmp_path / "versions.json"
    built.write_text(json.dumps(index({"id": "1.2"})))
    with pytest.raises(SiteError, match="cannot read http://127.0.0.1:9/versions.json"):
        verify("http://127.0.0.1:9", built, attempts=1)


def test_deploying_to_a_host_names_what_it_needs(tmp_path, monkeypatch):
    with pytest.raises(SiteError, match="unknown host 'pages'"):
        deploy("pages", str(tmp_path))
    with pytest.raises(SiteError, match="needs --project NAME"):
        deploy("cloudflare", str(tmp_path))
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(SiteError, match="'netlify' is not installed; install it with npm"):
        deploy("netlify", str(tmp_path))

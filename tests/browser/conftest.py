"""Serves the built site on loopback and points headless Chromium at it."""

import functools
import mimetypes
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.browser import chromium

CHROMIUM = pytest.StashKey[tuple]()
DEFAULT_VIEWPORT = {"width": 1280, "height": 720}
CRAWL_COUNTS = pytest.StashKey[tuple]()
# Keep the browser from reaching out on its own (updates, sync, safe browsing).
QUIET_BROWSER_ARGS = [
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def pytest_configure(config):
    config.stash[CHROMIUM] = chromium.locate()


def add_crawl_counts(config, sites, read):
    """Count crawls into the run's summary: ``sites`` ``{site: (pages, links)}`` (a site
    crawled by two processes counts once) and ``read``, the pages read in the browser."""
    before, was_read = config.stash.get(CRAWL_COUNTS, ({}, 0))
    config.stash[CRAWL_COUNTS] = ({**before, **sites}, was_read + read)


def pytest_sessionfinish(session):
    """A worker of a parallel run (``-n``) hands its counts to the main process."""
    config = session.config
    if hasattr(config, "workeroutput") and CRAWL_COUNTS in config.stash:
        config.workeroutput["crawl_counts"] = config.stash[CRAWL_COUNTS]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    if "crawl_counts" in getattr(node, "workeroutput", {}):
        add_crawl_counts(node.config, *node.workeroutput["crawl_counts"])


def pytest_terminal_summary(terminalreporter, config):
    if CRAWL_COUNTS in config.stash:
        sites, read = config.stash[CRAWL_COUNTS]
        pages, links = (sum(counts) for counts in zip(*sites.values(), strict=True))
        terminalreporter.write_line(
            f"browser crawl: {pages} pages ({read} read in the browser, the others byte for "
            f"byte as a page read on another site), {links} links checked"
        )


def read_headers(site):
    """The rules of the site's ``_headers`` file: ``[(path pattern, {name: value})]``, in
    the format of Netlify and Cloudflare Pages (a path, then its headers indented)."""
    rules = []
    for line in (site / "_headers").read_text().splitlines():
        if line and not line[0].isspace():
            rules.append((line, {}))
        elif line.strip():
            name, value = line.strip().split(": ", 1)
            rules[-1][1][name] = value
    assert rules[0][0] == "/*"
    return rules


def headers_for(rules, path):
    """The headers every rule matching ``path`` gives (a pattern ending in ``*`` matches
    what starts with the rest)."""
    found = {}
    for pattern, headers in rules:
        if path == pattern or (pattern.endswith("*") and path.startswith(pattern[:-1])):
            found.update(headers)
    return found


class StaticHostHandler(SimpleHTTPRequestHandler):
    """Serves the built site as a static host that honours ``_headers`` would."""

    protocol_version = "HTTP/1.1"  # keeps connections open, as a real host does
    header_rules = ()

    def end_headers(self):
        path = unquote(urlsplit(self.path).path)
        for name, value in headers_for(self.header_rules, path).items():
            self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        """Answer an unknown address with the site's own 404 page, as static hosts do."""
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class SiteHost:
    """Serves a publishing build to the browser at its own address (its SITEURL, path
    included), through Playwright's routing, with the headers of its ``_headers``: the
    browser sees exactly the folder that is deployed, where it is deployed."""

    def __init__(self, folder, siteurl):
        self.folder = Path(folder)
        self.siteurl = siteurl
        self.prefix = urlsplit(siteurl).path.rstrip("/")
        self.headers = read_headers(self.folder)

    def attach(self, context):
        context.route(f"{self.siteurl}/**", self.handle)
        return context

    def handle(self, route):
        path = unquote(urlsplit(route.request.url).path).removeprefix(self.prefix) or "/"
        file = self.folder / path.lstrip("/")
        if path.endswith("/"):
            file = file / "index.html"
        status = 200
        if ".." in Path(path).parts or not file.is_file():
            status, file = 404, self.folder / "404.html"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        route.fulfill(
            status=status,
            headers={**headers_for(self.headers, path), "Content-Type": f"{kind}; charset=utf-8"},
            body=file.read_bytes(),
        )


@pytest.fixture(scope="session")
def site_host(site):
    """The host of a publishing build, or None: the site is served on loopback."""
    return SiteHost(site.output, site.siteurl) if site.siteurl else None


@pytest.fixture(scope="session")
def at(site_url):
    """The address in the browser of a site path or of a link as the site writes it."""
    return lambda url: url if url.startswith(("https://", "http://")) else f"{site_url}{url}"


@pytest.fixture(scope="session")
def path_of(site_url):
    """The site path (``/en/...``) of an address of the site under test, or None."""
    return lambda url: url.removeprefix(site_url) or "/" if url.startswith(site_url) else None


def open_context(browser, site_host, **options):
    context = browser.new_context(**options)
    return site_host.attach(context) if site_host else context


@pytest.fixture(scope="session")
def shared_page(browser, site_host, site):
    """One browser page per site, reused by its tests: opening a page costs more than
    most tests (150 ms here); ``page`` puts it back as it was after each test."""
    context = open_context(browser, site_host)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def page(shared_page):
    """The site's page, at its default size, colours and media, on a blank document."""
    yield shared_page
    shared_page.set_viewport_size(DEFAULT_VIEWPORT)
    shared_page.emulate_media(media="screen", color_scheme="light")
    shared_page.goto("about:blank")


@pytest.fixture(scope="session")
def site_url(site):
    """The site under test: a publishing build at its SITEURL, else its build folder
    served on 127.0.0.1."""
    if site.siteurl:
        yield site.siteurl
        return
    handler = functools.partial(
        type("Handler", (StaticHostHandler,), {"header_rules": read_headers(site.output)}),
        directory=str(site.output),
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, pytestconfig):
    path, playwrights_own = pytestconfig.stash[CHROMIUM]
    if not path:
        pytest.exit("No Chromium for the browser tests: run '.venv/bin/invoke browser'", 2)
    args = {**browser_type_launch_args, "args": QUIET_BROWSER_ARGS}
    if not playwrights_own:
        args["executable_path"] = path
    return args


@pytest.fixture
def site_page(page, site_url):
    """A page that fails the test on a console error or a request leaving the site."""
    errors, outside = [], []
    listeners = {
        "console": lambda message: message.type == "error" and errors.append(message.text),
        "pageerror": lambda error: errors.append(str(error)),
        "request": lambda request: request.url.startswith(site_url) or outside.append(request.url),
    }
    for event, listener in listeners.items():
        page.on(event, listener)
    yield page
    for event, listener in listeners.items():
        page.remove_listener(event, listener)
    assert not errors, f"console errors: {errors}"
    assert not outside, f"requests left the site: {outside}"

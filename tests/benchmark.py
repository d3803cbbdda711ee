"""Measures build time and page weight of the site (``invoke benchmark``).

Build time: wall-clock time of ``invoke build`` in a fresh process, several
runs; and of in-process builds of synthetic git histories of the real policy
with 50 and 200 versions in both languages.
Page weight: bytes a first visit downloads per page type (HTML plus the CSS,
script and icon it references), raw and gzip-compressed.
"""

import gzip
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from tests.sites import build, git, git_init  # noqa: E402

PAGE_TYPES = {
    "home": "index.html",
    "policy": "kebijakan-privasi/index.html",
    "archive": "kebijakan-privasi/versi/index.html",
    "version": "kebijakan-privasi/versi/1.0/index.html",
    "changes": "kebijakan-privasi/versi/1.1/perubahan/index.html",
}
SYNTHETIC_VERSIONS = (50, 200)


def build_times(runs):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "invoke", "build"], cwd=ROOT, check=True, capture_output=True
        )
        times.append(time.perf_counter() - start)
    return times


def page_weight(output, page):
    """(raw, gzip) bytes of the page and every local file it loads."""
    html = (output / page).read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    assets = {tag.get("href") for tag in soup.select("link[rel=stylesheet], link[rel=icon]")}
    assets |= {tag.get("src") for tag in soup.select("script[src]")}
    files = [html] + [(output / asset.lstrip("/")).read_bytes() for asset in sorted(assets)]
    return sum(map(len, files)), sum(len(gzip.compress(data, 9)) for data in files)


def synthetic_history(repo, versions):
    """A repository whose policy went through ``versions`` versions, one commit each."""
    git_init(repo)
    sources = {
        name: (ROOT / "content/policies/privacy" / name).read_text(encoding="utf-8")
        for name in ("id.md", "en.md")
    }
    target = repo / "content/policies/privacy"
    target.mkdir(parents=True)
    for number in range(1, versions + 1):
        for name, text in sources.items():
            text = text.replace("Version: 1.1", f"Version: 1.{number}")
            text = text.replace(
                "Effective: 2026-11-25",
                f"Effective: {2000 + number // 12}-{number % 12 + 1:02d}-01",
            )
            text = text.replace("ISO 27001 ketika", f"ISO 27001 (revisi {number}) ketika")
            text = text.replace("ISO 27001 when", f"ISO 27001 (revision {number}) when")
            (target / name).write_text(text, encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", f"Version 1.{number}")
    return repo / "content"


def synthetic_build_time(versions, runs=3):
    with tempfile.TemporaryDirectory() as folder:
        content = synthetic_history(Path(folder) / "site", versions)
        times = []
        for run in range(runs + 1):
            start = time.perf_counter()
            output = build(content, Path(folder) / f"out{run}")
            times.append(time.perf_counter() - start)
        pages = sum(1 for _ in output.rglob("index.html"))
    return times[1:], pages  # the first run warms imports and caches


def main(runs=5):
    times = build_times(runs)
    print(
        f"invoke build (real site), {runs} runs: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s"
    )
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1790000000")
    for versions in SYNTHETIC_VERSIONS:
        times, pages = synthetic_build_time(versions)
        print(
            f"synthetic history of {versions} versions x 2 languages ({pages} pages), "
            f"in-process build: median {statistics.median(times):.2f} s over {len(times)} runs"
        )
    for name, page in PAGE_TYPES.items():
        raw, packed = page_weight(ROOT / "output", page)
        print(f"{name} page ({page}) with its assets: {raw} bytes, {packed} bytes gzipped")


if __name__ == "__main__":
    main()

"""Measures the build time and the page weight of the site (``invoke benchmark``).

Build time: wall-clock time of ``invoke build`` in a fresh process, several runs.
Page weight: bytes a first visit downloads per page type (HTML plus the CSS,
script and icon it references), raw and gzip-compressed.
"""

import gzip
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
PAGE_TYPES = {"home": "index.html", "policy": "kebijakan-privasi/index.html"}


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


def main(runs=5):
    times = build_times(runs)
    print(
        f"invoke build, {runs} runs: median {statistics.median(times):.2f} s, "
        f"min {min(times):.2f} s, max {max(times):.2f} s"
    )
    for name, page in PAGE_TYPES.items():
        raw, packed = page_weight(ROOT / "output", page)
        print(f"{name} page ({page}) with its assets: {raw} bytes, {packed} bytes gzipped")


if __name__ == "__main__":
    main()

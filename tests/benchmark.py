"""``invoke benchmark``: this site's build against a plain Pelican build of as many pages.

For synthetic histories of the shipped policy (10, 50 and 200 versions, and 1000 with
``--large``) it measures, each build a fresh process, interleaved with a plain Pelican
site of as many pages each carrying the policy's Markdown (the ``simple`` theme, no
plugins, no page menu): CPU and wall time (median of the runs), peak memory, a rebuild
after one new version and a rebuild with no change (both with the cache of the build
before), and how many output files one new version changes; then the weight of each
page type of the shipped site; then the largest texts a build accepts
(``benchmark_limits``). It prints a table and writes ``benchmarks/RESULTS.md``.
"""

import datetime
import gzip
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from policy_site.errors import PolicyBuildError  # noqa: E402
from tests import benchmark_limits  # noqa: E402
from tests.sites import build_project, git, git_init, read_page  # noqa: E402

SIZES = (10, 50, 200)
LARGE = 1000
RUNS = 3
PDF_VERSIONS = 10  # a PDF per version and language: 20 PDFs
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BUILD_DATE = "2099-01-01"  # after every synthetic effective date


# -- the sites measured ---------------------------------------------------------------


def policy_texts():
    """The shipped policy files, as the synthetic histories' starting point."""
    folder = min(path for path in (ROOT / "content" / "policies").iterdir() if path.is_dir())
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def version_text(text, number):
    """``text`` as version ``1.<number>``: its own effective date, summary and sentence."""
    day = datetime.date(2000, 1, 1) + datetime.timedelta(days=7 * number)
    text = re.sub(r"^Version:.*$", f"Version: 1.{number}", text, count=1, flags=re.M)
    text = re.sub(r"^Effective:.*$", f"Effective: {day.isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^Summary:.*$", f"Summary: Revision {number}.", text, count=1, flags=re.M)
    head, _blank, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    paragraphs[0] += f" (Revision {number}.)"
    return f"{head}\n\n" + "\n\n".join(paragraphs)


def commit_version(repo, number, texts):
    folder = repo / "content" / "policies" / "privacy"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(version_text(text, number), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Version 1.{number}", date="2000-01-01T00:00:00+00:00")


def synthetic_history(repo, versions):
    """A repository whose policy went through ``versions`` versions, one commit each."""
    git_init(repo)
    (repo / ".gitignore").write_text("/cache/\n", encoding="utf-8")  # as the project's
    texts = policy_texts()
    for number in range(1, versions + 1):
        commit_version(repo, number, texts)
    return repo


def plain_site(folder, pages):
    """A plain Pelican site of ``pages`` pages, each carrying the policy's Markdown."""
    body = policy_texts()["id.md"].partition("\n\n")[2]
    body = re.sub(r"\{[:#][^}]*\}", "", body)
    content = folder / "content" / "pages"
    content.mkdir(parents=True)
    for number in range(pages):
        (content / f"page-{number}.md").write_text(
            f"Title: Page {number}\nSlug: page-{number}\n\n{body}", encoding="utf-8"
        )
    (folder / "pelicanconf.py").write_text(
        "PATH = 'content'\nTHEME = 'simple'\nSITENAME = 'Plain'\nSITEURL = ''\n"
        "DISPLAY_PAGES_ON_MENU = False\nFEED_ALL_ATOM = None\nCATEGORY_FEED_ATOM = None\n"
        "TRANSLATION_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        "CACHE_CONTENT = False\nTIMEZONE = 'Asia/Jakarta'\n",
        encoding="utf-8",
    )
    return folder


# -- measuring in a fresh process -----------------------------------------------------


def child(kind, source, output):
    """Run in the measured process: build, then report its own CPU time and peak memory.
    ``site`` builds without a cache (as a publishing build does), ``cached`` with one,
    both without PDFs (plain Pelican makes none); ``pdf`` builds as ``site`` does, with
    its PDFs. CPU time counts the processes the build started (the PDFs' workers)."""
    built = True
    if kind in ("site", "cached", "pdf"):
        os.environ["SOURCE_DATE_EPOCH"] = _epoch(BUILD_DATE)
        cache = str(Path(source) / "cache")
        options = {"cache": kind == "cached", "pdf": kind == "pdf"}
        try:
            overrides = {"CACHE_PATH": cache}
            build_project(Path(source) / "content", Path(output), None, overrides, **options)
        except PolicyBuildError as error:  # refused, as a text past the limits is
            print(error, file=sys.stderr)
            built = False
    else:
        from pelican import Pelican
        from pelican.settings import read_settings

        os.chdir(source)
        Pelican(read_settings("pelicanconf.py", override={"OUTPUT_PATH": output})).run()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"cpu": cpu, "rss": usage.ru_maxrss / 1024, "built": built}))


def measure(kind, source, output, built=None):
    """``(wall, cpu, peak MiB)`` of one build in a fresh process; ``built``, if given, is
    set to whether the build succeeded (else a refusal is an error)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, __file__, "child", kind, str(source), str(output)],
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    report = json.loads(result.stdout.strip().splitlines()[-1])
    if built is None and not report["built"]:
        raise AssertionError(f"the build of {source} was refused")
    if built is not None:
        built.append(report["built"])
    return wall, report["cpu"], report["rss"]


def files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def changed_files(before, after):
    return sum(1 for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def measure_size(versions, workdir):
    """Every figure of one history length."""
    repo = synthetic_history(workdir / f"site-{versions}", versions)
    measure("site", repo, workdir / f"count-{versions}")
    pages = sum(1 for _ in (workdir / f"count-{versions}").rglob("index.html"))
    plain = plain_site(workdir / f"plain-{versions}", pages)
    ours, theirs = [], []
    for run in range(RUNS):  # interleaved, so that both see the same machine
        ours.append(measure("site", repo, workdir / f"out-{versions}-{run}"))
        theirs.append(measure("plain", plain, workdir / f"plain-out-{versions}-{run}"))
    output = workdir / f"out-{versions}-{RUNS - 1}"
    built_pages = sum(1 for _ in output.rglob("index.html"))
    before = files(output)
    shutil.rmtree(repo / "cache", ignore_errors=True)
    measure("cached", repo, output)  # fills the cache, as the build before a rebuild does
    unchanged = _medians([measure("cached", repo, output) for _run in range(RUNS)])
    commit_version(repo, versions + 1, policy_texts())
    rebuild = measure("cached", repo, output)
    return {
        "versions": versions,
        "pages": built_pages,
        "plain pages": pages,
        "ours": _medians(ours),
        "plain": _medians(theirs),
        "no-change rebuild": unchanged,
        "rebuild after one new version": rebuild,
        "files changed by one new version": changed_files(before, files(output)),
        "output files": len(before),
    }


def measure_pdfs(workdir, versions=PDF_VERSIONS):
    """A synthetic history's build without and with its PDFs: what each PDF costs."""
    repo = synthetic_history(workdir / "pdf-site", versions)
    without, with_pdfs = [], []
    for run in range(RUNS):
        without.append(measure("site", repo, workdir / f"pdf-off-{run}"))
        with_pdfs.append(measure("pdf", repo, workdir / f"pdf-on-{run}"))
    sizes = [path.stat().st_size for path in (workdir / f"pdf-on-{RUNS - 1}").rglob("*.pdf")]
    return {
        "versions": versions,
        "pdfs": len(sizes),
        "mean size": statistics.mean(sizes),
        "without": _medians(without),
        "with": _medians(with_pdfs),
    }


def measure_limits(workdir):
    """Each case of ``benchmark_limits``: its build's figures and its redlines' detail."""
    results = []
    for name, packed in benchmark_limits.cases().items():
        repo = benchmark_limits.make_site(workdir / f"limits-{name}", policy_texts(), packed)
        output = workdir / f"limits-out-{name}"
        built = []
        wall, cpu, rss = measure("site", repo, output, built)
        if built[0] != (packed is not None):
            raise AssertionError(f"the case {name} was {'built' if built[0] else 'refused'}")
        sizes = [p.stat().st_size for p in (repo / "content").rglob("*.md")]
        detail = "refused"
        if built[0]:
            index = json.loads((output / "versions.json").read_text(encoding="utf-8"))
            shares = [
                benchmark_limits.word_level_share(output, version["changes_url"])
                for policy in index["policies"].values()
                for language in policy["languages"].values()
                for version in language["versions"]
                if version["changes_url"]
            ]
            detail = ", ".join(f"{marked} of {changed}" for marked, changed in shares)
        results.append((name, max(sizes), wall, cpu, rss, detail))
    return results


def _medians(runs):
    return tuple(statistics.median(values) for values in zip(*runs, strict=True))


def page_weights(workdir):
    """(raw, gzip) bytes of each page type of the shipped site with what it loads."""
    output = build_project(ROOT / "content", workdir / "shipped", datetime.date.today(), pdf=False)
    index = json.loads((output / "versions.json").read_text(encoding="utf-8"))
    policy = min(index["policies"].values(), key=lambda entry: entry["original_language"])
    language = policy["languages"][policy["original_language"]]
    versions = language["versions"]
    urls = {
        "home": "/",
        "policy": language["url"],
        "archive": language["archive_url"],
        "version": versions[-1]["url"],
        "changes": next(v["changes_url"] for v in versions if v["changes_url"]),
        "compare": next((v["compare_url"] for v in versions if v["compare_url"]), None),
    }
    weights = {}
    for kind, url in urls.items():
        if url:
            weights[kind] = page_weight(output, url)
    return weights


def page_weight(output, url):
    page = read_page(output, url.lstrip("/"))
    html = (output / url.lstrip("/") / "index.html").read_bytes()
    styles = [link["href"] for link in page.select("link[rel=stylesheet]")]
    scripts = [script["src"] for script in page.select("script[src]")]
    assets = {name: (output / name.lstrip("/")).read_bytes() for name in styles + scripts}
    script_bytes = sum(len(assets[name]) for name in scripts)
    raw = len(html) + sum(map(len, assets.values()))
    packed = len(gzip.compress(html, 9)) + sum(len(gzip.compress(a, 9)) for a in assets.values())
    return {"html+css+js": raw, "gzip": packed, "js": script_bytes}


# -- the report -------------------------------------------------------------------


def pdf_lines(pdfs):
    (wall, cpu, _rss), (pdf_wall, pdf_cpu, pdf_rss) = pdfs["without"], pdfs["with"]
    count = pdfs["pdfs"]
    return [
        "",
        "| PDFs (PDF/A-2a) | PDFs | mean size (KB) | build without / with PDFs, CPU / wall (s) "
        "| per PDF, CPU / wall (s) | PDFs' share of the build (wall) | peak MiB |",
        "| --- | --- | --- | --- | --- | --- | --- |",
        f"| {pdfs['versions']} versions, 2 languages | {count} | {pdfs['mean size'] / 1000:.0f} "
        f"| {cpu:.2f} / {wall:.2f} → {pdf_cpu:.2f} / {pdf_wall:.2f} "
        f"| {(pdf_cpu - cpu) / count:.2f} / {(pdf_wall - wall) / count:.2f} "
        f"| {(pdf_wall - wall) / pdf_wall:.0%} | {pdf_rss:.0f} |",
    ]


def table(results, weights, limits, pdfs):
    lines = [
        "| versions | pages (plain) | this site CPU / wall (s) | plain Pelican CPU / wall (s) "
        "| ratio (CPU) | no-change rebuild (s, × full) | rebuild after one new version "
        "(s, × full) | peak MiB (plain) | files changed by one new version |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        wall, cpu, rss = r["ours"]
        plain_wall, plain_cpu, plain_rss = r["plain"]
        again, new = r["no-change rebuild"][1], r["rebuild after one new version"][1]  # CPU
        lines.append(
            f"| {r['versions']} | {r['pages']} ({r['plain pages']}) | {cpu:.2f} / {wall:.2f} "
            f"| {plain_cpu:.2f} / {plain_wall:.2f} | {cpu / plain_cpu:.2f} "
            f"| {again:.2f} ({again / cpu:.2f}) | {new:.2f} ({new / cpu:.2f}) "
            f"| {rss:.0f} ({plain_rss:.0f}) | {r['files changed by one new version']} of "
            f"{r['output files']} |"
        )
    lines += [
        "",
        "| page type | HTML+CSS+JS bytes | gzip | JavaScript |",
        "| --- | --- | --- | --- |",
    ]
    for kind, weight in weights.items():
        lines.append(f"| {kind} | {weight['html+css+js']} | {weight['gzip']} | {weight['js']} |")
    lines += [
        "",
        "| largest texts (tests/benchmark_limits.py) | largest file (bytes) | CPU / wall (s) "
        "| peak MiB | changed paragraphs marked word by word, per redline |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, size, wall, cpu, rss, detail in limits:
        lines.append(f"| {name} | {size} | {cpu:.2f} / {wall:.2f} | {rss:.0f} | {detail} |")
    return "\n".join(lines + pdf_lines(pdfs))


def machine():
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def main(large=False):
    sizes = (*SIZES, LARGE) if large else SIZES
    with tempfile.TemporaryDirectory() as folder:
        workdir = Path(folder)
        results = []
        for versions in sizes:
            results.append(measure_size(versions, workdir))
            print(f"measured {versions} versions", flush=True)
        weights = page_weights(workdir)
        limits = measure_limits(workdir)
        pdfs = measure_pdfs(workdir)
    report = table(results, weights, limits, pdfs)
    print(report)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Measured with `invoke benchmark{' --large' if large else ''}` on "
        f"{datetime.date.today().isoformat()}, {machine()}. Every build is a fresh process; "
        f"times are medians of {RUNS} runs, CPU time is user + system. The plain Pelican "
        "site has as many pages, each carrying the policy's Markdown (`simple` theme, no "
        "plugins, no page menu). Rebuilds use the cache of the build before. The site's builds "
        "make no PDFs, as plain Pelican makes none; the last table measures them apart.\n\n"
        f"{report}\n",
        encoding="utf-8",
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


def _epoch(day):
    moment = datetime.datetime.fromisoformat(f"{day}T12:00:00+07:00")
    return str(int(moment.timestamp()))


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:5])
    else:
        main(large="--large" in sys.argv)

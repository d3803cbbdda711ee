"""``invoke benchmark``: what a user runs, against a plain Pelican build of as many pages.

For synthetic histories of the shipped policy (10, 50 and 200 versions, and 1000 with
``--large``), in a copy of the project holding that history, it runs the README's
commands each as a fresh process, as a user runs them: the first ``invoke build`` (no
output, no cache), ``invoke publish``, a rebuild with no change (which finds nothing to
build), the same with the record of the build before removed (which runs) and one after
a new version (all with the cache of the build before; the last from the same state
each time), and ``invoke check`` of that new version; interleaved with a plain Pelican
site of as many pages each carrying the policy's Markdown (``pelican``, the ``simple``
theme, no plugins, no page menu). For each: CPU and wall time (median of the runs) and
peak memory; how many output files one new version changes. The copies make no PDFs
(plain Pelican makes none): the last table measures them apart. Then the real site's
own commands and the floor under them (Python's start and the imports), the weight of
each page type, and the largest texts a build accepts (``benchmark_limits``). It prints
the tables and writes ``benchmarks/RESULTS.md``.
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
BIN = Path(sys.executable).parent  # the project's environment, where invoke and pelican are
sys.path[:0] = [str(ROOT), str(ROOT / "plugins")]

from policy_site import build_record  # noqa: E402
from policy_site.errors import PolicyBuildError  # noqa: E402
from tests import benchmark_limits  # noqa: E402
from tests.sites import build_project, git, git_init, read_page  # noqa: E402

SIZES = (10, 50, 200)
LARGE = 1000
RUNS = 3
PDF_VERSIONS = 10  # a PDF per version and language: 20 PDFs
RESULTS = ROOT / "benchmarks" / "RESULTS.md"
BUILD_DATE = "2099-01-01"  # after every synthetic effective date
SITEURL = "https://policies.example"  # of the publishing builds
PROJECT_FILES = ("pelicanconf.py", "publishconf.py", "tasks.py")
PROJECT_FOLDERS = ("plugins", "theme", "translations")


# -- the sites measured ---------------------------------------------------------------


def policy_texts():
    """The shipped policy files, as the synthetic histories' starting point."""
    folder = min(path for path in (ROOT / "content" / "policies").iterdir() if path.is_dir())
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.md"))}


def version_text(text, number, day=None):
    """``text`` as version ``1.<number>``: its own effective date (a week after the one
    before, or ``day``), summary and sentence."""
    day = day or datetime.date(2000, 1, 1) + datetime.timedelta(days=7 * number)
    text = re.sub(r"^Version:.*$", f"Version: 1.{number}", text, count=1, flags=re.M)
    text = re.sub(r"^Effective:.*$", f"Effective: {day.isoformat()}", text, count=1, flags=re.M)
    text = re.sub(r"^Summary:.*$", f"Summary: Revision {number}.", text, count=1, flags=re.M)
    head, _blank, body = text.partition("\n\n")
    paragraphs = body.split("\n\n")
    paragraphs[0] += f" (Revision {number}.)"
    return f"{head}\n\n" + "\n\n".join(paragraphs)


def commit_version(repo, number, texts, day=None):
    folder = repo / "content" / "policies" / "privacy"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(version_text(text, number, day), encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", f"Version 1.{number}", date="2000-01-01T00:00:00+00:00")


def synthetic_history(repo, versions, project=False):
    """A repository whose policy went through ``versions`` versions, one commit each;
    with ``project``, a copy of the project (its settings, tasks, code, theme and
    catalogs) holding that history, making no PDFs."""
    git_init(repo)
    (repo / ".gitignore").write_text("/cache/\n/output/\n", encoding="utf-8")  # as the project's
    if project:
        for name in PROJECT_FILES:
            shutil.copy(ROOT / name, repo / name)
        for name in PROJECT_FOLDERS:
            ignored = shutil.ignore_patterns("*.mo", "__pycache__")
            shutil.copytree(ROOT / name, repo / name, ignore=ignored)
        with (repo / "pelicanconf.py").open("a", encoding="utf-8") as settings:
            settings.write('\nPOLICY_SITE = {**POLICY_SITE, "pdf": False}\n')
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
    """Run in the measured process: build in-process, then report its own CPU time and
    peak memory. ``site`` builds without a cache and without PDFs; ``pdf`` with its PDFs.
    CPU time counts the processes the build started (the PDFs' workers)."""
    built = True
    os.environ["SOURCE_DATE_EPOCH"] = _epoch(BUILD_DATE)
    try:
        build_project(Path(source) / "content", Path(output), None, None, pdf=kind == "pdf")
    except PolicyBuildError as error:  # refused, as a text past the limits is
        print(error, file=sys.stderr)
        built = False
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime
    print(json.dumps({"cpu": cpu, "rss": _own_peak_mib(usage), "built": built}))


def _own_peak_mib(usage):
    """This process's peak memory since it started its program: Linux's ``ru_maxrss``
    keeps the peak of the process it was forked from (the benchmark's own, which grows
    with the sites it compared), the memory map's high-water mark does not."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return usage.ru_maxrss / 1024


def run(command, cwd, **environment):
    """``(wall, cpu, peak MiB)`` of ``command`` run in ``cwd`` as a user runs it, each
    run under a fresh wrapper process, whose children are only that command."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": _epoch(BUILD_DATE), **environment}
    result = subprocess.run(
        [sys.executable, __file__, "run", str(cwd), *map(str, command)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if result.returncode:
        raise AssertionError(f"{' '.join(map(str, command))} failed in {cwd}:\n{result.stderr}")
    return tuple(json.loads(result.stdout.strip().splitlines()[-1]))


def wrapper(cwd, *command):
    """Run in the wrapper process: the command, then its wall and CPU time and peak memory."""
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if done.returncode:
        print(done.stdout[-3000:], done.stderr[-3000:], file=sys.stderr)
        sys.exit(1)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024]))


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


def changed_files(before, after, by_nature):
    """``(compare pages, other files changed, files new)`` among the files whose bytes
    differ, or that came or went: a new version's own pages are new files, the others
    were there before (or went)."""
    changed = {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}
    others = changed - by_nature
    new = sorted(str(name) for name in others if name not in before)
    return len(changed & by_nature), sorted(str(n) for n in others if n in before), new


INVOKE = (BIN / "invoke",)
PELICAN = (BIN / "pelican", "-q", "-s", "pelicanconf.py", "-o", "output")


def measure_size(versions, workdir):
    """Every figure of one history length."""
    repo = synthetic_history(workdir / f"site-{versions}", versions, project=True)
    run([*INVOKE, "build"], repo)
    pages = sum(1 for _ in (repo / "output").rglob("index.html"))
    plain = plain_site(workdir / f"plain-{versions}", pages)
    first, publish, theirs = [], [], []
    for _run in range(RUNS):  # interleaved, so that all see the same machine
        _clean(repo)
        first.append(run([*INVOKE, "build"], repo))
        _clean(repo)
        publish.append(run([*INVOKE, "publish"], repo, SITEURL=SITEURL))
        theirs.append(run(PELICAN, plain))
    _clean(repo)
    run([*INVOKE, "build"], repo)  # a first build, which the rebuilds follow
    unchanged = _medians([run([*INVOKE, "build"], repo) for _run in range(RUNS)])
    cached = _medians([rebuild_that_runs(repo) for _run in range(RUNS)])
    before = files(repo / "output")
    rebuild = _medians(new_version(repo, versions + 1) for _run in range(RUNS))
    after = files(repo / "output")
    return {
        "versions": versions,
        "pages": pages,
        "plain pages": pages,
        "first": _medians(first),
        "publish": _medians(publish),
        "plain": _medians(theirs),
        "no-change rebuild": unchanged,
        "rebuild that runs": cached,
        "rebuild after one new version": rebuild,
        "check": run([*INVOKE, "check", "--base", "HEAD~1"], repo),
        "changed": changed_files(before, after, compare_pages(repo / "output")),
        "output files": len(before),
    }


def new_version(repo, number):
    """``invoke build`` after version ``number`` is committed, from the state the project
    had before the first time (its history, output and cache, put back in the same
    folder, which the cache's fingerprint names); it takes effect on the build date, as
    ``invoke check`` requires of a version under review."""
    before = repo.with_name(f"{repo.name}-before")
    if before.exists():
        shutil.rmtree(repo)
        shutil.copytree(before, repo, symlinks=True)
    else:
        shutil.copytree(repo, before, symlinks=True)
    commit_version(repo, number, policy_texts(), datetime.date.fromisoformat(BUILD_DATE))
    os.sync()
    return run([*INVOKE, "build"], repo)


def rebuild_that_runs(repo):
    """``invoke build`` with nothing changed but its record removed: what a rebuild costs
    that has to run, with every text, redline and page from the cache."""
    (repo / "cache" / "policy_site" / build_record.RECORD).unlink()
    return run([*INVOKE, "build"], repo)


def _clean(repo):
    """No output and no cache, as on a fresh clone; the removal is flushed to disk, so that
    the build measured next does not pay for it."""
    for name in ("output", "cache"):
        shutil.rmtree(repo / name, ignore_errors=True)
    os.sync()


def compare_pages(output):
    """The files of the "what changed since" pages, which a new version changes by nature."""
    index = json.loads((output / "versions.json").read_text(encoding="utf-8"))
    return {
        Path(version["compare_url"].lstrip("/")) / "index.html"
        for policy in index["policies"].values()
        for language in policy["languages"].values()
        for version in language["versions"]
        if version.get("compare_url")
    }


def start_up(workdir):
    """The real site's own commands, each a fresh process, and the floor under them."""
    clone = workdir / "real"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    python = [sys.executable, "-c"]
    imports = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'plugins')!r}); import pelican, policy_site"
    )
    return {
        "Python's start": _medians([run([*python, "pass"], clone) for _ in range(RUNS)]),
        "import pelican": _medians([run([*python, "import pelican"], clone) for _ in range(RUNS)]),
        "import pelican and the plugin": _medians(
            [run([*python, imports], clone) for _ in range(RUNS)]
        ),
        "invoke --list": _medians([run([*INVOKE, "--list"], clone) for _ in range(RUNS)]),
        "first invoke build (with its PDFs)": run([*INVOKE, "build"], clone),
        "invoke build again (nothing to build)": _medians(
            [run([*INVOKE, "build"], clone) for _ in range(RUNS)]
        ),
        "invoke build again, its record removed": _medians(
            [rebuild_that_runs(clone) for _ in range(RUNS)]
        ),
        "invoke check": _medians(
            [run([*INVOKE, "check", "--base", "HEAD"], clone) for _ in range(RUNS)]
        ),
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


def size_lines(results):
    lines = [
        "| versions | pages (plain) | first `invoke build`, CPU / wall (s) "
        "| `invoke publish`, CPU / wall (s) | plain Pelican, CPU / wall (s) "
        "| first build ÷ plain (CPU) | publish ÷ plain (CPU) | no-change rebuild, CPU (s, × first) "
        "| a rebuild that runs, CPU (s, × first) "
        "| one new version, CPU (s, × first) | files one new version changes: compare pages "
        "+ others + new files (of all) | `invoke check` of it, CPU / wall (s) "
        "| peak MiB: first build / publish / plain |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in results:
        (wall, cpu, rss), (pwall, pcpu, prss) = r["first"], r["publish"]
        plain_wall, plain_cpu, plain_rss = r["plain"]
        again, new = r["no-change rebuild"][1], r["rebuild after one new version"][1]
        runs = r["rebuild that runs"][1]
        compare, others, new_files = r["changed"]
        check_wall, check_cpu, _rss = r["check"]
        lines.append(
            f"| {r['versions']} | {r['pages']} ({r['plain pages']}) | {cpu:.2f} / {wall:.2f} "
            f"| {pcpu:.2f} / {pwall:.2f} | {plain_cpu:.2f} / {plain_wall:.2f} "
            f"| {cpu / plain_cpu:.2f} | {pcpu / plain_cpu:.2f} "
            f"| {again:.2f} ({again / cpu:.2f}) | {runs:.2f} ({runs / cpu:.2f}) "
            f"| {new:.2f} ({new / cpu:.2f}) "
            f"| {compare} + {len(others)} + {len(new_files)} ({r['output files']}) "
            f"| {check_cpu:.2f} / {check_wall:.2f} | {rss:.0f} / {prss:.0f} / {plain_rss:.0f} |"
        )
    return lines


def start_lines(start):
    lines = [
        "",
        "| the real site, and the floor under it | CPU / wall (s) | peak MiB |",
        "| --- | --- | --- |",
    ]
    for name, (wall, cpu, rss) in start.items():
        lines.append(f"| {name} | {cpu:.2f} / {wall:.2f} | {rss:.0f} |")
    return lines


def table(results, start, weights, limits, pdfs):
    lines = size_lines(results) + start_lines(start)
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
        start = start_up(workdir)
        weights = page_weights(workdir)
        limits = measure_limits(workdir)
        pdfs = measure_pdfs(workdir)
    report = table(results, start, weights, limits, pdfs)
    print(report)
    for result in results:
        _compare, others, new_files = result["changed"]
        print(
            f"{result['versions']} versions: a new version changes", *others, "and adds", *new_files
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        "# Benchmark results\n\n"
        f"Measured with `invoke benchmark{' --large' if large else ''}` on "
        f"{datetime.date.today().isoformat()}, {machine()}. Each command runs as a user runs "
        "it, a fresh process in a copy of the project holding a synthetic history; times are "
        f"medians of {RUNS} runs (one for the check of a new version), CPU time is user + "
        "system of the command and its children. The first build has no output and no "
        "cache; rebuilds use the cache of the build before, and one with no change finds "
        "nothing to build in the record of the build before (`build_record`); a rebuild that "
        "runs is one with no change and its record removed. The plain Pelican site has as "
        "many pages, each carrying the policy's Markdown (`pelican`, `simple` theme, no "
        "plugins, no page menu). The copies make no PDFs, as plain Pelican makes none; the "
        "last table measures them apart.\n\n"
        f"{report}\n\n{_changed_note(results[0])}\n",
        encoding="utf-8",
    )
    print(f"Written to {RESULTS.relative_to(ROOT)}")


def _changed_note(result):
    """Which files one new version changes and adds, besides the compare pages."""
    _compare, others, new_files = result["changed"]
    return (
        f"At {result['versions']} versions, one new version changes, besides the compare "
        f"pages: {', '.join(f'`{name}`' for name in others)}; and adds: "
        f"{', '.join(f'`{name}`' for name in new_files)}."
    )


def _epoch(day):
    moment = datetime.datetime.fromisoformat(f"{day}T12:00:00+07:00")
    return str(int(moment.timestamp()))


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(*sys.argv[2:5])
    elif sys.argv[1:2] == ["run"]:
        wrapper(*sys.argv[2:])
    else:
        main(large="--large" in sys.argv)

"""The archival PDF of every text of every version: PDF/A-2a (archival, and tagged so a
screen reader can follow it), made by WeasyPrint from the ``pdf`` template, in the font
that travels with the theme (``theme/fonts``), reading no file outside the theme.

A PDF depends on its HTML (the text, its facts, the UI strings), this code, the
stylesheet, the fonts and the versions of WeasyPrint and the libraries it uses: its key
is their digest, and a development build takes unchanged PDFs from the cache. Fonts are
subset by fontTools (pinned) on every machine, never by the system's HarfBuzz-Subset
where one is installed, whose subsets differ; the system's Pango and HarfBuzz, which lay
out the text, are not in the key. Its dates are when its text was committed, never the
build's, so a PDF's bytes do not change at its address from one build to the next.
"""

import concurrent.futures
import hashlib
import logging
import multiprocessing
import os
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

from .clock import source_date_epoch
from .errors import SiteError
from .messages import N_
from .page_models import HeadingLinks
from .section_history import PERMALINK_OF, with_heading_links

PDF_VARIANT = "pdf/a-2a"
_LIBRARIES = ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "pillow")
PAGE_LABEL = N_("Page %(page)s of %(pages)s")  # in each text's language, in its footer
_PLACEHOLDER = re.compile(r"%\((page|pages)\)s")


@dataclass(frozen=True)
class PdfText:
    """What one PDF shows: a version's text as one of its revisions holds it."""

    url: str  # site-relative, where the PDF is written
    lang: str
    title: str
    version: object
    revision: int  # 1: the text as published; 2, 3, …: later corrections
    effective: object  # datetime.date
    summary: str
    controller: str
    address: str  # the version's permanent address
    dated: str  # ISO 8601: when the text was committed (the build's moment, for a draft)
    content: str  # the text's HTML, as its page shows it


@dataclass(frozen=True)
class PdfFile:
    url: str
    data: bytes

    @property
    def sha256(self):
        return hashlib.sha256(self.data).hexdigest()

    @property
    def size(self):
        return len(self.data)


def pdf_texts(series, urls, moment, controller, siteurl, localizer):
    """``{(policy, lang, version, revision): PdfText}`` of every text of every version:
    its HTML as its page shows it, with its headings' permalinks (which the PDF's
    stylesheet hides) and without links to the sections' histories."""
    texts = {}
    for (policy, lang), one in sorted(series.items()):
        headings = _pdf_headings(localizer, lang)
        for entry in one.versions:
            address = f"{siteurl}/{urls.version(lang, one.slug, entry.version)}"
            for number, revision in enumerate(entry.revisions, start=1):
                when = (revision.committed or moment.now).astimezone(moment.zone)
                texts[policy, lang, entry.version, number] = PdfText(
                    url=urls.pdf(lang, one.slug, entry.version, number),
                    lang=lang,
                    title=revision.document.title,
                    version=entry.version,
                    revision=number,
                    effective=entry.effective,
                    summary=revision.document.summary,
                    controller=controller,
                    address=address,
                    dated=when.replace(microsecond=0).isoformat(),
                    content=with_heading_links(revision.text.plain, headings),
                )
    return texts


def _pdf_headings(localizer, lang):
    """The HeadingLinks of a PDF in ``lang``: permalinks only, named as on the page."""
    return HeadingLinks((), "", "", localizer.translate(lang, PERMALINK_OF))


class PdfMaker:
    """Makes the PDFs of one build: from the cache where one is there, the rest in
    parallel, one process per core."""

    def __init__(self, template, theme, cache, workers=None):
        self.template = template  # the Jinja template "pdf"
        self.theme = Path(theme).resolve()
        self.cache = cache
        self.workers = workers or min(4, os.cpu_count() or 1)
        self._shaping = _shaping(self.theme)

    def make(self, texts, context, translate):
        """``{url: PdfFile}`` of ``texts`` (a dict of PdfTexts); ``translate(lang,
        message)`` gives the page-number label in each text's language."""
        html = {text.url: self._html(text, context, translate) for text in texts.values()}
        keys = {url: self._key(page) for url, page in html.items()}
        made = {}
        missing = []
        for url, key in keys.items():
            data = self.cache.pdf(key)
            if data is None:
                missing.append(url)
            else:
                made[url] = data
        for url, data in zip(missing, self._render(html[url] for url in missing), strict=True):
            self.cache.store_pdf(keys[url], data)
            made[url] = data
        return {url: PdfFile(url, made[url]) for url in html}

    def _html(self, text, context, translate):
        before, between, after = _page_label(translate(text.lang, PAGE_LABEL))
        labels = {"before": before, "between": between, "after": after}
        shown = {**context, "lang": text.lang, "pdf": text, "page_label": labels}
        shown["pdf"] = _with_content(text)
        return self.template.render(shown)

    def _key(self, html):
        digest = hashlib.sha256(self._shaping)
        digest.update(html.encode("utf-8"))
        return digest.hexdigest()

    def _render(self, pages):
        pages = list(pages)
        if len(pages) < 2 or self.workers < 2:
            return [render_pdf(page, str(self.theme)) for page in pages]
        with concurrent.futures.ProcessPoolExecutor(self.workers, mp_context=_forked()) as pool:
            return list(pool.map(render_pdf, pages, [str(self.theme)] * len(pages)))


def _forked():
    """Workers forked from the build with WeasyPrint imported: imported once, not once
    in each worker (the import takes about as long as a PDF). Where processes cannot be
    forked, the platform's way of starting them."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return None
    import weasyprint  # noqa: F401

    return multiprocessing.get_context("fork")


class PdfError(SiteError):
    """A PDF cannot be made."""


def render_pdf(html, theme):
    """The PDF/A bytes of ``html``, whose relative URLs are files of the ``theme`` folder;
    no other file or address is ever read."""
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    _subset_with_fonttools()
    identifier = hashlib.sha256(html.encode("utf-8")).digest()[:16]
    try:
        document = HTML(
            string=html, base_url=f"{Path(theme).as_uri()}/", url_fetcher=_fetcher(theme)
        )
        # fontTools dates each font subset it writes: now, or SOURCE_DATE_EPOCH (which CI
        # sets to the build's time); either would tie the bytes to the build, so: 1970.
        # Presentational hints: the HTML's own attributes count, as in a browser (a list's
        # start="3" numbers it from 3, as the page and GitHub's preview do)
        with source_date_epoch("0"):
            return document.write_pdf(
                pdf_variant=PDF_VARIANT,
                pdf_identifier=identifier,
                hinting=False,
                full_fonts=False,
                presentational_hints=True,
            )
    except FatalURLFetchingError as error:
        raise PdfError(str(error.__cause__ or error)) from None


def _subset_with_fonttools():
    """Make WeasyPrint subset fonts with fontTools, as it does where the system has no
    HarfBuzz-Subset: installing one (a browser's dependency does) would change the bytes
    of every PDF, so that one text's PDF would depend on the machine that built it."""
    from weasyprint.pdf import fonts

    fonts.harfbuzz_subset = None
    logging.getLogger("weasyprint").addFilter(_SubsetterNotice())


class _SubsetterNotice(logging.Filter):
    """Drops WeasyPrint's notice that it subsets with fontTools: it does so by choice."""

    def __eq__(self, other):  # one filter however often it is added
        return isinstance(other, _SubsetterNotice)

    __hash__ = object.__hash__

    def filter(self, record):
        return "instead of HarfBuzz-Subset" not in str(record.msg)


def _fetcher(theme):
    """A WeasyPrint URL fetcher that reads the theme's fonts and PDF stylesheet and
    nothing else: no other file, no network; any other address stops the PDF."""
    from weasyprint.urls import URLFetcher

    root = Path(theme).resolve()

    class ThemeFiles(URLFetcher):
        def fetch(self, url, headers=None):
            path = Path(unquote(urlsplit(url).path)).resolve()
            if path.parent.parent != root or path.parent.name not in ("pdf", "fonts"):
                raise ValueError(f"a PDF reads only the theme's fonts and stylesheet: {url}")
            return super().fetch(url, headers)

    return ThemeFiles(allowed_protocols={"file"}, fail_on_errors=True)


def _shaping(theme):
    """What shapes every PDF besides its HTML: this code, the stylesheet, the fonts and
    the libraries that read, lay out and write it (not the system's Pango and HarfBuzz)."""
    versions = "\0".join(metadata.version(name) for name in _LIBRARIES)
    digest = hashlib.sha256(f"{PDF_VARIANT}\0{versions}\0".encode())
    digest.update(Path(__file__).read_bytes())
    for path in sorted([*theme.glob("pdf/*"), *theme.glob("fonts/*")]):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.digest()


def _page_label(label):
    """``("Page ", " of ", "")`` from "Page %(page)s of %(pages)s" as a catalog words
    it: the text around the page number and the page count, for the footer."""
    parts = _PLACEHOLDER.split(label)
    if len(parts) != 5 or parts[1] != "page" or parts[3] != "pages":
        return "", " / ", ""
    return parts[0], parts[2], parts[4]


def _with_content(text):
    from dataclasses import replace

    return replace(text, content=Markup(text.content))

"""``versions.json``: every policy, language and version, for machines."""

import json

# Raised on every change an app reading the file could trip on (a field removed,
# renamed or given another meaning); new fields do not raise it.
FORMAT = 1


def versions_json(views, siteurl, original_lang, generated):
    """The index of ``views`` ({(policy, lang): SeriesView}) as stable, sorted JSON text;
    ``generated``: the build's moment (a datetime)."""
    policies = {}
    for (policy, lang), view in sorted(views.items()):
        entry = policies.setdefault(policy, {"original_language": original_lang, "languages": {}})
        entry["languages"][lang] = {
            "title": view.title,
            "url": f"{siteurl}/{view.current_url}",
            "archive_url": f"{siteurl}/{view.archive_url}",
            "feed_url": f"{siteurl}/{view.feed_url}",
            "current": str(view.current.version),
            "upcoming": [str(link.version) for link in view.upcoming],
            "translates_version": str(view.lag.version) if view.lag else None,
            "retired": view.retired.isoformat() if view.retired else None,
            "versions": [_version(link, siteurl) for link in view.versions],
        }
    index = {
        "format": FORMAT,
        "generated": generated.replace(microsecond=0).isoformat(),
        "policies": policies,
    }
    return json.dumps(index, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _version(link, siteurl):
    return {
        "version": str(link.version),
        "effective": link.effective.isoformat(),
        "summary": link.summary,
        "change": link.change,
        "status": link.status,
        "draft": link.draft,
        "url": f"{siteurl}/{link.url}",
        "changes_url": f"{siteurl}/{link.changes_url}" if link.changes_url else None,
        "compare_url": f"{siteurl}/{link.compare_url}" if link.compare_url else None,
        "published": link.published.isoformat() if link.published else None,
        "in_force_until": link.until.isoformat() if link.until else None,
        "never_in_force": link.never_in_force,
        "replaced_by": str(link.replaced_by) if link.replaced_by else None,
        "published_after_effective": link.published_late,
        "commit": link.entry.commit,
        "committed": link.entry.committed.isoformat() if link.entry.committed else None,
        "sha256": link.entry.sha256,
        "changed_after_effective": link.changed_after_effective,
        "revisions": _revisions(link, siteurl),
        **_pdf(link.pdf, siteurl),
    }


def _pdf(pdf, siteurl):
    """The address, SHA-256 and size of a PDF, or nulls where the site makes none."""
    return {
        "pdf_url": f"{siteurl}/{pdf.url}" if pdf else None,
        "pdf_sha256": pdf.sha256 if pdf else None,
        "pdf_bytes": pdf.size if pdf else None,
    }


def _revisions(link, siteurl):
    """Each state of a version's text: as published, then each later change with the
    address of what it changed."""
    urls = {revision.number: f"{siteurl}/{revision.url}" for revision in link.revisions}
    return [
        {
            "revision": number,
            "path": revision.source.file,
            "commit": revision.commit,
            "committed": revision.committed.isoformat() if revision.committed else None,
            "sha256": revision.sha256,
            "changes_url": urls.get(number),
            **_pdf(link.pdfs[number - 1] if link.pdfs else None, siteurl),
        }
        for number, revision in enumerate(link.entry.revisions, start=1)
    ]

"""An Atom feed per policy and language that announces each new version."""

from feedgenerator import Atom1Feed


def atom_feed(view, siteurl, sitename, localizer):
    """The feed of ``view`` (a SeriesView) as UTF-8 text; drafts are left out."""
    catalog = localizer.catalog(view.lang)
    feed = Atom1Feed(
        title=f"{view.title} · {sitename}",
        link=f"{siteurl}/{view.current_url}",
        description=catalog.gettext("New versions of this policy"),
        language=view.lang,
        feed_url=f"{siteurl}/{view.feed_url}",
    )
    for link in view.versions:
        if link.draft:
            continue
        heading = catalog.gettext("Version %(version)s, effective %(date)s") % {
            "version": link.version,
            "date": localizer.date(view.lang, link.effective),
        }
        feed.add_item(
            title=heading,
            link=f"{siteurl}/{link.url}",
            description=link.summary,
            unique_id=f"{siteurl}/{link.url}",
            pubdate=link.entry.committed,
            updateddate=link.entry.committed,
        )
    return feed.writeString("utf-8")

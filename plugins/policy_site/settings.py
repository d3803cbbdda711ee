"""The plugin's settings: one ``POLICY_SITE`` dict, its defaults here, checked once."""

import os
from types import MappingProxyType

from babel.core import get_global

from .errors import SiteError
from .messages import _
from .security import DEFAULT_HEADERS

DEFAULTS = {
    # folder of policy files, inside Pelican's PATH
    "content_dir": "policies",
    # Babel catalogs, relative to the folder that holds Pelican's PATH
    "translations_dir": "translations",
    # language whose text prevails; the others are translations of it (default: DEFAULT_LANG)
    "original_lang": None,
    # how the language switcher names a language where the CLDR's autonym is not what
    # readers call it, e.g. {"id": "Bahasa Indonesia"}; others get the CLDR's ("English")
    "language_names": {},
    # the locale Open Graph gives a language where its likeliest territory (the CLDR's:
    # en -> en_US) is not the text's, e.g. {"en": "en_GB"}
    "locales": {},
    # anchor of the section that holds the contact lines
    "contact_anchor": "contact",
    # region for reading telephone numbers written without +country code, e.g. "ID";
    # by default the territory of TIMEZONE (none for UTC: then every number needs its +code)
    "phone_region": None,
    # who is responsible for the data the policies are about: named in every page's footer
    # and as the author of the feeds
    "controller": "",
    # the domain that names the feeds' ids (tag: URIs), whatever the site's address
    "feed_authority": "",
    # keep rendered texts and redlines in CACHE_PATH for the next development build
    "cache": True,
    # an archival PDF (PDF/A-2a) of every text of every version, linked from its pages
    "pdf": True,
    # write sitemap.xml (needs an absolute SITEURL)
    "sitemap": False,
    # a preview: every page marked as not in effect, links that open from the folder
    "preview": False,
    # a publishing build refuses uncommitted changes to the policies
    "publishing": False,
    # the commit the change under review starts from (e.g. "origin/main"); every commit
    # above it is judged strictly, as the uncommitted text and the newest commit always are
    "base": None,
    # policies withdrawn: their files are deleted, their archive stays on the site
    "retired": [],
    # policies not given in some languages, e.g. {"terms": ["en"]}; any other gap is an error
    "untranslated": {},
    # each policy's terms type in Open Terms Archive, e.g. {"privacy": "Privacy Policy"}: a
    # publishing build writes open-terms-archive/<lang>/<SITENAME>.json for those policies
    "open_terms_archive": {},
    # HTTP headers for every page, written to _headers; the CSP also goes into each page
    "security_headers": DEFAULT_HEADERS,
}


class SettingsError(SiteError):
    """POLICY_SITE holds a name or value the plugin does not know."""


def catalogs_folder(settings):
    """Where the catalogs are, from the settings as given (before they are checked)."""
    given = settings.get("POLICY_SITE", {})
    name = given.get("translations_dir") if isinstance(given, dict) else None
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    return os.path.join(root, name or DEFAULTS["translations_dir"])


def policy_settings(settings):
    """Defaults merged with ``settings['POLICY_SITE']``, checked, paths made absolute, as a
    read-only mapping. The plugin merges them once, when Pelican starts, into
    ``settings['POLICY_SITE']``; later calls return that mapping."""
    given = settings.get("POLICY_SITE", {})
    if isinstance(given, MappingProxyType):
        return given
    if not isinstance(given, dict):
        raise SettingsError(_("POLICY_SITE must be a dict of settings"))
    unknown = sorted(set(given) - set(DEFAULTS))
    if unknown:
        raise SettingsError(
            _(
                "POLICY_SITE has unknown keys %(unknown)s; known keys: %(known)s",
                unknown=unknown,
                known=sorted(DEFAULTS),
            )
        )
    config = {**DEFAULTS, **given}
    root = os.path.dirname(os.path.abspath(settings["PATH"]))
    config["content_dir"] = os.path.join(settings["PATH"], config["content_dir"])
    config["translations_dir"] = catalogs_folder(settings)
    config["original_lang"] = config["original_lang"] or settings["DEFAULT_LANG"]
    config["phone_region"] = config["phone_region"] or _zone_territory(settings["TIMEZONE"])
    config["site_paths"] = [
        settings["THEME"],
        *settings.get("PLUGIN_PATHS", ()),
        config["translations_dir"],
        *(os.path.join(root, name) for name in ("pelicanconf.py", "publishconf.py")),
    ]
    if config["original_lang"] in {
        lang for languages in config["untranslated"].values() for lang in languages
    }:
        raise SettingsError(_("POLICY_SITE['untranslated'] cannot leave out the original language"))
    for name in ("controller", "feed_authority"):
        if not config[name]:
            raise SettingsError(
                _("POLICY_SITE['%(name)s'] is missing; see the plugin's settings.py", name=name)
            )
    if config["sitemap"] and not settings["SITEURL"].startswith(("https://", "http://")):
        raise SettingsError(_("POLICY_SITE['sitemap'] needs an absolute SITEURL"))
    return MappingProxyType(config)


def _zone_territory(zone):
    """The territory of a time zone, as the CLDR gives it (Asia/Makassar -> ID), or None."""
    return get_global("zone_territories").get(zone)

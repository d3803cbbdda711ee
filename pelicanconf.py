"""Pelican settings for development builds (``invoke build``, ``invoke preview``)."""

AUTHOR = "Kasir.id"
SITENAME = "Kasir.id"
SITEURL = ""
RELATIVE_URLS = False

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"

PLUGIN_PATHS = ["plugins"]
PLUGINS = ["policy_site"]
POLICY_SITE = {
    "controller": "PT Pembayaran Lintas Usaha Sukses",
    "feed_authority": "kasir.id",
    "content_dir": "policies",
    "translations_dir": "translations",
    "contact_anchor": "contact",
    "phone_region": "ID",
    "language_names": {"id": "Bahasa Indonesia"},  # the CLDR says "Indonesia", the country
    "locales": {"en": "en_GB"},  # the English text is British
    "open_terms_archive": {"privacy": "Privacy Policy"},
}

# One pass renders every language; `_()` follows the page's `lang`.
JINJA_ENVIRONMENT = {
    "extensions": ["jinja2.ext.i18n"],
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
}

# The policy plugin writes every page; Pelican's blog pages and feeds stay off.
ARTICLE_PATHS = []
PAGE_PATHS = []
STATIC_PATHS = []
DIRECT_TEMPLATES = []
# The theme's files reach the site under digest names only (plugins/policy_site/assets.py).
THEME_STATIC_PATHS = []
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
CACHE_CONTENT = False
READERS = {"rst": None}  # no reStructuredText content; avoids a docutils locale warning

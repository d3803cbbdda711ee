"""The theme's static files under names that carry their content's digest
(``theme/assets/site.3f2a9c1b0d.css``), so a host may keep them for a year: a changed
file is a new address. They reach the site under these names only (``THEME_STATIC_PATHS``
is empty)."""

import hashlib
from pathlib import Path

FOLDER = "theme/assets"
CACHE_RULE = "public, max-age=31536000, immutable"


class Assets:
    """``url("css/site.css")`` -> ``theme/assets/site.<digest>.css``, and their bytes."""

    def __init__(self, theme):
        static = Path(theme) / "static"
        self.files = {}  # site-relative address -> bytes
        self._urls = {}
        for path in sorted(p for p in static.rglob("*") if p.is_file() and not p.is_symlink()):
            data = path.read_bytes()
            digest = hashlib.sha256(data).hexdigest()[:10]
            url = f"{FOLDER}/{path.stem}.{digest}{path.suffix}"
            self._urls[path.relative_to(static).as_posix()] = url
            self.files[url] = data

    def url(self, name):
        """The digest-named address of the theme's static file ``name``."""
        return self._urls[name]

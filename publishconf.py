"""Pelican settings for publishing: absolute URLs from $SITEURL, a sitemap, a clean output."""

import os
import sys

sys.path.append(os.path.dirname(os.path.abspath(__file__)))
from pelicanconf import *  # noqa: E402,F403

SITEURL = os.environ.get("SITEURL", "").rstrip("/")
if not SITEURL.startswith("https://"):
    raise SystemExit(
        "publishconf.py: set SITEURL to the site's https:// address, "
        "e.g. SITEURL=https://kasir.id/kebijakan invoke publish"
    )
RELATIVE_URLS = False
DELETE_OUTPUT_DIRECTORY = True
POLICY_SITE = {**POLICY_SITE, "sitemap": True, "publishing": True}  # noqa: F405

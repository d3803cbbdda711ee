"""Security headers for static hosting: a ``_headers`` file and the page's CSP meta tag."""

DEFAULT_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}
# A <meta> CSP cannot carry these; browsers ignore them there, with a console error.
_HEADER_ONLY_DIRECTIVES = ("frame-ancestors", "report-uri", "sandbox")


def headers_file(headers, assets=None, asset_cache=None):
    """The headers for every path, in the ``_headers`` format of Netlify and Cloudflare Pages;
    ``versions.json`` may also be read by web apps of other origins (nothing else is opened
    to them: no credentials, no other file); the digest-named files in the folder ``assets``
    are kept as ``asset_cache`` says (pages keep the host's default: revalidated)."""
    every = "/*\n" + "".join(f"  {name}: {value}\n" for name, value in headers.items())
    every += "/versions.json\n  Access-Control-Allow-Origin: *\n"
    if assets:
        every += f"/{assets}/*\n  Cache-Control: {asset_cache}\n"
    return every


def meta_policy(headers):
    """The Content-Security-Policy for a ``<meta http-equiv>`` tag, or None."""
    policy = headers.get("Content-Security-Policy")
    if not policy:
        return None
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    return "; ".join(d for d in directives if not d.startswith(_HEADER_ONLY_DIRECTIVES))

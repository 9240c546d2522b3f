"""Comparing the web address an article came from with one that an export or a link names.

One key for every importer (saved files, links, read-later exports, annotation exports), so that
"already in the archive" and "this highlight's article" mean the same everywhere.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from courlan import normalize_url


def url_key(url: str) -> str:
    """A web URL as compared: courlan-normalised (host case, default port, percent-encoding, query
    order, tracking parameters, fragment), then without the scheme, `www.` and a trailing slash, as
    read-later services store http and https, with and without `www.`, for one page. The rest of the
    query stays: `story.php?id=101` and `?id=202` are two articles. Other IRIs (`urn:sitegen:…`) and
    addresses that do not parse compare as written."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        if parts.scheme.lower() not in ("http", "https"):
            return url
        parts = urlsplit(normalize_url(url, trailing_slash=False))
    except ValueError:  # an invalid port or IPv6 address
        return url
    host = parts.netloc.removeprefix("www.")
    return host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")

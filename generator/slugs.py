"""Slugs: the URL-safe names of pages."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@functools.lru_cache(maxsize=1 << 16)
def slugify(text: str) -> str:
    """A lowercase ASCII slug for a name; names with no Latin letters get a stable hash slug.

    Memoized: the same few hundred tags, authors and outlets are slugged tens of thousands
    of times per build."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if slug:
        return slug
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug))

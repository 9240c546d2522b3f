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


# Symbols that make a name another name, where a slug would drop them: C, C++ and C# are
# three languages, and "R&D" is "R and D". A "#" starting a word (a hashtag) says nothing.
_SPELLED = ((re.compile(r"\+"), " plus "), (re.compile(r"(?<=\w)#"), " sharp "), (re.compile(r"&"), " and "))


@functools.lru_cache(maxsize=1 << 16)
def taxon_slug(name: str) -> str:
    """The slug of the page of a tag, author or outlet named `name`.

    Two names get one page exactly when they are one name written differently: in case,
    accents, spacing or punctuation (`C#` and `c#`, `New York Times` and `new-york-times`,
    `R&D` and `R and D`). Everything else tells them apart, so that a page never lists
    what was filed under another name: `+`, a `#` after a letter and `&` are spelled out
    (`C++` is `c-plus-plus`, `C#` is `c-sharp`), and a name with letters that have no
    ASCII form beside ones that do gets a hash of its letters after its slug (`日本 2024`
    is not `2024`). A slug is made from the name alone, never from the other names, so a
    page keeps its address whatever is added to the archive. Memoized, as slugify."""
    text = unicodedata.normalize("NFKC", name).casefold()
    for symbol, word in _SPELLED:
        text = symbol.sub(word, text)
    slug = slugify(text)
    decomposed = unicodedata.normalize("NFKD", text)
    letters = [char for char in decomposed if unicodedata.category(char)[0] in "LN"]  # and digits; not accents, symbols (©, emoji), soft hyphens
    if any(not char.isascii() for char in letters) and any(char.isascii() for char in letters):
        slug += "-" + hashlib.sha1("".join(letters).encode("utf-8")).hexdigest()[:8]
    return slug


def is_valid_slug(slug: str) -> bool:
    return bool(SLUG_PATTERN.match(slug))


def readable_slug(text: str, limit: int | None = None) -> str:
    """The slug of a new file named after `text` (an article's headline, a note's quote, an entity's
    name): letters with no ASCII form are transliterated (`Łódź` is `lodz`, `Straße` is `strasse`,
    `مرحبا بالعالم` is `mrhb-bl-lm`, `北京大学` is `bei-jing-da-xue`) rather than hashed as slugify
    does, so that the file's name says what it holds, and an apostrophe inside a word is dropped
    (`Don't` is `dont`, not `don-t`). With `limit`, the slug stops at the last whole word within
    `limit` characters (a first word longer than that is cut). Only for names chosen once, when a
    file is made: slugify stays the rule for pages whose address must not change when the
    transliteration tables of the library do. Slugs are ASCII (SLUG_PATTERN), so the script's own
    letters cannot be kept."""
    from anyascii import anyascii

    joined = _APOSTROPHE_IN_WORD.sub("", unicodedata.normalize("NFC", text))
    slug = slugify("".join(_spelled_out(char, anyascii) for char in joined))
    if limit is None or len(slug) <= limit:
        return slug
    words = slug.split("-")
    cut = words[0][:limit]
    for word in words[1:]:
        if len(cut) + 1 + len(word) > limit:
            break
        cut += "-" + word
    return cut


_APOSTROPHE_IN_WORD = re.compile(r"(?<=\w)['’](?=\w)")


def _spelled_out(char: str, transliterate) -> str:
    """One character in ASCII; a wide one (a Chinese or Japanese character, a Hangul syllable) is
    a word of its own, which its transliteration does not say (`北京` would be `beijing` in one,
    `BeiJing` as anyascii spells it, and no longer `bei-jing` once lower-cased)."""
    if char.isascii():
        return char
    spelled = transliterate(char)
    return f" {spelled} " if unicodedata.east_asian_width(char) == "W" else spelled

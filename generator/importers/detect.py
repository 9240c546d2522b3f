"""Turn the bytes of one input into text, and tell HTML from plain text.

Readers save articles from browsers, mail clients and old editors, so an input may be UTF-8, UTF-16 with a
byte-order mark, or a legacy Windows code page. We accept what decodes cleanly and otherwise name the bad byte:
a wrongly guessed encoding would silently corrupt the very words the archive promises to keep.
"""

from __future__ import annotations

import codecs
import re

from ..content.unprintable import UNPRINTABLE
from ..errors import SiteError, SourceLoc

MAX_BYTES = 5 * 1024 * 1024
"""Real articles are a few hundred kilobytes even as saved HTML; anything larger is the wrong file."""

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<article[\s>]|<div[\s>]|<p[\s>]", re.I
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_size(size: int, origin: str) -> None:
    """Refuse oversized inputs before reading them, so a wrong path fails in milliseconds."""
    if size > MAX_BYTES:
        raise SiteError.at(
            SourceLoc(origin), f"file is {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB import limit"
        )


def decode(data: bytes, origin: str) -> str:
    """The text of `data`, or a SiteError saying why it is not a readable article."""
    check_size(len(data), origin)
    if not data.strip():
        raise SiteError.at(SourceLoc(origin), "file is empty")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _normalise(data.decode(encoding))
            except UnicodeDecodeError as error:
                raise SiteError.at(SourceLoc(origin), f"not valid {encoding}: {error.reason}") from None
    if b"\x00" in data[:8192]:
        raise SiteError.at(SourceLoc(origin), "binary file, not text or HTML")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        text = _legacy_decode(data, error, origin)
    if len(_CONTROL.findall(text[:8192])) > 8:
        raise SiteError.at(SourceLoc(origin), "binary file, not text or HTML")
    return _normalise(text)


def _legacy_decode(data: bytes, error: UnicodeDecodeError, origin: str) -> str:
    """Decode with the page's declared charset or Windows-1252, when either gives plausible text."""
    declared = _META_CHARSET.search(data[:4096])
    candidates = [declared.group(1).decode("ascii").lower()] if declared else []
    candidates.append("cp1252")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _plausible(text):
            return text
    line = data.count(b"\n", 0, error.start) + 1
    bad = data[error.start : error.start + 1].hex()
    raise SiteError.at(
        SourceLoc(origin, line),
        f"not UTF-8 text: byte 0x{bad} at offset {error.start} is invalid and no legacy encoding fits; save it as UTF-8",
    )


def _plausible(text: str) -> bool:
    """Most non-ASCII characters of a real legacy-encoded article are letters or typographic punctuation."""
    foreign = [c for c in text if ord(c) > 127]
    if not foreign:
        return True
    good = sum(1 for c in foreign if c.isalpha() or c in "\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ab\u00bb\u20ac\u00b0\u00a9")
    return good / len(foreign) >= 0.8


def _normalise(text: str) -> str:
    """Line ends as "\n", and no control characters (a terminal's colour codes whole) nor noncharacters:
    they carry no words, and the build refuses them, as HTML and feeds cannot hold them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    return _CONTROL_TO_DROP.sub("", text)


_CONTROL_TO_DROP = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|" + UNPRINTABLE.pattern)


def looks_like_html(text: str) -> bool:
    """HTML is recognised by its markup, whatever the file is called: saved pages often lose their extension."""
    head = text.lstrip()[:4096]
    if not head.startswith("<"):
        return False
    return bool(_HTML_SNIFF.search(head))

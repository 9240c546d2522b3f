"""Fetching one article page over HTTP(S), within limits a reader's 3,000-link export can rely on.

A bulk import meets every failure the web has: dead hosts, 404s, PDFs, endless redirects, servers that drip
a byte a second, pages of 50 MB. Each is turned into one short reason (`FetchFailed`) so the import can name
the link and go on with the others. urllib3 does the HTTP; this module only sets its limits and reads the
page's declared encoding, which the HTTP header states with more authority than the page itself.
"""

from __future__ import annotations

import email.message
import http
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationValueError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
    SSLError,
)

from generator import __version__
from generator.importers.detect import MAX_BYTES

USER_AGENT = f"sitegen/{__version__} (reading-archive import; one page per saved link)"
MAX_REDIRECTS = 5
CONNECT_SECONDS = 10.0
READ_SECONDS = 20.0
TOTAL_SECONDS = 60.0
"""A server may send a byte just often enough to beat the read timeout; the whole page must come within this."""
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
IMAGE_TYPES = frozenset({"image/png", "image/jpeg", "image/gif", "image/webp"})
_CHUNK = 64 * 1024


class FetchFailed(Exception):
    """Why one URL gave no page, in a few words (the message is shown after the URL)."""


@dataclass(frozen=True, slots=True)
class Page:
    url: str  # the final URL, after redirects
    data: bytes  # UTF-8 when the server named the encoding; else the bytes as sent, for detect.decode to read


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int = MAX_BYTES
    connect_seconds: float = CONNECT_SECONDS
    read_seconds: float = READ_SECONDS
    total_seconds: float = TOTAL_SECONDS
    max_redirects: int = MAX_REDIRECTS


def make_pool(jobs: int) -> urllib3.PoolManager:
    """One connection pool for a whole import: connections to a host are reused across its pages."""
    return urllib3.PoolManager(
        num_pools=max(10, jobs * 4),
        maxsize=jobs,
        headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"},
    )


def fetch(pool: urllib3.PoolManager, url: str, limits: Limits = Limits(), types: frozenset[str] = HTML_TYPES) -> Page:
    """The page at `url`, of one of the content `types` (an HTML page by default; an image's
    bytes are kept as sent); raises FetchFailed saying why there is none."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchFailed("not an http(s) web address")
    retries = urllib3.Retry(total=None, connect=0, read=0, status=0, other=0, redirect=limits.max_redirects, raise_on_redirect=True)
    timeout = urllib3.Timeout(connect=limits.connect_seconds, read=limits.read_seconds)
    try:
        response = pool.request("GET", url, preload_content=False, redirect=True, retries=retries, timeout=timeout)
    except HTTPError as error:
        raise FetchFailed(_reason(error, limits)) from None
    complete = False
    try:
        final_url = _final_url(url, response)
        if response.status != 200:
            raise FetchFailed(f"HTTP {response.status} {_phrase(response.status)}".rstrip())
        content_type, charset = _content_type(response.headers.get("Content-Type"))
        if content_type is not None and content_type not in types:
            raise FetchFailed(f"not {'HTML' if types is HTML_TYPES else 'an image'} (Content-Type: {content_type})")
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limits.max_bytes:
            raise FetchFailed(_too_large(int(declared), limits))
        data = _read(response, limits)
        complete = True
    except (HTTPError, OSError) as error:
        raise FetchFailed(_reason(error, limits)) from None
    finally:
        if not complete:  # a body left unread would be read as the next response on this connection
            response.close()
        response.release_conn()
    return Page(final_url, _as_utf8(data, charset) if types is HTML_TYPES else data)


def _final_url(url: str, response) -> str:
    """Where the redirects ended. urllib3 keeps each Location as sent, which may be relative to the URL
    before it (`/articles/2`), so they are resolved in turn."""
    for step in response.retries.history if response.retries is not None else ():
        if step.redirect_location:
            url = urljoin(url, step.redirect_location)
    return url


def _read(response, limits: Limits) -> bytes:
    """The body, refused as soon as it passes the size limit or the time limit (decompressed bytes count)."""
    deadline = time.monotonic() + limits.total_seconds
    chunks, size = [], 0
    while chunk := response.read1(_CHUNK):  # whatever has arrived: a drip cannot hold a read past the deadline
        size += len(chunk)
        if size > limits.max_bytes:
            raise FetchFailed(_too_large(size, limits, at_least=True))
        if time.monotonic() > deadline:
            raise FetchFailed(f"timed out: the page took over {limits.total_seconds:g} s to arrive")
        chunks.append(chunk)
    return b"".join(chunks)


def _content_type(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    message = email.message.Message()
    message["Content-Type"] = header
    charset = message.get_param("charset")
    return message.get_content_type(), charset if isinstance(charset, str) else None


def _as_utf8(data: bytes, charset: str | None) -> bytes:
    """The page re-encoded as UTF-8 when its HTTP header names an encoding that reads it; else as sent.

    The header wins over a `<meta charset>` in the page (as in browsers); the re-encoded bytes decode as
    UTF-8 first in detect.decode, so a stale meta tag is never used."""
    if not charset:
        return data
    try:
        return data.decode(charset).encode("utf-8")
    except (LookupError, UnicodeDecodeError):
        return data


def _too_large(size: int, limits: Limits, at_least: bool = False) -> str:
    """The size the server announced; while streaming, only that the limit was passed (how far past
    it the last chunk read went depends on how the bytes arrived)."""
    limit = f"{limits.max_bytes / 1048576:.0f} MB"
    if at_least:
        return f"too large: over the {limit} limit"
    return f"too large: {size / 1048576:.1f} MB, the limit is {limit}"


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def _reason(error: BaseException, limits: Limits) -> str:
    """urllib3's exception as a reason a reader can act on."""
    if isinstance(error, FetchFailed):
        return str(error)
    if isinstance(error, MaxRetryError) and error.reason is not None:
        error = error.reason
    if isinstance(error, ResponseError) and "redirect" in str(error):
        return f"more than {limits.max_redirects} redirects"
    if isinstance(error, NameResolutionError):
        return "host name not found (DNS)"
    if isinstance(error, NewConnectionError):  # before ConnectTimeoutError, its base class
        return "cannot connect: " + str(error).rsplit(":", 1)[-1].strip()
    if isinstance(error, ConnectTimeoutError):
        return f"timed out connecting (after {limits.connect_seconds:g} s)"
    if isinstance(error, ReadTimeoutError):
        return f"timed out: no data for {limits.read_seconds:g} s"
    if isinstance(error, SSLError):
        return "TLS error: " + str(error).rsplit(":", 1)[-1].strip(" )'")
    if isinstance(error, LocationValueError):
        return f"not a web address ({error})"
    if isinstance(error, ProtocolError):
        return "connection broken while reading"
    return str(error) or type(error).__name__

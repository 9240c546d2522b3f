"""Write clean, safe Markdown: escaped text and the body of trafilatura's XML output.

An imported article is republished by the site, so nothing in it may become live HTML: a `<` that could open a
tag is written as `&lt;`, and links keep only http, https and mailto targets. Characters that Markdown would read
as markup are backslash-escaped, so the rendered text is the source's text exactly.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from lxml import etree

from .model import Block

_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_INLINE = re.compile(r"([\\`*\[\]])")
_UNDERSCORE = re.compile(r"(?<!\w)_|_(?!\w)")
_BLOCK_START = re.compile(r"^(\s*)([#>+]|[-*](?=\s)|\d+(?=[.)]\s))")


def escape_text(text: str) -> str:
    """`text` as Markdown that renders to exactly `text` and never to HTML."""
    text = _ENTITY.sub("&amp;", text)
    text = _TAG_START.sub("&lt;", text)
    text = _INLINE.sub(r"\\\1", text)
    text = _UNDERSCORE.sub(r"\\_", text)
    return text


def escape_block_start(text: str) -> str:
    """Keep a paragraph that happens to start with '#', '>', '-' or '1.' from becoming another block."""
    return _BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text, count=1)


def safe_url(url: str | None, base: str | None = None) -> str | None:
    """An absolute http(s) or mailto URL, or None: other schemes (javascript:, data:) are never linked."""
    if not url:
        return None
    url = url.strip()
    if base and not urlsplit(url).scheme:
        url = urljoin(base, url)
    scheme = urlsplit(url).scheme.lower()
    if scheme in ("http", "https") and urlsplit(url).netloc or scheme == "mailto":
        return url.replace(" ", "%20").replace("<", "%3C").replace(">", "%3E")
    return None


def blocks_from_trafilatura(xml: str, base_url: str | None) -> list[tuple[Block, str]]:
    """Markdown blocks from trafilatura's XML (`head`, `p`, `list`, `quote`, `hi`, `ref`, `lb`), each with its
    plain text, which is what the rest of the importer compares against the page."""
    root = etree.fromstring(xml.encode("utf-8"))
    main = root.find("main")
    blocks: list[tuple[Block, str]] = []
    for element in main if main is not None else []:
        block = _block(element, base_url)
        if block is not None and block.text.strip():
            blocks.append((block, squash("".join(element.itertext())).strip()))  # type: ignore[arg-type]  # lxml-stubs: text read from XML is str
    return blocks


def _block(element, base_url: str | None) -> Block | None:
    tag = element.tag
    if tag == "head":
        level = min(max(int((element.get("rend") or "h2")[1:] or 2), 2), 4)
        return Block("h", "#" * level + " " + _inline(element, base_url).strip())
    if tag == "p":
        return Block("p", escape_block_start(_inline(element, base_url).strip()))
    if tag == "list":
        ordered = element.get("rend", "") == "ol"
        texts = [_inline(item, base_url).strip() for item in element.iterfind("item")]
        texts = [text for text in texts if text]
        lines = [(f"{n}. " if ordered else "- ") + text for n, text in enumerate(texts, 1)]
        return Block("list", "\n".join(lines))
    if tag == "table":
        return _table(element, base_url)
    if tag == "quote":
        parts = [_inline(child, base_url).strip() for child in element] or [_inline(element, base_url).strip()]
        text = "\n>\n".join("> " + part for part in parts if part)
        return Block("quote", text)
    return None


def _table(element, base_url: str | None) -> Block | None:
    """A Markdown pipe table; the first row is the header row, as on most news pages."""
    rows = [
        [_inline(cell, base_url).strip().replace("|", "\\|").replace("\n", " ") for cell in row.iterfind("cell")]
        for row in element.iterfind("row")
    ]
    rows = [row for row in rows if any(row)]
    if not rows:
        return None
    width = max(len(row) for row in rows)
    rows = [row + [""] * (width - len(row)) for row in rows]
    lines = ["| " + " | ".join(rows[0]) + " |", "|" + " --- |" * width]
    lines += ["| " + " | ".join(row) + " |" for row in rows[1:]]
    return Block("table", "\n".join(lines))


def _inline(element, base_url: str | None) -> str:
    """The Markdown of an element's mixed content: text, emphasis, links and line breaks."""
    out = [escape_text(squash(element.text or ""))]
    for child in element:
        inner = _inline(child, base_url)
        if child.tag == "hi":
            rend = child.get("rend", "")
            marker = "**" if "#b" in rend else "*" if "#i" in rend else ""
            out.append(f"{marker}{inner.strip()}{marker}" if inner.strip() and marker else inner)
        elif child.tag == "ref":
            target = safe_url(child.get("target"), base_url)
            out.append(f"[{inner.strip()}](<{target}>)" if target and inner.strip() else inner)
        elif child.tag == "lb":
            out.append("\n")
        else:
            out.append(inner)
        out.append(escape_text(squash(child.tail or "")))
    return "".join(out)


def squash(text: str) -> str:
    """Collapse runs of whitespace to one space, as a browser displays them."""
    return re.sub(r"[ \t\r\n]+", " ", text)

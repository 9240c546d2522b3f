"""Read an article from a saved HTML page.

Metadata comes first from what publishers write for machines (schema.org JSON-LD, OpenGraph, meta tags), which
is usually exact, and only then from visible bylines and dates. The body comes from trafilatura, a maintained
main-text extractor, converted to Markdown here; figures are read from the page itself so that captions and
credits, which extractors tend to drop, are kept.
"""

from __future__ import annotations

import json
import re
from itertools import islice
from urllib.parse import urlsplit

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from ..errors import SiteError, SourceLoc
from . import boilerplate
from .bylines import Author, clean_bio, parse_byline, wire_byline
from .credits import find_caption_credit
from .dates import DAY_FIRST_LANGUAGES, date_line, parse_machine_date
from .markdown import blocks_from_trafilatura, safe_url, squash
from .model import Block, Draft, Image, drop_empty_sections, paragraphs_before
from .outlets import best_outlet, outlet_votes

_ARTICLE_TYPES = {
    "NewsArticle", "Article", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle", "BlogPosting",
    "ScholarlyArticle", "TechArticle", "BackgroundNewsArticle", "ReviewNewsArticle", "LiveBlogPosting", "Report",
}
_TITLE_SEPARATORS = re.compile(r"\s+(?:\||–|—|-|::|·|•|»|«)\s+")
_WEB_ADDRESS = re.compile(r"^https?:|\bwww\.|://")
_CLASS_BYLINE = re.compile(r"byline|author|autor|auteur|firma|signature|writer", re.I)
_CLASS_NOT_BYLINE = re.compile(r"bio|avatar|image|photo|img|about|description", re.I)
_CLASS_ROLE = re.compile(r"role|job|position|title|cargo|fonction", re.I)
_CLASS_BIO = re.compile(r"author[-_]?bio|bio$|about[-_]author|author[-_]about|author[-_]description", re.I)
_CLASS_SUBTITLE = re.compile(r"standfirst|dek\b|subtitle|subheadline|sub-headline|summary|lede|chapo|perex|entradilla|bajada|teaser|intro", re.I)
_CLASS_CREDIT = re.compile(r"credit|copyright|photographer|source|byline|author|autor", re.I)
_DATE_META = (
    "article:published_time", "og:article:published_time", "datepublished", "date", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date.issued", "dc.date", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "article.published", "published_time",
)
_HEADER_TEXTS = 15  # text pieces after the headline where its byline and date are looked for
_BODY_WORDS = 25  # words: a text piece this long is a standfirst or a paragraph of the body
_AUTHOR_META = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator")


def read_html(text: str, origin: str, source_url: str | None) -> Draft:
    doc, deep = _parse(text, origin)
    meta = _meta(doc)
    nodes = _json_ld(doc)
    article = next((n for n in nodes if _types(n) & _ARTICLE_TYPES), {})
    by_id = {node["@id"]: node for node in nodes if isinstance(node.get("@id"), str)}
    page_url = source_url or _canonical(doc, meta, article)
    outlet = _site_part(_outlet(meta, nodes, _resolve(article.get("publisher"), by_id)), page_url)
    title, outlet = _title(doc, meta, article, outlet)
    outlet = _without_issue(outlet)
    if not title:
        raise SiteError.at(SourceLoc(origin), "no title found (no JSON-LD headline, og:title, <h1> or <title>)")
    root = _article_root(doc)
    subtitle = _subtitle(article, root, title)
    blocks, dom_texts = _body(doc if deep else text, page_url, title, subtitle, outlet)
    if outlet is None:
        outlet = best_outlet(outlet_votes(_page_lines(doc)))
    draft = Draft(
        title=title,
        subtitle=subtitle,
        authors=_authors(article, by_id, meta, root, outlet),
        outlet=outlet,
        source_url=page_url,
        published=None,
        language=_language(doc, article, meta),
    )
    day_first = (draft.language or "")[:2] in DAY_FIRST_LANGUAGES
    printed = _title_date(meta, doc, day_first) or _printed_date(doc, title, day_first)
    draft.published = _published(article, meta) or _with_time(printed or _guessed(text), root)
    draft.blocks = drop_empty_sections(blocks)
    draft.images = _figures(root, draft.blocks, dom_texts, page_url)
    return draft


def _parse(text: str, origin: str):
    """The page's tree, and whether it is nested past libxml2's usual depth limit (256).

    Past that limit the parser silently leaves out everything deeper: a page whose text sits
    there imported with an empty body. Such a page is parsed again with the parser's larger
    limits (lxml's huge_tree), and that tree is what trafilatura reads too; a page nested
    past even those is refused, since what it says cannot all be read."""
    parser = lxml.html.HTMLParser()
    try:
        doc = lxml.html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise SiteError.at(SourceLoc(origin), f"cannot parse HTML: {error}") from None
    if _limit_reached(parser) is None:
        return doc, False
    parser = lxml.html.HTMLParser(huge_tree=True)
    doc = lxml.html.document_fromstring(text, parser=parser)
    line = _limit_reached(parser)
    if line is not None:
        raise SiteError.at(SourceLoc(origin, line), "HTML nested too deeply to read: elements inside elements past the parser's limit")
    return doc, True


def _limit_reached(parser) -> int | None:
    """The line where the last parse by `parser` stopped at one of libxml2's limits (depth, size), or None."""
    return next((entry.line for entry in parser.error_log if entry.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT), None)


def _meta(doc) -> dict[str, str]:
    """First value of each <meta name|property|itemprop>, keyed in lower case."""
    found: dict[str, str] = {}
    for element in doc.iter("meta"):
        key = (element.get("property") or element.get("name") or element.get("itemprop") or "").strip().lower()
        value = element.get("content")
        if key and value and value.strip() and key not in found:
            found[key] = squash(value).strip()
    return found


def _json_ld(doc) -> list[dict]:
    """Every JSON-LD object on the page, with @graph and list wrappers flattened."""
    nodes: list[dict] = []

    def collect(value) -> None:
        if isinstance(value, list):
            for item in value:
                collect(item)
        elif isinstance(value, dict):
            nodes.append(value)
            collect(value.get("@graph", []))

    for script in doc.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        try:
            collect(json.loads(script.text, strict=False))
        except ValueError:
            continue
    return nodes


def _types(node: dict) -> set[str]:
    kind = node.get("@type", [])
    return {kind} if isinstance(kind, str) else {k for k in kind if isinstance(k, str)}


def _name(value) -> str | None:
    if isinstance(value, str):
        return squash(value).strip() or None
    if isinstance(value, dict):
        return _name(value.get("name"))
    if isinstance(value, list) and value:
        return _name(value[0])
    return None


def _canonical(doc, meta: dict, article: dict) -> str | None:
    for link in doc.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split():
            url = safe_url(link.get("href"))
            if url and not url.startswith("mailto:"):
                return url
    entity = article.get("mainEntityOfPage")
    candidates = (meta.get("og:url"), article.get("url"), entity.get("@id") if isinstance(entity, dict) else entity)
    for candidate in candidates:
        url = safe_url(candidate) if isinstance(candidate, str) else None
        if url and not url.startswith("mailto:"):
            return url
    return None


def _resolve(value, by_id: dict):
    """A JSON-LD node given only as {"@id": …}, replaced by the full node it refers to."""
    if isinstance(value, dict) and set(value) <= {"@id", "@type"} and value.get("@id") in by_id:
        return by_id[value["@id"]]
    return value


def _outlet(meta: dict, nodes: list[dict], publisher_node) -> str | None:
    """The publisher's name as the page states it for machines; a web address there is not a name."""
    named = [_name(publisher_node), meta.get("og:site_name"), meta.get("application-name")]
    named += [_name(node) for node in nodes if _types(node) & {"NewsMediaOrganization", "Organization", "WebSite"}]
    return next((name for name in named if name and not _WEB_ADDRESS.search(name)), None)


def _without_issue(outlet: str | None) -> str | None:
    """"Die Zeitschrift, Ausgabe 4/2019" → "Die Zeitschrift": an issue or a date after a comma is no part of a name."""
    return re.sub(r",[^,]*\d[^,]*$", "", outlet).strip() or None if outlet else outlet


def _site_part(outlet: str | None, page_url: str | None) -> str | None:
    """"MIXED.de | VR, AR und KI" → "MIXED.de": of a site name with a tagline, the part naming the page's host."""
    parts = _TITLE_SEPARATORS.split(outlet or "")
    host = urlsplit(page_url or "").hostname or ""
    site = host.removeprefix("www.").split(".")[0]
    if len(parts) < 2 or len(site) < 3:
        return outlet
    return next((part for part in parts if site in part.casefold().replace(" ", "")), outlet)


def _title(doc, meta: dict, article: dict, outlet: str | None) -> tuple[str | None, str | None]:
    """The headline, without a trailing " | Outlet"; the outlet is read from that suffix when nothing else named it.
    Of the metadata's titles (JSON-LD, og:title, twitter:title), the first the page prints as a heading (not the
    site's own name) wins, then the first a heading holds (a heading may carry a kicker or a badge), else the heading
    that holds most of the first title's words; without metadata, the <h1>, else the <title>."""
    h1 = next((squash(h.text_content()).strip() for h in doc.iter("h1") if h.text_content().strip()), None)
    page_title = next((squash(t.text_content()).strip() for t in doc.iter("title")), None) or None
    headings = [squash(h.text_content()).strip() for h in doc.iter("h1", "h2", "h3")]
    if h1 and page_title and h1 in _TITLE_SEPARATORS.split(page_title) and len(_TITLE_SEPARATORS.split(page_title)) == 2:
        other = next(part for part in _TITLE_SEPARATORS.split(page_title) if part != h1)
        if other in headings and len(other) > len(h1):  # the <h1> is the site's name, the headline another heading
            return other, outlet or h1
    candidates = [c for c in (_name(article.get("headline")), meta.get("og:title"), meta.get("twitter:title"), h1, page_title) if c]
    if not candidates:
        return None, outlet
    read = [_strip_site_suffix(_headline_part(candidate, headings), outlet, h1) for candidate in candidates]
    stated = read[: len(candidates) - (h1 is not None) - (page_title is not None)]  # the metadata's titles
    printed = [heading for heading in headings if heading and not (outlet and outlet.casefold() in heading.casefold())]
    title, outlet = next((found for found in stated if found[0] in printed), None) \
        or next((found for found in stated if any(found[0] in heading for heading in printed)), None) \
        or ((_heading_like(_TITLE_SEPARATORS.split(read[0][0])[0], printed) if stated else None) or read[0][0], read[0][1])
    if outlet is None and page_title and page_title != title:
        parts = _TITLE_SEPARATORS.split(page_title)
        outlet = parts[1 - parts.index(title)] if len(parts) == 2 and title in parts else _strip_site_suffix(page_title, None, title)[1]
    return title, outlet


def _heading_like(title: str, headings: list[str]) -> str | None:
    """The heading the page prints for a metadata title that matches none (a shortened or reworded title for
    search engines and shares): the one holding most of its words, when it holds at least two thirds of them."""
    words = set(re.findall(r"\w+", title.casefold()))
    if len(words) < 3:
        return None
    scored = [(len(words & set(re.findall(r"\w+", heading.casefold()))), heading) for heading in headings]
    best = max(scored, default=(0, None))
    return best[1] if best[0] >= 2 * len(words) / 3 else None


def _headline_part(title: str, headings: list[str]) -> str:
    """The part of a `title` built of parts ("Headline | Section | Site", "Site | Headline", "Kicker: Headline")
    that the page prints as a heading; the whole `title` when no heading shows which part it is."""
    if title in headings:
        return title
    kicked = title.partition(": ")[2]
    if kicked and kicked in headings:
        return kicked
    longest = max((part.strip() for part in _TITLE_SEPARATORS.split(title)), key=len)
    if longest != title and any(heading == longest or heading.startswith(longest + " ") for heading in headings):
        return longest  # a heading may carry a badge after it ("... Abonnés")
    return title


def _strip_site_suffix(title: str, outlet: str | None, h1: str | None) -> tuple[str, str | None]:
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title, outlet
    suffix = parts[-1].strip()
    head = title[: title.rfind(suffix)].rstrip(" |–—-:·•")
    if outlet and suffix.lower() == outlet.lower():
        return head, outlet
    if outlet is None and (h1 == head or len(suffix.split()) <= 4 and suffix[:1].isupper() and len(head) > 2 * len(suffix)):
        if h1 is None or h1 == head or h1 != title:
            return head, suffix
    return title, outlet


def _article_root(doc):
    """The element that holds the article: <article>, else <main>, else <body>."""
    for tag in ("article", "main"):
        found = next(doc.iter(tag), None)
        if found is not None:
            return found
    body = doc.find("body")
    return body if body is not None else doc


def _subtitle(article: dict, root, title: str) -> str | None:
    alternative = _name(article.get("alternativeHeadline"))
    if alternative and alternative != title:
        return alternative
    for element in root.iter("p", "div", "h2"):
        if _CLASS_SUBTITLE.search(element.get("class") or ""):
            text = squash(element.text_content()).strip()
            if 20 <= len(text) <= 400:
                return text
    return None


def _body(html, page_url: str | None, title: str, subtitle: str | None, outlet: str | None):
    """Markdown blocks of the article text (`html`: the page's text, or its tree when only a
    tree holds all of it, see _parse), with bylines, dates and outlet furniture removed.

    trafilatura runs without its fallback extractors and without the page URL: both cost more than the rest of
    the import on link-heavy pages, and links are made absolute here, only for the links that are kept."""
    xml = trafilatura.extract(
        html, output_format="xml", include_comments=False, include_tables=True, include_images=False,
        include_links=True, include_formatting=True, favor_recall=True, fast=True,
    )
    extracted = blocks_from_trafilatura(xml, page_url) if xml else []
    blocks: list[Block] = []
    texts: list[str] = []
    for block, plain in extracted:
        if plain in (title, subtitle):
            continue
        if boilerplate.is_about_header(plain) or boilerplate.ends_article(plain, outlet):
            break
        leading = not any(b.kind != "h" for b in blocks)
        if leading and (parse_byline(plain) or wire_byline(plain) or date_line(plain)[0]):
            continue
        if boilerplate.is_boilerplate(plain, outlet=outlet):
            continue
        blocks.append(block)
        texts.append(plain)
    return blocks, texts


def _authors(article: dict, by_id: dict, meta: dict, root, outlet: str | None) -> list[Author]:
    """Structured authors (JSON-LD, then meta tags), unless the visible byline names them and more:
    some sites put only the first of several writers in their meta tags."""
    authors = _json_ld_authors(article.get("author"), by_id)
    if not authors:
        for key in _AUTHOR_META:
            value = meta.get(key, "")
            if value and not _WEB_ADDRESS.search(value) and value != outlet:  # "Deutsche Welle (www.dw.com)": the site
                authors = parse_byline(value, require_prefix=False, structured=True)
                if authors:
                    break
    visible = _visible_byline(root)
    if not authors or {a.name for a in authors} < {a.name for a in visible}:
        authors = visible
    bio = _visible_bio(root)
    if bio and len(authors) == 1 and authors[0].bio is None and bio.startswith(authors[0].name.split()[0]):
        authors[0] = Author(authors[0].name, authors[0].role or _visible_role(root), bio)
    elif len(authors) == 1 and authors[0].role is None:
        authors[0] = Author(authors[0].name, _visible_role(root), authors[0].bio)
    return authors


def _json_ld_authors(value, by_id: dict) -> list[Author]:
    if isinstance(value, list):
        return [author for item in value for author in _json_ld_authors(item, by_id)]
    if isinstance(value, str):
        return parse_byline(value, require_prefix=False, structured=True)
    value = _resolve(value, by_id)
    if not isinstance(value, dict):
        return []
    if _types(value) & {"Organization", "NewsMediaOrganization"}:
        return []
    names = _json_ld_authors(_name(value), by_id)
    if len(names) != 1:
        return names
    bio = value.get("description")
    role = value.get("jobTitle")
    return [Author(names[0].name, _name(role), clean_bio(bio) if isinstance(bio, str) and bio.strip() else None)]


def _visible_byline(root) -> list[Author]:
    """Authors from elements marked as bylines: itemprop/rel author, or a class naming a byline."""
    named = [
        squash((e.find('.//*[@itemprop="name"]') if e.find('.//*[@itemprop="name"]') is not None else e).text_content())
        for e in root.xpath('.//*[@itemprop="author"]')
    ] or [squash(e.text_content()) for e in root.xpath('.//a[contains(concat(" ", @rel, " "), " author ")]')]
    authors = [a for name in named for a in parse_byline(name, require_prefix=False) or parse_byline(name)]
    if authors:
        return authors
    for element in root.iter():
        cls = element.get("class") or ""
        if not isinstance(element.tag, str) or not _CLASS_BYLINE.search(cls) or _CLASS_NOT_BYLINE.search(cls):
            continue
        text = squash(element.text_content()).strip()
        if not text or len(text) > 200:
            continue
        found = parse_byline(text) or (wire_byline(text) or ([],))[0] or parse_byline(text, require_prefix=False)
        if found:
            return found
    for element in root.iter("p", "div", "span", "address"):
        text = squash(element.text_content()).strip()
        if 4 < len(text) < 120:
            found = parse_byline(text)
            if found:
                return found
    return []


def _visible_role(root) -> str | None:
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        cls = element.get("class") or ""
        if (_CLASS_ROLE.search(cls) and _CLASS_BYLINE.search(cls)) or element.get("itemprop") == "jobTitle":
            text = squash(element.text_content()).strip()
            if 2 < len(text) < 60:
                return text
    return None


def _visible_bio(root) -> str | None:
    for element in root.iter():
        if isinstance(element.tag, str) and _CLASS_BIO.search(element.get("class") or ""):
            text = squash(element.text_content()).strip()
            text = re.sub(r"^About the (?:writer|author)\s*", "", text, flags=re.I)
            if len(text) > 20:
                return clean_bio(text)
    return None


def _published(article: dict, meta: dict) -> str | None:
    """The date the publisher wrote for machines (JSON-LD, then meta tags), which keeps its time of day; else None,
    and the date printed under the headline is read, or else htmldate's guess."""
    stated = article.get("datePublished") or article.get("dateCreated")
    if isinstance(stated, str) and parse_machine_date(stated):
        return parse_machine_date(stated)
    for key in _DATE_META:
        if meta.get(key) and parse_machine_date(meta[key]):
            return parse_machine_date(meta[key])
    return None


def _title_date(meta: dict, doc, day_first: bool) -> str | None:
    """A date set as one part of the page's title ("Headline | DW | 10.06.2013"): the article's own."""
    page_title = next((squash(t.text_content()).strip() for t in doc.iter("title")), "")
    for title in (meta.get("og:title"), page_title):
        for part in _TITLE_SEPARATORS.split(title or "")[1:]:
            is_date, day = date_line(part.strip(), day_first)
            if is_date and day and re.fullmatch(r"[\d./\s-]+", part.strip()):
                return day
    return None


def _printed_date(doc, title: str, day_first: bool) -> str | None:
    """The date printed in the article's header: the first date line among the short texts that follow the
    headline's heading, before the body (the second long paragraph: the first may be a standfirst). What the reader sees there beats htmldate's
    guess, which can be a page's "created" or "last modified" stamp."""
    heading = next((h for h in doc.iter("h1", "h2", "h3") if title in squash(h.text_content())), None)
    if heading is None:
        return None
    texts = (squash(piece).strip() for piece in heading.xpath("following::text()[normalize-space()]")
             if piece.getparent().tag not in ("script", "style"))
    long_pieces = 0
    for piece in islice(texts, _HEADER_TEXTS):
        long_pieces += len(piece.split()) >= _BODY_WORDS
        if long_pieces > 1:  # past a standfirst, into the body
            return None
        is_date, day = date_line(piece, day_first)
        if is_date and day:
            return day
    return None


def _guessed(text: str) -> str | None:
    """The original publication date htmldate finds in the page (its markup, then the printed dates it trusts),
    which tells a publication date from the "updated" dates, comment dates and dated sidebars around it."""
    return htmldate.find_date(text, extensive_search=True, original_date=True, outputformat="%Y-%m-%d")


def _with_time(day: str | None, root) -> str | None:
    """`day` with its time of day, from a `<time>` of the article naming that same day."""
    if day is None:
        return None
    for element in root.iter("time"):
        stated = parse_machine_date(element.get("datetime") or "")
        if stated and stated.startswith(day):
            return stated
    return day


def _language(doc, article: dict, meta: dict) -> str | None:
    for value in (doc.get("lang"), doc.get("xml:lang"), _name(article.get("inLanguage")), meta.get("og:locale"),
                  meta.get("content-language"), meta.get("language")):
        if value and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value.strip()):
            parts = value.strip().replace("_", "-").split("-")
            return "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p for p in parts[1:]])
    return None


def _page_lines(doc) -> list[str]:
    """The page's visible text nodes, for outlet names printed in footers and datelines."""
    nodes = doc.xpath("//body//text()[not(ancestor::script or ancestor::style)]")
    return [squash(node).strip() for node in nodes if node.strip()]


def _figures(root, blocks: list[Block], texts: list[str], page_url: str | None) -> list[Image]:
    """Images of the article, placed after the body paragraph that precedes them on the page."""
    position = {text[:80]: index for index, text in enumerate(texts)}
    images: list[Image] = []
    seen = 0
    for element in root.iter("p", "li", "blockquote", "h2", "h3", "figure"):
        if element.tag != "figure":
            index = position.get(squash(element.text_content()).strip()[:80])
            if index is not None:
                seen = max(seen, index + 1)
            continue
        image = _figure(element, page_url)
        if image:
            image.after_paragraph = paragraphs_before(blocks[:seen])
            images.append(image)
    return images


def _figure(figure, page_url: str | None) -> Image | None:
    img = next(figure.iter("img"), None)
    if img is None:
        return None
    src = img.get("src") or img.get("data-src") or (img.get("srcset") or "").split(" ")[0]
    url = safe_url(src, page_url)
    credit_element = next(
        (e for e in figure.iter() if isinstance(e.tag, str) and e.tag != "figure" and _CLASS_CREDIT.search(e.get("class") or "")),
        None,
    )
    title_element = next(
        (e for e in figure.iter() if isinstance(e.tag, str) and re.search(r"title|headline", e.get("class") or "")),
        None,
    )
    caption_element = next(figure.iter("figcaption"), None)
    caption = squash(caption_element.text_content()).strip() if caption_element is not None else ""
    credit = None
    if credit_element is not None:
        credit = squash(credit_element.text_content()).strip()
        caption = caption.replace(credit, "").strip()
        credit = re.sub(r"^(?:Image|Photo) source,\s*", "", credit)
    title = squash(title_element.text_content()).strip() if title_element is not None else None
    if title:
        caption = caption.replace(title, "", 1).strip()
    caption = re.sub(r"^Image caption,\s*", "", caption)
    if credit is None and caption:
        found = find_caption_credit(caption)
        if found:
            caption, credit = found
    return Image(
        title or None, caption or None, credit or None, src=url if url and not url.startswith("mailto:") else None, alt=img.get("alt"), written_src=src or None
    )

"""Citations of an archived article in BibTeX, CSL-JSON and RIS.

A reader who quotes an article needs a reference to the original, not to this site, so
the citation names the original's authors and outlet, its publication date only when
the source stated one, and the archive date as the access date. A person's name is split
into family and given name, in each format's own way, where the name supports a split
(generator/names.py); an organisation, a one-word name or a name in a script without a
clear split stays whole.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Iterable
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from generator.config import Config
from generator.names import CitedName, cited_name
from generator.records import Archive, Article, Date, Page
from generator.urls import absolute_url, page_path, url_for

CITE_LABELS = {"bibtex": "BibTeX", "csl-json": "CSL-JSON", "ris": "RIS"}
CITE_EXTENSIONS = {"bibtex": "bib", "csl-json": "json", "ris": "ris"}
CITE_MEDIA_TYPES = {
    "bibtex": "application/x-bibtex",
    "csl-json": "application/vnd.citationstyles.csl+json",
    "ris": "application/x-research-info-systems",
}
# The whole archive in one file per format, at the site's root, linked from the articles index.
BIBLIOGRAPHY_FILES = {fmt: f"citations.{extension}" for fmt, extension in CITE_EXTENSIONS.items()}
_BIBTEX_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def cited_url(config: Config, article: Article) -> str | None:
    """The original's URL when known, else the archived copy's (the copy the reader read).

    None when neither is known as a full URL: a site-relative path is no use in a bibliography.
    """
    if article.source_url:
        return article.source_url
    return absolute_url(config, page_path("article", article.slug)) if config.origin else None


# --- CSL-JSON ----------------------------------------------------------------------


def csl_item(config: Config, article: Article) -> dict[str, Any]:
    """One CSL-JSON item of type `article-newspaper`; `accessed` is the archive date."""
    item: dict[str, Any] = {"id": article.slug, "type": "article-newspaper", "title": article.title}
    if article.authors:
        item["author"] = [csl_name(cited_name(author, article.outlet)) for author in article.authors]
    if article.outlet:
        item["container-title"] = article.outlet
    if article.published:
        item["issued"] = {"date-parts": [_date_parts(article.published)]}
    if article.archived:
        item["accessed"] = {"date-parts": [_date_parts(article.archived)]}
    url = cited_url(config, article)
    if url:
        item["URL"] = url
    if article.subtitle:
        item["abstract"] = article.subtitle
    if article.language or config.language:
        item["language"] = article.language or config.language
    return item


def csl_name(name: CitedName) -> dict[str, str]:
    """A CSL name object: `literal` for a name kept whole, else family, given, particle and suffix."""
    if name.literal is not None:
        return {"literal": name.literal}
    parts = {"family": name.family, "given": name.given}
    if name.particle:
        parts["dropping-particle" if name.particle_drops else "non-dropping-particle"] = name.particle
    if name.suffix:
        parts["suffix"] = name.suffix
    return parts


def csl_json(items: list[dict[str, Any]]) -> str:
    """`json.dumps(items, ensure_ascii=False, indent=2)` and a newline, without the pure-Python encoder.

    With `indent` the json module cannot use its C encoder; this writes the same text in
    less time (`tests/test_publishing.py` checks it against `json.dumps`).
    """
    return _indented_json(items, "\n") + "\n"


def _indented_json(value: Any, newline: str) -> str:
    """`value` as `json.dumps(..., ensure_ascii=False, indent=2)` writes it; `newline` is a newline and the current indent.

    Lists, not generators, are joined (join makes a list of a generator first), and a list
    of integers (CSL's date parts) is written in one step."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        items = [_json_key(key) + ": " + _indented_json(item, inner) for key, item in value.items()]
        return "{" + inner + ("," + inner).join(items) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        if all(type(item) is int for item in value):
            items = list(map(int.__repr__, value))
        else:
            items = [_indented_json(item, inner) for item in value]
        return "[" + inner + ("," + inner).join(items) + newline + "]"
    return json.dumps(value, ensure_ascii=False)  # numbers, booleans, None: the same with or without indent


def _json_key(key: Any) -> str:
    return encode_basestring(key) if type(key) is str else json.dumps({key: 0}, ensure_ascii=False)[1:-4]


def _date_parts(value: Date) -> list[int]:
    return [value.year, value.month, value.day]


# --- BibTeX ------------------------------------------------------------------------

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


_BIBTEX_TABLE = str.maketrans(_BIBTEX_SPECIAL)


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, whitespace collapsed."""
    return " ".join(text.split()).translate(_BIBTEX_TABLE)


def _bibtex_url(url: str) -> str:
    """URLs are verbatim in biblatex; only unbalanced braces and stray spaces could break the entry."""
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def bibtex_entry(config: Config, article: Article) -> str:
    """A biblatex-compatible `@article` entry keyed by the article's slug; the title keeps its capitals.

    `entrysubtype = {newspaper}` is biblatex's mark of a newspaper article (pandoc reads it as
    CSL's `article-newspaper`, the type the CSL-JSON gives)."""
    fields: list[tuple[str, str]] = [("title", "{{" + bibtex_escape(article.title) + "}}")]
    if article.authors:
        fields.append(("author", "{" + " and ".join(bibtex_name(cited_name(author, article.outlet)) for author in article.authors) + "}"))
    if article.outlet:
        fields.append(("journal", "{" + bibtex_escape(article.outlet) + "}"))
    fields.append(("entrysubtype", "{newspaper}"))
    if article.published:
        fields.append(("year", "{" + str(article.published.year) + "}"))
        fields.append(("month", _BIBTEX_MONTHS[article.published.month - 1]))
        fields.append(("date", "{" + _day(article.published).isoformat() + "}"))
    url = cited_url(config, article)
    if url:
        fields.append(("url", "{" + _bibtex_url(url) + "}"))
    if article.archived:
        fields.append(("urldate", "{" + article.archived.isoformat() + "}"))
    if article.language or config.language:
        fields.append(("langid", "{" + bibtex_escape(article.language or config.language) + "}"))
    if article.tags:
        fields.append(("keywords", "{" + bibtex_escape(", ".join(article.tags)) + "}"))
    body = ",\n".join(f"  {name} = {value}" for name, value in fields)
    return f"@article{{{article.slug},\n{body}\n}}\n"


def bibtex_name(name: CitedName) -> str:
    """A name in BibTeX's `von Last, Jr, First` form; a name kept whole is braced, so BibTeX reads it as one.

    A particle that stays with the family name is braced with it (`{van Gogh}, Vincent`):
    biblatex's default (`useprefix=false`) would otherwise drop it, as it should only for the
    dropping kind, written as BibTeX's von part (`van Beethoven, Ludwig`). A family name with
    a word in lower case ("Ortega y Gasset") is braced too, or BibTeX would take that word for a von part.
    """
    if name.literal is not None:
        return "{" + bibtex_escape(name.literal) + "}"
    family = bibtex_escape(name.family)
    if name.particle and name.particle_drops:
        family = bibtex_escape(name.particle) + " " + family
    elif name.particle or not all(word[:1].isupper() for word in name.family.split()):
        family = "{" + bibtex_escape(name.full_family) + "}"
    return ", ".join(part for part in (family, bibtex_escape(name.suffix), bibtex_escape(name.given)) if part)


def _day(value: Date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- RIS ---------------------------------------------------------------------------


def ris_record(config: Config, article: Article) -> str:
    """One RIS record of type NEWS; `Y2` is the access (archive) date, as Zotero reads it."""
    lines = [("TY", "NEWS"), ("TI", article.title)]
    lines += [("AU", ris_name(cited_name(author, article.outlet))) for author in article.authors]
    if article.outlet:
        lines.append(("T2", article.outlet))
    if article.published:
        lines.append(("PY", str(article.published.year)))
        lines.append(("DA", _day(article.published).strftime("%Y/%m/%d/")))
    if article.archived:
        lines.append(("Y2", article.archived.strftime("%Y/%m/%d/")))
    url = cited_url(config, article)
    if url:
        lines.append(("UR", url))
    if article.language or config.language:
        lines.append(("LA", article.language or config.language))
    lines += [("KW", tag) for tag in article.tags]
    if article.subtitle:
        lines.append(("AB", article.subtitle))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {' '.join(value.split())}".rstrip() + "\n" for tag, value in lines)


def ris_name(name: CitedName) -> str:
    """A name as RIS writes it, `Last, First, Suffix`; a name kept whole as it is (no comma)."""
    if name.literal is not None:
        return name.literal
    if name.particle_drops:
        family, given = name.family, f"{name.given} {name.particle}"
    else:
        family, given = name.full_family, name.given
    return ", ".join(part for part in (family, given, name.suffix) if part)


# --- one article's download and the whole archive's files --------------------------


def citation_text(config: Config, articles: Iterable[Article], fmt: str) -> str:
    """`articles` cited in one format, as one file's text."""
    if fmt == "csl-json":
        return csl_json([csl_item(config, article) for article in articles])
    if fmt == "bibtex":
        return "\n".join(bibtex_entry(config, article) for article in articles)
    if fmt == "ris":
        return "\n".join(ris_record(config, article) for article in articles)
    raise ValueError(f"unknown citation format {fmt!r}")


def bibliography(config: Config, articles: Iterable[Article], fmt: str) -> str:
    """Every article cited in one format, ordered by slug: `sitegen export` and the site's citations.* files."""
    return citation_text(config, sorted(articles, key=lambda article: article.slug), fmt)


def citation_pages(config: Config, archive: Archive) -> list[Page]:
    """`citations.bib`, `citations.json` and `citations.ris`: the whole archive, as `sitegen export` writes it.

    An article's own citation is not a file: its page carries it in data: URLs (`article_citations`),
    which saves three file writes per article.
    """
    return [Page(filename, bibliography(config, archive.articles, fmt).encode("utf-8")) for fmt, filename in BIBLIOGRAPHY_FILES.items()]


def data_url(media_type: str, text: str) -> str:
    """An RFC 2397 data: URL holding `text` as UTF-8, in base64: shorter than percent-encoding for
    these texts (CSL-JSON's quotes, spaces and newlines each take three characters as %XX; BibTeX
    and RIS come out the same length) and encoded in C, which is much quicker."""
    return f"data:{media_type};charset=utf-8;base64," + base64.b64encode(text.encode("utf-8")).decode("ascii")


@dataclass(frozen=True, slots=True)
class CitationDownload:
    """One article's citation in one format, as the Cite section shows it and offers it for download."""

    fmt: str
    label: str  # "BibTeX"
    filename: str  # "<slug>.bib", the `download` attribute
    text: str
    url: str  # data: URL of `text`


def article_citations(config: Config, article: Article) -> list[CitationDownload]:
    """The article's citation in every format; each text is built once for both the page and its download."""
    downloads = []
    for fmt, label in CITE_LABELS.items():
        text = citation_text(config, [article], fmt)
        downloads.append(CitationDownload(fmt, label, f"{article.slug}.{CITE_EXTENSIONS[fmt]}", text, data_url(CITE_MEDIA_TYPES[fmt], text)))
    return downloads


def citation_globals(config: Config) -> dict[str, Any]:
    """Template helpers for the article page's Cite section and the articles index.

    `citation` and `citation_url` (now the data: URL) stay for templates/ overrides written before.
    """
    return {
        "article_citations": lambda article: article_citations(config, article),
        "citation": lambda article, fmt: citation_text(config, [article], fmt),
        "citation_url": lambda article, fmt: data_url(CITE_MEDIA_TYPES[fmt], citation_text(config, [article], fmt)),
        "citation_formats": CITE_LABELS,
        "bibliography_url": lambda fmt: url_for(config, BIBLIOGRAPHY_FILES[fmt]),
    }

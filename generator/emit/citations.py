"""Citations of an archived article in BibTeX, CSL-JSON and RIS.

A reader who quotes an article needs a reference to the original, not to this site, so
the citation names the original's authors and outlet, its publication date only when
the source stated one, and the archive date as the access date. Names are written as
the source printed them: splitting "given" from "family" would be a guess.
"""

from __future__ import annotations

import datetime
import json
from typing import Any, Callable

from generator.config import Config
from generator.records import Archive, Article, Date, Page
from generator.urls import absolute_url, page_path, url_for

CITE_FILES = {"bibtex": "cite.bib", "csl-json": "cite.json", "ris": "cite.ris"}
CITE_LABELS = {"bibtex": "BibTeX", "csl-json": "CSL-JSON", "ris": "RIS"}
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
        item["author"] = [{"literal": author.name} for author in article.authors]
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


def csl_json(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


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


def bibtex_escape(text: str) -> str:
    """Text safe inside a braced BibTeX field: LaTeX specials escaped, whitespace collapsed."""
    return "".join(_BIBTEX_SPECIAL.get(char, char) for char in " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    """URLs are verbatim in biblatex; only unbalanced braces and stray spaces could break the entry."""
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def bibtex_entry(config: Config, article: Article) -> str:
    """A biblatex-compatible `@article` entry keyed by the article's slug; the title keeps its capitals."""
    fields: list[tuple[str, str]] = [("title", "{{" + bibtex_escape(article.title) + "}}")]
    if article.authors:
        fields.append(("author", "{" + " and ".join("{" + bibtex_escape(a.name) + "}" if " and " in a.name else bibtex_escape(a.name) for a in article.authors) + "}"))
    fields.append(("journal", "{" + bibtex_escape(article.outlet) + "}"))
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


def _day(value: Date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


# --- RIS ---------------------------------------------------------------------------


def ris_record(config: Config, article: Article) -> str:
    """One RIS record of type NEWS; `Y2` is the access (archive) date, as Zotero reads it."""
    lines = [("TY", "NEWS"), ("TI", article.title)]
    lines += [("AU", author.name) for author in article.authors]
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


# --- per-article files and the whole archive ----------------------------------------


def citation_text(config: Config, articles: list[Article], fmt: str) -> str:
    """`articles` cited in one format, as one file's text."""
    if fmt == "csl-json":
        return csl_json([csl_item(config, article) for article in articles])
    if fmt == "bibtex":
        return "\n".join(bibtex_entry(config, article) for article in articles)
    if fmt == "ris":
        return "\n".join(ris_record(config, article) for article in articles)
    raise ValueError(f"unknown citation format {fmt!r}")


def citation_pages(config: Config, archive: Archive) -> list[Page]:
    """`articles/<slug>/cite.bib`, `cite.json` and `cite.ris` for every article."""
    return [
        Page(page_path("article", article.slug) + filename, citation_text(config, [article], fmt).encode("utf-8"))
        for article in archive.articles
        for fmt, filename in CITE_FILES.items()
    ]


def citation_globals(config: Config) -> dict[str, Callable[..., Any]]:
    """Template helpers for the article page's Cite section."""
    return {
        "citation": lambda article, fmt: citation_text(config, [article], fmt),
        "citation_url": lambda article, fmt: url_for(config, page_path("article", article.slug) + CITE_FILES[fmt]),
        "citation_formats": CITE_LABELS,
    }

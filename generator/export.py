"""`sitegen export`: the whole archive as citations or as W3C Web Annotations.

Citations (CSL-JSON, BibTeX, RIS) are the same text as the site's `citations.*` files
(and, article by article, as each page's Cite downloads), so a reference manager gets one
file for everything. The W3C export makes the reader's notes
portable to other annotation tools (Hypothesis, Recogito, …): every note on an article
becomes an `Annotation` whose target is the original article (or, when its URL is not
known, the archived copy) with a TextQuoteSelector and a TextPositionSelector taken from
where the quote anchored. Positions count characters in the article's text as archived (a quote
from a figure's caption has the quote selector alone).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from generator.anchor import NONE, ORPHAN, anchored_text
from generator.build import Analysis, analyse, sound_config
from generator.emit.citations import bibliography, cited_url
from generator.emit.feeds import absolute_iri, atom_date
from generator.errors import SiteError, SourceLoc
from generator.records import Anchor, Note
from generator.urls import page_path

CITATION_FORMATS = ("csl-json", "bibtex", "ris")
FORMATS = CITATION_FORMATS + ("w3c",)
CONTEXT_CHARS = 32  # prefix/suffix length of a TextQuoteSelector, as Hypothesis uses
ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def export_archive(root: Path, fmt: str) -> str:
    """The archive at `root` in `fmt`: 'csl-json', 'bibtex', 'ris' or 'w3c'."""
    if fmt not in FORMATS:
        raise SiteError.at(SourceLoc("--format"), f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    config = sound_config(root)
    analysis = analyse(root, config)
    if fmt in CITATION_FORMATS:
        return bibliography(config, analysis.archive.articles, fmt)
    return json.dumps(annotation_collection(analysis), ensure_ascii=False, indent=2) + "\n"


def annotation_collection(analysis: Analysis) -> dict[str, Any]:
    """Every note on an article as a W3C `Annotation`, in one `AnnotationCollection` of one page.

    Standalone notes annotate nothing, so they are not exported. The model requires the page
    to have an IRI of its own (section 5.2): the collection's with `#page-1`.
    """
    config = analysis.config
    items = [annotation(analysis, note) for note in analysis.archive.notes if note.article]
    collection_id = absolute_iri(config, "notes/")
    return {
        "@context": ANNOTATION_CONTEXT,
        "id": collection_id,
        "type": "AnnotationCollection",
        "label": f"{config.title}: annotations",
        "total": len(items),
        "first": {"id": collection_id + "#page-1", "type": "AnnotationPage", "startIndex": 0, "items": items},
    }


def annotation(analysis: Analysis, note: Note) -> dict[str, Any]:
    config = analysis.config
    article = next(a for a in analysis.archive.articles if a.slug == note.article)
    text = note.body.strip()
    data: dict[str, Any] = {"id": absolute_iri(config, page_path("note", note.slug)), "type": "Annotation"}
    data["motivation"] = "commenting" if text else "highlighting"
    if note.created:
        data["created"] = atom_date(note.created)
    bodies: list[dict[str, Any]] = []
    if text:
        bodies.append({"type": "TextualBody", "value": text, "format": "text/markdown", "language": article.language or config.language})
    bodies += [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in note.tags]
    if bodies:
        data["body"] = bodies[0] if len(bodies) == 1 else bodies
    target: dict[str, Any] = {"source": cited_url(config, article) or absolute_iri(config, page_path("article", article.slug))}
    selectors = _selectors(analysis, note, analysis.anchors.get(note.slug, Anchor(note.slug, article.slug, NONE)))
    if selectors:
        target["selector"] = selectors[0] if len(selectors) == 1 else selectors
    data["target"] = target
    return data


def _selectors(analysis: Analysis, note: Note, anchor: Anchor) -> list[dict[str, Any]]:
    """Quote and position from the anchored range; an orphan keeps only the quote as the reader copied it."""
    if note.quote is None or anchor.tier == NONE:
        return []
    if anchor.tier == ORPHAN:
        quote = {"type": "TextQuoteSelector", "exact": note.quote}
        quote.update({key: value for key, value in (("prefix", note.prefix), ("suffix", note.suffix)) if value})
        return [quote]
    text = analysis.bodies[("article", anchor.article)].text
    beside_body = anchor.figure is not None or anchor.standfirst  # a caption's or the standfirst's: offsets not in the article text, so no position
    if beside_body:
        text = anchored_text(anchor, text, next(a for a in analysis.archive.articles if a.slug == anchor.article))
    start, end = anchor.start, anchor.end
    quote = {
        "type": "TextQuoteSelector",
        "exact": text[start:end],
        "prefix": text[max(0, start - CONTEXT_CHARS) : start],
        "suffix": text[end : end + CONTEXT_CHARS],
    }
    if beside_body:
        return [quote]
    return [quote, {"type": "TextPositionSelector", "start": start, "end": end}]

"""The intermediate result both readers (plain text, HTML) produce, before it becomes front-matter.

Keeping the body as typed blocks rather than one string lets images be placed by paragraph count and empty
sections be removed after boilerplate is gone, whichever format the article came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .bylines import Author
from .credits import split_credit


@dataclass(frozen=True, slots=True)
class Block:
    """One Markdown block: kind is 'p' (paragraph), 'h' (heading), 'list', 'quote' or 'table'; text is Markdown."""

    kind: str
    text: str


@dataclass(slots=True)
class Image:
    title: str | None
    caption: str | None
    credit: str | None
    src: str | None = None
    alt: str | None = None
    after_paragraph: int = 0
    written_src: str | None = None  # the src as the page wrote it: a saved page's own copy of the file may be beside it

    def as_dict(self) -> dict:
        split = split_credit(self.credit) if self.credit else None
        return {
            "title": self.title,
            "caption": self.caption or None,
            "credit": self.credit,
            "photographer": split.photographer if split else None,
            "agency": split.agency if split else None,
            "src": self.src,
            "alt": self.alt or None,
            "after_paragraph": self.after_paragraph,
        }


@dataclass(slots=True)
class Draft:
    """What a reader found in one source; unknown fields stay None (the title too, when a copied page's
    headline cannot be told)."""

    title: str | None
    blocks: list[Block] = field(default_factory=list)
    subtitle: str | None = None
    authors: list[Author] = field(default_factory=list)
    outlet: str | None = None
    source_url: str | None = None
    published: str | None = None
    language: str | None = None
    images: list[Image] = field(default_factory=list)


def drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Remove headings with nothing under them: their section was all boilerplate.

    Headings do not count towards `after_paragraph`, so image positions stay right.
    """
    return [
        block
        for index, block in enumerate(blocks)
        if block.kind != "h" or (index + 1 < len(blocks) and blocks[index + 1].kind != "h")
    ]


def paragraphs_before(blocks: list[Block]) -> int:
    """The `after_paragraph` value for an image placed after `blocks`: headings do not count."""
    return sum(1 for b in blocks if b.kind != "h")

"""Read an article from plain text copied out of a browser or an app.

The first line is the title, and a line directly under it (no blank line between) that is not a byline or a
date is the standfirst (subtitle). The rest is read block by block (blocks are separated by blank lines): header
lines (byline, date) feed front-matter; boilerplate is dropped; a caption ending in a credit becomes an image;
a short line standing alone that is not a sentence becomes a `##` heading; everything else is kept verbatim.
"""

from __future__ import annotations

import re
from collections import Counter

from ..errors import SiteError, SourceLoc
from . import boilerplate
from .bylines import INTERFACE_WORDS, Author, bio_facts, clean_bio, is_role, parse_byline, wire_byline
from .credits import find_caption_credit, is_person_name
from .dates import DAY_FIRST_LANGUAGES, date_line, labelled_published, parse_printed_date
from .language import detect_language
from .markdown import escape_block_start, escape_text
from .model import Block, Draft, Image, drop_empty_sections, paragraphs_before
from .outlets import best_outlet, outlet_votes

MAX_TITLE = 300
_HEADER_LINES = 15
_BARE_PREFIX = re.compile(r"^(?:by|von|par|por|di|door|de|author:?|autor:?|autorin:?|auteur:?|记者|記者)$", re.I)
_UPDATED_LINE = re.compile(r"^(?:updated|last updated|actualizado|mis à jour|modifié|aktualisiert|aktualizováno|atualizado|aggiornato)\b", re.I)
_UPDATED_WORD = re.compile(r"\b(?:updated|actualizado|mis à jour|aktualisiert|aktualizováno|atualizado|aggiornato)\b", re.I)
_AUTHOR_LABEL = re.compile(r"^(?:author|auteur)\s*:\s*", re.I)
_AFTER_DATE = re.compile(r"\s+(?:\||at|um|à|a las)\s+")
_SENTENCE_END = re.compile(r"[.,;:!…\"”»]$")
_IMAGE_CAPTION = re.compile(r"^Image caption,\s*", re.I)
_BULLET = re.compile(r"^\s*(?:[•·▪●■]|[-*–])\s+")
_BRACKETED_DATE = re.compile(r"^\(([^()]{6,30})\)\s")


def read_text(text: str, origin: str) -> Draft:
    lines = [line.rstrip() for line in text.split("\n")]
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise SiteError.at(SourceLoc(origin), "file is empty")
    menu = _opens_with_menu(lines, first)
    first = _headline_index(lines, first) if menu else first
    title = re.sub(r"\s+", " ", lines[first]).strip()
    if len(title) > MAX_TITLE:
        raise SiteError.at(SourceLoc(origin, first + 1), f"no title: the first line is {len(title)} characters long")
    rest = lines[first + 1 :]
    votes = outlet_votes(rest)
    outlet = best_outlet(votes)
    repeats = Counter(line.strip() for line in rest if line.strip())
    day_first = detect_language(text) in DAY_FIRST_LANGUAGES
    reader = _Reader(outlet, repeats, bare_names=not menu, day_first=day_first)
    subtitle = None
    blocks = _blocks(rest)
    if blocks and rest[0].strip():
        under_title = blocks[0].pop(0)
        subtitle = None if reader.header_line(under_title) else under_title
    for block in blocks:
        reader.feed(block)
    for affiliation in reader.affiliations:
        votes[affiliation] += 3  # the writer's own outlet, named under this byline: above any footer
    scanned_authors, scanned_date, conflicting = _header_facts(rest[:_HEADER_LINES], day_first)
    published = None if conflicting else (reader.published or scanned_date)
    draft = Draft(title=title, subtitle=subtitle, outlet=best_outlet(votes), published=published)
    draft.blocks = drop_empty_sections(_without_trailing_promos(reader.blocks, draft.outlet))
    draft.images = reader.images
    draft.authors = _authors(reader.byline or scanned_authors, reader.bio)
    if draft.outlet and any(author.name == draft.outlet for author in draft.authors):
        draft.outlet = None  # a person's name, from the footer of their own blog: not a publication
    return draft


def _opens_with_menu(lines: list[str], first: int) -> bool:
    """The copy starts above the headline (a whole page selected): a run of short menu items, the first among them.
    A headline printed twice (breadcrumb, then heading) is not a menu."""
    shown = [index for index in range(first, len(lines)) if lines[index].strip()]
    if sum(_is_menu_item(lines[index]) for index in shown[:10]) < 8 or not _is_menu_item(lines[first]):
        return False
    return not (len(lines[first].split()) >= 3 and any(lines[index].strip() == lines[first].strip() for index in shown[1:10]))


def _headline_index(lines: list[str], first: int) -> int:
    """Where the headline is in a copy that opens with a menu: the first line shaped like one (a few words to a
    long sentence, no full stop) in the lines before the body's first long paragraph; else the first line."""
    shown = [index for index in range(first, len(lines)) if lines[index].strip()]
    body = next((n for n, index in enumerate(shown) if len(lines[index].split()) >= 25), None)
    if body is None or body < 10:  # a short headline with a few short lines under it is not a menu
        return first
    for index in shown[max(0, body - 10) : body]:
        line = lines[index].strip()
        if 4 <= len(line.split()) <= 40 and len(line) <= 250 and not re.search(r"[.,;:]$", line) \
                and line.split()[0].casefold() not in INTERFACE_WORDS and not parse_byline(line) and not date_line(line)[0] \
                and not boilerplate.is_boilerplate(line, outlet=None):
            return index
    return first


def _is_menu_item(line: str) -> bool:
    return len(line.split()) <= 4 and len(line.strip()) < 40


def _header_facts(lines: list[str], day_first: bool) -> tuple[list[Author], str | None, bool]:
    """A byline and a publication date among the lines just under the headline, where pages put them between
    share buttons, a standfirst and a reading time ("By" alone with the name on the next line, "von X am
    14. Mai 2014", "January 13, 2020 at 08:45 AM | categories: ..."), or in brackets opening the first paragraph
    ("(18.01.2018) Farmers fear ..."). An "Updated ..." line gives no date. A date in the byline or labelled
    ("Published ...") is the publication date; else two different dates there (a related article's, an
    event's) leave it unknown, flagged by the third value, rather than picking one."""
    shown = [line.strip() for line in lines if line.strip()]
    authors: list[Author] = []
    stated: list[str] = []  # dates a byline or a "Published" label names as the publication's
    bare: list[str] = []
    for index, line in enumerate(shown):
        if _UPDATED_LINE.match(line) or _UPDATED_WORD.search(line):
            continue
        if not authors:
            if _BARE_PREFIX.match(line) and index + 1 < len(shown):
                authors = parse_byline("By " + shown[index + 1])
            else:
                authors = parse_byline(_AUTHOR_LABEL.sub("By ", line))
                signed = parse_printed_date(line, day_first) if authors else None
                if signed:
                    stated.append(signed)
                    continue
        date = _line_date(line, day_first)
        if date:
            (stated if labelled_published(line) else bare).append(date)
    if stated:
        return authors, stated[0], False
    return authors, (bare[0] if bare else None), len(set(bare)) > 1


def _line_date(line: str, day_first: bool) -> str | None:
    """The date a header line prints: the whole line, its head before "| categories" or "at 08:45", or a date in
    brackets opening the line."""
    is_date, date = date_line(line, day_first)
    if is_date:
        return date
    head = _AFTER_DATE.split(line)[0]
    if head != line and len(head) < 40 and date_line(head, day_first)[1]:
        return date_line(head, day_first)[1]
    bracketed = _BRACKETED_DATE.match(line)
    return date_line(bracketed.group(1), day_first)[1] if bracketed else None


def _blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


class _Reader:
    """Walks the blocks in order; the state says whether the article body has begun or already ended."""

    def __init__(self, outlet: str | None, repeats: Counter, bare_names: bool = True, day_first: bool = False):
        self.outlet = outlet
        self.day_first = day_first  # the text's language writes the day before the month
        self.bare_names = bare_names  # a name alone on a line is a byline, unless menus surround the article
        self.repeats = repeats
        self.blocks: list[Block] = []
        self.images: list[Image] = []
        self.byline: list[Author] = []
        self.bio: str | None = None
        self.published: str | None = None
        self.ended = False
        self.awaiting_bio = False
        self.pending_credit: str | None = None
        self.affiliations: list[str] = []
        self.after_bare_name = False

    def feed(self, block: list[str]) -> None:
        if self.ended:
            self._after_end(block)
            return
        kept: list[str] = []
        for index, line in enumerate(block):
            if boilerplate.is_about_header(line):
                self.ended = self.awaiting_bio = True
                self._after_end(block[index + 1 :])
                break
            if boilerplate.ends_article(line, self.outlet):
                self.ended = True
                break
            if self.header_line(line) or self._image_line(line):
                continue
            if boilerplate.is_boilerplate(line, outlet=self.outlet, repeated=self.repeats[line] > 1):
                continue
            kept.append(line)
        if kept:
            self._content(kept)

    def _after_end(self, block: list[str]) -> None:
        text = " ".join(block).strip()
        if self.awaiting_bio and text and not boilerplate.is_boilerplate(text, outlet=self.outlet):
            self.bio = clean_bio(text)
            self.awaiting_bio = False

    def header_line(self, line: str) -> bool:
        """Bylines and date lines before the first paragraph; "Reporting by" trailers anywhere."""
        if re.match(r"^reporting by\b", line, re.I) and not self.byline:
            self.byline = parse_byline(re.split(r"[;.]", line)[0])
        if any(b.kind != "h" for b in self.blocks):
            return False
        if self.after_bare_name:
            self.after_bare_name = False
            if self._affiliation(line):
                return True
        wire = wire_byline(line)
        authors = parse_byline(line)
        if authors or wire:
            if not self.byline:
                self.byline = authors or (wire[0] if wire else [])
            if wire:
                self.affiliations.append(wire[1])
            dated = re.search(r"\b(?:Updated|Published|Posted)\b.*$", line)
            if dated and not self.published:
                self.published = date_line(dated.group(0), self.day_first)[1]
            return True
        is_date, published = date_line(line, self.day_first)
        if is_date:
            self.published = self.published or published
            signed = re.search(r"\b(?:by|por|par|von)\s+(\S.+)$", line, re.I)
            if signed and not self.byline:
                self.byline = parse_byline("By " + signed.group(1))
            return True
        bare = parse_byline(line, require_prefix=False) if len(line) < 100 else []
        if self.bare_names and not self.byline and bare and all(is_person_name(a.name) for a in bare):
            self.byline = bare
            self.after_bare_name = True
            return True
        return False

    def _affiliation(self, line: str) -> bool:
        """The line under a bare byline name: the writer's role, or "Outlet, Place"."""
        if len(line) >= 60 or line.endswith(".") or re.search(r"\d", line):
            return False
        head, comma, tail = (part.strip() for part in line.rpartition(","))
        if not comma:
            if is_role(line):
                self.byline[-1] = Author(self.byline[-1].name, line)
                return True
            return False
        if is_role(head):
            self.byline[-1] = Author(self.byline[-1].name, head)
            if not is_role(tail):
                self.affiliations.append(tail)
            return True
        if len(head.split()) <= 4 and head[:1].isupper():
            self.affiliations.append(head)
            return True
        return False

    def _image_line(self, line: str) -> bool:
        """BBC-style "Image source, X" / "Image caption, Y" pairs become one image."""
        found = find_caption_credit(line) if line.lower().startswith(("image source,", "photo source,")) else None
        if found:
            self._flush_pending_credit()
            self.pending_credit = found[1]
            return True
        if _IMAGE_CAPTION.match(line):
            self._add_image(None, _IMAGE_CAPTION.sub("", line), self.pending_credit)
            self.pending_credit = None
            return True
        return False

    def _flush_pending_credit(self) -> None:
        if self.pending_credit:
            self._add_image(None, None, self.pending_credit)
            self.pending_credit = None

    def _add_image(self, title: str | None, caption: str | None, credit: str | None) -> None:
        self.images.append(Image(title, caption, credit, after_paragraph=paragraphs_before(self.blocks)))

    def _content(self, lines: list[str]) -> None:
        self._flush_pending_credit()
        caption = find_caption_credit(lines[-1]) if len(lines[-1]) < 400 else None
        if caption and (len(lines) == 1 or (len(lines) == 2 and _is_short_title(lines[0]))):
            title = lines[0] if len(lines) == 2 else None
            self._add_image(title, caption[0] or None, caption[1])
            return
        if len(lines) == 1 and _is_heading(lines[0]):
            self.blocks.append(Block("h", "## " + escape_text(lines[0])))
            return
        if all(_BULLET.match(line) for line in lines):
            items = ["- " + escape_text(_BULLET.sub("", line)) for line in lines]
            self.blocks.append(Block("list", "\n".join(items)))
            return
        for paragraph in _paragraphs(lines):
            self.blocks.append(Block("p", escape_block_start(escape_text(paragraph))))


def _without_trailing_promos(blocks: list[Block], outlet: str | None) -> list[Block]:
    """Bullet promos that close the page ("• Comment on articles") are not the article's last list."""
    blocks = list(blocks)
    while blocks and blocks[-1].kind == "list" and boilerplate.is_promo_list(blocks[-1].text.split("\n"), outlet):
        blocks.pop()
    return blocks


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines of one block: a line ending mid-sentence was wrapped and continues on the next line."""
    paragraphs: list[str] = []
    joining = False
    for line in lines:
        if joining:
            paragraphs[-1] += " " + line
        else:
            paragraphs.append(line)
        joining = not re.search(r"[.!?:;…\"”»)]$", line)
    return paragraphs


def _is_short_title(line: str) -> bool:
    return len(line.split()) <= 12 and not _SENTENCE_END.search(line)


def _is_heading(line: str) -> bool:
    """A subheading: short, capitalised, not a sentence and not a quotation."""
    words = line.split()
    if not 1 <= len(words) <= 12 or len(line) > 90:
        return False
    if not (line[0].isupper() or line[0].isdigit()) or line[0] in "\"“'‘«„":
        return False
    if _SENTENCE_END.search(line) or ". " in line:
        return False
    return not (line.endswith("?") and len(words) > 8)


def _authors(byline: list[Author], bio: str | None) -> list[Author]:
    """Byline names, with role and bio from the "About the writer" block when it names the same person."""
    if not bio:
        return byline
    name, role, _ = bio_facts(bio)
    if not byline:
        return [Author(name, role, bio)] if name else []
    if len(byline) == 1 and (name is None or name == byline[0].name or bio.startswith(byline[0].name)):
        return [Author(byline[0].name, byline[0].role or role, bio)]
    return [Author(a.name, a.role or role, bio) if a.name == name else a for a in byline]

"""Read an article from plain text copied out of a browser or an app.

The first line is the title when the copy starts at the headline; a copy of a whole page starts above it, and
its headline is looked for above where the body begins, or left unknown (None) when nothing tells it. A line
directly under the headline (no blank line between) that is not a byline or a date is the standfirst
(subtitle). The rest is read block by block (blocks are separated by blank lines): header lines (byline, date)
feed front-matter; boilerplate is dropped; a caption ending in a credit becomes an image; a short line standing
alone that is not a sentence becomes a `##` heading; everything else is kept verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

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
_LONG_PARAGRAPH = 20  # words: a paragraph of the body, not a headline or a menu line
_ACCOUNT = re.compile(  # a page's account and paywall buttons ("Je m'abonne Je m'identifie", "Mail an Autor")
    r"\b(?:log ?in|sign ?in|sign ?up|m'abonne|m’abonne|m'identifie|m’identifie|abonnez-vous|connexion|anmelden|"
    r"registrieren|abonnieren|mail an|suscríbete|iniciar sesión|assine)\b", re.I)
_SKIP_LINK = re.compile(r"^skip (?:to|navigation)\b", re.I)
_UNSPACED_SCRIPT = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af]")  # CJK and Hangul
_SIGNED = re.compile(r"^(?:by|von|par|por|di|door)\s+\S+(?:\s+\S+){0,6}$", re.I)  # a byline the name rules refused
_RELATED = re.compile(
    r"^(?:related|more (?:on|from|about)|read more|see also|also read|mehr zum thema|lesen sie auch|weitere artikel|"
    r"lire aussi|à lire aussi|sur le même sujet|lee también|leia também|čtěte také)\b.{0,20}$", re.I)
_MOST_READ = re.compile(r"^(?:most read|most popular|trending|meistgelesen|les plus lus|lo más leído|mais lidas)\W*$", re.I)
_HEADLINE_REACH = 12  # lines above the body's first paragraph where its headline is looked for
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
    headline = first if not menu and _first_line_backed(lines, first, near_body=True) else _headline_index(lines, first)
    if headline is None and not menu and not _body_starts([line.strip() for line in lines if line.strip()]) \
            and _first_line_backed(lines, first, near_body=False):
        headline = first  # a short text: no body to find a headline above, and nothing against its first line
    if headline is None:
        return _read_body(lines[first:], None, menu=True, day_first=detect_language(text) in DAY_FIRST_LANGUAGES)
    clean = _clean_repeat(lines, headline)
    title = _punctuated(_without_badge(re.sub(r"\s+", " ", lines[clean]).strip(), lines), lines[max(0, clean - 12) : clean + 12])
    if len(title) > MAX_TITLE:
        raise SiteError.at(SourceLoc(origin, headline + 1), f"no title: the first line is {len(title)} characters long")
    rest = [line for index, line in enumerate(lines[headline + 1 :], headline + 1) if index != clean]
    above = [line for line in lines[first:headline] if line.strip()][-2:]
    return _read_body(rest, title, menu=menu, day_first=detect_language(text) in DAY_FIRST_LANGUAGES, above=above)


def _read_body(rest: list[str], title: str | None, *, menu: bool, day_first: bool, above: Sequence[str] = ()) -> Draft:
    """Everything under the headline; with the headline unknown (None), the whole copy, where no line under a
    headline can be told to be its standfirst, byline or date, so only the body's own evidence counts. The lines
    `above` a headline found below the copy's start (a date printed over it) count among its header lines."""
    votes = outlet_votes(rest)
    outlet = best_outlet(votes)
    repeats = Counter(line.strip() for line in rest if line.strip())
    reader = _Reader(outlet, repeats, bare_names=not menu, day_first=day_first)
    subtitle = None
    blocks = _blocks(rest)
    if title is not None and blocks and rest[0].strip():
        under_title = blocks[0].pop(0)
        subtitle = None if reader.header_line(under_title) else under_title
    for block in blocks:
        reader.feed(block)
    for affiliation in reader.affiliations:
        votes[affiliation] += 3  # the writer's own outlet, named under this byline: above any footer
    header = [*above, *rest[:_HEADER_LINES]] if title else []  # an unknown headline has no lines under it
    scanned_authors, scanned_date, conflicting = _header_facts(header, day_first)
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


def _first_line_backed(lines: list[str], first: int, *, near_body: bool) -> bool:
    """The copy starts at its headline: the first line is not a skip link, a notice or a credit; with
    `near_body`, nor a label or interface text, and the headline again, a byline, a date, a name alone or a
    paragraph follows within a few lines and the body's first long paragraph is close (a site's name over its
    tagline and a name in a menu is not a headline)."""
    texts = [line.strip() for line in lines[first:] if line.strip()][:_HEADLINE_REACH]
    head = texts[0]
    if "©" in head or _SKIP_LINK.match(head) or boilerplate.is_boilerplate(head, outlet=None):
        return False
    if not near_body:
        return True
    if _is_label(head) or head.split()[0].casefold().strip(".:") in INTERFACE_WORDS:
        return False
    if head in texts[1:3]:
        return True
    backed = any(_is_name_alone(text) for text in texts[1:4]) or any(_is_header(text) for text in texts[1:6]) \
        or any(len(text.split()) >= _LONG_PARAGRAPH for text in texts[1:4])
    return backed and any(len(text.split()) >= _LONG_PARAGRAPH for text in texts)


def _headline_index(lines: list[str], first: int) -> int | None:
    """Where the headline is. A copy may start above it (a whole page selected: logo, menus, section names,
    teasers), so the headline is looked for where the article's body begins (see _last_headline_before). When
    it cannot be told, None: the title is left for the reader to fill in rather than taken from a menu."""
    shown = [index for index in range(first, len(lines)) if lines[index].strip()]
    texts = [lines[index].strip() for index in shown]
    found = _headline_above(texts)
    return None if found is None else shown[found]


def _punctuated(title: str, near: list[str]) -> str:
    """The headline as printed once more nearby with the punctuation a copy lost where a kicker was set apart
    ("Kicker Headline", and in the breadcrumb "Kicker: Headline")."""
    words = re.findall(r"\w+", title.casefold())
    return next((line.strip() for line in near if line.strip() != title and len(line.strip()) > len(title)
                 and re.findall(r"\w+", line.casefold()) == words), title)


def _without_badge(title: str, lines: list[str]) -> str:
    """The headline without a badge the page prints after every teaser's title ("… Abonnés", "… Premium"): a
    last word that ends three other lines too."""
    head, _, badge = title.rpartition(" ")
    ending = [line for line in lines if line.strip() != title and line.rstrip().endswith(" " + badge)]
    ending = [line for line in ending if len(line.split()) >= 4]  # teasers' titles, not menu items ("Sky News")
    return head if badge.isalpha() and len(head.split()) >= 3 and len(ending) >= 3 else title


def _clean_repeat(lines: list[str], headline: int) -> int:
    """The headline printed again a few lines under, without a kicker glued before it ("KICKER Headline.")."""
    shown = [index for index in range(headline + 1, len(lines)) if lines[index].strip()][:10]
    return next((index for index in shown if _is_clean_repeat(lines[headline].strip(), lines[index].strip())), headline)


def _body_starts(texts: list[str]) -> list[int]:
    """Where a run of long paragraphs begins, in the copy's order: a long paragraph with another close under it
    and no headline-shaped line between (title and blurb after title and blurb is a list of teasers), or one right
    under a byline or a date."""
    long = [len(text.split()) >= _LONG_PARAGRAPH for text in texts]
    starts: list[int] = []
    last = None  # the last long paragraph of the run being read
    for n in (n for n in range(len(texts)) if long[n]):
        if last is not None and n - last <= 3:
            last = n
            continue  # inside a run already begun
        last = None
        followed = next((m for m in range(n + 1, min(n + 4, len(texts))) if long[m]), None)
        paragraphs = followed is not None and not any(_headline_shaped(text) for text in texts[n + 1 : followed])
        if paragraphs or any(_is_header(text) for text in texts[max(0, n - 3) : n]):
            starts.append(n)
            last = n
    return starts


def _headline_above(texts: list[str]) -> int | None:
    """The headline above the first run of paragraphs that has one, backed by a byline or a date, or else by the
    body right under it."""
    for body in _body_starts(texts):
        for needs_header in (True, False):
            found = _last_headline_before(texts, body, needs_header)
            if found is not None:
                return found
    return None


def _last_headline_before(texts: list[str], body: int, needs_header: bool) -> int | None:
    """The nearest line above the body shaped like a headline and backed by evidence: a byline or a date a few
    lines under it (before the body) or just above it, or (without `needs_header`, and for more than three words:
    a menu item is shorter) the body right under it (past a standfirst or a few buttons). Headlines under a
    "Related" label and the one right under "Most read" are other articles'; an item of a list, a subheading
    within a body (with no byline or date right under it) and a name under a bare "By" are no headline. A line
    with a byline right under it may be the standfirst, and a headline-shaped line just above it is then the
    headline."""
    top = max(0, body - _HEADLINE_REACH)
    label = next((n for n in range(body - 1, top - 1, -1) if _RELATED.match(texts[n])), None)
    below = body if label is None else label
    for n in range(below - 1, top - 1, -1):
        under = texts[n + 1] if n + 1 < len(texts) else ""
        if not _headline_shaped(texts[n]) or _in_list(texts, n) or (_mid_body(texts, n) and not _is_header(under)) \
                or (n and (_BARE_PREFIX.match(texts[n - 1]) or _MOST_READ.match(texts[n - 1]))):
            continue
        by_header = any(_is_header(text) for text in texts[max(0, n - 2) : min(body, n + 5)] if text != texts[n])
        between = texts[n + 1 : below]
        by_body = all(len(text.split()) <= 3 for text in between) or (len(between) == 1 and between[0].endswith("."))
        if not (by_header or (by_body and not needs_header and len(texts[n].split()) > 3)):
            continue
        above = next((m for m in range(n - 1, max(-1, n - 3), -1) if not _is_furniture(texts[m])), None)
        named_under = _is_byline(texts[n + 1]) or _is_name_alone(texts[n + 1])
        if above is not None and named_under and _headline_shaped(texts[above]) and not _is_label(texts[above]):
            return above
        return n
    return None


def _in_list(texts: list[str], n: int) -> bool:
    """Line n is one of four or more headline-shaped lines in a row: a list of links or of items."""
    shaped = [_headline_shaped(text) for text in texts[max(0, n - 3) : n + 4]]
    return any(all(shaped[k : k + 4]) and len(shaped[k : k + 4]) == 4 for k in range(len(shaped)))


def _mid_body(texts: list[str], n: int) -> bool:
    """Line n closely follows a long paragraph (right above it, or two close together a little higher): a
    subheading inside a body (the article's, or a teaser's text), not the headline above one."""
    long = [m for m in range(max(0, n - 7), n) if len(texts[m].split()) >= _LONG_PARAGRAPH]
    return bool(long) and (long[-1] >= n - 2 or (long[-1] >= n - 4 and any(long[-1] - m <= 3 for m in long[:-1])))


def _is_byline(line: str) -> bool:
    return bool(_BARE_PREFIX.match(line) or _SIGNED.match(line) or parse_byline(line))


def _is_name_alone(line: str) -> bool:
    """A person's name on a line of its own ("NATHANAEL JOHNSON"), as bylines under a standfirst are printed."""
    names = parse_byline(line, require_prefix=False) if len(line) < 40 else []
    return bool(names) and all(is_person_name(author.name) for author in names)


def _is_header(line: str) -> bool:
    """A byline, a bare "By" or a date line: what stands between a headline and its body. (A name alone is not
    enough: menus are full of capitalised pairs of words.)"""
    return _is_byline(line) or _line_date(line, False) is not None


def _is_furniture(line: str) -> bool:
    """Counters and reading times between a headline and its standfirst ("74 comments", "5 Minuten")."""
    return bool(re.search(r"\d", line)) and len(line.split()) <= 4 and not date_line(line)[0]


def _headline_shaped(line: str) -> bool:
    """A few words to a long sentence, in mixed case, that is not a byline, a date, a caption, a menu path or
    interface text."""
    words = line.split()
    if not 3 <= len(words) < _LONG_PARAGRAPH or len(line) > 250 or re.search(r"[.,;:|]$", line):
        return False
    if re.search(r"[^\W\d_]{3}\.\s+\S", line) or find_caption_credit(line):
        return False  # two sentences, or a photo's caption and credit
    if _ACCOUNT.search(line) or _is_label(line) or _is_furniture(line) or "©" in line \
            or words[0].casefold().strip(".:") in INTERFACE_WORDS:
        return False
    return not (_SIGNED.match(line) or parse_byline(line) or date_line(line)[0] or boilerplate.is_boilerplate(line, outlet=None))


def _is_label(line: str) -> bool:
    """A kicker, section name, breadcrumb or category list rather than a headline: short, in capitals, or items
    joined by separators. Chinese and Japanese headlines are written without spaces, so are not short for it."""
    short = len(line.split()) < 3 and not _UNSPACED_SCRIPT.search(line)
    if short or (line.isupper() and len(line.split()) > 1) or re.search(r"\s[|·/>»]\s", line):
        return True
    items = [item.strip() for item in line.split(",")]
    return len(items) >= 3 and all(item[:1].isupper() and len(item.split()) <= 3 for item in items)


def _is_clean_repeat(glued: str, line: str) -> bool:
    """`line` is `glued` without a kicker before it or a full stop after it."""
    bare = glued.rstrip(".")
    return line != glued and len(line.split()) >= 3 and bare.endswith(line) and len(line) >= 0.6 * len(bare)


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
            listed = any(earlier.endswith(":") for earlier in kept)  # items under "Topics of this article:"
            if (not listed and self.header_line(line)) or self._image_line(line):
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

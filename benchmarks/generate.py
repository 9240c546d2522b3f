"""A deterministic synthetic reading archive for benchmarks: articles, notes, entities.

`generate_archive(root, n, seed)` writes `root/sitegen.yaml` and `root/content/` with
`n` articles of about 900 words shaped like the bundled archive's (authors with roles
and bios, outlet, dates, tags, some credited images, `##` subheadings), about one note
per article whose quote is cut from the article's own text, a few hundred entities
whose names appear in that text, and wikilinks between notes, entities and articles.

Why it is built this way:
- Sentences are assembled from word lists with a seeded `random.Random` per document,
  so the same (n, seed) always gives byte-identical files, and article i is the same
  whatever n is (the N=1,000 archive is a prefix of the N=5,000 one).
- A quote that matches twice in its article is a build error, so every quote is checked
  to occur exactly once in the article's plain text (and once after folding case and
  quote marks); the note gets a longer span until it does.
- About one quote in ten is copied with curly quotes while the article has straight
  ones, so it anchors through the normalised tier, as real browser copies do.
- Slugs are kept apart per collection (articles end in a number, notes start with
  `note-`, entity slugs have no digits), so every bare `[[slug]]` is unambiguous.

Run as a script to write one archive: `python benchmarks/generate.py OUT_DIR --n 1000`.
"""

from __future__ import annotations

import argparse
import datetime
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ENTITY_COUNT = 300  # a few hundred people, organisations and places, whatever n is
WORDS_PER_ARTICLE = 900
START_DAY = datetime.date(2021, 1, 4)

FIRST_NAMES = (
    "Amara Benedikt Carla Dmitri Elena Farid Greta Hiroshi Ines Jonas Kamala Lars Mei Nadia Oscar Priya Quentin Rosa "
    "Samir Tamsin Ulrich Valeria Wendell Ximena Yusuf Zofia Adele Bruno Chiara Dario Esme Felix Goran Hana Ivo Jasmin "
    "Kenji Leona Marek Noor Otto Paloma Rafael Selin Tomas Una Viktor Willa Yara Zane"
).split()
LAST_NAMES = (
    "Abernathy Baptiste Castellano Delacroix Eriksen Fairweather Gallagher Holloway Ibarra Jaramillo Kowalczyk "
    "Lindqvist Marchetti Nakamura Okonkwo Pemberton Quintero Rasmussen Sandoval Thornbury Underwood Valdivia "
    "Whitlock Yamamoto Zielinski Ashcombe Brennan Carvalho Dunmore Echeverria Fitzgerald Grimaldi Hartigan Iversen "
    "Jovanovic Kessler Lombardi Montague Nyberg Ostrowski Pellegrini Quigley Rourke Szabo Takahashi Ulvaeus "
    "Vasquez Wojcik Yilmaz Zamora Alcott Blackwood Cromwell Draper Ellsworth Fontaine Greenhalgh Hawthorne Inglis "
    "Jessup Kincaid Lachance Mortimer Northcott Oyelaran Prescott Radcliffe Sinclair Trevelyan Urquhart Vickery "
    "Waverley Yardley Ainsworth Bellamy Cartwright Devereux Eastwood Falconer Gresham Harcourt Ingleby Kavanagh "
    "Lockhart Merriweather Norbury Oakley Pennington Redgrave Stanhope Tolliver Vance Wetherby Aldridge Bancroft "
    "Crowther Dalrymple Everhart Fenwick Galloway Hollister Kensington Lancaster Mayhew Nettleton Osgood Purcell"
).split()
PLACE_HEADS = "North West East South Ash Bright Cold Elder Fair Green High Iron Long Mill Oak Red Rock Salt Stone Wolf".split()
PLACE_TAILS = "brook ford haven mere moor port ridge stead vale wick field gate holm marsh water".split()
ORG_HEADS = (
    "Northern Coastal Federal Regional National Provincial Civic Maritime Highland Central Western Eastern Southern "
    "Metropolitan Continental Allied United Independent Rural Urban"
).split()
ORG_TOPICS = (
    "Grain Harbour Energy Water Transit Housing Forestry Fisheries Railway Health Labour Trade Mining Broadcasting "
    "Aviation Textile Pension Shipping Timber Dairy"
).split()
ORG_KINDS = "Council Authority Institute Alliance Commission Union Board Agency Foundation Cooperative".split()

NOUNS = (
    "budget ceasefire pipeline harvest tariff reservoir corridor subsidy treaty census audit blockade bridge levy "
    "mandate ledger quota archive convoy charter verdict tribunal referendum coalition dividend embargo manifesto "
    "inquiry forecast settlement strike surplus deficit ferry runway granary turbine reactor shipyard warehouse "
    "clinic courthouse garrison checkpoint border frontier pension mortgage loan contract licence permit petition "
    "ballot memo dossier briefing hearing amendment statute ordinance regulation framework proposal timetable "
    "schedule inventory stockpile shipment cargo freight tanker satellite antenna broadband network grid substation "
    "aquifer dam levee canal harbour lighthouse quarry mine smelter refinery foundry mill bakery orchard vineyard "
    "pasture meadow glacier delta estuary plateau valley"
).split()
PLURALS = (
    "officials negotiators farmers engineers auditors regulators investors residents workers inspectors teachers "
    "nurses drivers pilots miners fishermen traders lawyers judges envoys diplomats analysts economists scientists "
    "volunteers contractors landlords tenants shareholders lenders"
).split()
ADJECTIVES = (
    "contested delayed provisional sweeping modest costly fragile landmark disputed temporary regional sudden "
    "quiet lengthy binding narrow ambitious overdue revised leaked confidential preliminary final unexpected "
    "cautious bold stalled rushed secretive transparent partial limited seasonal annual emergency informal "
    "formal unanimous divided reluctant sharp gradual steep"
).split()
VERBS_PAST = (
    "approved rejected delayed announced questioned suspended expanded reviewed blocked endorsed criticised "
    "defended postponed revived abandoned audited financed inspected challenged negotiated drafted amended "
    "published withdrew signed vetoed investigated accelerated scrapped renewed"
).split()
VERBS_BASE = (
    "approve reject delay announce question suspend expand review block endorse defend postpone revive abandon "
    "audit finance inspect challenge negotiate draft amend publish sign veto investigate accelerate scrap renew"
).split()
TIMES = (
    "on Monday|on Tuesday|on Wednesday|on Thursday|on Friday|over the weekend|last week|earlier this month|"
    "late on Sunday|in the spring|before the summer recess|after the election|within hours|by the end of the year|"
    "during the night|at dawn|in a closed session|at a press conference|in a written statement|in a television interview"
).split("|")
ADVERBS = "sharply quietly abruptly repeatedly publicly privately reluctantly narrowly formally briefly".split()
CONNECTORS = (
    "Meanwhile|However|Still|Even so|At the same time|By contrast|In response|For now|Until then|As a result|"
    "Separately|Later|Before that|In the meantime|Critics noted that"
).split("|")
TOPIC_TAGS = (
    "energy water transport housing agriculture fisheries labour trade mining media aviation health courts "
    "elections budget climate diplomacy security infrastructure pensions"
).split()
NOTE_TAGS = "sourcing attribution numbers follow-up context disputed quotes timeline money people".split()
OUTLETS = (
    "Morning Ledger|Evening Courier|The Harbour Times|Valley Gazette|Northern Post|The Civic Review|Coastal Herald|"
    "The Weekly Dispatch|Metro Standard|The Observer Daily|Frontier Chronicle|Capital Bulletin|The Provincial|"
    "Rail and River|The Market Wire|Island Examiner|Plains Tribune|The Citizen|Hilltop Journal|Delta News"
).split("|")
ROLES = "Correspondent|Senior Reporter|Political Editor|Business Reporter|Staff Writer|Foreign Correspondent|Data Reporter".split("|")
AGENCIES = "Getty Images|Reuters|AP Photo|AFP|Bloomberg|Pool".split("|")


@dataclass(frozen=True)
class Entity:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...]


@dataclass
class ArticleText:
    """An article's paragraphs and headings, kept apart so quotes are cut from plain prose."""

    blocks: list[tuple[str, str]] = field(default_factory=list)  # ("p" | "h", text)

    @property
    def plain(self) -> str:
        """The text a reader sees: blocks joined by paragraph breaks, as the renderer's plain text."""
        return "\n\n".join(text for _, text in self.blocks)

    def markdown(self) -> str:
        return "\n\n".join(f"## {text}" if kind == "h" else text for kind, text in self.blocks) + "\n"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def a(word: str) -> str:
    """The word with its indefinite article."""
    return ("an " if word[0] in "aeiou" else "a ") + word


def fold(text: str) -> str:
    """Case and quote marks folded, as the normalised anchoring tier compares text."""
    return text.lower().translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"}))


def make_entities(seed: int) -> list[Entity]:
    """People, organisations and places with distinct names; people get their surname as alias."""
    rng = random.Random(f"{seed}:entities")
    people = rng.sample([(first, last) for first in FIRST_NAMES for last in LAST_NAMES], ENTITY_COUNT * 2 // 5)
    surnames_seen: set[str] = set()
    entities = []
    for first, last in people:
        alias = () if last in surnames_seen else (last,)
        surnames_seen.add(last)
        entities.append(Entity(slugify(f"{first} {last}"), f"{first} {last}", "person", alias))
    orgs = rng.sample([(h, t, k) for h in ORG_HEADS for t in ORG_TOPICS for k in ORG_KINDS], ENTITY_COUNT * 3 // 10)
    for head, topic, kind in orgs:
        name = f"{head} {topic} {kind}"
        entities.append(Entity(slugify(name), name, "organization", ()))
    places = rng.sample([h + t for h in PLACE_HEADS for t in PLACE_TAILS], ENTITY_COUNT - len(entities))
    for place in places:
        entities.append(Entity(slugify(place), place, "place", ()))
    return sorted(entities, key=lambda e: e.slug)


class Writer:
    """Sentences for one article, mentioning that article's chosen entities."""

    def __init__(self, rng: random.Random, people: list[Entity], orgs: list[Entity], places: list[Entity]):
        self.rng = rng
        self.people, self.orgs, self.places = people, orgs, places

    def pick(self, words):
        return self.rng.choice(words)

    def person(self) -> str:
        entity = self.pick(self.people)
        return entity.aliases[0] if entity.aliases and self.rng.random() < 0.3 else entity.name

    def subject(self) -> str:
        roll = self.rng.random()
        if roll < 0.35:
            return self.person()
        if roll < 0.65:
            return "The " + self.pick(self.orgs).name
        return f"{self.rng.randint(3, 900)} {self.pick(PLURALS)} in {self.pick(self.places).name}"

    def object(self) -> str:
        return f"the {self.pick(ADJECTIVES)} {self.pick(NOUNS)} {self.pick(('for', 'near', 'outside', 'north of', 'across'))} {self.pick(self.places).name}"

    def sentence(self) -> str:
        r = self.rng
        form = r.randrange(7)
        if form == 0:
            text = f"{self.subject()} {self.pick(VERBS_PAST)} {self.object()} {self.pick(TIMES)}"
        elif form == 1:
            text = (
                f"\"We will not {self.pick(VERBS_BASE)} the {self.pick(NOUNS)} until the {self.pick(NOUNS)} is {self.pick(ADJECTIVES)},\" "
                f"{self.person()} said {self.pick(TIMES)}"
            )
        elif form == 2:
            org = self.pick(self.orgs).name
            text = f"The {org}'s {self.pick(NOUNS)} {self.pick(ADVERBS)} {self.pick(VERBS_PAST)} {self.object()}, costing {r.randint(2, 990)} million"
        elif form == 3:
            text = f"{self.pick(CONNECTORS)}, {self.subject().replace('The ', 'the ', 1)} {self.pick(VERBS_PAST)} {a(self.pick(ADJECTIVES))} {self.pick(NOUNS)} and {self.pick(VERBS_PAST)} the {self.pick(NOUNS)}"
        elif form == 4:
            text = (
                f"According to {self.person()}, the {self.pick(NOUNS)} in {self.pick(self.places).name} was {self.pick(ADJECTIVES)} "
                f"because {r.randint(2, 98)} percent of {self.pick(PLURALS)} {self.pick(VERBS_PAST)} it {self.pick(TIMES)}"
            )
        elif form == 5:
            text = (
                f"\"It is {a(self.pick(ADJECTIVES))} {self.pick(NOUNS)}, and the {self.pick(PLURALS)} know it,\" said {self.person()}, "
                f"who {self.pick(VERBS_PAST)} the {self.pick(NOUNS)} {self.pick(TIMES)}"
            )
        else:
            text = f"{self.subject()} {self.pick(ADVERBS)} {self.pick(VERBS_PAST)} plans to {self.pick(VERBS_BASE)} {self.object()} {self.pick(TIMES)}"
        return text[0].upper() + text[1:] + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 5)))

    def heading(self) -> str:
        return f"{self.pick(ADJECTIVES).capitalize()} {self.pick(NOUNS)} in {self.pick(self.places).name}"


def article_text(writer: Writer, words: int) -> ArticleText:
    text = ArticleText()
    count = 0
    headings_due = sorted(writer.rng.sample(range(words // 5, words - 100), 2))
    headings: set[str] = set()
    while count < words:
        if headings_due and count >= headings_due[0]:
            headings_due.pop(0)
            heading = writer.heading()
            if heading not in headings:  # unique headings give stable, suffix-free ids
                headings.add(heading)
                text.blocks.append(("h", heading))
        paragraph = writer.paragraph()
        text.blocks.append(("p", paragraph))
        count += len(paragraph.split())
    return text


def curly(quote: str) -> str:
    """The quote as a browser copy with typographic quotes."""
    out, opening = [], True
    for char in quote:
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        elif char == "'":
            out.append("\u2019")
        else:
            out.append(char)
    return "".join(out)


def cut_quote(rng: random.Random, text: ArticleText, want_curly: bool) -> tuple[str, str | None]:
    """A quote that occurs exactly once in the article (also after folding), and its prefix.

    Returns (quote as the note stores it, prefix or None). Curly quotes are asked for
    from sentences that hold straight quote marks.
    """
    plain = text.plain
    folded_plain = fold(plain)
    paragraphs = [t for kind, t in text.blocks if kind == "p"]
    for _ in range(200):
        paragraph = rng.choice(paragraphs)
        sentences = re.findall(r"[^.]+\.", paragraph)
        candidates = [s.strip() for s in sentences if ('"' in s or "'" in s)] if want_curly else [s.strip() for s in sentences]
        if not candidates:
            continue
        sentence = rng.choice(candidates)
        words = sentence.split(" ")
        if want_curly:
            quote = sentence  # the whole sentence, so its quote marks are inside the span
        else:
            length = min(len(words), rng.randint(8, 18))
            start = rng.randrange(len(words) - length + 1)
            quote = " ".join(words[start : start + length])
        if plain.count(quote) == 1 and folded_plain.count(fold(quote)) == 1:
            stored = curly(quote) if want_curly else quote
            prefix = None
            if rng.random() < 0.05:
                before = plain[: plain.index(quote)]
                prefix = before[-24:] or None
            return stored, prefix
    raise RuntimeError("no unique quote found; the word lists are too small for this article")


def front_matter(data: dict) -> str:
    return "---\n" + yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000) + "---\n"


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


def generate_archive(root: Path, n: int, seed: int = 0) -> dict[str, int]:
    """Write an archive of `n` articles into `root` (content/ is replaced). Returns file counts."""
    root = Path(root)
    content = root / "content"
    for folder in ("articles", "notes", "entities"):
        target = content / folder
        if target.exists():
            for old in target.glob("*.md"):
                old.unlink()
        target.mkdir(parents=True, exist_ok=True)
    write(root / "sitegen.yaml", "title: Benchmark archive\nbase_url: https://example.org/\nlanguage: en\n")

    entities = make_entities(seed)
    people = [e for e in entities if e.kind == "person"]
    orgs = [e for e in entities if e.kind == "organization"]
    places = [e for e in entities if e.kind == "place"]
    author_rng = random.Random(f"{seed}:authors")
    author_pool = [
        {
            "name": f"{author_rng.choice(FIRST_NAMES)} {author_rng.choice(LAST_NAMES)}",
            "role": author_rng.choice(ROLES),
            "outlet": author_rng.choice(OUTLETS),
        }
        for _ in range(max(10, n // 8))
    ]
    author_pool = list({a["name"]: a for a in author_pool}.values())

    note_slugs: list[str] = []
    counts = {"articles": 0, "notes": 0, "entities": 0}
    for i in range(n):
        rng = random.Random(f"{seed}:article:{i}")
        cast = Writer(rng, rng.sample(people, 4), rng.sample(orgs, 3), rng.sample(places, 3))
        text = article_text(cast, WORDS_PER_ARTICLE)
        title = f"{cast.pick(cast.orgs).name} {cast.pick(VERBS_PAST)} {cast.pick(ADJECTIVES)} {cast.pick(NOUNS)} plan"
        slug = f"{slugify(title)[:60].rstrip('-')}-{i}"
        authors = rng.sample(author_pool, 1 if rng.random() < 0.8 else 2)
        outlet = authors[0]["outlet"]
        archived = START_DAY + datetime.timedelta(days=i % 1400)
        meta: dict = {
            "title": title,
            "subtitle": cast.sentence() if rng.random() < 0.3 else None,
            "authors": [
                {"name": a["name"], "role": a["role"], "bio": f"{a['name']} is a {a['role']} for {a['outlet']}."} for a in authors
            ],
            "outlet": outlet,
            "source_url": f"https://news.example.com/{slugify(outlet)}/{slug}" if rng.random() < 0.7 else None,
            "published": archived - datetime.timedelta(days=rng.randint(0, 30)) if rng.random() < 0.85 else None,
            "archived": archived,
            "language": "en",
            "tags": sorted(set(rng.sample(TOPIC_TAGS, rng.randint(1, 4)))),
            "images": [],
        }
        if rng.random() < 0.3:
            photographer = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            agency = rng.choice(AGENCIES)
            meta["images"].append(
                {
                    "title": cast.heading(),
                    "caption": cast.sentence(),
                    "credit": f"{photographer}/{agency}",
                    "photographer": photographer,
                    "agency": agency,
                    "src": None,
                    "alt": None,
                    "after_paragraph": rng.randint(1, 6),
                }
            )
        write(content / "articles" / f"{slug}.md", front_matter(meta) + "\n" + text.markdown())
        counts["articles"] += 1

        mentioned = cast.people + cast.orgs + cast.places
        created = archived + datetime.timedelta(days=rng.randint(0, 10))
        if rng.random() < 0.92:
            quote, prefix = cut_quote(rng, text, want_curly=rng.random() < 0.1)
            note_slug = f"note-{i}-{slugify(' '.join(quote.split()[:5]))[:40].rstrip('-')}"
            note_meta = {"article": slug, "quote": quote}
            if prefix:
                note_meta["prefix"] = prefix
        else:
            note_slug = f"note-{i}-about-the-article"
            note_meta = {"title": f"What {title} leaves out", "article": slug}
        note_meta["tags"] = rng.sample(NOTE_TAGS, rng.randint(1, 2))
        note_meta["created"] = created
        body = note_body(rng, mentioned, note_slugs, slug, text)
        write(content / "notes" / f"{note_slug}.md", front_matter(note_meta) + body)
        note_slugs.append(note_slug)
        counts["notes"] += 1

        if i % 25 == 24:  # a standalone note now and then, tying earlier notes together
            standalone = f"note-{i}-thread"
            links = ", ".join(f"[[{s}]]" for s in rng.sample(note_slugs, min(6, len(note_slugs))))
            entity_links = " and ".join(f"[[{e.slug}]]" for e in rng.sample(entities, 3))
            write(
                content / "notes" / f"{standalone}.md",
                front_matter({"title": f"Thread {i // 25 + 1}: {cast.pick(NOUNS)} and {cast.pick(NOUNS)}", "tags": ["threads"], "created": created})
                + f"Notes that belong together: {links}.\n\nThe people and places that keep coming back: {entity_links}.\n\n"
                + f"## Open questions\n\n{cast.sentence()}\n",
            )
            note_slugs.append(standalone)
            counts["notes"] += 1

    for entity in entities:
        rng = random.Random(f"{seed}:entity:{entity.slug}")
        meta = {"name": entity.name, "kind": entity.kind}
        if entity.aliases:
            meta["aliases"] = list(entity.aliases)
        related = rng.choice([e for e in entities if e.slug != entity.slug])
        body = f"A {entity.kind} that appears in many of the saved articles; often mentioned with [[{related.slug}]].\n"
        write(content / "entities" / f"{entity.slug}.md", front_matter(meta) + body)
        counts["entities"] += 1
    return counts


def note_body(rng: random.Random, mentioned: list[Entity], earlier_notes: list[str], article_slug: str, text: ArticleText) -> str:
    """Two or three short paragraphs of commentary with wikilinks to entities, notes and the article."""
    who = rng.sample(mentioned, 2)
    lines = [
        f"This matters for [[{who[0].slug}]] more than the piece admits; compare what it says about [[{who[1].slug}|{who[1].name}]].",
    ]
    if earlier_notes:
        lines.append(f"It echoes [[{rng.choice(earlier_notes)}]], written about an earlier story.")
    headings = [t for kind, t in text.blocks if kind == "h"]
    if headings and rng.random() < 0.3:
        lines.append(f"The section [[{article_slug}#{slugify(headings[0])}|{headings[0]}]] gives the background.")
    lines.append(f"Follow up: check the {rng.choice(NOUNS)} figures against the {rng.choice(NOUNS)} published {rng.choice(TIMES)}.")
    return "\n" + "\n\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a synthetic reading archive for benchmarks.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--n", type=int, default=1000, help="number of articles (default 1000)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    counts = generate_archive(args.root, args.n, args.seed)
    print(f"wrote {counts['articles']} articles, {counts['notes']} notes, {counts['entities']} entities into {args.root}/content/")


if __name__ == "__main__":
    main()

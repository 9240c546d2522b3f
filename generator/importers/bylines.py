"""Read authors from bylines and "About the writer" blocks.

Bylines come in many languages and shapes ("By X and Y", "Por X", "X, Reuters", "By X, Science Editor"), and a
wrong author is worse than none, so every candidate must look like a person's name before it is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .credits import is_agency, is_person_name

_BY = re.compile(
    r"^(?:by|written by|words by|reporting by|por|par|von|di|door|(?:von |by )?autor(?:ka|in)?:?|text:?|napsal(?:a)?|texto:?|"
    r"textes?:?|de|بقلم:?|מאת:?)\s+(.+)$|^(?:记者|記者)[：:\s]*(.+)$",
    re.I,
)
_AND = re.compile(r"\s*(?:,\s*(?:and|und|et|y|e|a)\s+|\s+(?:and|und|et|y|e|a)\s+|\s*&\s*|,\s*)\s*")
_ROLE_WORDS = re.compile(
    r"\b(correspondent|editor|reporter|writer|columnist|journalist|critic|producer|analyst|contributor|staff|"
    r"chief|bureau|corresponsal|redactor|redactora|periodista|journaliste|rédacteur|rédactrice|envoyée?|"
    r"korrespondent(?:in)?|redakteur(?:in)?|autor(?:in)?|repórter|jornalista|correspondente|redaktor(?:ka)?|"
    r"zpravodaj(?:ka)?|reportér(?:ka)?|spolupracovník)\b",
    re.I,
)
_CAPITALISED_WORD = r"[A-Z][\w&'’-]*(?:\.[\w&'’-]+)*"
_CAPITALISED = rf"(?:The |the )?{_CAPITALISED_WORD}(?: (?:of |and |& |de )?{_CAPITALISED_WORD}){{0,4}}"
_BIO_ROLE = re.compile(
    r"^(?P<name>[^.,]{3,60}?) (?:is|was|est|es|ist|é|je) (?:a|an|the|un|une|una|um|uma|ein|eine|der|die|la|le|el|o)?\s*"
    r"(?P<role>[^.,;]{3,80}?) (?:for|at|with|of|pour|à|au|para|de|del|da|do|bei|für|v|ve|pro)\s+"
    rf"(?P<org>{_CAPITALISED})\b"
)
# Words of a page's interface that land next to bylines ("Ad Feedback", "Read Later", "More Options",
# "SHOW ALL ARTICLES OF"): no person's name is made of them.
INTERFACE_WORDS = frozenset("""
ad ads advertisement feedback read later more options show all articles article follow share comments comment
print email e-mail subscribe newsletter login sign menu search home skip close next previous related recommended
view profile toggle click like tweet save listen watch video gallery live updated published posted
mehr lesen teilen anzeige merken partager lire suivre compartir leer seguir
""".split())
_RUN_IN_CAPITALS = re.compile(r"[A-Z]{2,}[A-Z][a-z]")  # "OFMaximilian": a label glued to a name
_TRUNCATED = re.compile(r"\s*(?:\.\.\.|…)?\s*(?:Read more|Read More|Show more|More)\s*$")


@dataclass(frozen=True, slots=True)
class Author:
    name: str
    role: str | None = None
    bio: str | None = None

    def as_dict(self) -> dict:
        return {"name": self.name, "role": self.role, "bio": self.bio}


def parse_byline(line: str, *, require_prefix: bool = True, structured: bool = False) -> list[Author]:
    """Authors named by one byline line; [] unless every name found looks like a person's name.

    `structured` names come from metadata fields that only ever hold author names (JSON-LD, meta author), so
    names in scripts without capital letters (Arabic, Hebrew, CJK) are accepted there.
    """
    text = re.sub(r"\s+", " ", line).strip().strip("|·•-–— ")
    match = _BY.match(text)
    if match:
        text = match.group(1) or match.group(2)
    elif require_prefix:
        return []
    text = re.split(
        r"\s+(?:\||·|•|–|—|-)\s+|\s{2,}|\s+(?:in|en|à|aus|z|ze)\s+[A-Z]\w+$|"
        r"\s+(?:Updated|Published|Posted|Publié|Actualizado|Aktualisiert|Aktualizováno|Atualizado|on)\b|"
        r"\s+(?:am|le|el|il|on)\s+(?=\d)",
        text,
    )[0]
    text = re.sub(r"\s*\((?:[^()]*)\)\s*$", "", text).strip(" ,;")
    text = re.split(r"\s+for\s+", text, flags=re.I)[0]
    if match:
        text = re.sub(r",\s*[A-Z][\w-]+$", lambda place: "" if not is_agency(place.group(0)[1:]) else place.group(0), text)
    return _names_with_roles(text, structured or bool(match))


def _names_with_roles(text: str, structured: bool = False) -> list[Author]:
    """Split "X, Role and Y" / "X and Y, Reuters" into authors; an agency suffix is dropped, not a name."""
    parts = [p.strip() for p in _AND.split(text) if p and p.strip()]
    if any(_looks_like_interface(part) for part in parts):
        return []
    authors: list[Author] = []
    for part in parts:
        if authors and authors[-1].role is None and _ROLE_WORDS.search(part) and len(part) < 60:
            authors[-1] = Author(authors[-1].name, part)
        elif is_person_name(_display_case(part)) or structured and _uncased_name(part):
            authors.append(Author(_display_case(part)))
        elif authors and (is_agency(part) or re.fullmatch(r"[A-Z]{2,6}", part)):
            continue
        else:
            return []
    return authors


def _looks_like_interface(text: str) -> bool:
    """Words of a page's buttons and menus, or a label glued to what follows it."""
    return bool(_RUN_IN_CAPITALS.search(text)) or any(word.casefold().strip(".:") in INTERFACE_WORDS for word in text.split())


def _uncased_name(text: str) -> bool:
    """A name in a script without letter case: one to five words, or a short run of CJK characters."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and not any(c.isascii() for c in letters) and len(text.split()) <= 5 and len(text) <= 40


def _display_case(name: str) -> str:
    """Bylines printed in capitals ("By ANNA KOVAL") are names in title case."""
    return name.title() if name.isupper() else name


def wire_byline(line: str) -> tuple[list[Author], str] | None:
    """"Jane Doe, Reuters" or "By Jane Doe | AFP": authors plus the agency that filed the story.

    Without a "By" prefix any short organisation name is accepted ("Jan Novák, Právo"); with one, a single
    word after the comma is more often the writer's city ("Von Klaus Weber, Frankfurt") and must be an agency.
    """
    line = re.sub(r"\s+", " ", line).strip()
    prefixed = _BY.match(line)
    unprefixed = (prefixed.group(1) or prefixed.group(2)) if prefixed else line
    match = re.match(r"^(.+?)\s*(?:,|\||–|—)\s*([A-Z][\w .&'-]{1,30})$", unprefixed)
    if not match:
        return None
    organisation = match.group(2).strip()
    known = is_agency(organisation) or re.fullmatch(r"[A-Z]{2,6}", organisation)
    if not known and (prefixed or len(organisation.split()) > 3 or is_person_name(organisation)):
        return None
    authors = _names_with_roles(match.group(1))
    return (authors, organisation) if authors else None


def clean_bio(text: str) -> str:
    """A bio without the "… Read more" teaser tail: the cut sentence is dropped, whole sentences kept."""
    text = re.sub(r"\s+", " ", text).strip()
    if _TRUNCATED.search(text) or text.endswith(("...", "…")):
        text = _TRUNCATED.sub("", text).rstrip(".… ")
        ends = [m.end() for m in re.finditer(r"[.!?](?=\s|$)", text)]
        text = text[: ends[-1]] if ends else text
    return text.strip()


def is_role(text: str) -> bool:
    """A job title such as "Science editor" or "Corresponsal en Bruselas"."""
    return len(text) < 60 and bool(_ROLE_WORDS.search(text)) and not re.search(r"[.!?]$", text)


def bio_facts(bio: str) -> tuple[str | None, str | None, str | None]:
    """(name, role, organisation) from a bio's first sentence, "X is a Role for Org."."""
    match = _BIO_ROLE.match(bio)
    if not match or not is_person_name(match.group("name")):
        return None, None, None
    role = match.group("role").strip()
    role = role if len(role.split()) <= 6 else None
    return match.group("name"), role, match.group("org").strip()

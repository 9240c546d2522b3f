"""Authors' names split into the parts that citation formats ask for.

Reference managers and citation processors print a person as "Bush, Daniel" or "Bush, D."
only when they are told which part is the family name; a name given whole (CSL's `literal`,
a braced BibTeX name) is printed whole, which is right for an organisation and wrong for a
person. The split comes from `nameparser`, and only where the name supports it: a name is
kept whole when the reader marked the author as an organisation, when it names the outlet
("Newsweek Staff"), when it is one word, when it holds anything but letters and the marks of
a personal name, or when it is written in a script other than Latin, Greek or Cyrillic (a
Chinese name has no space between family and given name, and an Arabic one's parts are not
a given/family pair: any split would be a guess). docs/articles.md says the same for readers.

Particles ("van", "von der", "de la") written in lower case before the family name stay with
it ("van Gogh, Vincent", CSL's non-dropping particle) unless the reader wrote the name
inverted with the particle last ("Beethoven, Ludwig van"), which is how the dropping kind is
asked for. Titles ("Dr.", "Sir"), nicknames and degrees ("PhD") are left out: no citation
style prints them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from nameparser import HumanName
from nameparser.config import CONSTANTS

from generator.records import Author

_SCRIPTS_WITH_WESTERN_ORDER = ("LATIN", "GREEK", "CYRILLIC")
_NAME_PUNCTUATION = frozenset(" .-'’,")
_NOT_A_PERSON_FIRST_WORDS = frozenset({"the"})
_CONJUNCTIONS = frozenset({"and", "&"})


@dataclass(frozen=True, slots=True)
class CitedName:
    """An author as a citation names them: `literal` for a name kept whole, else its parts."""

    literal: str | None = None
    family: str = ""
    given: str = ""
    particle: str = ""  # "van", "von der": lower-case words before the family name
    particle_drops: bool = False  # printed "Beethoven, Ludwig van" rather than "van Beethoven, Ludwig"
    suffix: str = ""  # "Jr.", "III"

    @property
    def full_family(self) -> str:
        """The family name with its particle, as it stands in running text: "van Gogh"."""
        return f"{self.particle} {self.family}" if self.particle else self.family


def cited_name(author: Author, outlet: str | None) -> CitedName:
    """How citations name `author` of an article from `outlet` (None: unknown)."""
    return _cited_name(author.name, author.organization, outlet or "")


@functools.lru_cache(maxsize=8192)
def _cited_name(name: str, organization: bool, outlet: str) -> CitedName:
    """Cached: a bibliography and every article page's Cite section ask for the same names."""
    whole = CitedName(literal=name)
    words = name.split()
    if organization or len(words) < 2 or _names_outlet(name, outlet) or not _is_western_personal_name(name):
        return whole
    if words[0].casefold() in _NOT_A_PERSON_FIRST_WORDS or any(word.casefold() in _CONJUNCTIONS for word in words):
        return whole
    parsed = HumanName(name)
    given = " ".join(part for part in (parsed.first, parsed.middle) if part)
    family_words = list(parsed.last_list)
    particle_words = []
    while len(family_words) > 1 and family_words[0].islower() and family_words[0] in CONSTANTS.prefixes:
        particle_words.append(family_words.pop(0))
    if not given or not family_words:
        return whole
    particle = " ".join(particle_words)
    suffix = " ".join(word for word in parsed.suffix_list if _letters(word) not in CONSTANTS.suffix_acronyms)
    return CitedName(
        family=" ".join(family_words),
        given=given,
        particle=particle,
        particle_drops=bool(particle) and _written_last(name, particle),
        suffix=suffix,
    )


def _names_outlet(name: str, outlet: str) -> bool:
    """True for a byline naming the publication itself ("Newsweek Staff", "BBC News"): a desk, not a person."""
    return bool(outlet.strip()) and re.search(rf"(?<!\w){re.escape(outlet.strip())}(?!\w)", name, re.IGNORECASE) is not None


def _is_western_personal_name(name: str) -> bool:
    """Letters of the Latin, Greek or Cyrillic scripts (given name first, family name last), with
    the punctuation names use; digits, '&', '/', parentheses and other scripts say otherwise."""
    for char in name:
        if char in _NAME_PUNCTUATION or unicodedata.category(char).startswith("M"):
            continue
        if not char.isalpha() or not unicodedata.name(char, "").startswith(_SCRIPTS_WITH_WESTERN_ORDER):
            return False
    return True


def _written_last(name: str, particle: str) -> bool:
    """True when the name is written inverted with the particle at the end: "Beethoven, Ludwig van"."""
    parts = [part.split() for part in name.split(",")]
    return len(parts) >= 2 and " ".join(parts[1][-len(particle.split()) :]) == particle and len(parts[1]) > len(particle.split())


def _letters(word: str) -> str:
    return "".join(char for char in word if char.isalnum()).lower()

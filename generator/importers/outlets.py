"""Name the outlet from the article's own text.

Copied articles carry their publisher's boilerplate ("To read how Newsweek uses AI…", "(Reuters) -", "© 2024 Le
Monde", "Newsweek cover"). Each such line is a vote; the most voted name wins, so one stray match cannot decide.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Iterable

from .bylines import bio_facts

WIRE_CODES = {
    "Reuters": "Reuters", "AP": "Associated Press", "AFP": "AFP", "dpa": "dpa", "EFE": "EFE", "ČTK": "ČTK",
    "Bloomberg": "Bloomberg", "ANSA": "ANSA", "Lusa": "Lusa",
}
_WORD = r"[A-Z0-9ČŘŠŽÉ][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?P<name>(?:The |Le |La |Der |Die |El |O |A )?{_WORD}(?:(?: and| &| of| de| du| la)? {_WORD}){{0,3}})"
_DATELINE = re.compile(r"\((?P<code>" + "|".join(WIRE_CODES) + r")\)\s*[-–—]")
_VOTES = (
    re.compile(rf"^To read how {_NAME} uses AI"),
    re.compile(rf"^(?:(?:©|Copyright|\(c\))\s*)+(?:\d{{4}}\s*)?{_NAME}"),
    re.compile(rf"^Follow {_NAME} on "),
    re.compile(rf"\b(?:Subscribe to|Sign up (?:for|to)|Suscríbete a|Abonnez-vous à|Assine (?:a|o)|Předplaťte si) (?:the |our )?{_NAME}\b(?![\w ]*,? our\b)"),
    re.compile(rf"^Our Standards: The Thomson {_NAME} Trust Principles"),
    re.compile(rf"^(?:More from|Más de|Plus de|Mehr von|Více z|Mais de) {_NAME}$"),
    re.compile(rf"^{_NAME} (?:newsletter|Newsletter)s?\b"),
)


def outlet_votes(lines: Iterable[str]) -> Counter:
    """Outlet names voted for by boilerplate and datelines in `lines`."""
    votes: Counter = Counter()
    for line in lines:
        line = line.strip()
        dateline = _DATELINE.search(line[:160])
        if dateline:
            votes[WIRE_CODES[dateline.group("code")]] += 2
        for pattern in _VOTES:
            match = pattern.search(line)
            if match:
                votes[_clean(match.group("name"))] += 1
        _, _, org = bio_facts(line)
        if org:
            votes[_clean(org)] += 1
    return votes


def best_outlet(votes: Counter) -> str | None:
    """The most voted outlet name, or None when nothing voted."""
    return votes.most_common(1)[0][0] if votes else None


def _clean(name: str) -> str:
    """'The Sun's' → 'The Sun'; 'The Telegraph 2024' → 'The Telegraph'; corporate suffixes dropped."""
    name = re.sub(r"(?:'s|’s)$", "", name.strip())
    name = re.sub(r"\s+\d{4}$", "", name)
    name = re.sub(r"\s+(?:Ltd|Limited|Inc|LLC|GmbH|S\.A|a\.s)\.?$", "", name, flags=re.I)
    return name.rstrip(".,;: ")

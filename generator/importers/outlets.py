"""Name the outlet from the article's own text.

Copied articles carry their publisher's boilerplate ("To read how Newsweek uses AI…", "(Reuters) -", "© 2024 Le
Monde", "Newsweek cover"). Each such line is a vote; the most voted name wins, so one stray match cannot decide.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .bylines import bio_facts

WIRE_CODES = {
    "Reuters": "Reuters", "AP": "Associated Press", "AFP": "AFP", "dpa": "dpa", "EFE": "EFE", "ČTK": "ČTK",
    "Bloomberg": "Bloomberg", "ANSA": "ANSA", "Lusa": "Lusa",
}
_WORD = r"[A-Z0-9ČŘŠŽÉ][\w&'’-]*(?:\.[\w&'’-]+)*"
_NAME = rf"(?P<name>(?:The |Le |La |Der |Die |El |O |A )?{_WORD}(?:(?: and| &| of| de| du| la)? {_WORD}){{0,3}})"
_DATELINE = re.compile(r"\((?P<code>" + "|".join(WIRE_CODES) + r")\)\s*[-–—]")
_STRONG = (  # the publisher naming itself
    re.compile(rf"^To read how {_NAME} uses AI"),
    re.compile(rf"^Follow {_NAME} on "),
    re.compile(rf"\b(?:Subscribe to|Sign up (?:for|to)|Suscríbete a|Abonnez-vous à|Assine (?:a|o)|Předplaťte si) (?:the |our )?{_NAME}\b(?![\w ]*,? our\b)"),
    re.compile(rf"^Our Standards: The Thomson {_NAME} Trust Principles"),
)
_WEAK = (  # as often a section, a newsletter's own name or an author's employer as the outlet
    re.compile(rf"^(?:More from|Más de|Plus de|Mehr von|Více z|Mais de) {_NAME}$"),
    re.compile(rf"^{_NAME} (?:newsletter|Newsletter)s?\b"),
)
# "© 2024 Le Monde", "Copyright The Telegraph 2024", "© 2006-2034 jovelblog": the holder, first word in any case.
_COPYRIGHT = re.compile(
    r"^(?:(?:©|Copyright|\(c\))\s*)+(?:(?:19|20)\d{2}(?:\s*[-–]\s*(?:(?:19|20)\d{2})?)?\s*)?"
    rf"(?P<name>(?:The |Le |La |Der |Die |El |O |A )?[^\W\d_][\w&'’-]*(?:\.[\w&'’-]+)*(?:(?: and| &| of| de| du| la)? {_WORD}){{0,3}})"
)
# A prompt for a newsletter names the newsletter ("Sign up for the Daily Briefing email"), not the publication.
_NEWSLETTER = re.compile(r"\b(?:newsletters?|e-?mails?|inbox|briefing|digest|Newsletter|boletín|lettre)\b", re.I)
_YEAR = re.compile(r"(?<![\d.])(?:19|20)\d{2}(?![\d.])")
_LEGAL_FORM = re.compile(r"[\s,](?:Ltd|Limited|Inc|LLC|GmbH|AG|S\.A|a\.s|plc|Corp|Corporation)\b")
_OWNER = re.compile(
    r"\s(?:Networks?|Group|Groupe|Gruppe|Mediengruppe|Verlag|Verlagsgruppe|Medien|Holdings?|Publishing|"
    r"Communications|Foundation|Editorial|L\.?P)\.?$"
)
_NOT_NAMES = {"la", "le", "el", "the", "our", "e-mail", "email", "daily", "weekly", "free", "all"}


def outlet_votes(lines: Iterable[str]) -> Counter:
    """Outlet names voted for by boilerplate and datelines in `lines`: two votes for the publisher naming itself
    (a footer's copyright, "Subscribe to ..."), one for weaker hints (an author's employer, "More from ...", a
    newsletter's name, a wire agency's dateline, which names who filed the story
    and not always who published it), which alone do not name the outlet (see best_outlet); none for a prompt to
    sign up for a newsletter that names only the newsletter. A line printed twice votes once.

    A copyright line votes only as a footer writes it, with a year: "© Name" alone credits a photo; and not for
    a company's legal name ("... GmbH", "... Inc."), which is the owner, not the publication read. It votes twice
    only when the copy names the holder elsewhere too (see _named_elsewhere), else once."""
    votes: Counter = Counter()
    distinct = list(dict.fromkeys(line.strip() for line in lines))
    for line in distinct:  # a paragraph printed twice is one piece of evidence
        dateline = _DATELINE.search(line[:160])
        if dateline:
            votes[WIRE_CODES[dateline.group("code")]] += 1
        for weight, patterns in ((2, _STRONG), (1, _WEAK)):
            for pattern in patterns:
                match = pattern.search(line)
                if match:
                    _vote(votes, match.group("name"), _newsletter_weight(match.group("name"), weight) if _NEWSLETTER.search(line) else weight)
        holder = _COPYRIGHT.search(line)
        if holder and _YEAR.search(line) and not _LEGAL_FORM.search(line[holder.start("name") : holder.end() + 12]) and line[holder.end():].lstrip()[:1] != "/":
            _vote(votes, holder.group("name"), 2 if _named_elsewhere(_clean(holder.group("name")), distinct, line) else 1)
        _, _, org = bio_facts(line)
        if org:
            _vote(votes, org, 1)
    return votes


def _named_elsewhere(name: str, lines: list[str], footer: str) -> bool:
    """`name`, or its initials ("DW" for "Deutsche Welle"), on another line than the copyright `footer`: the
    site names itself there too. A copyright holder named nowhere else is as often the owner, a developer or
    the writer as the publication."""
    initials = "".join(word[0] for word in name.split() if word[:1].isupper())
    pattern = re.compile(rf"(?<!\w)(?:{re.escape(name)}{'|' + re.escape(initials) if len(initials) > 1 else ''})(?!\w)",
                         re.I if len(initials) < 2 else 0)
    return any(pattern.search(line) for line in lines if line != footer)


def _vote(votes: Counter, name: str, weight: int) -> None:
    name = _clean(name)
    if name.casefold() not in _NOT_NAMES and not name[:1].isdigit():
        votes[name] += weight


def _newsletter_weight(name: str, weight: int) -> int:
    """A prompt for "X's newsletter" names X as a footer would; for "the X Briefing" it names only the newsletter."""
    return weight if re.search(r"(?:'s|’s)$", name) else 0


def best_outlet(votes: Counter) -> str | None:
    """The most voted outlet name, or None when no name has two votes: one weak hint is not evidence enough.

    "The X" and "X" are one name (spelled as a wire agency's own name when it is one); a publishing company
    ("... Network", "... Medien", "... Foundation"), a copyright holder or a writer's employer more often than
    the publication read, gets no votes."""
    merged: Counter = Counter()
    spelling: dict[str, str] = {}
    for name, count in votes.items():
        if _OWNER.search(name):
            continue
        key = re.sub(r"^the\s+", "", name, flags=re.I).casefold()
        merged[key] += count
        current = spelling.get(key)
        if current is None or name in WIRE_CODES.values() or (current not in WIRE_CODES.values() and count > votes[current]):
            spelling[key] = name
    best = merged.most_common(1)
    return spelling[best[0][0]] if best and best[0][1] >= 2 else None


def _clean(name: str) -> str:
    """'The Sun's' → 'The Sun'; 'The Telegraph 2024' → 'The Telegraph'; corporate suffixes dropped."""
    name = re.sub(r"^the\s+(?=[A-Z])", "", re.sub(r"(?:'s|’s)$", "", name.strip()))
    name = re.sub(r"\s+\d{4}$", "", name)
    name = re.sub(r"\s+(?:Ltd|Limited|Inc|LLC|GmbH|S\.A|a\.s)\.?$", "", name, flags=re.I)
    return name.rstrip(".,;: ")

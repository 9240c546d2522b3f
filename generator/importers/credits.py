"""Recognise photo credits at the end of captions and split them into photographer and agency.

Outlets print credits in a handful of shapes ("Name/Agency", "Photo: Name, Agency", "Name for Agency",
"(Reuters)", "Image source, Getty Images", "Credit: …"). The archive must say whose picture it republishes, so a
caption is only treated as one when its credit is recognisable; the credit is then kept as printed (less BBC's
screen-reader label "Image source,") and split only where the shape makes the split unambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

AGENCIES = (
    "Getty Images", "Getty", "AFP", "AP", "AP Photo", "Associated Press", "Reuters", "EPA", "EPA-EFE", "EFE",
    "Shutterstock", "Alamy", "iStock", "iStockphoto", "PA", "PA Images", "PA Wire", "PA Media", "Bloomberg",
    "Sipa", "SIPA", "ANP", "dpa", "DPA", "picture alliance", "picture-alliance", "Anadolu", "Anadolu Agency",
    "NurPhoto", "ZUMA", "ZUMA Press", "SOPA Images", "Xinhua", "Kyodo", "Europa Press", "ČTK", "CTK", "Keystone",
    "Imago", "IMAGO", "Hans Lucas", "Agência Brasil", "Folhapress", "Estadão Conteúdo", "MAXPPP", "Abaca",
    "Redux", "Polaris", "TASS", "WENN", "Wikimedia Commons", "NASA", "Handout", "Pool", "Universal Images Group",
    "Corbis", "Magnum Photos", "VII", "Panos", "Photoshot", "Alamy Stock Photo", "Fotoarena", "Agencia Uno",
    "Cuartoscuro", "Profimedia", "MAFRA", "Reuters Connect", "UPI", "Kyodo News", "Yonhap", "WAFA", "Flash90",
)
_AGENCY_WORDS = re.compile(
    r"\b(Images?|Photos?|Press|News|Agency|Agence|Agencia|Agentur|Wire|Media|Pictures|Stock|Foundation|Institute|"
    r"University|Museum|Library|Archives?|Council|Service|Department|Ministry|Office|Force|Army|Navy|Society|Trust|"
    r"Centre|Center|Collection|Handout|Police|Government)\b"
)
_LABEL = r"(?:Photo(?:graph)?s?|Picture|Image|Foto(?:grafie|grafía|grafia)?|Bild|Crédit(?:o)?s?|Credits?|Créditos?|Source)"
_LABELLED = re.compile(rf"(?:^|(?<=\s)|(?<=[.!?]))({_LABEL}(?:\s?:|\.\.\.|…)\s?\S.*)$")
_BBC_SOURCE = re.compile(r"^(?:Image|Video|Photo) source,\s*(.+)$")
_PAREN = re.compile(r"\s*\(([^()]{2,80})\)$")
_SENTENCE_BOUNDARY = re.compile(r"(?:^|(?<=[.!?\"”’]\s))(?=\S)")
_TITLE_CASE_TAIL = re.compile(r"(?<=[.!?\"”’]\s)((?:[A-Z][\w’'&.-]*\s?){1,5})$")
_FOR = re.compile(r"(?:^|(?<=[.!?\"”’]\s))((?:[A-ZÀ-Ý][\w'’-]+\s){1,3}for\s(?:The\s)?[A-Z][\w&'’ -]{1,40})$")
_BY = re.compile(r"(?:^|(?<=[.!?\"”’]\s))(Photo(?:graph)? by\s.+|Foto(?:s)? de\s.+|Photo de\s.+)$", re.I)
_NAME_TOKEN = re.compile(r"^(?:[A-ZÀ-ÝĀ-ſ][\w'’.-]*|de|da|das|do|dos|van|von|der|den|del|la|le|di|du|al|el|bin|y)$")


@dataclass(frozen=True, slots=True)
class Credit:
    """A printed credit and what could be read from it."""

    text: str
    photographer: str | None
    agency: str | None


def is_agency(text: str) -> bool:
    """True for a known photo agency or a name that says it is one ("… Images", "… Press")."""
    text = text.strip()
    if len(text.split()) > 6 or re.search(r"[.!?]\s|[():]", text):  # a sentence, or a caption holding its credit
        return False
    return text.lower() in _AGENCY_LOWER or bool(_AGENCY_WORDS.search(text))


_AGENCY_LOWER = {a.lower() for a in AGENCIES}
_AGENCY_SPELLING = {a.lower(): a for a in AGENCIES}


def is_person_name(text: str) -> bool:
    """Two to five capitalised words (particles like 'de' or 'van' allowed): the shape of a person's name."""
    words = text.split()
    if not 2 <= len(words) <= 5 or any(ch.isdigit() for ch in text):
        return False
    if not words[0][0].isupper() or not words[-1][0].isupper():
        return False
    return all(_NAME_TOKEN.match(w) for w in words) and not is_agency(text)


def split_credit(credit: str) -> Credit:
    """Photographer and agency from one credit string; an unclear part stays None."""
    body = re.sub(r"^\((.*)\)$", r"\1", credit.strip())
    body = re.sub(rf"^{_LABEL}(?:\s?:|\.\.\.|…)\s*", "", body, flags=re.I)
    body = re.sub(r"^(?:Photo(?:graph)? by|Fotos? de|Photo de)\s+", "", body, flags=re.I).strip()
    photographer, agency = _parts(body)
    return Credit(credit, photographer, agency)


def _parts(body: str) -> tuple[str | None, str | None]:
    via = re.match(r"^(.+?)/(.+ via .+)$", body)
    if via:
        return _person_or_none(via.group(1)), via.group(2).strip()
    for separator in ("/", " for ", ", ", " | "):
        if separator in body:
            left, right = (part.strip() for part in body.rsplit(separator, 1))
            if separator == "/" and is_agency(left) and not is_agency(right):
                return _person_or_none(right), _agency_name(left)
            if separator == " for ":
                return _person_or_none(left), right
            return _person_or_none(left), _agency_name(right) if (is_agency(right) or separator != ", ") else None
    if is_agency(body):
        return None, _agency_name(body)
    return _person_or_none(body), None


def _agency_name(text: str) -> str:
    """'AP Photo' names the agency AP ('Photo' only says what kind of credit it is); 'REUTERS' is Reuters."""
    text = re.sub(r"\s+Photos?$", "", text)
    return _AGENCY_SPELLING.get(text.lower(), text) if text.isupper() else text


def _person_or_none(text: str) -> str | None:
    text = text.strip()
    return text if is_person_name(text) else None


def find_caption_credit(line: str) -> tuple[str, str] | None:
    """(caption, credit) when `line` ends in a recognisable credit, else None."""
    line = line.strip()
    bbc = _BBC_SOURCE.match(line)
    if bbc:
        return "", bbc.group(1).strip()
    for pattern in (_LABELLED, _BY):
        match = pattern.search(line)
        if match and len(match.group(1)) <= 120:
            return line[: match.start(1)].strip(), match.group(1).strip()
    paren = _PAREN.search(line)
    if paren and _credit_like(paren.group(1)):
        return line[: paren.start()].strip(), paren.group(0).strip()
    for boundary in _SENTENCE_BOUNDARY.finditer(line):
        tail = line[boundary.start() :]
        if "/" in tail and len(tail) <= 120 and _slash_credit(tail):
            return line[: boundary.start()].strip(), tail.strip()
    named_for = _FOR.search(line)
    if named_for and is_person_name(named_for.group(1).split(" for ")[0]):
        return line[: named_for.start(1)].strip(), named_for.group(1).strip()
    title_case = _TITLE_CASE_TAIL.search(line)
    if title_case and not line.endswith(".") and (is_agency(title_case.group(1)) or len(title_case.group(1).split()) >= 2):
        return line[: title_case.start(1)].strip(), title_case.group(1).strip()
    return None


def _credit_like(text: str) -> bool:
    if re.match(rf"{_LABEL}\s?:\s?\S", text.strip(), flags=re.I):  # "(Photo: …)" says what it is
        return True
    text = re.sub(r"^(?:Photo(?:graph)? by\s+|Photo(?:graph)?:?\s*)", "", text.strip(), flags=re.I)
    if "/" in text:
        return _slash_credit(text)
    return is_agency(text)


def _slash_credit(text: str) -> bool:
    """'Name/Agency' (any short capitalised organisation after a person's name) or 'Agency/Name'."""
    left, _, right = text.rpartition("/")
    left = left.strip().split(" via ")[0]
    right = right.strip().split(" via ")[0]
    if not left or not right:
        return False
    if is_agency(left) and is_person_name(right):
        return True
    organisation = right[:1].isupper() and len(right.split()) <= 4
    return (is_agency(right) or organisation) and (is_person_name(left) or is_agency(left))

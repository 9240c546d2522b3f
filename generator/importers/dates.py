"""Read publication dates as sources print them, in the archive's languages.

A date is only ever taken from the source (metadata or a printed date line), never guessed from the import
day; machine-readable values keep their time of day, printed ones are reduced to the date they name.
"""

from __future__ import annotations

import datetime
import re

_MONTHS = {
    # en
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
    "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # es
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8,
    "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11, "diciembre": 12,
    # fr
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7, "août": 8,
    "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    # de
    "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "juni": 6, "juli": 7, "oktober": 10, "dezember": 12,
    # pt
    "janeiro": 1, "fevereiro": 2, "março": 3, "maio": 5, "junho": 6, "julho": 7, "setembro": 9,
    "outubro": 10, "novembro": 11, "dezembro": 12,
    # cs (genitive, as dates are printed)
    "ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7, "srpna": 8,
    "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
    # it
    "gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7, "settembre": 9,
    "ottobre": 10, "dicembre": 12,
    # ar (the Gregorian names of Egypt and the Gulf, and the one-word Levantine ones)
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5, "يونيو": 6, "يونيه": 6,
    "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9, "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11,
    "ديسمبر": 12, "شباط": 2, "آذار": 3, "نيسان": 4, "أيار": 5, "حزيران": 6, "تموز": 7, "أيلول": 9,
}
DAY_FIRST_LANGUAGES = frozenset({"es", "fr", "de", "pt", "it", "cs", "ar"})  # English is written both ways
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_ONLY_TIME_AFTER = r"(?=\s*,?\s*(?:(?:à|at|um|às|alle|a las)\s+)?(?:\d{1,2}[:h]\d{2}|$))"
_MONTH = r"(?P<month>[^\W\d_]{3,10})\.?"
_PRINTED = (
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})\b"),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:\.|er|º)?\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?(?P<year>\d{{4}})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<nmonth>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<day>\d{1,2})\.\s?(?P<nmonth>\d{1,2})\.\s?(?P<year>\d{4})(?!\d)"),
    re.compile(r"(?P<year>\d{4})年(?P<nmonth>\d{1,2})月(?P<day>\d{1,2})日"),
    re.compile(r"(?P<year>\d{4})년\s*(?P<nmonth>\d{1,2})월\s*(?P<day>\d{1,2})일"),
    # "09.08.13, 06:00": dotted numbers are day first; a two-digit year only where it is all the text holds but a
    # time, as "Version 1.2.13" and "1.2.13 released" are no dates
    re.compile(rf"^(?P<day>\d{{1,2}})\.(?P<nmonth>\d{{1,2}})\.(?P<short_year>\d{{2}}){_ONLY_TIME_AFTER}"),
    re.compile(rf"\b(?P<day>\d{{1,2}})\.{_MONTH}\.?(?P<year>\d{{4}})\b"),
    re.compile(r"\b(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})\b"),
    re.compile(rf"^(?P<first>\d{{1,2}})/(?P<second>\d{{1,2}})/(?P<short_year>\d{{2}}){_ONLY_TIME_AFTER}"),
)
_LABEL = re.compile(
    r"^(?:published|posted|first published|publicado|publicada|publié|publié le|veröffentlicht|veröffentlicht am|"
    r"publikováno|zveřejněno|publicado em|data)\b[\s:,]*(?:on\s+|le\s+|am\s+|el\s+|em\s+)?",
    re.I,
)
_UPDATED = re.compile(r"^(?:updated|last updated|actualizado|mis à jour|modifié|aktualisiert|aktualizováno|atualizado)\b", re.I)


def parse_machine_date(value: str) -> str | None:
    """An ISO 8601 value from metadata, as YYYY-MM-DD or a full ISO datetime when it carries a time."""
    value = value.strip()
    match = re.match(r"^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)\s*(Z|[+-]\d{2}:?\d{2})?)?", value)
    if not match:
        return parse_printed_date(value)
    day, time, zone = match.groups()
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        return None
    if not time:
        return day
    zone = "+00:00" if zone == "Z" else (zone[:3] + ":" + zone[-2:] if zone and ":" not in zone else zone)
    try:
        return datetime.datetime.fromisoformat(f"{day}T{time}{zone or ''}").isoformat()
    except ValueError:
        return day


def parse_printed_date(text: str, day_first: bool = False) -> str | None:
    """The first calendar date printed in `text`, as YYYY-MM-DD, or None. `day_first`: the text's language writes
    the day before the month ("11/03/2024" is 11 March in French), so slashed numbers need no day above 12."""
    text = text.strip().translate(_ARABIC_DIGITS)
    for pattern in _PRINTED:
        for match in pattern.finditer(text):
            parts = match.groupdict()
            if parts.get("short_year"):
                short = int(parts["short_year"])
                parts["year"] = str((2000 if short < 69 else 1900) + short)  # the POSIX pivot of two-digit years
            if parts.get("first"):
                parts = _slashed(int(parts["first"]), int(parts["second"]), day_first) | {"year": parts["year"]}
            month = int(parts["nmonth"]) if parts.get("nmonth") else _MONTHS.get((parts.get("month") or "").lower())
            if not month:
                continue
            try:
                return datetime.date(int(parts["year"]), month, int(parts["day"])).isoformat()
            except ValueError:
                continue
    return None


def _slashed(first: int, second: int, day_first: bool) -> dict:
    """Day and month of "21/12/2018" (Europe) or "12/21/2018" (the US): only when one of them cannot be a month,
    or the language is one that puts the day first. "05/08/2019" is either, and is otherwise left unread."""
    if day_first:
        return {"day": first, "nmonth": second}
    if first > 12 >= second:
        return {"day": first, "nmonth": second}
    if second > 12 >= first:
        return {"day": second, "nmonth": first}
    return {"day": 0, "nmonth": 0}


def labelled_published(line: str) -> bool:
    """The line names its date as the publication's: "Published 3 March 2024", "Publié le ..."."""
    return bool(_LABEL.match(line.strip()))


def date_line(line: str, day_first: bool = False) -> tuple[bool, str | None]:
    """(is a date line, published date) for a short header line such as "Published 3 March 2024"."""
    text = line.strip()
    if len(text) > 90 or not re.search(r"\d", text):
        return False, None
    if _UPDATED.match(text):
        return parse_printed_date(text, day_first) is not None, None
    stripped = _LABEL.sub("", text)
    date = parse_printed_date(stripped, day_first)
    if date is None:
        return False, None
    leftover = re.sub(r"[年月日時分년월일]|\d{1,2}[:.h]\d{2}(?:\s?[ap]\.?m\.?)?|\b(?:GMT|UTC|BST|CET|CEST|EST|EDT|ET|PT|Uhr|hod\.?)\b", "", stripped, flags=re.I)
    words = [w for w in re.findall(r"[^\W\d_]+", leftover) if w.lower() not in _MONTHS]
    return (True, date) if len(words) <= 4 else (False, None)

"""Tell an outlet's boilerplate from the article's own sentences.

The rules are deliberately narrow: a line is dropped only when it has a promo's shape (a short imperative
"Sign up…", a bare "Advertisement", a share button, a cookie notice), never for mentioning a word like
"newsletter" in passing, because the archive promises every sentence of the article kept word for word.
Some lines end the article ("About the writer", "More from…"); what follows them is not article text.
"""

from __future__ import annotations

import re


def _full(*alternatives: str) -> re.Pattern:
    return re.compile(r"^(?:" + "|".join(alternatives) + r")[\s.:!]*$", re.I)


_DROP_LINE = (
    _full(
        r"advertisement", r"advertisement\s*[-–]\s*scroll to continue", r"skip advertisement", r"ad", r"sponsored",
        r"publicidad", r"publicité", r"anzeige", r"werbung", r"reklama", r"publicidade", r"story continues below",
        r"continue reading", r"article continues below", r"scroll to continue",
    ),
    _full(
        r"share", r"share(?: or comment on)?(?: this| full| the)? (?:article|story|page)", r"view comments", r"share this", r"like this", r"like loading\.*", r"share on \w+", r"share via \w+", r"copy link",
        r"link copied", r"print", r"email", r"save", r"save article", r"gift this article", r"comments?",
        r"\d+ comments?", r"listen(?: to this article)?(?: \W*\d+ min(?:utes?)?)?", r"\d+\s?min(?:ute)?s? read",
        r"compartir", r"compartir en \w+", r"partager", r"partager sur \w+", r"teilen", r"sdílet",
        r"compartilhe", r"compartilhar", r"facebook", r"twitter", r"x", r"whatsapp", r"linkedin", r"reddit",
        r"tweet", r"pin", r"toggle caption", r"hide caption", r"enlarge this image", r"expand",
        r"article réservé aux abonnés", r"réservé aux abonnés", r"offrir cet article", r"exclusivo para suscriptores",
        r"exclusivo para assinantes", r"premium", r"s\+", r"audio", r"video", r"listen to article",
    ),
    _full(
        r"read more", r"related", r"see also", r"also read", r"lee también", r"leer más", r"lire aussi",
        r"à lire aussi", r"lesen sie auch", r"mehr zum thema", r"čtěte také", r"čtěte též", r"související",
        r"leia também", r"veja também", r"saiba mais",
    ),
    re.compile(
        r"^(?:read more|related|see also|also read|lee también|lire aussi|à lire aussi|lesen sie auch|čtěte také|"
        r"leia também|veja também|watch|listen|more|mehr zum thema)\s*[:|]\s*\S.{0,160}$",
        re.I,
    ),
    re.compile(
        r"^(?:sign up|subscribe|get|join|receive|want|don't miss|never miss|suscríbete|apúntate|abonnez-vous|"
        r"inscrivez-vous|recevez|jetzt|abonnieren|melden sie sich|přihlaste se|odebírejte|předplaťte|assine|"
        r"inscreva-se|receba|cadastre-se)\b(?=.{0,200}$).*\b(?:newsletters?|inbox|subscri\w*|alerts?|e-?mails?|"
        r"app|podcast|briefing|unlimited|digital access|boletín|suscripción|abonnement|abonn\w*|assinatura|"
        r"předplatné|zpravodaj|Newsletter)\b",
        re.I,
    ),
    re.compile(r"^(?=.{0,240}$).*\b(?:cookies?)\b.*\b(?:accept|consent|policy|settings|use|utilizamos|utilisons|verwenden|používáme|usamos)\b", re.I),
    re.compile(r"^(?=.{0,240}$).*\b(?:uses? AI|AI policy|artificial intelligence policy|generative AI policy)\b", re.I),
    re.compile(r"^(?=.{0,200}$).*\bnewsletters?\b.*\b(?:inbox|sign up|subscribe|delivered|free|weekly|daily)\b", re.I),
    re.compile(r"^(?:reporting|writing|editing|additional reporting) by\b.{0,200}$", re.I),
    re.compile(r"^thanks for reading\b.{0,200}$", re.I),
    re.compile(r"^Our Standards: .{0,80}$"),
    re.compile(r"^(?:©|copyright\b|\(c\)\s).{0,160}$", re.I),
    re.compile(r"^(?:image|video|photo) (?:source|caption),\s?.{0,200}$", re.I),
)
_TAIL = (
    _full(
        r"about the (?:writer|author|authors|reporter)", r"sobre el autor", r"sobre la autora",
        r"à propos de l'auteur", r"à propos de l’auteur", r"über den autor", r"über die autorin", r"o autorovi",
        r"sobre o autor", r"sobre a autora",
    ),
)
_END = (
    _full(
        r"most read", r"most popular", r"most viewed", r"recommended", r"recommended stories",
        r"you may also like", r"trending", r"trending now", r"top stories", r"related topics", r"related stories",
        r"related articles", r"related coverage", r"more on this story", r"more stories", r"latest news",
        r"lo más leído", r"les plus lus", r"meistgelesen", r"nejčtenější", r"mais lidas",
    ),
    re.compile(r"^To read how .{1,40} uses AI", re.I),
)
_NAMED = r"[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}"
_OUTLET_FURNITURE = re.compile(rf"^(?:More from (?:the )?{_NAMED}|(?P<name>{_NAMED}) cover)$")
_PROMO_WORDS = re.compile(
    r"\b(?:subscri\w*|newsletters?|app|ad-free|delivered|magazine|podcasts?|audio|comment on articles|premium|"
    r"sign up|offers?|gift)\b",
    re.I,
)
_COMMITTED = re.compile(r"^(?P<name>[A-Z][\w.&'’-]*(?: [A-Z][\w.&'’-]*){0,3}) is committed to .{0,200}$")


def is_about_header(line: str) -> bool:
    """An "About the writer" line: the author's bio follows it, then only boilerplate."""
    return any(p.match(line.strip()) for p in _TAIL)


def ends_article(line: str, outlet: str | None) -> bool:
    """A line after which the page shows promos and other stories, not this article.

    "X cover" (a magazine-cover promo) counts only when X is the outlet: "Take cover" may be a subheading.
    """
    text = line.strip()
    if any(p.match(text) for p in _END):
        return True
    furniture = _OUTLET_FURNITURE.match(text)
    return furniture is not None and (furniture.group("name") is None or furniture.group("name") == outlet)


def is_promo_list(items: list[str], outlet: str | None) -> bool:
    """A bullet list selling the outlet ("• Newsweek magazine delivered to your door", "• Ad-free browsing")."""
    return all(len(item) < 100 for item in items) and any(
        _PROMO_WORDS.search(item) or (outlet and outlet in item) for item in items
    )


def is_boilerplate(line: str, *, outlet: str | None, repeated: bool = False) -> bool:
    """True when `line` is an outlet's furniture rather than a sentence of the article.

    "X is committed to …" is a mission statement only when X is the outlet or the line is printed twice;
    otherwise it may be the article quoting a company or government.
    """
    text = line.strip()
    if any(p.match(text) for p in _DROP_LINE):
        return True
    committed = _COMMITTED.match(text)
    return committed is not None and (repeated or (outlet is not None and committed.group("name") == outlet))

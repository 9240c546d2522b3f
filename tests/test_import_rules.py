"""The importer's individual rules: credits, bylines, dates, slugs, languages, and safe Markdown."""

from __future__ import annotations

import datetime
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.importers import MAX_SLUG, import_source
from generator.importers.bylines import clean_bio, parse_byline, wire_byline
from generator.importers.credits import find_caption_credit, split_credit
from generator.importers.dates import date_line, parse_machine_date
from generator.importers.language import detect_language
from generator.importers.markdown import escape_text, safe_url
from generator.slugs import readable_slug

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("line", "caption", "credit", "photographer", "agency"),
    [
        ("Aid arrives in Khan Yunis. Ahmad Hasaballah/Getty Images", "Aid arrives in Khan Yunis.",
         "Ahmad Hasaballah/Getty Images", "Ahmad Hasaballah", "Getty Images"),
        ("Firefighters at the scene. Photo: John Smith, Reuters", "Firefighters at the scene.",
         "Photo: John Smith, Reuters", "John Smith", "Reuters"),
        ("Crowds gather. Jane Doe for The Guardian", "Crowds gather.", "Jane Doe for The Guardian", "Jane Doe", "The Guardian"),
        ("A man walks past. (Reuters)", "A man walks past.", "(Reuters)", None, "Reuters"),
        ("Image source, Getty Images", "", "Getty Images", None, "Getty Images"),
        ("The lake at dawn. Credit: Mark Lee/Alamy", "The lake at dawn.", "Credit: Mark Lee/Alamy", "Mark Lee", "Alamy"),
        ("Riot police. AP Photo/Maria Lopez", "Riot police.", "AP Photo/Maria Lopez", "Maria Lopez", "AP"),
        ("March. Photo by Kim Park/AFP via Getty Images", "March.", "Photo by Kim Park/AFP via Getty Images", "Kim Park",
         "AFP via Getty Images"),
        ("Hasiči zasahují. Foto: Petr Novák, ČTK", "Hasiči zasahují.", "Foto: Petr Novák, ČTK", "Petr Novák", "ČTK"),
        ("Riders wait.Credit...Ana Ley for The New York Times", "Riders wait.", "Credit...Ana Ley for The New York Times",
         "Ana Ley", "The New York Times"),
        ("The harbour at night (Photo: Jane Doe/Reuters)", "The harbour at night", "(Photo: Jane Doe/Reuters)", "Jane Doe", "Reuters"),
        ("Caption bold (Photo: Someone/Agency)", "Caption bold", "(Photo: Someone/Agency)", None, "Agency"),
    ],
)
def test_caption_credits(line, caption, credit, photographer, agency) -> None:
    assert find_caption_credit(line) == (caption, credit)
    split = split_credit(credit)
    assert (split.photographer, split.agency) == (photographer, agency)


@pytest.mark.parametrize(
    "line",
    [
        "He said the odds were 50/50 at best.",
        "The deal was announced on Monday.",
        "Prices rose 3% in the year to March, the agency said.",
        "\"We will not give up,\" she said.",
    ],
)
def test_sentences_are_not_captions(line) -> None:
    assert find_caption_credit(line) is None


@pytest.mark.parametrize(
    ("line", "names", "role"),
    [
        ("By Daniel Bush", ["Daniel Bush"], None),
        ("By Jane Doe and John Roe", ["Jane Doe", "John Roe"], None),
        ("By Jane Doe, Science Editor", ["Jane Doe"], "Science Editor"),
        ("Por María López y Juan Pérez", ["María López", "Juan Pérez"], None),
        ("Von Hans Müller und Anna Schmidt", ["Hans Müller", "Anna Schmidt"], None),
        ("Par Claire Martin", ["Claire Martin"], None),
        ("Autor: Petr Novák", ["Petr Novák"], None),
        ("By ANNA KOVAL FOR MAILONLINE", ["Anna Koval"], None),
        ("By the way, this is a sentence.", [], None),
    ],
)
def test_bylines(line, names, role) -> None:
    authors = parse_byline(line)
    assert [a.name for a in authors] == names
    assert (authors[0].role if authors else None) == role


def test_wire_byline_names_the_agency() -> None:
    authors, agency = wire_byline("Jane Doe and John Roe, Reuters")
    assert [a.name for a in authors] == ["Jane Doe", "John Roe"] and agency == "Reuters"


def test_bio_drops_truncated_teaser() -> None:
    assert clean_bio("X Y is a writer. She covers courts. Judges ... Read more") == "X Y is a writer. She covers courts."


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("Published March 3, 2024", "2024-03-03"),
        ("Tue 14 May 2024 06.00 BST", "2024-05-14"),
        ("Publié le 6 février 2024 à 10h30", "2024-02-06"),
        ("03.03.2024, 10.30 Uhr", "2024-03-03"),
        ("3. března 2024 12:15", "2024-03-03"),
        ("Madrid - 04 mar 2024 - 10:30 CET", "2024-03-04"),
        ("2024年3月21日 14時05分", "2024-03-21"),
        ("Updated 4 March 2024", None),
    ],
)
def test_date_lines(line, date) -> None:
    assert date_line(line) == (True, date)


@pytest.mark.parametrize(
    ("line", "date"),
    [
        ("09.08.13, 06:00", "2013-08-09"),
        ("24.12.98", "1998-12-24"),  # dotted numbers are day first; a two-digit year is read in this century
        ("17.7.11", "2011-07-17"),
        ("2.03.2018von Dennis Ziesecke", "2018-03-02"),  # the byline glued to the date
        ("19 giugno 2018", "2018-06-19"),
        ("19 يونيو 2018", "2018-06-19"),
        ("١٩ يونيو ٢٠١٨", "2018-06-19"),
        ("2018년 6월 19일 14:05", "2018-06-19"),
    ],
)
def test_more_printed_date_lines(line, date) -> None:
    assert date_line(line) == (True, date)


@pytest.mark.parametrize("line", ["Version 1.2.13", "05/08/2019", "1.2.13 released"])
def test_ambiguous_or_numbered_lines_give_no_date(line) -> None:
    assert date_line(line)[1] is None


def test_sentence_with_a_date_is_not_a_date_line() -> None:
    assert date_line("The vote is on March 3, 2024 and is expected to pass.") == (False, None)


def test_machine_dates_keep_their_time() -> None:
    assert parse_machine_date("2024-03-03T10:00:00Z") == "2024-03-03T10:00:00+00:00"
    assert parse_machine_date("2024-03-03") == "2024-03-03"
    assert parse_machine_date("2024-02-31") is None


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Iran Is 'Facilitating' Attacks", "iran-is-facilitating-attacks"),
        ("Požár skladu v Ostravě zaměstnal hasiče", "pozar-skladu-v-ostrave-zamestnal-hasice"),
        ("Straße über die Brücke", "strasse-uber-die-brucke"),
        ("A " + "verylongword " * 10, "a-verylongword-verylongword-verylongword-verylongword"),
        ("桜の開花 東京で 2024", "ying-no-kai-hua-dong-jing-de-2024"),
    ],
)
def test_slugs(title, slug) -> None:
    assert import_source(f"{title}\n\nA paragraph of the article, long enough to be one.".encode(), origin="x.txt", today=TODAY).slug == slug
    assert len(slug) <= MAX_SLUG


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("城市公共自行车系统扩展至郊区", "cheng-shi-gong-gong-zi-xing-che-xi-tong-kuo-zhan-zhi-jiao-qu"),
        ("افتتاح أكبر محطة لتحلية المياه", "ftth-kbr-mhth-lthlyh-lmyh"),
        ("桜の開花 東京で 2024", "ying-no-kai-hua-dong-jing-de-2024"),
        ("Don't Look Up", "dont-look-up"),
    ],
)
def test_titles_in_other_scripts_are_transliterated_as_note_slugs_are(title, slug) -> None:
    """One rule for the names of new files (slugs.readable_slug): a headline in another script
    names its file as a quote in it names its note's, not with a hash that says nothing."""
    assert readable_slug(title, MAX_SLUG) == slug


@given(st.text(min_size=1, max_size=80))
def test_slugs_are_always_url_safe(title) -> None:
    slug = readable_slug(title, MAX_SLUG)
    assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", slug)
    assert len(slug) <= MAX_SLUG


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("The council said that it was going to close the pier for repairs, and residents were not happy with it.", "en"),
        ("El Gobierno dijo que la medida se aplicará en los próximos días y que los agricultores recibirán ayudas.", "es"),
        ("Le gouvernement a annoncé que les mesures seront appliquées dans les prochains jours pour les agriculteurs.", "fr"),
        ("Die Regierung hat angekündigt, dass die Maßnahmen in den nächsten Tagen für die Landwirte gelten sollen.", "de"),
        ("O governo disse que as medidas serão aplicadas nos próximos dias e que os agricultores não vão pagar.", "pt"),
        ("Vláda uvedla, že opatření začnou platit během několika dní a že se to týká také zemědělců v kraji.", "cs"),
        ("افتتحت السلطات يوم الأحد أكبر محطة لتحلية مياه البحر", "ar"),
        ("הממשלה הודיעה היום על תוכנית חדשה", "he"),
        ("市政府周一宣布公共自行车系统将扩展到郊区", "zh"),
        ("気象台は東京都心で桜が開花したと発表しました", "ja"),
        ("ok", None),
    ],
)
def test_language_detection(text, language) -> None:
    assert detect_language(text) == language


@given(st.text(max_size=200))
def test_escaped_text_never_opens_a_tag(text) -> None:
    assert not re.search(r"<[A-Za-z/!?]", escape_text(text))


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/a", "https://example.org/a"),
        ("mailto:desk@example.org", "mailto:desk@example.org"),
        ("javascript:alert(1)", None),
        ("data:text/html,<b>x</b>", None),
        ("/relative", None),
    ],
)
def test_only_http_and_mailto_links(url, safe) -> None:
    assert safe_url(url) == safe


def test_html_import_never_passes_raw_html_through() -> None:
    page = b"""<html><head><title>Safe page test</title></head><body><article><h1>Safe page test</h1>
    <p>The council met on Tuesday &lt;script&gt;alert(1)&lt;/script&gt; to discuss the harbour repairs and the budget.</p>
    <p>Residents can <a href="javascript:alert(1)">click here</a> or <a href="https://example.org/plan">read the plan</a>
    before the vote that will be held next month in the town hall.</p>
    <p>Officials said <b>nothing</b> would change before the summer, according to the published timetable.</p>
    </article></body></html>"""
    body = import_source(page, origin="safe.html", today=TODAY).body
    assert "<script" not in body and "javascript:" not in body
    assert "&lt;script>alert(1)&lt;/script>" in body
    assert "[read the plan](<https://example.org/plan>)" in body and "click here" in body


def test_plain_text_markup_is_escaped() -> None:
    text = "A title\n\nThe memo said <img src=x onerror=alert(1)> was found in *bold* files.\n\n# not a heading, a hashtag\n"
    body = import_source(text.encode(), origin="t.txt", today=TODAY).body
    assert "<img" not in body and "&lt;img" in body
    assert "\\*bold\\*" in body and body.split("\n\n")[1].startswith("\\#")


@pytest.mark.parametrize(
    ("title", "paragraph", "language"),
    [
        ("שריפה גדולה פרצה בנמל חיפה", "כוחות כיבוי רבים הגיעו למקום והצליחו להשתלט על האש לאחר כמה שעות של עבודה.", "he"),
        ("افتتاح أكبر محطة لتحلية المياه", "وقال وزير الموارد المائية إن المحطة ستزود أكثر من مليون شخص بمياه الشرب.", "ar"),
        ("城市公共自行车系统扩展至郊区", "市政府周一宣布，公共自行车系统将在今年年底前扩展到五个郊区。", "zh"),
        ("桜の開花 東京で平年より早く", "気象台は21日、東京都心で桜が開花したと発表しました。", "ja"),
    ],
)
def test_rtl_and_cjk_text_imports_intact(title, paragraph, language) -> None:
    for data in (f"{title}\n\n{paragraph}\n".encode(),
                 f'<html><body><article><h1>{title}</h1><p>{paragraph}</p></article></body></html>'.encode()):
        article = import_source(data, origin="x", today=TODAY)
        assert article.front_matter["title"] == title
        assert paragraph in article.body
        assert article.front_matter["language"] == language
        assert article.slug == readable_slug(title, MAX_SLUG)  # transliterated, as a note on such a quote is named


def test_trailing_bullet_promos_are_dropped_but_article_lists_kept() -> None:
    text = ("Five things to know\n\nThe council listed its plans for the year ahead at the meeting.\n\n"
            "• Repair the pier\n• Open the library\n\nThe work starts in spring, officials said.\n\n"
            "• Daily Echo app updates on-the-go\n• Enjoy ad-free browsing\n")
    body = import_source(text.encode(), origin="t.txt", today=TODAY).body
    assert "- Repair the pier\n- Open the library" in body
    assert "ad-free" not in body and body.endswith("officials said.")


def test_outlet_from_page_title_suffix() -> None:
    page = b"<html><head><title>Harbour to close | Coastal Courier</title></head><body><article><h1>Harbour to close</h1>" \
           b"<p>The harbour will close for repairs next month, the council said in a statement on Tuesday.</p></article></body></html>"
    front = import_source(page, origin="p.html", today=TODAY).front_matter
    assert (front["title"], front["outlet"]) == ("Harbour to close", "Coastal Courier")


_WORDS = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12)


@given(st.lists(st.lists(_WORDS, min_size=1, max_size=30).map(" ".join), min_size=1, max_size=8))
def test_any_text_imports_or_fails_cleanly(paragraphs) -> None:
    """Whatever the text, the importer returns an article the build accepts (its title, when not told, written
    as unknown) or a SiteError: never another exception."""
    from generator.content.parse import parse_article
    from generator.errors import ProblemLog, SiteError
    from generator.importers import article_file_text
    from generator.records import SourceFile

    data = "\n\n".join(paragraphs).encode("utf-8")
    try:
        article = import_source(data, origin="any.txt", today=TODAY)
    except SiteError as error:
        assert str(error).startswith("any.txt")
        return
    log = ProblemLog()
    parsed = parse_article(SourceFile(f"content/articles/{article.slug}.md", "articles", article_file_text(article)), log)
    assert parsed is not None and not log.errors
    assert article.front_matter["title"] is None or article.front_matter["title"].strip()


def test_html_tables_become_markdown_tables() -> None:
    page = b"""<html><head><title>Results table</title></head><body><article><h1>Results table</h1>
    <p>The final results of the county election were published on Friday by the electoral office.</p>
    <table><tr><th>Party</th><th>Seats</th></tr><tr><td>Green | Left</td><td>12</td></tr><tr><td>Centre</td><td>9</td></tr></table>
    <p>Turnout was the highest recorded in the county since the office began keeping records.</p></article></body></html>"""
    body = import_source(page, origin="t.html", today=TODAY).body
    assert "| Party | Seats |\n| --- | --- |\n| Green \\| Left | 12 |\n| Centre | 9 |" in body


def test_take_cover_is_a_heading_not_the_end_of_the_article() -> None:
    text = "Storm warning issued\n\nThe weather service warned of tornadoes on Tuesday night.\n\nTake cover\n\n" \
           "Residents should go to a basement or an inner room without windows.\n"
    body = import_source(text.encode(), origin="t.txt", today=TODAY).body
    assert body.endswith("## Take cover\n\nResidents should go to a basement or an inner room without windows.")


def test_a_quoted_commitment_is_kept_and_names_no_outlet() -> None:
    text = "Search firm pledges privacy\n\nGoogle is committed to protecting user data, a spokesperson said on Monday.\n\n" \
           "The company did not give details of the new rules.\n"
    article = import_source(text.encode(), origin="t.txt", today=TODAY)
    assert article.front_matter["outlet"] is None
    assert article.body.startswith("Google is committed to protecting user data")


@pytest.mark.parametrize(("footer", "outlet"), [
    ("© 2006-2034 jovelblog", "jovelblog"),  # a year range, a lower-case name
    ("© 1999–2019 ComputerBase GmbH", None),  # the owning company's legal name
    ("Copyright © 2019 CBS Interactive, Inc. All Rights Reserved.", None),
    ("© AKPhoto/ImageCollect", None),  # a photo credit, not a footer
    ("©  Eva Meienberg", None),
    ("Copyright © 1997 - 2018", None),  # years alone name nobody
    ("© 2026 Kulu Media. All Rights Reserved.", "Kulu Media"),
])
def test_outlet_from_a_copyright_footer_only_as_footers_write_it(footer: str, outlet: str | None) -> None:
    """The footer's holder, when the copy names it elsewhere too (here a contact line)."""
    text = (f"Harbour to close\n\nThe harbour closes in May after a vote on Tuesday night.\n\n"
            f"Write to jovelblog and Kulu Media\n\n{footer}\n")
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["outlet"] == outlet


def test_one_weak_hint_does_not_name_the_outlet() -> None:
    """A section's "More from X" or an author's employer alone: left empty rather than guessed."""
    text = "Harbour to close\n\nThe harbour closes in May after a vote on Tuesday night.\n\nMore from Earth Sciences\n"
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["outlet"] is None


def _html_front(head: str, body: str) -> dict:
    page = f"<html><head>{head}</head><body>{body}<p>The harbour closes in May after a vote on Tuesday night, the council said.</p></body></html>"
    return import_source(page.encode(), origin="a.html", today=datetime.date(2026, 11, 24)).front_matter


@pytest.mark.parametrize(("head", "body", "title"), [
    # the og:title carries the site and a date after the headline the page prints
    ('<meta property="og:title" content="Harbour to close | DW | 19.01.2020">', "<h1>Harbour to close</h1>", "Harbour to close"),
    # a section between headline and site, and a badge after the printed headline
    ('<meta property="og:title" content="Harbour to close for good | Chroniques | Radio Port">',
     "<h1>Harbour to close for good Abonnés</h1>", "Harbour to close for good"),
    # a kicker before the headline
    ('<meta property="og:title" content="Port policy: Harbour to close">', "<h1>Harbour to close</h1>", "Harbour to close"),
    # the site's name first, the headline a lower heading
    ("<title>Gregory's Home | Harbour to close after the vote</title>", "<h2>Harbour to close after the vote</h2>", "Harbour to close after the vote"),
    # the <h1> is the blog's name
    ("<title>Port-Law » Harbour to close after the vote</title>", "<h1>Port-Law</h1><h3>Harbour to close after the vote</h3>",
     "Harbour to close after the vote"),
    # JSON-LD's headline cut short for search engines, the og:title whole as the page prints it
    ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbour to close after the vote | Port Post"}'
     '</script><meta property="og:title" content="Harbour to close after the vote in May">',
     "<h1>Harbour to close after the vote in May</h1>", "Harbour to close after the vote in May"),
    # a reworded title for shares, matching no heading: the heading holding most of its words, not the blog's name
    ('<meta property="og:title" content="Why the harbour closes » Port Blogs - Science Blogs">'
     '<meta property="og:site_name" content="The Quay Log">',
     "<h1>BLOG: The Quay Log</h1><h1>Why the old harbour really closes</h1>", "Why the old harbour really closes"),
    # a kicker glued before the printed headline: the metadata's clean title
    ('<meta property="og:title" content="Harbour to close after the vote">', "<h1>LOCAL Harbour to close after the vote.</h1>",
     "Harbour to close after the vote"),
])
def test_headline_is_the_part_of_the_title_the_page_prints(head: str, body: str, title: str) -> None:
    assert _html_front(head, body)["title"] == title


@pytest.mark.parametrize("line", ["By Ad Feedback", "By Read Later", "By More Options", "SHOW ALL ARTICLES OFMaximilian Steinbeis"])
def test_interface_text_is_not_an_author(line: str) -> None:
    assert parse_byline(line, require_prefix=False) == []


def test_a_meta_author_naming_a_web_address_is_the_site_not_a_person() -> None:
    front = _html_front('<meta name="author" content="Deutsche Welle (www.dw.com)"><title>Harbour to close</title>', "<h1>Harbour to close</h1>")
    assert front["authors"] == []


@pytest.mark.parametrize(("head", "outlet"), [
    ('<meta property="og:site_name" content="https://www.harbour.example">', None),  # an address is not a name
    ('<link rel="canonical" href="https://mixed.de/a/"><meta property="og:site_name" content="MIXED.de | VR, AR und KI">', "MIXED.de"),
])
def test_outlet_is_a_name_not_an_address_or_a_tagline(head: str, outlet: str | None) -> None:
    assert _html_front(head + "<title>Harbour to close</title>", "<h1>Harbour to close</h1>")["outlet"] == outlet


@pytest.mark.parametrize(("header", "authors", "published"), [
    ("by\nJosiah Motley\nAugust 21, 2019", ["Josiah Motley"], "2019-08-21"),  # the name on the line after "by"
    ("Von\nDenis Dilba", ["Denis Dilba"], None),
    ("Lesezeit: 1 Min.\nvon Anja Schmoll-Trautmann am 14. Mai 2014, 15:40 Uhr", ["Anja Schmoll-Trautmann"], "2014-05-14"),
    ("January 13, 2020 at 08:45 AM | categories: Python, Mercurial | View Comments", [], "2020-01-13"),
    ("14/01/2020", [], "2020-01-14"),  # day first: 14 cannot be a month
    ("Updated: January 16, 2020", [], None),  # an update is not the publication
    ("by Umair Irfan  Updated Jan 9, 2024, 7:00am EST", ["Umair Irfan"], None),
])
def test_byline_and_date_among_the_lines_under_the_headline(header: str, authors: list[str], published: str | None) -> None:
    text = f"Harbour to close\nShare\nTweet\n{header}\n\nThe harbour closes in May after a vote on Tuesday night, the council said in a statement.\n"
    front = import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter
    assert ([a["name"] for a in front["authors"]], front["published"]) == (authors, published)


def test_date_in_brackets_opening_the_first_paragraph() -> None:
    text = ("Harbour to close\n(18.01.2018) The harbour closes in May after a vote on Tuesday night, the council said "
            "in a statement on Wednesday morning.\n")
    front = import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter
    assert front["published"] == "2018-01-18"


def test_only_the_bracketed_date_opening_the_paragraph_counts() -> None:
    text = ("Harbour to close\n(18.01.2018) The harbour closes in May, the council said, as it had on (03.02.2016) "
            "and again in the spring of that year.\n")
    front = import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter
    assert front["published"] == "2018-01-18"


@pytest.mark.parametrize(("header", "published"), [
    ("12 March 2024\nMore from Local\n3 May 2023", None),  # two dates, neither named the publication's
    ("Published 12 March 2024\nMore from Local\n3 May 2023", "2024-03-12"),  # the labelled one
    ("von Mara Lind am 12. März 2024, 15:40 Uhr\nMore from Local\n3 May 2023", "2024-03-12"),  # the byline's
    ("12 March 2024\nShare\n12 March 2024", "2024-03-12"),  # the same date twice
])
def test_two_dates_under_the_headline(header: str, published: str | None) -> None:
    text = f"Harbour to close\nShare\n{header}\n\nThe harbour closes in May after a vote on Tuesday night, the council said.\n"
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["published"] == published


def test_slashed_numbers_read_day_first_only_in_a_day_first_language() -> None:
    assert date_line("11/03/2024", day_first=True) == (True, "2024-03-11")
    assert date_line("11/03/24 à 8h15", day_first=True) == (True, "2024-03-11")
    assert date_line("11/03/2024")[1] is None


@pytest.mark.parametrize(("date", "body", "published"), [
    ("publié le 11/03/24 à 8h15", "La presqu'île sera piétonne le week-end, a annoncé la ville dans un communiqué qui est "
     "paru pour les habitants du centre et des quartiers voisins.", "2024-03-11"),
    ("03/11/2024 05:02 PM EDT", "The harbour closes in May after a vote on Tuesday night, the council said in a statement "
     "that was sent to the residents of the town.", None),  # English: day or month first, unknown
])
def test_slashed_date_under_the_headline_by_the_language(date: str, body: str, published: str | None) -> None:
    text = f"Harbour to close\n{date}\n\n{body}\n"
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["published"] == published


def test_headline_found_when_the_copy_starts_with_the_page_menu() -> None:
    menu = "\n".join(["Skip to content", "Harbour Post", "News", "Sport", "Weather", "Opinion", "Culture", "Log in", "Search", "Menu"])
    body = " ".join(["The harbour closes in May after a vote on Tuesday night, the council said in a statement."] * 3)
    text = f"{menu}\nLocal\nHarbour to close after eighty years of trade\nBy Mara Lind\n12 March 2024\n{body}\n"
    front = import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter
    assert (front["title"], [a["name"] for a in front["authors"]], front["published"]) == (
        "Harbour to close after eighty years of trade", ["Mara Lind"], "2024-03-12")


def test_a_short_headline_over_short_lines_is_still_the_first_line() -> None:
    text = "The First Decade\nMara Lind\nSa 13 Jul 2019\n\n" + "The harbour closes in May after a vote on Tuesday night. " * 4 + "\n"
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["title"] == "The First Decade"


def test_menu_items_of_a_whole_page_copy_are_not_a_byline() -> None:
    menu = "\n".join(["Startseite", "Weitere Inhalte", "Top Recherchen", "Sport", "Kultur", "Wetter", "Suche", "Menü", "Login", "Hilfe"])
    body = " ".join(["Der Hafen schließt im Mai nach einer Abstimmung am Dienstagabend, sagte der Stadtrat."] * 3)
    text = f"{menu}\n{body}\n"
    assert import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["authors"] == []


_BODY = " ".join(["The harbour closes in May after a vote on Tuesday night, the council said in a statement."] * 3)


def _text_title(text: str) -> str:
    return import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["title"]


def test_headline_found_under_a_skip_link_and_a_cookie_notice() -> None:
    """A whole-page copy opening with interface text, too short to be a menu: the headline is the line above the
    byline that leads into the body."""
    text = (f"Skip to main content\nWe use cookies to improve our service, see our policy.\nLocal news\n"
            f"Harbour to close after eighty years of trade\nBy Mara Lind\n{_BODY}\n{_BODY}\n")
    assert _text_title(text) == "Harbour to close after eighty years of trade"


def test_headline_not_its_standfirst_nor_the_related_links_under_it() -> None:
    """Of a headline and the standfirst under it the headline is taken, not a teaser above it; three
    headline-like lines in a row between the byline and the body are links to other articles."""
    menu = "\n".join(["Harbour Post", "News", "Sport", "Weather", "Opinion", "Culture", "Log in", "Search", "Menu", "Home"])
    related = "Ferry prices rise again this spring\nNew mayor sworn in at the town hall\nFishing fleet shrinks to six boats"
    text = (f"{menu}\nMost read\nSwimmers return to the north beach\nHarbour to close after eighty years of trade\nTraders fear for their jobs as the port winds down\n"
            f"By Mara Lind\n12 March 2024\nRelated\n{related}\n{_BODY}\n{_BODY}\n")
    assert _text_title(text) == "Harbour to close after eighty years of trade"


def test_headline_without_the_kicker_glued_to_it() -> None:
    """"KICKER Headline." on the first line and the headline alone under it: the clean one."""
    text = f"LOCAL Harbour to close after eighty years of trade.\nBy Mara Lind\nLOCAL\nHarbour to close after eighty years of trade\n{_BODY}\n"
    assert _text_title(text) == "Harbour to close after eighty years of trade"


def test_headline_without_the_badge_every_teaser_carries() -> None:
    """"… Premium" after the headline, as after every teaser's title on the page, is a badge, not its words."""
    teasers = "\n".join(f"{subject} in the harbour town this week Premium" for subject in ("Storms", "Ferries", "Markets"))
    text = f"Harbour to close after eighty years of trade Premium\nBy Mara Lind\n\n{_BODY}\n\n{teasers}\n"
    assert _text_title(text) == "Harbour to close after eighty years of trade"


def test_a_word_many_menu_items_end_with_is_kept_in_the_headline() -> None:
    text = f"Minister attacks Harbour News\nBy Mara Lind\n\n{_BODY}\n\nLocal News\nSport News\nCity News\n"
    assert _text_title(text) == "Minister attacks Harbour News"


def test_headline_left_unknown_when_nothing_tells_it() -> None:
    """A whole page copied from its menu, where no line above the body is backed by a byline, a date or the body
    right under it: the title is unknown (None) rather than a menu item."""
    menu = "\n".join(["Harbour Post", "News", "Sport", "Weather", "Opinion", "Culture", "Log in", "Search", "Menu", "Home"])
    text = f"{menu}\nMost read\nFerry prices rise again this spring\nShare\n\n{_BODY}\n\n{_BODY}\n"
    front = import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter
    assert (front["title"], front["authors"], front["published"]) == (None, [], None)


def _text_outlet(text: str) -> str | None:
    return import_source(text.encode(), origin="a.txt", today=datetime.date(2026, 11, 24)).front_matter["outlet"]


@pytest.mark.parametrize(("lines", "outlet"), [
    # a prompt for a newsletter names the newsletter, twice or not
    (["Sign up for the Morning Digest newsletter, free to your inbox.", "Subscribe to Morning Digest by email"], None),
    (["Sign up for the Harbour Post's newsletter, free to your inbox."], "Harbour Post"),  # the outlet's own
    # a wire agency's dateline says who filed the story, not who published it; a paragraph printed twice is one line
    (["KIEL (dpa) - The harbour closes in May.", "KIEL (dpa) - The harbour closes in May."], None),
    # a publishing company, from a copyright footer or a writer's employer, is not the publication
    (["© 2024 Harbour Media Network"], None),
    (["Copyright © 2019 Hafen Medien"], None),
    # "The X" and "X" are one name, spelled as the agency spells itself (the dateline's vote alone is too weak)
    (["KIEL (AP) — The harbour closes in May.", "Copyright 2024 The Associated Press. All Rights Reserved."], "Associated Press"),
])
def test_outlet_is_not_a_newsletter_an_agency_alone_or_a_publishing_company(lines: list[str], outlet: str | None) -> None:
    text = "Harbour to close after eighty years of trade\n\n" + "\n\n".join([_BODY, *lines]) + "\n"
    assert _text_outlet(text) == outlet


@pytest.mark.parametrize(("after_heading", "published"), [
    # the date printed under the headline, not a page's "created" stamp htmldate would read
    ("<p>12.10.2015, 19:16 Uhr</p>", "2015-10-12"),
    # a standfirst may stand between the headline and its date
    ("<p>" + "Der Hafen schließt im Mai nach einer Abstimmung am Dienstagabend, sagte der Stadtrat in einer Mitteilung. " * 2
     + "</p><p>12.10.2015</p>", "2015-10-12"),
])
def test_html_date_printed_under_the_headline_beats_a_created_stamp(after_heading: str, published: str) -> None:
    body = " ".join(["Der Hafen schließt im Mai nach einer Abstimmung am Dienstagabend, sagte der Stadtrat."] * 3)
    page = (f'<html lang="de"><head><title>Hafen schließt</title><meta itemprop="dateCreated" content="2019-05-07T17:00:52+02:00">'
            f"</head><body><h1>Hafen schließt</h1>{after_heading}<p>{body}</p><p>{body}</p></body></html>")
    assert import_source(page.encode(), origin="a.html", today=TODAY).front_matter["published"] == published


def test_html_outlet_without_the_issue_after_its_name() -> None:
    front = _html_front('<meta property="og:site_name" content="Die Hafenwoche, Ausgabe 4/2019">', "<h1>Hafen schließt</h1>")
    assert front["outlet"] == "Die Hafenwoche"


_MENU = "\n".join(["Harbour Post", "News", "Sport", "Weather", "Opinion", "Culture", "Log in", "Search", "Menu", "Home"])
_BLURB = "The council says the ferry prices will rise by a tenth in spring, and the traders on the quay are not pleased at all."


def test_teasers_with_blurbs_are_not_the_article_nor_its_headline() -> None:
    """Title, blurb, title, blurb: a list of other articles above this one, whose blurbs are no body."""
    teasers = "\n".join(f"{title}\n{_BLURB}" for title in
                        ("Ferry prices rise again this spring", "New mayor sworn in at the town hall", "Fishing fleet shrinks to six boats"))
    text = f"{_MENU}\n{teasers}\nHarbour to close after eighty years of trade\n12 March 2024\n{_BODY}\n{_BODY}\n"
    assert _text_title(text) == "Harbour to close after eighty years of trade"


def test_a_subheading_inside_the_body_is_no_headline() -> None:
    """When the headline cannot be told (here it is two sentences), a subheading between paragraphs is not taken
    for it: the title is left unknown."""
    text = (f"{_MENU}\nThe harbour closes. The town mourns.\n{_BODY}\n{_BODY}\nWhat happens to the quay next\n"
            f"{_BODY}\n{_BODY}\n{_BODY}\n")
    assert _text_title(text) is None


def test_a_short_menu_item_over_the_body_needs_a_byline_or_date_to_be_the_headline() -> None:
    text = f"{_MENU}\nHelp & About\nOur charter\n{_BODY}\n{_BODY}\n"
    assert _text_title(text) is None


def test_names_listed_under_a_label_with_a_colon_are_not_the_byline() -> None:
    """"Topics of this article:" and a list of tags, some of them people: no byline."""
    text = f"Harbour to close after eighty years of trade\n12 March 2024\n{_BODY}\nTopics of this article:\nMara Lind\nFerries\nJon Berg\n"
    assert import_source(text.encode(), origin="a.txt", today=TODAY).front_matter["authors"] == []


def test_date_printed_over_a_headline_found_below_the_copy_start() -> None:
    text = f"{_MENU}\n12 March 2024\nHarbour to close after eighty years of trade\nBy Mara Lind\n{_BODY}\n{_BODY}\n"
    assert import_source(text.encode(), origin="a.txt", today=TODAY).front_matter["published"] == "2024-03-12"


def test_byline_and_date_under_a_kicker_glued_headline_are_kept() -> None:
    text = f"LOCAL Harbour to close after eighty years of trade.\nBy Mara Lind\n12 March 2024\nLOCAL\nHarbour to close after eighty years of trade\n{_BODY}\n"
    front = import_source(text.encode(), origin="a.txt", today=TODAY).front_matter
    assert (front["title"], [a["name"] for a in front["authors"]], front["published"]) == (
        "Harbour to close after eighty years of trade", ["Mara Lind"], "2024-03-12")


@pytest.mark.parametrize(("elsewhere", "outlet"), [
    ("", None),  # the holder named nowhere else: as often a developer, an owner or the writer as the publication
    ("More news from the Harbour Post", "Harbour Post"),
    ("HP newsroom", "Harbour Post"),  # its initials
])
def test_a_copyright_footer_names_the_outlet_only_when_the_copy_names_it_elsewhere(elsewhere: str, outlet: str | None) -> None:
    text = f"Harbour to close\n\n{_BODY}\n\n{elsewhere}\n\n© 2024 Harbour Post\n"
    assert _text_outlet(text) == outlet


def test_headline_takes_the_punctuation_a_copy_lost_after_its_kicker() -> None:
    """The breadcrumb prints "Kicker: Headline", the heading "Kicker" and "Headline" set apart, which the copy
    joins with a space."""
    text = f"{_MENU}\nHarbour: Port to close after eighty years\n12 March 2024\nHarbour Port to close after eighty years\n{_BODY}\n{_BODY}\n"
    assert _text_title(text) == "Harbour: Port to close after eighty years"


def test_html_date_set_as_a_part_of_the_title_beats_a_teaser_date() -> None:
    """No machine-written date; the title ends "| Site | 10.06.2013" while a related teaser's heading prints
    another date that htmldate would take."""
    body = " ".join(["The harbour closes in May after a vote on Tuesday night, the council said in a statement."] * 3)
    page = ('<html lang="en"><head><title>Harbour to close | Port Post | 10.06.2013</title></head><body>'
            f"<h1>Harbour to close</h1><p>{body}</p><p>{body}</p>"
            '<h2>Ferries stop for the winter <span class="date">01.08.2019</span></h2></body></html>')
    assert import_source(page.encode(), origin="a.html", today=TODAY).front_matter["published"] == "2013-06-10"

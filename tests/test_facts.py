"""The facts of a document (common/facts.xsl): each mention's words in context, the same however long its passage.

The context is gathered near the mention only (a passage of a thousand mentions, such as a long
chronology table, must not cost a thousand times the passage); these tests pin that it is still
exactly the context of the whole passage's reading text: a reference written here over lxml reads
every text node of the passage and keeps those of the reading text, as the specification says.
"""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

from lxml import etree

from teipress.saxon import Stylesheets

TEI = "http://www.tei-c.org/ns/1.0"
FACTS = {"f": "https://teipress.org/ns/facts"}
CONTEXT_WORDS = 6
CONTEXT_CHARACTERS = 60

# The reading each alternate follows (common/readings.xsl), for the alternates the test writes.
PRIMARY = {"choice": "expan", "app": "lem", "subst": "add"}


def local(element: etree._Element) -> str:
    return etree.QName(element).localname


Ancestors = tuple[tuple[etree._Element, str], ...]


def is_reading_text(ancestors: Ancestors, own: set[etree._Element]) -> bool:
    """Whether a text node (the elements it lies in, innermost first, with their names) is reading text around a mention (`own`: it and its ancestors)."""
    if any(name == "note" and a not in own for a, name in ancestors):
        return False
    # The element inside an alternate on the way to the text (ancestors[i - 1]) is the reading it lies in.
    return all(i > 0 and ancestors[i - 1][1] == PRIMARY[name] for i, (a, name) in enumerate(ancestors) if name in PRIMARY and a not in own)


Walk = list[tuple[str, etree._Element | None, str, Ancestors]]


def walk(element: etree._Element, ancestors: Ancestors = ()) -> Walk:
    """A passage in document order: each element's start and end, and each text node with the elements it lies in."""
    inside = ((element, local(element)), *ancestors)
    steps: Walk = [("start", element, "", ())]
    if element.text:
        steps.append(("text", None, element.text, inside))
    for child in element:
        steps += walk(child, inside)
        if child.tail:
            steps.append(("text", None, child.tail, inside))
    return [*steps, ("end", element, "", ())]


def expected_context(mention: etree._Element, walks: dict[etree._Element, Walk]) -> tuple[str | None, str | None]:
    """The before and after attributes facts.xsl gives a mention, from the whole passage's reading text."""
    own = {mention, *mention.iterancestors()}
    passage = next(a for a in mention.iterancestors() if local(a) in ("p", "note"))
    if passage not in walks:
        walks[passage] = walk(passage, tuple((a, local(a)) for a in passage.iterancestors()))
    steps = walks[passage]
    start = next(i for i, step in enumerate(steps) if step[:2] == ("start", mention))
    end = next(i for i, step in enumerate(steps) if step[:2] == ("end", mention))
    text_before = "".join(text for kind, _, text, ancestors in steps[:start] if kind == "text" and is_reading_text(ancestors, own))
    text_after = "".join(text for kind, _, text, ancestors in steps[end:] if kind == "text" and is_reading_text(ancestors, own))
    before_words, after_words = text_before.split(), text_after.split()
    before = after = None
    if before_words:
        words = " ".join(before_words[-CONTEXT_WORDS:])
        cut = words[-CONTEXT_CHARACTERS:]
        before = ("… " if len(before_words) > CONTEXT_WORDS or cut != words else "") + cut + (" " if re.search(r"\s$", text_before) else "")
    if after_words:
        words = " ".join(after_words[:CONTEXT_WORDS])
        cut = words[:CONTEXT_CHARACTERS]
        after = (" " if re.match(r"\s", text_after) else "") + cut + (" …" if len(after_words) > CONTEXT_WORDS or cut != words else "")
    return before, after


def long_passage(mentions: int, seed: int) -> str:
    """One paragraph with `mentions` names among words, notes (each a passage of its own), alternates and words split by markup."""
    rng = random.Random(seed)
    words = ["Zug", "Luzern", "der", "Gotthard", "Bahn", "Konferenz", "am", "7.", "August", "1863", "Delegierte", "(ZH,", "BE)", "—", "Escher"]
    parts = []
    for number in range(mentions):
        parts.append(" ".join(rng.choice(words) for _ in range(rng.randint(0, 9))))
        parts.append(rng.choice([
            " ", "", " <note>eine Anmerkung, nie Kontext</note> ", "<choice><abbr>Dr.</abbr><expan>Doktor</expan></choice> ",
            " <app><lem>gesagt</lem><rdg>geschrieben</rdg></app> ", "<subst><del>alt</del><add>neu</add></subst>", " Ti<hi>to</hi>-",
            "\n\t", " <lb/>Zei<lb break=\"no\"/>le ",
        ]))
        name = f'<persName ref="#p{number % 7}">Name {number}</persName>'
        parts.append(rng.choice([name, name, f"<note>Anmerkung mit {name} darin</note>",
                                 f"<choice><abbr>{name}</abbr><expan>Herr</expan></choice>", f"<hi>{name}</hi>"]))
    return f'<TEI xmlns="{TEI}"><teiHeader/><text><body><p xml:id="long">{"".join(parts)} Ende.</p><p>Nächster Absatz.</p></body></text></TEI>'


def test_each_mention_of_a_long_passage_has_the_context_of_the_whole_passage() -> None:
    document = etree.fromstring(long_passage(400, seed=11))
    mentions = document.findall(f".//{{{TEI}}}persName")
    walks: dict[etree._Element, Walk] = {}
    facts = etree.fromstring(Stylesheets().transform("common/facts.xsl", document).encode("utf-8"))
    found = [(m.get("before"), m.get("after")) for m in facts.iterfind("f:mention", FACTS)]
    assert found == [expected_context(mention, walks) for mention in mentions]
    assert len(found) == 400


def test_the_context_stops_at_the_passage_and_keeps_words_split_by_markup_whole() -> None:
    document = etree.fromstring(
        f'<TEI xmlns="{TEI}"><teiHeader/><text><body><p>Erster Absatz endet hier.</p>'
        f'<p><persName ref="#a">Anna</persName> und Ti<hi>to</hi>-<persName ref="#k">Kim</persName>'
        f'<note>nie</note> reisten am <choice><abbr>Mo.</abbr><expan>Montag</expan></choice> nach <placeName ref="#z">Zug</placeName>'
        f' und weiter, eins zwei drei vier fünf sechs sieben.</p></body></text></TEI>')
    facts = etree.fromstring(Stylesheets().transform("common/facts.xsl", document).encode("utf-8"))
    assert [(m.get("surface"), m.get("before"), m.get("after")) for m in facts.iterfind("f:mention", FACTS)] == [
        ("Anna", None, " und Tito-Kim reisten am Montag nach …"),
        ("Kim", "Anna und Tito-", " reisten am Montag nach Zug und …"),
        ("Zug", "… und Tito-Kim reisten am Montag nach ", " und weiter, eins zwei drei vier …"),
    ]


def test_a_documents_title_reads_as_the_text_shows_it_without_other_readings_or_notes() -> None:
    """From the header's title, else the first heading: each as tp:is-reading-text reads text (the model above)."""
    def title(header: str, body: str) -> str:
        document = etree.fromstring(f'<TEI xmlns="{TEI}" xml:id="doc-1"><teiHeader><fileDesc><titleStmt>{header}</titleStmt></fileDesc></teiHeader>'
                                    f'<text><body>{body}</body></text></TEI>')
        return etree.fromstring(Stylesheets().transform("common/facts.xsl", document).encode("utf-8")).get("title")

    assert title('<title>Brief an  <choice><abbr>Bsp.</abbr><expan>Beispiel</expan></choice><note>Siehe unten</note> </title>', "") == "Brief an Beispiel"
    assert title("", '<head>Letter <app><lem>one</lem><rdg wit="#B">won</rdg></app><note n="1">Numbered later.</note></head><p>Text.</p>') == "Letter one"
    assert title("", "<p>No heading.</p>") == "doc-1"
    assert title('<title type="sub">Sub</title><title type="main">Main <subst><del>draft</del><add>copy</add></subst></title>', "") == "Main copy"


def test_a_dated_event_keeps_the_words_around_its_date_not_its_whole_passage() -> None:
    days = "".join(f'am <date when="1863-08-{day:02d}">{day}. August</date> in Luzern, ' for day in range(1, 31))
    document = etree.fromstring(f'<TEI xmlns="{TEI}"><teiHeader/><text><body><p>Man tagte {days}zuletzt in Bern.</p>'
                                f'<p>Am <date when="1863-09-01">1. September</date> ruhte man.</p></body></text></TEI>')
    facts = etree.fromstring(Stylesheets().transform("common/facts.xsl", document).encode("utf-8"))
    events = [(e.get("when"), e.text) for e in facts.iterfind("f:event", FACTS)]
    assert len(events) == 31
    assert events[0] == ("1863-08-01", "Man tagte am 1. August in Luzern, am 2. August in …")
    assert events[1] == ("1863-08-02", "… am 1. August in Luzern, am 2. August in Luzern, am 3. August in …")
    assert events[29] == ("1863-08-30", "… am 29. August in Luzern, am 30. August in Luzern, zuletzt in Bern.")
    assert events[30] == ("1863-09-01", "Am 1. September ruhte man.")


# --- the store of facts: which register entries a change concerns ---------------------------------------


def facts_file(document_id: str, date: str, mentions: list[tuple[str, str]]) -> str:
    """A document's facts as html/summary.xsl writes them: its sender, and mentions (entity, words after it)."""
    marks = "".join(f'<mention entity="{entity}" kind="person" anchor="p1" surface="{entity}" after="{after}"/>' for entity, after in mentions)
    return (f'<?xml version="1.0" encoding="UTF-8"?><document xmlns="https://teipress.org/ns/site" id="{document_id}" type="letter" title="A letter"'
            f' date="{date}" sort="{date}" year="{date[:4]}"><sender ref="sender">Sender</sender>'
            f'<facts xmlns="https://teipress.org/ns/facts" document="{document_id}">{marks}</facts></document>')


def test_the_store_names_only_the_entries_whose_pages_a_change_concerns(tmp_path: Path) -> None:
    from teipress.factstore import FACTS_DIR, FactsStore

    (tmp_path / FACTS_DIR).mkdir(parents=True)
    built = [""]  # the store each update was made by, as a site's manifest names it

    def update(facts: dict[str, str]) -> list[str]:
        for document_id, xml in facts.items():
            (tmp_path / FACTS_DIR / f"{document_id}.xml").write_text(xml, encoding="utf-8")
        with FactsStore(tmp_path / "facts.sqlite", built[-1]) as store:
            built.append(store.build)
            affected = store.update(tmp_path, {document_id: hashlib.sha256(xml.encode()).hexdigest() for document_id, xml in facts.items()})
            assert store.document_counts() == {entity: sum(f'"{entity}"' in xml for xml in facts.values()) for entity in ("sender", "alma", "bert", "cleo")
                                               if any(f'"{entity}"' in xml for xml in facts.values())}
        return sorted(affected)

    one = [("alma", " wrote"), ("bert", " came")]
    assert update({"a": facts_file("a", "1950-01-01", one), "b": facts_file("b", "1950-02-02", [("cleo", "")])}) == ["alma", "bert", "cleo", "sender"]
    # Unchanged facts of a changed source (a sentence far from any mention): no entry.
    assert update({"a": facts_file("a", "1950-01-01", one) + " ", "b": facts_file("b", "1950-02-02", [("cleo", "")])}) == []
    # A mention's context: its entry only; a new mention: its entry.
    assert update({"a": facts_file("a", "1950-01-01", [("alma", " wrote to"), ("bert", " came"), ("cleo", "")]),
                   "b": facts_file("b", "1950-02-02", [("cleo", "")])}) == ["alma", "cleo"]
    # A mention removed: its entry, whose page must no longer list the letter.
    assert update({"a": facts_file("a", "1950-01-01", [("alma", " wrote to"), ("bert", " came")]),
                   "b": facts_file("b", "1950-02-02", [("cleo", "")])}) == ["cleo"]
    # Another date (the letter moves in every entry's list): all it names, before and after.
    assert update({"a": facts_file("a", "1951-01-01", one), "b": facts_file("b", "1950-02-02", [("cleo", "")])}) == ["alma", "bert", "sender"]
    # A letter gone: all it named.
    assert update({"a": facts_file("a", "1951-01-01", one)}) == ["cleo", "sender"]


def test_the_store_quotes_attribute_values_as_the_standard_library_does() -> None:
    """factstore.quoteattr stands in for xml.sax.saxutils.quoteattr (whose module a rebuild need not import):
    the same text for hostile values, so that the sources of the pages, and their keys, stay as they were."""
    from xml.sax.saxutils import quoteattr as standard

    from teipress.factstore import quoteattr

    values = ["", "Alma", 'say "hi"', "it's", """both ' and " <b>&amp;</b>""", "line\nbreak\ttab\rreturn", "&lt;not an entity", "]]>"]
    randomly = random.Random(3)
    values += ["".join(randomly.choice("ab\"'<>&\n\r\t é") for _ in range(randomly.randint(0, 9))) for _ in range(500)]
    assert [quoteattr(value) for value in values] == [standard(value) for value in values]
    for value in values:  # and the XML parser reads back the value given
        assert etree.fromstring(f"<e a={quoteattr(value)}/>").get("a") == value

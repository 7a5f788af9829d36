"""A synthetic correspondence edition for measuring teipress: N letters, registers of proportional size.

Everything it writes follows `docs/ENCODING.md`: one TEI file per letter (`tei/letter-00001.xml` ...)
with a full header (titleStmt, publicationStmt, msDesc, correspDesc, editorialDecl, revisionDesc)
and a body whose markup is as dense as in a real edition (an entity every 12-20 words, dates,
editorial notes, abbreviations, quotations, emphasis, citations of other letters), the four
registers in `tei/registers/`, `tei/edition.xml` and a `teipress.toml`.

All names, places, organisations and archives are invented and say so in their descriptions; no
authority identifier is given. The same N and seed always give the same files.

Example:

    python bench/generate.py 1000 /tmp/edition-1000
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import random
import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

REPO = Path(__file__).resolve().parents[1]
TEI_NS = "http://www.tei-c.org/ns/1.0"
EDITION_TITLE = "Letters of the Synthetic Commission, 1950-1989"
EDITION_PUBLISHER = "teipress benchmark (synthetic data)"
ARCHIVE = "Synthetic State Archive"
LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
BASE_URL = "https://edition.example.org/"
SYNTHETIC = "Invented for the teipress benchmark; not a real {kind}."
FIRST_DATE = dt.date(1950, 1, 1)
LAST_DATE = dt.date(1989, 12, 31)

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")

# Syllables for invented names: pronounceable, yet no real person's or town's name on purpose.
NAME_ONSETS = ("b", "br", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s",
               "st", "t", "tr", "v", "vr", "z", "ch", "sh", "th", "j", "y", "w")
NAME_VOWELS = ("a", "e", "i", "o", "u", "ae", "ia", "ou", "ei", "y")
NAME_CODAS = ("", "", "n", "r", "l", "s", "k", "m", "th", "v", "nd", "rk", "sk", "lt")
SURNAME_ENDINGS = ("ov", "ani", "escu", "berg", "ström", "ović", "ez", "ard", "mann", "ski", "ley",
                   "ine", "ado", "ek", "holm", "ay", "idis", "ani", "uk", "ett")
PLACE_ENDINGS = ("grad", "haven", "ford", "burg", "ia", "stad", "mouth", "polis", "ovo", "heim",
                 "field", "ara", "esti", "vik", "ton", "os")
ORG_ADJECTIVES = ("Northern", "Southern", "Eastern", "Western", "Central", "United", "Joint",
                  "National", "Provincial", "Federal", "Coastal", "Highland", "Riverine", "Allied")
ORG_SUBJECTS = ("Grain", "Shipping", "Railway", "Textile", "Mining", "Fisheries", "Printing",
                "Forestry", "Irrigation", "Telegraph", "Steel", "Cotton", "Timber", "Salt")
ORG_KINDS = ("Commission", "Cooperative", "Council", "Board", "Union", "Committee", "Institute",
             "Bureau", "Trust", "League", "Directorate", "Society")

NOUNS = ("agreement", "delegation", "report", "proposal", "harvest", "conference", "shipment",
         "treaty", "visit", "question", "position", "request", "matter", "season", "railway",
         "plan", "budget", "meeting", "exhibition", "journey", "archive", "memorandum", "committee",
         "reply", "telegram", "invitation", "decision", "friendship", "translation", "negotiation",
         "correspondence", "programme", "draft", "survey", "library", "newspaper", "council",
         "frontier", "harbour", "factory", "school", "hospital", "bridge", "congress", "statement",
         "reform", "election", "census", "loan", "museum", "orchestra", "expedition", "vote")
ADJECTIVES = ("recent", "difficult", "friendly", "considerable", "urgent", "useful", "careful",
              "modest", "formal", "generous", "uncertain", "lengthy", "fruitful", "delicate",
              "regrettable", "welcome", "thorough", "unexpected", "cordial", "provisional",
              "important", "practical", "candid", "ambitious", "quiet", "prompt")
VERBS = ("discussed", "examined", "approved", "postponed", "received", "welcomed", "questioned",
         "signed", "reviewed", "supported", "rejected", "prepared", "delayed", "accepted",
         "recorded", "considered", "announced", "arranged", "forwarded", "studied", "opposed",
         "confirmed", "mentioned", "revised")
ADVERBS = ("carefully", "promptly", "reluctantly", "warmly", "finally", "openly", "briefly",
           "quietly", "firmly", "gladly", "repeatedly", "at length")
TOPICS = ("trade", "culture", "agriculture", "education", "transport", "diplomacy", "science",
          "health", "industry", "fisheries", "printing", "music")
CLASSIFICATIONS = ("CONFIDENTIAL", "SECRET", "RESTRICTED")
ABBREVIATIONS = (("Gov.", "Government"), ("Min.", "Ministry"), ("Dept.", "Department"),
                 ("Comm.", "Commission"), ("Prof.", "Professor"), ("approx.", "approximately"),
                 ("Jan.", "January"), ("Sept.", "September"), ("Nov.", "November"),
                 ("ult.", "ultimo"), ("inst.", "instant"), ("Ass.", "Assembly"))
HI_RENDS = ("italic", "underline", "bold", "italic", "superscript")
SALUTATIONS = ("Dear", "My dear", "Esteemed", "Dear friend")
VALEDICTIONS = ("With respect,", "Yours sincerely,", "With warm regards,", "Yours faithfully,",
                "In friendship,")

# Prose patterns. Slots: {n} noun, {a} adjective, {v} verb, {r} adverb, {P} person, {L} place,
# {O} organisation, {D} a past date, {F} a future date, {C} an abbreviation, {H} emphasis, {R} a cited letter.
SENTENCES = (
    "I write to tell you that the {a} {n} was {v} by {P} last week.",
    "The {n} from {L} has {r} been {v}, and I enclose a copy for your files.",
    "As you know, the {O} {v} the {n} on {D}.",
    "We {v} the {a} {n} with {P} and found it {a}.",
    "It would be {a} if the {n} could reach {L} before the {n} is {v}.",
    "Our {C} {v} the {n} {r}, though the {n} remains {a}.",
    "Please convey my thanks to {P} for the {a} {n}.",
    "The {n} of the {O} is, I fear, {H} to the {n} we {v} together.",
    "Nobody in {L} expected the {n} to be {v} so {r}.",
    "I have {v} your letter of {D} and the {n} it mentions.",
    "In my letter of {D} I {v} the same {n}, as {R} shows.",
    "The {a} {n} {v} in {L} will be on the agenda of the {O}.",
    "{P} has {r} {v} the {n}, which is {a} news.",
    "You will remember the {n} we {v} in {L}.",
    "The {n} was {v} {r}; the {n}, however, was not.",
    "I am told that {P} and {P} {v} the {n} at the {O}.",
    "Let me add a {a} word about the {n}.",
    "Everything depends on whether the {n} is {v} before {F}.",
    "The {a} {n} must wait until the {n} is {v}.",
    "Our friends in {L} {v} the {n} and send their regards.",
)
QUOTED = (
    "the {n} shall be {v} without delay",
    "nothing in the {n} may be {v} by either party",
    "the {a} {n} is {v}",
    "we have {v} the {n} with {a} interest",
)
NOTES = (
    "{P} is named here by the {n} he or she held at the time.",
    "The {n} mentioned is not preserved in the archive of the {O}.",
    "The date is written over an erasure in the original.",
    "See the {n} of {D} on the same {n}.",
    "The {O} is meant; the writer uses its former name.",
    "{L}: the writer's spelling is kept.",
)


@dataclass
class Entry:
    """One register entry: what the text may call it and what the register says about it."""

    id: str
    standard: str
    variants: tuple[str, ...] = ()
    sort_key: str | None = None
    birth: str | None = None
    death: str | None = None
    description: str = ""


@dataclass
class CitedLetter:
    """A letter the edition cites but does not contain: an entry of `bibliography.xml`."""

    id: str
    number: int
    sender: Entry
    addressee: Entry
    date: dt.date
    subject: str


@dataclass
class Letter:
    """The facts of one letter, fixed before its text is written."""

    id: str
    number: int
    date: dt.date
    sender: Entry
    addressee: Entry
    place_sent: Entry
    place_received: Entry
    classification: str | None
    translator: Entry | None
    topics: tuple[str, ...]


@dataclass
class Cast:
    """Everyone and everything the letters can mention, with how often each tends to be mentioned."""

    editors: list[Entry]
    persons: list[Entry]
    translators: list[Entry]
    places: list[Entry]
    orgs: list[Entry]
    cited: list[CitedLetter]
    _weights: dict[str, list[float]] = field(default_factory=dict)

    def pick(self, rng: random.Random, kind: str) -> Entry:
        """A popular entry more often than an obscure one (Zipf-like), as in real correspondence."""
        entries: list[Entry] = getattr(self, kind)
        cumulative = self._weights.get(kind)
        if cumulative is None:
            cumulative = list(itertools.accumulate(1.0 / (rank + 2) for rank in range(len(entries))))
            self._weights[kind] = cumulative
        index = bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
        return entries[min(index, len(entries) - 1)]


# --- names ---------------------------------------------------------------------------------------

def _syllable(rng: random.Random) -> str:
    return rng.choice(NAME_ONSETS) + rng.choice(NAME_VOWELS) + rng.choice(NAME_CODAS)


def _unique(rng: random.Random, make: Callable[[random.Random], str], taken: set[str]) -> str:
    """A name nobody else in the edition has, so that every mention points at one entry unambiguously."""
    while True:
        name = make(rng)
        if name not in taken:
            taken.add(name)
            return name


def _forename(rng: random.Random) -> str:
    return (_syllable(rng) + rng.choice(("a", "o", "in", "el", "is", ""))).capitalize()


def _surname(rng: random.Random) -> str:
    return (_syllable(rng) + rng.choice(SURNAME_ENDINGS)).capitalize()


def _place_name(rng: random.Random) -> str:
    return (_syllable(rng) + rng.choice(PLACE_ENDINGS)).capitalize()


def _org_name(rng: random.Random) -> str:
    return f"{rng.choice(ORG_ADJECTIVES)} {rng.choice(ORG_SUBJECTS)} {rng.choice(ORG_KINDS)}"


def _sort_key(text: str) -> str:
    return "-".join(text.lower().split())


def _iso_day(date: dt.date) -> str:
    return date.isoformat()


def _random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _person(rng: random.Random, number: int, taken: set[str], role: str) -> Entry:
    forename, surname = _forename(rng), _unique(rng, _surname, taken)
    born = _random_date(rng, dt.date(1890, 1, 1), dt.date(1935, 12, 31))
    died = _random_date(rng, dt.date(1960, 1, 1), dt.date(2010, 12, 31)) if rng.random() < 0.6 else None
    return Entry(
        id=f"person-{number:05d}",
        standard=f"{forename} {surname}",
        variants=(surname,),
        sort_key=_sort_key(f"{surname} {forename}"),
        birth=_iso_day(born) if rng.random() < 0.8 else None,
        death=_iso_day(died) if died else None,
        description=f"{role}. " + SYNTHETIC.format(kind="person"),
    )


def make_cast(rng: random.Random, letters: int) -> Cast:
    """Registers in proportion to the edition: persons ~N/3, places ~N/8, organisations ~N/15."""
    taken: set[str] = set()
    editors = [
        Entry(id=f"editor-{i}", standard=f"{first} {last}", variants=(last,), sort_key=_sort_key(f"{last} {first}"),
              description="Editor of this synthetic edition. " + SYNTHETIC.format(kind="person"))
        for i, (first, last) in enumerate((("Ilvana", "Protheroe-Synth"), ("Dario", "Benchwell")), start=1)
    ]
    taken.update(e.variants[0] for e in editors)
    roles = ("Correspondent", "Official of a trade delegation", "Journalist", "Diplomat", "Scholar",
             "Engineer", "Archivist", "Musician")
    persons = [_person(rng, i, taken, rng.choice(roles)) for i in range(1, max(12, letters // 3) + 1)]
    translators = [_person(rng, len(persons) + i, taken, "Translator") for i in range(1, max(2, letters // 200) + 1)]
    places = []
    for i in range(1, max(6, letters // 8) + 1):
        name = _unique(rng, _place_name, taken)
        variants = (name[:-1] + "e",) if rng.random() < 0.2 else ()
        places.append(Entry(id=f"place-{i:05d}", standard=name, variants=variants,
                            description="Town. " + SYNTHETIC.format(kind="place")))
    orgs = []
    for i in range(1, max(4, letters // 15) + 1):
        name = _unique(rng, _org_name, taken)
        acronym = "".join(word[0] for word in name.split())
        orgs.append(Entry(id=f"org-{i:05d}", standard=name, variants=(acronym,),
                          description="Organisation. " + SYNTHETIC.format(kind="organisation")))
    cast = Cast(editors=editors, persons=persons, translators=translators, places=places, orgs=orgs, cited=[])
    for number in range(1, max(3, letters // 10) + 1):
        sender, addressee = _two_persons(rng, cast)
        cast.cited.append(CitedLetter(
            id=f"document-{number}", number=number, sender=sender, addressee=addressee,
            date=_random_date(rng, FIRST_DATE, LAST_DATE),
            subject=f"On the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} ({rng.choice(TOPICS)}).",
        ))
    return cast


def _two_persons(rng: random.Random, cast: Cast) -> tuple[Entry, Entry]:
    first = cast.pick(rng, "persons")
    second = cast.pick(rng, "persons")
    while second is first:
        second = rng.choice(cast.persons)
    return first, second


def make_letters(rng: random.Random, cast: Cast, count: int) -> list[Letter]:
    """The letters' facts, dated in order of their numbers."""
    dates = sorted(_random_date(rng, FIRST_DATE, LAST_DATE) for _ in range(count))
    letters = []
    for number, date in enumerate(dates, start=1):
        sender, addressee = _two_persons(rng, cast)
        place_sent = cast.pick(rng, "places")
        place_received = cast.pick(rng, "places")
        letters.append(Letter(
            id=f"letter-{number:05d}", number=number, date=date, sender=sender, addressee=addressee,
            place_sent=place_sent, place_received=place_received,
            classification=rng.choice(CLASSIFICATIONS) if rng.random() < 0.3 else None,
            translator=rng.choice(cast.translators) if rng.random() < 0.25 else None,
            topics=tuple(rng.sample(TOPICS, rng.randint(1, 3))),
        ))
    return letters


# --- text ----------------------------------------------------------------------------------------

def _spoken_date(date: dt.date) -> str:
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


class Prose:
    """Writes the marked-up text of one letter; `mentions` counts how often each kind was tagged."""

    def __init__(self, rng: random.Random, cast: Cast, letter: Letter) -> None:
        self.rng = rng
        self.cast = cast
        self.letter = letter

    def entity(self, kind: str) -> str:
        rng = self.rng
        if kind == "P":
            entry = self.cast.pick(rng, "persons")
            return f'<persName ref="#{entry.id}">{escape(self._surface(entry))}</persName>'
        if kind == "L":
            entry = self.cast.pick(rng, "places")
            return f'<placeName ref="#{entry.id}">{escape(self._surface(entry))}</placeName>'
        entry = self.cast.pick(rng, "orgs")
        if rng.random() < 0.1:
            return f'<rs type="org" ref="#{entry.id}">the {escape(entry.standard.split()[-1].lower())}</rs>'
        return f'<orgName ref="#{entry.id}">{escape(self._surface(entry))}</orgName>'

    def _surface(self, entry: Entry) -> str:
        if entry.variants and self.rng.random() < 0.35:
            return self.rng.choice(entry.variants)
        return entry.standard

    def date(self, future: bool = False) -> str:
        """A day or month near the letter's date: before it, or after it for what is still to come."""
        rng = self.rng
        offset = dt.timedelta(days=rng.randrange(1, 400))
        day = self.letter.date + offset if future else self.letter.date - offset
        if rng.random() < 0.25:
            return f'<date when="{day.year:04d}-{day.month:02d}">{MONTHS[day.month - 1]} {day.year}</date>'
        return f'<date when="{_iso_day(day)}">{_spoken_date(day)}</date>'

    def abbreviation(self) -> str:
        abbr, expan = self.rng.choice(ABBREVIATIONS)
        return f"<choice><abbr>{escape(abbr)}</abbr><expan>{escape(expan)}</expan></choice>"

    def emphasis(self) -> str:
        return f'<hi rend="{self.rng.choice(HI_RENDS)}">{self.rng.choice(ADJECTIVES)}</hi>'

    def citation(self) -> str:
        cited = self.rng.choice(self.cast.cited)
        return f'<ref target="#{cited.id}">[Document {cited.number}]</ref>'

    def fill(self, pattern: str) -> str:
        rng = self.rng
        out: list[str] = []
        for chunk in pattern.split("{"):
            if "}" not in chunk:
                out.append(escape(chunk))
                continue
            slot, rest = chunk.split("}", 1)
            if slot == "n":
                out.append(rng.choice(NOUNS))
            elif slot == "a":
                out.append(rng.choice(ADJECTIVES))
            elif slot == "v":
                out.append(rng.choice(VERBS))
            elif slot == "r":
                out.append(rng.choice(ADVERBS))
            elif slot in "PLO":
                out.append(self.entity(slot))
            elif slot == "D":
                out.append(self.date())
            elif slot == "F":
                out.append(self.date(future=True))
            elif slot == "C":
                out.append(self.abbreviation())
            elif slot == "H":
                out.append(self.emphasis())
            elif slot == "R":
                out.append(self.citation())
            else:
                raise ValueError(f"unknown slot {{{slot}}} in {pattern!r}")
            out.append(escape(rest))
        text = "".join(out)
        return text[0].upper() + text[1:] if text[0].islower() else text

    def sentence(self) -> str:
        rng = self.rng
        text = self.fill(rng.choice(SENTENCES))
        if rng.random() < 0.08:
            text += f" They wrote: <quote>{self.fill(rng.choice(QUOTED))}</quote>."
        if rng.random() < 0.07:
            note = self.fill(rng.choice(NOTES))
            text += f'<note type="editorial" resp="#{rng.choice(self.cast.editors).id}">{note}</note>'
        return text

    def paragraph(self) -> str:
        sentences = [self.sentence() for _ in range(self.rng.randint(3, 6))]
        return "<p>" + " ".join(sentences) + "</p>"

    def body(self) -> str:
        letter = self.letter
        salutation = self.rng.choice(SALUTATIONS)
        opener = (
            "<opener>\n"
            f'          <dateline><placeName ref="#{letter.place_sent.id}">{escape(letter.place_sent.standard)}</placeName>, '
            f'<date when="{_iso_day(letter.date)}">{_spoken_date(letter.date)}</date></dateline>\n'
            f'          <salute>{salutation} <persName ref="#{letter.addressee.id}">{escape(letter.addressee.standard)}</persName>,</salute>\n'
            "        </opener>"
        )
        paragraphs = [self.paragraph() for _ in range(self.rng.randint(4, 12))]
        closer = (
            "<closer>\n"
            f"          <salute>{self.rng.choice(VALEDICTIONS)}</salute>\n"
            f'          <signed><persName ref="#{letter.sender.id}">{escape(letter.sender.standard)}</persName></signed>\n'
            "        </closer>"
        )
        return "\n        ".join([opener, *paragraphs, closer])


# --- files ---------------------------------------------------------------------------------------

def _prolog(schema: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<?xml-model href="{schema}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"?>\n'
        f'<?xml-model href="{schema}" type="application/xml" schematypens="http://purl.oclc.org/dsdl/schematron"?>\n'
    )


def _editors_xml(cast: Cast, indent: str) -> str:
    return "\n".join(f'{indent}<editor><persName ref="#{e.id}">{escape(e.standard)}</persName></editor>' for e in cast.editors)


def _publication_stmt(indent: str) -> str:
    return (
        f"{indent}<publicationStmt>\n"
        f"{indent}  <publisher>{escape(EDITION_PUBLISHER)}</publisher>\n"
        f"{indent}  <distributor>{escape(ARCHIVE)}</distributor>\n"
        f"{indent}  <availability>\n"
        f"{indent}    <p>Synthetic text generated for measuring teipress; free of rights.</p>\n"
        f"{indent}    <licence target={quoteattr(LICENCE_URL)}>CC0 1.0 Universal</licence>\n"
        f"{indent}  </availability>\n"
        f'{indent}  <date when="2026">2026</date>\n'
        f"{indent}</publicationStmt>"
    )


def letter_xml(rng: random.Random, cast: Cast, letter: Letter) -> str:
    """The whole TEI file of one letter."""
    title = f"Letter from {letter.sender.standard} to {letter.addressee.standard}, {_spoken_date(letter.date)}"
    translator = (
        f'\n        <respStmt><resp>translation</resp><persName ref="#{letter.translator.id}">{escape(letter.translator.standard)}</persName></respStmt>'
        if letter.translator else ""
    )
    classification = (
        f'\n              <msItem><note type="classification">{letter.classification}</note></msItem>'
        if letter.classification else ""
    )
    received = letter.date + dt.timedelta(days=rng.randint(3, 40))
    changes = sorted({_random_date(rng, dt.date(2024, 1, 1), dt.date(2026, 10, 31)) for _ in range(rng.randint(1, 3))}, reverse=True)
    change_xml = "\n".join(
        f'      <change when="{_iso_day(day)}" who="#{rng.choice(cast.editors).id}">{"Created." if i == len(changes) - 1 else "Proofread and tagged."}</change>'
        for i, day in enumerate(changes)
    )
    keywords = "".join(f"<term>{t}</term>" for t in letter.topics)
    body = Prose(rng, cast, letter).body()
    return _prolog("../schema/teipress.rng") + f"""<TEI xmlns="{TEI_NS}" xml:id="{letter.id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{escape(title)}</title>
        <author><persName ref="#{letter.sender.id}">{escape(letter.sender.standard)}</persName></author>
{_editors_xml(cast, "        ")}{translator}
        <respStmt><resp>TEI encoding</resp><name>teipress benchmark generator</name></respStmt>
      </titleStmt>
{_publication_stmt("      ")}
      <sourceDesc>
        <msDesc>
          <msIdentifier>
            <settlement>{escape(letter.place_received.standard)}</settlement>
            <repository>{escape(ARCHIVE)}</repository>
            <idno type="letter-number">SSA {letter.number // 100 + 1}/{letter.number:05d}</idno>
          </msIdentifier>
          <msContents>
            <summary>{escape(letter.sender.standard)} writes to {escape(letter.addressee.standard)} about {", ".join(letter.topics)}.</summary>{classification}
          </msContents>
          <history>
            <provenance>Transferred to the {escape(ARCHIVE)} with the papers of {escape(letter.addressee.standard)}.</provenance>
          </history>
        </msDesc>
      </sourceDesc>
    </fileDesc>
    <encodingDesc>
      <editorialDecl>
        <p>Spelling and punctuation as in the original; abbreviations are kept and expanded.</p>
      </editorialDecl>
    </encodingDesc>
    <profileDesc>
      <langUsage><language ident="en">English</language></langUsage>
      <textClass><keywords>{keywords}</keywords></textClass>
      <correspDesc>
        <correspAction type="sent">
          <persName ref="#{letter.sender.id}">{escape(letter.sender.standard)}</persName>
          <placeName ref="#{letter.place_sent.id}">{escape(letter.place_sent.standard)}</placeName>
          <date when="{_iso_day(letter.date)}">{_spoken_date(letter.date)}</date>
        </correspAction>
        <correspAction type="received">
          <persName ref="#{letter.addressee.id}">{escape(letter.addressee.standard)}</persName>
          <placeName ref="#{letter.place_received.id}">{escape(letter.place_received.standard)}</placeName>
          <date when="{_iso_day(received)}">{_spoken_date(received)}</date>
        </correspAction>
      </correspDesc>
    </profileDesc>
    <revisionDesc>
{change_xml}
    </revisionDesc>
  </teiHeader>
  <text type="letter">
    <body>
        {body}
    </body>
  </text>
</TEI>
"""


def _register_file(file_id: str, title: str, list_name: str, entries_xml: list[str], cast: Cast) -> str:
    entries = "\n".join(entries_xml)
    return _prolog("../../schema/teipress.rng") + f"""<TEI xmlns="{TEI_NS}" xml:id="{file_id}" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{escape(title)}</title>
{_editors_xml(cast, "        ")}
      </titleStmt>
{_publication_stmt("      ")}
      <sourceDesc><p>Born digital: synthetic register of the teipress benchmark.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <{list_name}>
{entries}
      </{list_name}>
    </body>
  </text>
</TEI>
"""


def _names(element: str, entry: Entry) -> str:
    names = [f'<{element} type="standard">{escape(entry.standard)}</{element}>']
    names += [f'<{element} type="variant">{escape(v)}</{element}>' for v in entry.variants]
    return "".join(names)


def persons_xml(cast: Cast) -> str:
    entries = []
    for person in [*cast.editors, *cast.persons, *cast.translators]:
        sort_key = f' sortKey="{person.sort_key}"' if person.sort_key else ""
        life = (f'<birth when="{person.birth}"/>' if person.birth else "") + (f'<death when="{person.death}"/>' if person.death else "")
        entries.append(
            f'        <person xml:id="{person.id}"{sort_key}>{_names("persName", person)}{life}'
            f'<note type="description">{escape(person.description)}</note></person>'
        )
    return _register_file("persons", "Persons", "listPerson", entries, cast)


def places_xml(cast: Cast) -> str:
    entries = [
        f'        <place xml:id="{p.id}">{_names("placeName", p)}<note type="description">{escape(p.description)}</note></place>'
        for p in cast.places
    ]
    return _register_file("places", "Places", "listPlace", entries, cast)


def orgs_xml(cast: Cast) -> str:
    entries = [
        f'        <org xml:id="{o.id}">{_names("orgName", o)}<note type="description">{escape(o.description)}</note></org>'
        for o in cast.orgs
    ]
    return _register_file("organizations", "Organisations", "listOrg", entries, cast)


def bibliography_xml(cast: Cast) -> str:
    entries = [
        f'        <bibl xml:id="{c.id}" type="letter" n="{c.number}">'
        f"<title>Letter from {escape(c.sender.standard)} to {escape(c.addressee.standard)}</title>"
        f'<author><persName ref="#{c.sender.id}">{escape(c.sender.standard)}</persName></author>'
        f'<respStmt><resp>addressee</resp><persName ref="#{c.addressee.id}">{escape(c.addressee.standard)}</persName></respStmt>'
        f'<date when="{_iso_day(c.date)}"/>'
        f'<note type="subject">{escape(c.subject)}</note></bibl>'
        for c in cast.cited
    ]
    return _register_file("bibliography", "Cited documents", "listBibl", entries, cast)


def edition_xml(cast: Cast, letters: list[Letter]) -> str:
    first, last = letters[0].date.year, letters[-1].date.year
    return _prolog("../schema/teipress.rng") + f"""<TEI xmlns="{TEI_NS}" xml:id="edition" xml:lang="en">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{escape(EDITION_TITLE)}</title>
{_editors_xml(cast, "        ")}
      </titleStmt>
{_publication_stmt("      ")}
      <sourceDesc><p>Born digital: a synthetic edition generated to measure teipress.</p></sourceDesc>
    </fileDesc>
  </teiHeader>
  <text type="edition">
    <body>
      <div type="introduction">
        <head>Introduction</head>
        <p>This edition holds {len(letters)} invented letters written between {first} and {last} by
          {len(cast.persons)} invented correspondents. Every name, place, organisation and archive in it is
          made up; the letters exist to measure how fast teipress validates, builds and exports an edition.</p>
        <p>The letters are numbered in the order of their dates. Each carries a full header and the markup
          density of a real edition of correspondence.</p>
      </div>
      <div type="editorial-principles">
        <head>Editorial principles</head>
        <p>Persons, places and organisations are tagged and linked to the registers; dates carry their ISO
          value; abbreviations are kept with their expansion; editorial notes are numbered.</p>
      </div>
    </body>
  </text>
</TEI>
"""


TOML = f"""# A synthetic edition generated by bench/generate.py for measuring teipress.
source = "tei"
output = "output"
base_url = "{BASE_URL}"
"""


def generate(count: int, out: Path, seed: int = 1) -> list[Path]:
    """Write an edition of `count` letters into `out` (its `tei/` folder and `teipress.toml`); return the letter files."""
    if count < 1:
        raise ValueError("an edition needs at least one letter")
    rng = random.Random(seed)
    cast = make_cast(rng, count)
    letters = make_letters(rng, cast, count)
    tei = out / "tei"
    registers = tei / "registers"
    registers.mkdir(parents=True, exist_ok=True)
    written = []
    for letter in letters:
        path = tei / f"{letter.id}.xml"
        path.write_text(letter_xml(rng, cast, letter), encoding="utf-8")
        written.append(path)
    (registers / "persons.xml").write_text(persons_xml(cast), encoding="utf-8")
    (registers / "places.xml").write_text(places_xml(cast), encoding="utf-8")
    (registers / "organizations.xml").write_text(orgs_xml(cast), encoding="utf-8")
    (registers / "bibliography.xml").write_text(bibliography_xml(cast), encoding="utf-8")
    (tei / "edition.xml").write_text(edition_xml(cast, letters), encoding="utf-8")
    (out / "teipress.toml").write_text(TOML, encoding="utf-8")
    # The files' <?xml-model?> point at ../schema/: give the edition a copy so editors validate while typing.
    schema = REPO / "schema"
    if (schema / "teipress.rng").is_file():
        shutil.copytree(schema, out / "schema", dirs_exist_ok=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("count", type=int, help="number of letters")
    parser.add_argument("out", type=Path, help="folder to write into (created; tei/ and teipress.toml inside)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default: 1)")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("count must be at least 1")
    if (args.out / "tei").exists() and any((args.out / "tei").iterdir()):
        parser.error(f"{args.out / 'tei'} exists and is not empty; choose an empty folder")
    files = generate(args.count, args.out, args.seed)
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} letters ({size / 1e6:.1f} MB) and 4 registers written to {args.out / 'tei'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

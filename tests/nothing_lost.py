"""Nothing lost, exactly: the text a reader is shown, compared with the text of the TEI as a sequence.

THE RULES (one place for the HTML and the PDF tests, derived from the TEI, never from an output):

1. Streams. The text of every <text> (nested texts, groups and floatingText included, in document
   order) splits into streams:
   - the reading stream: what the reading view shows, in document order;
   - one stream per note (<note> anywhere in a <text>), in document order of the notes: the note's
     own text; a note inside it is a stream of its own (its place in the parent shows only a callout);
   - one stream per recorded reading (see 2), in document order within the reading text and then
     within each note, in note order.
2. Alternates (choice, app, subst). Their readings are: for choice and subst every child element;
   for app its lem and rdg, also those inside (nested) rdgGrp, not those of an app inside a reading
   (xslt/common/readings.xsl). The reading the edition follows (expan, corr, reg, then another child
   that is no abbr, sic, orig or note; lem, then rdg, also inside rdgGrp; add, then another child
   that is no del) is read in its place; every other reading is recorded: a stream of its own (the
   HTML's hidden reading span and popover, the PDF's apparatus), holding all of its text (nested
   alternates whole). Text that stands directly inside an alternate or rdgGrp (not inside a
   reading) is read in its place; white space alone there is layout between readings (TEI allows
   no text there) and is no text. Everything else of an alternate (a note, witDetail) keeps its place.
3. Comparison. White space that ends a text right before a note's mark (a note not inside a note) that white
   space, punctuation or nothing follows is no text: both outputs set the mark after its word ("Locher¹,").
   A stream is a sequence of characters and of boundaries between them. White space
   (any run of it, str.isspace) is a hard boundary: the output must separate the words there (by
   white space or by a block of its own). An element's start or end without white space is a soft
   boundary: the output may separate there (a paragraph, a line of a letterhead) or not. Inside a
   text node, between two characters that are not white space, the output must not separate. The
   characters that are not white space must be the same, in the same order, none more, none less:
   lost words, reordered passages and doubled readings fail, and so do lost spaces
   ("Dear Comrade" shown as "DearComrade").
4. What the outputs add, and the tests strip before comparing (nothing else may be added):
   - HTML (xslt/html/text.xsl): note callouts (.note-ref), page labels (.pb-label, .pb-facs), the
     "[…]" that opens a gap (.gap), the titles of corpus members (.corpus-member-title), the target
     shown for a link without words (.ref-target), the back link of a note (a[role=doc-backlink]);
     recorded readings (.reading-secondary) are hidden in the reading view (the diplomatic view shows an
     abbr, sic, orig or del reading instead of the one the edition follows) and compared as their own
     streams; the reading view hides a del by CSS only, so in the HTML it is text in its place. Blocks (p, div, li, td, br ... and spans of class block, line, verse-line) separate.
   - PDF (tests/test_pdf.py: `pdf_reading` puts in what the PDF adds, `pdf_lines`, `pdf_stream` and
     `PDF_ADDED` strip the rest): the document's heading and metadata block, running heads, page and
     line numbers are left out; note numbers in the text (adjacent ones set apart by a comma) and in the footnote area, a corpus member's
     title, the address of a ptr, the apparatus entries ("lemma] text label; ...") and the brackets
     and parentheses of readings and notes inside notes are expected where xslt/pdf/text.xsl puts
     them; the brackets of supplied text and gaps, quotation marks and list dashes may be added
     anywhere; a line's end may or may not separate, a hyphen ending a line may be hyphenation.
     Notes and recorded readings form one stream, the footnote area, in the order of their calls.
     The PDF leaves out the control characters (`printed`: C0 and C1, DEL, not XML's white space), which have no
     visible form in print (xslt/pdf/typst.xsl); the HTML keeps them as text.
5. A document's own register: the lists of entries (listPerson, listPlace, listOrg, listBibl, listEvent,
   listNym) in a text's back (xslt/common/document-registers.xsl) are no reading text; the outputs
   show them after the notes, entry by entry, with labels, separators and headings of their own
   between the parts. They are one stream, compared as kept in order: every character of the TEI,
   in the same order, none lost (what is added between them is not checked). Their notes and
   recorded readings are streams as anywhere else (the recorded ones after those of the notes).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Union

from lxml import etree

TEI = "{http://www.tei-c.org/ns/1.0}"
XML_SPACE = " \t\n\r"  # what XML (and XPath's normalize-space) call white space

NONE, SOFT, HARD = 0, 1, 2  # boundaries between two characters
# The characters print leaves out (rule 4): the control characters but XML's white space (xslt/pdf/typst.xsl).
UNPRINTED = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

# A stream is a list of pieces: text, or SOFT for an element boundary.
Piece = Union[str, int]


@dataclass
class Streams:
    """The streams of rule 1: what is read in place, each note, each recorded reading."""

    reading: list[Piece] = field(default_factory=list)
    notes: list[list[Piece]] = field(default_factory=list)
    recorded: list[list[Piece]] = field(default_factory=list)
    recorded_in_notes: list[list[list[Piece]]] = field(default_factory=list)
    register: list[Piece] = field(default_factory=list)
    recorded_in_register: list[list[Piece]] = field(default_factory=list)

    def all_recorded(self) -> list[list[Piece]]:
        """Recorded readings of the reading text, then those of each note, in note order, then those of the register."""
        return self.recorded + [stream for note in self.recorded_in_notes for stream in note] + self.recorded_in_register


REGISTER_LISTS = ("listPerson", "listPlace", "listOrg", "listBibl", "listEvent", "listNym")


def is_document_register(element: etree._Element) -> bool:
    """Rule 5: an outermost list of entries in a text's back."""
    return (is_tei(element, *REGISTER_LISTS) and any(is_tei(a, "back") for a in element.iterancestors())
            and not any(is_tei(a, *REGISTER_LISTS) for a in element.iterancestors()))


def local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def is_tei(element: etree._Element, *names: str) -> bool:
    return isinstance(element.tag, str) and element.tag.startswith(TEI) and local(element) in names


def readings_of(alternate: etree._Element) -> list[etree._Element]:
    """Rule 2: the readings of an alternate, in document order."""
    if is_tei(alternate, "app"):
        return [r for r in alternate.iter(f"{TEI}lem", f"{TEI}rdg")
                if next(a for a in r.iterancestors(f"{TEI}app")) is alternate]
    return [child for child in alternate if isinstance(child.tag, str)]


def primary_reading(alternate: etree._Element) -> etree._Element | None:
    """Rule 2: the reading the edition follows."""
    children = [c for c in alternate if isinstance(c.tag, str)]

    def first(candidates: list[etree._Element]) -> etree._Element | None:
        return candidates[0] if candidates else None

    def named(*names: str) -> list[etree._Element]:
        return [c for c in children if is_tei(c, *names)]

    if is_tei(alternate, "choice"):
        order = named("expan") + named("corr") + named("reg") + [c for c in children if not is_tei(c, "abbr", "sic", "orig", "note")] + children
    elif is_tei(alternate, "app"):
        groups = [g for g in alternate if is_tei(g, "rdgGrp")]
        nested = [r for r in readings_of(alternate) if any(g in r.iterancestors() for g in groups)]
        order = (named("lem") + [r for g in groups for r in g if is_tei(r, "lem")] + named("rdg")
                 + [r for g in groups for r in g if is_tei(r, "rdg")] + nested)
    elif is_tei(alternate, "subst"):
        order = named("add") + [c for c in children if not is_tei(c, "del")] + children
    else:
        order = children
    return first(order)


def expected_streams(root: etree._Element) -> Streams:
    """The streams of every outermost <text> under `root` (a TEI, a teiCorpus), by rules 1 and 2."""
    streams = Streams()
    texts = [t for t in root.iter(f"{TEI}text") if not any(is_tei(a, "text") for a in t.iterancestors())]
    for text in texts:
        _walk(text, streams.reading, streams, streams.recorded, whole=False)
    return streams


def _walk(element: etree._Element, out: list[Piece], streams: Streams, recorded: list[list[Piece]], whole: bool) -> None:
    """Append `element` (its start, content and end) to `out`. `whole`: inside a recorded reading,
    where every reading of a nested alternate is part of the recorded text."""
    out.append(SOFT)
    alternate = not whole and is_tei(element, "choice", "app", "subst")
    readings = readings_of(element) if alternate else []
    primary = primary_reading(element) if alternate else None
    between_readings = is_tei(element, "choice", "app", "subst", "rdgGrp")
    _content(element, out, streams, recorded, whole, between_readings, readings, primary)
    out.append(SOFT)


def _content(element: etree._Element, out: list[Piece], streams: Streams, recorded: list[list[Piece]], whole: bool,
             between_readings: bool, readings: list[etree._Element], primary: etree._Element | None) -> None:
    def text(value: str | None) -> None:
        if value and not (between_readings and value.strip(XML_SPACE) == ""):
            out.append(value)

    text(before_note_mark(element.text, element[0] if len(element) else None))
    for child in element:
        if not isinstance(child.tag, str):
            pass  # comments and processing instructions are no text; their tails are
        elif is_tei(child, "note"):
            own: list[Piece] = []
            streams.notes.append(own)
            in_note: list[list[Piece]] = []
            streams.recorded_in_notes.append(in_note)
            out.append(SOFT)
            _content(child, own, streams, in_note, False, False, [], None)
            out.append(SOFT)
        elif is_document_register(child):
            out.append(SOFT)
            _walk(child, streams.register, streams, streams.recorded_in_register, whole)
        elif readings and child not in readings and child is not primary and not is_tei(child, "rdgGrp"):
            _walk(child, out, streams, recorded, whole)
        elif readings and is_tei(child, "rdgGrp"):
            # A rdgGrp of an app: its readings are the app's, its other content stays in place.
            out.append(SOFT)
            _content(child, out, streams, recorded, False, True, readings, primary)
            out.append(SOFT)
        elif readings and child is not primary:
            reading: list[Piece] = []
            recorded.append(reading)
            _walk(child, reading, streams, recorded, whole=True)
            out.append(SOFT)
        else:
            _walk(child, out, streams, recorded, whole)
        text(before_note_mark(child.tail, child.getnext()))


def before_note_mark(value: str | None, following: etree._Element | None) -> str | None:
    """A text as both outputs show it before the node `following` it (xslt/common/behaviours.xsl
    tp:stands-before-note-mark): without the white space it ends with when that comes before the mark of a
    note (not one inside a note) that white space, punctuation or nothing follows ("Locher <note/>, hätte"
    reads "Locher¹, hätte")."""
    if (not value or following is None or not is_tei(following, "note") or value[-1] not in XML_SPACE
            or any(is_tei(ancestor, "note") for ancestor in following.iterancestors())):
        return value
    after = following.tail or following.getnext()
    if after is None or (isinstance(after, str) and (after[0] in XML_SPACE or unicodedata.category(after[0]).startswith("P"))):
        return value.rstrip(XML_SPACE)
    return value


def printed(text: str) -> str:
    """A text as a PDF prints it (rule 4): without the control characters, which have no visible form in print."""
    return UNPRINTED.sub("", text)


# ------------------------------------------------------------------------------------------------
# Comparison (rule 3)
# ------------------------------------------------------------------------------------------------

@dataclass
class Sequence:
    """A stream as its characters (white space left out), the boundary before each character, and
    whether the output may have added the character (a hyphen at a line's end)."""

    chars: str
    before: list[int]  # before[i]: the boundary between chars[i-1] and chars[i] (before[0] unused)
    optional: list[bool]


# A piece of an output's stream that the output may have added there, e.g. a hyphen at a line's end.
@dataclass(frozen=True)
class MaybeAdded:
    text: str


def sequence(pieces: list) -> Sequence:
    chars: list[str] = []
    before: list[int] = []
    optional: list[bool] = []
    pending = NONE
    for piece in pieces:
        if isinstance(piece, int):
            pending = max(pending, piece)
            continue
        text, maybe = (piece.text, True) if isinstance(piece, MaybeAdded) else (piece, False)
        for char in text:
            if char.isspace():
                pending = HARD
            else:
                chars.append(char)
                before.append(pending)
                optional.append(maybe)
                pending = NONE
    return Sequence("".join(chars), before, optional)


def render(pieces: list) -> str:
    """A stream for a message: white space as one space, element boundaries as '|'."""
    seq = sequence(pieces)
    return excerpt(seq, 0, len(seq.chars))


def excerpt(seq: Sequence, start: int, end: int) -> str:
    """Characters start..end of a sequence for a message: separations as ' ', element boundaries as '|'."""
    marks = {NONE: "", SOFT: "|", HARD: " "}
    start, end = max(0, start), min(len(seq.chars), end)
    return "".join((marks[seq.before[i]] if i > start else "") + seq.chars[i] for i in range(start, end))


def _align(want: Sequence, got: Sequence, addable: str) -> list[int] | None:
    """For each character of `want`, the index of the same character in `got`, skipping only characters
    `got` may have added (in `addable`, or optional); None when the characters differ otherwise."""
    matched: list[int] = []
    j = 0
    for char in want.chars:
        while j < len(got.chars) and got.chars[j] != char and (got.chars[j] in addable or got.optional[j]):
            j += 1
        if j == len(got.chars) or got.chars[j] != char:
            return None
        matched.append(j)
        j += 1
    if any(not (c in addable or o) for c, o in zip(got.chars[j:], got.optional[j:])):
        return None
    return matched


def assert_same_text(expected: list[Piece], shown: list, where: str, addable: str = "") -> None:
    """Rule 3: the same characters in the same order, and a separation exactly where the TEI has one.
    An output's stream marks a separation that may or may not be one (a line's end in a PDF) as SOFT;
    it may add the characters in `addable` anywhere (none for the HTML)."""
    want, got = sequence(expected), sequence(shown)
    matched = _align(want, got, addable)
    if matched is None:
        matcher = difflib.SequenceMatcher(None, want.chars, got.chars, autojunk=False)
        changes = [(tag, i1, i2, j1, j2) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
        lines = []
        for tag, i1, i2, j1, j2 in changes[:5]:
            lines.append(f"  {tag}: TEI {excerpt(want, i1, i2)!r} -> shown {excerpt(got, j1, j2)!r} "
                         f"(after {excerpt(want, i1 - 40, i1)!r})")
        raise AssertionError(f"{where}: the text shown differs from the TEI (white space left out):\n" + "\n".join(lines)
                             + f"\nTEI:   {render(expected)[:1500]!r}\nshown: {render(shown)[:1500]!r}")
    for index in range(1, len(want.chars)):
        tei = want.before[index]
        out = max(got.before[matched[index - 1] + 1:matched[index] + 1])
        if out != SOFT and ((tei == HARD and out != HARD) or (tei == NONE and out != NONE)):
            problem = "the words run together (a lost space)" if tei == HARD else "a word is split apart"
            at = matched[index]
            raise AssertionError(f"{where}: {problem}: TEI {excerpt(want, index - 40, index + 30)!r}, "
                                 f"shown {excerpt(got, at - 40, at + 30)!r}")


def assert_same_streams(expected: list[list[Piece]], shown: list[list[Piece]], where: str) -> None:
    """Several streams (notes, recorded readings): the same number, each the same text (empty ones left out)."""
    want = [s for s in expected if sequence(s).chars]
    got = [s for s in shown if sequence(s).chars]
    for index, (one, other) in enumerate(zip(want, got), start=1):
        assert_same_text(one, other, f"{where} {index})")
    assert len(want) == len(got), (f"{where}: {len(want)} in the TEI, {len(got)} shown; "
                                   f"TEI {[render(s)[:60] for s in want]!r}, shown {[render(s)[:60] for s in got]!r}")


def assert_kept_in_order(expected: list[Piece], shown: list, where: str) -> None:
    """Rule 5: every character of the TEI (white space left out) shown, in the same order; what the
    output adds between them is not checked."""
    want, got = sequence(expected), sequence(shown)
    position = 0
    for index, char in enumerate(want.chars):
        found = got.chars.find(char, position)
        if found < 0:
            raise AssertionError(f"{where}: {excerpt(want, index - 40, index + 30)!r} is not shown in order (from {excerpt(want, index, index + 1)!r}); "
                                 f"shown: {render(shown)[:1500]!r}")
        position = found + 1

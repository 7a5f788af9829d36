"""The seed edition in `tei/`: the whole text of each source, valid TEI, names, references and dates that hold."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

from conftest import FIXTURES, REPO, shared_path

TEI_NS = "http://www.tei-c.org/ns/1.0"
NS = {"tei": TEI_NS}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
TEI_DIR = REPO / "tei"
REGISTER_DIR = TEI_DIR / "registers"
SOURCE_FILES = sorted(TEI_DIR.rglob("*.xml"))
DOCUMENT_FILES = sorted(path for path in TEI_DIR.glob("*.xml") if path.name != "edition.xml")
BAD_FIXTURES = FIXTURES / "sources"

RNG_NS = "http://relaxng.org/ns/structure/1.0"
SCHEMATRON_NS = "http://purl.oclc.org/dsdl/schematron"

# The kind of register entry each naming element must point to.
NAME_KINDS = {"persName": "person", "placeName": "place", "orgName": "org"}
ENTRY_KINDS = {"person": "person", "place": "place", "org": "org", "bibl": "bibl"}
DATING_ATTRIBUTES = ("when", "from", "to", "notBefore", "notAfter")
AUTHORITY_TYPES = {"wikidata", "viaf", "geonames", "gnd"}
AUTHORITY_HOSTS = ("wikidata.org", "viaf.org", "geonames.org", "d-nb.info")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


@dataclass(frozen=True)
class Seed:
    """A source text in ../shared/seeds and how the edition divides it between text, header and website chrome."""

    seed_file: str
    tei_file: str
    chrome_lines: frozenset[str]  # whole lines that belong to the website, not to the document
    chrome_suffixes: tuple[str, ...]  # link labels the website appends to lines ("Read more")
    header_prefixes: tuple[str, ...]  # lines the edition keeps in the teiHeader: they describe the source
    hidden: tuple[str, ...]  # what the page shows in place of hidden text, encoded as <gap/>

    def lines(self) -> list[str]:
        text = shared_path("seeds", self.seed_file).read_text(encoding="utf-8")
        kept = []
        for line in text.splitlines():
            for hidden in self.hidden:
                line = line.replace(hidden, "")
            line = " ".join(line.split())  # the page's no-break spaces are spaces
            for suffix in self.chrome_suffixes:
                line = line.removesuffix(suffix).rstrip()
            if line and line not in self.chrome_lines:
                kept.append(line)
        return kept

    def header_lines(self) -> list[str]:
        return [line for line in self.lines() if line.startswith(self.header_prefixes)]

    def text_lines(self) -> list[str]:
        return [line for line in self.lines() if not line.startswith(self.header_prefixes)]


TELEGRAM = Seed(
    seed_file="004_562ef1fc75c1f162.txt",
    tei_file="telegram-1967-05-01-pyongyang-bucharest.xml",
    chrome_lines=frozenset({"Skip to content", "Document Information", "Original Uploaded Date", "Record ID"}),
    chrome_suffixes=(),
    header_prefixes=(
        "A report on the Korean Workers' Party's exchanges",
        "Archive of the Romanian Ministry of Foreign Affairs.",
        "The History and Public Policy Program welcomes reuse",
        "To enquire about this document's rights status",
    ),
    hidden=("[email\u00a0protected]",),
)

ESSAY = Seed(
    seed_file="000_6545109fb810deed.txt",
    tei_file="coles-tito-kim-correspondence-1975-1976.xml",
    chrome_lines=frozenset({"Skip to main content", "Blog post"}),
    chrome_suffixes=("Read more",),
    header_prefixes=(
        "History and Public Policy Program",
        "The History and Public Policy Program makes public",
        "Cold War International History Project",
        "The Cold War International History Project supports",
        "North Korea International Documentation Project",
        "The North Korea International Documentation Project serves",
    ),
    hidden=(),
)

SEEDS = [pytest.param(TELEGRAM, id="telegram"), pytest.param(ESSAY, id="essay")]


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(resolve_entities=False, no_network=True, collect_ids=False))


@pytest.fixture(scope="module")
def trees() -> dict[Path, etree._ElementTree]:
    return {path: parse(path) for path in SOURCE_FILES}


def words(text: str) -> list[str]:
    return text.split()


def reading_words(element: etree._Element) -> list[str]:
    """The words of an element as a reader meets them, without the edition's own editorial notes."""
    copy = deepcopy(element)
    for note in copy.xpath(".//tei:note[@type='editorial']", namespaces=NS):
        parent = note.getparent()
        previous = note.getprevious()
        tail = note.tail or ""
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(note)
    return words("".join(copy.itertext()))


def first_difference(expected: list[str], actual: list[str]) -> str:
    for index, (want, have) in enumerate(zip(expected, actual)):
        if want != have:
            return f"word {index}: seed has {' '.join(expected[max(0, index - 8):index + 8])!r}, TEI has {' '.join(actual[max(0, index - 8):index + 8])!r}"
    return f"seed has {len(expected)} words, TEI has {len(actual)}; the longer continues {' '.join((expected if len(expected) > len(actual) else actual)[min(len(expected), len(actual)):][:16])!r}"


def contains_run(haystack: list[str], needle: list[str]) -> bool:
    """True when `needle` occurs in `haystack` as one unbroken run of words."""
    size = len(needle)
    return any(haystack[start:start + size] == needle for start in range(len(haystack) - size + 1))


# ---------------------------------------------------------------------------------------------
# (a) the whole text of each seed, in order; the archive's descriptions in the header


@pytest.mark.parametrize("seed", SEEDS)
def test_every_word_of_the_seed_text_is_in_the_tei_text_in_order(seed: Seed) -> None:
    expected = words(" ".join(seed.text_lines()))
    text = parse(TEI_DIR / seed.tei_file).getroot().find("tei:text", NS)
    actual = reading_words(text)
    assert actual == expected, first_difference(expected, actual)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_archives_descriptions_are_in_the_header_not_the_text(seed: Seed) -> None:
    root = parse(TEI_DIR / seed.tei_file).getroot()
    header = reading_words(root.find("tei:teiHeader", NS))
    text = reading_words(root.find("tei:text", NS))
    assert seed.header_lines(), "the seed's header lines were not found: has the seed changed?"
    for line in seed.header_lines():
        assert contains_run(header, words(line)), f"not in the teiHeader: {line!r}"
        if len(words(line)) > 6:
            assert not contains_run(text, words(line)), f"belongs in the header, not the text: {line!r}"


def test_no_website_chrome_in_any_document() -> None:
    for path in DOCUMENT_FILES:
        text = " ".join(reading_words(parse(path).getroot().find("tei:text", NS)))
        for chrome in ("Skip to content", "Skip to main content", "Read more", "Original Uploaded Date", "Record ID", "Blog post"):
            assert chrome not in text, f"{path.name} keeps the website's {chrome!r}"


def test_the_hidden_e_mail_address_is_a_gap_with_a_reason() -> None:
    root = parse(TEI_DIR / TELEGRAM.tei_file).getroot()
    assert "protected]" not in "".join(root.itertext())
    gaps = root.xpath("//tei:publicationStmt/tei:availability//tei:gap", namespaces=NS)
    assert len(gaps) == 1 and gaps[0].get("reason", "").strip()


# ---------------------------------------------------------------------------------------------
# (b) every source file is valid TEI and announces the project schema


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda path: str(path.relative_to(TEI_DIR)))
def test_source_file_is_valid_against_tei_all(path: Path, tei_all_schema) -> None:
    valid = tei_all_schema.validate(parse(path))
    assert valid, "\n".join(f"{path.name}:{error.line}:{error.column}: {error.message}" for error in tei_all_schema.error_log)


@pytest.mark.parametrize("path", SOURCE_FILES, ids=lambda path: str(path.relative_to(TEI_DIR)))
def test_source_file_begins_with_xml_model_instructions_for_the_schema(path: Path) -> None:
    tree = parse(path)
    instructions = []
    node = tree.getroot().getprevious()
    while node is not None:
        instructions.insert(0, node)
        node = node.getprevious()
    models = [pi for pi in instructions if isinstance(pi, etree._ProcessingInstruction) and pi.target == "xml-model"]
    assert {pi.get("schematypens") for pi in models} == {RNG_NS, SCHEMATRON_NS}
    for pi in models:
        assert (path.parent / pi.get("href")).resolve() == REPO / "schema" / "teipress.rng"


@pytest.mark.parametrize("path", DOCUMENT_FILES + [TEI_DIR / "edition.xml"], ids=lambda path: path.name)
def test_document_id_is_its_file_name_and_its_text_has_a_type(path: Path) -> None:
    root = parse(path).getroot()
    assert root.get(XML_ID) == path.stem
    assert root.find("tei:text", NS).get("type") in {"letter", "telegram", "report", "essay", "edition"}


# ---------------------------------------------------------------------------------------------
# (c) every name points to a register entry of its kind, every local link resolves


def register_entries(trees: Iterable[etree._ElementTree]) -> dict[str, str]:
    """Every register entry's id and kind (person, place, org, bibl)."""
    entries = {}
    for tree in trees:
        for entry in tree.xpath("//tei:listPerson/tei:person | //tei:listPlace/tei:place | //tei:listOrg/tei:org | //tei:listBibl/tei:bibl", namespaces=NS):
            entries[entry.get(XML_ID)] = ENTRY_KINDS[etree.QName(entry).localname]
    return entries


def all_ids(trees: Iterable[etree._ElementTree]) -> set[str]:
    return {element.get(XML_ID) for tree in trees for element in tree.iter() if isinstance(element.tag, str) and element.get(XML_ID)}


def expected_kind(element: etree._Element) -> str | None:
    name = etree.QName(element).localname
    if name in NAME_KINDS:
        return NAME_KINDS[name]
    if name in ("rs", "name"):
        return element.get("type")
    if name == "title":
        return "bibl"
    return None


def reference_problems(tree: etree._ElementTree, entries: dict[str, str], ids: set[str]) -> Iterator[str]:
    """Names without @ref, pointers that resolve to nothing, names pointing at an entry of another kind."""
    label = Path(tree.docinfo.URL or "?").name
    for element in tree.iter(*(f"{{{TEI_NS}}}{name}" for name in ("persName", "placeName", "orgName", "rs", "name", "title"))):
        name = etree.QName(element).localname
        where = f"{label}:{element.sourceline}: <{name}>{' '.join(''.join(element.itertext()).split())}</{name}>"
        if element.getparent() is not None and etree.QName(element.getparent()).localname in ENTRY_KINDS and element.getparent().get(XML_ID):
            continue  # a register entry's own names
        ref = element.get("ref")
        if ref is None:
            if name in NAME_KINDS or name == "rs":
                yield f"{where} has no @ref"
            continue
        for token in ref.split():
            target = token.removeprefix("#")
            if not token.startswith("#") or target not in entries:
                yield f"{where} points to {token!r}, which is no register entry"
            elif expected_kind(element) != entries[target]:
                yield f"{where} points to the {entries[target]} {token!r}"
    for element in tree.xpath("//tei:ref[starts-with(@target, '#')] | //tei:ptr[starts-with(@target, '#')]", namespaces=NS):
        for token in element.get("target").split():
            if token.removeprefix("#") not in ids:
                yield f"{label}:{element.sourceline}: <{etree.QName(element).localname}> target {token!r} resolves to nothing"
    for element in tree.xpath("//*[@who or @resp]", namespaces=NS):
        for token in " ".join(filter(None, (element.get("who"), element.get("resp")))).split():
            if token.removeprefix("#") not in entries:
                yield f"{label}:{element.sourceline}: responsibility {token!r} is no register entry"


def test_every_name_and_link_resolves(trees: dict[Path, etree._ElementTree]) -> None:
    entries = register_entries(trees[path] for path in SOURCE_FILES if path.parent == REGISTER_DIR)
    ids = all_ids(trees.values())
    problems = [problem for tree in trees.values() for problem in reference_problems(tree, entries, ids)]
    assert not problems, "\n".join(problems)


def test_register_ids_are_unique_across_the_edition(trees: dict[Path, etree._ElementTree]) -> None:
    seen: dict[str, str] = {}
    duplicates = []
    for path, tree in trees.items():
        for element in tree.iter():
            if isinstance(element.tag, str) and (identifier := element.get(XML_ID)):
                if identifier in seen:
                    duplicates.append(f"{identifier} in {seen[identifier]} and {path.name}")
                seen[identifier] = path.name
    assert not duplicates


def test_document_citations_point_to_the_six_cited_letters(trees: dict[Path, etree._ElementTree]) -> None:
    essay = trees[TEI_DIR / ESSAY.tei_file].getroot()
    citations = essay.xpath("//tei:text//text()[contains(., '[Document')]", namespaces=NS)
    assert citations, "the essay cites no documents"
    for citation in citations:
        parent = citation.getparent()
        number = re.fullmatch(r"\[Document (\d)\]", str(citation)).group(1)
        assert citation.is_text and etree.QName(parent).localname == "ref" and parent.get("target") == f"#document-{number}"
    bibliography = trees[REGISTER_DIR / "bibliography.xml"]
    for number in range(1, 7):
        [entry] = bibliography.xpath(f"//tei:bibl[@xml:id='document-{number}']", namespaces=NS)
        assert entry.get("n") == str(number) and entry.find("tei:date", NS) is not None and entry.find("tei:note[@type='subject']", NS) is not None


def test_telegram_names_sender_place_date_and_place_received(trees: dict[Path, etree._ElementTree]) -> None:
    root = trees[TEI_DIR / TELEGRAM.tei_file].getroot()
    [sent] = root.xpath("//tei:correspDesc/tei:correspAction[@type='sent']", namespaces=NS)
    [received] = root.xpath("//tei:correspDesc/tei:correspAction[@type='received']", namespaces=NS)
    assert sent.find("tei:persName", NS).get("ref") == "#n-popa"
    assert sent.find("tei:placeName", NS).get("ref") == "#pyongyang"
    assert sent.find("tei:date", NS).get("when") == "1967-05-01"
    assert received.find("tei:placeName", NS).get("ref") == "#bucharest"
    assert root.xpath("string(//tei:msIdentifier/tei:idno[@type='telegram-number'])", namespaces=NS) == "76.153"
    assert root.xpath("string(//tei:msItem/tei:note[@type='classification'])", namespaces=NS) == "TOP SECRET"


def test_every_name_form_the_texts_use_is_in_its_register_entry(trees: dict[Path, etree._ElementTree]) -> None:
    names: dict[str, set[str]] = {}
    for path in SOURCE_FILES:
        if path.parent == REGISTER_DIR:
            for entry in trees[path].xpath("//tei:person | //tei:place | //tei:org", namespaces=NS):
                names[entry.get(XML_ID)] = {" ".join("".join(name.itertext()).split()) for name in entry.xpath("tei:persName | tei:placeName | tei:orgName", namespaces=NS)}
    missing = []
    for path in DOCUMENT_FILES + [TEI_DIR / "edition.xml"]:
        for element in trees[path].xpath("//tei:persName[@ref] | //tei:placeName[@ref] | //tei:orgName[@ref]", namespaces=NS):
            form = " ".join("".join(element.itertext()).split())
            entry_id = element.get("ref").removeprefix("#")
            if form not in names.get(entry_id, set()):
                missing.append(f"{path.name}:{element.sourceline}: {form!r} is not a name of #{entry_id}")
    assert not missing, "\n".join(missing)


def test_register_entries_have_a_standard_name_and_a_one_line_description(trees: dict[Path, etree._ElementTree]) -> None:
    for path in SOURCE_FILES:
        if path.parent != REGISTER_DIR:
            continue
        for entry in trees[path].xpath("//tei:person | //tei:place | //tei:org", namespaces=NS):
            assert len(entry.xpath("tei:persName[@type='standard'] | tei:placeName[@type='standard'] | tei:orgName[@type='standard']", namespaces=NS)) == 1, entry.get(XML_ID)
            [description] = entry.xpath("tei:note[@type='description']", namespaces=NS)
            assert "\n" not in "".join(description.itertext()).strip(), entry.get(XML_ID)


def test_life_dates_only_where_certain(trees: dict[Path, etree._ElementTree]) -> None:
    persons = {person.get(XML_ID): person for person in trees[REGISTER_DIR / "persons.xml"].xpath("//tei:person", namespaces=NS)}
    certain = {
        "tito": ("1892-05-07", "1980-05-04"),
        "kim-il-sung": ("1912-04-15", "1994-07-08"),
        "jimmy-carter": ("1924-10-01", "2024-12-29"),
        "sirimavo-bandaranaike": ("1916-04-17", "2000-10-10"),
    }
    for person_id, person in persons.items():
        life = (person.xpath("string(tei:birth/@when)", namespaces=NS) or None, person.xpath("string(tei:death/@when)", namespaces=NS) or None)
        assert life == certain.get(person_id, (None, None)), person_id


def test_the_two_popas_are_kept_apart(trees: dict[Path, etree._ElementTree]) -> None:
    telegram = trees[TEI_DIR / TELEGRAM.tei_file]
    essay = trees[TEI_DIR / ESSAY.tei_file]
    assert set(telegram.xpath("//tei:signed/tei:persName/@ref", namespaces=NS)) == {"#n-popa"}
    assert set(essay.xpath("//tei:persName[contains(., 'Popa')]/@ref", namespaces=NS)) == {"#dumitru-popa"}


# ---------------------------------------------------------------------------------------------
# (d) every date has an ISO 8601 value that is a real calendar date


def iso_bounds(value: str) -> tuple[datetime.date, datetime.date] | None:
    """The first and last day an ISO 8601 day, month or year means, or None when it is no real date."""
    match = ISO_DATE.match(value)
    if not match:
        return None
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if day is not None:
            first = last = datetime.date(year, month, day)
        elif month is not None:
            first = datetime.date(year, month, 1)
            last = (datetime.date(year + month // 12, month % 12 + 1, 1)) - datetime.timedelta(days=1)
        else:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        return None
    return first, last


def date_problems(tree: etree._ElementTree) -> Iterator[str]:
    label = Path(tree.docinfo.URL or "?").name
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        where = f"{label}:{element.sourceline}: <{etree.QName(element).localname}>"
        values = {name: element.get(name) for name in DATING_ATTRIBUTES if element.get(name) is not None}
        if etree.QName(element).localname == "date" and element.tag == f"{{{TEI_NS}}}date" and not values:
            yield f"{where} {' '.join(''.join(element.itertext()).split())!r} has no ISO value"
        bounds = {}
        for name, value in values.items():
            bounds[name] = iso_bounds(value)
            if bounds[name] is None:
                yield f"{where} @{name}={value!r} is no ISO 8601 calendar date"
        for start, end in (("from", "to"), ("notBefore", "notAfter")):
            if bounds.get(start) and bounds.get(end) and bounds[start][0] > bounds[end][1]:
                yield f"{where} @{start}={values[start]} comes after @{end}={values[end]}"


def test_every_date_has_a_real_iso_value(trees: dict[Path, etree._ElementTree]) -> None:
    problems = [problem for tree in trees.values() for problem in date_problems(tree)]
    assert not problems, "\n".join(problems)


def test_the_texts_dates_are_tagged(trees: dict[Path, etree._ElementTree]) -> None:
    essay = trees[TEI_DIR / ESSAY.tei_file]
    telegram = trees[TEI_DIR / TELEGRAM.tei_file]
    tagged = {(" ".join("".join(date.itertext()).split()), tuple(date.get(name) for name in DATING_ATTRIBUTES)) for tree in (essay, telegram) for date in tree.xpath("//tei:text//tei:date", namespaces=NS)}
    assert ("November 4th", ("1975-11-04", None, None, None, None)) in tagged
    assert ("August 18th", ("1976-08-18", None, None, None, None)) in tagged
    assert ("January 1977", ("1977-01", None, None, None, None)) in tagged
    assert ("the second half of July", (None, "1967-07-16", "1967-07-31", None, None)) in tagged


# ---------------------------------------------------------------------------------------------
# (e) no authority identifiers: none has been verified for this edition


def authority_problems(tree: etree._ElementTree) -> Iterator[str]:
    label = Path(tree.docinfo.URL or "?").name
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        if etree.QName(element).localname == "idno" and (element.get("type") or "").lower() in AUTHORITY_TYPES:
            yield f"{label}:{element.sourceline}: authority identifier <idno type={element.get('type')!r}>"
        for value in [*element.attrib.values(), element.text or ""]:
            if any(host in value for host in AUTHORITY_HOSTS):
                yield f"{label}:{element.sourceline}: authority link {value.strip()!r}"


def test_no_authority_identifiers(trees: dict[Path, etree._ElementTree]) -> None:
    problems = [problem for tree in trees.values() for problem in authority_problems(tree)]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# the checks above catch what they are meant to catch


def test_reference_check_reports_unresolved_missing_and_wrong_kind_references() -> None:
    registers = parse(BAD_FIXTURES / "register.xml")
    document = parse(BAD_FIXTURES / "bad-references.xml")
    trees = [registers, document]
    problems = list(reference_problems(document, register_entries(trees), all_ids(trees)))
    assert any("<persName>Tito</persName> has no @ref" in problem for problem in problems)
    assert any("'#nobody', which is no register entry" in problem for problem in problems)
    assert any("<placeName>Tito</placeName> points to the person '#tito'" in problem for problem in problems)
    assert any("target '#document-9' resolves to nothing" in problem for problem in problems)
    assert any("<rs>the North Koreans</rs> has no @ref" in problem for problem in problems)
    assert len(problems) == 5, problems


def test_date_check_reports_impossible_dates_reversed_spans_and_missing_values() -> None:
    problems = list(date_problems(parse(BAD_FIXTURES / "bad-dates.xml")))
    assert any("@when='1976-02-30'" in problem for problem in problems)
    assert any("@when='4 November 1975'" in problem for problem in problems)
    assert any("@from=1976-08 comes after @to=1976-07-31" in problem for problem in problems)
    assert any("'the following year' has no ISO value" in problem for problem in problems)
    assert len(problems) == 4, problems


def test_authority_check_reports_identifiers_and_links() -> None:
    problems = list(authority_problems(parse(BAD_FIXTURES / "authority-identifiers.xml")))
    assert any("<idno type='wikidata'>" in problem for problem in problems)
    assert any("viaf.org" in problem for problem in problems)
    assert len(problems) == 2, problems


def test_seed_text_check_reports_a_lost_word() -> None:
    expected = words("Signed: N. Popa")
    assert first_difference(expected, words("Signed: Popa")).startswith("word 1:")
    assert not contains_run(words("at the History and Public Policy Program at ."), words("Program at [email"))

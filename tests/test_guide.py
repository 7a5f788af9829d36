"""The encoding guide: generated from the schema, committed as docs/GUIDE.md, every example valid."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from teipress.cli import cli
from teipress.guide import GUIDE_NS, guide_markdown, guide_xml, read_guide
from teipress.resources import SCHEMA_FILE

from conftest import REPO

RNG = "{http://relaxng.org/ns/structure/1.0}"
TEI = "http://www.tei-c.org/ns/1.0"
GUIDE = read_guide()


def test_the_committed_guide_is_what_the_generator_writes_now() -> None:
    committed = (REPO / "docs" / "GUIDE.md").read_text(encoding="utf-8")
    assert committed == guide_markdown(GUIDE), "docs/GUIDE.md is stale: run `teipress guide -o docs/GUIDE.md --force`"


def test_the_readme_links_both_guides_from_its_start() -> None:
    start = (REPO / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]
    assert "(docs/GUIDE.md)" in start and "(docs/ENCODING.md)" in start


def test_every_element_of_the_schema_has_meaning_example_html_and_pdf() -> None:
    schema_elements = sorted({e.get("name") for e in etree.parse(str(SCHEMA_FILE)).iter(f"{RNG}element")}, key=str.lower)
    assert [e.name for e in GUIDE.elements] == schema_elements
    for element in GUIDE.elements:
        assert element.meaning and element.example and element.html and element.pdf, element.name
        assert f"### `{element.name}`\n\n{element.meaning}\n\n```xml\n{element.example}\n```" in guide_markdown(GUIDE)


def test_every_attribute_is_documented() -> None:
    attributes = [a for e in GUIDE.elements for a in e.attributes] + [a for c in GUIDE.attribute_classes for a in c.attributes]
    declared = etree.parse(str(SCHEMA_FILE)).getroot().iter(f"{RNG}attribute")
    assert len(attributes) == len(list(declared))
    assert all(a.meaning and a.values for a in attributes), [a.name for a in attributes if not (a.meaning and a.values)]


def test_the_guide_knows_where_an_element_stands_and_what_it_carries() -> None:
    subst = GUIDE.element("subst")
    assert subst.contains == ("add", "del")
    assert "p" in subst.inside and "salute" in subst.inside
    assert subst.classes == ("att.global", "att.written")
    handshift = GUIDE.element("handShift")
    assert [(a.name, a.values, a.required) for a in handshift.attributes] == [("new", "a pointer or URL", False)]
    graphic = GUIDE.element("graphic")
    assert ("url", True) in [(a.name, a.required) for a in graphic.attributes]
    assert {"facsimile", "surface", "zone", "figure"} <= set(graphic.inside)
    cert = next(a for a in GUIDE.attribute_classes if a.name == "att.global").attributes
    assert next(a.values for a in cert if a.name == "cert") == "one of: high, medium, low, unknown"


# --- every example is valid against the schema ------------------------------------------------------

@pytest.fixture(scope="module")
def any_element_schema() -> etree.RelaxNG:
    """Our schema with any of its elements as the root, to check an example on its own."""
    grammar = copy.deepcopy(etree.parse(str(SCHEMA_FILE)).getroot())
    start = grammar.find(f"{RNG}start")
    for child in list(start):
        start.remove(child)
    choice = etree.SubElement(start, f"{RNG}choice")
    for define in grammar.iter(f"{RNG}define"):
        if define.find(f"{RNG}element") is not None:
            etree.SubElement(choice, f"{RNG}ref", name=define.get("name"))
    return etree.RelaxNG(grammar)


def expanded(example: str, depth: int = 0) -> etree._Element:
    """The example as a TEI element; an element written `<x>...</x>` gets x's own example as its content."""
    root = etree.fromstring(re.sub(r"^<(\w+)", rf'<\1 xmlns="{TEI}"', example, count=1) if "xmlns=" not in example.split(">", 1)[0] else example)
    for elided in [e for e in root.iter() if e.text == "..." and len(e) == 0 and e is not root]:
        name = etree.QName(elided).localname
        if depth > 6:
            pytest.fail(f"the examples of {name} elide each other in a loop")
        whole = expanded(GUIDE.element(name).example, depth + 1)
        elided.getparent().replace(elided, whole)
    return root


@pytest.mark.parametrize("element", GUIDE.elements, ids=lambda e: e.name)
def test_the_example_is_valid_against_the_schema(element, any_element_schema) -> None:
    example = expanded(element.example)
    assert etree.QName(example).localname == element.name
    assert any_element_schema.validate(example), f"{element.example}\n{any_element_schema.error_log}"


def test_the_example_check_rejects_an_invalid_example(any_element_schema) -> None:
    assert not any_element_schema.validate(expanded('<p><div><p>x</p></div></p>'))
    assert not any_element_schema.validate(expanded('<subst><del>Monday</del></subst>'))


# --- the command and the page -----------------------------------------------------------------------

def test_guide_command_prints_the_markdown_and_refuses_to_overwrite(tmp_path) -> None:
    runner = CliRunner()
    printed = runner.invoke(cli, ["guide"])
    assert printed.exit_code == 0 and printed.output == guide_markdown(GUIDE)
    target = tmp_path / "GUIDE.md"
    target.write_text("mine", encoding="utf-8")
    refused = runner.invoke(cli, ["guide", "-o", str(target)])
    assert refused.exit_code == 2 and "--force" in refused.output
    assert target.read_text(encoding="utf-8") == "mine"
    written = runner.invoke(cli, ["guide", "-o", str(target), "--force"])
    assert written.exit_code == 0, written.output
    assert target.read_text(encoding="utf-8") == guide_markdown(GUIDE)


def test_guide_xml_carries_every_element_with_its_rendering() -> None:
    root = etree.fromstring(guide_xml(GUIDE))
    names = root.xpath("g:element/@name", namespaces={"g": GUIDE_NS})
    assert names == [e.name for e in GUIDE.elements]
    assert root.xpath("string(g:element[@name='gap']/g:pdf)", namespaces={"g": GUIDE_NS}) == GUIDE.element("gap").pdf


def test_the_site_has_the_guide_page_linked_from_every_footer(tmp_path) -> None:
    import lxml.html

    from test_build import LETTER, build, copy_fixture

    build(copy_fixture(tmp_path), tmp_path / "out")
    site = tmp_path / "out" / "html"
    page = lxml.html.parse(str(site / "guide.html")).getroot()
    entries = page.xpath("//section[@class='guide-entry'][starts-with(@id, 'element-')]")
    assert [e.get("id") for e in entries] == [f"element-{e.name}" for e in GUIDE.elements]
    for entry, element in zip(entries, GUIDE.elements):
        assert entry.xpath("string(.//pre/code)") == element.example  # the example as text, not markup
        assert entry.xpath(".//dt/text()")[:2] == ["HTML", "PDF"]
        assert entry.xpath("string(.//dd[1])") == element.html and entry.xpath("string(.//dd[2])") == element.pdf
    assert page.xpath("//main//subst | //main//TEI") == []
    for path, link in ((site / "index.html", "guide.html"), (site / "documents" / f"{LETTER}.html", "../guide.html")):
        footer = lxml.html.parse(str(path)).getroot().xpath("//footer//a/@href")
        assert link in footer, (path, footer)


def test_the_guide_kept_between_builds_is_made_again_when_the_schema_or_its_reader_changes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps the site's guide in its store of facts under `schema_guide_key`: a key over the schema's bytes
    and guide.py's, which makes the guide from it."""
    from teipress import guide
    from teipress.guide import schema_guide_key

    same = tmp_path / "same.rng"
    same.write_bytes(SCHEMA_FILE.read_bytes())
    changed = tmp_path / "teipress.rng"
    changed.write_bytes(SCHEMA_FILE.read_bytes().replace(b"</grammar>", b"<!-- a change --></grammar>"))
    assert changed.read_bytes() != SCHEMA_FILE.read_bytes()
    original = schema_guide_key(SCHEMA_FILE)
    assert schema_guide_key(same) == original
    assert schema_guide_key(changed) != original
    reader = tmp_path / "guide.py"
    reader.write_bytes(Path(guide.__file__).read_bytes() + b"\n# a change\n")
    monkeypatch.setattr(guide, "__file__", str(reader))
    assert schema_guide_key(SCHEMA_FILE) != original


def test_a_build_reads_the_schema_for_its_guide_only_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from teipress import guide
    from teipress.build import build_edition
    from teipress.config import load_config

    shutil.copytree(REPO / "tests" / "fixtures" / "site" / "edition", tmp_path / "tei")
    config = load_config(tmp_path)
    build_edition(config, formats={"html"}, validate=False)
    first = (config.html_dir / "guide.html").read_bytes()
    monkeypatch.setattr(guide, "read_guide", lambda schema: pytest.fail("the schema was read again for the guide"))
    guide._cached_guide_xml.cache_clear()
    build_edition(config, formats={"html"}, validate=False)
    assert (config.html_dir / "guide.html").read_bytes() == first

"""xml:id in the edition's terms: unique within its file; a register entry's and a document's id unique across the
edition; a pointer `#x` its own file lacks and several other files hold is ambiguous. One fixture folder per idea."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES

from teipress import validate as validate_module
from teipress.config import load_config
from teipress.edition import load_edition
from teipress.validate import validate_paths

IDS = FIXTURES / "validate" / "ids"


def problems(case: str, monkeypatch: pytest.MonkeyPatch, *paths: str) -> list[str]:
    """The problems of validating the fixture edition `case` (its folder the source), or only `paths` in it."""
    monkeypatch.chdir(IDS / case)
    result = validate_paths([Path(path) for path in paths] or [Path(".")], load_config(IDS / case, source="."))
    return [str(problem) for problem in result.problems]


@pytest.fixture(params=["one process", "workers"])
def both_ways(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a test in one process and, as for a large edition, with the files checked by workers and no tree held."""
    if request.param == "workers":
        monkeypatch.setattr(validate_module, "PARALLEL_FROM", 1)
        monkeypatch.setattr(validate_module, "FILES_PER_TASK", 1)


def test_the_same_line_id_in_two_letters_is_fine(monkeypatch, both_ways):
    assert problems("line-ids-in-two-letters", monkeypatch) == []


def test_an_id_twice_in_one_file_is_an_error_at_both_places(monkeypatch, both_ways):
    assert problems("id-twice-in-one-letter", monkeypatch) == [
        'letter-a.xml:13:26: error: xml:id "p1-l1" of <lb> is used more than once in this file (also at line 14); an xml:id must be unique within its file [unique-id]',
        'letter-a.xml:14:26: error: xml:id "p1-l1" of <lb> is used more than once in this file (also at line 13); an xml:id must be unique within its file [unique-id]',
    ]


def test_a_register_entry_defined_in_two_files_is_an_error_at_both(monkeypatch, both_ways):
    assert problems("entry-in-two-registers", monkeypatch) == [
        'more-persons.xml:14:17: error: register entry "tito" of <person> is defined in another file too (at persons.xml:14); '
        "the id of a register entry or of a document must be unique across the edition [unique-id]",
        'persons.xml:14:17: error: register entry "tito" of <person> is defined in another file too (at more-persons.xml:14); '
        "the id of a register entry or of a document must be unique across the edition [unique-id]",
    ]


def test_two_documents_with_the_same_root_id_are_an_error_in_both(monkeypatch, both_ways):
    assert problems("same-document-id", monkeypatch) == [
        'letter-a-copy.xml:3:42: error: document id "letter-a" of <TEI> is defined in another file too (at letter-a.xml:3); '
        "the id of a register entry or of a document must be unique across the edition [unique-id]",
        'letter-a.xml:3:42: error: document id "letter-a" of <TEI> is defined in another file too (at letter-a-copy.xml:3); '
        "the id of a register entry or of a document must be unique across the edition [unique-id]",
    ]


AMBIGUOUS = ('letter-a.xml:13:19: error: ref/@target "#p1-l1": this file has no xml:id "p1-l1", and 2 other files have one '
             '(at letter-b.xml:13 and letter-c.xml:13), so it is not clear which is meant; '
             'name the file (target="FILE.xml#p1-l1") or give the element an id of its own [ambiguous-pointer]')


def test_an_ambiguous_pointer_names_the_files_that_hold_its_id(monkeypatch, both_ways):
    assert problems("ambiguous-pointer", monkeypatch) == [AMBIGUOUS]


def test_an_ambiguous_pointer_is_found_when_only_its_file_is_validated(monkeypatch):
    """The rest of the source folder is read for its ids, and its files are not reported on."""
    assert problems("ambiguous-pointer", monkeypatch, "letter-a.xml") == [AMBIGUOUS]
    assert problems("ambiguous-pointer", monkeypatch, "letter-b.xml") == []


def test_a_pointer_to_an_element_of_one_other_file_names_that_file(monkeypatch, both_ways):
    # The site follows "#p1-l1" within the page of letter A, where there is no such line.
    assert problems("pointer-to-another-file", monkeypatch) == [
        'letter-a.xml:13:19: error: ref/@target "#p1-l1": this file has no xml:id "p1-l1"; letter-b.xml:13 has one, but a "#" pointer leads '
        'to an element of its own file, a register entry or a document; name the file (target="letter-b.xml#p1-l1") [pointer-other-file]']


def test_a_pointer_its_own_file_resolves_is_not_ambiguous(monkeypatch, both_ways):
    assert problems("pointer-in-its-own-file", monkeypatch) == []


def test_a_pointer_to_a_document_is_not_ambiguous_where_other_files_hold_its_id(monkeypatch, both_ways):
    """A document's id names its page wherever it is pointed to from (html's tp:local-href), as a register entry's names the entry."""
    assert problems("pointer-to-a-document", monkeypatch) == []


def test_the_ids_are_gathered_while_the_edition_is_read(monkeypatch):
    """load_edition hands each file it parses to on_read, once, with its tree: no file is parsed again for its ids."""
    read: list[str] = []
    edition = load_edition(IDS / "ambiguous-pointer", hold_trees=False, on_read=lambda source, tree: read.append(tree.getroot().get("{http://www.w3.org/XML/1998/namespace}id")))
    assert read == ["letter-a", "letter-b", "letter-c"]
    assert [source.id for source in edition.files] == read

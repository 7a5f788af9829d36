"""How validation reads an edition: without the digests a build's catalogue needs, the ids gathered while each file is
read (also by the build), each Schematron failure located at its own element however many siblings share its name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES

from teipress import edition as edition_module
from teipress import validate as validate_module
from teipress.build import EditionInvalid, build_edition
from teipress.config import load_config
from teipress.edition import load_edition
from teipress.validate import validate_paths

EDITION = FIXTURES / "validate" / "edition"
IDS = FIXTURES / "validate" / "ids"


def described(edition: edition_module.Edition) -> list[tuple[str, str, str, bool]]:
    return [(source.path.name, source.role, source.id, source.holds_entries) for source in edition.files]


def test_load_edition_without_digests_reads_the_same_files_and_hashes_none(monkeypatch):
    with_digests = load_edition(EDITION / "tei", hold_trees=False)
    assert all(len(source.record.states) == 1 for source in with_digests.files)

    def no_state(path: Path) -> edition_module.FileState:
        raise AssertionError(f"{path} was hashed")

    monkeypatch.setattr(edition_module.FileState, "of", staticmethod(no_state))
    without = load_edition(EDITION / "tei", hold_trees=False, digests=False)
    assert described(without) == described(with_digests) == [
        ("letter-1975-11-04.xml", "document", "letter-1975-11-04", False), ("persons.xml", "register", "persons", True)]
    assert [source.record.states for source in without.files] == [[], []]


def test_validate_hashes_no_file(monkeypatch):
    """`teipress validate` writes no catalogue: the SHA-256 of every file (and a second read of it) is not made."""
    def no_state(path: Path) -> edition_module.FileState:
        raise AssertionError(f"{path} was hashed")

    monkeypatch.setattr(edition_module.FileState, "of", staticmethod(no_state))
    monkeypatch.chdir(IDS / "id-twice-in-one-letter")
    result = validate_paths([Path(".")], load_config(IDS / "id-twice-in-one-letter", source="."))
    assert [problem.rule for problem in result.problems] == ["unique-id", "unique-id"]


@pytest.mark.parametrize("case", ["id-twice-in-one-letter", "ambiguous-pointer", "entry-in-two-registers", "same-document-id"])
def test_the_builds_validation_reports_the_id_problems_of_validate_from_the_ids_gathered_while_reading(case, tmp_path, monkeypatch):
    """Each file's ids are gathered once, as load_edition reads it: the build's validation does not read every tree again."""
    monkeypatch.chdir(IDS / case)
    config = load_config(IDS / case, source=".", output=str(tmp_path / "out"))
    validated = [str(problem) for problem in validate_paths([Path(".")], config).problems]
    gathered: list[str] = []
    add = validate_module.IdIndex.add

    def counted(index: validate_module.IdIndex, source: edition_module.SourceFile, tree: object) -> None:
        gathered.append(source.path.name)
        add(index, source, tree)  # type: ignore[arg-type]

    monkeypatch.setattr(validate_module.IdIndex, "add", counted)
    with pytest.raises(EditionInvalid) as invalid:
        build_edition(config, formats={"html"})
    assert [str(problem) for problem in invalid.value.problems] == validated
    assert sorted(gathered) == sorted(path.name for path in (IDS / case).glob("*.xml"))


def person(number: int, born: str) -> str:
    return f'<person xml:id="p{number}"><persName>Person {number}</persName><birth when="{born}"/></person>'


def test_each_schematron_failure_is_located_at_its_own_element_among_many_of_its_name(tmp_path, monkeypatch):
    """The failures of a long register (here the 3rd and 7th of 9 persons) are each reported at their own line and column."""
    root = tmp_path / "edition"
    shutil.copytree(EDITION, root)
    monkeypatch.chdir(root)
    register = root / "tei" / "registers" / "persons.xml"
    text = register.read_text(encoding="utf-8")
    people = "\n".join(f"        {person(n, '1892-13-07' if n == 3 else '1900-02-30' if n == 7 else '1900-01-01')}" for n in range(1, 10))
    register.write_text(text.replace("      </listPerson>", f"{people}\n      </listPerson>"), encoding="utf-8")
    line = text[:text.index("      </listPerson>")].count("\n") + 1
    result = validate_paths([root / "tei"], load_config(root))
    assert [str(problem) for problem in result.problems] == [
        f'tei/registers/persons.xml:{line + 2}:65: error: birth/@when "1892-13-07" is not a real calendar date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD) [iso-date]',
        f'tei/registers/persons.xml:{line + 6}:65: error: birth/@when "1900-02-30" is not a real calendar date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD) [iso-date]',
    ]


def test_the_workers_tasks_take_the_largest_files_first_and_a_large_one_alone(tmp_path, monkeypatch):
    """In the listing's order a corpus's registers come last, and one worker checks them while the other waits."""
    monkeypatch.setattr(validate_module, "FILES_PER_TASK", 3)
    monkeypatch.setattr(validate_module, "BYTES_PER_TASK", 1000)
    sizes = {"a.xml": 100, "b.xml": 300, "c.xml": 2000, "d.xml": 200, "e.xml": 100, "f.xml": 600, "g.xml": 50, "h.xml": 400}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    files = [(str(tmp_path / name), str(tmp_path)) for name in sizes]
    batches = validate_module._batches(files)
    assert [[Path(path).name for path, _ in batch] for batch in batches] == [
        ["c.xml"], ["f.xml", "h.xml"], ["b.xml", "d.xml", "a.xml"], ["e.xml", "g.xml"]]
    assert {root for batch in batches for _, root in batch} == {str(tmp_path)}

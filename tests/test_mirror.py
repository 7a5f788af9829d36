"""The mirror's two processes (mirror.py): a folder's first mirror, the hard-linked copy made beside the build's last
phases and brought up to date once the folder is in place; a rebuild's catch-up of the mirror while it reads the
edition. And what a failed copy, a failed catch-up or a failed build leaves."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from teipress import mirror, outputs

from teipress.build import EditionInvalid

from test_build import LETTER, build, copy_fixture, site_files

LONG_AGO = 10**18  # 2001, by the file system's clock


def entries(folder: Path) -> dict[str, int]:
    """Every file below `folder` by path, with its inode: two folders that hold the same hard links have the same entries."""
    return {p.relative_to(folder).as_posix(): p.stat().st_ino for p in sorted(folder.rglob("*")) if p.is_file()}


def mirrored(folder: Path) -> dict[str, int]:
    """`entries` but the journal, which the site gets anew once its mirror is kept (outputs._keep_mirror)."""
    return {name: inode for name, inode in entries(folder).items() if name != ".teipress/folders.json"}


def folders_set_back(root: Path) -> None:
    """Every folder below `root` (and it) last modified long ago, as a folder written well before a build's end is."""
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(LONG_AGO, LONG_AGO))


def write(folder: Path, names: list[str]) -> None:
    for name in names:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(name, encoding="utf-8")


def recording(monkeypatch: pytest.MonkeyPatch, name: str) -> list:  # type: ignore[type-arg]
    """Every instance of `outputs.NAME` (a class of mirror.py) made from now on, noted as it is made."""
    made = []
    original = getattr(outputs, name)

    class Recorded(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(outputs, name, Recorded)
    return made


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> list[mirror.MirrorCopy]:
    return recording(monkeypatch, "MirrorCopy")


@pytest.fixture
def catch_ups(monkeypatch: pytest.MonkeyPatch) -> list[mirror.CatchUp]:
    return recording(monkeypatch, "CatchUp")


def change_letter(source: Path, old: str, new: str) -> None:
    letter = source / f"{LETTER}.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_rebuild_brings_the_mirror_up_to_date_in_a_process_of_its_own_while_it_reads(tmp_path: Path, catch_ups: list[mirror.CatchUp]) -> None:
    """Each rebuild takes the mirror before it reads the edition and has it brought up to date beside the reading; what
    it writes from there is what a build from nothing writes."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    assert catch_ups == []  # a first build has no mirror to take
    change_letter(source, "quince marmalade", "plum jam")
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    change_letter(source, "plum jam", "damson cheese")
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    assert [catch_up.process.returncode for catch_up in catch_ups] == [0, 0]
    build(source, tmp_path / "clean")
    assert site_files(tmp_path / "out" / "html") == site_files(tmp_path / "clean" / "html")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".html.facts.sqlite", ".html.mirror", "html"]


def test_a_build_that_stops_before_it_writes_gives_the_mirror_back(tmp_path: Path, catch_ups: list[mirror.CatchUp]) -> None:
    """Taken as the build started, the mirror goes back beside the site when the build stops before it writes (here:
    nothing readable), and the next build starts from it."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    build(source, tmp_path / "out")
    kept = {p: p.read_bytes() for p in source.rglob("*.xml")}
    for path in kept:
        path.write_text("<TEI>", encoding="utf-8")
    with pytest.raises(EditionInvalid):
        build(source, tmp_path / "out")
    assert len(catch_ups) == 2
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".html.facts.sqlite", ".html.mirror", "html"]
    for path, data in kept.items():
        path.write_bytes(data)
    change_letter(source, "quince marmalade", "plum jam")
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    assert catch_ups[1].process.returncode is not None  # done or stopped, half way: not left running
    assert catch_ups[2].process.returncode == 0
    build(source, tmp_path / "clean")
    assert site_files(tmp_path / "out" / "html") == site_files(tmp_path / "clean" / "html")


def test_a_catch_up_that_fails_has_the_site_copied_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the mirror cannot be brought up to date (here: its process is handed a folder that is not there), the
    build starts from a copy of the whole site instead, and writes what a build from nothing writes."""
    failed: list[mirror.CatchUp] = []

    class FailingCatchUp(mirror.CatchUp):
        def __init__(self, previous: Path, staging: Path, journal: Path) -> None:
            super().__init__(tmp_path / "not there", staging, tmp_path / "not there" / "folders.json")
            failed.append(self)

    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    build(source, tmp_path / "out")
    monkeypatch.setattr(outputs, "CatchUp", FailingCatchUp)
    change_letter(source, "quince marmalade", "plum jam")
    assert build(source, tmp_path / "out").documents_rendered == [LETTER]
    assert [catch_up.process.returncode for catch_up in failed] == [1]
    build(source, tmp_path / "clean")
    assert site_files(tmp_path / "out" / "html") == site_files(tmp_path / "clean" / "html")


def test_a_first_build_copies_its_site_for_the_mirror_beside_its_last_phases(tmp_path: Path, recorded: list[mirror.MirrorCopy]) -> None:
    """The site's first build starts the copy itself once the site is mostly written, and the mirror it leaves holds
    the site's files, each a hard link to the same file; the rebuild that starts from it writes what a new build writes."""
    source = copy_fixture(tmp_path)
    build(source, tmp_path / "out")
    site, kept = tmp_path / "out" / "html", tmp_path / "out" / ".html.mirror"
    assert [copy.process.returncode for copy in recorded] == [0]
    assert mirrored(kept) == mirrored(site)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".html.facts.sqlite", ".html.mirror", "html"]  # no copy left beside
    assert build(source, tmp_path / "out").documents_rendered == []  # started from the mirror, which lacks no page
    assert len(recorded) == 1  # a rebuild retires the previous site: no copy


def test_the_copy_is_brought_up_to_date_with_what_changed_after_it_started_reading_only_those_folders(
        tmp_path: Path, recorded: list[mirror.MirrorCopy], monkeypatch: pytest.MonkeyPatch) -> None:
    """Files replaced, removed and added after the copy started, in folders old and new, are in the mirror as in the
    site; of the folders written before the copy started only those changed since are read again."""
    site, source = tmp_path / "out" / "html", tmp_path / "tei"
    source.mkdir()
    read: list[str] = []
    link_differences = mirror.link_differences
    monkeypatch.setattr(mirror, "link_differences",
                        lambda original, copy, **kw: (read.append(original.relative_to(site).as_posix()), link_differences(original, copy, **kw))[1])
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        write(staging, ["kept.txt", "a/one.txt", "a/deep/two.txt", "b/three.txt", "b/four.txt", "c/five.txt"])
        folders_set_back(staging)
        outputs.start_mirror(staging)
        outputs.start_mirror(staging)  # once only
        assert recorded[0].process.wait() == 0
        (staging / "b" / "three.txt").unlink()
        (staging / "b" / "three.txt").write_text("changed after the copy", encoding="utf-8")
        (staging / "b" / "four.txt").unlink()
        write(staging, ["b/six.txt", "new/seven.txt"])
    kept = tmp_path / "out" / ".html.mirror"
    assert len(recorded) == 1
    assert mirrored(kept) == mirrored(site)
    assert (kept / "b" / "three.txt").read_text(encoding="utf-8") == "changed after the copy"
    assert sorted(set(read)) == [".", ".teipress", "b", "new"]  # not a, a/deep, c
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:  # the next build, from the mirror
        assert entries(staging) == entries(site)


def test_a_copy_that_fails_leaves_the_mirror_to_the_build(tmp_path: Path, recorded: list[mirror.MirrorCopy]) -> None:
    """Where the copy cannot be made (here a file stands where it would go), the build copies the site itself, as
    before, and leaves alone what stood in the copy's way."""
    site, source = tmp_path / "out" / "html", tmp_path / "tei"
    source.mkdir()
    in_the_way = tmp_path / "out" / f".html.mirroring-{os.getpid()}"
    with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
        write(staging, ["kept.txt", "a/one.txt"])
        in_the_way.write_text("not a folder", encoding="utf-8")
        outputs.start_mirror(staging)
        assert recorded[0].process.wait() != 0
    assert mirrored(tmp_path / "out" / ".html.mirror") == mirrored(site)
    assert in_the_way.read_text(encoding="utf-8") == "not a folder"


def test_a_build_that_fails_stops_its_copy_and_leaves_none(tmp_path: Path, recorded: list[mirror.MirrorCopy]) -> None:
    site, source = tmp_path / "out" / "html", tmp_path / "tei"
    source.mkdir()
    with pytest.raises(RuntimeError, match="the build failed"):
        with outputs.replaced_folder(site, source=source, keep_previous=True) as staging:
            write(staging, [f"documents/{n}.html" for n in range(300)])
            outputs.start_mirror(staging)
            raise RuntimeError("the build failed")
    assert recorded[0].process.returncode is not None  # ended, not left running
    assert not site.exists()
    assert list((tmp_path / "out").iterdir()) == []  # neither the copy nor the staging folder (unmarked: no mirror, outputs._kept_as_mirror)


def test_the_copy_links_every_file_and_gives_each_folder_its_originals_times(tmp_path: Path) -> None:
    original = tmp_path / "original"
    write(original, ["one.txt", "a/two.txt", "a/b/three.txt", "c/four.txt"])
    (original / "empty").mkdir()
    (original / "link.txt").symlink_to("one.txt")
    for number, folder in enumerate(sorted([original, *(p for p in original.rglob("*") if p.is_dir())])):
        os.utime(folder, ns=(LONG_AGO + number, LONG_AGO + 10 * number))
    mirror.copy_linked(str(original), str(tmp_path / "copy"))
    copy = tmp_path / "copy"
    assert entries(copy) == entries(original)
    assert os.readlink(copy / "link.txt") == "one.txt"
    assert {p.relative_to(copy).as_posix(): p.stat().st_mtime_ns for p in [copy, *copy.rglob("*")] if p.is_dir()} == \
        {p.relative_to(original).as_posix(): p.stat().st_mtime_ns for p in [original, *original.rglob("*")] if p.is_dir()}


def test_a_file_removed_while_the_copy_reads_its_folder_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry listed but gone before it is linked (a build's temporary file renamed, a file removed) is not copied and
    stops nothing: the folder's time tells the catch-up that it changed."""
    original = tmp_path / "original"
    write(original, ["a.txt", "b.txt", "c.txt", "sub/d.txt"])
    real_link = os.link

    def link_after_removing_b(source: str, target: str, **kwargs: object) -> None:
        if source.endswith("b.txt"):
            os.unlink(source)
        real_link(source, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(mirror.os, "link", link_after_removing_b)
    mirror.copy_linked(str(original), str(tmp_path / "copy"))
    assert sorted(entries(tmp_path / "copy")) == ["a.txt", "c.txt", "sub/d.txt"]

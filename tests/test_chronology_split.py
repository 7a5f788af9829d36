"""The chronology split into a page per year (aggregates.py, CHRONOLOGY_SPLIT_AT): no page's source is made that no
page reads (the whole chronology's), and a rebuild from whole to split and back leaves the pages the chronology links."""

from __future__ import annotations

from pathlib import Path

import pytest

from teipress import aggregates

from test_build import broken_links, build, copy_fixture, parse


def chronology_sources(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], list[str]]]:
    """For each build from now on: the files of the aggregate pages' sources written, and those the pages read, by name."""
    seen: list[tuple[list[str], list[str]]] = []
    render = aggregates._render_units

    def looking(staging: Path, units, *arguments, **keywords):  # type: ignore[no-untyped-def]
        units = list(units)
        written = render(staging, iter(units), *arguments, **keywords)
        if any(unit.relative == "chronology.html" for unit in units):
            read = {unit.site_file.path for unit in units if unit.site_file}
            folder = next(iter(read)).parent
            seen.append((sorted(path.name for path in folder.iterdir()), sorted(path.name for path in read)))
        return written

    monkeypatch.setattr(aggregates, "_render_units", looking)
    return seen


def chronology_pages(site: Path) -> tuple[list[str], list[str]]:
    """The pages of the chronology's folder, and those chronology.html links (the years, the page without a year)."""
    linked = parse(site / "chronology.html").xpath("//nav[contains(@class, 'chronology-years')]//a/@href")
    return sorted(path.relative_to(site).as_posix() for path in (site / "chronology").glob("*")), sorted(linked)


def test_a_split_chronology_makes_no_source_no_page_reads_and_a_rebuild_keeps_only_its_pages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = copy_fixture(tmp_path)
    out, site = tmp_path / "out", tmp_path / "out" / "html"
    seen = chronology_sources(monkeypatch)

    # Two documents and two events of the registers: more than one entry, a page per year and one without a year.
    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", 1)
    build(source, out)
    files, read = seen[-1]
    assert "chronology.xml" in read and "chronology-whole.xml" not in read
    assert files == read  # a first build: every page rendered
    assert chronology_pages(site) == (["chronology/1950.html", "chronology/undated.html"], ["chronology/1950.html", "chronology/undated.html"])

    # Whole again: the page's source is the whole chronology, and the pages per year stay, where links land.
    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", 1000)
    build(source, out)
    files, read = seen[-1]
    assert "chronology-whole.xml" in files and "chronology.xml" not in read
    assert set(files) <= set(read)  # only the pages rendered again had their sources written
    assert sorted(path.relative_to(site).as_posix() for path in (site / "chronology").glob("*")) == ["chronology/1950.html", "chronology/undated.html"]

    # Split by the documents alone (the events fit): the whole chronology's source, begun, is gone.
    monkeypatch.setattr(aggregates, "CHRONOLOGY_SPLIT_AT", 3)
    build(source, out)
    files, read = seen[-1]
    assert set(files) <= set(read) and "chronology-whole.xml" not in read and "chronology.xml" in files
    assert chronology_pages(site)[0] == chronology_pages(site)[1]
    assert broken_links(site) == []

    # Built again as it is: no page is rendered, and no page's source written (nor the documents' summaries read).
    build(source, out)
    assert seen[-1][0] == []

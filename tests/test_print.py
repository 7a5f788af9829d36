"""The print edition as a publisher would set it: volumes, indexes, compact per-document PDFs, front matter,
the interface's words; and a visual review sheet of page images for a person to look at."""

from __future__ import annotations

import itertools
import json
import re
import shutil
import subprocess
import tarfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pymupdf
import pytest

from conftest import REPO, shared_path
from teipress.config import load_config
from teipress.edition import load_edition
from teipress.errors import ConfigError
from teipress.pdf import PdfResult, build_pdfs

SEED = REPO / "tei"
TELEGRAM = "telegram-1967-05-01-pyongyang-bucharest"
ESSAY = "coles-tito-kim-correspondence-1975-1976"
BASE_URL = "https://edition.example.org/"
# The text block of a page (xslt/pdf/lib.typ margins): running heads above it, page numbers below.
TOP, BOTTOM = 0.11, 0.88


@dataclass
class Build:
    root: Path
    out: Path
    result: PdfResult


def build(root: Path, out: Path, **settings: object) -> Build:
    config = load_config(root, source=root / "tei" if (root / "tei").is_dir() else root, output=out.parent, **settings)
    return Build(root, out, build_pdfs(load_edition(config.source), config, out, jobs=2))


# ---- a synthetic edition in German, long enough for small volumes -------------------------------

# Invented persons (surname, forename) and places, one place inside another (a sub-entry).
PERSONS = [("zander", "Zander", "Dora"), ("ofen", "Ofen", "Bruno"), ("oezdemir", "Özdemir", "Cem"), ("ober", "Ober", "Anna")]
# A person the first letter's header describes (id, name): the indexes print it by its name after the registers' entries.
OWN_PERSON = ("eva-wyss", "Eva Wyss")
LONG_TITLE = "Der Briefwechsel der Donaudampfschifffahrtsgesellschaftskapitäne mit den Kunstgeschichtsschreibern"
# A chapter title longer than a line of the contents at A5.
INTRODUCTION = "Einleitung: die Briefe der Kapitäne über die Fahrpläne, die Kosten der Reparaturen und die Reisen zwischen Wien und Bern"


# References between letters (lib.typ tp-ref): the first letter to the last (by its id, with words) and to a
# paragraph of the one before it (a file and a passage, without words); the last to the first and to its neighbour.
CROSS_REFERENCES = {
    0: '<p>Siehe <ref target="#{last}">den letzten Brief</ref> und <ref target="{before_last}.xml#{before_last}-p3"/>.</p>',
    -1: '<p>Zurück zu <ref target="#brief-000">dem ersten Brief</ref>, vorher <ref target="#{before_last}"/>.</p>',
}


def write_synthetic_edition(root: Path, letters: int, own_person: bool = False) -> None:
    """`letters` invented letters over four years, each naming persons and places of the registers; with `own_person`
    the first also names a person its header describes outside any list (an entry the registers do not hold)."""
    tei = root / "tei"
    (tei / "registers").mkdir(parents=True)
    ns = 'xmlns="http://www.tei-c.org/ns/1.0"'
    header = '<teiHeader><fileDesc><titleStmt><title>{}</title></titleStmt><publicationStmt><p>Test fixture.</p></publicationStmt><sourceDesc><p>Invented for tests.</p></sourceDesc></fileDesc></teiHeader>'
    persons = "".join(f'<person xml:id="{key}"><persName><forename>{forename}</forename> <surname>{surname}</surname></persName></person>'
                      for key, surname, forename in PERSONS)
    (tei / "registers" / "persons.xml").write_text(f'<TEI {ns}>{header.format("Personen")}<text><body><listPerson>{persons}</listPerson></body></text></TEI>', encoding="utf-8")
    places = ('<place xml:id="zuerich"><placeName>Zürich</placeName><place xml:id="enge"><placeName>Enge</placeName></place></place>'
              '<place xml:id="bern"><placeName>Bern</placeName></place>')
    (tei / "registers" / "places.xml").write_text(f'<TEI {ns}>{header.format("Orte")}<text><body><listPlace>{places}</listPlace></body></text></TEI>', encoding="utf-8")
    (tei / "edition.xml").write_text(
        f'<TEI {ns} xml:lang="de"><teiHeader><fileDesc><titleStmt><title type="main">{LONG_TITLE}</title><editor>Erika Musterfrau</editor></titleStmt>'
        '<publicationStmt><publisher>Testverlag</publisher><pubPlace>Zürich</pubPlace><date when="2026-01-01">2026</date>'
        '<availability><licence target="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</licence></availability></publicationStmt>'
        f'<sourceDesc><p>Erfunden für Tests.</p></sourceDesc></fileDesc></teiHeader><text><body><div type="introduction"><head>{INTRODUCTION}</head>'
        '<p>Eine erfundene Edition für Tests des Drucks.</p></div></body></text></TEI>', encoding="utf-8")
    sentence = ("Die Schifffahrtsgesellschaft beriet lange über die neuen Fahrpläne und über die Kosten der Reparaturen, "
                "und niemand wusste, wie die Sache ausgehen würde, bis der Brief kam. ")
    for number in range(letters):
        year, month = 1850 + number * 4 // letters, 1 + number % 12
        key, surname, forename = PERSONS[number % len(PERSONS)]
        place = ("zuerich", "Zürich") if number % 3 else ("enge", "Enge")
        body = "".join(f'<p xml:id="brief-{number:03d}-p{paragraph}">Absatz {paragraph}. {sentence * 3}<persName ref="#{key}">{forename} {surname}</persName> schreibt aus '
                       f'<placeName ref="#{place[0]}">{place[1]}</placeName> und <placeName ref="#bern">Bern</placeName>. {sentence * 2}</p>'
                       for paragraph in range(1, 5))
        own = ""
        if own_person and number == 0:
            own = f'<particDesc><person xml:id="{OWN_PERSON[0]}"><persName>{OWN_PERSON[1]}</persName></person></particDesc>'
            body += f'<p>Gegrüßt von <persName ref="#{OWN_PERSON[0]}">{OWN_PERSON[1]}</persName>.</p>'
        body += CROSS_REFERENCES.get(number if number < letters - 1 else -1, "").format(last=f"brief-{letters - 1:03d}", before_last=f"brief-{letters - 2:03d}")
        (tei / f"brief-{number:03d}.xml").write_text(
            f'<TEI {ns} xml:id="brief-{number:03d}" xml:lang="de"><teiHeader><fileDesc><titleStmt><title>Brief {number + 1} von {forename} {surname}</title></titleStmt>'
            '<publicationStmt><p>Test fixture.</p></publicationStmt><sourceDesc><p>Erfunden für Tests.</p></sourceDesc></fileDesc>'
            f'<profileDesc><correspDesc><correspAction type="sent"><persName ref="#{key}">{forename} {surname}</persName>'
            f'<date when="{year}-{month:02d}-01"/></correspAction></correspDesc>{own}</profileDesc></teiHeader>'
            f'<text type="letter"><body>{body}</body></text></TEI>', encoding="utf-8")


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The repository's own edition (the two seed documents), with a site address for the permanent URLs."""
    return build(REPO, tmp_path_factory.mktemp("seed") / "pdf", base_url=BASE_URL)


@pytest.fixture(scope="session")
def volumes_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The synthetic German edition at A5 in volumes of about 6 pages."""
    root = tmp_path_factory.mktemp("volumes")
    write_synthetic_edition(root, 12, own_person=True)
    return build(root, root / "output" / "pdf", language="de", paper="a5", volume_pages=6, base_url=BASE_URL)


@contextmanager
def heavy_indexes() -> Iterator[None]:
    """The indexes of `write_synthetic_edition`'s twelve letters in volumes of 6 pages estimated too heavy for any
    volume: at 1.7 MB a locator (37), they fit neither beside a letter nor alone within 100 MB, and an index volume,
    within what the largest volume of letters holds beside the typesetter (about 8 MB), takes one person of four."""
    from teipress import pdf, print_indexes

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf, "VOLUMES_MEMORY_MB", 100)
        patch.setattr(print_indexes, "TYPST_MB_PER_INDEX_LOCATOR", 1.7)
        yield


@pytest.fixture(scope="session")
def index_volumes_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The edition of `volumes_build`, its indexes in volumes of their own (`heavy_indexes`)."""
    root = tmp_path_factory.mktemp("index-volumes")
    write_synthetic_edition(root, 12, own_person=True)
    with heavy_indexes():
        return build(root, root / "output" / "pdf", language="de", paper="a5", volume_pages=6, base_url=BASE_URL)


# ---- reading the PDFs ----------------------------------------------------------------------------

def text_lines(page: pymupdf.Page) -> list[tuple[pymupdf.Rect, str]]:
    """The page's lines of text with their boxes, top to bottom."""
    lines = [(pymupdf.Rect(line["bbox"]), "".join(span["text"] for span in line["spans"]).strip())
             for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])]
    return sorted(((box, text) for box, text in lines if text), key=lambda item: (item[0].y0, item[0].x0))


# How an index entry's turned line begins: with its locators ("12, 14", "Bd. 2, S. 3").
LOCATORS = re.compile(r"\d|Bd\.|vol\.")


def index_entries(pdf: Path) -> dict[str, list[str]]:
    """Each index's entries in reading order: section by section between the index headings, the left
    column before the right; a sub-entry (indented 1em) starts with two spaces, a turned line (2em) is
    joined to its entry, also at the head of a column or page."""
    entries: dict[str, list[str]] = {}
    with pymupdf.open(pdf) as document:
        toc = document.get_toc()
        titles = [t for _, t, _ in toc if t.startswith(("Index", "Personen", "Orts", "Register der"))]
        first = min(page for _, t, page in toc if t in titles) - 1
        current = ""
        for page in document.pages(first):
            height = page.rect.height
            lines = [(box, text) for box, text in text_lines(page) if TOP * height - 8 < box.y0 and box.y1 < BOTTOM * height + 4]
            # The headings cut the page into sections, each of one index, in two columns.
            bounds = [page.rect.y0, *(box.y0 for box, text in lines if text in titles), page.rect.y1]
            for top, bottom in zip(bounds, bounds[1:]):
                heading = next((text for box, text in lines if text in titles and box.y0 == top), None)
                if heading:
                    current = heading
                    entries[current] = []
                body = [(box, text) for box, text in lines if top < box.y0 < bottom and text not in titles]
                if not body or not current:
                    continue
                middle = (min(box.x0 for box, _ in body) + max(box.x1 for box, _ in body)) / 2
                for column in ([item for item in body if item[0].x0 < middle], [item for item in body if item[0].x0 >= middle]):
                    if not column:
                        continue
                    left = min(box.x0 for box, _ in column)
                    em = 0.9 * (11 if page.rect.width > 500 else 9.5)
                    if all(LOCATORS.match(text) for _, text in column):
                        left -= 2 * em  # a column that holds only the turned lines of a long entry
                    for box, text in column:
                        offset = (box.x0 - left) / em
                        if offset < 0.5:
                            entries[current].append(text)
                        elif offset < 1.5:
                            entries[current].append("  " + text)
                        else:
                            entries[current][-1] += " " + text
    return entries


def entry_name(entry: str) -> str:
    """An index entry without its locators."""
    return re.sub(r"\s+((Bd|vol)\.\s.*|[\d–, ]+)$", "", entry, flags=re.S)


def page_fill(page: pymupdf.Page) -> float:
    """How much of the text block is filled: from its top to the lowest line of text, as a share of its height."""
    height = page.rect.height
    words = page.get_text("words", clip=pymupdf.Rect(0, TOP * height, page.rect.width, BOTTOM * height))
    if not words:
        return 0.0
    return (max(word[3] for word in words) - TOP * height) / ((BOTTOM - TOP) * height)


# ---- indexes -------------------------------------------------------------------------------------

def test_the_seed_indexes_list_names_inverted_in_reading_order(seed_build: Build) -> None:
    entries = index_entries(seed_build.out / "edition.pdf")
    names = {title: [entry_name(e) for e in found] for title, found in entries.items()}
    assert list(names) == ["Index of persons", "Index of places", "Index of organisations"]
    assert names["Index of persons"] == ["Bandaranaike, Sirimavo", "Buzo, Adrian", "Carter, Jimmy", "Coles, Martin", "Gheorghe, Eliza",
                                         "Kim Il Sung", "Koh, B. C.", "Popa, Dumitru", "Popa, N.", "Tito, Josip Broz"]
    assert names["Index of places"][:8] == ["Asia", "Bucharest", "Colombo", "Europe", "Japan", "Joint Security Area", "Korea", "Korea, North"]
    # Organisations are sorted by the names they are printed with (the sortKey "edinburgh-university" does not move it to E).
    assert names["Index of organisations"][0] == "Coordinating Bureau of the Non-Aligned Movement"
    assert names["Index of organisations"][-2:] == ["University of Edinburgh", "Workers’ Party of Korea"]
    # Every entry has page numbers, ranges with an en dash.
    assert all(re.search(r" \d+(–\d+)?(, \d+(–\d+)?)*$", entry) for found in entries.values() for entry in found)
    assert any("–" in entry for entry in entries["Index of places"])


def test_several_indexes_share_a_page_and_page_numbers_are_in_the_text_colour(seed_build: Build) -> None:
    with pymupdf.open(seed_build.out / "edition.pdf") as document:
        pages = {title: page for _, title, page in document.get_toc() if title.startswith("Index")}
        assert pages["Index of places"] == pages["Index of organisations"]
        page = document[pages["Index of persons"] - 1]
        colours = {span["color"] for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])
                   for span in line["spans"] if span["text"].strip()}
    assert colours == {0}, "index page numbers are links, but printed in the text's colour"


def test_the_index_sorts_as_the_edition_language_does_with_sub_entries(volumes_build: Build) -> None:
    last = volumes_build.result.volumes[-1]
    entries = index_entries(last)
    # The first letter's own person, mentioned in the first volume, after the registers' entries.
    assert [entry_name(e) for e in entries["Personenregister"]] == ["Ober, Anna", "Ofen, Bruno", "Özdemir, Cem", "Zander, Dora", "Eva Wyss"]
    # Enge lies in Zürich: a sub-entry under it.
    assert [entry_name(e) for e in entries["Ortsregister"]] == ["Bern", "Zürich", "  Enge"]


# ---- volumes -------------------------------------------------------------------------------------

def test_the_book_is_split_into_volumes_with_their_years(volumes_build: Build) -> None:
    volumes = volumes_build.result.volumes
    assert [v.name for v in volumes] == [f"edition-volume-{n}.pdf" for n in range(1, len(volumes) + 1)] and len(volumes) >= 2
    assert not (volumes_build.out / "edition.pdf").exists()
    chapters: list[str] = []
    for number, volume in enumerate(volumes, start=1):
        with pymupdf.open(volume) as document:
            title_page = " ".join(document[0].get_text().split())
            toc = [title for _, title, _ in document.get_toc()]
        years = re.search(rf"Band {number}: (\d{{4}})(?:–(\d{{4}}))?", title_page)
        assert years, title_page
        letters = [t for t in toc if t.startswith("Brief ")]
        assert letters, f"volume {number} holds no letter"
        chapters += letters
        assert ("Personenregister" in toc) == (number == len(volumes))
    # Every letter once, in order.
    assert chapters == [f"Brief {n + 1} von {PERSONS[n % 4][2]} {PERSONS[n % 4][1]}" for n in range(12)]


def checked_locators(volumes: list[Path], entries: list[str]) -> int:
    """How many pages the locators "Bd. 2, S. 3–4" of the index `entries` name, each checked to mention the entry."""
    texts = []
    for volume in volumes:
        with pymupdf.open(volume) as document:
            texts.append([" ".join(page.get_text().split()) for page in document])
    checked = 0
    for entry in entries:
        name = entry_name(entry)
        surname = name.split(",")[0]
        for volume, pages in re.findall(r"Bd\.\s(\d+),\sS\.\s([\d–, ]+)", entry):
            for part in pages.strip(" ,").split(", "):
                first, _, last = part.partition("–")
                for page in range(int(first), int(last or first) + 1):
                    assert surname in texts[int(volume) - 1][page - 1], f"{name} is not on p. {page} of volume {volume}"
                    checked += 1
    return checked


def test_the_last_volume_indexes_every_volume_with_volume_and_page(volumes_build: Build) -> None:
    volumes = volumes_build.result.volumes
    assert checked_locators(volumes, index_entries(volumes[-1])["Personenregister"]) >= 13
    assert "Bd.\u00a01,\u00a0S." in " ".join(index_entries(volumes[-1])["Personenregister"])


# The German indexes' headings and their kinds' names, as the volumes' titles say them.
INDEX_KINDS = {"Personenregister": "Personen", "Ortsregister": "Orte"}


def volume_contents(volume: Path) -> tuple[str, list[str]]:
    """A volume's title page (its words) and its contents' headings."""
    with pymupdf.open(volume) as document:
        return " ".join(document[0].get_text().split()), [title for _, title, _ in document.get_toc()]


def test_indexes_too_large_for_a_volume_of_letters_get_index_volumes_after_them(index_volumes_build: Build, volumes_build: Build) -> None:
    volumes = index_volumes_build.result.volumes
    contents = [volume_contents(volume)[1] for volume in volumes]
    letters = [n for n, toc in enumerate(contents) if any(title.startswith("Brief ") for title in toc)]
    holding = [n for n, toc in enumerate(contents) if set(toc) & set(INDEX_KINDS)]
    assert letters == list(range(len(letters))) and holding == list(range(len(letters), len(volumes))) and len(holding) >= 3
    # The volumes' markup, which the compiling processes read from files, is gone with them.
    assert (index_volumes_build.out / ".teipress" / "chapters").is_dir() and not (index_volumes_build.out / ".teipress" / "volume-markup").exists()
    # Across the index volumes, in order, the indexes as the last volume of the same edition prints them when they fit there.
    parts = [index_entries(volumes[n]) for n in holding]
    joined: dict[str, list[str]] = {}
    for part in parts:
        for title, entries in part.items():
            joined.setdefault(title, []).extend(entries)
    whole = index_entries(volumes_build.result.volumes[-1])
    assert {title: [entry_name(e) for e in entries] for title, entries in joined.items()} == {title: [entry_name(e) for e in entries] for title, entries in whole.items()}
    # Their locators name the pages of the letters' volumes that mention them, the first letter's own person too.
    assert checked_locators(volumes, joined["Personenregister"]) >= 13
    assert any(entry.startswith(OWN_PERSON[1]) and "Bd.\u00a01,\u00a0S." in entry for entry in joined["Personenregister"])
    # Each says what it holds: an index it holds part of with the initials of its first and last entry of the registers.
    divided = {title for title in INDEX_KINDS if sum(title in part for part in parts) > 1}
    assert "Personenregister" in divided
    for number, part in zip(holding, parts):
        named = []
        for title, entries in part.items():
            names = [entry_name(e) for e in entries if not e.startswith(" ") and entry_name(e) != OWN_PERSON[1]]
            initials = "–".join(dict.fromkeys(name[0].upper() for name in (names[0], names[-1]))) if names and title in divided else ""
            named.append(f"{INDEX_KINDS[title]} {initials}".strip())
        assert f"Band {number + 1}: Register ({'; '.join(named)})" in volume_contents(volumes[number])[0]


def copied(done: Build, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of a build's edition and of its PDFs where they were: the edition's folder and the PDFs' folder."""
    root = tmp_path / "edition"
    shutil.copytree(done.root, root, ignore=shutil.ignore_patterns("output"))
    out = root / done.out.relative_to(done.root)
    shutil.copytree(done.out, out)
    return root, out


def test_index_volumes_are_typeset_again_only_when_their_entries_pages_changed(index_volumes_build: Build, tmp_path: Path) -> None:
    root, out = copied(index_volumes_build, tmp_path)
    settings = dict(language="de", paper="a5", volume_pages=6, base_url=BASE_URL)
    with heavy_indexes():
        again = build(root, out, **settings).result
        assert (again.typeset, again.book_typeset, again.volumes) == ([], False, [out / v.relative_to(index_volumes_build.out) for v in index_volumes_build.result.volumes])
        inodes = [v.stat().st_ino for v in again.volumes]
        # A word of the first letter changed for one as long: its volume is typeset again, no mention moves.
        letter = root / "tei" / "brief-000.xml"
        letter.write_text(letter.read_text(encoding="utf-8").replace("beriet lange", "beriet bange", 1), encoding="utf-8")
        changed = build(root, out, **settings).result
        assert [f.file for f in changed.volume_figures] == ["volumes/edition-volume-1.pdf"]
        assert [v.stat().st_ino == inode for v, inode in zip(changed.volumes, inodes)] == [False] + [True] * (len(inodes) - 1)
        # Its first mention of Dora Zander made one of Anna Ober, as long: the index volumes of the two are typeset again.
        header, text, body = letter.read_text(encoding="utf-8").partition("<text")
        letter.write_text(header + text + body.replace('<persName ref="#zander">', '<persName ref="#ober">', 1), encoding="utf-8")
        moved = build(root, out, **settings).result
    holding = {v.relative_to(out).as_posix() for v in moved.volumes if "Personenregister" in volume_contents(v)[1]
               and {"Ober, Anna", "Zander, Dora"} & {entry_name(e) for e in index_entries(v)["Personenregister"]}}
    assert len(holding) == 2
    assert [f.file for f in moved.volume_figures] == ["volumes/edition-volume-1.pdf", *sorted(holding, key=lambda f: int(re.findall(r"\d+", f)[-1]))]


def test_the_last_volume_lists_what_no_document_cites_also_after_a_citation_changed_in_another_volume(tmp_path: Path) -> None:
    """The last volume's bibliography lists the entries no document cites. When a document in another volume comes to
    cite one, or no longer does, the last volume is typeset again: kept, it listed the entry a second time in the book,
    or the entry was in no volume at all."""
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    bibliography = root / "tei" / "registers" / "bibliography.xml"
    bibliography.write_text(bibliography.read_text(encoding="utf-8").replace(
        "</listBibl>", '<bibl xml:id="reading-list"><title>Reading list</title></bibl></listBibl>', 1), encoding="utf-8")
    essay = root / "tei" / "coles-tito-kim-correspondence-1975-1976.xml"
    cited, citing = '<ref target="#document-6">[Document 6]</ref>', '<ref target="#document-6">[Document 6]</ref> <ref target="#reading-list">[Reading list]</ref>'
    out = root / "output" / "pdf"

    def listing() -> tuple[list[bool], list[str]]:
        """Which volumes print the entry, and which were typeset (once or again, for a reference's locator)."""
        result = build(root, out, volume_pages=1, base_url=BASE_URL).result
        listed = []
        for volume in result.volumes:
            with pymupdf.open(volume) as document:
                listed.append("Reading list." in " ".join(" ".join(page.get_text() for page in document).split()))
        return listed, sorted({f.file for f in result.volume_figures})

    assert listing() == ([False, True], ["volumes/edition-volume-1.pdf", "volumes/edition-volume-2.pdf"])  # the essay, the telegram
    essay.write_text(essay.read_text(encoding="utf-8").replace(cited, citing, 1), encoding="utf-8")
    assert listing() == ([True, False], ["volumes/edition-volume-1.pdf", "volumes/edition-volume-2.pdf"])
    essay.write_text(essay.read_text(encoding="utf-8").replace(citing, cited, 1), encoding="utf-8")
    assert listing() == ([False, True], ["volumes/edition-volume-1.pdf", "volumes/edition-volume-2.pdf"])


def test_a_documents_own_pdf_is_typeset_again_when_the_editions_header_changed_and_only_then(tmp_path: Path) -> None:
    """A document's own PDF prints in its colophon the publisher and licence of edition.xml's header: a change there
    typesets it again (it was kept, and printed the old publisher); a change to edition.xml's text (its introduction),
    which only the book prints, does not."""
    root = tmp_path / "edition"
    shutil.copytree(REPO / "tei", root / "tei")
    out = root / "output" / "pdf"
    first = build(root, out, base_url=BASE_URL).result
    documents = sorted(first.typeset)
    assert len(documents) == 2
    edition_xml = root / "tei" / "edition.xml"

    def edit(old: str, new: str) -> PdfResult:
        text = edition_xml.read_text(encoding="utf-8")
        assert text.count(old) == 1, old
        edition_xml.write_text(text.replace(old, new), encoding="utf-8")
        return build(root, out, base_url=BASE_URL).result

    published = edit("teipress editorial team</orgName></publisher>", "Example Press</orgName></publisher>")
    assert (sorted(published.typeset), published.book_typeset) == (documents, True)
    for document in documents:
        with pymupdf.open(out / f"{document}.pdf") as pdf:
            assert "Example Press" in " ".join(" ".join(page.get_text() for page in pdf).split())
    introduced = edit("<head>Introduction</head>", "<head>Introduction to the edition</head>")
    assert (introduced.typeset, introduced.book_typeset) == ([], True)


# The order of three indexes as book.xsl part=index-order gives it: a sub-entry "a1" under "a", an entry "b" that
# mentions name by its label, "c" mentioned nowhere; a place; no organisations.
INDEX_ORDER = ('[{"kind": "person", "entries": [["a", "", []], ["a1", "a", []], ["b", "", ["B-label"]], ["c", "", []], ["d", "", []]]},'
               ' {"kind": "place", "entries": [["x", "", []]]}, {"kind": "org", "entries": []}]')


def test_index_parts_are_cut_in_print_order_by_their_entries_and_locators(monkeypatch: pytest.MonkeyPatch) -> None:
    """An entry weighs 1 and each document that mentions it 1 (here): "a" (printed for its sub-entry) 4, "b" 4, "d" 2,
    the persons no register holds 2, "x" 6. Cut within 8, a part never splits an entry from its sub-entries, and an
    index's entries no register holds go with its last part."""
    from collections import Counter

    from teipress import print_indexes
    from teipress.print_indexes import IndexLoad, IndexOrder, IndexPart, plan_index_parts

    monkeypatch.setattr(print_indexes, "TYPST_MB_PER_INDEX_ENTRY", 1.0)
    monkeypatch.setattr(print_indexes, "TYPST_MB_PER_INDEX_LOCATOR", 1.0)
    order = IndexOrder.from_json(INDEX_ORDER)
    counted = Counter({("person", "a1"): 2, ("person", "B-label"): 3, ("person", "d"): 1, ("person", "own"): 1, ("place", "x"): 5})
    assert plan_index_parts(order, counted, 8) == [
        IndexPart(kinds=("person",), keys=("a", "b"), rest=(), divided=("person",), load=IndexLoad(3, 5)),
        IndexPart(kinds=("person",), keys=("d",), rest=("person",), divided=("person",), load=IndexLoad(2, 2)),
        IndexPart(kinds=("place",), keys=("x",), rest=(), divided=(), load=IndexLoad(1, 5)),
    ]
    # With room for everything, one part; with room for nothing, a part for each entry with its sub-entries.
    assert [(p.kinds, p.keys, p.rest, p.divided) for p in plan_index_parts(order, counted, 100)] == [(("person", "place"), ("a", "b", "d", "x"), ("person",), ())]
    assert [p.keys for p in plan_index_parts(order, counted, 0)] == [("a",), ("b",), ("d",), (), ("x",)]


def test_index_volumes_need_no_more_than_the_largest_volume_of_documents_nor_half_the_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """The index volumes follow the documents' volumes, so two of them, not one beside a volume of documents, share
    the memory allowed: each is cut within what the largest volume of documents is estimated to need and within half
    of VOLUMES_MEMORY_MB, whichever is less, beside the typesetter (40 MB)."""
    from collections import Counter

    from teipress import pdf, print_indexes
    from teipress.pdf import DocumentOutcome, Volume, plan_index_volumes
    from teipress.print_indexes import IndexOrder, plan_index_parts

    monkeypatch.setattr(print_indexes, "TYPST_MB_PER_INDEX_ENTRY", 1.0)
    monkeypatch.setattr(print_indexes, "TYPST_MB_PER_INDEX_LOCATOR", 1.0)
    monkeypatch.setattr(pdf, "TYPST_MB_PER_PAGE", 1.0)
    order = IndexOrder.from_json(INDEX_ORDER)
    counted = Counter({("person", "a1"): 2, ("person", "B-label"): 3, ("person", "d"): 1, ("person", "own"): 1, ("place", "x"): 5})

    def index_volumes(pages: list[int], memory_mb: float) -> list[tuple[int, str, object]]:
        monkeypatch.setattr(pdf, "VOLUMES_MEMORY_MB", memory_mb)
        volumes = [Volume(number, [DocumentOutcome(f"d{number}", pages=count)]) for number, count in enumerate(pages, start=1)]
        return [(volume.number, volume.indexes, volume.index_part) for volume in plan_index_volumes(volumes, order, counted)]

    # The largest volume of documents 48 MB (40 + 8 pages), half the memory 650: within 8 MB, three parts.
    within_8 = plan_index_parts(order, counted, 8)
    assert len(within_8) == 3
    assert index_volumes([3, 8, 5], 1300) == [(3 + n, "part", part) for n, part in enumerate(within_8, start=1)]
    # Volumes of documents of 1,040 MB, 112 MB allowed: within half of it, 56 MB, less the typesetter, two parts.
    within_16 = plan_index_parts(order, counted, 16)
    assert len(within_16) == 2
    assert index_volumes([1000, 10], 112) == [(3, "part", within_16[0]), (4, "part", within_16[1])]


def test_an_index_volume_reads_the_pages_of_its_own_entries_only() -> None:
    """Of each volume's marks, an index volume gets those of its entries (their sub-entries, and a mention by a label
    too) and, holding an index's last part, those of the entries no register holds; with what the marks say of them."""
    from teipress.print_indexes import IndexLoad, IndexOrder, IndexPart, shares_of

    order = IndexOrder.from_json(INDEX_ORDER)
    names = {"a1": ["person", "a1", "A1"], "B-label": ["person", "b", "B"], "own": ["person", "own", "Own"], "x": ["place", "x", "X"]}
    first = IndexPart(("person",), ("a", "b"), (), ("person",), IndexLoad())
    last = IndexPart(("person", "place"), ("d", "x"), ("person",), ("person",), IndexLoad())
    volume_1 = {"pages": [["a1", 3], ["B-label", 4], ["own", 6]], "names": names}
    volume_2 = {"pages": [["x", 7], ["a1", 2], ["d", 9]], "names": {**names, "d": ["person", "d", "D"]}}
    assert shares_of([first, last], order, volume_1) == [{"pages": [["a1", 3], ["B-label", 4]], "names": {"a1": names["a1"], "B-label": names["B-label"]}},
                                                          {"pages": [["own", 6]], "names": {"own": names["own"]}}]
    assert shares_of([first, last], order, volume_2) == [{"pages": [["a1", 2]], "names": {"a1": names["a1"]}},
                                                          {"pages": [["x", 7], ["d", 9]], "names": {"x": names["x"], "d": ["person", "d", "D"]}}]
    # A part none of whose entries the volume mentions reads nothing of it.
    assert shares_of([first, last], order, {"pages": [["x", 1]], "names": names}) == [None, {"pages": [["x", 1]], "names": {"x": names["x"]}}]


def test_an_index_entry_longer_than_a_column_runs_on_into_the_next(tmp_path: Path) -> None:
    """An entry mentioned on hundreds of pages (at 20,000 synthetic letters, on thousands) runs on from column to column and
    page to page inside the text block, every locator printed; it was one unbreakable block that ran off the page."""
    from teipress.pdf import DEFAULT_FONTS, Typesetting, typeset

    setting = Typesetting(fonts=DEFAULT_FONTS, font_paths=(), paper="a5", language="de", title="", subtitle="", out_dir=str(tmp_path))
    marked = {"1": {"pages": [["kurz", 3]] + [["lang", page] for page in range(1, 1200, 2)],
                    "names": {"kurz": ["person", "kurz", "Kurz"], "lang": ["person", "lang", "Lang"]}}}
    markup = ('#import "lib.typ": *\n#show: edition.with(book: true, title: "T", paper: "a5", language: "de", volume-number: 2)\n'
              '#tp-indexes(((title: "Personenregister", kind: "person", entries: ((key: "kurz", name: "Kurz, Karl", parent: "", labels: ()),'
              ' (key: "lang", name: "Lang, Anna", parent: "", labels: ()))),), volume-page: "Bd. {1}, S. {2}")\n')
    pdf = tmp_path / "index.pdf"
    pdf.write_bytes(typeset(markup, {}, setting, what="an index", index_pages=json.dumps(marked)).pdf)
    with pymupdf.open(pdf) as document:
        assert document.page_count >= 3
        for page in document:
            height = page.rect.height
            assert all(box.y1 < BOTTOM * height + 4 for box, _ in text_lines(page)[:-1]), page.number  # the page number below
    entries = index_entries(pdf)["Personenregister"]
    assert [entry_name(entry) for entry in entries] == ["Kurz, Karl", "Lang, Anna"]
    assert re.findall(r"\d+", entries[1].replace("Bd.\u00a01", "")) == [str(page) for page in range(1, 1200, 2)]


def test_volumes_by_years(tmp_path: Path) -> None:
    write_synthetic_edition(tmp_path, 8)
    done = build(tmp_path, tmp_path / "output" / "pdf", language="de", volumes=["1850-1851", "1852-1853"])
    titles = []
    for volume in done.result.volumes:
        with pymupdf.open(volume) as document:
            titles.append(re.search(r"Band \d: [\d–]+", " ".join(document[0].get_text().split()))[0])
    assert titles == ["Band 1: 1850–1851", "Band 2: 1852–1853"]


def test_a_reference_gives_the_volume_and_page_of_its_target(volumes_build: Build) -> None:
    """lib.typ tp-ref: "(Bd. 4, S. 8)" after a reference's words, the locator alone for one without; in
    its own volume the page alone. Each expected page is where the target's words are printed."""
    volumes = volumes_build.result.volumes
    pages: list[list[str]] = []
    starts: dict[str, tuple[int, int]] = {}
    for number, volume in enumerate(volumes, start=1):
        with pymupdf.open(volume) as document:
            pages.append([" ".join(page.get_text().split()) for page in document])
            starts.update({title: (number, page) for _, title, page in document.get_toc() if title.startswith("Brief ")})
    first, before_last, last = (starts[f"Brief {n} von {PERSONS[(n - 1) % 4][2]} {PERSONS[(n - 1) % 4][1]}"] for n in (1, 11, 12))
    assert first[0] == 1 and last[0] == before_last[0] == len(volumes) > 2
    # The third paragraph of the letter before the last: the page where its words begin.
    passage = next(page for page in range(before_last[1], len(pages[last[0] - 1]) + 1) if "Absatz 3." in pages[last[0] - 1][page - 1])
    # Each reference once, on its letter's last page (the first and the last volume).
    sentences = [(volume, page, re.search(r"(Siehe|Zurück zu) .*? (und|vorher) (Bd\. \d+, )?S\. \d+\.", text)[0])
                 for volume, texts in enumerate(pages, start=1) for page, text in enumerate(texts, start=1) if re.search(r"(Siehe|Zurück zu) ", text)]
    assert [sentence for _, _, sentence in sentences] == [
        f"Siehe den letzten Brief (Bd. {last[0]}, S. {last[1]}) und Bd. {last[0]}, S. {passage}.",
        f"Zurück zu dem ersten Brief (Bd. 1, S. {first[1]}), vorher S. {before_last[1]}.",
    ]
    assert [volume for volume, _, _ in sentences] == [1, len(volumes)]


@pytest.mark.parametrize(("setting", "message"), [
    ('volume_pages = 0', "volume_pages must be a whole number of at least 1, not 0"),
    ('volumes = ["1975-1976", "1970"]', "`volumes`: the ranges must follow one another in time without overlapping, not ['1975-1976', '1970']"),
    ('volumes = ["1975 to 1976"]', "`volumes`: '1975 to 1976' is no year range; write \"1967-1974\" or \"1977\""),
])
def test_volume_settings_are_checked(tmp_path: Path, setting: str, message: str) -> None:
    (tmp_path / "teipress.toml").write_text(setting + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value) == f"{tmp_path / 'teipress.toml'}: {message}"


def test_only_changed_volumes_are_typeset_again(volumes_build: Build, tmp_path: Path) -> None:
    root, out = copied(volumes_build, tmp_path)
    settings = dict(language="de", paper="a5", volume_pages=6, base_url=BASE_URL)
    again = build(root, out, **settings).result
    assert (again.typeset, again.book_typeset) == ([], False)
    inodes = [v.stat().st_ino for v in again.volumes]
    letter = root / "tei" / "brief-011.xml"
    letter.write_text(letter.read_text(encoding="utf-8").replace("beriet lange", "beriet kurz", 1), encoding="utf-8")
    changed = build(root, out, **settings).result
    assert changed.typeset == ["brief-011"] and changed.book_typeset
    # The first volume is the previous build's file (a hard link); the last, holding the letter, is new.
    assert changed.volumes[0].stat().st_ino == inodes[0]
    assert changed.volumes[-1].stat().st_ino != inodes[-1]


# ---- per-document PDFs ---------------------------------------------------------------------------

def test_no_page_of_a_document_pdf_is_nearly_empty_but_the_last(seed_build: Build, volumes_build: Build) -> None:
    pdfs = [f for f in seed_build.result.files if f.name != "edition.pdf"] + [f for f in volumes_build.result.files if f not in volumes_build.result.volumes]
    for pdf in pdfs:
        with pymupdf.open(pdf) as document:
            fills = [page_fill(page) for page in document]
        assert all(fill >= 0.25 for fill in fills[:-1]), f"{pdf.name}: pages filled {[round(f, 2) for f in fills]}"
    with pymupdf.open(seed_build.out / f"{TELEGRAM}.pdf") as telegram:
        assert telegram.page_count <= 3


def test_a_document_pdf_names_its_edition_citation_url_and_licence(seed_build: Build) -> None:
    with pymupdf.open(seed_build.out / f"{TELEGRAM}.pdf") as document:
        text = " ".join(" ".join(page.get_text() for page in document).replace("\u00ad\n", "").split())
    assert ("Cite as “Telegram from Pyongyang to Bucharest, No. 76.153, TOP SECRET, May 1, 1967.” In North Korea and Its Allies, "
            "1967–1977, edited by teipress editorial team. teipress editorial team, 2026.") in text
    # The address may break after a hyphen.
    assert f"Permanent URL {BASE_URL}documents/{TELEGRAM}.html" in text.replace("- ", "-")
    assert "Licence The TEI encoding of this document" in text
    # A compact apparatus of what it cites and names, not the book's indexes.
    assert "Index of persons" not in text
    assert "Cited documents Telegram no. 12.390." in text
    assert "Persons, places, organisations Persons: Popa, N. Places: Bucharest; Korea, North; Pyongyang; Romania." in text


def test_a_citation_without_publisher_or_year_ends_with_the_edition(tmp_path: Path) -> None:
    """tp:pdf-citation (pdf/edition.xsl): the publisher and year after the edition when the header has them, else
    nothing after its full stop (an edition without them printed "In: Edition. .")."""
    from teipress.resources import XSLT_DIR
    from teipress.saxon import Stylesheets, to_xdm

    sheet = tmp_path / "citation.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tp="https://teipress.org/ns/xslt"
        xpath-default-namespace="http://www.tei-c.org/ns/1.0">
      <xsl:import href="{(XSLT_DIR / 'common' / 'language.xsl').as_uri()}"/>
      <xsl:import href="{(XSLT_DIR / 'pdf' / 'edition.xsl').as_uri()}"/>
      <xsl:output method="text"/>
      <xsl:template match="/"><xsl:value-of select="//teiHeader!tp:pdf-citation('Brief', .)" separator="&#10;"/></xsl:template>
    </xsl:stylesheet>""", encoding="utf-8")
    headers = ["<publicationStmt><publisher>Verlag</publisher><date when='2026-01-02'/></publicationStmt>",
               "<publicationStmt><date when='2026'/></publicationStmt>", "<publicationStmt><p>Nothing said</p></publicationStmt>"]
    source = "<list xmlns='http://www.tei-c.org/ns/1.0'>" + "".join(
        f"<teiHeader><fileDesc>{statement}</fileDesc></teiHeader>" for statement in headers) + "</list>"
    # The edition's title is chosen once for every output (edition.py edition_titles) and given to the stylesheets.
    assert Stylesheets().transform(sheet, to_xdm(source), language="de", edition_title="Briefe").split("\n") == [
        "„Brief“. In: Briefe. Verlag, 2026.", "„Brief“. In: Briefe. 2026.", "„Brief“. In: Briefe."]


# ---- front matter --------------------------------------------------------------------------------

def test_titles_are_never_hyphenated(volumes_build: Build) -> None:
    for volume in volumes_build.result.volumes:
        with pymupdf.open(volume) as document:
            headings = {title for _, title, _ in document.get_toc()}
            for number in range(3):
                lines = [text for _, text in text_lines(document[number])]
                assert not [line for line in lines if line.endswith(("\u00ad", "-"))], (volume.name, number, lines)
            for page in document:
                for _, text in text_lines(page):
                    if any(text and text in heading for heading in headings) and len(text) > 3:
                        assert not text.endswith(("\u00ad", "-")), text
            title_page = " ".join(text for _, text in text_lines(document[0]))
        assert "Donaudampfschifffahrtsgesellschaftskapitäne" in title_page


def test_licence_and_imprint_stand_on_the_verso(volumes_build: Build) -> None:
    with pymupdf.open(volumes_build.result.volumes[0]) as document:
        title_page, verso = document[0].get_text(), document[1].get_text()
    assert "Testverlag" not in title_page and "CC BY 4.0" not in title_page
    assert verso.split("\n")[:3] == ["Testverlag", "Zürich 2026", "CC BY 4.0 https://creativecommons.org/licenses/by/4.0/"]


def test_contents_lines_end_in_right_aligned_page_numbers(seed_build: Build, volumes_build: Build) -> None:
    for pdf in (seed_build.out / "edition.pdf", *volumes_build.result.volumes):
        with pymupdf.open(pdf) as document:
            toc = document.get_toc()
            page = document[2]
            lines = text_lines(page)
            assert lines[0][1] in ("Contents", "Inhalt")
            entries = [(box, text) for box, text in lines[1:] if box.y1 < BOTTOM * page.rect.height]
            # An entry's last line: dot leaders, then its page number.
            ends = [(box, text) for box, text in entries if re.search(r"\. \.", text)]
            assert len(ends) == len(toc), [text for _, text in entries]
            assert all(re.search(r"\. \.[ .\u2060]*\d+$", text) for _, text in ends), [text for _, text in ends]
            numbers = [int(re.search(r"(\d+)$", text)[1]) for _, text in ends]
            assert numbers == [page for _, _, page in toc]
            right_edges = {round(box.x1) for box, _ in ends}
            assert max(right_edges) - min(right_edges) <= 1, right_edges


def test_a_contents_entry_that_wraps_hangs_under_its_first_line(volumes_build: Build) -> None:
    """The introduction's long title in the first volume's contents: its first line at the margin, its
    turned lines 1.5em in (lib.typ's contents), the last ending in the leaders and the page number;
    every entry in the text's colour."""
    with pymupdf.open(volumes_build.result.volumes[0]) as document:
        lines = text_lines(document[2])
        toc = document.get_toc()
        colours = {span["color"] for block in document[2].get_text("dict")["blocks"] for line in block.get("lines", []) for span in line["spans"]}
    assert colours == {0}, "contents entries are links, but printed in the text's colour"
    margin = min(box.x0 for box, _ in lines)
    first = next(index for index, (_, text) in enumerate(lines) if text.startswith("Einleitung:"))
    turned = list(itertools.takewhile(lambda line: line[0].x0 > margin + 1, lines[first + 1:]))
    assert lines[first][0].x0 == margin and len(turned) >= 1
    em = 9.5  # the A5 text size
    assert all(abs((box.x0 - margin) / em - 1.5) < 0.05 for box, _ in turned), [(box.x0 - margin) / em for box, _ in turned]
    assert " ".join(text for _, text in [lines[first], *turned]).replace("\u2060", "").startswith(INTRODUCTION)
    assert re.search(r"\. \.[ .\u2060]*(\d+)$", turned[-1][1])[1] == str(next(page for _, title, page in toc if title == INTRODUCTION))


# ---- the visual review sheet ---------------------------------------------------------------------

def review_pages(book: Path) -> dict[str, int]:
    """The pages (1-based) a person reviews: title page, contents, a letter's first page (the last document
    before the bibliography), an apparatus page (an entry "line lemma] reading" in the footnote area), an index page."""
    with pymupdf.open(book) as document:
        toc = document.get_toc()
        back = next((page for _, title, page in toc if title in ("Cited documents", "Zitierte Dokumente") or title.startswith(("Index", "Personen"))),
                    document.page_count)
        letter = max((page for _, _, page in toc if 3 < page < back), default=3)
        apparatus = next((number + 1 for number in range(3, back - 1) if has_apparatus(document[number])), letter)
        index = next((page for _, title, page in toc if title.startswith(("Index", "Personen"))), document.page_count)
    return {"title": 1, "contents": 3, "letter": letter, "apparatus": apparatus, "index": index}


def has_apparatus(page: pymupdf.Page) -> bool:
    """Whether the page's footnote area (text smaller than most of the page's) holds an entry "lemma] reading"."""
    spans = [span for block in page.get_text("dict")["blocks"] for line in block.get("lines", []) for span in line["spans"] if span["text"].strip()]
    sizes = [round(span["size"], 1) for span in spans]
    body = max(set(sizes), key=sizes.count, default=0)
    return any("] " in span["text"] for span in spans if span["size"] < 0.95 * body)


def dark_pixels(png: Path) -> int:
    pixmap = pymupdf.Pixmap(str(png))
    return sum(1 for value in pixmap.samples[::pixmap.n] if value < 128)


def render(pdf: Path, page: int, target: Path) -> None:
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(target)], check=True)


def escher_edition(root: Path, letters: int) -> Path:
    """The first `letters` letters of the Alfred Escher Briefedition with its registers of persons and places."""
    archive = shared_path("corpora", "escher.tar.xz")
    with tarfile.open(archive) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and "/briefe/" in m.name]
        chosen = sorted(members, key=lambda m: m.name)[:letters]
        registers = [m for m in tar.getmembers() if m.isfile() and ("/people/" in m.name or "/places/" in m.name)]
        tar.extractall(root, members=chosen + registers, filter="data")
    return next(root.iterdir())


# Escher letters in the review sheet, as the issue asks.
REVIEW_LETTERS = 200


@pytest.fixture(scope="session")
def review_escher_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first REVIEW_LETTERS Escher letters, unpacked once for both papers."""
    return escher_edition(tmp_path_factory.mktemp("escher-source"), REVIEW_LETTERS)


@pytest.mark.parametrize("paper", ["a4", "a5"])
def test_visual_review_sheet(paper: str, seed_build: Build, review_escher_source: Path, artifacts_dir: Path,
                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """PNGs of the pages an editor checks, for the seed edition and REVIEW_LETTERS Escher letters, under tests/artifacts/print/."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    folder = artifacts_dir / "print"
    folder.mkdir(exist_ok=True)
    editions = {
        "seed": seed_build if paper == "a4" else build(REPO, tmp_path_factory.mktemp(f"seed-{paper}") / "pdf", base_url=BASE_URL, paper=paper),
        f"escher-{REVIEW_LETTERS}": build(review_escher_source, tmp_path_factory.mktemp(f"escher-{paper}") / "pdf", paper=paper, language="de"),
    }
    written = []
    for name, done in editions.items():
        first, last = done.result.volumes[0], done.result.volumes[-1]
        for part, page in review_pages(first).items():
            source, page = (last, review_pages(last)["index"]) if part == "index" else (first, page)
            render(source, page, folder / f"{name}-{paper}-{part}")
            written.append(folder / f"{name}-{paper}-{part}.png")
        # The last document's own PDF (the seed's telegram).
        document = [f for f in done.result.files if f not in done.result.volumes][-1]
        render(document, 1, folder / f"{name}-{paper}-document")
        written.append(folder / f"{name}-{paper}-document.png")
    assert len(written) == 12
    for png in written:
        assert dark_pixels(png) > 150, f"{png.name} is nearly blank"

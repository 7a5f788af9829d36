"""The interface in the edition's language: one message catalogue per language, dates written by
teipress itself, no English left on a German, French or Italian page or PDF, and no word for the
reader written into a template."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pymupdf
import pytest
from click.testing import CliRunner
from lxml import etree, html

from teipress.build import build_edition
from teipress.cli import cli
from teipress.config import LANGUAGES, load_config
from teipress.errors import ConfigError
from teipress.resources import XSLT_DIR
from teipress.saxon import Stylesheets, to_xdm

from conftest import FIXTURES, without_hash

EDITION = FIXTURES / "language" / "tei"
MESSAGES = XSLT_DIR / "common" / "messages"
MESSAGES_NS = "{https://teipress.org/ns/messages}"
LETTER = "letter-1888-03-14"
PLACEHOLDER = re.compile(r"\{\d+\}")

# English words of the catalogue that are also words of the other language (in its own catalogue),
# so that finding them on its pages is no leftover English. Each is checked to be one.
SAME_WORDS = {
    "de": {"April", "August", "September", "November", "Edition", "Essay", "In", "in", "Lemma", "Link", "Links", "Memorandum", "Name",
           "Organisation", "Original", "Person", "Register", "Text", "sic"},
    "fr": {"Classification", "Correction", "Date", "date", "Document", "Documents", "document", "documents", "Figure",
           "Introduction", "Licence", "Notes", "Organisation", "Organisations", "organisation", "Original", "Page", "page", "pages", "Site", "Source",
           "Total", "Type", "om", "orig", "sic"},
    "it": {"Lemma", "Link", "abbr", "in", "om", "orig", "sic"},
}

# The dates in each language as tp:format-date-range writes them (days, ranges within a month, a year
# and across years; a month; a day and a month of an unknown year), of FORMATTED_DATES; a person's life dates, a floruit, a month alone; and
# dates known only within bounds (notBefore/notAfter) of UNCERTAIN_DATES.
FORMATTED_DATES = ["1888-03-01/1888-03-05", "1888-03-10", "1888-03-14", "1888-03-30/1888-04-02", "1888-12-30/1889-01-02", "1889-06", "--04-01", "--06"]
UNCERTAIN_DATES = [("1888-04-01/1888-04-30", "between"), ("1888-12-30/1889-01-02", "between"), ("1888-04-01", "not-before")]
DATES = {
    "en": (["1–5 March 1888", "10 March 1888", "14 March 1888", "30 March – 2 April 1888", "30 December 1888 – 2 January 1889", "June 1889", "1 April", "June"],
           "1 May 1850 – 1920", "active 1880 – 1890", "April 1888",
           ["between 1 and 30 April 1888", "between 30 December 1888 and 2 January 1889", "not before 1 April 1888"]),
    "de": (["1.–5. März 1888", "10. März 1888", "14. März 1888", "30. März – 2. April 1888", "30. Dezember 1888 – 2. Januar 1889", "Juni 1889", "1. April", "Juni"],
           "1. Mai 1850 – 1920", "tätig 1880 – 1890", "April 1888",
           ["zwischen 1. und 30. April 1888", "zwischen 30. Dezember 1888 und 2. Januar 1889", "nicht vor 1. April 1888"]),
    "fr": (["1er–5 mars 1888", "10 mars 1888", "14 mars 1888", "30 mars – 2 avril 1888", "30 décembre 1888 – 2 janvier 1889", "juin 1889", "1er avril", "juin"],
           "1er mai 1850 – 1920", "actif 1880 – 1890", "avril 1888",
           ["entre le 1er et le 30 avril 1888", "entre le 30 décembre 1888 et le 2 janvier 1889", "pas avant le 1er avril 1888"]),
    "it": (["1º–5 marzo 1888", "10 marzo 1888", "14 marzo 1888", "30 marzo – 2 aprile 1888", "30 dicembre 1888 – 2 gennaio 1889", "giugno 1889", "1º aprile", "giugno"],
           "1º maggio 1850 – 1920", "attivo 1880 – 1890", "aprile 1888",
           ["tra il 1º e il 30 aprile 1888", "tra il 30 dicembre 1888 e il 2 gennaio 1889", "non prima del 1º aprile 1888"]),
}
DATE_FORMATTER = f"""<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tp="https://teipress.org/ns/xslt" exclude-result-prefixes="#all">
  <xsl:import href="{(XSLT_DIR / "common" / "language.xsl").as_uri()}"/>
  <xsl:output method="text"/>
  <xsl:param name="dates" as="xs:string"/>
  <xsl:template match="/">
    <xsl:value-of select="for $date in tokenize($dates, ';') return tp:format-date-range(substring-before($date, ' '), substring-after($date, ' ')[. ne ''])" separator="&#10;"/>
  </xsl:template>
</xsl:stylesheet>
"""


def formatted_dates(folder: Path, language: str, dates: list[tuple[str, str]]) -> list[str]:
    """Dates (ISO, certainty) as tp:format-date-range writes them in `language`."""
    from teipress.saxon import Stylesheets, to_xdm

    stylesheet = folder / "format-dates.xsl"
    stylesheet.write_text(DATE_FORMATTER, encoding="utf-8")
    return Stylesheets().transform(stylesheet, to_xdm("<dates/>"), language=language, dates=";".join(f"{iso} {certainty}" for iso, certainty in dates)).split("\n")


def catalogue(language: str) -> dict[str, str]:
    root = etree.parse(str(MESSAGES / f"{language}.xml")).getroot()
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    keys = [m.get("key") for m in root.iter(f"{MESSAGES_NS}message")]
    assert len(keys) == len(set(keys)), f"{language}.xml repeats a key"
    return {m.get("key"): m.text or "" for m in root.iter(f"{MESSAGES_NS}message")}


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The fixture edition built (site and PDFs) once in each interface language."""
    built = {}
    for language in LANGUAGES:
        root = tmp_path_factory.mktemp(f"edition-{language}")
        config = load_config(root, source=EDITION, output=root / "out", language=language)
        build_edition(config, formats={"html", "pdf"}, validate=False, jobs=1)
        built[language] = root / "out"
    return built


def script_messages(page: Path) -> dict[str, str]:
    """The words a page hands to site.js: the messages file it loads (assets/messages-{language}.js)."""
    root = html.parse(str(page)).getroot()
    [source] = [src for src in root.xpath("//script/@src") if re.search(r"assets/messages-[a-z]+\.[0-9a-f]{12}\.js$", src)]
    script = (page.parent / source).read_text(encoding="utf-8")
    prefix, suffix = "window.teipressMessages = ", ";"
    [words] = [line for line in script.split("\n") if line.startswith(prefix)]
    assert words.endswith(suffix)
    return json.loads(words[len(prefix):-len(suffix)])  # type: ignore[no-any-return]


def page_words(page: Path) -> str:
    """Everything a reader meets on a page: its text, the attributes read out or shown, the words handed to site.js."""
    root = html.parse(str(page)).getroot()
    words = list(script_messages(page).values())
    words += root.xpath("//@title | //@aria-label | //@alt | //@placeholder | //meta[@name='description']/@content | //head/title/text()")
    for element in root.xpath("//script | //style"):
        element.drop_tree()
    # Element by element: "Skip to content" and the title after it are two texts; addresses are no words.
    return re.sub(r"\S+\.html\S*|\S+://\S+", " ", " ".join([*root.itertext(), *words]))


def pdf_words(pdf: Path) -> str:
    with pymupdf.open(pdf) as document:
        words = [page.get_text() for page in document]
        words += [title for _, title, _ in document.get_toc()]
        words += [document.embfile_info(i)["description"] for i in range(document.embfile_count())]
    return " ".join(words)


def english_leftovers(text: str, language: str) -> list[str]:
    """Every part of an English message (around its placeholders) found in `text` as whole words."""
    found = set()
    for key, value in catalogue("en").items():
        for part in PLACEHOLDER.split(value):
            phrase = part.strip(" .,:;()[]“”")
            if len(re.findall(r"[A-Za-z]", phrase)) < 2 or phrase in SAME_WORDS[language]:
                continue
            if re.search(r"(?<![\w’'])" + re.escape(phrase) + r"(?![\w’'])", text):
                found.add(f"{key}: {phrase!r}")
    return sorted(found)


# --- the catalogues ------------------------------------------------------------------------------------


def test_every_catalogue_has_the_same_keys_and_placeholders() -> None:
    english = catalogue("en")
    assert sorted(path.stem for path in MESSAGES.glob("*.xml")) == sorted(LANGUAGES)
    for language in LANGUAGES:
        messages = catalogue(language)
        assert sorted(messages) == sorted(english), language
        assert {key: sorted(PLACEHOLDER.findall(value)) for key, value in messages.items()} == \
               {key: sorted(PLACEHOLDER.findall(value)) for key, value in english.items()}, language


def test_the_same_words_are_words_of_the_language() -> None:
    """The exceptions of the leftover check are real words of the other language's own catalogue."""
    for language, words in SAME_WORDS.items():
        own = "\n".join(catalogue(language).values())
        assert [word for word in sorted(words) if not re.search(r"(?<![\w’'])" + re.escape(word) + r"(?![\w’'])", own)] == [], language


def test_a_language_without_catalogue_is_refused(tmp_path: Path) -> None:
    (tmp_path / "teipress.toml").write_text('language = "es"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value) == f"{tmp_path / 'teipress.toml'}: language must be one of en, de, fr, it, not 'es'"


def test_the_cli_reports_an_unknown_language_in_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "teipress.toml").write_text('language = "en-GB"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build"])
    assert result.exit_code == 2
    assert result.output.strip().splitlines()[-1].endswith("language must be one of en, de, fr, it, not 'en-GB'")
    assert "Traceback" not in result.output


# --- the pages and PDFs in each language -----------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "fr", "it"])
def test_no_english_on_the_pages_and_pdfs(editions: dict[str, Path], language: str) -> None:
    out = editions[language]
    # The encoding guide's entries are the schema's own documentation, written in English; its headings are checked below.
    pages = sorted(p for p in (out / "html").rglob("*.html") if "pagefind" not in p.parts and p.name != "guide.html")
    # home, chronology and its 2 years' pages and the page of the undated event, search, 3 documents, 3 overviews,
    # 1 edition page, 4 register indexes, 7 entries
    assert len(pages) == 24
    assert sorted(page.name for page in (out / "html" / "chronology").glob("*.html")) == ["1888.html", "1889.html", "undated.html"]
    for page in pages:
        assert english_leftovers(page_words(page), language) == [], page.relative_to(out)
        assert html.parse(str(page)).getroot().get("lang") == language
    popovers = [json.loads(script.read_text(encoding="utf-8").removeprefix("window.teipressEntry(").removesuffix(");\n")) for script in (out / "html" / "assets" / "entries").glob("*.js")]
    # One for each entry with a page of its own, and one for each event (whose place is the chronology).
    assert len(popovers) == len(list((out / "html" / "registers").glob("*/*.html"))) + sum(entry["kind"] == "event" for entry in popovers)
    assert sum(entry["kind"] == "event" for entry in popovers) == 2
    assert english_leftovers(" ".join(entry.get(field, "") for entry in popovers for field in ("dates", "also")), language) == []
    for pdf in sorted((out / "pdf").glob("*.pdf")):
        assert english_leftovers(pdf_words(pdf), language) == [], pdf.name


def test_the_encoding_guide_frame_in_the_interface_language(editions: dict[str, Path]) -> None:
    page = html.parse(str(editions["fr"] / "html" / "guide.html")).getroot()
    assert page.xpath("string(//h1)") == "Guide d’encodage"
    assert page.xpath("//h2/text()") == ["Éléments", "Classes d’attributs"]
    assert set(page.xpath("//table[@class='guide-attributes']/thead//th/text()")) == {"attribut", "sens", "valeur"}
    assert page.xpath("string(//p[@class='made-with']/a[@href='guide.html'])") == "guide d’encodage"


def test_the_english_edition_shows_the_english_words(editions: dict[str, Path]) -> None:
    """The check finds English where it is: on the English pages every part of these messages is found."""
    words = page_words(editions["en"] / "html" / "documents" / f"{LETTER}.html")
    assert english_leftovers(words, "de") != []
    assert {"meta.heading: 'About this document'", "meta.date: 'Date'", "text.notes: 'Notes'", "nav.skip: 'Skip to content'"} <= set(english_leftovers(words, "de"))


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_in_the_interface_language(editions: dict[str, Path], language: str, tmp_path: Path) -> None:
    chronology, life, floruit, month, uncertain = DATES[language]
    assert formatted_dates(tmp_path, language, [(iso, "") for iso in FORMATTED_DATES] + UNCERTAIN_DATES) == chronology + uncertain
    site = editions[language] / "html"
    page = html.parse(str(site / "chronology.html")).getroot()
    # The register's event of 10 March, then the documents at their dates.
    assert [t.text_content() for t in page.xpath("//time[contains(@class, 'event-date')]")] == [chronology[1], chronology[2], month, "1889"]
    persons = html.parse(str(site / "registers" / "persons.html")).getroot()
    assert persons.xpath("//li[@id='anna-exempla']/span[@class='entry-dates']/text()") == [life]
    assert persons.xpath("//li[@id='bruno-probus']/span[@class='entry-dates']/text()") == [floruit]
    for entry, dates in (("anna-exempla", life), ("bruno-probus", floruit)):
        assert html.parse(str(site / "registers" / "persons" / f"{entry}.html")).getroot().xpath("//p[@class='entry-dates']/text()") == [dates]
    letter = html.parse(str(site / "documents" / f"{LETTER}.html")).getroot()
    assert letter.xpath("string(//p[@class='kicker']/time)") == chronology[2]
    home = html.parse(str(site / "index.html")).getroot()
    assert [t.text_content() for t in home.xpath("//td[@class='date-cell']/time")] == [chronology[2], month, "1889"]
    assert f"\n{chronology[2]}\n" in pdf_words(editions[language] / "pdf" / f"{LETTER}.pdf")
    assert f"\n{month}\n" in pdf_words(editions[language] / "pdf" / "telegram-1888-04.pdf")


def test_words_and_abbreviations_of_each_language(editions: dict[str, Path]) -> None:
    """A few words exactly, where each language has its own typography."""
    def letter(language: str) -> html.HtmlElement:
        return html.parse(str(editions[language] / "html" / "documents" / f"{LETTER}.html")).getroot()

    assert [letter(language).xpath("string(//span[contains(@class, 'pb')]/span[@class='pb-label'])") for language in LANGUAGES] == ["p. 2", "S. 2", "p. 2", "p. 2"]
    assert [letter(language).xpath("string(//h2[@id='notes-heading'])") for language in LANGUAGES] == ["Notes", "Anmerkungen", "Notes", "Note"]
    assert [letter(language).xpath("string(//p[@class='citation'])").split(" In")[0].split(", dans")[0].split(", in")[0] for language in LANGUAGES] == [
        "“Epistula Annae ad Brunonem.”", "„Epistula Annae ad Brunonem“.", "«\u00a0Epistula Annae ad Brunonem\u00a0»", "«Epistula Annae ad Brunonem»"]
    anna = html.parse(str(editions["fr"] / "html" / "registers" / "persons" / "anna-exempla.html")).getroot()
    assert anna.xpath("string(//p[@class='entry-variants']/span)") == "Aussi\u00a0: "
    apparatus = {language: pdf_words(editions[language] / "pdf" / f"{LETTER}.pdf") for language in LANGUAGES}
    assert [re.search(r"Kalendis\] Kal\. (\S+)", apparatus[language]).group(1) for language in LANGUAGES] == ["abbr.", "Abk.", "abrév.", "abbr."]
    book = {language: pdf_words(editions[language] / "pdf" / "edition.pdf") for language in LANGUAGES}
    assert [re.search(r"\nAda Exempla (\w+) Gaius Probator\n", book[language]).group(1) for language in LANGUAGES] == ["and", "und", "et", "e"]


def test_the_documents_own_language_decides_lang_and_hyphenation(editions: dict[str, Path]) -> None:
    site = editions["de"] / "html"
    letter = html.parse(str(site / "documents" / f"{LETTER}.html")).getroot()
    assert letter.get("lang") == "de"
    assert letter.xpath("//section[contains(@class, 'reading-text')]/@lang") == ["la"]
    chapter = (editions["de"] / "pdf" / ".teipress" / "chapters" / f"{LETTER}.typ").read_text(encoding="utf-8")
    assert 'language: "la"' in chapter and 'language: "de"' not in chapter


# A letter that states no language: no xml:lang on its TEI or text, no langUsage.
UNDECLARED = """<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Brief</title></titleStmt>
<publicationStmt><p>Test</p></publicationStmt><sourceDesc><p>Test</p></sourceDesc></fileDesc></teiHeader>
<text><body><p>Ein Brief, der seine Sprache nicht nennt.</p></body></text></TEI>"""


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_document_that_states_no_language_is_in_the_editions(language: str) -> None:
    """Its reading text's lang and the language it is hyphenated in are the edition's (teipress.toml), not English."""
    sheets = Stylesheets()
    fragment = html.fromstring(sheets.transform("html/fragment.xsl", etree.ElementTree(etree.fromstring(UNDECLARED)), language=language))
    assert fragment.xpath("//div[contains(@class, 'reading-text')]/@lang") == [language]
    chapter = sheets.transform("pdf/document.xsl", to_xdm(UNDECLARED.encode()), part="book", language=language, document_id="brief",
                               registers=to_xdm(b"<TEI xmlns='http://www.tei-c.org/ns/1.0'/>"))
    assert re.findall(r'#tp-document\(id: "brief", .*?language: "([a-z]+)"', chapter) == [language]


def test_site_script_reads_its_words_from_one_file_per_language(editions: dict[str, Path]) -> None:
    site = editions["it"] / "html"
    block = script_messages(site / "index.html")
    italian = catalogue("it")
    # The js.* entries without their prefix; the reading toolbar's view.* and legend.* with theirs (site.js builds it).
    assert block == {key.removeprefix("js."): value for key, value in italian.items() if key.startswith("js.")} | {
        key: value for key, value in italian.items() if key.startswith(("view.", "legend."))}
    assert block["close"] == "Chiudi"
    # Every page loads the same file, before its other scripts, and holds no copy of the words (issue 11: they were 1.4 KB a page).
    for path in (site / "index.html", next((site / "documents").glob("*.html")), next((site / "registers" / "persons").glob("*.html"))):
        root = html.parse(str(path)).getroot()
        scripts = [without_hash(re.sub(r"^(\.\./)+", "", src)) for src in root.xpath("//script/@src")]
        assert scripts[0] == "assets/messages-it.js" and scripts.count("assets/site.js") == 1, path
        assert root.xpath("//script[not(@src)][@type != 'application/ld+json' or not(@type)]") == [], path


def test_the_search_index_is_in_the_interface_language(editions: dict[str, Path]) -> None:
    for language in LANGUAGES:
        entry = json.loads((editions[language] / "html" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
        assert list(entry["languages"]) == [language]


# --- nothing for the reader written into a template ------------------------------------------------------

XSL = "http://www.w3.org/1999/XSL/Transform"
# Attributes a reader sees or hears.
READER_ATTRIBUTES = {"title", "aria-label", "alt", "placeholder", "aria-description", "label"}
# What text in a template may hold besides expressions: punctuation, never a word.
PUNCTUATION = set(" \n\t·,.;:–—→↩…[]()“”‘’«»„\"'/|×?*+#&@-")
# String literals that are no words for the reader: schema.org types, link relations, key names, a command.
NOT_WORDS = {"Collection", "Message", "Organization", "Person", "CreativeWork", "noopener noreferrer", "external noopener",
             "Escape", "Enter", "use strict", "teipress serve", "HTML", "PDF"}
EXPRESSION = re.compile(r"\{(?:[^{}]|\{[^{}]*\})*\}")
XPATH_LITERAL = re.compile(r"'((?:[^']|'')*)'|\"((?:[^\"]|\"\")*)\"")
TYPST_OR_JS_STRING = re.compile(r"\"((?:[^\"\\]|\\.)*)\"")
# A capitalised word alone, or two words in a row that are not a named argument ("title: ").
PROSE = re.compile(r"^[A-Z][a-z]+$|[A-Za-z]{2,}[,.]? [a-z]{2,}(?![\w-]*\s*:)")


def reader_words_in_stylesheet(path: Path) -> list[str]:
    tree = etree.parse(str(path))
    code_output = bool(tree.xpath("/xsl:stylesheet/xsl:output[@method='text']", namespaces={"xsl": XSL})) or path.parent.name == "pdf"
    found = []

    def text_problem(text: str | None, line: int) -> None:
        if not text:
            return
        if code_output:  # Typst or JavaScript: only its string literals could be words
            found.extend(f"{path.name}:{line}: {s!r}" for s in TYPST_OR_JS_STRING.findall(EXPRESSION.sub("", text)) if PROSE.search(s) and s not in NOT_WORDS)
        else:
            rest = EXPRESSION.sub("", text.replace("{{", "").replace("}}", ""))
            if set(rest) - PUNCTUATION and rest.strip() not in NOT_WORDS:
                found.append(f"{path.name}:{line}: {text.strip()!r}")

    for node in tree.iter():
        if not isinstance(node.tag, str):
            continue
        in_xsl = node.tag.startswith(f"{{{XSL}}}")
        local = etree.QName(node).localname
        if not in_xsl or local == "text":
            text_problem(node.text, node.sourceline)
        if not in_xsl:
            for child in node:
                text_problem(child.tail, child.sourceline)
        expressions = []
        for name, value in node.attrib.items():
            if not in_xsl and name in READER_ATTRIBUTES:
                text_problem(value, node.sourceline)
            expressions += [value] if in_xsl and name in ("select", "test") else EXPRESSION.findall(value)
        if (not in_xsl or local == "text") and node.text:
            expressions += EXPRESSION.findall(node.text)
        for expression in expressions:
            for single, double in XPATH_LITERAL.findall(expression):
                literal = single or double
                if PROSE.search(literal) and literal not in NOT_WORDS:
                    found.append(f"{path.name}:{node.sourceline}: {literal!r}")
    return found


def test_no_words_for_the_reader_in_the_templates() -> None:
    stylesheets = sorted((XSLT_DIR / "html").glob("*.xsl")) + sorted((XSLT_DIR / "pdf").glob("*.xsl"))
    assert len(stylesheets) >= 15
    assert [problem for path in stylesheets for problem in reader_words_in_stylesheet(path)] == []
    script = (XSLT_DIR / "html" / "assets" / "site.js").read_text(encoding="utf-8")
    code = re.sub(r"/\*.*?\*/|//[^\n]*", "", script, flags=re.S)
    assert [s for s in TYPST_OR_JS_STRING.findall(code) if PROSE.search(s) and s not in NOT_WORDS] == []
    typst = (XSLT_DIR / "pdf" / "lib.typ").read_text(encoding="utf-8")
    assert [s for s in TYPST_OR_JS_STRING.findall(re.sub(r"//[^\n]*", "", typst)) if PROSE.search(s)] == []


def test_the_scan_finds_a_word_written_into_a_template(tmp_path: Path) -> None:
    sheet = tmp_path / "page.xsl"
    sheet.write_text(f"""<xsl:stylesheet version="3.0" xmlns:xsl="{XSL}" expand-text="yes">
      <xsl:template match="/"><p title="Open it">{{$x}} · </p><h2>Notes</h2><xsl:value-of select="'Figure'"/>
        <a aria-label="{{'Back to text'}}">↩</a></xsl:template></xsl:stylesheet>""", encoding="utf-8")
    assert [problem.split(": ", 1)[1] for problem in reader_words_in_stylesheet(sheet)] == ["'Open it'", "'Notes'", "'Figure'", "'Back to text'"]

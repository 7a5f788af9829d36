"""The PDF print edition: each document as a PDF/A-3b with its TEI source attached, and the whole edition as a book.

TEI -> Typst markup is XSLT (`xslt/pdf/document.xsl`, `xslt/pdf/book.xsl`); the markup only imports
`xslt/pdf/lib.typ` (then the edition's own Typst, teipress.toml `typst`: the editors' code, not a
source's) and holds text as string literals, so nothing in a source file can run Typst code.
Each compilation runs in a build folder of the process's own (no symlinks; between two
compilations it holds only lib.typ) that is Typst's root, in worker processes (one Saxon processor
and one Typst compiler each, recycled because Typst's cache grows with every compile).
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from . import __version__
from .config import Config
from .edition import Edition, RegisterIndex, merged_registers
from .errors import ConfigError, TypesetError
from .html import _digest, _folder_digest, _stylesheet  # the site's cache keys are made the same way
from .outputs import MARKER, output_names, replaced_folder
from .problems import Problem, Severity, display_path
from .resources import XSLT_DIR
from .workers import WorkerPool, scratch_folder
from .xmlio import write_atomic

LIB_TYP = XSLT_DIR / "pdf" / "lib.typ"
# The first line of every generated .typ file; teipress.toml `typst` (copied as custom.typ) is imported after it.
LIB_IMPORT = '#import "lib.typ": *\n'
CUSTOM_TYP = "custom.typ"
BOOK_FILE = "edition.pdf"
# What the previous build typeset (keys, sort keys, line counts, warnings) and each document's chapter of the book.
PDF_CACHE = Path(MARKER) / "pdf-cache.json"
CHAPTERS_DIR = Path(MARKER) / "chapters"
PDF_STANDARDS = ["a-3b"]
# Fallback fonts after the edition's own: Libertinus (Latin, Greek, Cyrillic) is built into Typst,
# Noto CJK covers Hangul and Chinese characters (Debian: fonts-noto-cjk), DejaVu the rest it can.
DEFAULT_FONTS = ("Libertinus Serif", "Noto Serif CJK KR", "Noto Sans CJK KR", "DejaVu Serif", "DejaVu Sans")
DEFAULT_FONT_PATHS = ("/usr/share/fonts",)
# teipress.toml's paper names that Typst spells differently.
TYPST_PAPER = {"b5": "iso-b5"}
# Typst's in-memory cache grows with compilations (measured: a worker stays near 220 MB over 60
# letters); a worker typesets this many, then a fresh one (which compiles the stylesheets again) takes over.
# Fresh pools, not `max_tasks_per_child`: ProcessPoolExecutor can hang in Python 3.11 when a worker retires.
TASKS_PER_WORKER = 200


@dataclass
class PdfResult:
    """The PDFs written (per document, then the book), which were typeset anew, and the warnings met while typesetting."""

    files: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    # Names of the documents typeset by this build; the others' PDFs and chapters came from the previous build.
    typeset: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    book_typeset: bool = False


@dataclass(frozen=True)
class Typesetting:
    """What a worker needs to know besides the document: fonts, paper, the edition's title."""

    fonts: tuple[str, ...]
    font_paths: tuple[str, ...]
    paper: str
    language: str
    title: str
    subtitle: str
    out_dir: str
    # The edition's own stylesheets (teipress.toml `xslt`; else teipress's) and a hash over that folder,
    # and its Typst overrides (`typst`), the text of a file imported after lib.typ.
    document_stylesheet: str = str(XSLT_DIR / "pdf" / "document.xsl")
    book_stylesheet: str = str(XSLT_DIR / "pdf" / "book.xsl")
    stylesheets_key: str = ""
    typst_overrides: str = ""


@dataclass
class DocumentOutcome:
    """A worker's answer for one document: its chapter for the book, its sort key, its PDF or its error."""

    document_id: str
    sort_key: str = ""
    chapter: str = ""
    # Numbered lines of the document: the book's line numbers restart after this many.
    line_count: int = 0
    problems: list[Problem] = field(default_factory=list)
    error: str = ""


def build_pdfs(edition: Edition, config: Config, out_dir: Path, *, jobs: int, force: bool = False) -> PdfResult:
    """Typeset `out_dir/<document-id>.pdf` for every document and `out_dir/edition.pdf`, the whole edition.

    Only what changed is typeset: a document whose key (its bytes, the register entries it points
    to, the stylesheets, lib.typ, fonts and paper) is the previous build's keeps its PDF and book
    chapter; the book is typeset again when any chapter, edition.xml or the registers changed.
    The folder is replaced whole when every PDF is made (PDFs of removed documents go with it);
    it must be teipress's own, new or empty, unless `force` (see outputs.py).

    Example: `build_pdfs(load_edition(config.source), config, config.pdf_dir, jobs=2)`.
    """
    out_dir = out_dir.resolve()
    names = output_names(edition)
    merged = merged_registers(edition)
    registers = etree.tostring(merged)
    register_index = RegisterIndex(merged)
    edition_tree = etree.tostring(edition.edition_file.tree) if edition.edition_file else None
    previous = _read_cache(out_dir)
    result = PdfResult(problems=list(names.problems))
    with replaced_folder(out_dir, source=edition.source, force=force, keep_previous=False) as staging:
        setting = Typesetting(
            fonts=tuple(dict.fromkeys((*config.fonts, *DEFAULT_FONTS))),
            font_paths=tuple(str(p) for p in (*config.font_paths, *(Path(p) for p in DEFAULT_FONT_PATHS if Path(p).is_dir()))),
            paper=TYPST_PAPER.get(config.paper, config.paper),
            language=config.language,
            title=config.title or "",
            subtitle=config.subtitle or "",
            out_dir=str(staging),
            document_stylesheet=str(_stylesheet(config, "pdf/document.xsl")),
            book_stylesheet=str(_stylesheet(config, "pdf/book.xsl")),
            stylesheets_key=_folder_digest(config.xslt),
            typst_overrides=_typst_overrides(config),
        )
        code_key = _digest(__version__.encode(), _code_digest().encode(), _fonts_digest(setting.font_paths).encode(),
                           json.dumps(dataclasses.asdict(dataclasses.replace(setting, out_dir=""))).encode())
        keys: dict[str, str] = {}
        outcomes: dict[str, DocumentOutcome] = {}
        tasks = []
        for doc in edition.documents:
            # The source's bytes are read once: the key and the attached copy are of the same file.
            name, tree_xml, source_bytes = names[doc], etree.tostring(doc.tree), doc.path.read_bytes()
            keys[name] = _digest(code_key.encode(), name.encode(), source_bytes, tree_xml, register_index.subset_xml(doc.tree.getroot()))
            reused = _reuse_document(previous, out_dir, staging, name, keys[name], display_path(doc.path))
            if reused is not None:
                outcomes[name] = reused
                result.reused.append(name)
            else:
                tasks.append((f"document {name}", (str(doc.path), name, tree_xml, source_bytes, "".join(doc.tree.getroot().itertext()))))
        with WorkerPool(max(1, jobs), _start_worker, (registers, setting)) as pool:
            fresh: list[DocumentOutcome] = []
            batch = TASKS_PER_WORKER * max(1, jobs)
            for start in range(0, len(tasks), batch):
                if start:
                    pool.restart()
                fresh.extend(pool.map(_typeset_document, tasks[start:start + batch]))
            failed = [o for o in fresh if o.error]
            if failed:
                raise TypesetError("\n".join(o.error for o in failed))
            for outcome in fresh:
                outcomes[outcome.document_id] = outcome
                result.typeset.append(outcome.document_id)
                write_atomic(staging / CHAPTERS_DIR / f"{outcome.document_id}.typ", outcome.chapter)
            in_order = sorted(outcomes.values(), key=lambda o: (o.sort_key, o.document_id))
            line_offsets = dict(zip((o.document_id for o in in_order), itertools.accumulate((o.line_count for o in in_order), initial=0)))
            book_key = _digest(code_key.encode(), edition_tree or b"", registers, *(keys[o.document_id].encode() for o in in_order))
            book = previous.get("book") if isinstance(previous.get("book"), dict) else {}
            if book.get("key") == book_key and (out_dir / BOOK_FILE).is_file():
                _link(out_dir / BOOK_FILE, staging / BOOK_FILE)
                book_conformant = bool(book.get("conformant"))
            else:
                book_conformant = pool.call(_typeset_book, "the edition's book", edition_tree, [o.chapter for o in in_order], line_offsets)
                result.book_typeset = True
        ordered = [outcomes[names[doc]] for doc in edition.documents]
        write_atomic(staging / PDF_CACHE, json.dumps({
            "teipress": __version__,
            "documents": {o.document_id: {"key": keys[o.document_id], "sort_key": o.sort_key, "line_count": o.line_count,
                                          "problems": [p.as_dict() for p in o.problems]} for o in ordered},
            "book": {"key": book_key, "conformant": book_conformant},
        }, indent=1, sort_keys=True))
    for outcome in ordered:
        result.files.append(out_dir / f"{outcome.document_id}.pdf")
        result.problems.extend(outcome.problems)
    result.files.append(out_dir / BOOK_FILE)
    if not book_conformant:
        result.problems.append(Problem(
            display_path(out_dir / BOOK_FILE), 1, 1, Severity.WARNING,
            "the book is not PDF/A-3b because a character has no glyph in any font (see the missing-glyph warnings)", "not-pdfa"))
    return result


# ---- the cache of the previous build -------------------------------------------------------------

def _read_cache(out_dir: Path) -> dict[str, Any]:
    """What the previous build in `out_dir` typeset, or nothing when it was another version's or there is none."""
    try:
        data = json.loads((out_dir / PDF_CACHE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) and data.get("teipress") == __version__ else {}


def _reuse_document(previous: dict[str, Any], out_dir: Path, staging: Path, name: str, key: str, shown_path: str) -> DocumentOutcome | None:
    """The previous build's PDF and chapter of an unchanged document, put into the staging folder.

    Its warnings are about its source file, named as it is shown now (the edition may have moved)."""
    documents = previous.get("documents") if isinstance(previous.get("documents"), dict) else {}
    entry = documents.get(name)
    chapter = out_dir / CHAPTERS_DIR / f"{name}.typ"
    if not isinstance(entry, dict) or entry.get("key") != key or not (out_dir / f"{name}.pdf").is_file() or not chapter.is_file():
        return None
    try:
        problems = [Problem(shown_path, p["line"], p["column"], Severity(p["severity"]), p["message"], p["rule"]) for p in entry["problems"]]
        outcome = DocumentOutcome(document_id=name, sort_key=str(entry["sort_key"]), chapter=chapter.read_text(encoding="utf-8"),
                                  line_count=int(entry["line_count"]), problems=problems)
    except (KeyError, TypeError, ValueError):
        return None  # a damaged cache: typeset the document again
    _link(out_dir / f"{name}.pdf", staging / f"{name}.pdf")
    _link(chapter, staging / CHAPTERS_DIR / f"{name}.typ")
    return outcome


def _link(previous: Path, target: Path) -> None:
    """The previous build's file in the new folder: a hard link (files are replaced, never changed in place), else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(previous, target)
    except OSError:
        shutil.copyfile(previous, target)


def _code_digest() -> str:
    """One hash over the stylesheets and the Typst template the PDFs are made with, so that an upgrade typesets every PDF."""
    digest = hashlib.sha256()
    for path in sorted(p for folder in ("common", "pdf") for p in (XSLT_DIR / folder).rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(XSLT_DIR)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _fonts_digest(font_paths: tuple[str, ...]) -> str:
    """A hash over the font files' names, sizes and dates: a font installed or removed typesets every PDF again."""
    digest = hashlib.sha256()
    for folder in font_paths:
        for path in sorted(Path(folder).rglob("*")):
            try:
                stat = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def _typst_overrides(config: Config) -> str:
    """The edition's own Typst (teipress.toml `typst`): the editors' code, so it may do what Typst can, inside the build folder."""
    if config.typst is None:
        return ""
    try:
        return config.typst.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"`typst`: cannot read {config.typst} as UTF-8: {error}") from error


# ---- in the worker processes --------------------------------------------------------------------

_registers_xml: bytes = b""
_setting: Typesetting | None = None
_registers_node = None


def _start_worker(registers: bytes, setting: Typesetting) -> None:
    global _registers_xml, _setting
    _registers_xml, _setting = registers, setting


def _stylesheets():  # type: ignore[no-untyped-def]
    """This worker's stylesheets and the registers as a Saxon node, made once per process."""
    global _registers_node
    from .saxon import Stylesheets, to_xdm

    if _registers_node is None:
        _registers_node = (Stylesheets(), to_xdm(_registers_xml))
    return _registers_node


def _typeset_document(path_text: str, document_id: str, tree_xml: bytes, source_bytes: bytes, text: str) -> DocumentOutcome:
    """Transform one document (for its own PDF and as a book chapter) and typeset its PDF into the staging folder."""
    from .errors import OutputError, TeipressError
    from .saxon import to_xdm

    path = Path(path_text)
    assert _setting is not None
    outcome = DocumentOutcome(document_id=document_id)
    try:
        stylesheets, registers = _stylesheets()
        node = to_xdm(tree_xml)
        common = dict(registers=registers, document_id=document_id, paper=_setting.paper,
                      fonts=list(_setting.fonts), edition_title=_setting.title, language=_setting.language)
        outcome.sort_key = stylesheets.transform(_setting.document_stylesheet, node, part="sort-key", **common)
        outcome.chapter = stylesheets.transform(_setting.document_stylesheet, node, part="book", **common)
        # The attached source is named like the site's copy: a file name may hold what Typst refuses in a path (a backslash).
        markup = stylesheets.transform(_setting.document_stylesheet, node, part="standalone", source_name=f"{document_id}.xml", **common)
        done = typeset(markup, {"source.xml": source_bytes}, _setting, what=display_path(path),
                       markers="metadata", all_line_markers=True)
        outcome.line_count = max((line["raw"] for line in _line_markers(done.markers)), default=0)
        outcome.problems = missing_glyph_problems(done.pdf, done.conformant, path, text, document_id, _setting)
        write_atomic(Path(_setting.out_dir) / f"{document_id}.pdf", done.pdf)
    except OutputError:
        raise  # the output folder, not the document: one error for the whole build
    except TeipressError as error:
        outcome.error = str(error)
    except OSError as error:
        outcome.error = f"{display_path(path)}: cannot typeset it: {error.filename or ''}: {error.strerror or error}"
    return outcome


def _typeset_book(edition_xml: bytes | None, chapters: list[str], line_offsets: dict[str, int]) -> bool:
    """Front matter from edition.xml, the documents' chapters in order, bibliography and indexes; whether the book is PDF/A."""
    from .saxon import to_xdm

    assert _setting is not None
    stylesheets, registers = _stylesheets()
    source = to_xdm(edition_xml or b'<TEI xmlns="http://www.tei-c.org/ns/1.0"/>')
    common = dict(registers=registers, edition_title=_setting.title, edition_subtitle=_setting.subtitle,
                  language=_setting.language, paper=_setting.paper, fonts=list(_setting.fonts))
    front = stylesheets.transform(_setting.book_stylesheet, source, part="front", **common)
    back = stylesheets.transform(_setting.book_stylesheet, source, part="back", **common)
    markup = front + "".join(chapters) + back
    done = typeset(markup, {}, _setting, what="the edition's book", line_offsets=line_offsets, markers="metadata")
    # The offsets come from each document typeset alone (same width, same line breaks); should a
    # document of the book not begin with line 1, typeset it once more with the book's own counts.
    first_lines: dict[str, int] = {}
    for line in _line_markers(done.markers):
        first_lines.setdefault(line["document"], line["raw"])
    counted = {document: raw - 1 for document, raw in first_lines.items()}
    if any(line_offsets.get(document, 0) != offset for document, offset in counted.items()):
        done = typeset(markup, {}, _setting, what="the edition's book", line_offsets=counted)
    write_atomic(Path(_setting.out_dir) / BOOK_FILE, done.pdf)
    return done.conformant


def _line_markers(values: list[Any]) -> list[dict[str, Any]]:
    """The line markers (lib.typ `tp-line-numbering`) among the values of all metadata elements."""
    return [v for v in values if isinstance(v, dict) and "raw" in v and "document" in v]


# ---- Typst --------------------------------------------------------------------------------------

@dataclass
class Typeset:
    """A compiled PDF, whether it is PDF/A-3b, and the values of the metadata markers asked for."""

    pdf: bytes
    conformant: bool
    markers: list[Any]


def typeset(markup: str, files: dict[str, bytes], setting: Typesetting, *, what: str,
            line_offsets: dict[str, int] | None = None, markers: str | None = None, all_line_markers: bool = False) -> Typeset:
    """Compile `markup` in this process's build folder (Typst's root: lib.typ and `files`, nothing else).

    Typst refuses PDF/A when a character has no glyph in any font; then the PDF is made without it,
    so that the warning can name the characters. `markers` (a selector such as "metadata") asks for
    the values of those markers, which costs nothing after the compilation.
    """
    import typst

    workspace = _workspace(setting.font_paths)
    try:
        if setting.typst_overrides:
            files = {**files, CUSTOM_TYP: setting.typst_overrides.encode("utf-8")}
            markup = markup.replace(LIB_IMPORT, LIB_IMPORT + f'#import "{CUSTOM_TYP}": *\n', 1)
        for name, data in files.items():
            (workspace.folder / name).write_bytes(data)
        workspace.main.write_text(markup, encoding="utf-8")
        inputs = {"line-offsets": json.dumps(line_offsets or {}), "all-line-markers": "yes" if all_line_markers else "no"}
        compiler = workspace.compiler
        try:
            try:
                pdf, conformant = compiler.compile(sys_inputs=inputs, pdf_standards=PDF_STANDARDS), True
            except (typst.TypstError, RuntimeError) as error:
                if "could not be displayed" not in str(error):
                    raise
                pdf, conformant = compiler.compile(sys_inputs=inputs), False
            found = json.loads(compiler.query(markers, field="value")) if markers else []
        except (typst.TypstError, RuntimeError) as error:
            raise TypesetError(f"{what}: Typst could not typeset it: {error}") from error
        return Typeset(pdf, conformant, found)
    finally:
        workspace.clear()


@dataclass
class _Workspace:
    """A build folder holding only lib.typ between compilations, and one Typst compiler bound to it.

    Typst loads every font when a compiler is made (a tenth of a second with the CJK fonts), so each
    process keeps one and only rewrites the files it compiles; the folder has no links and nothing else.
    """

    folder: Path
    compiler: Any

    @property
    def main(self) -> Path:
        return self.folder / "main.typ"

    def clear(self) -> None:
        for path in self.folder.iterdir():
            if path.name != "lib.typ":
                path.unlink(missing_ok=True)


_workspaces: dict[tuple[str, ...], _Workspace] = {}


def _workspace(font_paths: tuple[str, ...]) -> _Workspace:
    import atexit

    import typst

    workspace = _workspaces.get(font_paths)
    if workspace is None:
        folder = scratch_folder("teipress-pdf-").resolve()
        atexit.register(shutil.rmtree, folder, True)
        (folder / "lib.typ").write_bytes(LIB_TYP.read_bytes())
        (folder / "main.typ").write_text("", encoding="utf-8")
        workspace = _Workspace(folder, typst.Compiler(str(folder / "main.typ"), root=str(folder), font_paths=list(font_paths)))
        _workspaces[font_paths] = workspace
    return workspace


def pages_with_missing_glyphs(pdf: bytes) -> list[int]:
    """The pages (0-based) where a character is drawn with no glyph (glyph id 0, the empty box)."""
    import pymupdf

    pages = []
    with pymupdf.open(stream=pdf, filetype="pdf") as document:
        for number, page in enumerate(document):
            if any(char[1] == 0 and char[0] > 32 for span in page.get_texttrace() for char in span["chars"]):
                pages.append(number)
    return pages


def characters_without_glyph(characters: Iterable[str], setting: Typesetting) -> list[str]:
    """Which of `characters` no font has: each is set on a page of its own and the empty boxes counted.

    A PDF shows a missing glyph as U+FFFD, so the character itself is found this way, with the
    same fonts and fallback as the edition's PDFs.
    """
    candidates = sorted({c for c in characters if not c.isspace() and not (" " <= c <= "~")})
    if not candidates:
        return []
    fonts = ", ".join(_typst_string(font) for font in setting.fonts)
    markup = f"#set page(width: 3cm, height: 2cm, margin: 2mm)\n#set text(font: ({fonts},))\n"
    markup += "#pagebreak()\n".join(f"#{_typst_string(c)};\n" for c in candidates)
    pdf = typeset(markup, {}, setting, what="the character check").pdf
    return [candidates[page] for page in pages_with_missing_glyphs(pdf)]


def _typst_string(text: str) -> str:
    """A Typst string literal (as xslt/pdf/typst.xsl writes them)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(f"\\u{{{ord(c):x}}}" if ord(c) < 32 or 127 <= ord(c) <= 159 else c for c in escaped) + '"'


def missing_glyph_problems(pdf: bytes, conformant: bool, source: Path, text: str, document_id: str, setting: Typesetting) -> list[Problem]:
    """A warning per character of `text` that no font could draw, at its first place in the source file."""
    if conformant or not pages_with_missing_glyphs(pdf):
        return []
    source_text = source.read_text(encoding="utf-8", errors="replace")
    problems = []
    for char in characters_without_glyph(text, setting):
        line, column = _position_of(source_text, char)
        problems.append(Problem(
            display_path(source), line, column, Severity.WARNING,
            f"no font has the character {char} (U+{ord(char):04X}) of document {document_id}: it prints as an empty box "
            f"in {document_id}.pdf, which therefore is not PDF/A; install a font that has it and name it in `fonts` "
            f"(and its folder in `font_paths`) in teipress.toml",
            "missing-glyph"))
    return problems


def _position_of(text: str, char: str) -> tuple[int, int]:
    index = text.find(char)
    if index < 0:
        return 1, 1
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


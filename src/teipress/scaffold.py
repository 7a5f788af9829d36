"""New editions (`teipress init`) and new documents (`teipress new`) from the templates in `template/`.

`template/edition/` is a whole edition: an invented example letter, its registers, edition.xml,
teipress.toml, the editor settings and a README; `template/documents/document.xml` is the skeleton
of every new document. Placeholders `{{name}}` are filled in, XML-escaped in XML files. Every file
points at the edition's own `schema/teipress.rng` by a relative path, so the folder can move.
"""

from __future__ import annotations

import datetime
import html
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .config import Config
from .edition import load_edition, merged_registers
from .errors import ConfigError, OutputExistsError
from .problems import Problem, Severity, display_path
from .resources import SCHEMA_FILE
from .xmlio import TEI_NS, XML_ID, write_atomic

TEMPLATE_DIR = Path(__file__).resolve().parent / "template"
LANGUAGES = {"de": "Deutsch", "en": "English", "fr": "Français", "it": "Italiano"}
DOCUMENT_KINDS = ("letter", "document", "essay")
# The template keeps dot files under visible names, so that no packaging or version control step hides them.
_DOT_NAMES = {"dot-gitignore": ".gitignore", "dot-vscode": ".vscode"}
_XML_SUFFIXES = {".xml", ".xpr"}
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
# An xml:id that is also a safe file name: lowercase words joined by hyphens is the convention, this the rule.
_DOCUMENT_ID = re.compile(r"[A-Za-z_][A-Za-z0-9._-]{0,99}")
_ISO_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")
# Register entries a sender or addressee may be, and the name element each is written with.
_CORRESPONDENT_ELEMENTS = {"person": "persName", "personGrp": "persName", "org": "orgName"}


def schema_href(folder: Path, root: Path) -> str:
    """The relative path from `folder` to the edition's own schema, as `<?xml-model?>` lines write it."""
    return Path(os.path.relpath(root / "schema" / SCHEMA_FILE.name, folder)).as_posix()


def _fill(text: str, values: dict[str, str], *, xml: bool) -> str:
    return _PLACEHOLDER.sub(lambda match: html.escape(values[match[1]]) if xml else values[match[1]], text)


def _plain_option(name: str, value: str) -> str:
    """An option's value that goes into files: one line of text, no control characters."""
    value = value.strip()
    if not value or any(ord(c) < 32 or 127 <= ord(c) <= 159 for c in value):
        raise ConfigError(f"--{name} must be one line of text, not {value!r}")
    return value


# --- teipress init ----------------------------------------------------------------------------------


@dataclass
class InitResult:
    """The new edition's folder and every file written into it."""

    root: Path
    written: list[Path] = field(default_factory=list)


def init_edition(folder: Path, *, title: str | None = None, language: str = "en", force: bool = False) -> InitResult:
    """Write a new edition into `folder` (new or empty; any, with `force`, replacing files of the same names).

    Without a `title` the edition is titled by the folder's name ("letters-1890" -> "letters 1890").
    The edition validates and builds as it is. Example: `init_edition(Path("letters"), title="Letters", language="de")`.
    """
    if language not in LANGUAGES:
        raise ConfigError(f"--language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    folder = folder.absolute()
    title = _plain_option("title", title if title is not None else folder.name.replace("-", " ").replace("_", " "))
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"{display_path(folder)} is a file; give a new or empty folder for the edition")
    if folder.is_dir() and any(folder.iterdir()) and not force:
        raise OutputExistsError(f"{display_path(folder)} is not empty; give a new or empty folder, or add --force to write the edition's files into it (files of the same names are replaced)")
    values = {"title": title, "language": language, "language_name": LANGUAGES[language], "today": datetime.date.today().isoformat()}
    result = InitResult(root=folder)
    edition_template = TEMPLATE_DIR / "edition"
    for template in sorted(p for p in edition_template.rglob("*") if p.is_file()):
        target = folder.joinpath(*(_DOT_NAMES.get(part, part) for part in template.relative_to(edition_template).parts))
        if template.suffix == ".svg":
            data: bytes | str = template.read_bytes()
        else:
            data = _fill(template.read_text(encoding="utf-8"), values, xml=template.suffix in _XML_SUFFIXES)
        write_atomic(target, data)
        result.written.append(target)
    schema = folder / "schema" / SCHEMA_FILE.name
    write_atomic(schema, SCHEMA_FILE.read_bytes())
    result.written.append(schema)
    return result


# --- teipress new -----------------------------------------------------------------------------------


@dataclass
class NewResult:
    """The document written, and the problems found: names not in the registers, then its validation."""

    path: Path
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(p.is_error for p in self.problems)


@dataclass
class _Correspondent:
    """A sender or addressee as written: the name, its element, and its register id when the registers know it."""

    role: str
    name: str
    element: str = "persName"
    ref: str = ""
    problem: str = ""

    def xml(self) -> str:
        ref = f' ref="#{html.escape(self.ref)}"' if self.ref else ""
        return f"<{self.element}{ref}>{html.escape(self.name)}</{self.element}>"


def new_document(config: Config, kind: str, *, document_id: str, date: str | None = None, sender: str | None = None,
                 addressee: str | None = None, title: str | None = None, force: bool = False) -> NewResult:
    """Write `{source}/{document_id}.xml` from the template and validate it.

    A letter needs `date`, `sender` and `addressee` (its correspDesc); each name is looked up in the
    registers by id or by any of its names, and one they do not hold is written without `@ref` and
    reported, never invented. Example: `new_document(config, "letter", document_id="letter-1", date="1890-05-01", sender="Anna Example", addressee="Ben Sample")`.
    """
    if kind not in DOCUMENT_KINDS:
        raise ConfigError(f"the kind of document must be one of {', '.join(DOCUMENT_KINDS)}, not {kind!r}")
    if not _DOCUMENT_ID.fullmatch(document_id):
        raise ConfigError(f"--id {document_id!r} is no usable id: a letter or underscore, then letters, digits, '.', '_' or '-' (e.g. letter-1890-05-01-exampletown)")
    if kind == "letter" and not (date and sender and addressee):
        raise ConfigError("a letter needs --date, --from and --to: its correspDesc names the date, the sender and the addressee")
    if addressee and kind != "letter":
        raise ConfigError(f"--to names the addressee of a letter; a{'n' if kind[0] in 'aeiou' else ''} {kind} has none")
    if date is not None:
        _check_date(date)
    if not config.source.is_dir():
        raise ConfigError(f"the source folder {display_path(config.source)} does not exist; start an edition with `teipress init`, or set `source` in teipress.toml")
    target = config.source / f"{document_id}.xml"
    if target.exists() and not force:
        raise OutputExistsError(f"{display_path(target)} exists already; choose another --id, or add --force to replace it")
    edition = load_edition(config.source)
    holder = next((f for f in edition.files if f.path.resolve() != target.resolve() and f.tree.getroot().xpath("boolean(//@xml:id[. = $id])", id=document_id)), None)
    if holder is not None and not force:
        raise OutputExistsError(f"the id {document_id!r} is taken in {display_path(holder.path)}; choose another --id")
    registers = merged_registers(edition)
    correspondents = [_correspondent(role, _plain_option(option, name), registers)
                      for role, option, name in (("sender", "from", sender), ("addressee", "to", addressee)) if name]
    result = NewResult(path=target)
    schema = config.root / "schema" / SCHEMA_FILE.name
    if not schema.is_file():
        result.notes.append(f"the edition has no {display_path(schema)}: editors find the schema that the file's <?xml-model?> lines name there (`teipress init` writes it)")
    text = _document_text(kind, document_id, date, correspondents, title, config, target)
    write_atomic(target, text)
    for correspondent in correspondents:
        if correspondent.problem:
            line, column = _position(text, correspondent.xml())
            result.problems.append(Problem(display_path(target), line, column, Severity.WARNING, correspondent.problem, "unknown-name"))
    from .validate import validate_paths

    result.problems += validate_paths([target], config).problems
    return result


def _check_date(date: str) -> None:
    try:
        if not _ISO_DATE.fullmatch(date):
            raise ValueError
        datetime.date.fromisoformat((date + "-01-01")[:10])
    except ValueError:
        raise ConfigError(f"--date {date!r} is no calendar date in ISO 8601 form (YYYY, YYYY-MM or YYYY-MM-DD)") from None


def _correspondent(role: str, name: str, registers: etree._Element) -> _Correspondent:
    """The register entry `name` is the id or a name of; a name none or several entries have is reported."""
    wanted = " ".join(name.lstrip("#").split()).casefold()
    entries = [e for e in registers if etree.QName(e).localname in _CORRESPONDENT_ELEMENTS]
    by_id = [e for e in entries if e.get(XML_ID, "").casefold() == wanted]
    found = by_id or [e for e in entries if any(" ".join("".join(n.itertext()).split()).casefold() == wanted
                                                  for n in e.xpath("tei:persName | tei:orgName | tei:name", namespaces={"tei": TEI_NS}))]
    if len(found) != 1:
        reason = (f"{len(found)} register entries have the name {name!r} ({', '.join('#' + e.get(XML_ID, '') for e in found)}): "
                  f"the {role} is written without @ref; give the entry's id instead of its name") if found else (
                  f"no register entry has the name {name!r}: the {role} is written without @ref; add the person or organisation "
                  f"to tei/registers/ and point @ref at it, or give the name of an entry")
        return _Correspondent(role, name, problem=reason)
    entry = found[0]
    element = _CORRESPONDENT_ELEMENTS[etree.QName(entry).localname]
    if by_id:  # an id stands for the entry's standard name
        names = entry.findall(f"{{{TEI_NS}}}{element}")
        standard = next((n for n in names if n.get("type") == "standard"), names[0] if names else None)
        name = " ".join("".join(standard.itertext()).split()) if standard is not None else name
    return _Correspondent(role, name, element=element, ref=entry.get(XML_ID, ""))


def _document_text(kind: str, document_id: str, date: str | None, correspondents: list[_Correspondent], title: str | None,
                   config: Config, target: Path) -> str:
    by_role = {c.role: c for c in correspondents}
    sender, addressee = by_role.get("sender"), by_role.get("addressee")
    words = _new_document_words(config.language, kind, date, sender, addressee)
    if title:
        title = _plain_option("title", title)
    elif kind == "letter" and sender and addressee:
        title = words["title"]
    else:
        title = document_id
    date_xml = f'<date when="{date}">{html.escape(words["date"])}</date>' if date else ""
    fragments = {
        "author": f"        <author>{sender.xml()}</author>\n" if sender else "",
        "correspDesc": (f'      <correspDesc>\n        <correspAction type="sent">\n          {sender.xml()}\n          {date_xml}\n        </correspAction>\n'
                        f'        <correspAction type="received">\n          {addressee.xml()}\n        </correspAction>\n      </correspDesc>\n')
        if sender and addressee else "",
        "opening": f"      <opener>\n        <dateline>{date_xml}</dateline>\n      </opener>\n" if kind == "letter" and date else "",
    }
    values = {"schema": schema_href(target.parent, config.root), "id": document_id, "language": config.language,
              "language_name": LANGUAGES.get(config.language, config.language), "title": title,
              "type": kind, "today": datetime.date.today().isoformat(),
              **{f"{hint}_hint": words[hint] for hint in ("publication", "source", "text")}, "change": words["change"]}
    template = (TEMPLATE_DIR / "documents" / "document.xml").read_text(encoding="utf-8")
    return _PLACEHOLDER.sub(lambda match: fragments[match[1]] if match[1] in fragments else html.escape(values[match[1]]), template)


def _new_document_words(language: str, kind: str, date: str | None, sender: _Correspondent | None,
                        addressee: _Correspondent | None) -> dict[str, str]:
    """The title, the date as written and the hints of a new document in the edition's language (common/new-document.xsl)."""
    from .saxon import Stylesheets

    options = {"kind": kind, "date": date or ""}
    if sender and addressee:
        options.update(sender=sender.name, addressee=addressee.name)
    words = json.loads(Stylesheets().transform("common/new-document.xsl", etree.Element("new-document", options), language=language))
    return {key: str(value) for key, value in words.items()}


def _position(text: str, fragment: str) -> tuple[int, int]:
    index = max(text.find(fragment), 0)
    return text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1

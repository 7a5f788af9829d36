"""Settings of an edition, read from the optional `teipress.toml` at its root."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "teipress.toml"
PAPER_SIZES = ("a4", "a5", "us-letter", "b5", "iso-b5", "us-trade")
# The interface languages: one message catalogue each in xslt/common/messages/.
LANGUAGES = ("en", "de", "fr", "it")
# The customisation files a browser shows (teipress.toml `logo`, `favicon`), by suffix.
LOGO_TYPES = (".svg", ".png", ".jpg", ".jpeg", ".gif", ".webp")
FAVICON_TYPES = (".svg", ".png", ".ico")
MARKDOWN_TYPES = (".md", ".markdown")
# The map's tiles by default (teipress.toml `map_tiles`): OpenStreetMap's, credited as its tile policy asks.
OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = "© OpenStreetMap contributors"
VOLUME_PAGES = 250


@dataclass(frozen=True)
class MenuEntry:
    """An extra entry of the site's menu (teipress.toml `nav`): its text and where it leads."""

    label: str
    href: str


@dataclass(frozen=True)
class Config:
    """An edition's settings; every field has a default so that no file is needed."""

    root: Path
    source: Path
    output: Path
    base_url: str = ""
    title: str | None = None
    subtitle: str | None = None
    language: str = "en"
    paper: str = "a4"
    font_paths: tuple[Path, ...] = ()
    fonts: tuple[str, ...] = ()
    tei_all: Path | None = None
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    # Customising without forking: the edition's own stylesheet, images, footer text, menu entries,
    # extra pages (edition.xml, whose top-level divs become pages, or Markdown files), XSLT and Typst overrides.
    css: Path | None = None
    logo: Path | None = None
    favicon: Path | None = None
    footer: str = ""
    nav: tuple[MenuEntry, ...] = ()
    pages: tuple[Path, ...] = ()
    xslt: Path | None = None
    typst: Path | None = None
    # The overview map's tile server: a URL template with {z}, {x}, {y}, and the credit it asks for;
    # empty for no tiles at all (the map then shows only its markers, beside the list of places).
    map_tiles: str = OSM_TILES
    map_attribution: str = OSM_ATTRIBUTION
    # The print edition in volumes: at most about this many pages each (estimated from the documents'
    # own PDFs), and/or one volume (or more, when it is longer) per range of years, (first, last).
    # A volume of synthetic letters planned at 250 pages (about 210 of the book) holds 430-520 MB, so two compile side
    # by side within teipress.pdf VOLUMES_MEMORY_MB on a machine of two cores and the build's process tree stays within
    # 1.5 GB at 20,000 letters (1,221 MB; planned at 300 pages, 520-640 MB each, the tree reached 1,510 MB). Letters
    # dense with notes and apparatus entries make volumes too large to compile beside another of their size.
    volume_pages: int = VOLUME_PAGES
    volumes: tuple[tuple[int, int], ...] = ()

    @property
    def html_dir(self) -> Path:
        return self.output / "html"

    @property
    def pdf_dir(self) -> Path:
        return self.output / "pdf"


_KNOWN_KEYS = {f.name for f in fields(Config)} - {"root"}


def load_config(root: Path | None = None, **overrides: object) -> Config:
    """Read `teipress.toml` in `root` (default: the current folder); `overrides` win over the file.

    Example: `load_config(Path("."), output=Path("/tmp/out"))`.
    """
    root = (root or Path.cwd()).resolve()
    values: dict[str, object] = {}
    config_file = root / CONFIG_FILE
    if config_file.is_file():
        try:
            data = tomllib.loads(config_file.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
            raise ConfigError(f"{config_file}: {error}") from error
        unknown = sorted(set(data) - _KNOWN_KEYS)
        if unknown:
            raise ConfigError(
                f"{config_file}: unknown setting(s) {', '.join(unknown)}; "
                f"known settings are {', '.join(sorted(_KNOWN_KEYS))}"
            )
        values.update(data)
    values.update({key: value for key, value in overrides.items() if value is not None})
    return _build(root, values, config_file)


def _build(root: Path, values: dict[str, object], config_file: Path) -> Config:
    def resolve(key: str, value: object) -> Path:
        if not isinstance(value, (str, os.PathLike)):
            raise ConfigError(f"{config_file}: `{key}` must be a path, not {value!r}")
        path = Path(value).expanduser()
        return path if path.is_absolute() else (root / path)

    def path_of(key: str, default: str | None) -> Path | None:
        value = values.get(key, default)
        return None if value in (None, "") else resolve(key, value)

    paper = str(values.get("paper", "a4")).lower()
    if paper not in PAPER_SIZES:
        raise ConfigError(f"{config_file}: paper must be one of {', '.join(PAPER_SIZES)}, not {paper!r}")
    language = str(values.get("language", "en"))
    if language not in LANGUAGES:
        raise ConfigError(f"{config_file}: language must be one of {', '.join(LANGUAGES)}, not {language!r}")
    volume_pages = values.get("volume_pages", VOLUME_PAGES)
    if not isinstance(volume_pages, int) or isinstance(volume_pages, bool) or volume_pages < 1:
        raise ConfigError(f"{config_file}: volume_pages must be a whole number of at least 1, not {volume_pages!r}")
    jobs = values.get("jobs", os.cpu_count() or 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"{config_file}: jobs must be a whole number of at least 1, not {jobs!r}")
    base_url = web_address(values.get("base_url", ""))
    for required in ("source", "output"):
        if values.get(required, "x") in ("", None):
            raise ConfigError(f"{config_file}: `{required}` must name a folder; leave it out for the default")
    map_tiles, map_attribution = _map_tiles(values.get("map_tiles", OSM_TILES), values.get("map_attribution"), config_file)
    return Config(
        root=root,
        source=path_of("source", "tei"),  # type: ignore[arg-type]
        output=path_of("output", "output"),  # type: ignore[arg-type]
        base_url=base_url,
        title=_optional_str(values.get("title")),
        subtitle=_optional_str(values.get("subtitle")),
        language=language,
        paper=paper,
        font_paths=tuple(resolve("font_paths", p) for p in _as_list(values.get("font_paths"))),
        fonts=tuple(str(f) for f in _as_list(values.get("fonts"))),
        tei_all=path_of("tei_all", None),
        jobs=jobs,
        css=_existing_file("css", (".css",), path_of, config_file),
        logo=_existing_file("logo", LOGO_TYPES, path_of, config_file),
        favicon=_existing_file("favicon", FAVICON_TYPES, path_of, config_file),
        footer=_text(values, "footer", config_file),
        nav=_menu_entries(values.get("nav"), config_file),
        pages=_pages(values.get("pages"), resolve, config_file),
        xslt=_existing_folder("xslt", path_of, config_file),
        typst=_existing_file("typst", (".typ",), path_of, config_file),
        map_tiles=map_tiles,
        map_attribution=map_attribution,
        volume_pages=volume_pages,
        volumes=_year_ranges(values.get("volumes"), config_file),
    )


# A tile URL template: an http(s) address holding {z}, {x} and {y}, and otherwise only characters a URL holds
# unescaped ({s} and {r}, Leaflet's subdomain and retina placeholders, allowed).
_TILE_TEMPLATE = re.compile(r"https?://[A-Za-z0-9\-._~%!$&'()*+,;=:@/?{}]+", re.IGNORECASE)


def _map_tiles(value: object, attribution: object, config_file: Path) -> tuple[str, str]:
    """`map_tiles` (a URL template, or "" for none) and `map_attribution` (the credit the tile server asks for;
    OpenStreetMap's for its tiles unless given); returns (url, attribution).

    Example: `map_tiles = "https://tiles.example.org/{z}/{x}/{y}.png"` and `map_attribution = "© Example"`.
    """
    if not isinstance(value, str):
        raise ConfigError(f"{config_file}: `map_tiles` must be a URL template such as {OSM_TILES!r}, or \"\" for no tiles, not {value!r}")
    if attribution is not None and not isinstance(attribution, str):
        raise ConfigError(f"{config_file}: `map_attribution` must be a string, not {attribution!r}")
    url = value.strip()
    if url and not (_TILE_TEMPLATE.fullmatch(url) and all(part in url for part in ("{z}", "{x}", "{y}"))):
        raise ConfigError(f"{config_file}: `map_tiles` must be an http:// or https:// address with {{z}}, {{x}} and {{y}}, such as {OSM_TILES!r}, not {url!r}")
    credit = attribution.strip() if attribution is not None else (OSM_ATTRIBUTION if url == OSM_TILES else "")
    return url, credit if url else ""


# Scheme, host, and then only characters a URL may hold unescaped (no spaces, quotes, angle brackets or controls).
_WEB_ADDRESS = re.compile(r"https?://[A-Za-z0-9\-._~%!$&'()*+,;=:@\[\]]+(/[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*)?", re.IGNORECASE)


def web_address(value: object) -> str:
    """`base_url` (from teipress.toml or --base-url) ending in "/", or a `ConfigError` unless it is an http(s) address.

    It becomes permalinks and canonical links of every page and the URIs of the exports, so
    `javascript:...` or a value that is no URL must never reach them. Example: `web_address("https://e.org")`.
    """
    text = "" if value is None else str(value).strip()
    if not text:
        return ""
    if not _WEB_ADDRESS.fullmatch(text):
        raise ConfigError(f"base_url must be an http:// or https:// address such as \"https://edition.example.org/\", not {text!r}")
    return text if text.endswith("/") else text + "/"


def _optional_str(value: object) -> str | None:
    """An unset setting; `title = ""` in teipress.toml means the same as leaving it out."""
    return None if value is None or str(value).strip() == "" else str(value)


def _as_list(value: object) -> list[object]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _existing_file(key: str, suffixes: tuple[str, ...], path_of: Callable[[str, str | None], Path | None], config_file: Path) -> Path | None:
    """A customisation file that must exist and be of one of `suffixes` (the browser or Typst reads it by its kind)."""
    path = path_of(key, None)
    if path is None:
        return None
    if not path.is_file():
        raise ConfigError(f"{config_file}: `{key}`: the file {path} does not exist")
    if path.suffix.lower() not in suffixes:
        raise ConfigError(f"{config_file}: `{key}` must be a {', '.join(suffixes)} file, not {path.name}")
    return path


def _existing_folder(key: str, path_of: Callable[[str, str | None], Path | None], config_file: Path) -> Path | None:
    path = path_of(key, None)
    if path is not None and not path.is_dir():
        raise ConfigError(f"{config_file}: `{key}`: the folder {path} does not exist")
    return path


def _text(values: dict[str, object], key: str, config_file: Path) -> str:
    value = values.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{config_file}: `{key}` must be a string, not {value!r}")
    return value.strip()


# A scheme ("javascript:", "data:" ...) at the start of a link; whitespace, controls and backslashes,
# which browsers drop or read as "/" before they look for one ("java\tscript:", "\\\\evil.example").
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_UNSAFE_IN_LINK = re.compile(r"[\s\x00-\x1f\x7f\\]")


def safe_link(href: str) -> bool:
    """Whether a menu link is relative to the site (no scheme, no "//host") or an http(s) address."""
    if not href or _UNSAFE_IN_LINK.search(href):
        return False
    if _SCHEME.match(href):
        return re.match(r"^https?://[^/]", href, re.IGNORECASE) is not None
    return not href.startswith("//")


def _menu_entries(value: object, config_file: Path) -> tuple[MenuEntry, ...]:
    """`nav = [{label = "Project", href = "https://project.example.org/"}, ...]`, each link relative or http(s)."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{config_file}: `nav` must be a list of {{label = \"...\", href = \"...\"}} tables, not {value!r}")
    entries = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"label", "href"} or not all(isinstance(v, str) and v.strip() for v in entry.values()):
            raise ConfigError(f"{config_file}: `nav`: each entry must be a table {{label = \"...\", href = \"...\"}} of two non-empty strings, not {entry!r}")
        if not safe_link(entry["href"].strip()):
            raise ConfigError(f"{config_file}: `nav`: the link {entry['href']!r} of {entry['label']!r} must be relative to the site or begin with http:// or https://")
        entries.append(MenuEntry(entry["label"].strip(), entry["href"].strip()))
    return tuple(entries)


def _pages(value: object, resolve: Callable[[str, object], Path], config_file: Path) -> tuple[Path, ...]:
    """`pages = ["tei/edition.xml", "pages/team.md"]`: the edition file (each top-level div a page) and Markdown files."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{config_file}: `pages` must be a list of paths, not {value!r}")
    pages = []
    for item in value:
        path = resolve("pages", item)
        if not path.is_file():
            raise ConfigError(f"{config_file}: `pages`: the file {path} does not exist")
        if path.suffix.lower() not in MARKDOWN_TYPES and path.name != "edition.xml":
            raise ConfigError(f"{config_file}: `pages`: {path.name} is neither the edition file (edition.xml) nor a Markdown file (.md)")
        pages.append(path.resolve())
    return tuple(pages)


def _year_ranges(value: object, config_file: Path) -> tuple[tuple[int, int], ...]:
    """`volumes = ["1967-1974", "1975-1976", "1977"]`: the years of each volume, in order, not overlapping."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{config_file}: `volumes` must be a list of year ranges such as [\"1967-1974\", \"1975-1976\"], not {value!r}")
    ranges: list[tuple[int, int]] = []
    for item in value:
        match = re.fullmatch(r"\s*(\d{1,4})\s*(?:[-\u2013]\s*(\d{1,4})\s*)?", str(item)) if isinstance(item, (str, int)) and not isinstance(item, bool) else None
        if match is None:
            raise ConfigError(f"{config_file}: `volumes`: {item!r} is no year range; write \"1967-1974\" or \"1977\"")
        first, last = int(match[1]), int(match[2] or match[1])
        if last < first or (ranges and first <= ranges[-1][1]):
            raise ConfigError(f"{config_file}: `volumes`: the ranges must follow one another in time without overlapping, not {value!r}")
        ranges.append((first, last))
    return tuple(ranges)

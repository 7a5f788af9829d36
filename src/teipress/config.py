"""Settings of an edition, read from the optional `teipress.toml` at its root."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from .errors import ConfigError

CONFIG_FILE = "teipress.toml"
PAPER_SIZES = ("a4", "a5", "us-letter", "b5", "iso-b5", "us-trade")
# The interface languages: one message catalogue each in xslt/common/messages/.
LANGUAGES = ("en", "de", "fr", "it")


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
    jobs = values.get("jobs", os.cpu_count() or 1)
    if not isinstance(jobs, int) or jobs < 1:
        raise ConfigError(f"{config_file}: jobs must be a whole number of at least 1, not {jobs!r}")
    base_url = web_address(values.get("base_url", ""))
    for required in ("source", "output"):
        if values.get(required, "x") in ("", None):
            raise ConfigError(f"{config_file}: `{required}` must name a folder; leave it out for the default")
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
    )


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

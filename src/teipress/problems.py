"""Problems found in a user's files, reported as `file:line:column: severity: message [rule]`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one place in one file, in the editor's terms."""

    file: str
    line: int
    column: int
    severity: Severity
    message: str
    rule: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when it lies below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)

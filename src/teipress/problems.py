"""Problems found in a user's files, reported as `file:line:column: severity: message [rule]`."""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any

# Characters that would break a problem's one line or disguise it in a terminal: control characters,
# line and paragraph separators, and the bidirectional overrides and isolates ("Trojan Source").
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


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

    def __post_init__(self) -> None:
        # Messages quote libxml2, Saxon and the sources: whatever they hold, a problem prints as one line.
        object.__setattr__(self, "file", printable(self.file))
        object.__setattr__(self, "message", printable(" ".join(self.message.split())))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.severity.value}: {self.message} [{self.rule}]"

    def as_dict(self) -> dict[str, object]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        """The problem `as_dict` gave (a build keeps them in its records, as JSON)."""
        return cls(**{**data, "severity": Severity(data["severity"])})

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def display_path(path: Path) -> str:
    """The path as the user would type it: relative to the current folder when it lies below it.

    A symbolic link is named as itself, not as the file it points to.
    """
    for place, here in ((Path(os.path.abspath(path)), Path(os.path.abspath(Path.cwd()))), (path.resolve(), Path.cwd().resolve())):
        if place.is_relative_to(here):
            return str(place.relative_to(here))
    return str(path)


def printable(text: str) -> str:
    """`text` with every control, line-breaking or bidirectional-override character shown as its code (`\\x0a`)."""
    return _UNPRINTABLE.sub(lambda match: f"\\x{ord(match[0]):02x}" if ord(match[0]) < 0x100 else f"\\u{ord(match[0]):04x}", text)

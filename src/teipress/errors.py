"""The one exception hierarchy of teipress; the CLI catches `TeipressError` and nothing else."""

from __future__ import annotations


class TeipressError(Exception):
    """A problem the user can act on; its message says which file and what to do."""

    exit_code = 2


class ConfigError(TeipressError):
    """`teipress.toml` or a command-line option is wrong."""


class InputError(TeipressError):
    """A source file cannot be read as the XML it should be."""

    exit_code = 1


class UnsafeInputError(InputError):
    """A source file tries to reach outside the edition (entity, XInclude, link)."""


class ValidationFailed(TeipressError):
    """The edition is invalid; the problems were reported and building stops."""

    exit_code = 1


class TransformError(TeipressError):
    """An XSLT transformation failed."""


class TypesetError(TeipressError):
    """Typst could not compile a generated document."""


class OutputExistsError(TeipressError):
    """A file would be overwritten although `--force` was not given."""


class OutputError(TeipressError):
    """A file or folder of the output cannot be written: read-only, full disk, not a folder, name too long."""

    def __init__(self, path: str, reason: str) -> None:
        # Both are the exception's args, so that it crosses from a worker process intact.
        super().__init__(path, reason)
        self.path = path
        self.reason = reason

    def __str__(self) -> str:
        from pathlib import Path

        from .problems import display_path

        return f"cannot write {display_path(Path(self.path))}: {self.reason}"


class WorkerDied(TeipressError):
    """A worker process was killed (out of memory, `kill -9`) while it worked on a document, or ended as it started."""


class DtsRequestError(TeipressError):
    """A DTS API request that cannot be answered: its HTTP status (400, 404, 406) and why."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(status, message)
        self.status = status
        self.message = message

    def __str__(self) -> str:
        return self.message

"""The command line: parses options, calls one core function per command, prints the result.

Nothing here knows about XML; every `TeipressError` is caught once, in `main`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import click
from rich.console import Console

from . import __version__
from .config import Config, load_config
from .errors import TeipressError
from .problems import Problem, Severity

stdout = Console(highlight=False, soft_wrap=True)
stderr = Console(stderr=True, highlight=False, soft_wrap=True)

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_problems(problems: Iterable[Problem], output_format: str = "text") -> None:
    """Every problem, one a line (`file:line:column: severity: message [rule]`), or a JSON list."""
    problems = list(problems)
    if output_format == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    for problem in problems:
        location = f"{problem.file}:{problem.line}:{problem.column}:"
        style = _SEVERITY_STYLE[problem.severity]
        stdout.print(f"[bold]{_escape(location)}[/] [{style}]{problem.severity.value}:[/] {_escape(problem.message)} [dim]\\[{_escape(problem.rule)}][/]")


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def edition_config(ctx: click.Context, **overrides: object) -> Config:
    root: Path | None = ctx.obj.get("root") if ctx.obj else None
    return load_config(root, **overrides)


class TeipressGroup(click.Group):
    """Turns a `TeipressError` from any command into its message and exit code: the one place they are caught."""

    def invoke(self, ctx: click.Context):  # type: ignore[no-untyped-def]
        try:
            return super().invoke(ctx)
        except TeipressError as error:
            stderr.print(f"[bold red]error:[/] {_escape(str(error))}")
            ctx.exit(error.exit_code)


@click.group(cls=TeipressGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="teipress")
@click.option("--root", type=click.Path(file_okay=False, path_type=Path), help="The edition's root folder (where teipress.toml lies). Default: the current folder.")
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """Validate a TEI-XML edition and publish it as HTML and PDF.

    Example:

        teipress validate && teipress build
    """
    ctx.ensure_object(dict)
    ctx.obj["root"] = root


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="How to print the problems.")
@click.option("--tei-all", "tei_all", is_flag=True, help="Also validate against the TEI Consortium's tei_all schema (see `tei_all` in teipress.toml).")
@click.option("--tei-all-schema", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Path of tei_all.rng (implies --tei-all).")
@click.pass_context
def validate(ctx: click.Context, paths: tuple[Path, ...], output_format: str, tei_all: bool, tei_all_schema: Path | None) -> None:
    """Check TEI files against the edition's schema and rules; report every problem.

    PATHS are files or folders (default: the edition's sources). Exit 0 when all is
    valid, 1 when any file is invalid, 2 for a usage or system error.

    Example:

        teipress validate tei/ --format json
    """
    from .validate import validate_paths

    config = edition_config(ctx, tei_all=tei_all_schema)
    result = validate_paths(list(paths) or [config.source], config, tei_all=tei_all or tei_all_schema is not None)
    print_problems(result.problems, output_format)
    if output_format == "text":
        summary = f"{result.files_checked} file(s) checked: {result.error_count} error(s), {result.warning_count} warning(s)"
        stderr.print(("[green]" if result.ok else "[red]") + summary + "[/]")
    ctx.exit(0 if result.ok else 1)


def main() -> None:
    """Entry point of the `teipress` console script."""
    cli(prog_name="teipress")

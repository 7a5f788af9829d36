"""The command line: parses options, calls one core function per command, prints the result.

Nothing here knows about XML; every `TeipressError` is caught once, in `main`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from rich.console import Console

from . import __version__
from .config import Config, load_config
from .errors import TeipressError
from .problems import Problem, Severity

if TYPE_CHECKING:
    from .importer import ImportResult
    from .watch import Rebuild

# Rich markup only where cli.py writes it: every string from a user's files goes through `_escape`,
# and no `:name:` in a file name or message (`l00001.xml:100:16`) ever becomes an emoji.
stdout = Console(highlight=False, soft_wrap=True, emoji=False)
stderr = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)

_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def print_problems(problems: Iterable[Problem], output_format: str = "text") -> None:
    """Every problem, one a line (`file:line:column: severity: message [rule]`), or a JSON list."""
    problems = list(problems)
    if output_format == "json":
        click.echo(json.dumps([p.as_dict() for p in problems], ensure_ascii=False, indent=2))
        return
    if not stdout.is_terminal:
        # Into a file or pipe as plain lines, many at a time: a real corpus can have 300,000 problems, and rich markup costs 0.1 ms a line.
        for start in range(0, len(problems), 10_000):
            click.echo("".join(f"{problem}\n" for problem in problems[start:start + 10_000]), nl=False)
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

    config = edition_config(ctx, tei_all=tei_all_schema.resolve() if tei_all_schema else None)
    result = validate_paths(list(paths) or [config.source], config, tei_all=tei_all or tei_all_schema is not None)
    print_problems(result.problems, output_format)
    if output_format == "text":
        summary = f"{result.files_checked} file(s) checked: {result.error_count} error(s), {result.warning_count} warning(s)"
        stderr.print(("[green]" if result.ok else "[red]") + summary + "[/]")
    ctx.exit(0 if result.ok else 1)


@cli.command("export")
@click.argument("fmt", metavar="FORMAT", type=click.Choice(["tei", "cmif", "dc", "csv", "json"]))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), help="Folder to write into. Default: output/export/FORMAT.")
@click.option("--force", is_flag=True, help="Overwrite files that already exist, also in a folder teipress did not make.")
@click.option("--base-url", help="The edition's public address (overrides base_url in teipress.toml); cmif and dc need one.")
@click.pass_context
def export_command(ctx: click.Context, fmt: str, out: Path | None, force: bool, base_url: str | None) -> None:
    """Export the edition for other archives: self-contained TEI, CMIF, Dublin Core/OAI-PMH, CSV or JSON.

    Example:

        teipress export cmif -o output/export/cmif
    """
    from .export import export_edition

    result = export_edition(edition_config(ctx, base_url=base_url), fmt, out, force=force)
    print_problems(result.left_out)
    for note in result.notes:
        stderr.print(f"[yellow]note:[/] {_escape(note)}")
    stdout.print(f"{result.format}: {len(result.files)} file(s) for {result.documents} document(s) written to {_escape(str(result.output))}")
    if result.left_out:
        stdout.print(f"[bold red]{len(result.left_out)} file(s) could not be read and were left out[/] (see the errors above).")
        ctx.exit(1)


@cli.group("import", cls=TeipressGroup)
def import_group() -> None:
    """Bring TEI from other archives or plain transcriptions into the edition.

    Example:

        teipress import tei ../elsewhere/L00001.xml -o tei/ --merge-registers rename
    """


def _print_import(result: ImportResult) -> None:
    print_problems(result.problems)
    for note in result.notes:
        stderr.print(f"[yellow]note:[/] {_escape(note)}")
    for path in result.written:
        stdout.print(f"wrote {_escape(str(path))}")


@import_group.command("tei")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the converted documents (registers go to its registers/).")
@click.option("--merge-registers", type=click.Choice(["rename", "existing", "ask"]), help="Move embedded standOff/listPerson entries into the registers; an id another entry has is renamed, taken as the existing entry, or asked about (terminal only). Same authority URI: always merged.")
@click.option("--tei-all-schema", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="Path of tei_all.rng to check the files against (default: tei_all in teipress.toml).")
@click.option("--force", is_flag=True, help="Overwrite documents and register files that already exist.")
@click.option("--fix", is_flag=True, help="Map elements our schema lacks to their TEI equivalent where that is safe (the README lists the mappings).")
@click.pass_context
def import_tei_command(ctx: click.Context, files: tuple[Path, ...], out_dir: Path, merge_registers: str | None, tei_all_schema: Path | None, force: bool, fix: bool) -> None:
    """Convert TEI files from another archive to the edition's conventions and report what our schema does not allow.

    Example:

        teipress import tei incoming/*.xml -o tei/ --merge-registers rename
    """
    import sys

    from .importer import import_tei

    def ask(conflict) -> str:  # type: ignore[no-untyped-def]
        stderr.print(f"#{_escape(conflict.entry_id)} exists already:\n  register: {_escape(conflict.existing)}\n  imported: {_escape(conflict.imported)}")
        return click.prompt("same entity (existing) or a new one (rename)?", type=click.Choice(["existing", "rename"]), default="rename")

    config = edition_config(ctx, tei_all=tei_all_schema.resolve() if tei_all_schema else None)
    interactive = merge_registers == "ask" and sys.stdin.isatty()
    result = import_tei(list(files), out_dir, config, merge_registers=merge_registers, force=force, resolve_conflict=ask if interactive else None, fix=fix)
    _print_import(result)
    ctx.exit(0 if result.ok else 1)


@import_group.command("text")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False, path_type=Path), help="The TEI file to write.")
@click.option("--title", help="The document's title (default: its first line).")
@click.option("--date", help="The document's date, ISO (1967-05-01); also the year for dates written without one.")
@click.option("--author", help="The author or sender.")
@click.option("--addressee", help="The addressee of a letter or telegram.")
@click.option("--source", help="Where the transcription comes from (a citation).")
@click.option("--type", "text_type", help="The kind of document: letter, telegram, report, essay ...")
@click.option("--language", default="en", show_default=True, help="The text's language (ISO 639 code).")
@click.option("--id", "document_id", help="The document's id (default: from the output file's name).")
@click.option("--force", is_flag=True, help="Overwrite the output file if it exists.")
@click.pass_context
def import_text_command(ctx: click.Context, file: Path, out: Path, title: str | None, date: str | None, author: str | None, addressee: str | None, source: str | None,
                        text_type: str | None, language: str, document_id: str | None, force: bool) -> None:
    """Turn a plain-text transcription into a TEI skeleton with dates, register names and citations tagged.

    Example:

        teipress import text telegram.txt -o tei/telegram-1967-05-01-pyongyang.xml --title "Telegram ..." --date 1967-05-01 --type telegram
    """
    from .importer import import_text

    result = import_text(file, out, title=title, date=date, author=author, addressee=addressee, source=source, text_type=text_type, language=language,
                         document_id=document_id, config=edition_config(ctx), force=force)
    _print_import(result)
    tags = ", ".join(f"{count} {name}" for name, count in sorted(result.tagged.items()))
    stderr.print(f"tagged: {tags or 'nothing'}; review the result before publishing it")
    ctx.exit(0 if result.ok else 1)


@cli.command("init")
@click.argument("folder", required=False, default=".", type=click.Path(path_type=Path))
@click.option("--title", help="The edition's title, written into tei/edition.xml. Default: the folder's name.")
@click.option("--language", type=click.Choice(["de", "en", "fr", "it"]), default="en", show_default=True, help="The language of the edition and its interface.")
@click.option("--force", is_flag=True, help="Write into a folder that is not empty (files of the same names are replaced).")
def init_command(folder: Path, title: str | None, language: str, force: bool) -> None:
    """Start a new edition in FOLDER (default: the current folder), which must be new or empty.

    It holds an example letter, registers, edition.xml, teipress.toml, the schema, an oXygen
    project and VS Code settings, and validates and builds at once.

    Example:

        teipress init my-edition --title "Letters of Anna Example" --language de
    """
    from .problems import display_path
    from .scaffold import init_edition

    result = init_edition(folder, title=title, language=language, force=force)
    shown = display_path(result.root)
    stdout.print(f"[green]Started[/] the edition {_escape(shown)} ({len(result.written)} files). Next: "
                 f"{'' if shown == '.' else f'cd {_escape(shown)} && '}teipress build && teipress serve --open")


@cli.command("new")
@click.argument("kind", type=click.Choice(["letter", "document", "essay"]))
@click.option("--id", "document_id", required=True, help="The document's xml:id and file name (e.g. letter-1890-05-01-exampletown).")
@click.option("--date", help="Its date, ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD (a letter needs one).")
@click.option("--from", "sender", help="The sender or author: a register entry's name or id.")
@click.option("--to", "addressee", help="The addressee of a letter: a register entry's name or id.")
@click.option("--title", help="The title. Default for a letter: \"Letter from SENDER to ADDRESSEE, DATE\".")
@click.option("--force", is_flag=True, help="Replace a document with this id.")
@click.pass_context
def new_command(ctx: click.Context, kind: str, document_id: str, date: str | None, sender: str | None, addressee: str | None, title: str | None, force: bool) -> None:
    """Write a new letter, document or essay into the source folder and validate it.

    Sender and addressee are looked up in the registers; a name they do not hold is reported.

    Example:

        teipress new letter --id letter-1890-05-01 --date 1890-05-01 --from "Anna Example" --to "Ben Sample"
    """
    from .problems import display_path
    from .scaffold import new_document

    result = new_document(edition_config(ctx), kind, document_id=document_id, date=date, sender=sender, addressee=addressee, title=title, force=force)
    print_problems(result.problems)
    for note in result.notes:
        stderr.print(f"[yellow]note:[/] {_escape(note)}")
    stdout.print(f"wrote {_escape(display_path(result.path))}")
    ctx.exit(0 if result.ok else 1)


@cli.command()
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="How to print the findings.")
@click.pass_context
def entities(ctx: click.Context, output_format: str) -> None:
    """List register names the texts use but do not tag yet, and register entries no document mentions.

    Example:

        teipress entities --format json
    """
    from dataclasses import asdict

    from .entities import find_untagged

    report = find_untagged(edition_config(ctx))
    if output_format == "json":
        click.echo(json.dumps({"untagged": {d: [asdict(i) for i in items] for d, items in report.untagged.items()},
                               "unmentioned": [asdict(e) for e in report.unmentioned],
                               "problems": [p.as_dict() for p in report.problems]}, ensure_ascii=False, indent=2))
        ctx.exit(0 if report.ok else 1)
    print_problems(report.problems)
    for document, items in report.untagged.items():
        stdout.print(f"[bold]{_escape(document)}[/]: {len(items)} untagged name(s)")
        for item in items:
            stdout.print(f"  {_escape(str(item))}")
    if report.unmentioned:
        stdout.print(f"[bold]register entries no document mentions[/]: {len(report.unmentioned)}")
        for entry in report.unmentioned:
            stdout.print(f"  {_escape(entry.file)}:{entry.line}: {entry.kind} #{_escape(entry.entity)} ({_escape(entry.name)})")
    stderr.print(f"{report.documents} document(s): {report.untagged_count} untagged name(s), {len(report.unmentioned)} unmentioned entr{'y' if len(report.unmentioned) == 1 else 'ies'}")
    if not report.ok:
        stderr.print(f"{len(report.problems)} file(s) could not be read and were left out (see the errors above).")
    ctx.exit(0 if report.ok else 1)


@cli.command()
@click.argument("source", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False, path_type=Path), help="Folder to build into (OUT/html/, OUT/pdf/). Default: output/.")
@click.option("--html", "html_only", is_flag=True, help="Build only the HTML site.")
@click.option("--pdf", "pdf_only", is_flag=True, help="Build only the PDFs.")
@click.option("--no-validate", is_flag=True, help="Skip validation (for files from other projects that do not follow our schema).")
@click.option("-j", "--jobs", type=click.IntRange(min=1), help="Documents transformed in parallel. Default: the number of cores (`jobs` in teipress.toml).")
@click.option("--base-url", help="The edition's public address, for permalinks and citations (overrides base_url in teipress.toml).")
@click.option("-q", "--quiet", is_flag=True, help="No progress bar.")
@click.option("--force", is_flag=True, help="Build into OUT/html/ or OUT/pdf/ although teipress did not make them (it then replaces and removes files there).")
@click.pass_context
def build(ctx: click.Context, source: Path | None, out: Path | None, html_only: bool, pdf_only: bool, no_validate: bool, jobs: int | None, base_url: str | None, quiet: bool,
          force: bool) -> None:
    """Validate the edition and write the HTML site and the PDFs.

    SOURCE is a folder of TEI files (default: the edition's tei/); any TEI renders, and
    registers embedded in other projects' files (standOff, listPerson ...) serve as registers.
    Only documents that changed since the last build are transformed again.

    Example:

        teipress build ../elsewhere -o /tmp/out --no-validate
    """
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from .build import EditionInvalid, build_edition
    from .problems import display_path

    if html_only and pdf_only:
        raise click.UsageError("--html and --pdf exclude each other; give neither to build both")
    formats = {"html"} if html_only else {"pdf"} if pdf_only else {"html", "pdf"}
    config = edition_config(ctx, source=source.resolve() if source else None, output=out.resolve() if out else None, base_url=base_url)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=stderr, transient=True, disable=quiet or not stderr.is_terminal) as bar:
        tasks: dict[str, object] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=max(total, 1))
            bar.update(tasks[stage], completed=done, total=max(total, 1))  # type: ignore[arg-type]

        try:
            result = build_edition(config, formats=formats, validate=not no_validate, jobs=jobs, progress=progress, force=force)
        except EditionInvalid as error:
            bar.stop()
            print_problems(error.problems)
            raise
    print_problems(result.problems)
    parts = []
    if result.html_dir is not None:
        unchanged = f", {len(result.documents_reused)} unchanged" if result.documents_reused else ""
        parts.append(f"{len(result.documents)} document page(s) ({len(result.documents_rendered)} transformed{unchanged}) and the registers, chronology and search index in {_escape(display_path(result.html_dir))}")
    if result.pdf_dir is not None:
        typeset = len(result.pdfs_typeset) + result.book_typeset
        unchanged = f", {len(result.pdf_files) - typeset} unchanged" if typeset < len(result.pdf_files) else ""
        parts.append(f"{len(result.pdf_files)} PDF(s) in {_escape(display_path(result.pdf_dir))} ({typeset} typeset{unchanged})")
    if result.left_out:
        stdout.print(f"[yellow]Built[/] {' and '.join(parts)} in {result.seconds:.1f} s; [bold red]{len(result.left_out)} file(s) could not be read and were left out[/] (see the errors above).")
        ctx.exit(1)
    stdout.print(f"[green]Built[/] {' and '.join(parts)} in {result.seconds:.1f} s.")


@cli.command("guide")
@click.option("-o", "--output", "out", type=click.Path(dir_okay=False, path_type=Path), help="Write the guide to this file instead of printing it.")
@click.option("--force", is_flag=True, help="Replace the file when it exists.")
def guide_command(out: Path | None, force: bool) -> None:
    """Write the encoding guide (every element: meaning, example, HTML, PDF) from the schema, as Markdown.

    The same guide is the site's guide.html. Prints it unless -o names a file.

    Example:

        teipress guide -o docs/GUIDE.md --force
    """
    from .guide import guide_markdown, read_guide, write_guide

    if out is None:
        click.echo(guide_markdown(read_guide()), nl=False)
        return
    write_guide(out, force=force)
    stderr.print(f"Wrote the encoding guide to {_escape(str(out))}")


@cli.command()
@click.argument("site", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-p", "--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="Port on 127.0.0.1 (0: any free port).")
@click.option("--open", "open_browser", is_flag=True, help="Open the site in the default browser.")
@click.option("--watch", is_flag=True, help="Build the site, rebuild it whenever a source file changes, reload the open pages and show the problems on them.")
@click.option("-j", "--jobs", type=click.IntRange(1), help="Parallel workers for the rebuilds (default: jobs in teipress.toml).")
@click.option("--api", is_flag=True, help="Answer the full DTS 1.0 API (ranges, a single unit's navigation, any depth, pagination) at /api/dts/.")
@click.pass_context
def serve(ctx: click.Context, site: Path | None, port: int, open_browser: bool, watch: bool, jobs: int | None, api: bool) -> None:
    """Preview the built site on http://127.0.0.1 (search works only over http).

    SITE is the folder to serve (default: output/html). With --watch, the edition's site is
    rebuilt on every save (only what changed), open pages reload themselves, and validation
    problems are printed here and shown on the page. With --api, the DTS API answers live
    at /api/dts/ (the site holds its static files anyway). Stop with Ctrl+C.

    Example:

        teipress serve --watch --open
        teipress serve --api
    """
    from .problems import display_path
    from .serve import make_server

    if watch and site is not None:
        raise click.UsageError("--watch serves the edition's own site (output/html); give no SITE with it")
    watcher = None
    if watch:
        from .watch import EditionWatcher

        watcher = EditionWatcher(edition_config(ctx), on_rebuild=_report_rebuild, jobs=jobs)
        stdout.print("Building the site, then watching the sources for changes ...")
        watcher.build()
    folder = site or edition_config(ctx).html_dir
    server = make_server(folder, port, watcher=watcher, api=api)
    url = f"http://{server.server_address[0]}:{server.server_address[1]}/"
    stdout.print(f"Serving {_escape(display_path(folder))} at [bold]{url}[/] (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    if watcher is not None:
        watcher.start()
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        stdout.print("Stopped.")
    finally:
        if watcher is not None:
            watcher.stop()
        server.server_close()


def _report_rebuild(rebuild: Rebuild) -> None:
    """What one rebuild of `serve --watch` changed and found, in the terminal."""
    from .problems import display_path

    status = rebuild.status
    changed = ", ".join(display_path(path) for path in rebuild.changed[:3]) + (" ..." if len(rebuild.changed) > 3 else "")
    print_problems(status.problems)
    if status.error:
        stderr.print(f"[bold red]error:[/] {_escape(status.error)}")
    if rebuild.built:
        stdout.print(f"[green]Rebuilt[/] {len(rebuild.rendered)} document page(s) in {rebuild.seconds:.1f} s" + (f" after a change to {_escape(changed)}" if changed else "") + f" (version {status.version}).")
    else:
        errors = sum(1 for p in status.problems if p.is_error) or 1
        stdout.print(f"[red]Not rebuilt[/]: {errors} error(s)" + (f" after a change to {_escape(changed)}" if changed else "") + "; the site stays as it was. Fix them and save again.")


def main() -> None:
    """Entry point of the `teipress` console script."""
    cli(prog_name="teipress")

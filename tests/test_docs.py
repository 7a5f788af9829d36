"""Every command is documented: help text with an example, and a section in the README."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from teipress.cli import cli

from conftest import REPO


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], click.Command]]:
    found = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        if isinstance(command, click.Group):
            found.extend(_commands(command, path))
        else:
            found.append((path, command))
    return found


COMMANDS = _commands(cli)


def test_the_cli_has_the_documented_commands() -> None:
    names = {" ".join(path) for path, _ in COMMANDS}
    assert {"validate", "build", "serve", "export", "import tei", "import text", "entities"} <= names


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_has_help_with_an_example(path: tuple[str, ...], command: click.Command) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert command.help and command.help.strip().splitlines()[0].strip()
    assert "Example:" in result.output


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_command_is_in_the_readme(path: tuple[str, ...], command: click.Command) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert f"teipress {' '.join(path)}" in readme


def test_readme_quick_start_is_what_ci_runs() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    install, tests = 'pip install -e ".[test]" && teipress build', "python -m pytest"
    quick_start = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert install in quick_start and tests in quick_start
    assert install in ci and tests in ci


def test_no_file_of_the_project_holds_a_merge_conflict_marker() -> None:
    """A merge left unresolved in the README once: every text file git knows is checked for the markers."""
    import re
    import subprocess

    tracked = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    marker = re.compile(r"^(<{7}|>{7}|={7})( |$)", re.MULTILINE)
    found = []
    for name in tracked:
        path = REPO / name
        if path.suffix in {".md", ".py", ".xsl", ".xml", ".rng", ".typ", ".js", ".css", ".toml", ".txt"} and path.is_file():
            found += [f"{name}:{text[:match.start()].count(chr(10)) + 1}" for text in [path.read_text(encoding="utf-8", errors="replace")] for match in marker.finditer(text)]
    assert found == []

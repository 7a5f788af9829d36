"""The wheel carries the schema and the stylesheets, so teipress installed elsewhere builds any edition."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hatchling.builders.wheel import WheelBuilder

from conftest import FIXTURES, REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    return Path(next(iter(WheelBuilder(str(REPO)).build(directory=str(folder), versions=["standard"]))))


def test_wheel_ships_schema_stylesheets_and_assets(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {str(path.relative_to(REPO)) for folder in ("schema", "xslt") for path in (REPO / folder).rglob("*") if path.is_file()}
    assert shipped
    assert {f"teipress/{name}" for name in shipped} <= names
    template = REPO / "src" / "teipress" / "template"
    templates = {f"teipress/{path.relative_to(template.parent).as_posix()}" for path in template.rglob("*") if path.is_file()}
    assert {"teipress/template/edition/dot-gitignore", "teipress/template/edition/dot-vscode/settings.json", "teipress/template/documents/document.xml"} <= templates
    assert templates <= names


def test_installed_wheel_builds_an_edition_from_another_folder(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(target)
    source = FIXTURES / "site" / "edition"
    out = tmp_path / "out"
    script = "import sys; from teipress.cli import main; sys.argv[0] = 'teipress'; main()"
    completed = subprocess.run(
        [sys.executable, "-c", script, "build", str(source), "-o", str(out), "--html", "--no-validate"],
        cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    pages = sorted(path.stem for path in (out / "html" / "documents").glob("*.html"))
    assert pages and all(f'documents/{page}.html' in index for page in pages)
    imported = subprocess.run([sys.executable, "-c", "import teipress.resources as r; print(r.XSLT_DIR)"],
                              env={"PYTHONPATH": str(target)}, capture_output=True, text=True, check=True)
    assert imported.stdout.strip().startswith(str(target))
    started = subprocess.run([sys.executable, "-c", script, "init", "started", "--title", "Started from the wheel"],
                             cwd=tmp_path, env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=300)
    assert started.returncode == 0, started.stderr
    assert "Started from the wheel" in (tmp_path / "started" / "tei" / "edition.xml").read_text(encoding="utf-8")
    assert (tmp_path / "started" / "schema" / "teipress.rng").read_bytes() == (REPO / "schema" / "teipress.rng").read_bytes()

"""The one saxonche wrapper: each stylesheet compiled once per process, parameters passed typed.

SaxonC allows one `PySaxonProcessor` per process, so parallel builds run worker processes,
each with its own `Stylesheets`.
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree
from saxonche import PySaxonApiError, PySaxonProcessor, PyXdmNode, PyXsltExecutable

from .errors import TransformError
from .resources import XSLT_DIR

_processor: PySaxonProcessor | None = None
_processor_lock = threading.Lock()
# What Saxon's error says of a transformation an xsl:message terminate="yes" stopped.
STOPPED_BY_MESSAGE = "terminated by xsl:message"


def processor() -> PySaxonProcessor:
    """This process's only Saxon processor."""
    global _processor
    with _processor_lock:
        if _processor is None:
            _processor = PySaxonProcessor(license=False)
        return _processor


ParameterValue = str | int | bool | float | PyXdmNode | list[str] | None


@dataclass
class Stylesheets:
    """Compiled stylesheets by path relative to `xslt/` (e.g. `html/document.xsl`)."""

    directory: Path = XSLT_DIR
    _compiled: dict[Path, PyXsltExecutable] = field(default_factory=dict)
    _catalogues: dict[str, PyXdmNode | None] = field(default_factory=dict)

    def executable(self, name: str | Path) -> PyXsltExecutable:
        path = Path(name) if Path(name).is_absolute() else (self.directory / name)
        compiled = self._compiled.get(path)
        if compiled is None:
            compiler = processor().new_xslt30_processor()
            # An edition's own stylesheets (teipress.toml `xslt`) import teipress's through this static
            # parameter, wherever teipress is installed: <xsl:import _href="{$teipress}html/document.xsl"/>.
            compiler.set_parameter("teipress", processor().make_string_value(XSLT_DIR.as_uri() + "/"))
            try:
                compiled = compiler.compile_stylesheet(stylesheet_file=str(path))
            except PySaxonApiError as error:
                raise TransformError(f"cannot compile the stylesheet {path}: {error}") from error
            if compiled is None:
                raise TransformError(f"cannot compile the stylesheet {path}: {compiler.error_message}")
            # Kept rather than printed by Saxon: the message of an xsl:message that stops the transformation
            # (layout.xsl's tp:asset) says why, which Saxon's error leaves out (transform).
            compiled.set_save_xsl_message(True)
            self._compiled[path] = compiled
        return compiled

    def message_catalogue(self, language: str) -> PyXdmNode | None:
        """The interface language's messages (common/language.xsl), parsed once per process; None for an unknown language."""
        if language not in self._catalogues:
            path = XSLT_DIR / "common" / "messages" / f"{language}.xml"
            self._catalogues[language] = to_xdm(path.read_bytes()) if language.isalpha() and path.is_file() else None
        return self._catalogues[language]

    def transform(self, name: str | Path, source: PyXdmNode | etree._Element | etree._ElementTree, **parameters: ParameterValue) -> str:
        """Apply the stylesheet to `source` and return the serialized result."""
        executable = self.executable(name)
        node = source if isinstance(source, PyXdmNode) else to_xdm(source)
        executable.clear_parameters()
        catalogue = self.message_catalogue(str(parameters.get("language") or "en"))
        if catalogue is not None:
            executable.set_parameter("message-catalogue", catalogue)
        for key, value in parameters.items():
            if value is not None:
                executable.set_parameter(key.replace("_", "-"), typed_value(value))
        executable.clear_xsl_messages()
        try:
            result = executable.transform_to_string(xdm_node=node)
        except PySaxonApiError as error:
            messages = _xsl_messages(executable)
            stopped = bool(messages) and STOPPED_BY_MESSAGE in str(error)
            _print_messages(messages[:-1] if stopped else messages)
            raise TransformError(f"{name}: {messages[-1] if stopped else error}") from error
        _print_messages(_xsl_messages(executable))
        if result is None:
            raise TransformError(f"{name}: the transformation produced nothing: {executable.error_message}")
        return result


def _xsl_messages(executable: PyXsltExecutable) -> list[str]:
    """The text of each xsl:message of the last transformation, in order."""
    saved = executable.get_xsl_messages()
    return [] if saved is None else [saved.item_at(index).string_value for index in range(saved.size)]


def _print_messages(messages: list[str]) -> None:
    """Print the messages a stylesheet writes along the way (an edition's own, while its editors work on it), as Saxon would."""
    for message in messages:
        print(message, file=sys.stderr)


def to_xdm(source: etree._Element | etree._ElementTree | bytes | str) -> PyXdmNode:
    """Hand an lxml tree (already parsed safely) to Saxon, without its DOCTYPE."""
    if isinstance(source, (bytes, str)):
        text = source.decode("utf-8") if isinstance(source, bytes) else source
    else:
        root = source.getroot() if isinstance(source, etree._ElementTree) else source
        text = etree.tostring(root, encoding="unicode")
    try:
        return processor().parse_xml(xml_text=text)
    except PySaxonApiError as error:
        raise TransformError(f"Saxon could not read the document: {error}") from error


def typed_value(value: Any):  # type: ignore[no-untyped-def]
    """A Python value as the XDM value a stylesheet parameter declares."""
    saxon = processor()
    if isinstance(value, PyXdmNode):
        return value
    if isinstance(value, bool):
        return saxon.make_boolean_value(value)
    if isinstance(value, int):
        return saxon.make_integer_value(value)
    if isinstance(value, float):
        return saxon.make_double_value(value)
    if isinstance(value, list):
        return saxon.make_array([saxon.make_string_value(str(item)) for item in value])
    return saxon.make_string_value(str(value))

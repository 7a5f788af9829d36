"""The JSON a build keeps, publishes and hashes (jsonfiles.py), and the cycle collector's state a build leaves."""

from __future__ import annotations

import gc
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from teipress import jsonfiles
from teipress.build import build_edition
from teipress.config import load_config
from teipress.errors import OutputError

from test_build import copy_fixture

# What the builds' records hold: text (any character a source may carry), whole numbers, truth values, nothing,
# lists and objects of them.
VALUES = st.recursive(st.none() | st.booleans() | st.integers(min_value=-2**63, max_value=2**63 - 1) | st.text(),
                      lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4), max_leaves=20)


@given(VALUES)
def test_what_is_written_reads_back_as_the_standard_library_reads_it(value: object) -> None:
    written = jsonfiles.dumps(value)
    assert jsonfiles.loads(written) == value
    assert json.loads(written.decode("utf-8")) == value
    assert jsonfiles.loads(written.decode("utf-8")) == value


@given(st.dictionaries(st.text(), st.text(), max_size=6))
def test_a_key_hashes_the_same_whatever_order_its_object_was_made_in(value: dict[str, str]) -> None:
    reversed_order = dict(reversed(list(value.items())))
    assert jsonfiles.dumps(value, sort_keys=True) == jsonfiles.dumps(reversed_order, sort_keys=True)
    assert jsonfiles.dumps(value, sort_keys=True) == json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def test_compact_utf8_as_the_static_api_publishes_it() -> None:
    assert jsonfiles.dumps({"title": "Brief an Escher – Zürich", "n": [1, None, True]}) == \
        '{"title":"Brief an Escher – Zürich","n":[1,null,true]}'.encode()


def test_what_is_no_json_is_a_value_error() -> None:
    for text in (b"", b"{", b'{"a":1}x', b"\xff"):
        with pytest.raises(ValueError):
            jsonfiles.loads(text)


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_leaves_the_cycle_collector_as_it_found_it(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        jsonfiles.loads(b'{"a": [1, 2, {"b": "c"}]}')
        assert gc.isenabled() is enabled
        with pytest.raises(ValueError):
            jsonfiles.loads(b"{")
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()


def test_reads_in_several_threads_leave_the_collector_on_only_once_the_last_has_ended() -> None:
    """JSON is read in several threads at once (`serve --watch --api` answers the DTS API while a build runs): the
    collector stays off while either reads, and is on again when both have ended, whichever ends first."""
    import threading

    from teipress.jsonfiles import _collector_paused

    assert gc.isenabled()
    entered, leave = threading.Event(), threading.Event()

    def other_read() -> None:
        with _collector_paused():
            entered.set()
            leave.wait(10)

    other = threading.Thread(target=other_read)
    other.start()
    assert entered.wait(10)
    with _collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()  # the other thread still reads
    leave.set()
    other.join(10)
    assert gc.isenabled()
    # Many reads at once, each thread's ending at its own time.
    threads = [threading.Thread(target=lambda: [jsonfiles.loads(b'{"a": [1, {"b": "c"}]}') for _ in range(2000)]) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert gc.isenabled()


def test_a_build_leaves_nothing_settled_whether_it_succeeds_or_fails(tmp_path: Path) -> None:
    """A build settles what it holds (workers.settle, gc.freeze) only while it runs: a program that builds again and
    again (`teipress serve --watch`, the tests) would otherwise keep every build's cycles for ever."""
    source = copy_fixture(tmp_path)
    config = load_config(tmp_path, source=source, output=tmp_path / "output")
    assert gc.get_freeze_count() == 0
    build_edition(config, formats={"html"}, validate=False)
    assert gc.get_freeze_count() == 0
    (tmp_path / "output" / "html").rename(tmp_path / "elsewhere")
    (tmp_path / "output" / "html").write_text("a file where the site goes", encoding="utf-8")
    with pytest.raises(OutputError):
        build_edition(config, formats={"html"}, validate=False)
    assert gc.get_freeze_count() == 0

"""The print indexes' size, and their division into index volumes when they are too large for a volume of letters.

The indexes of persons, places and organisations print every page of the book on which an entry is mentioned.
Typst holds about 2 MB per index page in one compilation, so the indexes of a large edition cannot share a
compilation with anything: at 20,000 letters they ran to 1,500 pages and 6.5 GB. Such a book gets index volumes
after its letters, as publishers bind a separate index volume: each prints a contiguous part of the indexes in
their order (persons A–K, persons L–Z and places ...), within the memory a volume of letters may take. The entries'
order is the stylesheets' (xslt/pdf/indexes.xsl tp:index-order); teipress only cuts it where a volume is full.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

# What an index adds to a compilation: per entry printed and per locator (a document that mentions it, pdf.py `_counted`).
# Fitted to index volumes at A4 (5 December 2026), cut within 600 MB from the index marks' pages of the 150 volumes of
# 20,000 synthetic letters: ten volumes of 126-187 pages (the last 56) held 471-557 MB (the last 218), estimated 632-640
# (218); 1,500-1,850 person entries or 600-900 place entries with 63,000-71,000 locators each.
TYPST_MB_PER_INDEX_ENTRY = 0.05
TYPST_MB_PER_INDEX_LOCATOR = 0.008

# A mark before a mention (xslt/pdf/text.xsl, lib.typ tp-mark): its kind and key as Typst strings, which JSON reads.
INDEX_MARK = re.compile(r'#tp-mark\(("(?:[^"\\]|\\.)*"), ("(?:[^"\\]|\\.)*")')


def marks_of(chapter: str) -> set[tuple[str, str]]:
    """The (kind, key) of each entry a chapter's markup marks, once each."""
    return {(json.loads(kind), json.loads(key)) for kind, key in INDEX_MARK.findall(chapter)}


@dataclass(frozen=True)
class IndexLoad:
    """What drives an index's memory: the entries it prints and their locators."""

    entries: int = 0
    locators: int = 0

    def __add__(self, other: IndexLoad) -> IndexLoad:
        return IndexLoad(self.entries + other.entries, self.locators + other.locators)

    @property
    def memory_mb(self) -> float:
        return TYPST_MB_PER_INDEX_ENTRY * self.entries + TYPST_MB_PER_INDEX_LOCATOR * self.locators


def indexes_load(counted: Counter[tuple[str, str]]) -> IndexLoad:
    """The estimated load of the whole edition's indexes, from how many documents mention each entry (pdf.py `_counted`):
    each key marked an entry, each document mentioning it a locator."""
    return IndexLoad(len(counted), sum(counted.values()))


@dataclass
class IndexOrder:
    """The entries of each index in print order, each [key, parent, labels] (parent "" at the top), as the stylesheets
    sorted them; and how a mark's key (an entry's id, or a label a mention names it by) finds its entry."""

    kinds: list[str]
    entries: dict[str, list[tuple[str, str, list[str]]]]
    _entry_of: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        for kind, entries in self.entries.items():
            # As lib.typ tp-indexes reads a mark: its key when that is an entry's, else the label's entry (the last of a label).
            by_label = {label: (key, parent or key) for key, parent, labels in entries for label in labels}
            self._entry_of[kind] = {**by_label, **{key: (key, parent or key) for key, parent, _ in entries}}

    @classmethod
    def from_json(cls, text: str) -> IndexOrder:
        data = json.loads(text)
        return cls([str(index["kind"]) for index in data],
                    {str(index["kind"]): [(str(key), str(parent), [str(label) for label in labels]) for key, parent, labels in index["entries"]]
                     for index in data})

    def entry_of(self, kind: str, key: str) -> tuple[str, str] | None:
        """The (entry, top-level entry) a mark of `kind` and `key` counts for, or None when the registers do not hold it."""
        return self._entry_of.get(kind, {}).get(key)


@dataclass(frozen=True)
class IndexPart:
    """What one index volume prints: the indexes of `kinds`, in order; of them the top-level entries `keys` (with their
    sub-entries) and, for the kinds of `rest`, the entries the registers do not hold (a document's own list), which
    follow an index's last entry; `divided`, the kinds it holds a part of; its estimated load."""

    kinds: tuple[str, ...]
    keys: tuple[str, ...]
    rest: tuple[str, ...]
    divided: tuple[str, ...]
    load: IndexLoad


def plan_index_parts(order: IndexOrder, counted: Counter[tuple[str, str]], room_mb: float) -> list[IndexPart]:
    """The indexes cut into parts in print order, each within `room_mb` (a part holds at least one top-level entry
    with its sub-entries); entries no document mentions are not printed and weigh nothing."""
    per_entry: Counter[tuple[str, str]] = Counter()
    unknown: dict[str, IndexLoad] = {}
    for (kind, key), documents in counted.items():
        found = order.entry_of(kind, key)
        if found is None:
            unknown[kind] = unknown.get(kind, IndexLoad()) + IndexLoad(1, documents)
        else:
            per_entry[(kind, found[0])] += documents
    # (kind, top-level key or "" for the kind's rest, load) in print order.
    groups: list[tuple[str, str, IndexLoad]] = []
    for kind in order.kinds:
        loads: dict[str, IndexLoad] = {}
        for key, parent, _ in order.entries[kind]:
            top = parent or key
            if per_entry[(kind, key)]:
                loads[top] = loads.get(top, IndexLoad()) + IndexLoad(1, per_entry[(kind, key)])
                if parent and loads[top].entries == 1 and not per_entry[(kind, parent)]:
                    loads[top] += IndexLoad(1, 0)  # a parent is printed for its sub-entries
        groups.extend((kind, top, load) for top, load in loads.items())
        if kind in unknown:
            groups.append((kind, "", unknown[kind]))
    cut: list[list[tuple[str, str, IndexLoad]]] = []
    load = IndexLoad()
    for group in groups:
        if cut and (load + group[2]).memory_mb <= room_mb:
            cut[-1].append(group)
            load += group[2]
        else:
            cut.append([group])
            load = group[2]
    kinds_of = [tuple(dict.fromkeys(kind for kind, _, _ in part)) for part in cut]
    parts_with = Counter(kind for kinds in kinds_of for kind in kinds)
    return [IndexPart(kinds=kinds, keys=tuple(top for _, top, _ in part if top), rest=tuple(kind for kind, top, _ in part if not top),
                      divided=tuple(kind for kind in kinds if parts_with[kind] > 1), load=sum((group[2] for group in part), IndexLoad()))
            for kinds, part in zip(kinds_of, cut)]


def shares_of(parts: list[IndexPart], order: IndexOrder, marks: dict[str, Any]) -> list[dict[str, Any] | None]:
    """Of one volume's index marks' pages (`marks`: its pages [[key, page], ...] and names {key: [kind, sort, name]},
    lib.typ tp-index-pages), each part's: those of the entries it prints (its top-level entries with their
    sub-entries, a mention by a label too, and for the kinds of its `rest` the entries no register holds), with
    what the marks say of them; None for a part that prints none of them."""
    part_of = {top: number for number, part in enumerate(parts) for top in part.keys}
    rest_of = {kind: number for number, part in enumerate(parts) for kind in part.rest}
    names = marks.get("names", {})
    pages: list[list[Any]] = [[] for _ in parts]
    for key, page in marks.get("pages", []):
        kind = names.get(key, [""])[0]
        found = order.entry_of(kind, key)
        number = part_of.get(found[1]) if found is not None else rest_of.get(kind)
        if number is not None:
            pages[number].append([key, page])
    return [{"pages": share, "names": {key: names[key] for key in dict.fromkeys(key for key, _ in share) if key in names}} if share else None
            for share in pages]

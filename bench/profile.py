"""Time the per-document stylesheets (facts and page) on each document of an edition, in this one process.

Prints CPU seconds per MB of TEI for each phase of a document (facts, page: each reading the source
itself, as a build's worker does) and the slowest documents, so that a change to the XSLT can be
measured without a whole build. The outputs go to a temporary folder. The slowest documents per KB
of their source are named too: a stylesheet whose time grows faster than a document shows there
first, on a real corpus's largest files (a root whose teipress.toml names the corpus as source).

`--parts` then times the page again with each of its parts left out in turn (a stylesheet importing
html/document.xsl and overriding one rule or named template, as an edition's own would) and prints what each part
costs a document: the whole page's time less the time without it.

Example:

    python bench/profile.py /tmp/edition-1000 --top 10
    python bench/profile.py /tmp/escher-root --json escher-times.json
    python bench/profile.py /tmp/escher-root --limit 300 --parts
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
import time
from pathlib import Path


def _named(name: str, *parameters: str) -> str:
    """A named template that writes nothing, taking the parameters the page passes it."""
    return f'<xsl:template name="{name}">' + "".join(f'<xsl:param name="{p}"/>' for p in parameters) + "</xsl:template>"


# The parts of a document page (html/document.xsl, layout.xsl, text.xsl), each as the override that leaves it out.
PARTS = {
    "reading text": '<xsl:template match="/*" mode="tp:html" priority="100"/>',
    "its element attributes": '<xsl:template name="tp:attributes"><xsl:param name="classes"/><xsl:param name="with-id"/>'
                              '<xsl:param name="passage"/><xsl:attribute name="class" select="\'tei-\' || local-name()"/></xsl:template>',
    "its text nodes' spaces": '<xsl:template match="text()" mode="tp:html"><xsl:value-of select="."/></xsl:template>',
    "notes": '<xsl:template match="/*" mode="tp:html-notes" priority="100"/>',
    "the document's own register": '<xsl:template match="/*" mode="tp:html-document-register" priority="100"/>',
    "header": _named("tp:document-header", "root", "title"),
    "metadata panel": _named("tp:metadata-panel", "root", "id"),
    "reading toolbar": _named("tp:reading-toolbar", "root"),
    "cited documents": _named("tp:cited-documents", "root"),
    "citation": _named("tp:citation", "root", "id", "title"),
    "citation meta tags": _named("tp:citation-meta", "root", "id", "title"),
    "search filters": _named("tp:search-filters", "root"),
    "pager": _named("tp:pager"),
    "site navigation": _named("tp:navigation", "current"),
    "footer": _named("tp:page-footer"),
    "all but reading the letter": '<xsl:template match="/"><html/></xsl:template>',
}

# Rounds over the page and each part left out: Saxon's heap and the machine's load make one pass over the pages vary by
# a tenth, more than most parts cost; each is taken at its fastest.
PART_ROUNDS = 3


def _without(part: str, document_stylesheet: str, folder: Path) -> Path:
    """The page stylesheet with `part` left out, written into `folder`."""
    path = folder / f"without-{len(list(folder.glob('without-*')))}.xsl"
    path.write_text(
        '<xsl:stylesheet version="3.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:tp="https://teipress.org/ns/xslt">'
        f'<xsl:import href="{Path(document_stylesheet).as_uri()}"/>{PARTS[part]}</xsl:stylesheet>', encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="edition root (with teipress.toml)")
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest documents to name (default: 8)")
    parser.add_argument("--limit", type=int, default=0, help="profile only the first N documents (default: all)")
    parser.add_argument("--json", type=Path, help="also write each document's size and CPU seconds per phase to this JSON file")
    parser.add_argument("--each", action="store_true", help="print each document's times as it is done (a long run on a busy machine shows where it is)")
    parser.add_argument("--parts", action="store_true", help="then time the page with each of its parts left out in turn: what each part costs")
    args = parser.parse_args(argv)

    from lxml import etree

    from teipress import html
    from teipress.config import load_config
    from teipress.edition import RegisterIndex, edition_titles, load_edition, merged_registers

    config = load_config(args.root)
    edition = load_edition(config.source, hold_trees=False)
    edition_xml = etree.tostring(edition.edition_file.tree, encoding="utf-8") if edition.edition_file else b""
    html._init_worker(html._WorkerSetup(edition_xml, str(html._stylesheet(config, "html/document.xsl")), RegisterIndex(merged_registers(edition)), ""))
    timings: dict[str, list[tuple[float, str]]] = {"facts": [], "page": []}
    sizes: dict[str, int] = {}
    pages: list[tuple[str, tuple[str, str], dict[str, str]]] = []
    rounds: dict[str, list[float]] = {}  # CPU seconds of all pages with the part left out, each round's
    shown: dict[str, bool] = {}  # whether leaving the part out changed any page
    with tempfile.TemporaryDirectory(prefix="tp-profile-") as staging:
        documents = html._documents(edition, html.SiteResult(), Path(staging))[: args.limit or None]
        megabytes = sum(d.source.path.stat().st_size for d in documents) / 1e6
        for document in documents:
            sizes[document.id] = document.source.path.stat().st_size
            where = (str(document.source.path), str(document.source.xinclude_root or ""))
            started = time.process_time()
            document.record = html._facts_task(document.id, *where, "", staging, str(edition.source))
            timings["facts"].append((time.process_time() - started, document.id))
            params = {"document_id": document.id, "document_title": document.summary("title") or document.id,
                      "document_date": document.summary("date"), "document_type": document.summary("type"), **html._site_params(config, edition_titles(edition, config.title, config.subtitle))}
            started = time.process_time()
            html._page_task(document.id, *where, params, str(Path(staging) / f"{document.id}.html"))
            timings["page"].append((time.process_time() - started, document.id))
            pages.append((document.id, where, params))
            if args.each:
                print(f"{document.id}\t{sizes[document.id]}\t{timings['facts'][-1][0]:.3f}\t{timings['page'][-1][0]:.3f}", flush=True)
        if args.parts:
            setup = html._worker_state["setup"]
            stylesheets = {part: str(_without(part, setup.document_stylesheet, Path(staging))) if part else setup.document_stylesheet
                           for part in ["", *PARTS]}  # "": the whole page again, timed as the parts are
            for stylesheet in stylesheets.values():
                html._worker_state["sheets"].executable(stylesheet)  # compiled before any time is taken
            # The first round also keeps the pages, to tell which part is on none of them (its figure is the noise alone).
            whole_pages: dict[str, bytes] = {}
            for number in range(PART_ROUNDS):
                for part, stylesheet in stylesheets.items():
                    html._worker_state["setup"] = dataclasses.replace(setup, document_stylesheet=stylesheet)
                    started = time.process_time()
                    for document_id, where, params in pages:
                        html._page_task(document_id, *where, params, str(Path(staging) / f"{document_id}.html"))
                    rounds.setdefault(part, []).append(time.process_time() - started)
                    if number == 0:
                        written = {document_id: (Path(staging) / f"{document_id}.html").read_bytes() for document_id, _where, _params in pages}
                        whole_pages = whole_pages or written
                        shown[part] = written != whole_pages
            html._worker_state["setup"] = setup
    print(f"{len(documents)} documents, {megabytes:.2f} MB of TEI")
    for name, times in timings.items():
        total = sum(t for t, _ in times)
        print(f"{name}: {total:.2f} CPU s, {total / megabytes:.3f} s/MB; slowest: "
              + ", ".join(f"{doc} {t:.2f}" for t, doc in sorted(times, reverse=True)[: args.top]))
        # Milliseconds per KB: a large document as slow per KB as a small one is linear; one far above is not.
        per_kb = sorted(((1e6 * t / max(sizes[doc], 1), doc) for t, doc in times), reverse=True)
        print(f"{name}: slowest per KB: " + ", ".join(f"{doc} ({sizes[doc] // 1000} KB) {ms:.1f} ms/KB" for ms, doc in per_kb[: args.top]))
    # A part's cost is the whole page's fastest round less the fastest without the part, in ms a document; the spread of
    # the whole page's own rounds says how far apart two figures must be to differ.
    whole = rounds.pop("", [])
    costs = {part: 1e3 * (min(whole) - min(seconds)) / len(pages) for part, seconds in rounds.items()}
    if costs:
        print(f"page by part: {1e3 * min(whole) / len(pages):.2f} CPU ms a document (its rounds {1e3 * min(whole) / len(pages):.2f}–"
              f"{1e3 * max(whole) / len(pages):.2f} ms), of which")
        for part, cost in costs.items():
            print(f"  {part:<28} {cost:7.2f} ms" + ("" if shown[part] else "  (on none of these pages)"))
    if args.json:
        figures: dict[str, object] = {doc: {"bytes": sizes[doc], **{name: dict((d, t) for t, d in times)[doc] for name, times in timings.items()}}
                                       for doc in sizes}
        if costs:
            figures["page by part"] = {part: {"ms": cost, "shown": shown[part]} for part, cost in costs.items()}
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time the per-document stylesheets (facts and page) on each document of an edition, in this one process.

Prints CPU seconds per MB of TEI for each phase of a document (facts, page: each reading the source
itself, as a build's worker does) and the slowest documents, so that a change to the XSLT can be
measured without a whole build. The outputs go to a temporary folder. The slowest documents per KB
of their source are named too: a stylesheet whose time grows faster than a document shows there
first, on a real corpus's largest files (a root whose teipress.toml names the corpus as source).

Example:

    python bench/profile.py /tmp/edition-1000 --top 10
    python bench/profile.py /tmp/escher-root --json escher-times.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="edition root (with teipress.toml)")
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest documents to name (default: 8)")
    parser.add_argument("--limit", type=int, default=0, help="profile only the first N documents (default: all)")
    parser.add_argument("--json", type=Path, help="also write each document's size and CPU seconds per phase to this JSON file")
    parser.add_argument("--each", action="store_true", help="print each document's times as it is done (a long run on a busy machine shows where it is)")
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
            if args.each:
                print(f"{document.id}\t{sizes[document.id]}\t{timings['facts'][-1][0]:.3f}\t{timings['page'][-1][0]:.3f}", flush=True)
    print(f"{len(documents)} documents, {megabytes:.2f} MB of TEI")
    for name, times in timings.items():
        total = sum(t for t, _ in times)
        print(f"{name}: {total:.2f} CPU s, {total / megabytes:.3f} s/MB; slowest: "
              + ", ".join(f"{doc} {t:.2f}" for t, doc in sorted(times, reverse=True)[: args.top]))
        # Milliseconds per KB: a large document as slow per KB as a small one is linear; one far above is not.
        per_kb = sorted(((1e6 * t / max(sizes[doc], 1), doc) for t, doc in times), reverse=True)
        print(f"{name}: slowest per KB: " + ", ".join(f"{doc} ({sizes[doc] // 1000} KB) {ms:.1f} ms/KB" for ms, doc in per_kb[: args.top]))
    if args.json:
        args.json.write_text(json.dumps({doc: {"bytes": sizes[doc], **{name: dict((d, t) for t, d in times)[doc] for name, times in timings.items()}}
                                         for doc in sizes}, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Time the per-document stylesheets (facts and page) on each document of an edition, in this one process.

Prints seconds per MB of TEI for each stylesheet and the slowest documents, so that a change to
the XSLT can be measured in CPU seconds without a whole build. The pages are rendered as a build
renders them, but written to a temporary folder.

Example:

    python bench/profile.py /tmp/edition-1000 --top 10
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("root", type=Path, help="edition root (with teipress.toml)")
    parser.add_argument("--top", type=int, default=8, help="how many of the slowest documents to name (default: 8)")
    parser.add_argument("--limit", type=int, default=0, help="profile only the first N documents (default: all)")
    args = parser.parse_args(argv)

    from teipress import html
    from teipress.config import load_config
    from teipress.edition import RegisterIndex, load_edition, merged_registers
    from teipress.saxon import to_xdm

    config = load_config(args.root)
    edition = load_edition(config.source)
    documents = html._documents(edition, html.SiteResult())[: args.limit or None]
    index = RegisterIndex(merged_registers(edition))
    edition_xml = html._edition_xml(edition) if hasattr(html, "_edition_xml") else (
        __import__("lxml.etree").etree.tostring(edition.edition_file.tree, encoding="utf-8") if edition.edition_file else b"")
    html._init_worker(edition_xml, str(html._stylesheet(config, "html/document.xsl")))
    megabytes = sum(d.source.path.stat().st_size for d in documents) / 1e6
    timings: dict[str, list[tuple[float, str]]] = {"facts": [], "page": []}
    with tempfile.TemporaryDirectory(prefix="tp-profile-") as out:
        for document in documents:
            data = html._document_bytes(document) if hasattr(html, "_document_bytes") else document.data
            registers = index.subset_xml(document.source.tree.getroot())
            started = time.process_time()
            facts = html._facts_task(document.id, data, registers)
            timings["facts"].append((time.process_time() - started, document.id))
            document.facts = facts
            params = {"document_id": document.id, "document_title": document.summary("title") or document.id,
                      "document_date": document.summary("date"), "document_type": document.summary("type"),
                      "pdf_linked": True, **html._site_params(config)}
            started = time.process_time()
            html._page_task(document.id, data, registers, params, str(Path(out) / f"{document.id}.html"))
            timings["page"].append((time.process_time() - started, document.id))
    print(f"{len(documents)} documents, {megabytes:.2f} MB of TEI")
    for name, times in timings.items():
        total = sum(t for t, _ in times)
        print(f"{name}: {total:.2f} CPU s, {total / megabytes:.3f} s/MB; slowest: "
              + ", ".join(f"{doc} {t:.2f}" for t, doc in sorted(times, reverse=True)[: args.top]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

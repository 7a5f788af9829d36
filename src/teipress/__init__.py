"""teipress: validate TEI-XML scholarly editions and publish them as HTML and PDF."""

__version__ = "0.1.0"

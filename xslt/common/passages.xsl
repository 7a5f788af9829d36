<?xml version="1.0" encoding="UTF-8"?>
<!--
  Passages (needs behaviours.xsl and functions.xsl imported beside it): the smallest addressable units of a reading text (paragraph, heading, verse line,
  list item, note ...). Every output anchors a passage with the same id, so that a register
  entry, the chronology, the PDF index and the CSV export all point at the same place.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Numbers passages in document order. An entry stylesheet that uses tp:passage-anchor declares
       <xsl:mode use-accumulators="#all"/> for its initial mode: Saxon applies accumulators only to
       documents reached through a mode that names them. -->
  <xsl:accumulator name="tp:passage-number" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//*[tp:is-passage(.)]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- Every block-level element of a text is a passage (a paragraph, heading, line, item, note,
       opener, address ...), so that any mention has an anchor; the text's frame is not. -->
  <xsl:function name="tp:is-passage" as="xs:boolean" cache="yes">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="not($element[self::TEI or self::teiCorpus or self::text or self::group or self::body or self::front or self::back])
      and tp:behaviour($element) = ('division', 'block', 'heading', 'verse-line', 'item', 'cell', 'note', 'list', 'table', 'figure')"/>
  </xsl:function>

  <!-- The passage a node belongs to: the nearest enclosing passage inside <text>. -->
  <xsl:function name="tp:passage" as="element()?">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="$node/ancestor-or-self::*[tp:is-passage(.)][ancestor::text][1]"/>
  </xsl:function>

  <!-- A passage's anchor: its own xml:id where it has one, else "p" and its number in the document.
       An xml:id that looks like an id outputs generate (p3 for a passage, note-3 for a note) is not
       used: it could be another passage's or note's. Nor is one that is no NCName (an xml:id must be one): the
       static DTS names a passage's file by its anchor, and a "/" in it would name a folder, ".." one above. -->
  <xsl:function name="tp:passage-anchor" as="xs:string?">
    <xsl:param name="node" as="node()"/>
    <xsl:variable name="passage" select="tp:passage($node)"/>
    <xsl:sequence select="if (empty($passage)) then () else ($passage/@xml:id[. castable as xs:NCName][not(matches(., '^(p|note-|note-ref-)\d+$'))], 'p' || $passage/accumulator-before('tp:passage-number'))[1]"/>
  </xsl:function>
</xsl:stylesheet>

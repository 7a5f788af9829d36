<?xml version="1.0" encoding="UTF-8"?>
<!--
  DTS (Distributed Text Services): what teipress.dts needs to answer for one document. Its
  citation tree is the tree of its passages (common/passages.xsl), so a DTS reference is the very
  anchor of the passage in the site (documents/{id}.html#p3), the chronology and the exports.

  Input: one document (the build's worker runs this beside the document's page).
  Output (namespace https://teipress.org/ns/export):
    <resource kind="letter" title="...">
      <oai_dc:dc>...</oai_dc:dc>                      the document's Dublin Core (export/dc.xsl)
      <unit ref="p1" type="div" path="2 1 1" title="heading">
        <unit ref="p2" type="p" path="2 1 1 1"/>       a passage inside another: its child
      </unit>
    </resource>
  `path` locates the passage's element: the position of each element on the way down from the
  document's root element, counting elements only.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xmlns="https://teipress.org/ns/export"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="dc.xsl"/>

  <xsl:output method="xml" indent="no" encoding="UTF-8"/>

  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <!-- The passages of a text, nested as they are in it; other elements are looked through. -->
  <xsl:mode name="tpe:units" use-accumulators="#all" on-no-match="shallow-skip" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*"/>
  </xsl:template>

  <xsl:template match="/*">
    <resource kind="{tp:document-kind(.)}" title="{tp:document-title(.)}">
      <xsl:apply-templates select="self::TEI" mode="tpe:dc"/>
      <xsl:apply-templates select=".//text[not(ancestor::text)]" mode="tpe:units"/>
    </resource>
  </xsl:template>

  <xsl:template match="*[ancestor::text][tp:is-passage(.)]" mode="tpe:units">
    <unit ref="{tp:passage-anchor(.)}" type="{local-name()}" path="{(ancestor-or-self::* except /*)!(count(preceding-sibling::*) + 1)}">
      <xsl:for-each select="head[1][normalize-space()]">
        <xsl:attribute name="title" select="normalize-space(.)"/>
      </xsl:for-each>
      <xsl:apply-templates mode="tpe:units"/>
    </unit>
  </xsl:template>

  <!-- Text is read from the document itself (teipress.dts), not from this list. -->
  <xsl:template match="text()" mode="tpe:units"/>
</xsl:stylesheet>

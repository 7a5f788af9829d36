<?xml version="1.0" encoding="UTF-8"?>
<!--
  The years of the chronology's pages that the registers' events need (aggregates.py reads this):
  each year a dated event falls in (tp:event-year, where links to the event land), once, one per
  line, in order. The documents' years come from their facts. Source: the merged registers.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:reg="https://teipress.org/ns/registers"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/functions.xsl"/>
  <xsl:import href="../common/site-files.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:for-each select="sort(distinct-values(//event[@xml:id]!tp:event-year(.)))">
      <xsl:text>{.}&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>

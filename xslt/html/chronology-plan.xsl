<?xml version="1.0" encoding="UTF-8"?>
<!--
  The years of the chronology's pages that the registers' events need, with how many events each
  holds (aggregates.py reads this: pages, and whether the chronology is split by year): each year a
  dated event falls in (tp:event-year, where links to the event land), a tab and its count of events,
  one per line, in order; first the undated events' count after an empty year, when there are any.
  The documents' years come from their facts. Source: the merged registers.
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
    <xsl:variable name="events" select="//event[@xml:id]"/>
    <xsl:variable name="undated" select="$events[empty(tp:event-year(.))]"/>
    <xsl:if test="exists($undated)">
      <xsl:text>&#9;{count($undated)}&#10;</xsl:text>
    </xsl:if>
    <xsl:for-each-group select="$events except $undated" group-by="tp:event-year(.)">
      <xsl:sort select="current-grouping-key()"/>
      <xsl:text>{current-grouping-key()}&#9;{count(current-group())}&#10;</xsl:text>
    </xsl:for-each-group>
  </xsl:template>
</xsl:stylesheet>

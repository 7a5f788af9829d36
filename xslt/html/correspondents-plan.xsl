<?xml version="1.0" encoding="UTF-8"?>
<!--
  How many pages the correspondents overview's table of pairs has (html/overview-correspondents.xsl), as
  a number: aggregates.py renders each as a unit of its own. Source and $site: the overviews' site file.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tp="https://teipress.org/ns/xslt"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="overview-correspondents.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/" priority="1">{$tp:pair-pages}</xsl:template>
</xsl:stylesheet>

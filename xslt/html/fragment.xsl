<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text and notes of one TEI file as an HTML fragment, for tests and for embedding a
  document elsewhere: <div class="reading-text">...</div> followed by the notes section and the
  document's own register (lists in its back or standOff).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="document-register.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no"/>

  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <div class="reading-text" lang="{tp:language(.)}">
      <xsl:apply-templates select="/*" mode="tp:html"/>
    </div>
    <xsl:apply-templates select="/*" mode="tp:html-notes"/>
    <xsl:apply-templates select="/*" mode="tp:html-document-register"/>
  </xsl:template>
</xsl:stylesheet>

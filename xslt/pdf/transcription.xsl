<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text in print: what the source's state does to the text, marked as on the site.
  Included by text.xsl (same precedence; these rules win over its behaviour rules by priority).
  gap, supplied, space and del are rendered in text.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A reading the editors are not sure of: the text, then a raised question mark. -->
  <xsl:template match="unclear" mode="tp:pdf" priority="2">
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>#super[?]</xsl:text>
  </xsl:template>
</xsl:stylesheet>

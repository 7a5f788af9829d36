<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text: what the source's physical state and its writers did to it (damage, marks,
  changes of hand), as a reader of the page can see them. Included by text.xsl (same precedence,
  so these rules win over its behaviour rules by priority). gap, unclear, supplied, space, add,
  del and subst are rendered in text.xsl.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Text on a damaged part of the source: as read, with what damaged it in its tooltip. -->
  <xsl:template match="damage" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="tp:editorial-title('text.damage', @agent)"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A mark of the writer about the text (an insertion sign, a cross): as transcribed, with its function in its tooltip. -->
  <xsl:template match="metamark" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="string-join((tp:message('text.metamark'), (@function, @place)!string(.)), ': ')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- Another hand begins: an empty marker with the hand in its tooltip, for readers who look for it. -->
  <xsl:template match="handShift" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="string-join((tp:message('text.hand-shift'), (@new, @medium)!normalize-space(.)), ': ')"/>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>

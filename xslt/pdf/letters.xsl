<?xml version="1.0" encoding="UTF-8"?>
<!--
  The lines of a letter in the PDF: a letterhead's parts, an opener's or closer's pieces each on a
  line of their own (common/lines.xsl), a left and a right part at the two ends of one line, the
  source's line breaks kept in openers, closers, datelines and addresses, address lines apart.
  Import after text.xsl: each rule wraps what text.xsl makes of the element (xsl:next-match).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/lines.xsl"/>

  <!-- A phrase standing alone: a block of its own, at the right where its rendition says so; a line
       of a left and a right part sets them at its two ends. Inside such a line its parts stay inline. -->
  <xsl:template match="*[not(tp:pdf-is-block(.))][ancestor::text][not(ancestor::*[tp:is-document-register(.)])][tp:stands-alone(.)]" mode="tp:pdf" priority="20">
    <xsl:param name="tp:within-line" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:choose>
      <xsl:when test="$tp:within-line">
        <xsl:next-match/>
      </xsl:when>
      <xsl:when test="tp:has-left-and-right(.)">
        <xsl:text>#block(width: 100%)[</xsl:text>
        <xsl:for-each select="*">
          <xsl:if test="tp:rend-meanings(.) = 'right'">#h(1fr)</xsl:if>
          <xsl:apply-templates select="." mode="tp:pdf">
            <xsl:with-param name="tp:within-line" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>{if (tp:rend-meanings(.) = 'right') then '#block(width: 100%, align(right)[' else '#block['}</xsl:text>
        <xsl:next-match>
          <xsl:with-param name="tp:within-line" select="true()" tunnel="yes"/>
        </xsl:next-match>
        <xsl:text>{if (tp:rend-meanings(.) = 'right') then '])' else ']'}</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- In the formulas of a letter and in addresses the source's line breaks are the reader's (above the
       rule for phrases standing alone: a line break is never a line of its own). -->
  <xsl:template match="lb[not(@break = 'no')][ancestor::opener or ancestor::closer or ancestor::dateline or ancestor::address or ancestor::salute or ancestor::signed]
                         [preceding-sibling::node()[self::* or normalize-space(.) ne '']][following-sibling::node()[self::* or normalize-space(.) ne '']]" mode="tp:pdf" priority="21">
    <xsl:text>#linebreak()</xsl:text>
  </xsl:template>

  <xsl:template match="addrLine[preceding-sibling::addrLine]" mode="tp:pdf" priority="19">
    <xsl:text>#linebreak()</xsl:text>
    <xsl:next-match/>
  </xsl:template>
</xsl:stylesheet>

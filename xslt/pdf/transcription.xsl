<?xml version="1.0" encoding="UTF-8"?>
<!--
  The marks of the manuscript in print (lib.typ's tp-gap, tp-pb, tp-add, tp-unclear), by the
  conventions of documentary editions: what the editors supply in [brackets], an unclear reading
  as [reading?], an addition of the writer between ⸢half brackets⸣ (a deletion outside a
  substitution struck through, text.xsl), an omission as "[…]" with its extent, and the source's
  page breaks as "|2|" where they fall. Included by text.xsl (same precedence; these rules win over
  its behaviour rules by priority).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A reading the editors are not sure of: in brackets with a question mark. -->
  <xsl:template match="unclear" mode="tp:pdf" priority="2">
    <xsl:text>#tp-unclear[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- What the editors supply stands in square brackets. -->
  <xsl:template match="supplied" mode="tp:pdf" priority="2">
    <xsl:text>#"[";</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>#"]";</xsl:text>
  </xsl:template>

  <!-- An addition in the reading text (also the one a substitution shows): between half brackets. -->
  <xsl:template match="add" mode="tp:pdf" priority="2">
    <xsl:text>#tp-add[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- An omission: "[…]", with its extent when the source says it ("[… 3 words]", "[… two lines]"). -->
  <xsl:template match="*[tp:behaviour(.) = 'gap']" mode="tp:pdf" priority="1">
    <xsl:text>#tp-gap({tp:typst-string(tp:gap-extent(.))});</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- The extent of an omission in the edition's language: @quantity with @unit (a unit the catalogue
       knows in its words, another as the source names it), else @extent as written, else nothing. -->
  <xsl:function name="tp:gap-extent" as="xs:string">
    <xsl:param name="gap" as="element()"/>
    <xsl:variable name="unit" select="replace(replace(lower-case(normalize-space($gap/@unit)), '^(char|character|letter)s?$', 'chars'), '^(word|line|page)$', '$1s')"/>
    <xsl:variable name="quantity" select="normalize-space($gap/@quantity)"/>
    <xsl:sequence select="
      if ($quantity castable as xs:integer and tp:has-message('pdf.gap.' || $unit || '.one'))
        then tp:count-message('pdf.gap.' || $unit, xs:integer($quantity))
      else if ($quantity ne '') then normalize-space($quantity || ' ' || $gap/@unit)
      else normalize-space($gap/@extent)"/>
  </xsl:function>

  <!-- A page break of the source: "|2|" in the line where it falls; between paragraphs, on a short
       line of its own before the next. A page break without @n is "||". -->
  <xsl:template match="pb" mode="tp:pdf" priority="2">
    <xsl:variable name="between-blocks" select="parent::*[tp:behaviour(.) = 'division'] and empty(../text()[normalize-space(.) ne ''])
                                               and not(following-sibling::*[1][not(tp:pdf-is-block(.))] or preceding-sibling::*[1][not(tp:pdf-is-block(.))])"/>
    <xsl:text>{if ($between-blocks) then '#tp-pb-between(' else '#tp-pb('}{tp:typst-string(normalize-space(@n))});</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>
</xsl:stylesheet>

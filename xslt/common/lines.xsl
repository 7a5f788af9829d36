<?xml version="1.0" encoding="UTF-8"?>
<!--
  Which phrases stand on a line of their own (the parts of a letterhead, an opener's or closer's
  pieces, the parts of a register entry): a phrase in a container with no running text of its own,
  so that renderers set each on its own line instead of running them together, as the source puts
  no space between them ("Handelsblatt.Redaction."). Needs behaviours.xsl and
  document-registers.xsl imported beside it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A space, character or punctuation element between the phrases says they run on one line. -->
  <xsl:function name="tp:stands-alone" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="empty($element/../text()[normalize-space(.) ne ''])
                          and empty($element/../(space | c | pc | g))
                          and exists($element/parent::*[tp:is-register-entry(.) or tp:behaviour(.) eq 'division' or
                                                        (tp:behaviour(.) = ('inline', 'emphasis') and tp:stands-alone(.))])"/>
  </xsl:function>

  <!-- Whether a line is made of a left and a right part (seg rend="left" and rend="right"), set at its two ends. -->
  <xsl:function name="tp:has-left-and-right" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element/*[tp:rend-meanings(.) = 'left']) and exists($element/*[tp:rend-meanings(.) = 'right'])"/>
  </xsl:function>
</xsl:stylesheet>

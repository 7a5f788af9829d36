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

  <!-- A space, character or punctuation element between the phrases says they run on one line. The nearest
       container that decides, asked from the element outwards: not every ancestor (each phrase of a page asks). -->
  <xsl:function name="tp:stands-alone" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="$element/ancestor::*[tp:line-container(.) ne 'as-its-parent'][1]!tp:line-container(.) = 'lines'"/>
  </xsl:function>

  <!-- What a container says of its phrases: 'lines' (they stand alone), 'running' (they do not), or
       'as-its-parent' (a phrase with no running text of its own, inside one that may have some). Decided
       once per container (cached, and not recursive, as Saxon caches no recursive function): asked for each
       of its children, it would otherwise scan all their siblings each time, quadratic in a long list. -->
  <xsl:function name="tp:line-container" as="xs:string" cache="yes">
    <xsl:param name="container" as="element()"/>
    <xsl:sequence select="
      if (exists($container/text()[normalize-space(.) ne '']) or exists($container/(space | c | pc | g))) then 'running'
      else if (tp:is-register-entry($container) or tp:behaviour($container) eq 'division') then 'lines'
      else if (tp:behaviour($container) = ('inline', 'emphasis')) then 'as-its-parent'
      else 'running'"/>
  </xsl:function>

  <!-- Whether a line is made of a left and a right part (seg rend="left" and rend="right"), set at its two ends. -->
  <xsl:function name="tp:has-left-and-right" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element/*[tp:rend-meanings(.) = 'left']) and exists($element/*[tp:rend-meanings(.) = 'right'])"/>
  </xsl:function>
</xsl:stylesheet>

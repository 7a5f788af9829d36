<?xml version="1.0" encoding="UTF-8"?>
<!--
  Which reading of an alternate (choice, app, subst) the edition follows, and which it records
  elsewhere. One decision for every renderer that imports this module (html/ and pdf/).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The reading the edition follows: expansion, correction and regularisation over abbreviation,
       error and original spelling; lem over rdg, also inside rdgGrp; add over del. -->
  <xsl:function name="tp:primary-reading" as="element()?">
    <xsl:param name="alternate" as="element()"/>
    <xsl:sequence select="
      if ($alternate/self::choice) then ($alternate/expan, $alternate/corr, $alternate/reg, $alternate/*[not(self::abbr or self::sic or self::orig or self::note)], $alternate/*)[1]
      else if ($alternate/self::app) then ($alternate/lem, $alternate/rdgGrp/lem, $alternate/rdg, $alternate/rdgGrp/rdg, $alternate/rdgGrp//(lem, rdg))[1]
      else if ($alternate/self::subst) then ($alternate/add, $alternate/*[not(self::del)], $alternate/*)[1]
      else ($alternate/*)[1]"/>
  </xsl:function>

  <!-- Every reading of an alternate, in document order: for an app its lem and rdg elements, also
       those in (nested) rdgGrp, but not those of an app inside a reading; else its child elements. -->
  <xsl:function name="tp:readings" as="element()*">
    <xsl:param name="alternate" as="element()"/>
    <xsl:sequence select="
      if ($alternate/self::app) then $alternate//(lem | rdg)[ancestor::app[1] is $alternate]
      else $alternate/*"/>
  </xsl:function>
</xsl:stylesheet>

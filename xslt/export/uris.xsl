<?xml version="1.0" encoding="UTF-8"?>
<!--
  Register entries as URIs, for exports that leave the edition (CMIF, Dublin Core): the entry's
  authority URI where the register records one (idno with a full URI), else the entry's address
  page in the edition's site ({base-url}registers/persons/{file}.html, common/site-files.xsl).
  Needs functions.xsl and the importing stylesheet's $base-url.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/site-files.xsl"/>

  <!-- Authority files correspSearch understands best, in order of preference per kind. -->
  <xsl:variable name="tpe:authority-order" as="xs:string*" select="('gnd', 'viaf', 'geonames', 'wikidata', 'lc', 'isni', 'orcid')"/>

  <!-- An entry's URI: its authority URI, else its place in the edition's registers. -->
  <xsl:function name="tpe:entry-uri" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="authority" select="tpe:authority-uris($entry)[1]"/>
    <xsl:sequence select="($authority, $base-url || tp:entry-path($entry))[1]"/>
  </xsl:function>

  <!-- An entry's authority URIs (full http(s) URIs only), the preferred authority first. -->
  <xsl:function name="tpe:authority-uris" as="xs:string*">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="idnos" select="$entry/idno[matches(normalize-space(.), '^https?://\S+$')]"/>
    <xsl:sequence select="distinct-values((
      for $type in $tpe:authority-order return $idnos[lower-case(@type) = $type]!normalize-space(.),
      $idnos!normalize-space(.)))"/>
  </xsl:function>

  <!-- The URI of what a name points to: the register entry's URI, else a full URI the name already carries. -->
  <xsl:function name="tpe:pointer-uri" as="xs:string?">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="tp:entry($name)"/>
    <xsl:sequence select="if (exists($entry)) then tpe:entry-uri($entry)
      else (tokenize(normalize-space($name/@ref), ' ')[matches(., '^https?://')])[1]"/>
  </xsl:function>
</xsl:stylesheet>

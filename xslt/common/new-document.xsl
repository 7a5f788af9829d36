<?xml version="1.0" encoding="UTF-8"?>
<!--
  The words `teipress new` writes into a new document, in the edition's language: the letter's title
  ("Brief von Anna Beispiel an Ben Muster, 1. Mai 1890"), the date as a reader writes it, and the
  hints where the editor has still to write. The source is one element whose attributes are the
  command's options: <new-document kind="letter" sender="…" addressee="…" date="1890-05-01"/>.
  The result is a JSON object of strings.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="language.xsl"/>

  <xsl:output method="json" indent="no"/>
  <xsl:mode on-no-match="fail"/>

  <xsl:template match="/">
    <xsl:apply-templates select="new-document"/>
  </xsl:template>

  <xsl:template match="new-document">
    <xsl:variable name="date" select="if (normalize-space(@date)) then tp:format-date(@date) else ''"/>
    <xsl:sequence select="map {
      'title': if (@sender and @addressee) then tp:message('new.letter-title', (@sender, @addressee, $date)) else '',
      'date': $date,
      'publication': tp:message('new.publication-hint'),
      'source': tp:message('new.source-hint'),
      'text': tp:message('new.text-hint'),
      'change': tp:message('new.change')}"/>
  </xsl:template>
</xsl:stylesheet>

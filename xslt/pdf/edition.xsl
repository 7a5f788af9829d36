<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the print edition says about the edition itself, from the header of tei/edition.xml: its
  title, its imprint (publisher, place and date), its licence, and how to cite a document of it.
  The book prints them on its title page and its verso, a document's own PDF in its colophon.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The edition's title (edition.py `edition_titles`: teipress.toml's, else edition.xml's); empty for none. -->
  <xsl:param name="edition-title" as="xs:string" select="''"/>
  <!-- The site's address (teipress.toml base_url, ending in "/"), for a document's permanent URL. -->
  <xsl:param name="base-url" as="xs:string" select="''"/>

  <!-- The title the print edition shows: the edition's, else the catalogue's word for an edition without one. -->
  <xsl:variable name="tp:pdf-edition-title" as="xs:string" select="($edition-title[normalize-space(.)], tp:message('pdf.default-title'))[1]"/>

  <!-- "teipress editorial team", "Zürich 2026": who published the edition, where and when. -->
  <xsl:function name="tp:pdf-imprint" as="xs:string*">
    <xsl:param name="header" as="element()?"/>
    <xsl:variable name="publication" select="$header/fileDesc/publicationStmt"/>
    <xsl:sequence select="($publication/publisher!normalize-space(.),
      string-join(($publication/pubPlace!normalize-space(.), $publication/date!normalize-space(.))[. ne ''], ' '))[. ne '']"/>
  </xsl:function>

  <!-- The licence statements and further rights statements, each with its address where it has one. -->
  <xsl:function name="tp:pdf-licence" as="xs:string*">
    <xsl:param name="header" as="element()?"/>
    <xsl:variable name="availability" select="$header/fileDesc/publicationStmt/availability"/>
    <xsl:sequence select="($availability/licence!(let $text := normalize-space(.) return normalize-space(string-join(($text, @target[normalize-space(.) ne $text]), ' '))),
      $availability/p!normalize-space(.))[. ne '']"/>
  </xsl:function>

  <!-- How to cite a document, as the site's citation reads: “Title.” In Edition, edited by …. Publisher, year. -->
  <xsl:function name="tp:pdf-citation" as="xs:string">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="header" as="element()?"/>
    <xsl:variable name="editors" select="$header/fileDesc/titleStmt/editor!normalize-space(.)[. ne '']"/>
    <xsl:variable name="publication" select="$header/fileDesc/publicationStmt"/>
    <xsl:variable name="year" select="$publication/date[1]!(@when, normalize-space(.))[1]!substring(., 1, 4)"/>
    <xsl:sequence select="tp:message('cite.document-in', $title) || $tp:pdf-edition-title
      || (if (exists($editors)) then tp:message('edition.edited-by-inline', string-join($editors, ', ')) else '') || '.'
      || string-join(($publication/publisher[1]!normalize-space(.), $year)[. ne ''], ', ')[. ne '']!(' ' || . || '.')"/>
  </xsl:function>

  <!-- A document's page on the site, when the site's address is known. -->
  <xsl:function name="tp:pdf-permanent-url" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if ($base-url eq '') then () else $base-url || 'documents/' || encode-for-uri($id) || '.html'"/>
  </xsl:function>
</xsl:stylesheet>

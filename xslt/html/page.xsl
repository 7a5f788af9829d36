<?xml version="1.0" encoding="UTF-8"?>
<!--
  An extra page of the edition (teipress.toml `pages`), with its own entry in the menu:
    - a top-level division of tei/edition.xml (About, Editorial principles, Acknowledgements …):
      the source is edition.xml and $division the division's position among the top-level ones;
      its head is the page's title, the rest its reading text with its notes;
    - a Markdown file: the source is <page> holding the HTML teipress made of it (raw HTML in the
      Markdown is left as text, links only of safe kinds), copied as it stands; $division is 0.
  Customise by importing this stylesheet and overriding tp:extra-page.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="entries.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The page's title (the division's head, the Markdown's first heading), its address relative to the
       site root, the menu entry it marks as current, and which top-level division it shows. -->
  <xsl:param name="page-title" as="xs:string"/>
  <xsl:param name="page-path" as="xs:string"/>
  <xsl:param name="page-current" as="xs:string"/>
  <xsl:param name="division" as="xs:integer" select="0"/>

  <xsl:template match="/">
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="$page-title"/>
      <xsl:with-param name="current" select="$page-current"/>
      <xsl:with-param name="path" select="$page-path"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:call-template name="tp:extra-page"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tp:extra-page">
    <article class="edition-page">
      <h1>{$page-title}</h1>
      <xsl:choose>
        <xsl:when test="$division gt 0">
          <xsl:variable name="div" select="tp:top-level-divisions(/*)[$division]"/>
          <section class="edition-text reading-text" aria-label="{$page-title}">
            <xsl:apply-templates select="$div/(node() except head[1])" mode="tp:html"/>
          </section>
          <xsl:apply-templates select="$div" mode="tp:html-notes"/>
          <xsl:call-template name="tp:cited-documents">
            <xsl:with-param name="root" select="/*"/>
            <xsl:with-param name="scope" select="$div"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <div class="markdown-text">
            <xsl:sequence select="/*/node()"/>
          </div>
        </xsl:otherwise>
      </xsl:choose>
    </article>
  </xsl:template>

  <!-- An edition's page links a document it names by id (ref target="#id") to the document's page. -->
  <xsl:function name="tp:document-href" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="$site/s:site/s:document[@id eq $id]!($documents-base || encode-for-uri($id) || '.html')"/>
  </xsl:function>

  <!-- The divisions that become pages: those directly in the edition's front, body or back (html.py
       `_edition_divisions` counts and names them with the same path). -->
  <xsl:function name="tp:top-level-divisions" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="$root/text/(front | body | back)/div"/>
  </xsl:function>
</xsl:stylesheet>

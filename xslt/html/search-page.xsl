<?xml version="1.0" encoding="UTF-8"?>
<!--
  The search page: assets/site.js searches the index with Pagefind's JavaScript API (the bundle in
  pagefind/ and the chunks pagefind/chunks.json names, merged into one search: src/teipress/search.py)
  and shows the results and filters (type, year, person) itself, every string from the sources as
  text (Pagefind's own interface inserts filter values as HTML, and is not kept in the site).
  Pagefind loads its index with fetch(), which browsers refuse on file://; the page then says
  how to preview the site with `teipress serve`. Source: the site's facts.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:message('nav.search')"/>
      <xsl:with-param name="current" select="'search'"/>
      <xsl:with-param name="path" select="'search.html'"/>
      <xsl:with-param name="description" select="tp:message('search.description', $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('nav.search')}</h1>
          <p class="register-count">{tp:message('search.intro')}</p>
        </header>
        <div id="search" class="search" data-placeholder="{tp:message('search.placeholder')}"></div>
        <p class="search-offline" hidden="">
          <xsl:call-template name="tp:message-around">
            <xsl:with-param name="message" select="tp:message('search.offline')"/>
            <xsl:with-param name="inserted" as="element()"><code>teipress serve</code></xsl:with-param>
          </xsl:call-template>
        </p>
        <noscript>
          <p>
            <xsl:call-template name="tp:message-around">
              <xsl:with-param name="message" select="tp:message('search.no-script')"/>
              <xsl:with-param name="inserted" as="element()"><a href="index.html">{tp:message('search.home-page')}</a></xsl:with-param>
            </xsl:call-template>
          </p>
        </noscript>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>

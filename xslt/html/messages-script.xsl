<?xml version="1.0" encoding="UTF-8"?>
<!--
  assets/messages-{language}.js: the words of the site's scripts (the message catalogue's js.* entries in
  the interface language), one file the browser caches for every page instead of a copy in each page.
  layout.xsl loads it before site.js; site.js and facsimile.js read window.teipressMessages.
  Source: any (it reads only the catalogue); written once per build as one of the site's pages (html.py).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tp="https://teipress.org/ns/xslt"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">window.teipressMessages = {tp:script-json(tp:messages-starting('js.'))};&#10;</xsl:template>
</xsl:stylesheet>

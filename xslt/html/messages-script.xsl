<?xml version="1.0" encoding="UTF-8"?>
<!--
  assets/messages-{language}.js: the words of the site's scripts (the message catalogue's js.* entries in
  the interface language, and its view.* and legend.* entries for the reading toolbar), one file the browser caches for every page instead of a copy in each page;
  with them the kind of the names whose mentions carry only their tei- class (text-phrases.xsl tp:kind-of-name-class).
  layout.xsl loads it before site.js; site.js and facsimile.js read window.teipressMessages, site.js window.teipressKindOfClass.
  Source: any (it reads only the catalogue); made when the stylesheets changed and published like teipress's own
  files, under a name with a hash of its bytes (html.py, assets.py).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>

  <!-- The js.* entries without their prefix; with theirs, the words of the reading toolbar, which site.js builds. -->
  <xsl:template match="/">
    <xsl:variable name="toolbar" select="map:merge(for $prefix in ('view.', 'legend.') return
      map:for-each(tp:messages-starting($prefix), function ($key, $value) { map:entry($prefix || $key, $value) }))"/>
    <xsl:text>window.teipressMessages = {tp:script-json(map:merge((tp:messages-starting('js.'), $toolbar)))};&#10;</xsl:text>
    <xsl:text>window.teipressKindOfClass = {tp:script-json($tp:kind-of-name-class)};&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>

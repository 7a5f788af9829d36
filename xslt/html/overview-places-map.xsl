<?xml version="1.0" encoding="UTF-8"?>
<!--
  The places of the places overview's map, as a script of their own (overviews/places-map.js), which the
  overview's first page loads before assets/map.js (html/overviews.xsl tp:map-head): the map of an edition's
  every place weighs as much as its table, which has pages; a page that carried it would grow with the
  registers. The places are JSON (every name a string in it, never markup) under the key the page's map
  names. Source: every place of the table with coordinates (aggregates.py, from html/overview-plan.xsl's tables),
  as overview-places.xsl's pages have them.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="overview-places.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template match="/" priority="1">
    <xsl:text>window.teipressMapPlaces = window.teipressMapPlaces || {{}};&#10;</xsl:text>
    <xsl:text>window.teipressMapPlaces["overview-places"] = {serialize(array { /s:places/s:place!tp:map-place(.) }, map {'method': 'json'})};&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>

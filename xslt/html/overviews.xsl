<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the overview pages share (overview-time.xsl, overview-correspondents.xsl, overview-places.xsl):
  their frame with a menu between them, and the map component any page may use.

  The map: tp:map writes <div class="tp-map" data-places='[{"id","name","lat","lon","href","count","detail"}]'>,
  which assets/map.js turns into a Leaflet map (tiles from teipress.toml `map_tiles`); tp:map-head
  loads Leaflet and map.js into the page's head. A map of many places reads them from a script of their
  own instead (<div class="tp-map" data-places-script="{key}">, the script setting
  window.teipressMapPlaces[key], html/overview-places-map.xsl), which tp:map-head loads before map.js.
  A page with a map also lists its places as text, so that it works without tiles or script.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The map's tile URL template ({z}/{x}/{y}) and the credit the tile server asks for; empty: no tiles. -->
  <xsl:param name="map-tiles" as="xs:string" select="''"/>
  <xsl:param name="map-attribution" as="xs:string" select="''"/>

  <!-- The overview pages: file name under overviews/ and message key of the title. -->
  <xsl:variable name="tp:overviews" as="array(xs:string)+" select="['time', 'overview.time'], ['correspondents', 'overview.correspondents'], ['places', 'overview.places']"/>

  <!-- The frame of an overview page: title, lead paragraph, a menu to the other overviews, then $content. -->
  <xsl:template name="tp:overview-page">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="lead" as="xs:string"/>
    <!-- The page's address, when it is not the overview's first page (the correspondents' pairs have pages). -->
    <xsl:param name="path" as="xs:string" select="'overviews/' || $name || '.html'"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <xsl:param name="content" as="node()*"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:message('overview.' || $name)"/>
      <xsl:with-param name="current" select="'overviews'"/>
      <xsl:with-param name="path" select="$path"/>
      <xsl:with-param name="description" select="$lead"/>
      <xsl:with-param name="head" as="node()*">
        <link rel="stylesheet" href="{tp:asset('overviews.css')}"/>
        <xsl:sequence select="$head"/>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header overview-header">
          <h1>{tp:message('overview.' || $name)}</h1>
          <p class="register-count">{$lead}</p>
          <nav class="overview-nav" aria-label="{tp:message('nav.overviews')}">
            <ul>
              <xsl:for-each select="$tp:overviews">
                <li>
                  <a href="{?1}.html">
                    <xsl:if test="?1 eq $name"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                    <xsl:text>{tp:message(?2)}</xsl:text>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
        </header>
        <xsl:sequence select="$content"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- Leaflet and the map script, for the head of a page with a map; $data: the script of its places (a map of many), run before map.js. -->
  <xsl:template name="tp:map-head">
    <xsl:param name="data" as="xs:string?" select="()"/>
    <link rel="stylesheet" href="{tp:asset('leaflet.css')}"/>
    <script src="{tp:asset('leaflet.js')}" defer="defer"></script>
    <xsl:for-each select="$data"><script src="{.}" defer="defer"></script></xsl:for-each>
    <script src="{tp:asset('map.js')}" defer="defer"></script>
  </xsl:template>

  <!-- A map of $places (maps with id, name, lat, lon, href, count, detail), or of the places a script sets under the
       key $data (tp:map-head); the credits of Leaflet and the tiles below it. -->
  <xsl:template name="tp:map">
    <xsl:param name="places" as="map(*)*" select="()"/>
    <xsl:param name="data" as="xs:string?" select="()"/>
    <xsl:param name="label" as="xs:string"/>
    <figure class="tp-map-figure">
      <div class="tp-map" role="region" aria-label="{$label}" data-tiles="{$map-tiles}" data-attribution="{$map-attribution}">
        <xsl:choose>
          <xsl:when test="exists($data)"><xsl:attribute name="data-places-script" select="$data"/></xsl:when>
          <xsl:otherwise><xsl:attribute name="data-places" select="serialize(array { $places }, map {'method': 'json'})"/></xsl:otherwise>
        </xsl:choose>
      </div>
      <xsl:call-template name="tp:map-credits"/>
    </figure>
  </xsl:template>

  <!-- Below a map: Leaflet's licence and the credit the tile server asks for. -->
  <xsl:template name="tp:map-credits">
    <figcaption class="map-credits">
      <xsl:call-template name="tp:message-around">
        <xsl:with-param name="message" select="tp:message('map.credits')"/>
        <xsl:with-param name="inserted" as="element()"><a href="{tp:asset('leaflet-LICENSE.txt')}">{tp:message('map.leaflet')}</a></xsl:with-param>
      </xsl:call-template>
      <xsl:if test="$map-attribution">{' ' || tp:message('map.tiles', $map-attribution)}</xsl:if>
    </figcaption>
  </xsl:template>
</xsl:stylesheet>

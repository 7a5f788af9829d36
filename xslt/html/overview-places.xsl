<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Places": where the documents were sent from and received, and the places they mention,
  on a map (the registers' location/geo) and in a table of the same places with their counts, each
  linked to the place's register entry. The table grows with the registers: it has pages of
  $places-per-page places (overviews/places.html, places-2.html ...), the first with the map, which reads
  its places from a script of its own (overviews/places-map.js, html/overview-places-map.xsl), so that
  no page carries every place twice. Source and $site: the site's facts; $registers: the registers.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xmlns:f="https://teipress.org/ns/facts"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="overviews.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The table's pages: each unit of aggregates.py renders one (aggregates.py counts the places as tp:places has them). -->
  <xsl:param name="places-per-page" as="xs:integer" required="yes"/>
  <xsl:param name="places-page" as="xs:integer" select="1"/>
  <!-- How many pages the table has: the units aggregates.py makes, one number for the pages and their bar. -->
  <xsl:param name="place-pages" as="xs:integer" required="yes"/>

  <!-- Each document's places, one of a kind per document, by role: sent from, received at, mentioned in. Strings, not
       an element a use: a constructed element is a tree of its own, and 20,000 letters' half a million of them held
       Saxon's worker near a gigabyte. -->
  <xsl:variable name="tp:sent-from" as="xs:string*" select="$site/s:site/s:document/distinct-values(s:from/@ref)"/>
  <xsl:variable name="tp:received-at" as="xs:string*" select="$site/s:site/s:document/distinct-values(s:to/@ref)"/>
  <xsl:variable name="tp:mentioned-in" as="xs:string*" select="$site/s:site/s:document/distinct-values(f:facts/f:mention[@kind = 'place']/@entity)"/>
  <!-- Every place the documents name that the registers hold, by its count of uses, then by name. -->
  <xsl:variable name="tp:places" as="map(*)*">
    <xsl:variable name="sent" select="tp:counts($tp:sent-from)"/>
    <xsl:variable name="received" select="tp:counts($tp:received-at)"/>
    <xsl:variable name="mentioned" select="tp:counts($tp:mentioned-in)"/>
    <xsl:variable name="places" as="map(*)*">
      <xsl:for-each select="distinct-values(($tp:sent-from, $tp:received-at, $tp:mentioned-in))">
        <xsl:variable name="entry" select="tp:entry-by-id(., $registers)[self::place]"/>
        <xsl:if test="exists($entry)">
          <xsl:variable name="coordinates" select="tp:coordinates($entry)"/>
          <xsl:variable name="uses" select="(($sent(.), 0)[1], ($received(.), 0)[1], ($mentioned(.), 0)[1])"/>
          <xsl:sequence select="map {'id': string($entry/@xml:id), 'name': tp:standard-name($entry), 'href': tp:register-href($entry),
              'sent': $uses[1], 'received': $uses[2], 'mentioned': $uses[3], 'count': sum($uses),
              'lat': $coordinates[1], 'lon': $coordinates[2]}"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:perform-sort select="$places">
      <xsl:sort select="?count" order="descending"/>
      <xsl:sort select="lower-case(?name)"/>
      <xsl:sort select="?id"/>
    </xsl:perform-sort>
  </xsl:variable>
  <xsl:variable name="tp:mapped" select="$tp:places[exists(?lat)]"/>

  <!-- What the map shows of each place with coordinates (html/overview-places-map.xsl writes it). -->
  <xsl:variable name="tp:map-places" as="map(*)*" select="$tp:mapped!map {'id': ?id, 'name': ?name, 'lat': ?lat, 'lon': ?lon, 'href': ?href, 'count': ?count,
      'detail': tp:message('overview.place-detail', (string(?sent), string(?received), string(?mentioned)))}"/>

  <xsl:template match="/">
    <xsl:variable name="map" select="$places-page eq 1 and exists($tp:mapped)"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'places'"/>
      <xsl:with-param name="path" select="tp:places-page-path($places-page)"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.places-lead', count($tp:places), string(count($tp:mapped)))"/>
      <xsl:with-param name="head" as="node()*">
        <xsl:if test="$map">
          <xsl:call-template name="tp:map-head">
            <xsl:with-param name="data" select="'places-map.js'"/>
          </xsl:call-template>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <div class="overview-places">
          <xsl:if test="$map">
            <xsl:call-template name="tp:map">
              <xsl:with-param name="label" select="tp:message('overview.places')"/>
              <xsl:with-param name="data" select="'overview-places'"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="exists($tp:places)">
              <xsl:call-template name="tp:place-pages"/>
              <div class="table-wrapper">
                <table class="overview-table place-counts">
                  <caption>{tp:message('overview.places-table')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{tp:message('overview.place')}</th>
                      <th scope="col" class="number">{tp:message('overview.sent-from')}</th>
                      <th scope="col" class="number">{tp:message('overview.received-at')}</th>
                      <th scope="col" class="number">{tp:message('overview.mentioned-in')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    <xsl:for-each select="subsequence($tp:places, ($places-page - 1) * $places-per-page + 1, $places-per-page)">
                      <tr data-place="{?id}">
                        <th scope="row">
                          <a href="{?href}">{?name}</a>
                          <xsl:if test="empty(?lat)"><span class="not-on-map">{tp:message('overview.not-on-map')}</span></xsl:if>
                        </th>
                        <td class="number">{?sent}</td>
                        <td class="number">{?received}</td>
                        <td class="number">{?mentioned}</td>
                      </tr>
                    </xsl:for-each>
                  </tbody>
                </table>
              </div>
              <xsl:call-template name="tp:place-pages"/>
            </xsl:when>
            <xsl:otherwise>
              <p class="overview-empty">{tp:message('overview.no-places')}</p>
            </xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The table's pages by the numbers of the places each lists, when it has more than one (as the table of pairs'). -->
  <xsl:template name="tp:place-pages">
    <xsl:if test="$place-pages gt 1">
      <nav class="initials place-pages" aria-label="{tp:message('overview.place-pages')}">
        <ul>
          <xsl:for-each select="1 to $place-pages">
            <li>
              <a href="{substring-after(tp:places-page-path(.), 'overviews/')}">
                <xsl:if test=". eq $places-page"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:text>{(. - 1) * $places-per-page + 1}–{min((. * $places-per-page, count($tp:places)))}</xsl:text>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- How often each string stands in $values. -->
  <xsl:function name="tp:counts" as="map(xs:string, xs:integer)">
    <xsl:param name="values" as="xs:string*"/>
    <xsl:map>
      <xsl:for-each-group select="$values" group-by=".">
        <xsl:map-entry key="current-grouping-key()" select="count(current-group())"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:function>

  <xsl:function name="tp:places-page-path" as="xs:string">
    <xsl:param name="page" as="xs:integer"/>
    <xsl:sequence select="'overviews/places' || (if ($page gt 1) then '-' || $page else '') || '.html'"/>
  </xsl:function>
</xsl:stylesheet>

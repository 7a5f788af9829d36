<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Places": where the documents were sent from and received, and the places they mention,
  on a map (the registers' location/geo) and in a table of the same places with their counts, each
  linked to the place's register entry. Source and $site: the site's facts; $registers: the registers.
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

  <xsl:template match="/">
    <!-- One use of a place per document and role: sent from, received at, mentioned in. -->
    <xsl:variable name="uses" as="element()*">
      <xsl:for-each select="$site/s:site/s:document">
        <xsl:for-each select="distinct-values(s:from/@ref)"><use place="{.}" role="sent"/></xsl:for-each>
        <xsl:for-each select="distinct-values(s:to/@ref)"><use place="{.}" role="received"/></xsl:for-each>
        <xsl:for-each select="distinct-values(f:facts/f:mention[@kind = 'place']/@entity)"><use place="{.}" role="mentioned"/></xsl:for-each>
      </xsl:for-each>
    </xsl:variable>
    <xsl:variable name="places" as="map(*)*">
      <xsl:for-each-group select="$uses" group-by="@place">
        <xsl:variable name="entry" select="tp:entry-by-id(current-grouping-key(), $registers)[self::place]"/>
        <xsl:if test="exists($entry)">
          <xsl:variable name="coordinates" select="tp:coordinates($entry)"/>
          <xsl:sequence select="map {'id': string($entry/@xml:id), 'name': tp:standard-name($entry), 'href': tp:register-href($entry),
              'sent': count(current-group()[@role = 'sent']), 'received': count(current-group()[@role = 'received']),
              'mentioned': count(current-group()[@role = 'mentioned']), 'count': count(current-group()),
              'lat': $coordinates[1], 'lon': $coordinates[2]}"/>
        </xsl:if>
      </xsl:for-each-group>
    </xsl:variable>
    <xsl:variable name="sorted" as="map(*)*">
      <xsl:perform-sort select="$places">
        <xsl:sort select="?count" order="descending"/>
        <xsl:sort select="lower-case(?name)"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:variable name="mapped" select="$sorted[exists(?lat)]"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'places'"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.places-lead', count($sorted), string(count($mapped)))"/>
      <xsl:with-param name="head" as="node()*">
        <xsl:if test="exists($mapped)"><xsl:call-template name="tp:map-head"/></xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <div class="overview-places">
          <xsl:if test="exists($mapped)">
            <xsl:call-template name="tp:map">
              <xsl:with-param name="label" select="tp:message('overview.places')"/>
              <xsl:with-param name="places" select="$mapped!map {'id': ?id, 'name': ?name, 'lat': ?lat, 'lon': ?lon, 'href': ?href, 'count': ?count,
                  'detail': tp:message('overview.place-detail', (string(?sent), string(?received), string(?mentioned)))}"/>
            </xsl:call-template>
          </xsl:if>
          <xsl:choose>
            <xsl:when test="exists($sorted)">
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
                    <xsl:for-each select="$sorted">
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
            </xsl:when>
            <xsl:otherwise>
              <p class="overview-empty">{tp:message('overview.no-places')}</p>
            </xsl:otherwise>
          </xsl:choose>
        </div>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>

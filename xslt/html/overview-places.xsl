<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Places": where the documents were sent from and received, and the places they mention,
  on a map (the registers' location/geo) and in a table of the same places with their counts, each
  linked to the place's register entry. The table grows with the registers: it has pages of
  $places-per-page places (overviews/places.html, places-2.html ...), the first with the map, which reads
  its places from a script of its own (overviews/places-map.js, html/overview-places-map.xsl), so that
  no page carries every place twice. The source is a page's rows of the table (html/overview-plan.xsl makes the
  table, aggregates.py hands each page its rows):
    <places total="" mapped="">   the table's places, those with coordinates
      <place/>…                   the page's places
    </places>
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
  <xsl:import href="overviews.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The table's pages: each unit of aggregates.py renders one. -->
  <xsl:param name="places-per-page" as="xs:integer" required="yes"/>
  <xsl:param name="places-page" as="xs:integer" select="1"/>
  <!-- How many pages the table has: the units aggregates.py makes, one number for the pages and their bar. -->
  <xsl:param name="place-pages" as="xs:integer" required="yes"/>

  <!-- A place of the source (html/overview-plan.xsl: place) as the map shows it (html/overview-places-map.xsl). -->
  <xsl:function name="tp:map-place" as="map(*)">
    <xsl:param name="place" as="element(s:place)"/>
    <xsl:sequence select="map {'id': string($place/@id), 'name': string($place/@name), 'lat': xs:double($place/@lat), 'lon': xs:double($place/@lon),
        'href': string($place/@href), 'count': xs:integer($place/@sent) + xs:integer($place/@received) + xs:integer($place/@mentioned),
        'detail': tp:message('overview.place-detail', (string($place/@sent), string($place/@received), string($place/@mentioned)))}"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="page" select="s:places"/>
    <xsl:variable name="map" select="$places-page eq 1 and xs:integer($page/@mapped) gt 0"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'places'"/>
      <xsl:with-param name="path" select="tp:places-page-path($places-page)"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.places-lead', xs:integer($page/@total), string($page/@mapped))"/>
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
            <xsl:when test="xs:integer($page/@total) gt 0">
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
                    <xsl:for-each select="$page/s:place">
                      <tr data-place="{@id}">
                        <th scope="row">
                          <a href="{@href}">{@name}</a>
                          <xsl:if test="empty(@lat)"><span class="not-on-map">{tp:message('overview.not-on-map')}</span></xsl:if>
                        </th>
                        <td class="number">{@sent}</td>
                        <td class="number">{@received}</td>
                        <td class="number">{@mentioned}</td>
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

  <!-- The table's pages by the numbers of the places each lists, when it has more than one (as the table of pairs'; the
       context: the page's source). -->
  <xsl:template name="tp:place-pages">
    <xsl:variable name="total" select="xs:integer(/s:places/@total)"/>
    <xsl:if test="$place-pages gt 1">
      <nav class="initials place-pages" aria-label="{tp:message('overview.place-pages')}">
        <ul>
          <xsl:for-each select="1 to $place-pages">
            <li>
              <a href="{substring-after(tp:places-page-path(.), 'overviews/')}">
                <xsl:if test=". eq $places-page"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:text>{(. - 1) * $places-per-page + 1}–{min((. * $places-per-page, $total))}</xsl:text>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:function name="tp:places-page-path" as="xs:string">
    <xsl:param name="page" as="xs:integer"/>
    <xsl:sequence select="'overviews/places' || (if ($page gt 1) then '-' || $page else '') || '.html'"/>
  </xsl:function>
</xsl:stylesheet>

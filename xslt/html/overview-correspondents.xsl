<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Correspondents": who wrote to whom, as a network (a node per sender or addressee, sized
  by their letters; an edge per pair, as wide as their letters) and as a table of the same pairs with
  their counts. Each person links to their register entry. The layout is computed here, the same on
  every build: the correspondents on a circle, ordered by their letters, and one who takes part in
  most letters (the edition's central figure) in its middle. The table has pages; the source is a page's rows of it
  (html/overview-plan.xsl makes the table, aggregates.py hands each page its rows):
    <pairs total="" parties="" letters="">   the table's pairs, correspondents and letters
      <network><party/>…<pair/>…</network>   on the first page: the picture's correspondents and the pairs among them
      <party/>… <pair/>…                       the page's pairs and the correspondents they name
    </pairs>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:math="http://www.w3.org/2005/xpath-functions/math"
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

  <!-- The drawing's size (how many correspondents it shows: html/overview-plan.xsl $network-size). -->
  <xsl:variable name="width" as="xs:integer" select="900"/>
  <xsl:variable name="height" as="xs:integer" select="620"/>
  <xsl:variable name="radius" as="xs:integer" select="230"/>
  <!-- The table of pairs grows with the edition (4,400 pairs, 0.8 MB, at 5,000 synthetic letters): it has pages
       of this many pairs, the first (overviews/correspondents.html) with the network, the others
       overviews/correspondents-{n}.html, each rendered by the workers as a unit of its own from its rows of the table
       (html/overview-plan.xsl makes the table once; aggregates.py hands each page its pairs). -->
  <xsl:param name="pairs-per-page" as="xs:integer" required="yes"/>
  <xsl:param name="pairs-page" as="xs:integer" select="1"/>
  <!-- How many pages the table has: the units aggregates.py makes, one number for the pages and their bar. -->
  <xsl:param name="pair-pages" as="xs:integer" required="yes"/>

  <!-- A correspondent of the page's source (html/overview-plan.xsl: party) as the picture takes it. -->
  <xsl:function name="tp:party-node" as="map(*)">
    <xsl:param name="party" as="element(s:party)"/>
    <xsl:sequence select="map {'key': string($party/@key), 'letters': xs:integer($party/@letters), 'name': string($party/@name), 'href': string($party/@href)}"/>
  </xsl:function>

  <!-- The source: a page's rows of the table (aggregates.py, from html/overview-plan.xsl's tables): its pairs, the
       parties they name and, on the first page, the picture's parties and pairs; the table's totals. -->
  <xsl:template match="/">
    <xsl:variable name="page" select="s:pairs"/>
    <xsl:variable name="parties" as="map(xs:string, element(s:party))" select="map:merge($page/s:party!map {string(@key): .})" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:variable name="network" select="$page/s:network/s:party"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'correspondents'"/>
      <xsl:with-param name="path" select="tp:pairs-page-path($pairs-page)"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.correspondents-lead', xs:integer($page/@parties), string($page/@letters))"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:choose>
          <xsl:when test="xs:integer($page/@total) gt 0">
            <xsl:if test="exists($network)">
              <xsl:call-template name="tp:network">
                <xsl:with-param name="nodes" select="$network!tp:party-node(.)"/>
                <xsl:with-param name="pairs" select="$page/s:network/s:pair!map {'a': string(@a), 'b': string(@b), 'letters': xs:integer(@letters)}"/>
                <xsl:with-param name="letters" select="xs:integer($page/@letters)"/>
              </xsl:call-template>
              <xsl:if test="count($network) lt xs:integer($page/@parties)">
                <p class="overview-note">{tp:message('overview.network-shows', (string(count($network)), string($page/@parties)))}</p>
              </xsl:if>
            </xsl:if>
            <xsl:call-template name="tp:pair-pages"/>
            <div class="table-wrapper">
              <table class="overview-table pair-counts">
                <caption>{tp:message('overview.pairs-table')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{tp:message('overview.correspondent')}</th>
                    <th scope="col">{tp:message('overview.correspondent')}</th>
                    <th scope="col" class="number">{tp:message('overview.letters')}</th>
                  </tr>
                </thead>
                <tbody>
                  <xsl:for-each select="$page/s:pair">
                    <tr>
                      <td><xsl:sequence select="tp:party-link($parties(@a))"/></td>
                      <td><xsl:sequence select="tp:party-link($parties(@b))"/></td>
                      <td class="number">{@letters}</td>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
            </div>
            <xsl:call-template name="tp:pair-pages"/>
          </xsl:when>
          <xsl:otherwise>
            <p class="overview-empty">{tp:message('overview.no-pairs')}</p>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The table's pages by the numbers of the pairs each lists, when it has more than one (the context: the page's source). -->
  <xsl:template name="tp:pair-pages">
    <xsl:variable name="total" select="xs:integer(/s:pairs/@total)"/>
    <xsl:if test="$pair-pages gt 1">
      <nav class="initials pair-pages" aria-label="{tp:message('overview.pair-pages')}">
        <ul>
          <xsl:for-each select="1 to $pair-pages">
            <li>
              <a href="{substring-after(tp:pairs-page-path(.), 'overviews/')}">
                <xsl:if test=". eq $pairs-page"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:text>{(. - 1) * $pairs-per-page + 1}–{min((. * $pairs-per-page, $total))}</xsl:text>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:function name="tp:pairs-page-path" as="xs:string">
    <xsl:param name="page" as="xs:integer"/>
    <xsl:sequence select="'overviews/correspondents' || (if ($page gt 1) then '-' || $page else '') || '.html'"/>
  </xsl:function>

  <xsl:template name="tp:network">
    <xsl:param name="nodes" as="map(*)+"/>
    <xsl:param name="pairs" as="map(*)+"/>
    <xsl:param name="letters" as="xs:integer"/>
    <xsl:variable name="centred" select="count($nodes) gt 3 and $nodes[1]?letters * 2 ge $letters"/>
    <xsl:variable name="ring" select="if ($centred) then tail($nodes) else $nodes"/>
    <xsl:variable name="most" select="$nodes[1]?letters"/>
    <!-- Each node's place: the central one in the middle, the others evenly on the circle from the top, clockwise. -->
    <xsl:variable name="placed" as="map(*)*" select="
      (if ($centred) then map:put($nodes[1], 'angle', ()) => map:put('x', $width div 2) => map:put('y', $height div 2) else (),
       for $i in 1 to count($ring) return
         let $angle := 2 * math:pi() * ($i - 1) div count($ring) - math:pi() div 2
         return $ring[$i] => map:put('angle', $angle) => map:put('x', $width div 2 + $radius * math:cos($angle)) => map:put('y', $height div 2 + $radius * math:sin($angle)))"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:variable name="widest" select="max($pairs[?a = $placed?key and ?b = $placed?key]?letters)"/>
    <figure class="network">
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$width} {$height}" role="group" aria-label="{tp:message('overview.correspondents')}" class="chart">
        <g class="edges" aria-hidden="true">
          <xsl:for-each select="$pairs">
            <xsl:variable name="from" select="$placed[?key eq current()?a]"/>
            <xsl:variable name="to" select="$placed[?key eq current()?b]"/>
            <xsl:if test="exists($from) and exists($to) and not($from?key eq $to?key)">
              <line class="edge" x1="{round($from?x, 1)}" y1="{round($from?y, 1)}" x2="{round($to?x, 1)}" y2="{round($to?y, 1)}"
                    stroke-width="{round(1 + 9 * ?letters div $widest, 1)}"/>
            </xsl:if>
          </xsl:for-each>
        </g>
        <xsl:for-each select="$placed">
          <xsl:variable name="size" select="round(4 + 12 * math:sqrt(?letters div $most), 1)"/>
          <xsl:variable name="outward" select="if (exists(?angle)) then math:cos(?angle) else 0"/>
          <xsl:variable name="node" as="element()*">
            <circle class="node" cx="{round(?x, 1)}" cy="{round(?y, 1)}" r="{$size}"/>
            <text class="node-label" x="{round(if (exists(?angle)) then ?x + ($size + 5) * $outward else ?x, 1)}"
                  y="{round(if (exists(?angle)) then ?y + ($size + 5) * math:sin(?angle) + 5 else ?y - $size - 6, 1)}"
                  text-anchor="{if (not(exists(?angle)) or abs($outward) lt 0.05) then 'middle' else if ($outward gt 0) then 'start' else 'end'}">{?name}</text>
          </xsl:variable>
          <xsl:choose>
            <xsl:when test="?href">
              <a href="{?href}" aria-label="{?name}: {tp:count-message('overview.letters-of', ?letters)}">
                <title>{?name}: {tp:count-message('overview.letters-of', ?letters)}</title>
                <xsl:sequence select="$node"/>
              </a>
            </xsl:when>
            <xsl:otherwise>
              <g><title>{?name}: {tp:count-message('overview.letters-of', ?letters)}</title><xsl:sequence select="$node"/></g>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </svg>
    </figure>
  </xsl:template>

  <!-- A correspondent's name, linked to their register entry where they have one. -->
  <xsl:function name="tp:party-link" as="node()">
    <xsl:param name="party" as="element(s:party)"/>
    <xsl:choose>
      <xsl:when test="$party/@href ne ''"><a href="{$party/@href}">{$party/@name}</a></xsl:when>
      <xsl:otherwise><xsl:value-of select="$party/@name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>
</xsl:stylesheet>

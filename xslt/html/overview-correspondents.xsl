<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Correspondents": who wrote to whom, as a network (a node per sender or addressee, sized
  by their letters; an edge per pair, as wide as their letters) and as a table of the same pairs with
  their counts. Each person links to their register entry. The layout is computed here, the same on
  every build: the correspondents on a circle, ordered by their letters, and one who takes part in
  most letters (the edition's central figure) in its middle. Source and $site: the site's facts.
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

  <!-- At most this many correspondents in the picture (the table lists all); the drawing's size. -->
  <xsl:param name="network-size" as="xs:integer" select="30"/>
  <xsl:variable name="width" as="xs:integer" select="900"/>
  <xsl:variable name="height" as="xs:integer" select="620"/>
  <xsl:variable name="radius" as="xs:integer" select="230"/>
  <!-- The table of pairs grows with the edition (4,400 pairs, 0.8 MB, at 5,000 synthetic letters): it has pages
       of this many pairs, the first (overviews/correspondents.html) with the network, the others
       overviews/correspondents-{n}.html, each rendered by the workers as a unit of its own (aggregates.py counts the
       pairs as tp:letters makes them, from the same site file, and sets their size). -->
  <xsl:param name="pairs-per-page" as="xs:integer" required="yes"/>
  <xsl:param name="pairs-page" as="xs:integer" select="1"/>
  <!-- How many pages the table has: the units aggregates.py makes, one number for the pages and their bar. -->
  <xsl:param name="pair-pages" as="xs:integer" required="yes"/>

  <!-- One letter of a pair: each sender with each addressee of a document (the authors of essays are no
       senders), and each correspondent the source names without a side with every other party of it.
       A pair is the same whoever wrote: its two keys in alphabetical order, joined by a line feed (tp:pair). Strings,
       not an element a pair: a constructed element is a tree of its own, and 20,000 letters' pairs held Saxon's
       worker near a gigabyte. -->
  <xsl:variable name="tp:letters" as="xs:string*">
    <xsl:for-each select="$site/s:site/s:document">
      <xsl:variable name="senders" select="s:sender[not(@role = 'author')]!tp:party-key(.)"/>
      <xsl:variable name="addressees" select="s:addressee!tp:party-key(.)"/>
      <xsl:variable name="unsided" select="s:correspondent!tp:party-key(.)"/>
      <xsl:sequence select="distinct-values((for $from in $senders, $to in $addressees return tp:pair($from, $to),
          for $i in 1 to count($unsided), $other in ($senders, $addressees, subsequence($unsided, $i + 1)) return tp:pair($unsided[$i], $other)))"/>
    </xsl:for-each>
  </xsl:variable>
  <!-- Each register entry's name as the first letter naming it gives it, found once: looked up among every party of
       the edition for each correspondent and each pair's sort keys, the pages took minutes each at 20,000 letters. -->
  <xsl:variable name="tp:entry-names" as="map(xs:string, xs:string)">
    <xsl:map>
      <xsl:for-each-group select="$site/s:site/s:document/(s:sender[not(@role = 'author')], s:addressee, s:correspondent)[@ref]" group-by="string(@ref)">
        <xsl:map-entry key="'entry:' || current-grouping-key()" select="normalize-space(current-group()[1])"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>
  <xsl:variable name="tp:nodes" as="map(*)*">
    <xsl:for-each-group select="$tp:letters!(substring-before(., '&#10;'), substring-after(., '&#10;'))" group-by=".">
      <xsl:sort select="count(current-group())" order="descending"/>
      <xsl:sort select="lower-case(tp:name-of-party(current-grouping-key()))"/>
      <xsl:sequence select="map {'key': current-grouping-key(), 'letters': count(current-group()),
          'name': tp:name-of-party(current-grouping-key()), 'href': tp:party-href(current-grouping-key())}"/>
    </xsl:for-each-group>
  </xsl:variable>
  <xsl:variable name="tp:node-by-key" as="map(xs:string, map(*))" select="map:merge($tp:nodes ! map {?key: .})"
    xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  <xsl:variable name="tp:pairs" as="map(*)*">
    <xsl:for-each-group select="$tp:letters" group-by=".">
      <xsl:sort select="count(current-group())" order="descending"/>
      <xsl:sort select="lower-case(tp:name-of-party(substring-before(., '&#10;')))"/>
      <xsl:sort select="lower-case(tp:name-of-party(substring-after(., '&#10;')))"/>
      <xsl:sequence select="map {'a': substring-before(., '&#10;'), 'b': substring-after(., '&#10;'), 'letters': count(current-group())}"/>
    </xsl:for-each-group>
  </xsl:variable>

  <xsl:template match="/">
    <xsl:variable name="shown" select="subsequence($tp:pairs, ($pairs-page - 1) * $pairs-per-page + 1, $pairs-per-page)"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'correspondents'"/>
      <xsl:with-param name="path" select="tp:pairs-page-path($pairs-page)"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.correspondents-lead', count($tp:nodes), string(count($tp:letters)))"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:choose>
          <xsl:when test="exists($tp:pairs)">
            <xsl:if test="$pairs-page eq 1">
              <xsl:call-template name="tp:network">
                <xsl:with-param name="nodes" select="subsequence($tp:nodes, 1, $network-size)"/>
                <xsl:with-param name="pairs" select="$tp:pairs"/>
                <xsl:with-param name="letters" select="count($tp:letters)"/>
              </xsl:call-template>
              <xsl:if test="count($tp:nodes) gt $network-size">
                <p class="overview-note">{tp:message('overview.network-shows', (string($network-size), string(count($tp:nodes))))}</p>
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
                  <xsl:for-each select="$shown">
                    <tr>
                      <td><xsl:sequence select="tp:party-link(?a)"/></td>
                      <td><xsl:sequence select="tp:party-link(?b)"/></td>
                      <td class="number">{?letters}</td>
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

  <!-- The table's pages by the numbers of the pairs each lists, when it has more than one. -->
  <xsl:template name="tp:pair-pages">
    <xsl:if test="$pair-pages gt 1">
      <nav class="initials pair-pages" aria-label="{tp:message('overview.pair-pages')}">
        <ul>
          <xsl:for-each select="1 to $pair-pages">
            <li>
              <a href="{substring-after(tp:pairs-page-path(.), 'overviews/')}">
                <xsl:if test=". eq $pairs-page"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:text>{(. - 1) * $pairs-per-page + 1}–{min((. * $pairs-per-page, count($tp:pairs)))}</xsl:text>
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

  <!-- Two parties as one pair, whichever wrote. -->
  <xsl:function name="tp:pair" as="xs:string">
    <xsl:param name="one" as="xs:string"/>
    <xsl:param name="other" as="xs:string"/>
    <xsl:sequence select="string-join(sort(($one, $other)), '&#10;')"/>
  </xsl:function>

  <!-- A party's key: its register entry's id, or its name when it has none. -->
  <xsl:function name="tp:party-key" as="xs:string">
    <xsl:param name="party" as="element()"/>
    <xsl:sequence select="if ($party/@ref) then 'entry:' || $party/@ref else 'name:' || normalize-space($party)"/>
  </xsl:function>

  <xsl:function name="tp:name-of-party" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="if (starts-with($key, 'entry:')) then $tp:entry-names($key) else substring-after($key, 'name:')"/>
  </xsl:function>

  <!-- The register entry's address (tp:register-href), or '' for a party without one. -->
  <xsl:function name="tp:party-href" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="entry" select="if (starts-with($key, 'entry:')) then tp:entry-by-id(substring-after($key, 'entry:'), $registers) else ()"/>
    <xsl:sequence select="if (exists($entry)) then tp:register-href($entry) else ''"/>
  </xsl:function>

  <xsl:function name="tp:party-link" as="node()">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="node" select="$tp:node-by-key($key)"/>
    <xsl:choose>
      <xsl:when test="$node?href"><a href="{$node?href}">{$node?name}</a></xsl:when>
      <xsl:otherwise><xsl:value-of select="$node?name"/></xsl:otherwise>
    </xsl:choose>
  </xsl:function>
</xsl:stylesheet>

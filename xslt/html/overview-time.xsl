<?xml version="1.0" encoding="UTF-8"?>
<!--
  Overview "Documents over time": the dated documents per year (per month when they span three years
  or less), each bar stacked by kind and linking to that year's or month's documents in the chronology,
  as an SVG chart written here (no charting library: it prints, and needs no script) and as a table of
  the same counts. Source and $site: the site's facts.
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

  <!-- The chart's geometry, in SVG units: the plot's height and its margins (a bar is 6 to 48 units wide). -->
  <xsl:variable name="plot-height" as="xs:integer" select="220"/>
  <xsl:variable name="left" as="xs:integer" select="40"/>
  <xsl:variable name="bottom" as="xs:integer" select="36"/>
  <xsl:variable name="top" as="xs:integer" select="12"/>

  <xsl:template match="/">
    <!-- The documents dated with a year of four digits: one dated by month and day only has none (the chronology lists it without a year). -->
    <xsl:variable name="dated" select="$site/s:site/s:document[matches(@sort, '^[0-9]{4}')]"/>
    <xsl:variable name="years" as="xs:integer*" select="sort($dated/xs:integer(@year))"/>
    <xsl:variable name="first" select="tp:dense-years($years)[1]"/>
    <xsl:variable name="last" select="tp:dense-years($years)[2]"/>
    <xsl:variable name="outliers" select="$dated[xs:integer(@year) lt $first or xs:integer(@year) gt $last]"/>
    <xsl:variable name="by-month" select="exists($dated) and $last - $first le 2"/>
    <!-- Every period from the first to the last, empty ones included, so that gaps show; then the outliers'
         years, which only the table lists. -->
    <xsl:variable name="charted" as="xs:string*" select="
      if (empty($dated)) then ()
      else if ($by-month) then (for $year in $first to $last, $month in 1 to 12 return $year || '-' || format-number($month, '00'))
             [. ge min($dated[not(. intersect $outliers)]/substring(@sort, 1, 7)) and . le max($dated[not(. intersect $outliers)]/substring(@sort, 1, 7))]
      else (for $year in $first to $last return string($year))"/>
    <xsl:variable name="periods" as="xs:string*" select="sort(($charted, distinct-values($outliers/(if ($by-month) then substring(@sort, 1, 7) else string(@year)))))"/>
    <xsl:variable name="kinds" as="xs:string*">
      <xsl:for-each-group select="$dated" group-by="tp:type-label(@type)">
        <xsl:sort select="count(current-group())" order="descending"/>
        <xsl:sort select="current-grouping-key()"/>
        <xsl:sequence select="current-grouping-key()"/>
      </xsl:for-each-group>
    </xsl:variable>
    <!-- For each period: its documents' count per kind, in the order of $kinds. -->
    <xsl:variable name="counts" as="map(xs:string, xs:integer*)" select="map:merge(
      let $length := if ($by-month) then 7 else 4 return
      for $group in $periods return map:entry($group, (for $kind in $kinds return count($dated[substring(@sort, 1, $length) eq $group][tp:type-label(@type) eq $kind]))))"
      xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
    <xsl:call-template name="tp:overview-page">
      <xsl:with-param name="name" select="'time'"/>
      <xsl:with-param name="lead" select="tp:count-message('overview.time-lead', count($dated), tp:message(if ($by-month) then 'overview.per-month' else 'overview.per-year'))"/>
      <xsl:with-param name="content" as="node()*">
        <xsl:choose>
          <xsl:when test="exists($periods)">
            <xsl:call-template name="tp:time-chart">
              <xsl:with-param name="periods" select="$charted"/>
              <xsl:with-param name="kinds" select="$kinds"/>
              <xsl:with-param name="counts" select="$counts"/>
              <xsl:with-param name="by-month" select="$by-month"/>
            </xsl:call-template>
            <xsl:if test="exists($outliers)">
              <p class="overview-note">{tp:count-message('overview.time-outliers', count($outliers), (string($first), string($last)))}</p>
            </xsl:if>
            <xsl:call-template name="tp:time-table">
              <xsl:with-param name="periods" select="$periods"/>
              <xsl:with-param name="kinds" select="$kinds"/>
              <xsl:with-param name="counts" select="$counts"/>
              <xsl:with-param name="by-month" select="$by-month"/>
            </xsl:call-template>
          </xsl:when>
          <xsl:otherwise>
            <p class="overview-empty">{tp:message('overview.no-dates')}</p>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tp:time-chart">
    <xsl:param name="periods" as="xs:string+"/>
    <xsl:param name="kinds" as="xs:string*"/>
    <xsl:param name="counts" as="map(xs:string, xs:integer*)"/>
    <xsl:param name="by-month" as="xs:boolean"/>
    <xsl:variable name="highest" select="max($periods!sum($counts(.)))"/>
    <xsl:variable name="step" select="max((6, min((48, 900 idiv count($periods)))))"/>
    <xsl:variable name="width" select="$left + count($periods) * $step + 8"/>
    <!-- A label under every nth bar, so that labels (about 34 units wide) never overlap. -->
    <xsl:variable name="label-every" select="max((1, xs:integer(ceiling(40 div $step))))"/>
    <xsl:variable name="tick" select="max((1, xs:integer(ceiling($highest div 4))))"/>
    <figure class="time-chart">
      <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {$width} {$top + $plot-height + $bottom}" role="group"
           aria-label="{tp:message('overview.time')}" class="chart" style="max-width: {$width * 1.4}px; --periods: {count($periods)}">
        <xsl:for-each select="0 to $highest idiv $tick">
          <xsl:variable name="y" select="$top + $plot-height - (. * $tick) * $plot-height div $highest"/>
          <line class="grid" x1="{$left}" x2="{$width - 8}" y1="{$y}" y2="{$y}"/>
          <text class="axis" x="{$left - 6}" y="{$y + 4}" text-anchor="end">{. * $tick}</text>
        </xsl:for-each>
        <xsl:for-each select="$periods">
          <xsl:variable name="period" select="."/>
          <xsl:variable name="x" select="$left + (position() - 1) * $step"/>
          <xsl:variable name="values" select="$counts($period)"/>
          <xsl:if test="sum($values) gt 0">
            <a href="{tp:period-href($period)}" aria-label="{tp:period-label($period)}: {tp:count-message('overview.documents', xs:integer(sum($values)))}">
              <title>{tp:period-label($period)}: {tp:count-message('overview.documents', xs:integer(sum($values)))}</title>
              <!-- The bar's segments, kind by kind from the axis up. -->
              <xsl:for-each select="1 to count($kinds)">
                <xsl:variable name="below" select="sum($values[position() lt current()])"/>
                <xsl:if test="$values[current()] gt 0">
                  <rect class="bar kind-{.}" x="{$x + 1}" width="{$step - 2}"
                        y="{$top + $plot-height - ($below + $values[current()]) * $plot-height div $highest}"
                        height="{$values[current()] * $plot-height div $highest}"/>
                </xsl:if>
              </xsl:for-each>
            </a>
          </xsl:if>
          <xsl:if test="(position() - 1) mod $label-every eq 0">
            <text class="axis" x="{$x + $step div 2}" y="{$top + $plot-height + 16}" text-anchor="middle">{if ($by-month) then substring($period, 6, 2) || '/' || substring($period, 3, 2) else $period}</text>
          </xsl:if>
        </xsl:for-each>
        <line class="baseline" x1="{$left}" x2="{$width - 8}" y1="{$top + $plot-height}" y2="{$top + $plot-height}"/>
      </svg>
      <xsl:if test="count($kinds) gt 1">
        <figcaption>
          <ul class="chart-legend">
            <xsl:for-each select="$kinds">
              <li><span class="swatch kind-{position()}" aria-hidden="true"></span>{.}</li>
            </xsl:for-each>
          </ul>
        </figcaption>
      </xsl:if>
    </figure>
  </xsl:template>

  <xsl:template name="tp:time-table">
    <xsl:param name="periods" as="xs:string+"/>
    <xsl:param name="kinds" as="xs:string*"/>
    <xsl:param name="counts" as="map(xs:string, xs:integer*)"/>
    <xsl:param name="by-month" as="xs:boolean"/>
    <div class="table-wrapper">
      <table class="overview-table time-counts">
        <caption>{tp:message(if ($by-month) then 'overview.time-table-month' else 'overview.time-table-year')}</caption>
        <thead>
          <tr>
            <th scope="col">{tp:message(if ($by-month) then 'overview.month' else 'overview.year')}</th>
            <xsl:for-each select="$kinds"><th scope="col" class="number">{.}</th></xsl:for-each>
            <xsl:if test="count($kinds) gt 1"><th scope="col" class="number">{tp:message('overview.total')}</th></xsl:if>
          </tr>
        </thead>
        <tbody>
          <xsl:for-each select="$periods[sum($counts(.)) gt 0]">
            <tr>
              <th scope="row"><a href="{tp:period-href(.)}">{tp:period-label(.)}</a></th>
              <xsl:for-each select="$counts(current())"><td class="number">{.}</td></xsl:for-each>
              <xsl:if test="count($kinds) gt 1"><td class="number">{sum($counts(current()))}</td></xsl:if>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </div>
  </xsl:template>

  <!-- The first and last year of the chart: the years that hold the documents, without a stray few far away
       (a placeholder year 1000 among letters of 1830 to 1882 would leave the chart's first view empty). The
       hundredth part of the documents at either end (at least one) may lie outside, unless within a tenth of
       the remaining span (at least five years) of it: outliers are far, not merely early or late. -->
  <xsl:function name="tp:dense-years" as="xs:integer*">
    <xsl:param name="years" as="xs:integer*"/>
    <xsl:variable name="count" select="count($years)"/>
    <xsl:variable name="tail" select="max((1, $count idiv 100))"/>
    <xsl:choose>
      <xsl:when test="$count le 2 * $tail + 1">
        <xsl:sequence select="$years[1], $years[last()]"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="core-first" select="$years[$tail + 1]"/>
        <xsl:variable name="core-last" select="$years[$count - $tail]"/>
        <xsl:variable name="margin" select="max((5, ($core-last - $core-first) idiv 10))"/>
        <xsl:sequence select="min($years[. ge $core-first - $margin]), max($years[. le $core-last + $margin])"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Whether the chronology has a page per year (chronology/{year}.html: aggregates.py splits a long one). -->
  <xsl:param name="chronology-by-year" as="xs:boolean" select="false()"/>

  <!-- Where a period's documents are listed: its year's or month's heading in the chronology (on its year's page). -->
  <xsl:function name="tp:period-href" as="xs:string">
    <xsl:param name="period" as="xs:string"/>
    <xsl:sequence select="$site-root || (if ($chronology-by-year) then 'chronology/' || substring($period, 1, 4) || '.html' else 'chronology.html')
      || '#' || (if (string-length($period) eq 4) then 'year-' else 'month-') || $period"/>
  </xsl:function>

  <xsl:function name="tp:period-label" as="xs:string">
    <xsl:param name="period" as="xs:string"/>
    <xsl:sequence select="tp:format-date($period)"/>
  </xsl:function>
</xsl:stylesheet>

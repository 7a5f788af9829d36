<?xml version="1.0" encoding="UTF-8"?>
<!--
  The chronology: the edition's documents by their own dates and the events of the registers
  (listEvent), in order and grouped by year, each event under its own id, where the texts' links to
  it land. Not every date the texts mention: a date in a document's title or dateline is the
  document's own, shown once as the document. The date of each month's first entry carries the anchor
  month-YYYY-MM (the overview of documents over time links there; years have year-YYYY).
  Each year also has a page, and so have the entries without a four-digit year (documents dated by month and day only
  or undated, undated events: chronology/undated.html); a long chronology.html is only the years (below).
  Sources: $site, the summaries of the page's documents; the merged registers.
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

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:mode name="tp:chronology" on-no-match="fail" on-multiple-match="fail"/>

  <!-- When an entry (a document's summary, or a register event) happened, for sorting: () when undated. -->
  <xsl:function name="tp:event-sort" as="xs:string?">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="if ($event/self::s:document) then string($event/@sort)[. ne ''] else tp:event-date-key($event)"/>
  </xsl:function>

  <!-- Whether an entry's date has a year of four digits (it is listed under it), else it is listed without a year. -->
  <xsl:function name="tp:has-year" as="xs:boolean">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="matches(string(tp:event-sort($event)), '^[0-9]{4}')"/>
  </xsl:function>

  <xsl:template match="/">
    <!-- Each year has a page ($site/@year: that year's documents and events, where links to an event land:
         tp:event-year), with a bar of the years (s:year in $site) and of the page without a year (s:undated;
         $site/@undated on that page). A long chronology's chronology.html is the page of the years; a short
         one's holds the whole chronology. -->
    <xsl:variable name="years" select="$site/s:site/s:year"/>
    <xsl:variable name="no-year-page" select="$site/s:site/s:undated"/>
    <xsl:variable name="year" select="string($site/s:site/@year)"/>
    <xsl:variable name="undated-page" select="$site/s:site/@undated = 'true'"/>
    <xsl:variable name="documents" select="$site/s:site/s:document"/>
    <!-- the register events: tp:register-href links every event entry of the registers here -->
    <xsl:variable name="events" select="$registers//event[@xml:id]"/>
    <!-- a year's page: the events of its year; the page without a year: the undated events; the page of the years: none; else all -->
    <xsl:variable name="entries" select="if ($year) then $events[tp:event-year(.) eq $year] else if ($undated-page) then $events[empty(tp:event-year(.))]
                                         else if (exists($years)) then () else $events"/>
    <xsl:variable name="undated" select="($documents, $entries)[not(tp:has-year(.))]"/>
    <xsl:variable name="label" select="if ($undated-page) then tp:message('chronology.no-year') else $year[. ne '']"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="string-join((tp:message('nav.chronology'), $label), ' · ')"/>
      <xsl:with-param name="current" select="'chronology'"/>
      <xsl:with-param name="path" select="string(($site/s:site/@path, 'chronology.html')[1])"/>
      <xsl:with-param name="description" select="tp:message('chronology.description', $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('nav.chronology')}<xsl:if test="exists($label)"><span class="register-letter">{$label}</span></xsl:if></h1>
          <p class="register-count">{tp:count-message('chronology.events', count(($documents, $entries)) + sum(($years, $no-year-page)/@entries!xs:integer(.)))}</p>
          <xsl:if test="exists(($years, $no-year-page))">
            <nav class="initials chronology-years" aria-label="{tp:message('chronology.years')}">
              <ul>
                <xsl:for-each select="$years">
                  <li>
                    <a href="{$site-root}{@href}">
                      <xsl:if test="@value eq $year"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                      <xsl:text>{@value}</xsl:text>
                    </a>
                  </li>
                </xsl:for-each>
                <xsl:for-each select="$no-year-page">
                  <li>
                    <a href="{$site-root}{@href}">
                      <xsl:if test="$undated-page"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                      <xsl:text>{tp:message('chronology.no-year')}</xsl:text>
                    </a>
                  </li>
                </xsl:for-each>
              </ul>
            </nav>
          </xsl:if>
        </header>
        <xsl:for-each-group select="($documents, $entries) except $undated" group-by="substring(tp:event-sort(.), 1, 4)">
          <xsl:sort select="current-grouping-key()"/>
          <xsl:variable name="page" select="$years[@value eq current-grouping-key()][not($year)]"/>
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}">
              <xsl:choose>
                <xsl:when test="$page"><a href="{$site-root}{$page/@href}">{current-grouping-key()}</a></xsl:when>
                <xsl:otherwise>{current-grouping-key()}</xsl:otherwise>
              </xsl:choose>
            </h2>
            <ol class="events">
              <xsl:for-each-group select="current-group()" group-by="substring(tp:event-sort(.), 1, 7)">
                <xsl:sort select="current-grouping-key()"/>
                <xsl:for-each select="current-group()">
                  <xsl:sort select="tp:event-sort(.)"/>
                  <xsl:sort select="string(@id)"/>
                  <xsl:apply-templates select="." mode="tp:chronology">
                    <xsl:with-param name="month-anchor" select="if (position() eq 1) then 'month-' || current-grouping-key() else ()"/>
                  </xsl:apply-templates>
                </xsl:for-each>
              </xsl:for-each-group>
            </ol>
          </section>
        </xsl:for-each-group>
        <xsl:if test="exists($undated)">
          <section class="year" aria-labelledby="undated-events">
            <h2 id="undated-events">{tp:message('chronology.no-year')}</h2>
            <ol class="events">
              <xsl:apply-templates select="$undated" mode="tp:chronology"/>
            </ol>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A document at its own date: its title, linked, and who wrote to whom. -->
  <xsl:template match="s:document" mode="tp:chronology">
    <xsl:param name="month-anchor" as="xs:string?" select="()"/>
    <xsl:variable name="senders" select="string-join(s:sender, '; ')"/>
    <xsl:variable name="addressees" select="string-join(s:addressee, '; ')"/>
    <li class="event document-event" data-document="{@id}">
      <xsl:if test="@date ne ''">
        <time class="event-date" datetime="{tokenize(@date, '/')[1]}">
          <xsl:for-each select="$month-anchor"><xsl:attribute name="id" select="."/></xsl:for-each>
          <xsl:text>{tp:format-date-range(@date, @certainty)}</xsl:text>
        </time>
      </xsl:if>
      <div class="event-body">
        <a class="event-document" href="{$site-root}{tp:document-path(@id)}">{@title}</a>
        <span class="event-source">
          <xsl:value-of select="tp:type-label(@type)"/>
          <xsl:choose>
            <xsl:when test="$senders and $addressees">{'. ' || tp:message('chronology.document-from-to', ($senders, $addressees))}</xsl:when>
            <xsl:when test="$senders or s:correspondent">{'. ' || string-join(($senders[. ne ''], s:correspondent), '; ')}</xsl:when>
          </xsl:choose>
        </span>
      </div>
    </li>
  </xsl:template>

  <!-- An event of the registers, under its id; every word of it kept. -->
  <xsl:template match="event" mode="tp:chronology">
    <xsl:param name="month-anchor" as="xs:string?" select="()"/>
    <xsl:variable name="dating" select="tp:event-dating(.)"/>
    <li class="event register-event" id="{@xml:id}">
      <xsl:for-each select="$dating">
        <time class="event-date" datetime="{tokenize(tp:iso-date(.), '/')[1]}">
          <xsl:for-each select="$month-anchor"><xsl:attribute name="id" select="."/></xsl:for-each>
          <xsl:text>{tp:format-dating(.)}</xsl:text>
        </time>
      </xsl:for-each>
      <div class="event-body">
        <xsl:apply-templates select="node()[not(self::date[empty(node())])]" mode="tp:html"/>
      </div>
    </li>
  </xsl:template>

</xsl:stylesheet>

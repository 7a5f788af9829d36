<?xml version="1.0" encoding="UTF-8"?>
<!--
  The chronology: every dated event the texts of the edition mention, in order, grouped by year,
  each linked to its passage, and the events of the registers (listEvent), each under its own id,
  where the texts' links to them land. Sources: the site's facts and the merged registers.
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

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- How much of a passage to show beside its date. -->
  <xsl:param name="context-length" as="xs:integer" select="220"/>

  <xsl:mode name="tp:chronology" on-no-match="fail" on-multiple-match="fail"/>

  <!-- When an event (a dated mention in the facts, or a register event) happened, for sorting: () when undated. -->
  <xsl:function name="tp:event-sort" as="xs:string?">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="if ($event/self::f:event) then string($event/@sort)[. ne ''] else ($event!tp:date-sort-key(.), $event/date!tp:date-sort-key(.))[1]"/>
  </xsl:function>

  <xsl:template match="/">
    <xsl:variable name="events" select="//f:event"/>
    <!-- the register events: tp:register-href links every event entry of the registers here -->
    <xsl:variable name="entries" select="$registers//event[@xml:id]"/>
    <xsl:variable name="undated" select="$entries[empty(tp:event-sort(.))]"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:message('nav.chronology')"/>
      <xsl:with-param name="current" select="'chronology'"/>
      <xsl:with-param name="path" select="'chronology.html'"/>
      <xsl:with-param name="description" select="tp:message('chronology.description', $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('nav.chronology')}</h1>
          <p class="register-count">{tp:count-message('chronology.count', count($events))}</p>
        </header>
        <xsl:for-each-group select="$events, $entries except $undated" group-by="substring(tp:event-sort(.), 1, 4)">
          <xsl:sort select="current-grouping-key()"/>
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}">{current-grouping-key()}</h2>
            <ol class="events">
              <xsl:for-each select="current-group()">
                <xsl:sort select="tp:event-sort(.)"/>
                <xsl:sort select="string(ancestor::s:document/@sort)"/>
                <xsl:apply-templates select="." mode="tp:chronology"/>
              </xsl:for-each>
            </ol>
          </section>
        </xsl:for-each-group>
        <xsl:if test="exists($undated)">
          <section class="year" aria-labelledby="undated-events">
            <h2 id="undated-events">{tp:message('chronology.undated')}</h2>
            <ol class="events">
              <xsl:apply-templates select="$undated" mode="tp:chronology"/>
            </ol>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- A dated mention in a text, linked to its passage. -->
  <xsl:template match="f:event" mode="tp:chronology">
    <xsl:variable name="document" select="ancestor::s:document"/>
    <li class="event">
      <time class="event-date" datetime="{tokenize(@iso, '/')[1]}">{tp:format-date-range(@iso)}</time>
      <div class="event-body">
        <a class="event-passage" href="{tp:document-path($document/@id)}#{@anchor}">
          <xsl:call-template name="tp:excerpt">
            <xsl:with-param name="passage" select="normalize-space(.)"/>
            <xsl:with-param name="surface" select="normalize-space(@surface)"/>
          </xsl:call-template>
        </a>
        <span class="event-source">{$document/@title}</span>
      </div>
    </li>
  </xsl:template>

  <!-- An event of the registers, under its id; every word of it kept. -->
  <xsl:template match="event" mode="tp:chronology">
    <xsl:variable name="iso" select="(tp:iso-date(.), date!tp:iso-date(.))[1]"/>
    <li class="event register-event" id="{@xml:id}">
      <xsl:for-each select="$iso">
        <time class="event-date" datetime="{tokenize(., '/')[1]}">{tp:format-date-range(.)}</time>
      </xsl:for-each>
      <div class="event-body">
        <xsl:apply-templates select="node()[not(self::date[empty(node())])]" mode="tp:html"/>
      </div>
    </li>
  </xsl:template>

  <!-- The words of the date, marked, with up to half of $context-length characters of the passage
       on each side, cut at word boundaries. -->
  <xsl:template name="tp:excerpt">
    <xsl:param name="passage" as="xs:string"/>
    <xsl:param name="surface" as="xs:string"/>
    <xsl:variable name="side" select="$context-length idiv 2"/>
    <xsl:choose>
      <xsl:when test="$surface and contains($passage, $surface)">
        <xsl:variable name="before" select="substring-before($passage, $surface)"/>
        <xsl:variable name="after" select="substring-after($passage, $surface)"/>
        <xsl:value-of select="if (string-length($before) gt $side) then '… ' || replace(substring($before, string-length($before) - $side + 1), '^\S*\s', '') else $before"/>
        <mark>{$surface}</mark>
        <xsl:value-of select="if (string-length($after) gt $side) then replace(substring($after, 1, $side), '\s\S*$', '') || ' …' else $after"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="if (string-length($passage) gt $context-length) then replace(substring($passage, 1, $context-length), '\s\S*$', '') || ' …' else $passage"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

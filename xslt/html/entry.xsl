<?xml version="1.0" encoding="UTF-8"?>
<!--
  One register entry's page (registers/{persons,places,organizations,bibliography}/{file}.html,
  file from tp:entry-file): its name, other names, dates, description and every other detail it
  holds, its authority links (the web addresses its idno give), its coordinates (as text, and as
  data for assets/map.js in div.tp-map), and every passage that mentions it, grouped by document in
  reading order, each with a few words either side (keyword in context, from common/facts.xsl).

  Source (aggregates.py): the documents that name this entry, in reading order, each with only what
  concerns the entry; an entry named in many documents has several pages (s:page, with the numbers
  of the documents each lists), the counts of documents are over all of them:
    <site xmlns="https://teipress.org/ns/site" path="registers/persons/tito.html" correspondence="2" mentioned="3">
      <page number="1" first="1" last="250" href="tito.html" current="true"/> ...
      <document id="" title="" date="" sort="">  <sender ref=""/> ... <f:facts><f:mention entity="" anchor="" surface="" before="" after=""/></f:facts></document>
    </site>
  Parameters: $entry-id, $registers (the merged registers), $site-root (../../).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xmlns:f="https://teipress.org/ns/facts"
  xmlns:reg="https://teipress.org/ns/registers"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="entries.xsl"/>
  <xsl:import href="overviews.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:param name="entry-id" as="xs:string"/>

  <xsl:template match="/">
    <xsl:variable name="entry" select="key('tp:entry-by-id', $entry-id, $registers)[parent::reg:registers][1]"/>
    <xsl:variable name="kind" select="tp:entry-kind($entry)"/>
    <xsl:variable name="page" select="tp:register-page($kind)"/>
    <xsl:variable name="site-node" select="s:site"/>
    <xsl:variable name="mentions" select="//f:mention[@entity = $entry-id]"/>
    <xsl:variable name="correspondence" select="//s:document/*[@ref = $entry-id]"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:standard-name($entry)"/>
      <xsl:with-param name="current" select="$page"/>
      <xsl:with-param name="path" select="string(s:site/@path)"/>
      <xsl:with-param name="description" select="(tp:entry-description($entry), tp:message('register.description.' || $kind, $tp:edition-title))[1]"/>
      <xsl:with-param name="head" as="node()*">
        <xsl:if test="exists(tp:coordinates($entry))">
          <!-- The map's figure and its credits are styled by overviews.css, with the overviews' map. -->
          <link rel="stylesheet" href="{tp:asset('overviews.css')}"/>
          <xsl:call-template name="tp:map-head"/>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content" as="node()*">
        <nav class="entry-register" aria-label="{tp:message('nav.' || $page)}">
          <a href="{$site-root}registers/{$page}.html">{tp:message('nav.' || $page)}</a>
        </nav>
        <article class="entry entry-{$kind}" id="{$entry-id}">
          <xsl:for-each select="$entry">
            <xsl:call-template name="tp:register-entry">
              <xsl:with-param name="mentions" select="$mentions"/>
              <xsl:with-param name="correspondence" select="$correspondence"/>
              <xsl:with-param name="site" select="$site-node"/>
            </xsl:call-template>
          </xsl:for-each>
        </article>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- One entry: name, other names, dates, description, further details, authority links,
       coordinates, documents it wrote or received, passages that mention it. -->
  <xsl:template name="tp:register-entry">
    <xsl:param name="mentions" as="element(f:mention)*"/>
    <xsl:param name="correspondence" as="element()*"/>
    <xsl:param name="site" as="element(s:site)"/>
    <h1 class="entry-name">{tp:standard-name(.)}</h1>
    <p class="entry-kind">{tp:message('js.kind.' || tp:entry-kind(.))}</p>
    <xsl:choose>
      <xsl:when test="self::bibl or self::biblStruct">
        <p class="entry-reference">
          <xsl:if test="@n"><span class="bibl-label">[{tp:message('bibl.document', @n)}]</span><xsl:text> </xsl:text></xsl:if>
          <xsl:call-template name="tp:bibl-reference">
            <xsl:with-param name="bibl" select="."/>
            <xsl:with-param name="with-title" select="false()"/>
          </xsl:call-template>
        </p>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="variants" select="tp:variant-names(.)"/>
        <xsl:if test="exists($variants)">
          <p class="entry-variants"><span class="label">{tp:message('js.label', tp:message('js.also'))}</span>{string-join($variants, '; ')}</p>
        </xsl:if>
        <xsl:for-each select="tp:entry-dates(.)">
          <p class="entry-dates">{.}</p>
        </xsl:for-each>
        <xsl:for-each select="note[@type = 'description']">
          <p class="entry-description"><xsl:apply-templates select="node()" mode="tp:html"/></p>
        </xsl:for-each>
        <xsl:variable name="details" select="*[not(local-name() = $tp:entry-summary-parts)][not(self::note[@type = 'description'])][not(self::event and empty(preceding-sibling::event) and empty(../birth))]"/>
        <!-- Details that the summary above already shows (a bare date of birth) render as nothing. -->
        <xsl:variable name="rendered-details" as="node()*">
          <xsl:apply-templates select="$details" mode="tp:html"/>
        </xsl:variable>
        <xsl:if test="exists($rendered-details[self::* or normalize-space(.)])">
          <div class="entry-details">
            <xsl:sequence select="$rendered-details"/>
          </div>
        </xsl:if>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:variable name="links" select="idno[tp:safe-url(normalize-space(.))[matches(., '^https?:')]]"/>
    <xsl:if test="exists($links)">
      <ul class="authority-links" aria-label="{tp:message('register.authority-records')}">
        <xsl:for-each select="$links">
          <li><a href="{tp:safe-url(normalize-space(.))}" rel="external">{if (@type) then upper-case(substring(@type, 1, 1)) || substring(@type, 2) else tp:message('js.authority-record')}</a></li>
        </xsl:for-each>
      </ul>
    </xsl:if>
    <xsl:variable name="coordinates" select="tp:coordinates(.)"/>
    <xsl:if test="exists($coordinates)">
      <!-- The coordinates as text, drawn on a map by assets/map.js (overviews.xsl's tp:map-head in the page's head). -->
      <figure class="tp-map-figure">
        <div class="tp-map" data-places="{tp:script-json(array {map {'id': string(@xml:id), 'name': tp:standard-name(.), 'lat': $coordinates[1], 'lon': $coordinates[2], 'href': tp:register-href(.)}})}"
             data-tiles="{$map-tiles}" data-attribution="{$map-attribution}" role="region" aria-label="{tp:message('entry.coordinates')}">
          <p class="coordinates"><span class="label">{tp:message('js.label', tp:message('entry.coordinates'))}</span>{tp:format-coordinates($coordinates)}</p>
        </div>
        <xsl:call-template name="tp:map-credits"/>
      </figure>
    </xsl:if>
    <xsl:call-template name="tp:entry-pages"><xsl:with-param name="site" select="$site"/></xsl:call-template>
    <xsl:if test="exists($correspondence)">
      <section class="mentions correspondence" aria-labelledby="correspondence-heading">
        <h2 id="correspondence-heading">{tp:message('js.label', tp:message(if ($correspondence[not(@role = 'author')]) then 'register.author-or-correspondent' else 'meta.author'))}{tp:count-message('register.documents', xs:integer($site/@correspondence))}</h2>
        <ul>
          <xsl:for-each select="$correspondence">
            <li>
              <span class="role">{tp:message('js.label', tp:message('register.role.' || (if (@role = 'author') then 'author' else local-name())))}</span>
              <a class="mention-document" href="{$site-root}{tp:document-path(../@id)}">{../@title}</a>
              <xsl:for-each select="../@date[. ne '']"><xsl:text> </xsl:text><span class="mention-date">{tp:format-date-range(.)}</span></xsl:for-each>
            </li>
          </xsl:for-each>
        </ul>
      </section>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="exists($mentions)">
        <section class="mentions" aria-labelledby="mentions-heading">
          <h2 id="mentions-heading">{tp:count-message('register.mentioned-in', xs:integer($site/@mentioned))}</h2>
          <ol class="mention-documents">
            <!-- the source lists the documents in reading order -->
            <xsl:for-each-group select="$mentions" group-by="ancestor::s:document/@id">
              <xsl:variable name="document" select="ancestor::s:document"/>
              <li>
                <h3 class="mention-heading">
                  <a class="mention-document" href="{$site-root}{tp:document-path($document/@id)}">{$document/@title}</a>
                  <xsl:for-each select="$document/@date[. ne '']"><xsl:text> </xsl:text><span class="mention-date">{tp:format-date-range(.)}</span></xsl:for-each>
                </h3>
                <ul class="mention-passages">
                  <xsl:for-each select="current-group()">
                    <li class="mention-context">
                      <xsl:if test="@before"><span class="context-before">{@before}</span></xsl:if>
                      <xsl:choose>
                        <xsl:when test="@anchor != ''"><a class="mention" href="{$site-root}{tp:document-path($document/@id)}#{@anchor}">{@surface}</a></xsl:when>
                        <xsl:otherwise><span class="mention">{@surface}</span></xsl:otherwise>
                      </xsl:choose>
                      <xsl:if test="@after"><span class="context-after">{@after}</span></xsl:if>
                    </li>
                  </xsl:for-each>
                </ul>
              </li>
            </xsl:for-each-group>
          </ol>
        </section>
      </xsl:when>
      <xsl:when test="xs:integer($site/@mentioned) eq 0">
        <p class="mentions-none">{tp:message(if (xs:integer($site/@correspondence) gt 0) then 'register.in-descriptions-only' else 'register.not-mentioned')}</p>
      </xsl:when>
    </xsl:choose>
    <xsl:call-template name="tp:entry-pages"><xsl:with-param name="site" select="$site"/></xsl:call-template>
  </xsl:template>

  <!-- An entry named in more documents than one page lists: links to its pages, by the documents' numbers. -->
  <xsl:template name="tp:entry-pages">
    <xsl:param name="site" as="element(s:site)"/>
    <xsl:if test="exists($site/s:page)">
      <nav class="entry-pages" aria-label="{tp:message('register.entry-pages')}">
        <ul>
          <xsl:for-each select="$site/s:page">
            <li>
              <a href="{@href}">
                <xsl:if test="@current = 'true'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                <xsl:text>{@first}–{@last}</xsl:text>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  A register page (persons, places, organisations or cited documents): every entry of that kind
  with its other names, dates, description, authority links and every passage of the edition that
  mentions it. Source: the site's facts. Parameters: $kind (person, place, org, bibl), $registers.
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

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:param name="kind" as="xs:string" select="'person'"/>

  <xsl:key name="tp:mentions" match="f:mention" use="@entity"/>
  <xsl:key name="tp:correspondence" match="s:sender | s:addressee | s:correspondent | s:from | s:to" use="@ref"/>

  <!-- Each kind's page (its name in the navigation and the messages). -->
  <xsl:variable name="tp:register-pages" as="map(xs:string, xs:string)" select="map {
    'person': 'persons', 'place': 'places', 'org': 'organizations', 'bibl': 'bibliography'}"/>

  <xsl:template match="/">
    <xsl:variable name="page" select="$tp:register-pages($kind)"/>
    <xsl:variable name="site-root-node" select="/"/>
    <xsl:variable name="entries" as="element()*">
      <xsl:perform-sort select="$registers/reg:registers/*[tp:entry-kind(.) = $kind]">
        <!-- cited documents by their number ([Document 1], [Document 2] ...), everything else by name -->
        <xsl:sort select="if ($kind = 'bibl' and @n castable as xs:integer) then format-number(xs:integer(@n), '000000000') else '~'"/>
        <xsl:sort select="tp:sort-key(.)" lang="{$language}"/>
      </xsl:perform-sort>
    </xsl:variable>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:message('nav.' || $page)"/>
      <xsl:with-param name="current" select="$page"/>
      <xsl:with-param name="path" select="'registers/' || $page || '.html'"/>
      <xsl:with-param name="description" select="tp:message('register.description.' || $kind, $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('nav.' || $page)}</h1>
          <p class="register-count">{tp:count-message('register.count.' || $kind, count($entries))}</p>
          <xsl:variable name="by-initial" as="element()*">
            <xsl:for-each-group select="$entries" group-adjacent="upper-case(substring(tp:sort-key(.), 1, 1))">
              <a href="#{current-group()[1]/@xml:id}">{current-grouping-key()}</a>
            </xsl:for-each-group>
          </xsl:variable>
          <xsl:if test="count($by-initial) gt 1 and $kind ne 'bibl'">
            <nav class="initials" aria-label="{tp:message('register.by-initial')}">
              <ul>
                <xsl:for-each select="$by-initial">
                  <li><xsl:sequence select="."/></li>
                </xsl:for-each>
              </ul>
            </nav>
          </xsl:if>
        </header>
        <xsl:if test="empty($entries)">
          <p class="empty">{tp:message('register.empty.' || $kind)}</p>
        </xsl:if>
        <ol class="register-entries">
          <xsl:for-each select="$entries">
            <li class="entry entry-{$kind}" id="{@xml:id}">
              <xsl:call-template name="tp:register-entry">
                <xsl:with-param name="mentions" select="key('tp:mentions', string(@xml:id), $site-root-node)"/>
                <xsl:with-param name="correspondence" select="key('tp:correspondence', string(@xml:id), $site-root-node)"/>
              </xsl:call-template>
            </li>
          </xsl:for-each>
        </ol>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- One entry: name, other names, dates, description, further details, authority links, mentions. -->
  <xsl:template name="tp:register-entry">
    <xsl:param name="mentions" as="element(f:mention)*"/>
    <xsl:param name="correspondence" as="element()*"/>
    <xsl:variable name="entry" select="."/>
    <h2 class="entry-name">{tp:standard-name(.)}</h2>
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
    <xsl:if test="exists($correspondence)">
      <details class="mentions correspondence" open="">
        <summary>{tp:message('js.label', tp:message(if ($correspondence[not(@role = 'author')]) then 'register.author-or-correspondent' else 'meta.author'))}{tp:count-message('register.documents', count($correspondence/..))}</summary>
        <ul>
          <xsl:for-each select="$correspondence">
            <xsl:sort select="../@sort"/>
            <li>
              <span class="role">{tp:message('js.label', tp:message('register.role.' || (if (@role = 'author') then 'author' else local-name())))}</span>
              <a class="mention-document" href="../{tp:document-path(../@id)}">{../@title}</a>
            </li>
          </xsl:for-each>
        </ul>
      </details>
    </xsl:if>
    <xsl:choose>
      <xsl:when test="exists($mentions)">
        <details class="mentions" open="">
          <summary>{tp:count-message('register.mentioned-in', count(distinct-values($mentions/ancestor::s:document/@id)))}</summary>
          <ul>
            <xsl:for-each-group select="$mentions" group-by="ancestor::s:document/@id">
              <xsl:variable name="document" select="ancestor::s:document"/>
              <li>
                <a class="mention-document" href="../{tp:document-path($document/@id)}">{$document/@title}</a>
                <xsl:text>: </xsl:text>
                <xsl:for-each-group select="current-group()[@anchor != '']" group-by="@anchor">
                  <xsl:if test="position() gt 1">, </xsl:if>
                  <a class="mention" href="../{tp:document-path($document/@id)}#{@anchor}">{tp:message('quotation', @surface)}</a>
                </xsl:for-each-group>
              </li>
            </xsl:for-each-group>
          </ul>
        </details>
      </xsl:when>
      <xsl:otherwise>
        <p class="mentions-none">{tp:message(if (exists($correspondence)) then 'register.in-descriptions-only' else 'register.not-mentioned')}</p>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>

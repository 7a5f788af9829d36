<?xml version="1.0" encoding="UTF-8"?>
<!--
  A register's index page (persons, places, organisations or cited documents): its entries in the
  register's order, each with its name (a link to the entry's own page, html/entry.xsl), its dates
  or reference, its description (its first 160 characters) and the number of documents that name it. A long register is split
  by initial letter (cited documents by number), one page each, with a bar of the letters.

  Source (aggregates.py):
    <index xmlns="https://teipress.org/ns/site" kind="person" path="registers/persons-b.html" total="1200">
      <letter label="A" href="persons.html"/> <letter label="B" href="persons-b.html" current="true"/> ...
      <entry id="tito" file="tito" documents="3"/> ...
    </index>
  Parameters: $registers (the merged registers), $site-root (../).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xmlns:reg="https://teipress.org/ns/registers"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="entries.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="index" select="s:index"/>
    <xsl:variable name="kind" select="string($index/@kind)"/>
    <xsl:variable name="page" select="tp:register-page($kind)"/>
    <xsl:variable name="letter" select="$index/s:letter[@current = 'true']/@label"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="string-join((tp:message('nav.' || $page), $letter), ' · ')"/>
      <xsl:with-param name="current" select="$page"/>
      <xsl:with-param name="path" select="string($index/@path)"/>
      <xsl:with-param name="description" select="tp:message('register.description.' || $kind, $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('nav.' || $page)}<xsl:if test="exists($letter)"><span class="register-letter">{$letter}</span></xsl:if></h1>
          <p class="register-count">{tp:count-message('register.count.' || $kind, xs:integer($index/@total))}</p>
          <xsl:if test="count($index/s:letter) gt 1">
            <nav class="initials" aria-label="{tp:message(if ($kind eq 'bibl') then 'register.by-number' else 'register.by-initial')}">
              <ul>
                <xsl:for-each select="$index/s:letter">
                  <li>
                    <a href="{@href}">
                      <xsl:if test="@current = 'true'"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
                      <xsl:text>{@label}</xsl:text>
                    </a>
                  </li>
                </xsl:for-each>
              </ul>
            </nav>
          </xsl:if>
        </header>
        <xsl:if test="empty($index/s:entry)">
          <p class="empty">{tp:message('register.empty.' || $kind)}</p>
        </xsl:if>
        <ol class="register-entries">
          <xsl:for-each select="$index/s:entry">
            <xsl:variable name="count" select="xs:integer(@documents)"/>
            <xsl:for-each select="key('tp:entry-by-id', string(@id), $registers)[parent::reg:registers][1]">
              <li class="entry entry-{$kind}" id="{@xml:id}">
                <a class="entry-name" href="{tp:register-href(.)}">{tp:standard-name(.)}</a>
                <xsl:for-each select="if (self::bibl or self::biblStruct) then (@n!('[' || tp:message('bibl.document', .) || ']'), tp:bibl-parties(.), tp:entry-dates(.)) else tp:entry-dates(.)">
                  <xsl:text> </xsl:text><span class="entry-dates">{.}</span>
                </xsl:for-each>
                <xsl:for-each select="tp:entry-description(.)">
                  <xsl:text> </xsl:text><span class="entry-description">{if (string-length(.) gt 160) then substring(., 1, 159) || '…' else .}</span>
                </xsl:for-each>
                <xsl:text> </xsl:text>
                <span class="entry-count">{if ($count gt 0) then tp:count-message('register.documents', $count) else tp:message('register.none')}</span>
              </li>
            </xsl:for-each>
          </xsl:for-each>
        </ol>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
</xsl:stylesheet>

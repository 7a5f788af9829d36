<?xml version="1.0" encoding="UTF-8"?>
<!--
  The home page: the edition's title and editors, links to its own pages (the divisions of
  tei/edition.xml have pages of their own: html.py _default_pages), then the list of documents,
  sortable and filterable by date, type, sender and addressee (assets/site.js; without script it is
  a plain table), then what of edition.xml's text has no page of its own.
  A long list is split into pages of a fixed number of documents (aggregates.py LIST_PAGE_SIZE):
  index.html holds the first with the edition's text, documents-2.html ... the others, each with a bar
  of the pages by their years (s:list-pages in $site; only the first page's source is edition.xml).
  Source: tei/edition.xml, or the page's summaries when the edition has none or on the list's other
  pages. Parameter $site: the summaries of the page's documents and the bar of pages.
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
  <xsl:import href="entries.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="documents" select="$site/s:site/s:document"/>
    <xsl:variable name="pages" select="$site/s:site/s:list-pages"/>
    <xsl:variable name="this-page" select="$pages/s:list-page[@number eq $pages/@current]"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="string-join(($tp:edition-title, $this-page[@number ne '1']!tp:message('list.range', (@first, @last, $pages/@total))), ' · ')"/>
      <xsl:with-param name="current" select="'home'"/>
      <xsl:with-param name="path" select="string($this-page[@number ne '1']/@href)"/>
      <xsl:with-param name="description" select="($tp:edition-subtitle, tp:count-message('home.description', xs:integer(($pages/@total, count($documents))[1])))[1]"/>
      <xsl:with-param name="json-ld" select="map {'@context': 'https://schema.org', '@type': 'Collection', 'name': $tp:edition-title,
          'url': tp:permalink('index.html'), 'editor': array { $tp:edition-editors!map {'@type': 'Person', 'name': .} },
          'hasPart': array { $documents!map {'@type': 'CreativeWork', 'name': string(@title), 'url': tp:permalink(tp:document-path(@id))} }}"/>
      <xsl:with-param name="content" as="node()*">
        <header class="edition-header">
          <h1>{$tp:edition-title}</h1>
          <xsl:for-each select="$tp:edition-subtitle">
            <p class="edition-subtitle">{.}</p>
          </xsl:for-each>
          <xsl:if test="exists($tp:edition-editors)">
            <p class="edition-editors">{tp:message('edition.edited-by', string-join($tp:edition-editors, ', '))}</p>
          </xsl:if>
          <!-- The edition's own pages (its texts, teipress.toml `pages`) and the other ways into the documents. -->
          <nav class="edition-actions" aria-label="{tp:message('home.more')}">
            <xsl:for-each select="parse-json($extra-menu)?*[exists(?current)]">
              <a href="{?href}">{?label}</a>
            </xsl:for-each>
            <a href="chronology.html">{tp:message('nav.chronology')}</a>
            <a href="overviews/time.html">{tp:message('nav.overviews')}</a>
            <a href="search.html">{tp:message('home.search')}</a>
          </nav>
        </header>
        <!-- The documents first; what of the edition's text has no page of its own follows them. -->
        <xsl:call-template name="tp:document-list">
          <xsl:with-param name="documents" select="$documents"/>
          <xsl:with-param name="pages" select="$pages"/>
        </xsl:call-template>
        <xsl:if test="/TEI">
          <xsl:if test="normalize-space(/TEI/text)">
            <section class="edition-text reading-text" aria-label="{tp:message('home.introduction')}">
              <xsl:apply-templates select="/*" mode="tp:html"/>
            </section>
          </xsl:if>
          <xsl:apply-templates select="/*" mode="tp:html-notes"/>
          <xsl:call-template name="tp:cited-documents">
            <xsl:with-param name="root" select="/*"/>
          </xsl:call-template>
          <xsl:if test="not(/TEI/text//div[contains(lower-case(@type), 'principle') or contains(lower-case(@type), 'editorial')])">
            <xsl:for-each select="/TEI/teiHeader/encodingDesc/editorialDecl[normalize-space()]">
              <section class="editorial-principles" aria-labelledby="principles-heading">
                <h2 id="principles-heading">{tp:message('home.principles')}</h2>
                <xsl:for-each select="p, *[not(self::p)]">
                  <p>{normalize-space(.)}</p>
                </xsl:for-each>
              </section>
            </xsl:for-each>
          </xsl:if>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tp:document-list">
    <xsl:param name="documents" as="element(s:document)*"/>
    <xsl:param name="pages" as="element(s:list-pages)?"/>
    <section class="documents" aria-labelledby="documents-heading">
      <h2 id="documents-heading">{tp:message('nav.home')}</h2>
      <xsl:apply-templates select="$pages[s:list-page]" mode="tp:list-pages"/>
      <form class="document-filters" hidden="" aria-label="{tp:message('filter.label')}">
        <div class="filter">
          <label for="filter-text">{tp:message('filter.text')}</label>
          <input id="filter-text" type="search" name="text" autocomplete="off"/>
        </div>
        <xsl:call-template name="tp:filter-select">
          <xsl:with-param name="name" select="'type'"/>
          <xsl:with-param name="label" select="tp:message('list.type')"/>
          <xsl:with-param name="values" select="$documents/@type!tp:type-label(.)"/>
        </xsl:call-template>
        <xsl:call-template name="tp:filter-select">
          <xsl:with-param name="name" select="'sender'"/>
          <xsl:with-param name="label" select="tp:message('list.from')"/>
          <xsl:with-param name="values" select="$documents!string-join(s:sender, '; ')[. ne '']"/>
        </xsl:call-template>
        <xsl:call-template name="tp:filter-select">
          <xsl:with-param name="name" select="'addressee'"/>
          <xsl:with-param name="label" select="tp:message('list.to')"/>
          <xsl:with-param name="values" select="$documents!string-join(s:addressee, '; ')[. ne '']"/>
        </xsl:call-template>
        <div class="filter filter-years">
          <label for="filter-from">{tp:message('filter.years')}</label>
          <span><input id="filter-from" name="from" type="number" inputmode="numeric" min="0" max="9999" placeholder="{tp:message('filter.from')}" aria-label="{tp:message('filter.from-year')}"/>–<input id="filter-to" name="to" type="number" inputmode="numeric" min="0" max="9999" placeholder="{tp:message('filter.to')}" aria-label="{tp:message('filter.to-year')}"/></span>
        </div>
        <button type="reset">{tp:message('filter.reset')}</button>
      </form>
      <p class="document-count" aria-live="polite"><xsl:call-template name="tp:message-around">
        <xsl:with-param name="message" select="tp:count-message('list.count', count($documents))"/>
        <xsl:with-param name="inserted" as="element()"><span class="shown">{count($documents)}</span></xsl:with-param>
      </xsl:call-template></p>
      <div class="table-wrapper">
        <table class="document-list">
          <thead>
            <tr>
              <th scope="col" aria-sort="ascending" data-sort="date">{tp:message('list.date')}</th>
              <th scope="col" data-sort="title">{tp:message('list.title')}</th>
              <th scope="col" data-sort="type">{tp:message('list.type')}</th>
              <th scope="col" data-sort="sender">{tp:message('list.from')}</th>
              <th scope="col" data-sort="addressee">{tp:message('list.to')}</th>
            </tr>
          </thead>
          <tbody>
            <xsl:for-each select="$documents">
              <!-- The row is the target of links to the document from the introduction (ref target="#id"). -->
              <tr id="{if (exists($edition) and exists(tp:entry-by-id(@id, $edition))) then 'document-' || @id else @id}" data-date="{@sort}" data-year="{@year}" data-title="{@title}" data-type="{tp:type-label(@type)}" data-sender="{string-join(s:sender, '; ')}" data-addressee="{string-join(s:addressee, '; ')}">
                <td class="date-cell"><xsl:if test="@date != ''"><time datetime="{tokenize(@date, '/')[1]}">{tp:format-date-range(@date, @certainty)}</time></xsl:if></td>
                <td><a href="{tp:document-path(@id)}">{@title}</a><xsl:for-each select="s:summary"><span class="row-summary">{.}</span></xsl:for-each></td>
                <td>{tp:type-label(@type)}</td>
                <td>{string-join(s:sender, '; ')}<xsl:for-each select="s:from"><span class="row-place">{.}</span></xsl:for-each></td>
                <td>{string-join(s:addressee, '; ')}<xsl:for-each select="s:to"><span class="row-place">{.}</span></xsl:for-each></td>
              </tr>
            </xsl:for-each>
          </tbody>
        </table>
      </div>
      <!-- The bar once more where a reader of a long page arrives, named apart from the first one. -->
      <xsl:apply-templates select="$pages[s:list-page]" mode="tp:list-pages-end"/>
    </section>
  </xsl:template>

  <!-- The bar of the list's pages: each by the years of its first and last document (and their numbers,
       as two pages may hold one year), the current one marked. -->
  <xsl:mode name="tp:list-pages" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:template match="s:list-pages" mode="tp:list-pages">
    <xsl:variable name="current" select="s:list-page[@number eq current()/@current]"/>
    <p class="list-range">{tp:message('list.range', ($current/@first, $current/@last, @total))}</p>
    <nav class="initials list-pages" aria-label="{tp:message('list.pages')}">
      <ul>
        <xsl:apply-templates select="s:list-page" mode="tp:list-pages"/>
      </ul>
    </nav>
  </xsl:template>

  <xsl:mode name="tp:list-pages-end" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:template match="s:list-pages" mode="tp:list-pages-end">
    <nav class="initials list-pages" aria-label="{tp:message('list.pages-end')}">
      <ul>
        <xsl:apply-templates select="s:list-page" mode="tp:list-pages"/>
      </ul>
    </nav>
  </xsl:template>

  <xsl:template match="s:list-page" mode="tp:list-pages">
    <xsl:variable name="years" select="distinct-values((@from, @to)!(if (. eq '') then tp:message('list.undated') else string(.)))"/>
    <li>
      <a href="{@href}">
        <xsl:if test="@number eq ../@current"><xsl:attribute name="aria-current">page</xsl:attribute></xsl:if>
        <xsl:text>{string-join($years, '–')} ({@first}–{@last})</xsl:text>
      </a>
    </li>
  </xsl:template>

  <xsl:template name="tp:filter-select">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="values" as="xs:string*"/>
    <div class="filter">
      <label for="filter-{$name}">{$label}</label>
      <select id="filter-{$name}" name="{$name}">
        <option value="">{tp:message('filter.all')}</option>
        <xsl:for-each select="distinct-values($values[normalize-space()])">
          <xsl:sort select="lower-case(.)"/>
          <option value="{.}">{.}</option>
        </xsl:for-each>
      </select>
    </div>
  </xsl:template>
</xsl:stylesheet>

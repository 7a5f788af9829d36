<?xml version="1.0" encoding="UTF-8"?>
<!--
  The front and back matter of the book, or of one of its volumes, from `tei/edition.xml` (entry
  stylesheet). teipress puts the documents' chapters (document.xsl with part=book) between the two parts:
    front  imports lib.typ, applies the template (title page, verso with imprint and licence,
           contents), then in the first volume the edition's own texts: introduction, editorial
           principles ... one chapter per top-level div;
    back   the bibliography of the documents the volume cites, then the indexes of persons, places,
           organisations where the volume holds them (`indexes`): the whole book's in a book of one volume
           or in the last volume; else each volume leaves its index pages for the index volumes after the
           letters, whose back matter is their part of the indexes (front matter and indexes, no letters);
    index-order  the order of the indexes' entries as JSON, to divide them into index volumes.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:array="http://www.w3.org/2005/xpath-functions/array"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/facts.xsl"/>
  <xsl:import href="../common/readings.xsl"/>
  <xsl:import href="../common/rendition.xsl"/>
  <xsl:import href="../common/language.xsl"/>
  <xsl:import href="typst.xsl"/>
  <xsl:import href="metadata.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="edition.xsl"/>
  <xsl:import href="indexes.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="part" as="xs:string" select="'front'"/>
  <!-- The edition's subtitle (edition.py `edition_titles`); empty for none. -->
  <xsl:param name="edition-subtitle" as="xs:string" select="''"/>
  <!-- Which volume this is (0: the book is one volume), the years of its documents ("1975–1976"),
       whether it is the last of the letters (it holds the bibliography of what no volume cites). -->
  <xsl:param name="volume" as="xs:integer" select="0"/>
  <xsl:param name="volume-years" as="xs:string" select="''"/>
  <xsl:param name="last-volume" as="xs:boolean" select="true()"/>
  <!-- Which indexes the volume prints: 'all' (the book, or the last volume, prints the whole edition's), 'pages'
       (none: it leaves the pages of its index marks for the volumes that do), 'part' (an index volume, after the
       letters: of the indexes of `index-kinds`, the top-level entries of `index-keys`, with their sub-entries;
       of those of `index-divided` it holds a part, which its title says). -->
  <xsl:param name="indexes" as="xs:string" select="'all'"/>
  <xsl:param name="index-kinds" as="array(xs:string)" select="[]"/>
  <xsl:param name="index-keys" as="array(xs:string)" select="[]"/>
  <xsl:param name="index-divided" as="array(xs:string)" select="[]"/>
  <xsl:variable name="index-part" as="map(xs:string, xs:boolean)" select="map:merge(array:flatten($index-keys)!map:entry(., true()), map {'duplicates': 'use-first'})"/>
  <!-- The cited documents' ids: those this volume's documents cite, those any volume's documents cite. -->
  <xsl:param name="cited" as="array(xs:string)" select="[]"/>
  <xsl:param name="cited-anywhere" as="array(xs:string)" select="[]"/>
  <xsl:param name="paper" as="xs:string" select="'a4'"/>
  <xsl:param name="fonts" as="array(xs:string)" select="[]"/>

  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:pdf-book" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*" mode="tp:pdf-book"/>
  </xsl:template>

  <!-- The order of the indexes, as JSON (indexes.xsl tp:index-order). -->
  <xsl:template match="*[$part eq 'index-order']" mode="tp:pdf-book" priority="2">
    <xsl:value-of select="tp:index-order()"/>
  </xsl:template>

  <!-- An index volume's back matter is its part of the indexes. -->
  <xsl:template match="*[$part eq 'back' and $indexes eq 'part']" mode="tp:pdf-book" priority="3">
    <xsl:value-of select="tp:book-indexes(array:flatten($index-kinds), $index-part)"/>
  </xsl:template>

  <xsl:template match="*[$part eq 'back']" mode="tp:pdf-book" priority="2">
    <!-- The edition's own texts, in the first volume, cite documents too. -->
    <xsl:variable name="cited-in-front" select="(text, teiHeader/encodingDesc/editorialDecl)//(ref | ptr)!tp:pointer-ids(.)"/>
    <xsl:value-of select="tp:bibliography($registers/*/(bibl, biblStruct)[@xml:id][@xml:id = array:flatten($cited) or ($volume le 1 and @xml:id = $cited-in-front)
                                           or ($last-volume and not(@xml:id = (array:flatten($cited-anywhere), $cited-in-front)))])"/>
    <xsl:value-of select="if ($indexes eq 'all') then tp:book-indexes($tp:index-kinds, ()) else '&#10;#tp-index-pages()&#10;'"/>
    <!-- Where this volume's targets lie, for the other volumes' references to them. -->
    <xsl:if test="$volume gt 0">&#10;#tp-target-pages()&#10;</xsl:if>
  </xsl:template>

  <xsl:template match="*" mode="tp:pdf-book">
    <xsl:variable name="subtitle" select="$edition-subtitle[normalize-space(.)]"/>
    <xsl:variable name="volume-title" select="if ($volume eq 0) then ()
      else if ($indexes eq 'part') then tp:message('pdf.volume-indexes', (string($volume), tp:index-volume-contents(array:flatten($index-kinds), $index-part, array:flatten($index-divided))))
      else if ($volume-years ne '') then tp:message('pdf.volume-years', (string($volume), $volume-years)) else tp:message('pdf.volume', string($volume))"/>
    <xsl:text>#import "lib.typ": *&#10;</xsl:text>
    <xsl:text>#show: edition.with(book: true, title: {tp:typst-string($tp:pdf-edition-title)}, subtitle: {if (exists($subtitle)) then tp:typst-string($subtitle) else 'none'}, </xsl:text>
    <xsl:text>volume: {if (exists($volume-title)) then tp:typst-string($volume-title) else 'none'}, volume-number: {if ($volume eq 0) then 'none' else $volume}, </xsl:text>
    <xsl:text>editors: {tp:typst-array(teiHeader/fileDesc/titleStmt/editor!normalize-space(.))}, imprint: {tp:typst-array(tp:pdf-imprint(teiHeader))}, licence: {tp:typst-array(tp:pdf-licence(teiHeader))}, </xsl:text>
    <xsl:text>keywords: {tp:typst-array(teiHeader/profileDesc/textClass/keywords//term!normalize-space(.))}, </xsl:text>
    <xsl:text>language: {tp:typst-string(tp:typst-language((text/@xml:lang, @xml:lang, $language)[1]))}, paper: {tp:typst-string($paper)}, </xsl:text>
    <xsl:text>words: (contents: {tp:typst-string(tp:message('pdf.contents'))}, edited-by: {tp:typst-string(tp:message('pdf.edited-by'))}, conjunction: {tp:typst-string(tp:message('pdf.and'))}, page: {tp:typst-string(tp:message('pdf.page'))}, volume-page: {tp:typst-string(tp:message('pdf.volume-page'))})</xsl:text>
    <xsl:if test="array:size($fonts) gt 0">, fonts: {tp:typst-array(array:flatten($fonts))}</xsl:if>
    <xsl:value-of select="tp:date-argument((teiHeader/fileDesc/publicationStmt/date/@when)[1])"/>
    <xsl:text>)&#10;</xsl:text>
    <!-- The edition's own texts open the first volume. -->
    <xsl:if test="$volume le 1">
      <xsl:apply-templates select="text" mode="tp:pdf-book-chapter"/>
      <!-- Editorial principles from the header when the edition's text has no chapter of them. -->
      <xsl:if test="teiHeader/encodingDesc/editorialDecl[normalize-space(.)] and not(text//div[matches(@type, 'principles|editorial|editorialDecl', 'i')])">
        <xsl:text>&#10;#tp-document(id: "editorial-principles", title: {tp:typst-string(tp:message('home.principles'))}, numbered: false)[</xsl:text>
        <xsl:apply-templates select="teiHeader/encodingDesc/editorialDecl/node()" mode="tp:pdf"/>
        <xsl:text>]&#10;</xsl:text>
      </xsl:if>
    </xsl:if>
  </xsl:template>

  <xsl:mode name="tp:pdf-book-chapter" on-no-match="fail" on-multiple-match="fail"/>

  <!-- A top-level division of edition.xml is a chapter titled by its head. -->
  <xsl:template match="*[tp:behaviour(.) = 'division']" mode="tp:pdf-book-chapter">
    <xsl:variable name="title" select="(head[1]!normalize-space(.), @n, (@type!tp:token-type-label(.), tp:message('pdf.preface'))[1])[. ne ''][1]"/>
    <xsl:text>&#10;#tp-document(id: {tp:typst-string((@xml:id, 'front-' || count(preceding::*) )[1])}, title: {tp:typst-string($title)}, numbered: false)[</xsl:text>
    <xsl:apply-templates select="node() except head[1]" mode="tp:pdf"/>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <!-- The edition's text, its groups of texts and their front, body and back: their parts in order. -->
  <xsl:template match="text | group | front | body | back" mode="tp:pdf-book-chapter" priority="2">
    <xsl:apply-templates mode="tp:pdf-book-chapter"/>
  </xsl:template>

  <!-- Anything else at the top (a paragraph outside a division, a group's head) is rendered as it stands. -->
  <xsl:template match="node()" mode="tp:pdf-book-chapter" priority="-1">
    <xsl:apply-templates select="." mode="tp:pdf"/>
  </xsl:template>
</xsl:stylesheet>

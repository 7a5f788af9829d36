<?xml version="1.0" encoding="UTF-8"?>
<!--
  The behaviour of every TEI element: what it *is* on the page, decided once for all renderers.
  html/ and pdf/ each render this closed set of behaviours; an edition overrides a rule here (in
  its own stylesheet that imports ours) to change what an element means everywhere at once.

  Behaviours: metadata (not part of the reading text), division, heading, block, verse-line,
  list, item, table, row, cell, figure, graphic, note, alternate, entity, date, link, quote,
  emphasis, break, gap, milestone-text (kept text of milestones), inline.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:mode name="tp:behaviour" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The elements that have a behaviour by their names alone: the rules below match these names, html/text.xsl
       (tp:behaviour-class) leaves the behaviour's class off them, since their tei- class says it, and site.css,
       site.js and facsimile.js select them by that class (tests/test_behaviour_classes.py holds those to these
       names). An element an edition's own rule gives the behaviour carries the class. -->
  <xsl:variable name="tp:named-behaviours" static="yes" as="map(xs:string, xs:string)" select="map {
    'alternate': 'choice | app | subst',
    'date': 'date | time | origDate',
    'link': 'ref | ptr',
    'quote': 'quote | q | said | cit | soCalled | mentioned'}"/>

  <xsl:function name="tp:behaviour" as="xs:string" cache="yes">
    <xsl:param name="element" as="element()"/>
    <xsl:apply-templates select="$element" mode="tp:behaviour"/>
  </xsl:function>

  <!-- Header-like content outside the reading text: rendered by the metadata panels, not inline. -->
  <xsl:template match="teiHeader | standOff | facsimile | sourceDoc | fsdDecl | interpGrp | linkGrp | spanGrp | timeline" mode="tp:behaviour" as="xs:string">metadata</xsl:template>

  <xsl:template match="TEI | teiCorpus | text | group | front | body | back | div | div1 | div2 | div3 | div4 | div5 | div6 | div7 | floatingText | opener | closer | postscript | sp | lg | titlePage | docTitle | argument | epigraph | trailer | salute[not(parent::p)] | dateline[not(parent::p)] | byline[not(parent::p)] | signed[not(parent::p)] | castList | set | msDesc | listBibl | listPerson | listPlace | listOrg | listEvent" mode="tp:behaviour" as="xs:string">division</xsl:template>

  <xsl:template match="head | docTitle/titlePart" mode="tp:behaviour" as="xs:string">heading</xsl:template>

  <xsl:template match="p | ab | speaker | stage[not(parent::p or parent::l)] | bibl[parent::listBibl] | biblStruct | person | place | org | event | castItem | docImprint | docAuthor | docDate | address[not(ancestor::p)] | camera | view | u" mode="tp:behaviour" as="xs:string">block</xsl:template>

  <xsl:template match="l" mode="tp:behaviour" as="xs:string">verse-line</xsl:template>

  <xsl:template match="list | castGroup | listApp | listWit" mode="tp:behaviour" as="xs:string">list</xsl:template>

  <xsl:template match="item | label[parent::list] | witness" mode="tp:behaviour" as="xs:string">item</xsl:template>

  <xsl:template match="table" mode="tp:behaviour" as="xs:string">table</xsl:template>

  <xsl:template match="row" mode="tp:behaviour" as="xs:string">row</xsl:template>

  <xsl:template match="cell" mode="tp:behaviour" as="xs:string">cell</xsl:template>

  <xsl:template match="figure" mode="tp:behaviour" as="xs:string">figure</xsl:template>

  <xsl:template match="graphic | media" mode="tp:behaviour" as="xs:string">graphic</xsl:template>

  <xsl:template match="note" mode="tp:behaviour" as="xs:string">note</xsl:template>

  <!-- Two or more readings of one place: the edition shows one and records the others. -->
  <xsl:template _match="{$tp:named-behaviours?alternate}" mode="tp:behaviour" as="xs:string">alternate</xsl:template>

  <xsl:template match="persName | placeName | orgName | rs | name | geogName | settlement | country | region | bloc | district | title[@ref or @key]" mode="tp:behaviour" as="xs:string">entity</xsl:template>

  <xsl:template _match="{$tp:named-behaviours?date}" mode="tp:behaviour" as="xs:string">date</xsl:template>

  <xsl:template _match="{$tp:named-behaviours?link}" mode="tp:behaviour" as="xs:string">link</xsl:template>

  <xsl:template _match="{$tp:named-behaviours?quote}" mode="tp:behaviour" as="xs:string">quote</xsl:template>

  <xsl:template match="hi | emph | foreign | term | title | distinct | gloss | abbr | expan | sic | corr | orig | reg | add | del | unclear | supplied | surplus | damage | restore | seg | w | c | pc | num | measure | lem | rdg" mode="tp:behaviour" as="xs:string">emphasis</xsl:template>

  <xsl:template match="lb | pb | cb | milestone | gb" mode="tp:behaviour" as="xs:string">break</xsl:template>

  <xsl:template match="gap | space" mode="tp:behaviour" as="xs:string">gap</xsl:template>

  <!-- Anything else keeps its content: a block when it holds blocks, else an inline wrapper. -->
  <xsl:template match="*" mode="tp:behaviour" priority="-10" as="xs:string">{if (*[tp:behaviour(.) = ('division', 'block', 'heading', 'list', 'table', 'figure', 'verse-line')]) then 'division' else 'inline'}</xsl:template>

  <!-- Whether the white space that ends a text stands before a note's mark and is left out: the mark follows the
       word it annotates ("Locher²" in print, "Locher[1]" on the page, where the source has "Locher <note>"). Only
       when the note is followed by white space, punctuation or nothing, so that a space between two words is
       always kept ("Locher <note/>hätte" stays "Locher ²hätte"). -->
  <xsl:function name="tp:stands-before-note-mark" as="xs:boolean">
    <xsl:param name="text" as="text()"/>
    <!-- The white space first: every text of a page asks, and most are followed by an element that is no note,
         whose behaviour would be asked in vain. -->
    <xsl:sequence select="tp:is-space(substring($text, string-length($text)))
                          and (some $note in $text/following-sibling::node()[1][self::*][tp:behaviour(.) = 'note'][not(ancestor::*[tp:behaviour(.) = 'note'])]
                               satisfies (every $after in $note/following-sibling::node()[1] satisfies $after[self::text()][matches(., '^[\s\p{P}]')]))"/>
  </xsl:function>

  <!-- Whether a character (a string of one, or the empty string) is XML white space, what \s matches. For the end
       or start of a text: Saxon-HE tries a regular expression such as '\s$' at each of its characters (a tenth of a
       letter's facts went into such tries, issue 11). -->
  <xsl:function name="tp:is-space" as="xs:boolean">
    <xsl:param name="character" as="xs:string"/>
    <xsl:sequence select="$character = (' ', '&#9;', '&#10;', '&#13;')"/>
  </xsl:function>

  <!-- Whether a note's mark comes right after another note's: nothing between the two notes, or only white
       space that is left out (tp:stands-before-note-mark). -->
  <xsl:function name="tp:follows-note-mark" as="xs:boolean">
    <xsl:param name="note" as="element()"/>
    <xsl:variable name="before" select="$note/preceding-sibling::node()[1]"/>
    <xsl:variable name="other" select="if ($before[self::text()][normalize-space(.) eq ''][tp:stands-before-note-mark(.)]) then $before/preceding-sibling::node()[1] else $before"/>
    <xsl:sequence select="exists($other[self::*][tp:behaviour(.) = 'note'])"/>
  </xsl:function>

</xsl:stylesheet>

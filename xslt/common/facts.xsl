<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facts of one document, for registers, chronology, indexes and data exports: every entity
  mention and every dated event, each with the anchor of its passage.

  Output (namespace https://teipress.org/ns/facts):
    <facts document="id" type="telegram" title="..." date="1967-05-01">
      <mention entity="tito" kind="person" anchor="p12" surface="Tito" before="… a telegram from Marshal " after=" to the President, who …"/>
      <event sort="1975-11-04" when="1975-11-04" anchor="p5" surface="November 4th">… the meeting on November 4th in Belgrade …</event>
    </facts>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns="https://teipress.org/ns/facts"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="functions.xsl"/>
  <xsl:import href="behaviours.xsl"/>
  <xsl:import href="passages.xsl"/>
  <xsl:import href="kinds.xsl"/>
  <xsl:import href="correspondence.xsl"/>
  <xsl:import href="readings.xsl"/>

  <!-- The document's id when the caller knows it better (the file name). -->
  <xsl:param name="document-id" as="xs:string?" select="()"/>

  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:facts" on-no-match="shallow-skip" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="root" select="*"/>
    <facts document="{($document-id, $root/@xml:id, 'document')[1]}"
           type="{tp:document-kind($root)}"
           title="{tp:document-title($root)}"
           date="{tp:document-date($root)}">
      <xsl:apply-templates select="$root//text[not(ancestor::text)]" mode="tp:facts"/>
    </facts>
  </xsl:template>

  <!-- Texts nested in a text (group, floatingText) are visited as part of it, once. -->
  <xsl:template match="text" mode="tp:facts">
    <xsl:apply-templates mode="tp:facts"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'entity'][exists(tp:pointer-ids(.))]" mode="tp:facts">
    <xsl:variable name="element" select="."/>
    <xsl:for-each select="tp:pointer-ids(.)">
      <mention entity="{(tp:entry-by-id(., root($element))/@xml:id, .)[1]}" kind="{(tp:entity-kind($element), 'other')[1]}" anchor="{tp:passage-anchor($element)}" surface="{normalize-space($element)}">
        <xsl:sequence select="tp:mention-context($element)"/>
      </mention>
    </xsl:for-each>
    <xsl:apply-templates mode="tp:facts"/>
  </xsl:template>

  <xsl:template match="ref[starts-with(@target, '#')] | ptr[starts-with(@target, '#')]" mode="tp:facts">
    <xsl:variable name="element" select="."/>
    <xsl:for-each select="tp:pointer-ids(.)">
      <mention entity="{.}" kind="citation" anchor="{tp:passage-anchor($element)}" surface="{normalize-space($element)}">
        <xsl:sequence select="tp:mention-context($element)"/>
      </mention>
    </xsl:for-each>
    <xsl:apply-templates mode="tp:facts"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'date'][exists(tp:date-sort-key(.))]" mode="tp:facts">
    <event sort="{tp:date-sort-key(.)}" iso="{tp:iso-date(.)}" anchor="{tp:passage-anchor(.)}" surface="{normalize-space(.)}">
      <xsl:copy-of select="@when, @from, @to, @notBefore, @notAfter"/>
      <!-- The date in its words (as a mention's context), not its whole passage: a chronology table
           that is one passage with hundreds of dates would repeat all of its text at each. -->
      <xsl:variable name="context" select="tp:mention-context(.)"/>
      <xsl:value-of select="string($context[local-name() eq 'before']) || normalize-space(.) || string($context[local-name() eq 'after'])"/>
    </event>
    <xsl:apply-templates mode="tp:facts"/>
  </xsl:template>

  <!-- Keyword in context: the words either side of a mention in its passage, as the reading text
       has them (no notes but the mention's own, no readings the edition does not follow: see
       readings.xsl), at most $tp:context-words words and $tp:context-characters characters a
       side; "…" where the passage goes on. Attributes before and after, computed here once from the
       document's own text, so that a register page needs no second look at the source. -->
  <xsl:variable name="tp:context-words" as="xs:integer" select="6"/>
  <xsl:variable name="tp:context-characters" as="xs:integer" select="60"/>

  <xsl:function name="tp:mention-context" as="attribute()*">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="passage" select="tp:passage($element)"/>
    <xsl:variable name="own" select="$element/ancestor-or-self::*"/>
    <xsl:variable name="text-before" select="tp:context-text($element/preceding::text()[1], $passage, $own, false(), '')"/>
    <xsl:variable name="text-after" select="tp:context-text($element/following::text()[1], $passage, $own, true(), '')"/>
    <xsl:variable name="before" select="tokenize(normalize-space($text-before), ' ')[. ne '']"/>
    <xsl:variable name="after" select="tokenize(normalize-space($text-after), ' ')[. ne '']"/>
    <!-- A space between context and mention where the text has one ("Tito-Kim" stays one word). -->
    <xsl:if test="exists($before)">
      <xsl:variable name="words" select="string-join(subsequence($before, count($before) - $tp:context-words + 1), ' ')"/>
      <xsl:variable name="cut" select="substring($words, string-length($words) - $tp:context-characters + 1)"/>
      <xsl:attribute name="before" select="(if (count($before) gt $tp:context-words or $cut ne $words) then '… ' else '') || $cut || (if (tp:is-space(substring($text-before, string-length($text-before)))) then ' ' else '')"/>
    </xsl:if>
    <xsl:if test="exists($after)">
      <xsl:variable name="words" select="string-join(subsequence($after, 1, $tp:context-words), ' ')"/>
      <xsl:variable name="cut" select="substring($words, 1, $tp:context-characters)"/>
      <xsl:attribute name="after" select="(if (tp:is-space(substring($text-after, 1, 1))) then ' ' else '') || $cut || (if (count($after) gt $tp:context-words or $cut ne $words) then ' …' else '')"/>
    </xsl:if>
  </xsl:function>

  <!-- The reading text on one side of a mention, gathered text node by text node outwards from it
       ($node: the next one) and no further than its passage or than needed: once the text holds
       more than $tp:context-words words, the words next to the mention and whether the passage goes
       on are known (the farthest word may be cut where a word spans text nodes: it only counts).
       Local, so that a passage with a thousand mentions (a long table) costs no more per mention
       than a short one; tail-recursive, so that Saxon runs it as a loop. -->
  <xsl:function name="tp:context-text" as="xs:string">
    <xsl:param name="node" as="text()?"/>
    <xsl:param name="passage" as="element()?"/>
    <xsl:param name="own" as="element()+"/>
    <xsl:param name="forward" as="xs:boolean"/>
    <xsl:param name="gathered" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="empty($node) or empty($node/ancestor::*[. is $passage]) or count(tokenize(normalize-space($gathered), ' ')[. ne '']) gt $tp:context-words">
        <xsl:sequence select="$gathered"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:variable name="text" select="if (tp:is-reading-text($node, $own)) then string($node) else ''"/>
        <xsl:sequence select="if ($forward)
          then tp:context-text($node/following::text()[1], $passage, $own, $forward, $gathered || $text)
          else tp:context-text($node/preceding::text()[1], $passage, $own, $forward, $text || $gathered)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- Whether a text node belongs to the reading text around a mention ($own: the mention and its
       ancestors): not in a note but the mention's own, not in a reading the edition does not follow. Its ancestors
       asked one by one, by identity: the sets of nodes `except` and `intersect` make are sorted for each text node
       gathered (a fifth of a letter's facts, issue 11). -->
  <xsl:function name="tp:is-reading-text" as="xs:boolean">
    <xsl:param name="node" as="text()"/>
    <xsl:param name="own" as="element()+"/>
    <xsl:sequence select="every $ancestor in $node/ancestor::*[not(some $mine in $own satisfies $mine is .)] satisfies
      (not($ancestor/self::note)
       and (tp:behaviour($ancestor) ne 'alternate' or (some $reading in tp:primary-reading($ancestor) satisfies exists($node/ancestor::*[. is $reading]))))"/>
  </xsl:function>

  <!-- A document's title: the main title of its header, else its analytic title (a letter's own, not
       the series' or the edition's it is published in), else its first title, else its first heading. -->
  <xsl:function name="tp:document-title" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="titles" select="$root/teiHeader/fileDesc/titleStmt/title"/>
    <xsl:variable name="chosen" select="($titles[@type = 'main'], $titles[@level = 'a'], $titles, $root//text//head)[1]"/>
    <xsl:sequence select="if (exists($chosen)) then tp:reading-text-of($chosen) else normalize-space($root/@xml:id)"/>
  </xsl:function>

  <!-- An element's text as the reading text shows it: the readings an edition follows, not the others, nor its notes
       ("Brief an Beispiel", not "Brief an Bsp.Beispiel1 Siehe unten"). -->
  <xsl:function name="tp:reading-text-of" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="own" select="$element/ancestor-or-self::*"/>
    <xsl:sequence select="normalize-space(string-join($element//text()[tp:is-reading-text(., $own)], ''))"/>
  </xsl:function>

  <!-- A document's own date: when it was sent or written, else the date of its source. -->
  <xsl:function name="tp:document-date" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="dating" select="tp:document-dating($root)"/>
    <xsl:sequence select="if (exists($dating)) then tp:iso-date($dating) else ''"/>
  </xsl:function>

  <!-- The element that dates a document (tp:document-date). -->
  <xsl:function name="tp:document-dating" as="element()?">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="($root//profileDesc/correspDesc/correspAction[tp:correspondence-role(@type) eq 'sender']/date, $root//profileDesc/correspDesc/correspAction[empty(@type)]/date, $root//profileDesc/creation/date, $root/teiHeader/fileDesc/sourceDesc//date, $root//text//dateline//date)[exists(tp:iso-date(.))][1]"/>
  </xsl:function>
</xsl:stylesheet>

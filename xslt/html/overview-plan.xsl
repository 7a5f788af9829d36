<?xml version="1.0" encoding="UTF-8"?>
<!--
  The overviews' tables, made once from every document's summary (the overviews' site file): who wrote to whom,
  and the places the documents name. Their pages render only the rows aggregates.py hands each of them
  (html/overview-correspondents.xsl, html/overview-places.xsl, html/overview-places-map.xsl): a table of many pages
  is made once, not once a page (at 20,000 letters, each of the 17 pages of pairs took the whole table again, 0.5 s).
  Source and $site: the site's facts; $registers: the registers.

  Output (namespace https://teipress.org/ns/site):
    <tables letters="">                       the letters the pairs count (a letter once a pair)
      <network><party .../><pair .../></network>   the picture's parties and the pairs among them
      <party key="entry:tito" name="Josip Broz Tito" href="../registers/persons/tito.html" letters="12"/>
                                              every correspondent, by letters, then by name
      <pair a="entry:a" b="name:Carl Dee" letters="3"/>   every pair, by letters, then by the two names
      <place id="" name="" href="" sent="" received="" mentioned="" lat="" lon=""/>
                                              every place the documents name that the registers hold, by uses, then by name
    </tables>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xmlns:f="https://teipress.org/ns/facts"
  xmlns="https://teipress.org/ns/site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- At most this many correspondents in the picture of the first page (the table lists all). -->
  <xsl:param name="network-size" as="xs:integer" select="30"/>

  <!-- One letter of a pair: each sender with each addressee of a document (the authors of essays are no
       senders), and each correspondent the source names without a side with every other party of it.
       A pair is the same whoever wrote: its two keys in alphabetical order, joined by a line feed (tp:pair). Strings,
       not an element a pair: a constructed element is a tree of its own, and 20,000 letters' pairs held Saxon's
       worker near a gigabyte. -->
  <xsl:variable name="tp:letters" as="xs:string*">
    <xsl:for-each select="$site/s:site/s:document">
      <xsl:variable name="senders" select="s:sender[not(@role = 'author')]!tp:party-key(.)"/>
      <xsl:variable name="addressees" select="s:addressee!tp:party-key(.)"/>
      <xsl:variable name="unsided" select="s:correspondent!tp:party-key(.)"/>
      <xsl:sequence select="distinct-values((for $from in $senders, $to in $addressees return tp:pair($from, $to),
          for $i in 1 to count($unsided), $other in ($senders, $addressees, subsequence($unsided, $i + 1)) return tp:pair($unsided[$i], $other)))"/>
    </xsl:for-each>
  </xsl:variable>
  <!-- Each register entry's name as the first letter naming it gives it, found once: looked up among every party of
       the edition for each correspondent and each pair's sort keys, the pages took minutes each at 20,000 letters. -->
  <xsl:variable name="tp:entry-names" as="map(xs:string, xs:string)">
    <xsl:map>
      <xsl:for-each-group select="$site/s:site/s:document/(s:sender[not(@role = 'author')], s:addressee, s:correspondent)[@ref]" group-by="string(@ref)">
        <xsl:map-entry key="'entry:' || current-grouping-key()" select="normalize-space(current-group()[1])"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:variable>
  <xsl:variable name="tp:nodes" as="map(*)*">
    <xsl:for-each-group select="$tp:letters!(substring-before(., '&#10;'), substring-after(., '&#10;'))" group-by=".">
      <xsl:sort select="count(current-group())" order="descending"/>
      <xsl:sort select="lower-case(tp:name-of-party(current-grouping-key()))"/>
      <xsl:sequence select="map {'key': current-grouping-key(), 'letters': count(current-group()),
          'name': tp:name-of-party(current-grouping-key()), 'href': tp:party-href(current-grouping-key())}"/>
    </xsl:for-each-group>
  </xsl:variable>
  <xsl:variable name="tp:pairs" as="map(*)*">
    <xsl:for-each-group select="$tp:letters" group-by=".">
      <xsl:sort select="count(current-group())" order="descending"/>
      <xsl:sort select="lower-case(tp:name-of-party(substring-before(., '&#10;')))"/>
      <xsl:sort select="lower-case(tp:name-of-party(substring-after(., '&#10;')))"/>
      <xsl:sequence select="map {'a': substring-before(., '&#10;'), 'b': substring-after(., '&#10;'), 'letters': count(current-group())}"/>
    </xsl:for-each-group>
  </xsl:variable>

  <!-- Each document's places, one of a kind per document, by role: sent from, received at, mentioned in. Strings, not
       an element a use: a constructed element is a tree of its own, and 20,000 letters' half a million of them held
       Saxon's worker near a gigabyte. -->
  <xsl:variable name="tp:sent-from" as="xs:string*" select="$site/s:site/s:document/distinct-values(s:from/@ref)"/>
  <xsl:variable name="tp:received-at" as="xs:string*" select="$site/s:site/s:document/distinct-values(s:to/@ref)"/>
  <xsl:variable name="tp:mentioned-in" as="xs:string*" select="$site/s:site/s:document/distinct-values(f:facts/f:mention[@kind = 'place']/@entity)"/>
  <!-- Every place the documents name that the registers hold, by its count of uses, then by name. -->
  <xsl:variable name="tp:places" as="map(*)*">
    <xsl:variable name="sent" select="tp:counts($tp:sent-from)"/>
    <xsl:variable name="received" select="tp:counts($tp:received-at)"/>
    <xsl:variable name="mentioned" select="tp:counts($tp:mentioned-in)"/>
    <xsl:variable name="places" as="map(*)*">
      <xsl:for-each select="distinct-values(($tp:sent-from, $tp:received-at, $tp:mentioned-in))">
        <xsl:variable name="entry" select="tp:entry-by-id(., $registers)[self::place]"/>
        <xsl:if test="exists($entry)">
          <xsl:variable name="coordinates" select="tp:coordinates($entry)"/>
          <xsl:variable name="uses" select="(($sent(.), 0)[1], ($received(.), 0)[1], ($mentioned(.), 0)[1])"/>
          <xsl:sequence select="map {'id': string($entry/@xml:id), 'name': tp:standard-name($entry), 'href': tp:register-href($entry),
              'sent': $uses[1], 'received': $uses[2], 'mentioned': $uses[3], 'count': sum($uses),
              'lat': $coordinates[1], 'lon': $coordinates[2]}"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:perform-sort select="$places">
      <xsl:sort select="?count" order="descending"/>
      <xsl:sort select="lower-case(?name)"/>
      <xsl:sort select="?id"/>
    </xsl:perform-sort>
  </xsl:variable>

  <xsl:template match="/">
    <tables letters="{count($tp:letters)}">
      <xsl:call-template name="tp:network"/>
      <xsl:for-each select="$tp:nodes">
        <party key="{?key}" name="{?name}" href="{?href}" letters="{?letters}"/>
      </xsl:for-each>
      <xsl:for-each select="$tp:pairs">
        <pair a="{?a}" b="{?b}" letters="{?letters}"/>
      </xsl:for-each>
      <xsl:for-each select="$tp:places">
        <place id="{?id}" name="{?name}" href="{?href}" sent="{?sent}" received="{?received}" mentioned="{?mentioned}">
          <xsl:if test="exists(?lat)">
            <xsl:attribute name="lat" select="?lat"/>
            <xsl:attribute name="lon" select="?lon"/>
          </xsl:if>
        </place>
      </xsl:for-each>
    </tables>
  </xsl:template>

  <!-- The picture's parties (the most letters first) and the pairs among them. -->
  <xsl:template name="tp:network">
    <xsl:variable name="shown" select="subsequence($tp:nodes, 1, $network-size)"/>
    <xsl:variable name="among" select="$tp:pairs[?a = $shown?key and ?b = $shown?key]"/>
    <network>
      <xsl:for-each select="$shown">
        <party key="{?key}" name="{?name}" href="{?href}" letters="{?letters}"/>
      </xsl:for-each>
      <xsl:for-each select="$among">
        <pair a="{?a}" b="{?b}" letters="{?letters}"/>
      </xsl:for-each>
    </network>
  </xsl:template>

  <!-- Two parties as one pair, whichever wrote. -->
  <xsl:function name="tp:pair" as="xs:string">
    <xsl:param name="one" as="xs:string"/>
    <xsl:param name="other" as="xs:string"/>
    <xsl:sequence select="string-join(sort(($one, $other)), '&#10;')"/>
  </xsl:function>

  <!-- A party's key: its register entry's id, or its name when it has none. -->
  <xsl:function name="tp:party-key" as="xs:string">
    <xsl:param name="party" as="element()"/>
    <xsl:sequence select="if ($party/@ref) then 'entry:' || $party/@ref else 'name:' || normalize-space($party)"/>
  </xsl:function>

  <xsl:function name="tp:name-of-party" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="if (starts-with($key, 'entry:')) then $tp:entry-names($key) else substring-after($key, 'name:')"/>
  </xsl:function>

  <!-- The register entry's address (tp:register-href), or '' for a party without one. -->
  <xsl:function name="tp:party-href" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:variable name="entry" select="if (starts-with($key, 'entry:')) then tp:entry-by-id(substring-after($key, 'entry:'), $registers) else ()"/>
    <xsl:sequence select="if (exists($entry)) then tp:register-href($entry) else ''"/>
  </xsl:function>

  <!-- How often each string stands in $values. -->
  <xsl:function name="tp:counts" as="map(xs:string, xs:integer)">
    <xsl:param name="values" as="xs:string*"/>
    <xsl:map>
      <xsl:for-each-group select="$values" group-by=".">
        <xsl:map-entry key="current-grouping-key()" select="count(current-group())"/>
      </xsl:for-each-group>
    </xsl:map>
  </xsl:function>
</xsl:stylesheet>

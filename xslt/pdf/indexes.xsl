<?xml version="1.0" encoding="UTF-8"?>
<!--
  The print indexes of persons, places and organisations, and a document's own compact list of the
  names it mentions. An index lists an entry as print indexes do ("Bandaranaike, Sirimavo"), sorted
  by that printed form in the edition's language (UCA collation), sub-entries (an entry nested in an
  entry of its kind) under their parent. The page numbers are Typst's: the marks text.xsl sets before
  each mention (lib.typ tp-mark) are grouped by entry in lib.typ tp-index.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:variable name="tp:index-kinds" as="xs:string+" select="('person', 'place', 'org')"/>
  <!-- Each kind's name in the interface ("Persons"). -->
  <xsl:variable name="tp:index-kind-names" as="map(xs:string, xs:string)" select="map {'person': 'nav.persons', 'place': 'nav.places', 'org': 'nav.organizations'}"/>

  <!-- Sorting as the edition's language sorts (ä with a in German, accents after the letters in French). -->
  <xsl:function name="tp:index-collation" as="xs:string">
    <xsl:sequence select="'http://www.w3.org/2013/collation/UCA?lang=' || $language"/>
  </xsl:function>

  <!-- The name an index prints: "Surname, Forename" from a name's parts, else the name turned
       around where the entry's sortKey reads it so ("Josip Broz Tito" with sortKey "tito" gives
       "Tito, Josip Broz", "North Korea" with "korea-north" "Korea, North"), else the name.
       Organisations keep their name: "University of Edinburgh" is found under U. -->
  <xsl:function name="tp:index-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="name" select="tp:standard-name($entry)"/>
    <xsl:variable name="element" select="($entry/(persName, placeName, orgName, name)[tp:name-text(.) eq $name])[1]"/>
    <xsl:variable name="surnames" select="$element/surname"/>
    <xsl:sequence select="
      if (tp:entry-kind($entry) eq 'org') then $name
      else if (exists($surnames) and exists($element/forename))
        then string-join($surnames!normalize-space(.), ' ') || ', ' || string-join(($element/* except $surnames)!normalize-space(.)[. ne ''], ' ')
      else tp:turned-name($name, ($entry/@sortKey, $element/@sortKey)[1])"/>
  </xsl:function>

  <xsl:function name="tp:turned-name" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:param name="sort-key" as="xs:string?"/>
    <xsl:variable name="words" select="tokenize($name, '\s+')[. ne '']"/>
    <xsl:variable name="key" select="tp:letters-only($sort-key)"/>
    <xsl:variable name="turn" select="(1 to count($words) - 1)[$key ne '' and starts-with(tp:letters-only(string-join((subsequence($words, . + 1), subsequence($words, 1, .)), ' ')), $key)][1]"/>
    <xsl:sequence select="if (empty($turn)) then $name else string-join(subsequence($words, $turn + 1), ' ') || ', ' || string-join(subsequence($words, 1, $turn), ' ')"/>
  </xsl:function>

  <!-- Letters and digits only, lower case, without accents: how a sortKey and a name are compared. -->
  <xsl:function name="tp:letters-only" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="lower-case(replace(normalize-unicode(string($text), 'NFD'), '[^\p{L}\p{Nd}]', ''))"/>
  </xsl:function>

  <!-- Entries sorted by their printed names, then by id (two persons of one name stay apart). -->
  <xsl:function name="tp:index-sorted" as="element()*">
    <xsl:param name="entries" as="element()*"/>
    <xsl:sequence select="sort(sort($entries, (), function($entry) { string($entry/@xml:id) }), tp:index-collation(), tp:index-name#1)"/>
  </xsl:function>

  <!-- The register entries of one kind in print order, each as a map of the entry and its parent's id ('' at the
       top): top-level entries, each followed by its sub-entries. teipress's registers hold a copy of every entry
       at the top (edition.py merged_registers); a nested one is also inside its parent's copy, which tells its
       outermost entry of the kind. -->
  <xsl:function name="tp:index-in-order" as="map(xs:string, item())*">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:variable name="entries" select="$registers/*/(person | personGrp | place | org)[@xml:id][tp:entry-kind(.) eq $kind]"/>
    <xsl:variable name="parents" as="map(xs:string, xs:string)" select="map:merge(
      $entries/descendant::*[@xml:id][tp:entry-kind(.) eq $kind]!map:entry(string(@xml:id), string(ancestor::*[@xml:id][tp:entry-kind(.) eq $kind][last()]/@xml:id)),
      map {'duplicates': 'use-first'})"/>
    <xsl:variable name="children" as="map(xs:string, element()*)">
      <xsl:map>
        <xsl:for-each-group select="$entries[map:contains($parents, string(@xml:id))]" group-by="$parents(string(@xml:id))">
          <xsl:map-entry key="current-grouping-key()" select="current-group()"/>
        </xsl:for-each-group>
      </xsl:map>
    </xsl:variable>
    <xsl:for-each select="tp:index-sorted($entries[not(map:contains($parents, string(@xml:id)))])">
      <xsl:variable name="parent" select="string(@xml:id)"/>
      <xsl:sequence select="map {'entry': ., 'parent': ''}"/>
      <xsl:sequence select="tp:index-sorted($children($parent))!map {'entry': ., 'parent': $parent}"/>
    </xsl:for-each>
  </xsl:function>

  <!-- The entries of one kind in print order as a Typst array of (key, name, parent, labels); with `keys`, only
       the top-level entries it holds and their sub-entries (an index volume's part of the index). -->
  <xsl:function name="tp:index-entries" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:param name="keys" as="map(xs:string, xs:boolean)?"/>
    <xsl:variable name="rows" select="tp:index-in-order($kind)[empty($keys) or map:contains($keys, (?parent[. ne ''], string(?entry/@xml:id))[1])]
                                      !tp:index-row(?entry, ?parent)"/>
    <xsl:sequence select="'(' || string-join($rows!(. || ','), '&#10;') || ')'"/>
  </xsl:function>

  <xsl:function name="tp:index-row" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:param name="parent" as="xs:string"/>
    <!-- A mention may name the entry by its label (@key="Beckh August von" for n="Beckh August von",
         common/functions.xsl tp:entry-by-label): the marks carry what the mention says. -->
    <xsl:sequence select="'(key: ' || tp:typst-string($entry/@xml:id) || ', name: ' || tp:typst-string(tp:index-name($entry)) || ', parent: ' || tp:typst-string($parent)
      || ', labels: ' || tp:typst-array(tp:index-labels($entry)) || ')'"/>
  </xsl:function>

  <xsl:function name="tp:index-labels" as="xs:string*">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="$entry/@n!normalize-space(.)[. ne '']"/>
  </xsl:function>

  <!-- The book's indexes (lib.typ tp-indexes): one after the other, two columns, sharing pages. With `keys`, the
       part of them an index volume prints: of the indexes of `kinds`, the top-level entries `keys` holds. -->
  <xsl:function name="tp:book-indexes" as="xs:string">
    <xsl:param name="kinds" as="xs:string*"/>
    <xsl:param name="keys" as="map(xs:string, xs:boolean)?"/>
    <xsl:sequence select="'&#10;#tp-indexes((' || string-join($kinds!('(title: ' || tp:typst-string(tp:message('pdf.index.' || .)) || ', kind: ' || tp:typst-string(.) || ', entries: ' || tp:index-entries(., $keys) || '),'), '&#10;')
      || '), volume-page: ' || tp:typst-string(tp:message('pdf.volume-page')) || ')&#10;'"/>
  </xsl:function>

  <!-- The order of the indexes as JSON, for teipress to divide them into index volumes (pdf.py `plan_index_volumes`):
       per kind, each entry's [key, parent, labels] in print order. -->
  <xsl:function name="tp:index-order" as="xs:string">
    <xsl:sequence select="serialize(array {$tp:index-kinds!map {'kind': ., 'entries': array {tp:index-in-order(.)!array {string(?entry/@xml:id), ?parent, array {tp:index-labels(?entry)}}}}},
                                    map {'method': 'json'})"/>
  </xsl:function>

  <!-- What an index volume holds, for its title: per index its name, and of those it holds a part of (`divided`)
       the initials of the part's first and last entries ("Persons A–K; Places"). -->
  <xsl:function name="tp:index-volume-contents" as="xs:string">
    <xsl:param name="kinds" as="xs:string*"/>
    <xsl:param name="keys" as="map(xs:string, xs:boolean)"/>
    <xsl:param name="divided" as="xs:string*"/>
    <xsl:variable name="parts" as="xs:string*">
      <xsl:for-each select="$kinds">
        <xsl:variable name="held" select="tp:index-in-order(.)[?parent eq ''][map:contains($keys, string(?entry/@xml:id))]?entry"/>
        <xsl:variable name="initials" select="distinct-values(($held[1], $held[last()])!upper-case(substring(replace(tp:index-name(.), '^[^\p{L}\p{Nd}]+', ''), 1, 1)))"/>
        <xsl:sequence select="string-join((tp:message($tp:index-kind-names(.)), if (. = $divided and exists($held)) then string-join($initials, '–') else ()), ' ')"/>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="string-join($parts, '; ')"/>
  </xsl:function>

  <!-- What a document names, for its own PDF: per kind one run-in line of printed names, sorted. -->
  <xsl:function name="tp:names-apparatus" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="named" select="distinct-values($root//text//*[tp:behaviour(.) = 'entity']!tp:pointer-ids(.))!tp:entry-by-id(., $root)"/>
    <xsl:variable name="lines" as="xs:string*">
      <xsl:for-each select="$tp:index-kinds">
        <xsl:variable name="kind" select="."/>
        <xsl:variable name="entries" select="$named[tp:entry-kind(.) eq $kind]"/>
        <xsl:if test="exists($entries)">
          <xsl:sequence select="'(' || tp:typst-string(tp:message($tp:index-kind-names($kind))) || ', ' || tp:typst-array(distinct-values(tp:index-sorted($entries)!tp:index-name(.))) || '),'"/>
        </xsl:if>
      </xsl:for-each>
    </xsl:variable>
    <xsl:sequence select="if (empty($lines)) then '' else '&#10;#tp-names-apparatus(' || tp:typst-string(tp:message('pdf.names')) || ', (' || string-join($lines, ' ') || '))&#10;'"/>
  </xsl:function>
</xsl:stylesheet>

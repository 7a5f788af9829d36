<?xml version="1.0" encoding="UTF-8"?>
<!--
  The register pages to make (aggregates.py reads this): every entry of the persons, places,
  organisations and cited documents, then the events (whose place is the chronology: they get their
  popover data only), one per line in the order its register lists them, as
    kind TAB id TAB file name (tp:entry-file) TAB initial TAB the initial's file name
  The initial is the capital letter an entry is listed under, without accents ("É" under "E"), so
  that a letter's entries stand together; "#" for a name that begins with no letter or digit;
  cited documents and events have none. Lines end in a line feed only (a name may hold U+0085 or U+2028).
  Cited documents by their number ([Document 1], [Document 2] ...), everything else by name in the
  edition's language. Source: the merged registers. An id is an NCName: it holds no tab or line break.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:reg="https://teipress.org/ns/registers"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="entries" select="reg:registers/*[@xml:id]"/>
    <xsl:for-each select="('person', 'place', 'org', 'bibl', 'event')">
      <xsl:variable name="kind" select="."/>
      <xsl:for-each select="$entries[tp:entry-kind(.) eq $kind]">
        <xsl:sort select="if ($kind = 'bibl' and @n castable as xs:integer) then format-number(xs:integer(@n), '000000000') else '~'"/>
        <xsl:sort select="tp:sort-key(.)" lang="{$language}"/>
        <xsl:variable name="initial" select="if ($kind = ('bibl', 'event')) then '' else tp:initial(.)"/>
        <xsl:text>{$kind}&#9;{@xml:id}&#9;{tp:entry-file(@xml:id)}&#9;{$initial}&#9;{tp:entry-file(lower-case($initial))}&#10;</xsl:text>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <xsl:function name="tp:initial" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="letter" select="upper-case(replace(normalize-unicode(substring(tp:sort-key($entry), 1, 1), 'NFD'), '\p{M}', ''))"/>
    <xsl:sequence select="if (matches($letter, '^[\p{L}\p{N}]$')) then $letter else '#'"/>
  </xsl:function>
</xsl:stylesheet>

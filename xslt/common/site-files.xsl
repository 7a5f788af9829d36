<?xml version="1.0" encoding="UTF-8"?>
<!--
  Where an entry of the registers lives in the built site, said once for the site's links and for
  the exports that point into the site (CMIF, Dublin Core): an entry's page
  registers/{persons|places|organizations|bibliography}/{file}.html, an event's place in the
  chronology (the page of its year), and the file names that stay safe and unique whatever an id holds.
  Needs functions.xsl (tp:entry-kind) beside it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- An entry's address relative to the site's root: its page, an event's place in the chronology,
       the register's index page for an entry without an id. -->
  <xsl:function name="tp:entry-path" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="kind" select="tp:entry-kind($entry)"/>
    <xsl:sequence select="
      if ($kind eq 'event') then (tp:event-year($entry)!('chronology/' || . || '.html'), 'chronology/undated.html')[1] || '#' || encode-for-uri($entry/@xml:id)
      else if (empty($entry/@xml:id)) then 'registers/' || tp:register-page($kind) || '.html'
      else 'registers/' || tp:register-page($kind) || '/' || tp:entry-file($entry/@xml:id) || '.html'"/>
  </xsl:function>

  <!-- The year under which the chronology lists a register event, on its page chronology/{year}.html
       (html/chronology.xsl); () for an event without a date of four-digit year, listed on chronology/undated.html. -->
  <xsl:function name="tp:event-year" as="xs:string?">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="substring(tp:event-date-key($event), 1, 4)[matches(., '^[0-9]{4}$')]"/>
  </xsl:function>

  <!-- When a register event happened, for sorting (its own dates, else its date's): () when undated. -->
  <xsl:function name="tp:event-date-key" as="xs:string?">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="tp:event-dating($event)!tp:date-sort-key(.)"/>
  </xsl:function>

  <!-- The register an entry of a kind is listed in: registers/{page}.html, its entries' pages in registers/{page}/. -->
  <xsl:function name="tp:register-page" as="xs:string">
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="(map {'person': 'persons', 'place': 'places', 'org': 'organizations'}($kind), 'bibliography')[1]"/>
  </xsl:function>

  <!-- An entry's file name in the site (its page registers/{page}/{name}.html, its popover data
       assets/entries/{name}.js), safe and unique whatever the id: a-z, 0-9 and "-" stay; a capital
       becomes "_" and its small letter (unique where file systems ignore case), any other character
       "." + its hex code point + "."; a name that would pass 150 characters is cut at 140 and ends in
       "~" + a checksum of the id; a device name of Windows (con, nul ...) gets a "~" before it.
       site.js's entryFile makes the same names. -->
  <xsl:function name="tp:entry-file" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="name" select="string-join(string-to-codepoints($id)!(
      if ((. ge 97 and . le 122) or (. ge 48 and . le 57) or . eq 45) then codepoints-to-string(.)
      else if (. ge 65 and . le 90) then '_' || codepoints-to-string(. + 32)
      else '.' || tp:hex(.) || '.'), '')"/>
    <xsl:sequence select="
      if (string-length($name) gt 150) then substring($name, 1, 140) || '~' || tp:hex(fold-left(string-to-codepoints($id), 0, function ($sum, $code) { ($sum * 31 + $code) mod 4294967296 }))
      else if (matches($name, '^(con|prn|aux|nul|com[0-9]|lpt[0-9])$')) then '~' || $name
      else $name"/>
  </xsl:function>

  <xsl:function name="tp:hex" as="xs:string">
    <xsl:param name="number" as="xs:integer"/>
    <xsl:sequence select="(if ($number ge 16) then tp:hex($number idiv 16) else '') || substring('0123456789abcdef', $number mod 16 + 1, 1)"/>
  </xsl:function>

</xsl:stylesheet>

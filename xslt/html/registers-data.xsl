<?xml version="1.0" encoding="UTF-8"?>
<!--
  What an entity popover shows of one register entry (name, kind, dates, other names, description,
  the link to its page): assets/entries/{file}.js (file from tp:entry-file), one small script per
  entry that site.js loads when a page names the entry. A script, not JSON to fetch, so that the
  popovers work from file:// too (browsers refuse fetch() there, not <script src>).
  Source: the merged registers. Parameter: $entry-id. Links are relative to the site root.
    window.teipressEntry({"id": "tito", "name": "…", "kind": "person", "href": "registers/persons/tito.html", …});
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:reg="https://teipress.org/ns/registers"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="entries.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:param name="entry-id" as="xs:string"/>

  <xsl:template match="/">
    <xsl:for-each select="key('tp:entry-by-id', $entry-id)[parent::reg:registers][1]">
      <xsl:variable name="entry" select="map:merge((
          map {'id': $entry-id, 'name': tp:standard-name(.), 'kind': tp:entry-kind(.), 'href': tp:register-href(.)},
          tp:entry-dates(.)!map {'dates': .},
          tp:entry-description(.)!map {'description': .},
          (if (self::bibl or self::biblStruct) then tp:bibl-parties(.) else string-join(tp:variant-names(.), '; ')[. ne ''])!map {'also': .}))"/>
      <xsl:text>window.teipressEntry({tp:script-json($entry)});&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  One document's entry in the site's aggregates: what the home list shows and filters by (title,
  date, type, sender, addressee, places), wrapped around its facts (common/facts.xsl). teipress
  caches this per document, so that registers, chronology and home page need no second look at
  the sources.

  Output (namespace https://teipress.org/ns/site):
    <document id="" type="" title="" date="1967-05-01" sort="1967-05-01" year="1967">
      <sender ref="tito">Josip Broz Tito</sender> <addressee .../> <correspondent .../> <from .../> <to .../>
      <summary>...</summary>
      <f:facts .../>
    </document>
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns="https://teipress.org/ns/site"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/facts.xsl"/>

  <xsl:template match="/">
    <xsl:variable name="root" select="*"/>
    <xsl:variable name="date" select="tp:document-date($root)"/>
    <xsl:variable name="senders" select="tp:senders($root)"/>
    <document id="{($document-id, $root/@xml:id, 'document')[1]}"
              type="{if (empty($root/text/@type) and tp:is-register-file($root)) then 'register' else tp:document-kind($root)}"
              title="{tp:document-title($root)}"
              date="{$date}"
              sort="{if ($date) then substring(replace($date, '/.*$', '') || '-01-01', 1, 10) else ''}"
              year="{if ($date) then substring($date, 1, 4) else ''}">
      <!-- between, not-before, not-after: how the date is written (common/language.xsl tp:format-date-range) -->
      <xsl:for-each select="tp:document-dating($root)!tp:date-certainty(.)">
        <xsl:attribute name="certainty" select="."/>
      </xsl:for-each>
      <xsl:for-each select="$senders">
        <sender>
          <xsl:call-template name="tp:party"/>
        </sender>
      </xsl:for-each>
      <!-- A text that was not sent (an essay, a report) lists its author where letters list the sender. -->
      <xsl:for-each select="$root/teiHeader/fileDesc/titleStmt/author/(persName[1], .)[1][empty($senders)][1]">
        <sender role="author">
          <xsl:call-template name="tp:party"/>
        </sender>
      </xsl:for-each>
      <xsl:for-each select="tp:addressees($root)">
        <addressee>
          <xsl:call-template name="tp:party"/>
        </addressee>
      </xsl:for-each>
      <!-- Named without a side the source says reliably (see common/correspondence.xsl). -->
      <xsl:for-each select="tp:correspondents($root)">
        <correspondent>
          <xsl:call-template name="tp:party"/>
        </correspondent>
      </xsl:for-each>
      <xsl:for-each select="tp:correspondence-places($root, 'sender')[1]">
        <from>
          <xsl:call-template name="tp:party"/>
        </from>
      </xsl:for-each>
      <xsl:for-each select="tp:correspondence-places($root, 'addressee')[1]">
        <to>
          <xsl:call-template name="tp:party"/>
        </to>
      </xsl:for-each>
      <xsl:for-each select="($root//sourceDesc//msContents/summary, $root/teiHeader/profileDesc/abstract)[1]">
        <summary>{normalize-space(.)}</summary>
      </xsl:for-each>
      <xsl:apply-imports/>
    </document>
  </xsl:template>

  <!-- A sender, addressee or place: its register name when it points to an entry, else its text. -->
  <xsl:template name="tp:party">
    <xsl:variable name="entry" select="tp:entry(.)"/>
    <xsl:if test="exists($entry)">
      <xsl:attribute name="ref" select="$entry/@xml:id"/>
    </xsl:if>
    <xsl:value-of select="if (exists($entry)) then tp:standard-name($entry) else tp:name-text(.)"/>
  </xsl:template>

  <xsl:function name="tp:is-register-file" as="xs:boolean">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="(exists($root/text/body/(listPerson, listPlace, listOrg, listBibl)) and empty($root/text/body/*[not(self::head or self::listPerson or self::listPlace or self::listOrg or self::listBibl or self::listEvent or self::listRelation)]))
                          or (empty($root/text) and exists($root/standOff/(listPerson, listPlace, listOrg, listBibl, listEvent)))"/>
  </xsl:function>
</xsl:stylesheet>

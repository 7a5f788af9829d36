<?xml version="1.0" encoding="UTF-8"?>
<!--
  export cmif: the Correspondence Metadata Interchange Format file of the edition, for correspSearch.
  One correspDesc for every letter and telegram of the edition (documents with a correspDesc) and
  for every letter the edition cites (bibl[@type = 'letter' or 'telegram'] in the registers), with
  what is known of it. Persons, organisations and places are given as URIs: the register's
  authority URI (idno) where it has one, else the entry's address in the edition's registers.

  Input: <tpe:collection> holding <tpe:edition> (the edition's own TEI, if any) and one
  <tpe:document id="..."> per document (made by teipress.export).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns="http://www.tei-c.org/ns/1.0"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/functions.xsl"/>
  <xsl:import href="../common/correspondence.xsl"/>
  <xsl:import href="uris.xsl"/>

  <xsl:param name="base-url" as="xs:string"/>
  <!-- Where the CMIF file itself will be published. -->
  <xsl:param name="file-url" as="xs:string"/>
  <!-- The bibl/@xml:id the correspDescs name as their source (CMIF recommends a UUID). -->
  <xsl:param name="source-id" as="xs:string"/>
  <xsl:param name="title" as="xs:string"/>
  <!-- When the file was made (CMIF's publicationStmt/date). -->
  <xsl:param name="date" as="xs:string"/>

  <xsl:output method="xml" indent="yes" encoding="UTF-8"/>

  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <!-- correspDesc of a document or a cited letter. -->
  <xsl:mode name="tpe:cmif" on-no-match="fail" on-multiple-match="fail"/>
  <!-- A participant (persName, orgName, placeName, date) of a correspAction. -->
  <xsl:mode name="tpe:participant" on-no-match="shallow-skip" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="edition" select="tpe:collection/tpe:edition/TEI"/>
    <xsl:processing-instruction name="xml-model">href="https://raw.githubusercontent.com/TEI-Correspondence-SIG/CMIF/master/schema/cmi-customization.rng" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"</xsl:processing-instruction>
    <TEI>
      <teiHeader>
        <fileDesc>
          <titleStmt>
            <title>{$title}</title>
            <xsl:for-each select="$edition/teiHeader/fileDesc/titleStmt/editor">
              <editor>{normalize-space(.)}</editor>
            </xsl:for-each>
          </titleStmt>
          <publicationStmt>
            <xsl:for-each select="($edition/teiHeader/fileDesc/publicationStmt/publisher, $title)[1]">
              <publisher><ref target="{$base-url}">{normalize-space(.)}</ref></publisher>
            </xsl:for-each>
            <idno type="url">{$file-url}</idno>
            <date when="{$date}"/>
            <availability>
              <xsl:variable name="licence" select="$edition/teiHeader/fileDesc/publicationStmt/availability/licence[@target][1]"/>
              <licence target="{($licence/@target, 'https://creativecommons.org/licenses/by/4.0/')[1]}">{if ($licence) then normalize-space($licence) else 'This file is licensed under the terms of the Creative Commons Licence CC BY 4.0'}</licence>
            </availability>
          </publicationStmt>
          <sourceDesc>
            <bibl type="online" xml:id="{$source-id}">{$title}. <ref target="{$base-url}">{$base-url}</ref></bibl>
          </sourceDesc>
        </fileDesc>
        <profileDesc>
          <xsl:apply-templates select="tpe:collection/tpe:document/TEI[teiHeader/profileDesc/correspDesc]" mode="tpe:cmif"/>
          <!-- A cited letter whose sender and addressee are both unknown says nothing correspSearch can find. -->
          <xsl:apply-templates select="$registers//bibl[@type = ('letter', 'telegram')][@xml:id][author or respStmt[normalize-space(resp) = 'addressee']]" mode="tpe:cmif"/>
        </profileDesc>
      </teiHeader>
      <text><body><p/></body></text>
    </TEI>
  </xsl:template>

  <!-- A letter or telegram of the edition: its correspDesc, with pointers made URIs. Who is on which
       side is read as the site reads it (common/correspondence.xsl): where the source does not say it
       reliably, that side is unknown. -->
  <xsl:template match="TEI" mode="tpe:cmif">
    <xsl:variable name="id" select="string(../@id)"/>
    <xsl:variable name="root" select="."/>
    <xsl:for-each select="tp:correspondence(.)">
      <correspDesc ref="{$base-url}documents/{encode-for-uri($id)}.html" source="#{$source-id}">
        <!-- Both actions, even where the document describes only one (the CMIF rules E0001, E0002 demand both). -->
        <xsl:call-template name="tpe:action">
          <xsl:with-param name="type" select="'sent'"/>
          <xsl:with-param name="participants" select="tp:senders($root), tp:correspondence-places($root, 'sender'), tpe:dates(., 'sender')"/>
        </xsl:call-template>
        <xsl:call-template name="tpe:action">
          <xsl:with-param name="type" select="'received'"/>
          <xsl:with-param name="participants" select="tp:addressees($root), tp:correspondence-places($root, 'addressee'), tpe:dates(., 'addressee')"/>
        </xsl:call-template>
      </correspDesc>
    </xsl:for-each>
  </xsl:template>

  <!-- The dates of one side: of its actions, and for the sender of an action without a type. -->
  <xsl:function name="tpe:dates" as="element()*">
    <xsl:param name="description" as="element()"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:sequence select="$description/correspAction[tp:correspondence-role(@type) eq $side or ($side eq 'sender' and empty(tp:correspondence-role(@type)))]/date"/>
  </xsl:function>

  <!-- A letter the edition cites: sender = author, addressee = respStmt[resp = 'addressee']. -->
  <xsl:template match="bibl" mode="tpe:cmif">
    <correspDesc ref="{tpe:entry-uri(.)}" source="#{$source-id}">
      <xsl:call-template name="tpe:action">
        <xsl:with-param name="type" select="'sent'"/>
        <xsl:with-param name="participants" select="author, date"/>
      </xsl:call-template>
      <xsl:call-template name="tpe:action">
        <xsl:with-param name="type" select="'received'"/>
        <xsl:with-param name="participants" select="respStmt[normalize-space(resp) = 'addressee']/(* except resp)"/>
      </xsl:call-template>
    </correspDesc>
  </xsl:template>

  <!-- An action always appears (the CMIF rules demand both); an unknown party is the persName
       "Unknown", as the CMIF documentation asks, never an invented name. -->
  <xsl:template name="tpe:action">
    <xsl:param name="type" as="xs:string"/>
    <xsl:param name="participants" as="element()*"/>
    <xsl:variable name="parts" as="element()*">
      <xsl:apply-templates select="$participants" mode="tpe:participant"/>
    </xsl:variable>
    <correspAction type="{$type}">
      <xsl:sequence select="$parts[self::persName | self::orgName]"/>
      <xsl:if test="empty($parts[self::persName | self::orgName])">
        <persName>{$tpe:unknown}</persName>
      </xsl:if>
      <xsl:sequence select="$parts[self::placeName][1], $parts[self::date][1]"/>
    </correspAction>
  </xsl:template>

  <xsl:template match="persName[not(ancestor::persName | ancestor::orgName)] | orgName[not(ancestor::persName | ancestor::orgName)] | placeName[not(ancestor::placeName)] | settlement[not(ancestor::placeName)]" mode="tpe:participant">
    <xsl:element name="{if (self::settlement) then 'placeName' else local-name()}">
      <xsl:variable name="uri" select="tpe:pointer-uri(.)"/>
      <xsl:if test="exists($uri)">
        <xsl:attribute name="ref" select="$uri"/>
      </xsl:if>
      <xsl:value-of select="tpe:display-name(.)"/>
    </xsl:element>
  </xsl:template>

  <!-- A party named otherwise (name, rs, roleName, persona): a person's name, or an organisation's. -->
  <xsl:template match="(name | rs | roleName | persona)[not(ancestor::persName | ancestor::orgName)]" mode="tpe:participant">
    <xsl:element name="{if (tp:entity-kind(.) = 'org') then 'orgName' else 'persName'}">
      <xsl:variable name="uri" select="tpe:pointer-uri(.)"/>
      <xsl:if test="exists($uri)">
        <xsl:attribute name="ref" select="$uri"/>
      </xsl:if>
      <xsl:value-of select="tpe:display-name(.)"/>
    </xsl:element>
  </xsl:template>

  <!-- A sender given as plain text (no persName inside). -->
  <xsl:template match="author[not(.//persName | .//orgName)][normalize-space()]" mode="tpe:participant">
    <persName>{normalize-space(.)}</persName>
  </xsl:template>

  <!-- A date in the forms CMIF takes (YYYY, YYYY-MM, YYYY-MM-DD); other forms are left out (teipress.export reports them). -->
  <xsl:template match="date[(@when, @from, @to, @notBefore, @notAfter)[tpe:is-cmif-date(.)]]" mode="tpe:participant">
    <date>
      <xsl:copy-of select="(@when, @from, @to, @notBefore, @notAfter)[tpe:is-cmif-date(.)], @cert[. = 'low']"/>
    </date>
  </xsl:template>

  <xsl:function name="tpe:is-cmif-date" as="xs:boolean">
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="($value castable as xs:date or $value castable as xs:gYearMonth or $value castable as xs:gYear) and matches($value, '^\d{4}(-\d{2}(-\d{2})?)?$')"/>
  </xsl:function>

  <!-- What CMIF writes for a sender or addressee nobody knows (its documentation's convention). -->
  <xsl:variable name="tpe:unknown" as="xs:string" select="'Unknown'"/>

  <!-- The name to show: the text as written, else the register's standard name. -->
  <xsl:function name="tpe:display-name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="tp:entry($name)"/>
    <xsl:sequence select="if (exists($entry)) then tp:standard-name($entry) else tp:name-text($name)"/>
  </xsl:function>
</xsl:stylesheet>

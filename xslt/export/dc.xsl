<?xml version="1.0" encoding="UTF-8"?>
<!--
  export dc: the simple Dublin Core record (oai_dc) of one document, for OAI-PMH harvesters.
  Every element is taken from the document's header; what the header does not say is left out.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/functions.xsl"/>
  <xsl:import href="../common/facts.xsl"/>
  <xsl:import href="uris.xsl"/>

  <xsl:param name="base-url" as="xs:string"/>

  <xsl:output method="xml" indent="yes" encoding="UTF-8"/>

  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tpe:dc" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:apply-templates select="TEI" mode="tpe:dc"/>
  </xsl:template>

  <xsl:template match="TEI" mode="tpe:dc">
    <xsl:variable name="id" select="($document-id, @xml:id, 'document')[1]"/>
    <xsl:variable name="header" select="teiHeader"/>
    <xsl:variable name="sent" select="$header/profileDesc/correspDesc/correspAction[@type = 'sent']"/>
    <xsl:variable name="received" select="$header/profileDesc/correspDesc/correspAction[@type = 'received']"/>
    <oai_dc:dc xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">
      <!-- Declared once here rather than on every element. -->
      <xsl:namespace name="dc" select="'http://purl.org/dc/elements/1.1/'"/>
      <dc:title>{tp:document-title(.)}</dc:title>
      <xsl:for-each select="distinct-values(($header/fileDesc/titleStmt/author, $sent/(persName | orgName))!tpe:name(.))">
        <dc:creator>{.}</dc:creator>
      </xsl:for-each>
      <xsl:for-each select="distinct-values(($received/(persName | orgName), $header/fileDesc/titleStmt/respStmt/(persName | orgName | name))!tpe:name(.))">
        <dc:contributor>{.}</dc:contributor>
      </xsl:for-each>
      <xsl:for-each select="$header/profileDesc/textClass/keywords/term">
        <dc:subject>{normalize-space(.)}</dc:subject>
      </xsl:for-each>
      <xsl:for-each select="($header/fileDesc/sourceDesc//msContents/summary, $header/fileDesc/sourceDesc//msContents/msItem/note[@type = 'classification'])[normalize-space()]">
        <dc:description>{normalize-space(.)}</dc:description>
      </xsl:for-each>
      <xsl:for-each select="($header/fileDesc/publicationStmt/publisher)[1]">
        <dc:publisher>{normalize-space(.)}</dc:publisher>
      </xsl:for-each>
      <xsl:variable name="date" select="tp:document-date(.)"/>
      <xsl:if test="$date ne ''">
        <dc:date>{$date}</dc:date>
      </xsl:if>
      <dc:type>Text</dc:type>
      <xsl:for-each select="text/@type">
        <dc:type>{.}</dc:type>
      </xsl:for-each>
      <dc:format>application/tei+xml</dc:format>
      <dc:identifier>{$base-url}documents/{encode-for-uri($id)}.html</dc:identifier>
      <xsl:for-each select="$header/fileDesc/sourceDesc/msDesc/msIdentifier">
        <dc:source>{string-join((settlement, repository, idno)!normalize-space(.)[. ne ''], ', ')}</dc:source>
      </xsl:for-each>
      <xsl:for-each select="$header/fileDesc/sourceDesc/(bibl | biblStruct)">
        <dc:source>{normalize-space(.)}</dc:source>
      </xsl:for-each>
      <xsl:for-each select="distinct-values(($header/profileDesc/langUsage/language/@ident, text/@xml:lang, @xml:lang)[1])">
        <dc:language>{.}</dc:language>
      </xsl:for-each>
      <xsl:for-each select="$sent/placeName | $received/placeName">
        <dc:coverage>{tpe:name(.)}</dc:coverage>
      </xsl:for-each>
      <xsl:for-each select="$header/fileDesc/publicationStmt/availability">
        <xsl:for-each select="licence[@target]">
          <dc:rights>{@target}</dc:rights>
        </xsl:for-each>
        <xsl:for-each select="(p, licence[not(@target)])[normalize-space()]">
          <dc:rights>{normalize-space(.)}</dc:rights>
        </xsl:for-each>
      </xsl:for-each>
    </oai_dc:dc>
  </xsl:template>

  <!-- A name as the register lists it, else as written. -->
  <xsl:function name="tpe:name" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="(tp:entry($name), $name/(persName | orgName)!tp:entry(.))[1]"/>
    <xsl:sequence select="if (exists($entry)) then tp:standard-name($entry) else tp:name-text($name)"/>
  </xsl:function>
</xsl:stylesheet>

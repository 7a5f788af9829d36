<?xml version="1.0" encoding="UTF-8"?>
<!--
  export tei: one self-contained TEI P5 file per document. The register entries the document
  points to (and the entries those entries point to) are copied into a <standOff>, so every
  "#id" pointer resolves inside the file; edition-relative links become absolute with the
  edition's base URL; the <?xml-model?> points at tei_all. The text itself is copied unchanged.

  Customise by importing this stylesheet and overriding a rule of mode tpe:copy or tpe:entry.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xmlns:reg="https://teipress.org/ns/registers"
  xmlns="http://www.tei-c.org/ns/1.0"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/functions.xsl"/>
  <xsl:import href="pointers.xsl"/>

  <!-- The edition's public address, ending in "/" (empty: relative links stay relative). -->
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <!-- The ids of the edition's documents, separated by spaces: a "#id" naming another document becomes its page's URL. -->
  <xsl:param name="document-ids" as="xs:string" select="''"/>
  <!-- Where tei_all is published; the exported file names it in its <?xml-model?>. -->
  <xsl:param name="tei-all-url" as="xs:string" select="'https://www.tei-c.org/release/xml/tei/custom/schema/relaxng/tei_all.rng'"/>

  <xsl:output method="xml" indent="no" encoding="UTF-8"/>

  <xsl:mode on-no-match="fail" on-multiple-match="fail"/>
  <!-- Identity copy of the document: nothing of it is dropped. -->
  <xsl:mode name="tpe:copy" on-no-match="shallow-copy" on-multiple-match="fail"/>
  <!-- A register entry as it goes into the standOff: a copy without teipress's bookkeeping. -->
  <xsl:mode name="tpe:entry" on-no-match="shallow-copy" on-multiple-match="fail"/>

  <!-- One document. -->
  <xsl:template match="/">
    <xsl:processing-instruction name="xml-model">href="{$tei-all-url}" type="application/xml" schematypens="http://relaxng.org/ns/structure/1.0"</xsl:processing-instruction>
    <xsl:text>&#10;</xsl:text>
    <xsl:apply-templates select="node()[not(self::processing-instruction('xml-model'))]" mode="tpe:copy"/>
  </xsl:template>

  <!-- Many documents in one run (one run costs far less than a thousand): <collection><document id="...">
       (no namespace, so that nothing is inherited by the TEI inside) gives <results><result id="...">;
       the caller adds the <?xml-model?> to each. -->
  <xsl:template match="document-node(element(Q{}collection))" priority="1">
    <xsl:element name="results" namespace="">
      <xsl:for-each select="Q{}collection/Q{}document">
        <xsl:element name="result" namespace="">
          <xsl:attribute name="id" select="@id"/>
          <xsl:apply-templates select="node()[not(self::processing-instruction('xml-model'))]" mode="tpe:copy"/>
        </xsl:element>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- The standOff goes right after the header; the document's own resolvable ids are not copied again. -->
  <xsl:template match="/TEI/teiHeader | Q{}document/TEI/teiHeader" mode="tpe:copy">
    <xsl:next-match/>
    <xsl:variable name="entries" select="tpe:referenced-entries(tpe:scope(.))"/>
    <xsl:if test="exists($entries)">
      <xsl:text>&#10;  </xsl:text>
      <!-- Typed so that the corpus (and a re-import) can tell the copied entries from a standOff of the source's own. -->
      <standOff type="teipress-registers">
        <xsl:call-template name="tpe:entry-lists">
          <xsl:with-param name="entries" select="$entries"/>
        </xsl:call-template>
      </standOff>
    </xsl:if>
  </xsl:template>

  <!-- Entries grouped by kind, in register order (the merged registers' order). -->
  <xsl:template name="tpe:entry-lists">
    <xsl:param name="entries" as="element()*"/>
    <xsl:for-each-group select="$entries" group-by="tpe:list-name(.)">
      <xsl:sort select="index-of(('listPerson', 'listPlace', 'listOrg', 'listEvent', 'listBibl'), current-grouping-key())[1]"/>
      <xsl:element name="{current-grouping-key()}">
        <xsl:apply-templates select="current-group()" mode="tpe:entry"/>
      </xsl:element>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:template match="@reg:*" mode="tpe:entry"/>

  <!-- Entries come from the merged registers, whose namespace declarations must not follow them. -->
  <xsl:template match="*" mode="tpe:entry">
    <xsl:element name="{local-name()}" namespace="{namespace-uri()}">
      <xsl:apply-templates select="@*, node()" mode="tpe:entry"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="@target | @ref | @url | @facs | @corresp | @sameAs | @source" mode="tpe:copy tpe:entry">
    <xsl:attribute name="{node-name(.)}" select="tpe:absolute-pointers(., tpe:scope(.))"/>
  </xsl:template>

  <!-- The list an entry belongs in. -->
  <xsl:function name="tpe:list-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="
      let $name := local-name($entry) return
      if ($name = ('person', 'personGrp')) then 'listPerson'
      else if ($name = 'place') then 'listPlace'
      else if ($name = 'org') then 'listOrg'
      else if ($name = 'event') then 'listEvent'
      else 'listBibl'"/>
  </xsl:function>
</xsl:stylesheet>

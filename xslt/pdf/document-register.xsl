<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document's own register (common/document-registers.xsl) in the PDF: after the text (its notes
  are footnotes, its apparatus keyed to lines), without line numbers, one block per entry with its
  name and labelled lines (other names, born, died, occupations, authority links, every other part
  under its name). Every word of the lists is kept; the reading text leaves them out.
  Import after text.xsl; tp:document-register($root) gives the Typst markup (lib.typ
  tp-document-register, tp-register-list, tp-register-entry, tp-entry-line).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/document-registers.xsl"/>

  <xsl:mode name="tp:pdf-document-register" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:pdf-register-detail" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:pdf-entry-name" on-no-match="fail" on-multiple-match="fail"/>

  <!-- In the reading text the lists leave nothing: they follow the text. -->
  <xsl:template match="*[tp:is-document-register(.)][not(ancestor::*[tp:is-document-register(.)])]" mode="tp:pdf" priority="10"/>

  <xsl:function name="tp:document-register" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <!-- The lists of the text's back; a standOff is the file's metadata, which the PDF does not print. -->
    <xsl:variable name="lists" select="tp:document-register-lists($root)[ancestor::text]"/>
    <xsl:variable name="markup" as="xs:string*">
      <xsl:apply-templates select="$lists" mode="tp:pdf-document-register"/>
    </xsl:variable>
    <xsl:sequence select="if (empty($lists)) then '' else '&#10;&#10;#tp-document-register(' || tp:typst-string(tp:message('register.in-this-document')) || ')[' || string-join($markup, '') || ']&#10;&#10;'"/>
  </xsl:function>

  <xsl:template match="*[tp:is-document-register(.)]" mode="tp:pdf-document-register">
    <xsl:variable name="heads" select="head[empty(preceding-sibling::*[not(self::head)])]"/>
    <xsl:text>&#10;#tp-register-list[</xsl:text>
    <xsl:choose>
      <xsl:when test="exists($heads)"><xsl:apply-templates select="$heads/node()" mode="tp:pdf"/></xsl:when>
      <xsl:otherwise>{tp:typst-literal(tp:register-list-label(.))}</xsl:otherwise>
    </xsl:choose>
    <xsl:text>]&#10;</xsl:text>
    <xsl:for-each select="(node() except $heads)[self::* or normalize-space(.) ne '']">
      <xsl:choose>
        <xsl:when test="self::*[tp:is-document-register(.)]"><xsl:apply-templates select="." mode="tp:pdf-document-register"/></xsl:when>
        <xsl:when test="self::*[tp:is-register-entry(.)]"><xsl:apply-templates select="." mode="tp:pdf-document-register"/></xsl:when>
        <xsl:when test="self::*">#tp-register-entry[<xsl:apply-templates select="." mode="tp:pdf"/>]&#10;</xsl:when>
        <xsl:otherwise>#tp-register-entry[{tp:typst-literal(normalize-space(.))}]&#10;</xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- An entry of a list: the parts in the source's order, adjacent parts of one kind on one line. -->
  <xsl:template match="*" mode="tp:pdf-document-register">
    <xsl:text>#tp-register-entry[</xsl:text>
    <xsl:choose>
      <xsl:when test="tp:is-running-entry(.)"><xsl:apply-templates mode="tp:pdf"/></xsl:when>
      <xsl:otherwise>
        <xsl:for-each-group select="*" group-adjacent="let $part := tp:entry-part(.) return if ($part = ('other-name', 'occupation', 'link')) then $part else generate-id(.)">
          <xsl:call-template name="tp:pdf-register-entry-part">
            <xsl:with-param name="parts" select="current-group()"/>
          </xsl:call-template>
        </xsl:for-each-group>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>]&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="tp:pdf-register-entry-part">
    <xsl:param name="parts" as="element()+"/>
    <xsl:variable name="kind" select="tp:entry-part($parts[1])"/>
    <xsl:choose>
      <xsl:when test="$kind eq 'name'">#strong[<xsl:apply-templates select="$parts" mode="tp:pdf-entry-name"/>]</xsl:when>
      <xsl:when test="normalize-space(string-join($parts//text(), '')) eq '' and empty($parts/descendant-or-self::note)"/>
      <xsl:when test="$kind eq 'link'">
        <xsl:text>#tp-entry-line({tp:typst-string(tp:message('entry.links'))})[</xsl:text>
        <xsl:for-each select="$parts">
          <xsl:if test="position() gt 1">#" · ";</xsl:if>
          <xsl:call-template name="tp:pdf-authority-link"/>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="$kind = ('other-name', 'occupation')">
        <xsl:text>#tp-entry-line({tp:typst-string(tp:entry-part-label($parts[1]))})[</xsl:text>
        <xsl:for-each select="$parts">
          <xsl:if test="position() gt 1">#"; ";</xsl:if>
          <xsl:apply-templates select="." mode="tp:pdf-entry-name"/>
        </xsl:for-each>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="$kind = ('birth', 'death', 'location') or $parts/self::idno">
        <xsl:text>#tp-entry-line({tp:typst-string(tp:entry-part-label($parts))})[</xsl:text>
        <xsl:apply-templates select="$parts" mode="tp:pdf-register-detail"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:when test="tp:behaviour($parts) = ('block', 'division', 'heading', 'note')">
        <xsl:text>#tp-entry-line("")[</xsl:text>
        <xsl:apply-templates select="$parts" mode="tp:pdf"/>
        <xsl:text>]</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text>#tp-entry-line({tp:typst-string(tp:entry-part-label($parts))})[</xsl:text>
        <xsl:apply-templates select="$parts" mode="tp:pdf"/>
        <xsl:text>]</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A web address as a link, its type and the address itself as its words. -->
  <xsl:template name="tp:pdf-authority-link">
    <xsl:text>#link({tp:typst-string(tp:authority-url(.))})[{tp:typst-literal(tp:authority-label(.) || ' ' || normalize-space(.))}]</xsl:text>
  </xsl:template>

  <!-- The parts of a birth, death or location: dates, places, coordinates, links, separated by commas. -->
  <xsl:template match="*" mode="tp:pdf-register-detail">
    <xsl:for-each select="node()[self::* or normalize-space(.) ne '']">
      <xsl:if test="position() gt 1">{if (self::geo or self::idno or self::location) then '#" ";' else '#", ";'}</xsl:if>
      <xsl:choose>
        <xsl:when test="self::text()">{tp:typst-literal(normalize-space(.))}</xsl:when>
        <xsl:when test="self::geo">{tp:typst-literal('(' || normalize-space(.) || ')')}</xsl:when>
        <xsl:when test="self::idno and exists(tp:authority-url(.))"><xsl:call-template name="tp:pdf-authority-link"/></xsl:when>
        <xsl:when test="self::location or (* and not(self::date) and empty(text()[normalize-space(.) ne '']))">
          <xsl:apply-templates select="." mode="tp:pdf-register-detail"/>
        </xsl:when>
        <xsl:when test="self::placeName or self::settlement or self::country or self::region or self::district or self::bloc or self::geogName">
          <xsl:apply-templates select="." mode="tp:pdf-entry-name"/>
        </xsl:when>
        <xsl:otherwise><xsl:apply-templates select="." mode="tp:pdf"/></xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>

  <!-- A name as a register lists it; one holding more than name parts as the reading text renders it. -->
  <xsl:template match="*" mode="tp:pdf-entry-name">{tp:typst-literal(tp:name-text(.))}</xsl:template>
  <xsl:template match="*[.//*[not(self::forename or self::surname or self::addName or self::roleName or self::nameLink or self::genName
                                  or self::hi or self::add or self::persName or self::placeName or self::orgName or self::name or self::settlement or self::country)]]"
                mode="tp:pdf-entry-name">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>
</xsl:stylesheet>

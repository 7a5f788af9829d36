<?xml version="1.0" encoding="UTF-8"?>
<!--
  A bibliographic description (bibl, biblStruct) as one sentence-style citation, the same wherever
  a source or a cited document is described: its parts in the order the editors wrote them, each
  ended by a full stop ("Martin Coles. The Tito-Kim Correspondence …. History and Public Policy
  Program, Wilson Center. Published as a blog post …"), several authors joined by commas, the
  parts of an imprint (publisher, place, date) by commas. A part's words are its text as written,
  white space collapsed: the text is never cut apart at its elements ("Tito;", not "Tito ;").
  A bibl written as running text, without such parts, is given as written.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The parts a structured description is made of; a container holds parts of its own. -->
  <xsl:variable name="tp:bibliographic-containers" as="xs:string*" select="'analytic', 'monogr', 'series', 'imprint', 'relatedItem'"/>
  <xsl:variable name="tp:bibliographic-parts" as="xs:string*"
    select="'author', 'editor', 'respStmt', 'title', 'edition', 'publisher', 'pubPlace', 'date', 'biblScope', 'idno', 'note', 'extent', 'distributor', 'orgName', 'meeting', 'citedRange', 'textLang'"/>

  <xsl:function name="tp:bibliographic-text" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:sequence select="if (exists($bibl/*[local-name() = ($tp:bibliographic-parts, $tp:bibliographic-containers)]) and empty($bibl/text()[normalize-space(.) ne '']))
                          then string-join(tp:bibliographic-sentences($bibl)!tp:end-sentence(.), ' ')
                          else normalize-space($bibl)"/>
  </xsl:function>

  <!-- The sentences of a description: consecutive authors (editors) as one, an imprint as one, a
       container's own parts in their order, every other part one sentence. -->
  <xsl:function name="tp:bibliographic-sentences" as="xs:string*">
    <xsl:param name="container" as="element()"/>
    <xsl:for-each-group select="$container/*[normalize-space(.) ne '']" group-adjacent="local-name()[. = ('author', 'editor')] => string()">
      <xsl:choose>
        <xsl:when test="current-grouping-key() ne ''">
          <xsl:sequence select="string-join(current-group()!normalize-space(.), ', ')"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each select="current-group()">
            <xsl:choose>
              <xsl:when test="self::imprint">
                <xsl:sequence select="string-join(*!normalize-space(.)[. ne ''], ', ')"/>
              </xsl:when>
              <xsl:when test="local-name() = $tp:bibliographic-containers and exists(*)">
                <xsl:sequence select="tp:bibliographic-sentences(.)"/>
              </xsl:when>
              <xsl:otherwise>
                <xsl:sequence select="normalize-space(.)"/>
              </xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:function>

  <!-- A sentence ends with its own stop, question or exclamation mark, else a full stop is added. -->
  <xsl:function name="tp:end-sentence" as="xs:string">
    <xsl:param name="sentence" as="xs:string"/>
    <xsl:sequence select="if (matches($sentence, '[.!?…]([&quot;”’»«)\]])?$')) then $sentence else $sentence || '.'"/>
  </xsl:function>
</xsl:stylesheet>

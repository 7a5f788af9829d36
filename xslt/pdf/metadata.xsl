<?xml version="1.0" encoding="UTF-8"?>
<!--
  What the print edition says about a document before its text: the metadata block (date, sender
  and addressee with places, archive and number, classification, translator, source), and the
  bibliography entries of cited documents. Values pass to lib.typ as string data, never as markup.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/bibliographic.xsl"/>

  <xsl:mode name="tp:pdf-metadata" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The metadata block as a Typst array of (label, value) pairs. -->
  <xsl:function name="tp:metadata-pairs" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="pairs" as="xs:string*">
      <xsl:apply-templates select="$root" mode="tp:pdf-metadata"/>
    </xsl:variable>
    <xsl:sequence select="'(' || string-join($pairs!(. || ','), ' ') || ')'"/>
  </xsl:function>

  <xsl:function name="tp:pair" as="xs:string?">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="value" as="xs:string?"/>
    <xsl:sequence select="if (normalize-space($value) eq '') then () else '(' || tp:typst-string($label) || ', ' || tp:typst-string(normalize-space($value)) || ')'"/>
  </xsl:function>

  <xsl:template match="*" mode="tp:pdf-metadata" as="xs:string*">
    <xsl:variable name="header" select="teiHeader"/>
    <xsl:variable name="senders" select="tp:senders(.)"/>
    <xsl:variable name="correspondents" select="tp:correspondents(.)"/>
    <xsl:variable name="ms" select="($header/fileDesc/sourceDesc//msDesc)[1]"/>
    <xsl:variable name="dating" select="tp:document-dating(.)[tp:iso-date(.) ne '']"/>
    <xsl:sequence select="tp:pair(tp:message('meta.type'), tp:type-label(tp:document-kind(.)))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.date'), if (exists($dating)) then tp:format-dating($dating) else (tp:correspondence(.)/correspAction/date[normalize-space()])[1]!normalize-space(.))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.from'), tp:party($senders, tp:correspondence-places(., 'sender')[empty($correspondents)]))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.to'), tp:party(tp:addressees(.), tp:correspondence-places(., 'addressee')[empty($correspondents)]))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.correspondents'), tp:party($correspondents, ()))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.sent-from'), tp:party((), tp:correspondence-places(., 'sender')[exists($correspondents)]))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.sent-to'), tp:party((), tp:correspondence-places(., 'addressee')[exists($correspondents)]))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.archive'), string-join(($ms/msIdentifier/(settlement, institution, repository, collection)!normalize-space(.))[. ne ''], ', '))"/>
    <xsl:for-each select="$ms/msIdentifier/idno, $ms/msIdentifier/altIdentifier/idno">
      <xsl:sequence select="tp:pair(if (@type) then tp:token-type-label(@type) else tp:message('meta.number'), string(.))"/>
    </xsl:for-each>
    <xsl:sequence select="tp:pair(tp:message('meta.classification'), string-join($ms//note[@type = 'classification']!normalize-space(.), '; '))"/>
    <xsl:sequence select="tp:pair(tp:message('pdf.summary'), string-join($ms/msContents/summary!normalize-space(.), ' '))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.source'), string-join($header/fileDesc/sourceDesc/(biblStruct, bibl)!tp:bibliographic-text(.), ' '))"/>
    <xsl:sequence select="tp:pair(tp:message('meta.author'), string-join($header/fileDesc/titleStmt/author!normalize-space(.), '; ')[empty($senders)])"/>
    <xsl:sequence select="tp:pair(tp:message('pdf.translation'), string-join($header/fileDesc/titleStmt/respStmt[resp[matches(., 'transl', 'i')]]/(persName, name, orgName)!normalize-space(.), ', '))"/>
  </xsl:template>

  <!-- "Kim Il Sung, Pyongyang": who sent or received (common/correspondence.xsl), and where. -->
  <xsl:function name="tp:party" as="xs:string?">
    <xsl:param name="parties" as="element()*"/>
    <xsl:param name="places" as="element()*"/>
    <xsl:sequence select="string-join(($parties, $places)!tp:name-text(.)[. ne ''], ', ')"/>
  </xsl:function>

  <!-- A cited document in the bibliography: "Document 1. Title. From → to. Date. Subject.", the date
       left out when the title already says it ("Letter from Kim Il Sung to Josip Broz Tito, 4 November 1975"). -->
  <xsl:function name="tp:bibliography-entry" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:variable name="date" select="($bibl/date[exists(tp:iso-date(.))])[1]"/>
    <xsl:variable name="parts" select="(
      tp:name-of-bibl($bibl),
      tp:bibl-from-to($bibl)[tp:name-of-bibl($bibl) eq ''],
      (if (exists($date)) then tp:format-dating($date) else normalize-space($bibl/date))[not(contains(tp:name-of-bibl($bibl), .))],
      normalize-space(string-join($bibl/note//text(), ' ')))[. ne '']"/>
    <xsl:sequence select="'#tp-bibl-entry(' || tp:typst-string($bibl/@xml:id) || ')['
      || (if ($bibl/@n) then '#strong[' || tp:typst-literal(tp:message('bibl.document', $bibl/@n) || '.') || '] ' else '')
      || tp:typst-literal(string-join($parts!(if (matches(., '[.!?]$')) then . else . || '.'), ' ')) || ']'"/>
  </xsl:function>

  <!-- "Anna Example to Ben Sample": who wrote a cited document to whom, when it has no title. -->
  <xsl:function name="tp:bibl-from-to" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:variable name="from" select="string-join($bibl/author!normalize-space(.)[. ne ''], ', ')"/>
    <xsl:variable name="to" select="string-join($bibl/respStmt[resp = 'addressee']/(persName, orgName, name)!normalize-space(.)[. ne ''], ', ')"/>
    <xsl:sequence select="if ($from ne '' and $to ne '') then tp:message('pdf.from-to', ($from, $to)) else $from || $to"/>
  </xsl:function>

  <xsl:function name="tp:name-of-bibl" as="xs:string">
    <xsl:param name="bibl" as="element()"/>
    <xsl:sequence select="normalize-space(string-join(($bibl/title, $bibl/analytic/title, $bibl/monogr/title)[1]//text(), ''))"/>
  </xsl:function>

  <!-- The bibliography: a heading and one entry per cited document, by number, then by title. -->
  <xsl:function name="tp:bibliography" as="xs:string">
    <xsl:param name="bibls" as="element()*"/>
    <xsl:sequence select="if (empty($bibls)) then '' else
      '&#10;&#10;#tp-bibliography(' || tp:typst-string(tp:message('nav.bibliography')) || ')[' || string-join(sort($bibls, (), function($b) { (if ($b/@n castable as xs:integer) then xs:integer($b/@n) else 1000000), tp:name-of-bibl($b) })!tp:bibliography-entry(.), '&#10;') || ']&#10;&#10;'"/>
  </xsl:function>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  One TEI document as Typst markup (entry stylesheet: it only imports modules and says what a
  document is made of). `$part` chooses the output:
    standalone  a whole .typ file: imports lib.typ, applies the template, attaches the TEI source,
                the document, then a compact apparatus of the documents it cites and the names
                it mentions, and a colophon: the edition, how to cite it, its permanent URL, its licence;
    book        the document as one chapter of the book (book.xsl makes the front and back matter);
    sort-key    the key the book orders documents by (essays first, then by date);
    date        the document's date (ISO), for the years of the volume it is in;
    cited       the ids of the documents it cites, one a line (the bibliography of its volume).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/facts.xsl"/>
  <xsl:import href="../common/readings.xsl"/>
  <xsl:import href="../common/rendition.xsl"/>
  <xsl:import href="../common/language.xsl"/>
  <xsl:import href="typst.xsl"/>
  <xsl:import href="metadata.xsl"/>
  <xsl:import href="text.xsl"/>
  <xsl:import href="document-register.xsl"/>
  <xsl:import href="letters.xsl"/>
  <xsl:import href="edition.xsl"/>
  <xsl:import href="indexes.xsl"/>

  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:param name="part" as="xs:string" select="'standalone'"/>
  <!-- tei/edition.xml, whose header names the edition, its publisher and licence (none: the edition has no such file). -->
  <xsl:param name="edition" as="document-node()?" select="()"/>
  <xsl:param name="paper" as="xs:string" select="'a4'"/>
  <xsl:param name="fonts" as="array(xs:string)" select="[]"/>
  <!-- The name the TEI source has inside the PDF (the file lies in the build folder as source.xml). -->
  <xsl:param name="source-name" as="xs:string" select="'source.xml'"/>

  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:pdf-document" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The document transformed is the one whose chapter holds the apparatus entries of its text (text.xsl). -->
  <xsl:variable name="tp:chapter-document" as="document-node()?" select="/"/>

  <xsl:template match="/">
    <xsl:apply-templates select="*" mode="tp:pdf-document"/>
  </xsl:template>

  <xsl:template match="*" mode="tp:pdf-document">
    <xsl:choose>
      <xsl:when test="$part eq 'sort-key'">{tp:book-sort-key(.)}</xsl:when>
      <xsl:when test="$part eq 'book'">{tp:document-chapter(.)}</xsl:when>
      <xsl:when test="$part eq 'date'">{tp:document-date(.)}</xsl:when>
      <xsl:when test="$part eq 'cited'">{string-join(tp:cited(.)/@xml:id, '&#10;')}</xsl:when>
      <xsl:otherwise>
        <xsl:text>#import "lib.typ": *&#10;</xsl:text>
        <xsl:text>#show: edition.with(title: {tp:typst-string(tp:document-title(.))}, editors: {tp:typst-array(teiHeader/fileDesc/titleStmt/(editor, author)!normalize-space(.))}, </xsl:text>
        <xsl:text>keywords: {tp:typst-array(($tp:pdf-edition-title, teiHeader/profileDesc/textClass/keywords//term!normalize-space(.)))}, </xsl:text>
        <xsl:text>language: {tp:typst-string(tp:typst-language(tp:language(.)))}, paper: {tp:typst-string($paper)}{tp:fonts-argument()}, description: {tp:typst-string(string-join((tp:document-title(.), tp:format-dating(tp:document-dating(.))[. ne '']), ', '))})&#10;</xsl:text>
        <xsl:text>#pdf.attach({tp:typst-string($source-name)}, read("source.xml", encoding: none), relationship: "source", mime-type: "application/tei+xml", description: {tp:typst-string(tp:message('pdf.source-attachment'))})&#10;</xsl:text>
        <xsl:value-of select="tp:document-chapter(.)"/>
        <xsl:value-of select="tp:bibliography(tp:cited(.))"/>
        <xsl:value-of select="tp:names-apparatus(.)"/>
        <xsl:value-of select="tp:colophon(.)"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The entries of the documents a document cites (its references' targets in the bibliography). -->
  <xsl:function name="tp:cited" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="distinct-values($root//text//(ref | ptr)!tp:pointer-ids(.))!tp:entry-by-id(., $root)[local-name() = ('bibl', 'biblStruct')]"/>
  </xsl:function>

  <!-- Where a document's PDF comes from: the edition, how to cite it, its address on the site, its licence
       (the document's own, else the edition's). -->
  <xsl:function name="tp:colophon" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="id" select="($document-id, $root/@xml:id, 'document')[1]"/>
    <xsl:variable name="licence" select="(tp:pdf-licence($root/teiHeader), tp:pdf-licence($edition/*/teiHeader)[empty(tp:pdf-licence($root/teiHeader))])"/>
    <xsl:sequence select="'&#10;#tp-colophon(citation: ' || tp:typst-string(tp:pdf-citation(tp:document-title($root), $edition/*/teiHeader))
      || ', url: ' || (tp:pdf-permanent-url($id)!tp:typst-string(.), 'none')[1]
      || ', licence: ' || tp:typst-array($licence)
      || ', words: (cite-as: ' || tp:typst-string(tp:message('pdf.cite-as')) || ', url: ' || tp:typst-string(tp:message('pdf.permanent-url'))
      || ', licence: ' || tp:typst-string(tp:message('pdf.licence')) || '))&#10;'"/>
  </xsl:function>

  <!-- The document as a chapter: title, metadata block, its apparatus entries (text.xsl tp:chapter-apparatus), text (line
       numbers for primary sources), its own register. -->
  <xsl:function name="tp:document-chapter" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="body" as="xs:string*">
      <xsl:apply-templates select="$root/(node() except teiHeader)" mode="tp:pdf"/>
    </xsl:variable>
    <xsl:variable name="apparatus" select="tp:chapter-apparatus($root)"/>
    <xsl:sequence select="'&#10;#tp-document(id: ' || tp:typst-string(($document-id, $root/@xml:id, 'document')[1])
      || ', title: ' || tp:typst-string(tp:document-title($root))
      || ', language: ' || tp:typst-string(tp:typst-language(tp:language($root)))
      || ', numbered: ' || (if (tp:is-primary-source($root)) then 'true' else 'false')
      || ', apparatus: ' || (if ($apparatus ne '') then 'true' else 'false')
      || ', meta: ' || tp:metadata-pairs($root) || ')[' || $apparatus || string-join($body, '') || tp:document-register($root) || ']&#10;'"/>
  </xsl:function>

  <!-- A text of a corpus opens with its own title. -->
  <xsl:template match="TEI[parent::teiCorpus] | teiCorpus[parent::teiCorpus]" mode="tp:pdf" priority="3">
    <xsl:text>&#10;&#10;#tp-head(1)[{tp:typst-literal(tp:document-title(.))}]&#10;&#10;</xsl:text>
    <xsl:apply-templates select="node() except teiHeader" mode="tp:pdf"/>
  </xsl:template>

  <!-- Letters, telegrams and other sources get line numbers; essays and the edition's own texts do not. -->
  <xsl:function name="tp:is-primary-source" as="xs:boolean">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="not(tp:document-kind($root) = ('essay', 'edition', 'introduction', 'article'))"/>
  </xsl:function>

  <xsl:function name="tp:book-sort-key" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="(if (tp:is-primary-source($root)) then '1 ' else '0 ') || tp:document-date($root) || ' ' || ($document-id, $root/@xml:id, '')[1]"/>
  </xsl:function>

  <xsl:function name="tp:fonts-argument" as="xs:string">
    <xsl:sequence select="if (array:size($fonts) eq 0) then '' else ', fonts: ' || tp:typst-array(array:flatten($fonts))" xmlns:array="http://www.w3.org/2005/xpath-functions/array"/>
  </xsl:function>

</xsl:stylesheet>

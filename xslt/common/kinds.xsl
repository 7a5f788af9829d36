<?xml version="1.0" encoding="UTF-8"?>
<!--
  What kind of document a file is (letter, telegram, diary ...), decided once for the site's lists,
  the document page and the PDF. Our own files say it in text/@type; other projects say it in
  TEI/@type ("Brief"), in textClass terms, in msDesc's objectType, or only by having a correspDesc.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The words projects use for a kind of document, in several languages, and the kind each names. -->
  <xsl:variable name="tp:kind-words" as="map(xs:string, xs:string)" select="map {
    'letter': 'letter', 'brief': 'letter', 'lettre': 'letter', 'lettera': 'letter', 'carta': 'letter', 'epistola': 'letter',
    'correspondence': 'letter', 'korrespondenz': 'letter',
    'telegram': 'telegram', 'telegramm': 'telegram', 'télégramme': 'telegram', 'telegramma': 'telegram', 'cable': 'telegram',
    'postcard': 'postcard', 'postkarte': 'postcard', 'karte': 'postcard', 'korrespondenzkarte': 'postcard', 'carte postale': 'postcard',
    'ansichtskarte': 'postcard', 'visitenkarte': 'card', 'card': 'card', 'billet': 'card',
    'diary': 'diary', 'tagebuch': 'diary', 'journal intime': 'diary', 'diary entry': 'diary', 'tagebucheintrag': 'diary',
    'report': 'report', 'bericht': 'report', 'rapport': 'report',
    'memorandum': 'memorandum', 'memo': 'memorandum', 'denkschrift': 'memorandum',
    'essay': 'essay', 'aufsatz': 'essay', 'article': 'article', 'artikel': 'article',
    'poem': 'poem', 'gedicht': 'poem', 'drama': 'drama', 'play': 'drama', 'theaterstück': 'drama',
    'tragedy': 'drama', 'comedy': 'drama', 'tragödie': 'drama', 'komödie': 'drama', 'trauerspiel': 'drama', 'lustspiel': 'drama',
    'interview': 'interview', 'speech': 'speech', 'rede': 'speech', 'minutes': 'minutes', 'protokoll': 'minutes'}"/>

  <!-- The kind a word names, or () when it names none we know. -->
  <xsl:function name="tp:kind-of-word" as="xs:string?">
    <xsl:param name="word" as="xs:string?"/>
    <xsl:variable name="key" select="lower-case(normalize-space(replace(($word, '')[1], '[_\-]+', ' ')))"/>
    <xsl:sequence select="$tp:kind-words($key)"/>
  </xsl:function>

  <!-- The kind of a document: text/@type as our files write it (any value); else the first known word
       of TEI/@type, the textClass terms, the source's objectType; else a letter when the header (one correspDesc)
       describes a correspondence; else "document". -->
  <xsl:function name="tp:document-kind" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="own" select="($root/text/@type, $root/*/text/@type)[normalize-space(.) ne ''][1]!normalize-space(.)"/>
    <xsl:variable name="header" select="$root/teiHeader"/>
    <xsl:variable name="words" select="$root/@type, $header/profileDesc/textClass//(term, catRef/@target!replace(., '^.*[#/]', '')),
                                       $header/fileDesc/sourceDesc//objectType/(@corresp, @type, text()), $root/text/@subtype"/>
    <xsl:sequence select="(
      $own!(tp:kind-of-word(.), .)[1],
      $words!tp:kind-of-word(string(.)),
      'letter'[count($header/profileDesc/correspDesc[correspAction]) eq 1],
      'document')[1]"/>
  </xsl:function>
</xsl:stylesheet>

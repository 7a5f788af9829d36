<?xml version="1.0" encoding="UTF-8"?>
<!--
  The interface's language: every word the edition itself says to a reader (menus, labels,
  headings, abbreviations, dates) comes from one message catalogue per language,
  messages/{en,de,fr,it}.xml, through tp:message; html/ and pdf/ hold no words of their own.
  Dates are written here, in words of the catalogue, for every renderer (SaxonC-HE's format-date
  knows only English).

  A message may hold placeholders {1}, {2} ... for tp:message($key, $arguments). Counted phrases
  have two keys, KEY.one and KEY.other (tp:count-message). The language of a document's text
  (hyphenation, the lang attribute) is its own (tp:language), this only where it states none.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:m="https://teipress.org/ns/messages"
  xmlns:tp="https://teipress.org/ns/xslt"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- tp:iso-date and tp:date-certainty, which tp:format-dating reads. -->
  <xsl:import href="functions.xsl"/>

  <!-- The interface language (teipress.toml `language`): en, de, fr or it. -->
  <xsl:param name="language" as="xs:string" select="'en'"/>

  <xsl:variable name="tp:languages" as="xs:string+" select="'en', 'de', 'fr', 'it'"/>

  <!-- A document's main language from its text or header; where it states none, the edition's: the letters of a German
       edition without xml:lang are hyphenated, and read aloud, as German, not as English. -->
  <xsl:function name="tp:language" as="xs:string" xpath-default-namespace="http://www.tei-c.org/ns/1.0">
    <xsl:param name="document" as="node()"/>
    <xsl:sequence select="string((root($document)/*/text/@xml:lang, root($document)/*/@xml:lang, root($document)//profileDesc/langUsage/language[1]/@ident, $language)[1])"/>
  </xsl:function>

  <!-- The catalogue of the interface language as teipress parsed it once per process (saxon.py), so that
       each page need not read it anew (most of a short page's time); read here when it is not given. -->
  <xsl:param name="message-catalogue" as="document-node()?" select="()"/>

  <xsl:variable name="tp:messages" as="map(xs:string, xs:string)" select="
    if (not($language = $tp:languages))
    then error(xs:QName('tp:language'), 'the interface language must be one of ' || string-join($tp:languages, ', ') || ', not ' || $language)
    else map:merge((if ($message-catalogue/m:messages/@xml:lang = $language) then $message-catalogue
                    else doc(resolve-uri('messages/' || $language || '.xml', static-base-uri())))/m:messages/m:message!map:entry(string(@key), string(.)))"/>

  <!-- The message `key` in the interface language; a key the catalogue lacks is an error, never English. -->
  <xsl:function name="tp:message" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="($tp:messages($key), error(xs:QName('tp:message'), 'no message ' || $key || ' in messages/' || $language || '.xml'))[1]"/>
  </xsl:function>

  <!-- The message `key` with {1}, {2} ... replaced by `arguments` (as text: nothing in them is a placeholder).
       A placeholder without an argument stays, e.g. {0} where html/ puts an element (tp:message-around). -->
  <xsl:function name="tp:message" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="arguments" as="xs:string*"/>
    <xsl:sequence select="string-join(for $part in analyze-string(tp:message($key), '\{(\d+)\}')/* return
      if ($part/self::fn:match) then ($arguments[xs:integer($part/fn:group)], string($part))[1] else string($part), '')"
      xmlns:fn="http://www.w3.org/2005/xpath-functions"/>
  </xsl:function>

  <!-- Whether the catalogue has a message `key` (for words that are translated where known, e.g. document types). -->
  <xsl:function name="tp:has-message" as="xs:boolean">
    <xsl:param name="key" as="xs:string"/>
    <xsl:sequence select="map:contains($tp:messages, $key)"/>
  </xsl:function>

  <!-- A counted phrase, "1 document" / "3 documents": KEY.one or KEY.other, with {1} the count.
       French counts 0 and 1 as singular. -->
  <xsl:function name="tp:count-message" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:param name="arguments" as="xs:string*"/>
    <xsl:variable name="singular" select="if ($language eq 'fr') then $count le 1 else $count eq 1"/>
    <xsl:sequence select="tp:message($key || (if ($singular) then '.one' else '.other'), (string($count), $arguments))"/>
  </xsl:function>

  <xsl:function name="tp:count-message" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="count" as="xs:integer"/>
    <xsl:sequence select="tp:count-message($key, $count, ())"/>
  </xsl:function>

  <!-- A message with nodes in place of its placeholder {0}: "<span>3</span> of 5 documents". -->
  <xsl:template name="tp:message-around">
    <xsl:param name="message" as="xs:string"/>
    <xsl:param name="inserted" as="node()*"/>
    <xsl:value-of select="substring-before($message, '{0}')"/>
    <xsl:sequence select="$inserted"/>
    <xsl:value-of select="substring-after($message, '{0}')"/>
  </xsl:template>

  <!-- Every message whose key starts with `prefix`, as a map (the data block site.js reads its words from). -->
  <xsl:function name="tp:messages-starting" as="map(xs:string, xs:string)">
    <xsl:param name="prefix" as="xs:string"/>
    <xsl:sequence select="map:merge(map:keys($tp:messages)[starts-with(., $prefix)]!map:entry(substring-after(., $prefix), $tp:messages(.)))"/>
  </xsl:function>

  <!-- A document type's name in the reader's words: the catalogue's for the types it knows, else the type itself. -->
  <xsl:function name="tp:type-label" as="xs:string">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:variable name="key" select="'type.' || lower-case(($type[normalize-space()], 'document')[1])"/>
    <xsl:sequence select="if (tp:has-message($key)) then tp:message($key) else upper-case(substring($type, 1, 1)) || substring($type, 2)"/>
  </xsl:function>

  <!-- The label of an identifier's or a division's type written as a token: "telegram-number" and
       "telegram_number" read "Telegram number" (or the catalogue's words for it). -->
  <xsl:function name="tp:token-type-label" as="xs:string">
    <xsl:param name="type" as="xs:string"/>
    <xsl:sequence select="tp:type-label(replace(normalize-space($type), '[-_]', ' '))"/>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Dates                                                               -->
  <!-- ================================================================== -->

  <!-- One ISO date as a reader writes it: "14 March 1888", "14. März 1888", "1er mars 1888",
       "marzo 1888"; a day or a month of an unknown year (XML Schema's gMonthDay and gMonth values) "1 April", "June";
       any other value (a year, a time) as it is. -->
  <xsl:function name="tp:format-date" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="
      if (matches($iso, '^\d{4}-\d{2}-\d{2}$') and $iso castable as xs:date)
        then tp:message('date.day-month-year', (tp:day($iso), tp:month($iso), tp:year($iso)))
      else if (matches($iso, '^\d{4}-\d{2}$') and concat($iso, '-01') castable as xs:date)
        then tp:message('date.month-year', (tp:month($iso), tp:year($iso)))
      else if (matches($iso, '^--\d{2}-\d{2}$') and $iso castable as xs:gMonthDay)
        then tp:message('date.day-month', (tp:day('0000' || substring($iso, 2)), tp:month('0000' || substring($iso, 2))))
      else if (matches($iso, '^--\d{2}$') and $iso castable as xs:gMonth)
        then tp:month('0000' || substring($iso, 2))
      else $iso"/>
  </xsl:function>

  <!-- A date or a range "from/to" (ISO, as tp:iso-date gives it) as a reader writes it: a range
       within one month or one year names the month and year once ("3–5 May 1975",
       "3. Mai – 5. Juni 1975"). -->
  <xsl:function name="tp:format-date-range" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="tp:format-date-range($iso, ())"/>
  </xsl:function>

  <!-- The date a dating element gives (when, from/to, notBefore/notAfter), as a reader reads it, with its certainty
       ("between 1 and 30 April 1888"); '' for none: every date of a document, an event or a cited source is written so. -->
  <xsl:function name="tp:format-dating" as="xs:string">
    <xsl:param name="dating" as="element()?"/>
    <xsl:sequence select="if (exists($dating)) then tp:format-date-range(tp:iso-date($dating), tp:date-certainty($dating)) else ''"/>
  </xsl:function>

  <!-- The same for a date whose certainty tp:date-certainty gives: a date known only to lie between two
       (notBefore and notAfter) reads "between 1 and 30 April 1888", not as a span; a date with one bound
       "not before 1 April 1888" or "not after 30 April 1888". -->
  <xsl:function name="tp:format-date-range" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:param name="certainty" as="xs:string?"/>
    <xsl:variable name="parts" select="tokenize(($iso, '')[1], '/')[. ne '']"/>
    <xsl:variable name="range" select="tp:range-parts($parts)"/>
    <xsl:sequence select="
      if (empty($parts)) then ''
      else if ($certainty = ('not-before', 'not-after') and count($parts) = 1) then tp:message('date.' || $certainty, tp:format-date($parts))
      else if (count($parts) ne 2) then string-join($parts!tp:format-date(.), ' ')
      else if ($certainty eq 'between') then tp:message('date.between', $range)
      else if (tp:days-in-one($parts, 7)) then tp:message('date.range-in-month', $range)
      else tp:message('date.range', $range)"/>
  </xsl:function>

  <!-- The two ends of a range as written: the first without what the second repeats (its month and
       year: "3", "3 May"), the second in full. -->
  <xsl:function name="tp:range-parts" as="xs:string*">
    <xsl:param name="parts" as="xs:string*"/>
    <xsl:sequence select="
      if (tp:days-in-one($parts, 7)) then (tp:day($parts[1]), tp:format-date($parts[2]))
      else if (tp:days-in-one($parts, 4)) then (tp:message('date.day-month', (tp:day($parts[1]), tp:month($parts[1]))), tp:format-date($parts[2]))
      else $parts!tp:format-date(.)"/>
  </xsl:function>

  <!-- Whether two ISO parts are full days in one month (`length` 7) or one year (4). -->
  <xsl:function name="tp:days-in-one" as="xs:boolean">
    <xsl:param name="parts" as="xs:string*"/>
    <xsl:param name="length" as="xs:integer"/>
    <xsl:sequence select="count($parts) = 2 and substring($parts[1], 1, $length) eq substring($parts[2], 1, $length)
      and (every $part in $parts satisfies ($part castable as xs:date and matches($part, '^\d{4}-\d{2}-\d{2}$')))"/>
  </xsl:function>

  <!-- The day of an ISO date as the language writes it before the month ("3", "3.", "1er", "1º"). -->
  <xsl:function name="tp:day" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:variable name="day" select="xs:integer(substring($iso, 9, 2))"/>
    <xsl:sequence select="if ($day eq 1) then tp:message('date.first-day') else tp:message('date.day', string($day))"/>
  </xsl:function>

  <xsl:function name="tp:month" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="tp:message('month.' || xs:integer(substring($iso, 6, 2)))"/>
  </xsl:function>

  <xsl:function name="tp:year" as="xs:string">
    <xsl:param name="iso" as="xs:string"/>
    <xsl:sequence select="substring($iso, 1, 4)"/>
  </xsl:function>
</xsl:stylesheet>

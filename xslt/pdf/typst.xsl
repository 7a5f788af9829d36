<?xml version="1.0" encoding="UTF-8"?>
<!--
  How any text reaches Typst: as a string literal, never as markup. `tp:typst-literal("*x*")` gives
  `#"*x*";`, which Typst prints as it is; the closing `;` ends the statement so that whatever follows
  (say `.len()`) is text again. Bidi control characters are dropped (they would reorder the rest of
  the paragraph), and so are the C0 and C1 control characters but tab, line feed and carriage return
  (U+0000-U+001F, U+007F-U+009F: XML 1.0 allows the C1 ones and DEL). None has a visible form in print:
  Typst set a missing glyph for one, which the PDF's text layer read as U+0000 or U+0001, and broke the line
  at NEL. `teipress validate` warns of each in a source (validate.py). Tab, line feed and carriage return
  stay, escaped.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A Typst string expression: "..." with backslashes, quotes, tabs and line ends escaped. -->
  <xsl:function name="tp:typst-string" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:variable name="plain" select="replace(string($text), '[&#x202A;-&#x202E;&#x2066;-&#x2069;]|[\p{Cc}-[\t\n\r]]', '')"/>
    <xsl:variable name="escaped" select="replace(replace($plain, '\\', '\\\\'), '&quot;', '\\&quot;')"/>
    <xsl:sequence select="'&quot;' || (if (matches($escaped, '[\t\n\r]')) then tp:escape-controls($escaped) else $escaped) || '&quot;'"/>
  </xsl:function>

  <!-- Tab, line feed and carriage return as Typst's escapes. -->
  <xsl:function name="tp:escape-controls" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="replace(replace(replace($text, '\t', '\\t'), '\n', '\\n'), '\r', '\\r')"/>
  </xsl:function>

  <!-- Text in markup: a string literal statement that prints exactly `$text`. -->
  <xsl:function name="tp:typst-literal" as="xs:string">
    <xsl:param name="text" as="xs:string?"/>
    <xsl:sequence select="if (string($text) eq '') then '' else '#' || tp:typst-string($text) || ';'"/>
  </xsl:function>

  <!-- A Typst array of strings: ("a", "b",) (the trailing comma keeps a one-item array an array). -->
  <xsl:function name="tp:typst-array" as="xs:string">
    <xsl:param name="items" as="xs:string*"/>
    <xsl:sequence select="'(' || string-join($items!(tp:typst-string(.) || ','), ' ') || ')'"/>
  </xsl:function>

  <!-- A language code Typst can hyphenate by: the primary subtag of an ISO 639 code, else "en". -->
  <xsl:function name="tp:typst-language" as="xs:string">
    <xsl:param name="code" as="xs:string?"/>
    <xsl:variable name="primary" select="lower-case(replace(string($code), '[-_].*$', ''))"/>
    <xsl:sequence select="if (matches($primary, '^[a-z]{2,3}$')) then $primary else 'en'"/>
  </xsl:function>

  <!-- A full ISO day as (year, month, day) for the PDF metadata; nothing for partial or uncertain dates. -->
  <xsl:function name="tp:date-argument" as="xs:string">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="if (matches(string($iso), '^\d{4}-\d{2}-\d{2}$') and $iso castable as xs:date)
      then ', date: (' || string-join(tokenize($iso, '-')!string(xs:integer(.)), ', ') || ')' else ''"/>
  </xsl:function>
</xsl:stylesheet>

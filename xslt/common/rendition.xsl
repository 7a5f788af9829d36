<?xml version="1.0" encoding="UTF-8"?>
<!--
  What a @rend, @rendition or @style says of how a text looked (italic, bold, small capitals ...),
  decided once for every renderer: html/ turns each meaning into a class rend-{meaning}, pdf/ into
  a Typst function. Unknown values keep a safe token of their own.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- A token as a CSS class name: lower case, letters, digits and hyphens only. -->
  <xsl:function name="tp:class-token" as="xs:string?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:variable name="clean" select="substring(replace(replace(lower-case($token), '[^a-z0-9]+', '-'), '^-+|-+$', ''), 1, 40)"/>
    <xsl:sequence select="$clean[. ne '']"/>
  </xsl:function>

  <!-- What a @rend token means, as the class rend-{meaning}: known values by their usual spellings
       (also inside CSS-like values such as "font-style:italic"); anything else kept as rend-{token}. -->
  <xsl:function name="tp:rend-meaning" as="xs:string?">
    <xsl:param name="token" as="xs:string"/>
    <xsl:variable name="t" select="lower-case(replace($token, '^#', ''))"/>
    <xsl:sequence select="
      if ($t = ('i', 'it', 'ital', 'italic', 'italics', 'cursive', 'kursiv', 'em') or contains($t, 'italic')) then 'italic'
      else if ($t = ('b', 'bf', 'bold', 'strong', 'fett') or contains($t, 'bold')) then 'bold'
      else if ($t = ('sup', 'super', 'superscript', 'sup.', 'hoch', 'superscripted') or contains($t, 'super')) then 'superscript'
      else if ($t = ('sub', 'subscript', 'tief', 'subscripted') or matches($t, 'vertical-align:\s*sub')) then 'subscript'
      else if ($t = ('sc', 'smallcaps', 'small-caps', 'smallcap', 'small-capitals', 'kapitaelchen') or contains($t, 'small-caps')) then 'smallcaps'
      else if ($t = ('strike', 'strikethrough', 'strikeout', 'struck', 'line-through', 'overstrike', 'crossed-out', 'durchgestrichen') or contains($t, 'line-through')) then 'strikethrough'
      else if ($t = ('doubleunderline', 'double-underline', 'underline-double', 'underlined-double', 'uu')) then 'double-underline'
      else if ($t = ('u', 'ul', 'underline', 'underlined', 'unterstrichen') or contains($t, 'underline')) then 'underline'
      else if ($t = ('spaced', 'spacing', 'letterspace', 'letterspaced', 'letter-spacing', 'gesperrt', 'spaced-out', 'sperrung') or contains($t, 'letter-spacing')) then 'spaced'
      else if ($t = ('caps', 'allcaps', 'all-caps', 'uppercase', 'upper-case') or contains($t, 'uppercase')) then 'uppercase'
      else if ($t = ('center', 'centre', 'centered', 'centred', 'align-center', 'text-align:center')) then 'center'
      else if ($t = ('right', 'align-right', 'text-align:right', 'flush-right')) then 'right'
      else if ($t = ('indent', 'indented')) then 'indent'
      else tp:class-token($t)"/>
  </xsl:function>

  <!-- The meanings of an element's renditions: every token of @rend and of @rendition pointers
       ("#italic"), and of @style only the declarations with a known meaning (never raw CSS). -->
  <xsl:function name="tp:rend-meanings" as="xs:string*">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="known" select="'italic', 'bold', 'superscript', 'subscript', 'smallcaps', 'strikethrough', 'double-underline', 'underline', 'spaced', 'uppercase', 'center', 'right', 'indent'"/>
    <xsl:sequence select="distinct-values((
      for $token in tp:rend-tokens(($element/@rend, $element/@rendition)) return tp:rend-meaning($token),
      for $token in tp:rend-tokens($element/@style) return tp:rend-meaning($token)[. = $known]))"/>
  </xsl:function>

  <xsl:function name="tp:rend-tokens" as="xs:string*">
    <xsl:param name="values" as="attribute()*"/>
    <xsl:sequence select="tokenize(normalize-space(string-join($values, ' ')), '[\s;]+')[. ne '']"/>
  </xsl:function>
</xsl:stylesheet>

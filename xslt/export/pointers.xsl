<?xml version="1.0" encoding="UTF-8"?>
<!--
  Pointers for the exports: which register entries a document needs so that its "#id" pointers
  resolve inside it, and how an edition-relative link becomes an absolute URL.
  Needs functions.xsl (the $registers parameter) and the $base-url / $document-ids parameters
  of the importing stylesheet.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:tpe="https://teipress.org/ns/export"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:key name="tpe:element-by-id" match="*[@xml:id]" use="string(@xml:id)"/>

  <!-- The edition's document ids as a set, made once per transformation. -->
  <xsl:variable name="tpe:document-ids" as="map(xs:string, xs:boolean)" select="map:merge(tokenize($document-ids) ! map:entry(., true()))"/>

  <!-- Every local id that attributes of these nodes point to ("#id" tokens of any attribute but xml:id). -->
  <xsl:function name="tpe:pointed-ids" as="xs:string*">
    <xsl:param name="nodes" as="node()*"/>
    <xsl:sequence select="distinct-values(
      for $attribute in $nodes/descendant-or-self::*/@*[not(. is ../@xml:id)],
          $token in tokenize(normalize-space($attribute), ' ')[starts-with(., '#') and string-length(.) gt 1]
      return substring($token, 2))"/>
  </xsl:function>

  <!-- Where a document's ids are looked up: its own file, or its <document> in a collection of many. -->
  <xsl:function name="tpe:scope" as="node()">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="($node/ancestor-or-self::Q{}document[parent::Q{}collection][1], root($node))[1]"/>
  </xsl:function>

  <!-- The register entries a document needs: those it points to and, in turn, those they point to. -->
  <xsl:function name="tpe:referenced-entries" as="element()*">
    <xsl:param name="document" as="node()"/>
    <xsl:sequence select="tpe:closure($document, (), tpe:pointed-ids($document))"/>
  </xsl:function>

  <xsl:function name="tpe:closure" as="element()*">
    <xsl:param name="document" as="node()"/>
    <xsl:param name="found" as="element()*"/>
    <xsl:param name="ids" as="xs:string*"/>
    <xsl:variable name="known" select="$found/@xml:id/string()"/>
    <xsl:variable name="new" select="
      for $id in $ids[not(. = $known)][empty(key('tpe:element-by-id', ., $document))]
      return (if (exists($registers)) then key('tp:entry-by-id', $id, $registers)[1] else ())"/>
    <xsl:sequence select="if (empty($new)) then $found else tpe:closure($document, ($found, $new), tpe:pointed-ids($new))"/>
  </xsl:function>

  <!-- A pointer attribute with its edition-relative links made absolute: "#id" of another document
       of the edition becomes that document's page, a relative path is resolved against the base URL.
       Local pointers, absolute URLs and links that must not be followed stay as written. -->
  <xsl:function name="tpe:absolute-pointers" as="xs:string">
    <xsl:param name="attribute" as="attribute()"/>
    <xsl:param name="document" as="node()"/>
    <xsl:variable name="tokens" select="tokenize(normalize-space($attribute), ' ')"/>
    <xsl:sequence select="if (count($tokens) le 1 and not(tpe:needs-rewrite($tokens, $document))) then string($attribute)
      else string-join(for $token in $tokens return tpe:absolute-pointer($token, $document), ' ')"/>
  </xsl:function>

  <xsl:function name="tpe:needs-rewrite" as="xs:boolean">
    <xsl:param name="tokens" as="xs:string*"/>
    <xsl:param name="document" as="node()"/>
    <xsl:sequence select="some $token in $tokens satisfies tpe:absolute-pointer($token, $document) ne $token"/>
  </xsl:function>

  <xsl:function name="tpe:absolute-pointer" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:param name="document" as="node()"/>
    <xsl:variable name="id" select="substring($token, 2)"/>
    <xsl:sequence select="
      if ($base-url eq '') then $token
      else if (starts-with($token, '#')) then
        (if (map:contains($tpe:document-ids, $id) and empty(key('tpe:element-by-id', $id, $document))
             and not(exists($registers) and exists(key('tp:entry-by-id', $id, $registers))))
         then $base-url || 'documents/' || encode-for-uri($id) || '.html'
         else $token)
      else if (matches($token, '^[A-Za-z][A-Za-z0-9+.\-]*:')) then $token
      (: A bare word is a key of the source's own (as tp:pointer-ids reads it), not a path. :)
      else if (not(contains($token, '/') or contains($token, '.'))) then $token
      else if (exists(tp:safe-url($token))) then tpe:relative-target($token)
      else $token"/>
  </xsl:function>

  <!-- A relative link of a source file: another source (x.xml#p3) becomes its page, anything else
       (an image, a PDF) is resolved against the base URL. -->
  <xsl:function name="tpe:relative-target" as="xs:string">
    <xsl:param name="token" as="xs:string"/>
    <xsl:variable name="path" select="tpe:uri-part(substring-before($token || '#', '#'))"/>
    <xsl:variable name="fragment" select="tpe:uri-part(substring-after($token, '#'))"/>
    <xsl:variable name="reference" select="$path || (if (contains($token, '#')) then '#' || $fragment else '')"/>
    <xsl:choose>
      <xsl:when test="matches($path, '^[^/]+\.xml$')">
        <xsl:sequence select="$base-url || 'documents/' || replace($path, '\.xml$', '.html') || (if ($fragment) then '#' || $fragment else '')"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:try select="string(resolve-uri($reference, $base-url))">
          <!-- Still no URI reference (e.g. "%%"): the link stays as the source wrote it. -->
          <xsl:catch select="$token"/>
        </xsl:try>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- A path or fragment as a source may write it ('a "b".png', "100%.png", "x#y#z") with what a URI may not
       hold percent-encoded: a '%' that begins no escape, a '#' inside the fragment, and what iri-to-uri() escapes
       (spaces, quotes, angle brackets, non-ASCII ...). -->
  <xsl:function name="tpe:uri-part" as="xs:string">
    <xsl:param name="part" as="xs:string"/>
    <xsl:sequence select="$part => replace('%([^0-9A-Fa-f]|[0-9A-Fa-f][^0-9A-Fa-f]|[0-9A-Fa-f]?$)', '%25$1') => replace('#', '%23') => iri-to-uri()"/>
  </xsl:function>
</xsl:stylesheet>

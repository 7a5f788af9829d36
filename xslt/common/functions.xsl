<?xml version="1.0" encoding="UTF-8"?>
<!--
  What TEI markup means, independent of any output format: which element is an entity and
  which register entry it points to, which link is safe to follow, what a date's ISO value is.
  Renderers (html/, pdf/, export/) import this module and never decide these things themselves.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:reg="https://teipress.org/ns/registers"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Every register entry of the edition, merged by teipress (`edition.merged_registers`). -->
  <xsl:param name="registers" as="document-node()?" select="()"/>

  <xsl:key name="tp:entry-by-id" match="*[@xml:id]" use="@xml:id"/>
  <!-- Projects that point by @key often key an entry by its label @n (Escher: key="Zingg Josef", n="Zingg Josef"). -->
  <xsl:key name="tp:entry-by-label" match="*[@n][local-name() = ('person', 'personGrp', 'place', 'org', 'bibl', 'biblStruct', 'event')]" use="normalize-space(@n)"/>

  <!-- The kind of entity an element names: person, place, org, bibl, work, event, object (an rs's or name's
       own @type, any other word kept), or () when it names none. -->
  <xsl:function name="tp:entity-kind" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="name" select="local-name($element)"/>
    <xsl:sequence select="
      if ($name = ('persName', 'persname')) then 'person'
      else if ($name = ('placeName', 'geogName', 'settlement', 'country', 'region', 'bloc', 'district')) then 'place'
      else if ($name = 'orgName') then 'org'
      else if ($name = ('rs', 'name')) then tp:kind-of-type(($element/@type, tp:entry($element)!tp:entry-kind(.))[1])
      else if ($name = 'title' and $element/(@ref, @key)) then 'bibl'
      else ()"/>
  </xsl:function>

  <xsl:function name="tp:kind-of-type" as="xs:string?">
    <xsl:param name="type" as="xs:string?"/>
    <xsl:sequence select="
      if (empty($type)) then ()
      else if (lower-case($type) = ('person', 'persname', 'pers', 'personname', 'people')) then 'person'
      else if (lower-case($type) = ('place', 'placename', 'location', 'settlement', 'country')) then 'place'
      else if (lower-case($type) = ('org', 'orgname', 'organisation', 'organization', 'institution')) then 'org'
      else if (lower-case($type) = ('bibl', 'letter', 'document')) then 'bibl'
      else if (lower-case($type) = ('work', 'title', 'werk', 'opus')) then 'work'
      else if (lower-case($type) = ('event', 'ereignis')) then 'event'
      else if (lower-case($type) = ('object', 'objekt', 'artefact', 'artifact', 'thing')) then 'object'
      else lower-case($type)"/>
  </xsl:function>

  <!-- The kind of a register entry: person for <person>, place for <place> ... -->
  <xsl:function name="tp:entry-kind" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="
      let $name := local-name($entry) return
      if ($name = ('person', 'personGrp')) then 'person'
      else if ($name = 'place') then 'place'
      else if ($name = 'org') then 'org'
      else if ($name = 'event') then 'event'
      else 'bibl'"/>
  </xsl:function>

  <!-- The ids an element points to: each local pointer of @ref (and of @target on ref/ptr) without its '#',
       and @key whole (keys may contain spaces). Full URIs point outside the edition and give no id. -->
  <xsl:function name="tp:pointer-ids" as="xs:string*">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="pointers" select="$element/@ref, $element/@target[local-name($element) = ('ref', 'ptr')]"/>
    <xsl:sequence select="
      (for $token in tokenize(normalize-space(string-join($pointers, ' ')), ' ')
       return if (starts-with($token, '#')) then substring($token, 2)
              else if (contains($token, ':') or contains($token, '/') or contains($token, '.')) then ()
              else $token),
      $element/@key[normalize-space(.) ne '']!normalize-space(.)"/>
  </xsl:function>

  <!-- The register entry an element points to, if the edition has one. Cached: a page asks it of each entity for
       the text, the side panel, the search filters and the reading toolbar. -->
  <xsl:function name="tp:entry" as="element()?" cache="yes">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="(for $id in tp:pointer-ids($element) return tp:entry-by-id($id, root($element)))[1]"/>
  </xsl:function>

  <!-- An entry by id: in the merged registers first, else in the document itself (its own standOff);
       where no entry has that id, the entry whose label @n it is. -->
  <xsl:function name="tp:entry-by-id" as="element()?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="document" as="node()"/>
    <xsl:sequence select="(if (exists($registers)) then key('tp:entry-by-id', $id, $registers) else (),
                           key('tp:entry-by-id', $id, $document)[local-name() = ('person', 'personGrp', 'place', 'org', 'bibl', 'biblStruct', 'event')],
                           if (exists($registers)) then key('tp:entry-by-label', normalize-space($id), $registers) else (),
                           key('tp:entry-by-label', normalize-space($id), $document))[1]"/>
  </xsl:function>

  <!-- The name an entry is listed under: the name marked as standard or registered, else the first. -->
  <xsl:function name="tp:standard-name" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <!-- An event's label is its name (its text would run the labels of the events inside it together). -->
    <xsl:variable name="names" select="$entry/(persName, placeName, orgName, name, title, self::event/label)"/>
    <xsl:variable name="chosen" select="($names[@type = ('standard', 'reg', 'main', 'full')], $names[not(@type = ('variant', 'alt', 'short', 'abbreviation'))], $names)[1]"/>
    <xsl:sequence select="if (exists($chosen)) then tp:name-text($chosen) else normalize-space(string($entry))"/>
  </xsl:function>

  <!-- A name's text; forename/surname parts joined with spaces even where the file puts none between
       them, and "Schnitzler, Arthur" where the surname comes first (as registers list it). -->
  <xsl:function name="tp:name-text" as="xs:string">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="parts" select="$name/node()/normalize-space(string(.))[. ne '']"/>
    <xsl:sequence select="normalize-space(
      if ($name/*[1][self::surname] and $name/*[1]/following-sibling::forename and empty($name/text()[normalize-space(.) ne '']))
        then $parts[1] || ', ' || string-join(subsequence($parts, 2), ' ')
      else if ($name/*) then string-join($parts, ' ')
      else string($name))"/>
  </xsl:function>

  <!-- All other names of an entry (variants, abbreviations, short forms). -->
  <xsl:function name="tp:variant-names" as="xs:string*">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="distinct-values($entry/(persName, placeName, orgName, name, title)!tp:name-text(.)[. ne tp:standard-name($entry)])"/>
  </xsl:function>

  <!-- The key to sort an entry by: @sortKey on the entry or its standard name, else the name, case-folded. -->
  <xsl:function name="tp:sort-key" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="lower-case(($entry/@sortKey, $entry/(persName, placeName, orgName, name)/@sortKey, tp:standard-name($entry))[1])"/>
  </xsl:function>

  <!-- A URL from an attribute as it may be used in a link, or () when it must not become a link:
       script schemes (javascript:, vbscript:, data:) and relative paths that climb out of the edition. -->
  <xsl:function name="tp:safe-url" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="trimmed" select="replace(normalize-space($url), '[\p{Cc}\s]', '')"/>
    <xsl:variable name="scheme" select="lower-case(replace($trimmed, '^([A-Za-z][A-Za-z0-9+.\-]*):.*$', '$1'))"/>
    <xsl:sequence select="
      if ($trimmed eq '') then ()
      else if (matches($trimmed, '^[A-Za-z][A-Za-z0-9+.\-]*:')) then
        (if ($scheme = ('http', 'https', 'mailto', 'ftp', 'doi', 'urn')) then $trimmed else ())
      else if (starts-with($trimmed, '//') or starts-with($trimmed, '/') or starts-with($trimmed, '\')) then ()
      else if (tp:climbs-out(substring-before(concat($trimmed, '#'), '#'))) then ()
      else $trimmed"/>
  </xsl:function>

  <!-- True when a relative path's '..' steps go above the folder it starts in. -->
  <xsl:function name="tp:climbs-out" as="xs:boolean">
    <xsl:param name="path" as="xs:string"/>
    <xsl:iterate select="tokenize(replace($path, '\\', '/'), '/')">
      <xsl:param name="depth" as="xs:integer" select="0"/>
      <xsl:on-completion select="false()"/>
      <xsl:variable name="next" select="if (. eq '..') then $depth - 1 else if (. = ('', '.')) then $depth else $depth + 1"/>
      <xsl:choose>
        <xsl:when test="$next lt 0">
          <xsl:break select="true()"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:next-iteration>
            <xsl:with-param name="depth" select="$next"/>
          </xsl:next-iteration>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:iterate>
  </xsl:function>

  <!-- The ISO 8601 value a dating element gives, as written: @when, else @from/@to, else @notBefore/@notAfter. -->
  <xsl:function name="tp:iso-date" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="
      if ($element/@when) then string($element/@when)
      else if ($element/(@from, @to)) then string-join(($element/@from, $element/@to), '/')
      else if ($element/(@notBefore, @notAfter)) then string-join(($element/@notBefore, $element/@notAfter), '/')
      else if ($element/@when-iso) then string($element/@when-iso)
      else ()"/>
  </xsl:function>

  <!-- How certain a dating element's date is: 'between' (notBefore and notAfter), 'not-before' or
       'not-after' (one bound), or () for a date or span it states (when, from, to). -->
  <xsl:function name="tp:date-certainty" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="
      if ($element/(@when, @from, @to, @when-iso)) then ()
      else if ($element/@notBefore and $element/@notAfter) then 'between'
      else if ($element/@notBefore) then 'not-before'
      else if ($element/@notAfter) then 'not-after'
      else ()"/>
  </xsl:function>

  <!-- What dates an event of the registers: the event itself, else its first date child with a date. -->
  <xsl:function name="tp:event-dating" as="element()?">
    <xsl:param name="event" as="element()"/>
    <xsl:sequence select="($event[exists(tp:iso-date(.))], $event/date[exists(tp:iso-date(.))])[1]"/>
  </xsl:function>

  <!-- The earliest day a dating element can mean, for sorting (partial dates fill in January / the 1st). -->
  <xsl:function name="tp:date-sort-key" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="start" select="($element/@when, $element/@from, $element/@notBefore, $element/@when-iso)[1]"/>
    <xsl:sequence select="if (exists($start)) then substring(concat(replace(string($start), '^(-?\d{4}(-\d{2})?(-\d{2})?).*$', '$1'), '-01-01'), 1, 10) else ()"/>
  </xsl:function>

  <!-- A place's coordinates (latitude, longitude) from its first location/geo, else a geo of its own ("45.81 15.98", also
       with a comma), or () when they are not two numbers within the globe's ranges. -->
  <xsl:function name="tp:coordinates" as="xs:double*">
    <xsl:param name="entry" as="element()"/>
    <xsl:variable name="numbers" select="tokenize(normalize-space(replace(string(($entry/location/geo, $entry/geo)[1]), ',', ' ')), ' ')"/>
    <xsl:sequence select="if (count($numbers) eq 2 and (every $number in $numbers satisfies $number castable as xs:double))
                          then (let $lat := xs:double($numbers[1]), $lon := xs:double($numbers[2])
                                return if (abs($lat) le 90 and abs($lon) le 180) then ($lat, $lon) else ())
                          else ()"/>
  </xsl:function>
</xsl:stylesheet>

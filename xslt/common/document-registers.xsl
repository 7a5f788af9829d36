<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document's own register: the lists of persons, places, organisations, works and events that
  files from other projects carry in their back or standOff (e.g. the Schnitzler letters). They are
  no reading text: html/ and pdf/ render them after the notes as structured entries (name, other
  names, dates and places of birth and death, occupation, coordinates, authority links), every
  word of them kept. This module says which lists those are and what each part of an entry is.
  Needs functions.xsl imported beside it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- Whether a list is (part of) the document's own register: a list of entries in back or standOff. -->
  <xsl:function name="tp:is-document-register" as="xs:boolean">
    <xsl:param name="list" as="element()"/>
    <xsl:sequence select="exists($list[self::listPerson or self::listPlace or self::listOrg or self::listBibl or self::listEvent or self::listNym]
                                      [ancestor::back or ancestor::standOff])"/>
  </xsl:function>

  <!-- The outermost such lists of a document, in document order (lists inside them render with them). -->
  <xsl:function name="tp:document-register-lists" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="$root//*[tp:is-document-register(.)][not(ancestor::*[tp:is-document-register(.)])]"/>
  </xsl:function>

  <!-- An entry of a register list: a person, place, organisation, event, name or cited work in its list. -->
  <xsl:function name="tp:is-register-entry" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element[self::person or self::personGrp or self::place or self::org or self::event or self::nym or self::bibl or self::biblStruct or self::msDesc]
                                         [parent::listPerson or parent::listPlace or parent::listOrg or parent::listEvent or parent::listNym or parent::listBibl])"/>
  </xsl:function>

  <!-- What a list holds, as its heading says when the list has no head of its own. -->
  <xsl:function name="tp:register-list-label" as="xs:string">
    <xsl:param name="list" as="element()"/>
    <xsl:sequence select="tp:message(map {'listPerson': 'nav.persons', 'listPlace': 'nav.places', 'listOrg': 'nav.organizations', 'listBibl': 'register.list.works',
                                          'listEvent': 'register.list.events', 'listNym': 'register.list.names'}(local-name($list)))"/>
  </xsl:function>

  <!-- Whether an entry is a citation written as a sentence (text between its parts): it stays one. -->
  <xsl:function name="tp:is-running-entry" as="xs:boolean">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="exists($entry/text()[normalize-space(.) ne ''])"/>
  </xsl:function>

  <!-- The names an entry is known by (its first is the one it is listed under). -->
  <xsl:function name="tp:entry-names" as="element()*">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="$entry/(persName | placeName | orgName | name | title | geogName | addName | head[parent::event])"/>
  </xsl:function>

  <!-- What a part of an entry is: name, other-name, occupation, link (a web address), birth, death,
       location, description, or detail (anything else, shown with its element's name). Adjacent
       parts of one kind (other names, occupations, links) are shown together. -->
  <xsl:function name="tp:entry-part" as="xs:string">
    <xsl:param name="part" as="element()"/>
    <xsl:variable name="names" select="tp:entry-names($part/..)"/>
    <xsl:sequence select="
      if ($part is $names[1]) then 'name'
      else if (some $name in $names satisfies $name is $part) then 'other-name'
      else if ($part/self::occupation) then 'occupation'
      else if ($part/self::idno and exists(tp:authority-url($part))) then 'link'
      else if ($part/self::birth) then 'birth'
      else if ($part/self::death) then 'death'
      else if ($part/self::location) then 'location'
      else if ($part/self::note or $part/self::desc) then 'description'
      else 'detail'"/>
  </xsl:function>

  <!-- The label a part of an entry is shown with. -->
  <xsl:function name="tp:entry-part-label" as="xs:string">
    <xsl:param name="part" as="element()"/>
    <xsl:variable name="kind" select="tp:entry-part($part)"/>
    <xsl:sequence select="
      if ($kind eq 'other-name') then tp:message('js.also')
      else if ($kind eq 'birth') then tp:message('entry.born')
      else if ($kind eq 'death') then tp:message('entry.died')
      else if ($kind eq 'occupation') then tp:count-message('entry.occupation', count($part/../occupation))
      else if ($kind eq 'location') then tp:message(if (matches($part/@type, 'located|in_place|within', 'i')) then 'entry.located-in' else 'entry.location')
      else if ($part/self::idno) then tp:authority-label($part)
      else tp:words-of-name(local-name($part))"/>
  </xsl:function>

  <!-- "floruit" as "Floruit", "affiliation" as "Affiliation", "persName" as "Pers name". -->
  <xsl:function name="tp:words-of-name" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:variable name="words" select="lower-case(replace($name, '([a-z])([A-Z])', '$1 $2'))"/>
    <xsl:sequence select="upper-case(substring($words, 1, 1)) || substring($words, 2)"/>
  </xsl:function>

  <!-- The web address an identifier gives, if it is one: only http(s) becomes a link. -->
  <xsl:function name="tp:authority-url" as="xs:string?">
    <xsl:param name="idno" as="element()"/>
    <xsl:sequence select="tp:safe-url(normalize-space($idno))[matches(., '^https?://', 'i')]"/>
  </xsl:function>

  <!-- An identifier's name: its subtype or type ("gnd", "wikidata"), not a generic "URL"; else "Link". -->
  <xsl:function name="tp:authority-label" as="xs:string">
    <xsl:param name="idno" as="element()"/>
    <xsl:variable name="named" select="($idno/@subtype, $idno/@type)[not(lower-case(.) = ('url', 'uri', 'link', ''))][1]"/>
    <xsl:sequence select="if (exists($named)) then (if (string-length($named) le 4) then upper-case($named) else upper-case(substring($named, 1, 1)) || substring($named, 2)) else tp:message('entry.link')"/>
  </xsl:function>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  Who wrote to whom, as the correspDesc of a document says it, in the variants real projects use:
  correspAction[@type='sent'|'received'] holding the names (TEI's own way); names marked
  persName[@type|@role = 'sender'|'addressee'] in an action without a type; orgName, name, rs or a
  bare roleName as a party; several parties on one side.

  When an action's type and the roles its names carry contradict each other (a name marked
  "addressee" inside the action of sending), the source does not say reliably who wrote: then none
  of that action's names is called a sender or an addressee; they are listed as correspondents, as
  the source names them. Nothing is guessed, and an addressee is never shown as the sender.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The correspondence description a document is about: its first one. -->
  <xsl:function name="tp:correspondence" as="element()?">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="($root/teiHeader/profileDesc/correspDesc)[1]"/>
  </xsl:function>

  <!-- 'sender', 'addressee' or () for a role word of an action's or a name's @type or @role. -->
  <xsl:function name="tp:correspondence-role" as="xs:string?">
    <xsl:param name="word" as="xs:string?"/>
    <xsl:variable name="w" select="lower-case(normalize-space(($word, '')[1]))"/>
    <xsl:sequence select="
      if ($w = ('sent', 'sending', 'sender', 'author', 'addresser', 'absender')) then 'sender'
      else if ($w = ('received', 'receiving', 'addressee', 'recipient', 'receiver', 'empfänger', 'adressat')) then 'addressee'
      else ()"/>
  </xsl:function>

  <!-- The parties an action names: persons, organisations, names, mentions, and a bare role name. -->
  <xsl:function name="tp:action-parties" as="element()*">
    <xsl:param name="action" as="element()"/>
    <xsl:sequence select="$action/(persName | orgName | name | rs | roleName | persona)"/>
  </xsl:function>

  <!-- The role a name marks itself with, if any. -->
  <xsl:function name="tp:party-role" as="xs:string?">
    <xsl:param name="party" as="element()"/>
    <xsl:sequence select="($party/@type, $party/@role)!tp:correspondence-role(string(.))[1]"/>
  </xsl:function>

  <!-- Whether an action's own type and its names' roles contradict each other. -->
  <xsl:function name="tp:action-in-doubt" as="xs:boolean">
    <xsl:param name="action" as="element()"/>
    <xsl:variable name="role" select="tp:correspondence-role($action/@type)"/>
    <xsl:sequence select="exists($role) and (some $party in tp:action-parties($action) satisfies (tp:party-role($party), $role)[1] ne $role)"/>
  </xsl:function>

  <!-- The parties of one side (sender or addressee): the names of that side's actions, or the names
       marked with that role in actions without a type; never names of an action in doubt. -->
  <xsl:function name="tp:parties" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:sequence select="tp:correspondence($root)/correspAction[not(tp:action-in-doubt(.))]!(
      let $role := tp:correspondence-role(@type) return
      if (exists($role)) then (if ($role eq $side) then tp:action-parties(.) else ())
      else tp:action-parties(.)[tp:party-role(.) eq $side])"/>
  </xsl:function>

  <xsl:function name="tp:senders" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="tp:parties($root, 'sender')"/>
  </xsl:function>

  <xsl:function name="tp:addressees" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="tp:parties($root, 'addressee')"/>
  </xsl:function>

  <!-- The parties the source names without saying reliably on which side they are. -->
  <xsl:function name="tp:correspondents" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="tp:correspondence($root)/correspAction!(
      if (tp:action-in-doubt(.)) then tp:action-parties(.)
      else if (empty(tp:correspondence-role(@type))) then tp:action-parties(.)[empty(tp:party-role(.))]
      else ())"/>
  </xsl:function>

  <!-- The places of one side: where it was sent from (sender) or sent to (addressee). The place of an
       action in doubt is still the place of that action: its type says where, not who. -->
  <xsl:function name="tp:correspondence-places" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="side" as="xs:string"/>
    <xsl:sequence select="tp:correspondence($root)/correspAction[tp:correspondence-role(@type) eq $side]/(placeName | settlement)"/>
  </xsl:function>
</xsl:stylesheet>

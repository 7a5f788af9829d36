<?xml version="1.0" encoding="UTF-8"?>
<!--
  Register entries as readers see them: a person's, place's or organisation's name, other names,
  dates and description; a cited document's title, sender, addressee, date and subject. Used by the
  register pages, the "Cited documents" section of a document page and the popovers' data.
  Needs text.xsl and layout.xsl imported beside it.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The parts of an entry rendered by name here; every other child is rendered as text (nothing lost).
       birth, death and idno are details: the rules below render those with words of their own (a
       place of birth, an identifier that is no link) and leave out those the summary already shows. -->
  <xsl:variable name="tp:entry-summary-parts" as="xs:string+" select="('persName', 'placeName', 'orgName', 'name', 'floruit', 'title', 'author', 'date', 'respStmt')"/>

  <!-- Whether a birth or death says more than its date: text outside its date child. -->
  <xsl:function name="tp:has-own-text" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="normalize-space(string-join(($element/node() except $element/date)/descendant-or-self::text(), '')) ne ''"/>
  </xsl:function>

  <!-- Whether an element belongs to the merged registers (a register page), not to a document's own text. -->
  <xsl:function name="tp:in-registers" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($registers) and root($element) is $registers"/>
  </xsl:function>

  <xsl:template match="*[self::birth or self::death][parent::person or parent::personGrp or parent::place or parent::org][tp:in-registers(.)][not(tp:has-own-text(.))]" mode="tp:html" priority="6"/>
  <xsl:template match="*[self::birth or self::death][parent::person or parent::personGrp or parent::place or parent::org][tp:in-registers(.)]" mode="tp:html" priority="5">
    <p class="entry-{local-name()}"><span class="label">{tp:message('js.label', tp:message(if (self::birth) then 'entry.born' else 'entry.died'))}</span><xsl:apply-templates select="node()" mode="tp:html"/></p>
  </xsl:template>
  <!-- An identifier that is a web address is an authority link; any other is shown with its type. -->
  <xsl:template match="idno[parent::person or parent::personGrp or parent::place or parent::org][tp:in-registers(.)][tp:safe-url(normalize-space(.))[matches(., '^https?:')]]" mode="tp:html" priority="6"/>
  <xsl:template match="idno[parent::person or parent::personGrp or parent::place or parent::org][tp:in-registers(.)]" mode="tp:html" priority="5">
    <p class="entry-idno"><span class="label">{tp:message('js.label', if (@type) then upper-case(substring(@type, 1, 1)) || substring(@type, 2) else tp:message('entry.identifier'))}</span>{normalize-space(.)}</p>
  </xsl:template>

  <!-- Life or existence dates of an entry: "7 May 1892 – 4 May 1980", "founded 1961". -->
  <xsl:function name="tp:entry-dates" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <!-- the date on the element itself, else on its date child (<birth><date when="…"/>…</birth>) -->
    <xsl:variable name="birth" select="$entry/birth[1]!(tp:iso-date(.), date!tp:iso-date(.))[1]"/>
    <xsl:variable name="death" select="$entry/death[1]!(tp:iso-date(.), date!tp:iso-date(.))[1]"/>
    <xsl:variable name="floruit" select="$entry/floruit[1]!(tp:iso-date(.), date!tp:iso-date(.))[1]"/>
    <xsl:variable name="founded" select="$entry/event[1]!tp:iso-date(.)"/>
    <xsl:sequence select="
      if ($entry/self::event) then tp:format-dating(tp:event-dating($entry))[. ne '']
      else if ($birth or $death) then string-join((($birth!tp:format-date-range(.), '?')[1], ($death!tp:format-date-range(.), '')[1]), ' – ')
      else if ($floruit) then tp:message('entry.active', tp:format-date-range($floruit))
      else if ($founded) then tp:format-date-range($founded)
      else if ($entry/self::bibl or $entry/self::biblStruct) then ($entry/(date, .//imprint/date)[1]!tp:iso-date(.)!tp:format-date-range(.))[1]
      else ()"/>
  </xsl:function>

  <xsl:function name="tp:format-coordinates" as="xs:string">
    <xsl:param name="coordinates" as="xs:double+"/>
    <xsl:sequence select="format-number(abs($coordinates[1]), '0.#####') || '° ' || (if ($coordinates[1] lt 0) then 'S' else 'N') || ', '
                          || format-number(abs($coordinates[2]), '0.#####') || '° ' || (if ($coordinates[2] lt 0) then 'W' else 'E')"/>
  </xsl:function>

  <!-- An entry's one-line description as plain text (for popovers and meta tags). -->
  <xsl:function name="tp:entry-description" as="xs:string?">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="($entry/note[@type = ('description', 'subject')], $entry/note, $entry/desc)[1]!normalize-space(.)"/>
  </xsl:function>

  <!-- The sender (author) and addressee of a cited document. -->
  <xsl:function name="tp:bibl-parties" as="xs:string?">
    <xsl:param name="bibl" as="element()"/>
    <xsl:variable name="from" select="$bibl/author!normalize-space(.)"/>
    <xsl:variable name="to" select="$bibl/respStmt[normalize-space(resp) = 'addressee']/(persName, orgName, name)!normalize-space(.)"/>
    <xsl:sequence select="if (exists($from) or exists($to)) then string-join((string-join($from, ', '), string-join($to, ', ')[. ne '']), ' → ') else ()"/>
  </xsl:function>

  <!-- A cited document as a reference: title, parties, date, subject; every other word it holds kept. -->
  <xsl:template name="tp:bibl-reference">
    <xsl:param name="bibl" as="element()"/>
    <!-- false where a heading already gives the title (the register page) -->
    <xsl:param name="with-title" as="xs:boolean" select="true()"/>
    <xsl:variable name="title" select="($bibl/title, $bibl//title)[1]"/>
    <xsl:choose>
      <xsl:when test="exists($title)">
        <xsl:if test="$with-title">
          <cite class="bibl-title"><xsl:apply-templates select="$title/node()" mode="tp:html"/></cite>
        </xsl:if>
        <xsl:for-each select="tp:bibl-parties($bibl)">
          <span class="bibl-parties">{.}</span>
        </xsl:for-each>
        <xsl:for-each select="tp:entry-dates($bibl)">
          <span class="bibl-date">{.}</span>
        </xsl:for-each>
        <xsl:for-each select="$bibl/node()[not(self::title or self::author or self::date or self::respStmt[normalize-space(resp) = 'addressee'] or self::text()[not(normalize-space())])]">
          <span class="bibl-part"><xsl:apply-templates select="." mode="tp:html"/></span>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <span class="bibl-part"><xsl:apply-templates select="$bibl/node()" mode="tp:html"/></span>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>
  <!-- Every bibliographic entry the text points to, so that its [Document N] links land here. -->
  <xsl:template name="tp:cited-documents">
    <xsl:param name="root" as="element()"/>
    <!-- Where the pointers are: the whole text, or the one division an edition's page shows (page.xsl). -->
    <xsl:param name="scope" as="element()*" select="$root//text"/>
    <xsl:variable name="ids" select="distinct-values($scope//(ref, ptr)!tp:pointer-ids(.))"/>
    <xsl:variable name="bibls" select="$ids!tp:entry-by-id(., $root)[self::bibl or self::biblStruct]"/>
    <xsl:if test="exists($bibls)">
      <!-- Not indexed for search: descriptions of other documents, whose parts would run together in an excerpt. -->
      <section class="cited-documents" aria-labelledby="cited-heading" data-pagefind-ignore="all">
        <h2 id="cited-heading">{tp:message('nav.bibliography')}</h2>
        <ol>
          <xsl:for-each select="$bibls">
            <li id="{@xml:id}">
              <xsl:if test="@n"><span class="bibl-label">[{tp:message('bibl.document', @n)}]</span><xsl:text> </xsl:text></xsl:if>
              <xsl:call-template name="tp:bibl-reference"><xsl:with-param name="bibl" select="."/></xsl:call-template>
              <xsl:text> </xsl:text>
              <a class="register-link" href="{tp:register-href(.)}">{tp:message('bibl.in-bibliography')}</a>
            </li>
          </xsl:for-each>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

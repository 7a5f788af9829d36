<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document's own register (common/document-registers.xsl) as HTML: a section after the notes,
  one list per list of the source, each entry an item of labelled lines: name, other names, born,
  died (with places and coordinates), occupations, description, authority links (http(s) only),
  and every other part under its own name. Every word of the lists reaches this section, in order;
  the reading text leaves them out.

  Import after text.xsl (its rule that leaves the lists out of the reading text must win over
  text.xsl's list rules), then:  <xsl:apply-templates select="/*" mode="tp:html-document-register"/>

  HTML: section.document-register > h2 + section.register-list > h3 + ul.register-entries >
        li.register-entry.entry-{kind}#{anchor} > p.entry-name, p.entry-part.entry-{part} > span.label,
        ul.authority-links > li > a > span.authority-label + span.authority-url; span.coordinates
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/document-registers.xsl"/>

  <xsl:mode name="tp:html-document-register" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:html-register-detail" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:html-entry-name" on-no-match="fail" on-multiple-match="fail"/>

  <!-- In the reading text the lists leave nothing: they are rendered after the notes. The pattern names the lists
       tp:is-document-register can be, so that the other elements of a page, tried against this rule first, are
       told apart by their names, not each by a call (issue 11). -->
  <xsl:template match="(listPerson | listPlace | listOrg | listBibl | listEvent | listNym)[tp:is-document-register(.)][not(ancestor::*[tp:is-document-register(.)])]" mode="tp:html" priority="10"/>

  <!-- The document (its root element): the section, when it has such lists. -->
  <xsl:template match="/*" mode="tp:html-document-register">
    <xsl:variable name="lists" select="tp:document-register-lists(.)"/>
    <xsl:if test="exists($lists)">
      <section class="document-register" aria-labelledby="document-register-heading">
        <h2 id="document-register-heading">{tp:message('register.in-this-document')}</h2>
        <xsl:apply-templates select="$lists" mode="tp:html-document-register"/>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- A list: its leading heads (else what it holds) as the heading, then its entries and nested lists. -->
  <xsl:template match="*[tp:is-document-register(.)]" mode="tp:html-document-register">
    <xsl:variable name="heads" select="head[empty(preceding-sibling::*[not(self::head)])]"/>
    <section class="register-list register-list-{lower-case(substring-after(local-name(), 'list'))}">
      <xsl:if test="ancestor::text and tp:is-passage(.)">
        <xsl:attribute name="id" select="tp:passage-anchor(.)"/>
      </xsl:if>
      <h3>
        <xsl:choose>
          <xsl:when test="exists($heads)"><xsl:apply-templates select="$heads/node()" mode="tp:html"/></xsl:when>
          <xsl:otherwise>{tp:register-list-label(.)}</xsl:otherwise>
        </xsl:choose>
      </h3>
      <!-- Entries in a list, nested lists as sections of their own; words between the entries kept. -->
      <xsl:for-each-group select="(node() except $heads)[self::* or normalize-space(.) ne '']" group-adjacent="exists(self::*[tp:is-document-register(.)])">
        <xsl:choose>
          <xsl:when test="current-grouping-key()">
            <xsl:apply-templates select="current-group()" mode="tp:html-document-register"/>
          </xsl:when>
          <xsl:otherwise>
            <ul class="register-entries">
              <xsl:for-each-group select="current-group()" group-adjacent="tp:has-own-page(.)">
                <xsl:choose>
                  <xsl:when test="current-grouping-key()">
                    <xsl:call-template name="tp:entries-on-their-pages">
                      <xsl:with-param name="entries" select="current-group()"/>
                    </xsl:call-template>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:for-each select="current-group()">
                      <xsl:choose>
                        <xsl:when test="self::*[tp:is-register-entry(.)]"><xsl:apply-templates select="." mode="tp:html-document-register"/></xsl:when>
                        <!-- Anything else in a list (a note, a break, an alternate) as the reading text renders it. -->
                        <xsl:when test="self::*"><li class="list-other"><xsl:apply-templates select="." mode="tp:html"/></li></xsl:when>
                        <xsl:otherwise><li class="list-other">{.}</li></xsl:otherwise>
                      </xsl:choose>
                    </xsl:for-each>
                  </xsl:otherwise>
                </xsl:choose>
              </xsl:for-each-group>
            </ul>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each-group>
    </section>
  </xsl:template>

  <!-- A register file of another project (a file whose text holds only lists of entries, edition.py's
       is_register: Escher's people/people.xml) is the edition's register, and its entries have pages of
       their own (registers/persons/{entry}.html, each with every word of its entry: tests/test_registers.py).
       Its events are in the chronology, every word of each. Its page would repeat them all, thousands of entries
       in one page (4 MB for Escher's persons); it says instead how many entries each list gives to the register
       (or the chronology), linked to the register's index. The entries the site shows nowhere else keep every
       word here: one without an id, one whose id an entry of another file took (the first of an id wins:
       edition.py merged_registers). teipress passes the file's id as $register-file; '' for a document (its own
       lists are short, and read with it). -->
  <xsl:param name="register-file" as="xs:string" select="''"/>

  <xsl:function name="tp:has-own-page" as="xs:boolean">
    <xsl:param name="item" as="node()"/>
    <xsl:sequence select="$register-file ne '' and exists($registers) and
      $item/self::*[local-name() = ('person', 'personGrp', 'place', 'org', 'bibl', 'biblStruct', 'event')][@xml:id]
        [. is key('tp:entry-by-id', @xml:id, root(.))[1]]
        [key('tp:entry-by-id', @xml:id, $registers)[parent::reg:registers][1]/@reg:source = $register-file]"
      xmlns:reg="https://teipress.org/ns/registers"/>
  </xsl:function>

  <xsl:template name="tp:entries-on-their-pages">
    <xsl:param name="entries" as="element()+"/>
    <xsl:variable name="events" select="tp:entry-kind($entries[1]) eq 'event'"/>
    <xsl:variable name="register" select="if ($events) then 'chronology' else tp:register-page(tp:entry-kind($entries[1]))"/>
    <li class="register-entries-elsewhere">
      <xsl:call-template name="tp:message-around">
        <xsl:with-param name="message" select="tp:count-message(if ($events) then 'register.events-in-the-chronology' else 'register.entries-on-their-pages', count($entries))"/>
        <xsl:with-param name="inserted" as="element()"><a href="{$site-root}{if ($events) then '' else 'registers/'}{$register}.html">{tp:message('nav.' || $register)}</a></xsl:with-param>
      </xsl:call-template>
    </li>
  </xsl:template>

  <!-- An entry: its parts in the source's order, adjacent parts of one kind on one line. -->
  <xsl:template match="*" mode="tp:html-document-register" priority="-1">
    <li>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'register-entry', 'entry-' || tp:entry-kind(.)"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="tp:is-running-entry(.)">
          <p class="entry-citation"><xsl:apply-templates mode="tp:html"><xsl:with-param name="tp:inline" select="true()" tunnel="yes"/></xsl:apply-templates></p>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each-group select="*" group-adjacent="let $part := tp:entry-part(.) return if ($part = ('other-name', 'occupation', 'link')) then $part else generate-id(.)">
            <xsl:call-template name="tp:register-entry-part">
              <xsl:with-param name="parts" select="current-group()"/>
            </xsl:call-template>
          </xsl:for-each-group>
        </xsl:otherwise>
      </xsl:choose>
    </li>
  </xsl:template>

  <xsl:template name="tp:register-entry-part">
    <xsl:param name="parts" as="element()+"/>
    <xsl:variable name="kind" select="tp:entry-part($parts[1])"/>
    <xsl:choose>
      <xsl:when test="$kind eq 'name'">
        <p class="entry-name"><xsl:apply-templates select="$parts" mode="tp:html-entry-name"/></p>
      </xsl:when>
      <xsl:when test="$kind eq 'link'">
        <ul class="authority-links" aria-label="{tp:message('register.authority-records')}">
          <xsl:for-each select="$parts">
            <li><xsl:call-template name="tp:authority-link"/></li>
          </xsl:for-each>
        </ul>
      </xsl:when>
      <xsl:when test="normalize-space(string-join($parts//text(), '')) eq '' and empty($parts/descendant-or-self::note)"/>
      <xsl:when test="$kind = ('other-name', 'occupation')">
        <p class="entry-part entry-{$kind}">
          <span class="label">{tp:message('js.label', tp:entry-part-label($parts[1]))}</span>
          <xsl:for-each select="$parts">
            <xsl:if test="position() gt 1">; </xsl:if>
            <xsl:variable name="url" select="tp:safe-url(normalize-space(.))[matches(., '^https?://', 'i')]"/>
            <xsl:choose>
              <xsl:when test="exists($url)"><a href="{$url}" rel="external noopener noreferrer">{normalize-space(.)}</a></xsl:when>
              <xsl:otherwise><xsl:apply-templates select="." mode="tp:html-entry-name"/></xsl:otherwise>
            </xsl:choose>
          </xsl:for-each>
        </p>
      </xsl:when>
      <xsl:when test="$kind = ('birth', 'death', 'location') or ($parts/self::idno)">
        <p class="entry-part entry-{local-name($parts)}">
          <span class="label">{tp:message('js.label', tp:entry-part-label($parts))}</span>
          <xsl:apply-templates select="$parts" mode="tp:html-register-detail"/>
        </p>
      </xsl:when>
      <!-- Paragraphs, notes and anything else: as the reading text renders them, under their name. -->
      <xsl:otherwise>
        <div class="entry-part entry-{local-name($parts)}">
          <xsl:if test="not(tp:behaviour($parts) = ('block', 'division', 'heading', 'note'))">
            <span class="label">{tp:message('js.label', tp:entry-part-label($parts))}</span>
          </xsl:if>
          <xsl:apply-templates select="$parts" mode="tp:html"/>
        </div>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A name as a register lists it ("Schnitzler, Arthur"); a name holding more than name parts
       (a note, a break, an alternate) as the reading text renders it, so that nothing is lost. -->
  <xsl:template match="*" mode="tp:html-entry-name">{tp:name-text(.)}</xsl:template>
  <xsl:template match="*[.//*[not(self::forename or self::surname or self::addName or self::roleName or self::nameLink or self::genName
                                  or self::hi or self::add or self::persName or self::placeName or self::orgName or self::name or self::settlement or self::country)]]"
                mode="tp:html-entry-name">
    <xsl:apply-templates mode="tp:html">
      <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
    </xsl:apply-templates>
  </xsl:template>

  <!-- A web address as a link, named by the identifier's type; the address itself shown beside. -->
  <xsl:template name="tp:authority-link">
    <a class="authority-link" href="{tp:authority-url(.)}" rel="external noopener noreferrer">
      <span class="authority-label">{tp:authority-label(.)}</span>
      <xsl:text> </xsl:text>
      <span class="authority-url">{normalize-space(.)}</span>
    </a>
  </xsl:template>

  <!-- The parts of a birth, death or location: dates, places, coordinates, links, separated by commas. -->
  <xsl:template match="*" mode="tp:html-register-detail">
    <xsl:for-each select="node()[self::* or normalize-space(.) ne '']">
      <xsl:if test="position() gt 1 and not(self::geo or self::idno or self::location)">, </xsl:if>
      <xsl:if test="position() gt 1 and (self::geo or self::idno or self::location)"><xsl:text> </xsl:text></xsl:if>
      <xsl:choose>
        <xsl:when test="self::text()">{normalize-space(.)}</xsl:when>
        <xsl:when test="self::geo"><span class="coordinates" title="{tp:message('entry.coordinates')}">({normalize-space(.)})</span></xsl:when>
        <xsl:when test="self::idno and exists(tp:authority-url(.))"><xsl:call-template name="tp:authority-link"/></xsl:when>
        <xsl:when test="self::location or (* and not(self::date) and empty(text()[normalize-space(.) ne '']))">
          <xsl:apply-templates select="." mode="tp:html-register-detail"/>
        </xsl:when>
        <xsl:when test="self::placeName or self::settlement or self::country or self::region or self::district or self::bloc or self::geogName">
          <span class="entry-place"><xsl:apply-templates select="." mode="tp:html-entry-name"/></span>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="." mode="tp:html">
            <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text's blocks: paragraphs and other blocks, headings, verse lines, quotations, lists,
  tables and figures. Included by text.xsl (same precedence: its functions, parameters and modes are
  these rules' own); see there what the HTML holds.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- ================================================================== -->
  <!-- Blocks                                                              -->
  <!-- ================================================================== -->

  <!-- Paragraph-like blocks: <p> (or a block span inside phrasing content); blocks inside it
       (a list, a quotation of several paragraphs) become block spans. -->
  <xsl:template match="p | ab" mode="tp:html">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'p'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Other blocks (speaker, stage directions, bibliography items, register entries ...): a div,
       its content phrasing unless it holds blocks itself. -->
  <xsl:template match="*[tp:behaviour(.) eq 'block']" mode="tp:html" priority="-5.07">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="$tp:inline or not(tp:has-blocks(.))" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Headings of divisions: h2 ... h6 by depth. -->
  <xsl:template match="*[tp:behaviour(.) eq 'heading']" mode="tp:html" priority="-5.18">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="heading" select="parent::*[tp:behaviour(.) eq 'division'] and self::head"/>
    <xsl:element name="{if ($tp:inline) then 'span' else if ($heading) then 'h' || tp:heading-level(.) else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'heading', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Verse: each line a block of its own; @n shown by CSS from data-n. -->
  <xsl:template match="*[tp:behaviour(.) eq 'verse-line']" mode="tp:html" priority="-5.08">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'verse-line', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="$tp:inline or not(tp:has-blocks(.))" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Quotations: a blockquote where it stands between blocks or holds blocks, else an inline span.
       Not <q>: browsers add quotation marks to it, and sources often have their own marks inside or
       around the element, which would then be doubled. The quotation marks are the source's. -->
  <xsl:template match="*[tp:behaviour(.) eq 'quote']" mode="tp:html" priority="-5.06">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="block" select="tp:has-blocks(.) or parent::*[tp:behaviour(.) = ('division', 'item', 'cell', 'note', 'quote')][not(tp:has-inline-text(.))]"/>
    <xsl:variable name="name" select="
      if ($tp:inline or not($block)) then 'span'
      else if (self::q or self::quote or self::said) then 'blockquote'
      else 'div'"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'quote', 'quote'), 'quote-block'[$block], 'block'[$block and $tp:inline]"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="$name eq 'span' or not(tp:has-blocks(.))" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- Whether an element has text of its own beside its children (then a child quote runs inline). -->
  <xsl:function name="tp:has-inline-text" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element/text()[normalize-space(.) ne ''])"/>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Lists                                                               -->
  <!-- ================================================================== -->

  <!-- ul, ol or dl; leading heads above it; anything that is not an item becomes an item of its own. -->
  <xsl:template match="*[tp:behaviour(.) eq 'list']" mode="tp:html" priority="-5.11">
    <xsl:call-template name="tp:list"/>
  </xsl:template>

  <!-- Lists of register entries inside a text (a file's own persons, places, bibliography): a list too. -->
  <xsl:template match="listPerson | listPlace | listOrg | listEvent | listNym | listBibl" mode="tp:html">
    <xsl:call-template name="tp:list"/>
  </xsl:template>

  <xsl:template name="tp:list">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="kind" select="tp:list-kind(.)"/>
    <xsl:variable name="heads" select="tp:leading-heads(.)"/>
    <xsl:variable name="list-name" select="if ($tp:inline) then 'span' else if ($kind eq 'ordered') then 'ol' else if ($kind eq 'gloss') then 'dl' else 'ul'"/>
    <xsl:variable name="body" as="element()">
      <xsl:element name="{$list-name}">
        <xsl:call-template name="tp:attributes">
          <xsl:with-param name="classes" select="'list', 'list-' || $kind, 'block'[$tp:inline]"/>
          <xsl:with-param name="with-id" select="empty($heads)"/>
        </xsl:call-template>
        <xsl:for-each select="node() except $heads">
          <xsl:choose>
            <xsl:when test="self::text()[normalize-space(.) eq ''] or self::comment() or self::processing-instruction() or self::*[tp:is-list-item(.)]">
              <xsl:apply-templates select="." mode="#current"/>
            </xsl:when>
            <xsl:otherwise>
              <xsl:element name="{if ($tp:inline) then 'span' else if ($kind eq 'gloss') then 'dd' else 'li'}">
                <xsl:attribute name="class" select="'list-other', 'list-break'[current()/self::*[tp:behaviour(.) eq 'break']], 'block'[$tp:inline]"/>
                <xsl:apply-templates select="." mode="#current"/>
              </xsl:element>
            </xsl:otherwise>
          </xsl:choose>
        </xsl:for-each>
      </xsl:element>
    </xsl:variable>
    <xsl:choose>
      <xsl:when test="exists($heads)">
        <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
          <xsl:call-template name="tp:attributes">
            <xsl:with-param name="classes" select="'list-container', 'block'[$tp:inline]"/>
          </xsl:call-template>
          <xsl:apply-templates select="$heads" mode="#current"/>
          <xsl:sequence select="$body"/>
        </xsl:element>
      </xsl:when>
      <xsl:otherwise>
        <xsl:sequence select="$body"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- Whether an element is an item of its list: an item or label, or an entry of a register list. -->
  <xsl:function name="tp:is-list-item" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="tp:is-register-entry($element) or tp:behaviour($element) eq 'item'"/>
  </xsl:function>

  <!-- A register entry in a list: an item whose parts (names, dates, notes) each take a line. -->
  <xsl:template match="(person | personGrp | place | org | event | nym | bibl | biblStruct | msDesc)[parent::listPerson or parent::listPlace or parent::listOrg or parent::listEvent or parent::listNym or parent::listBibl]" mode="tp:html" priority="1">
    <xsl:call-template name="tp:item">
      <xsl:with-param name="classes" select="'register-entry'"/>
    </xsl:call-template>
  </xsl:template>

  <!-- An item: li (dt for a gloss list's label, dd for its item). -->
  <xsl:template match="*[tp:behaviour(.) eq 'item']" mode="tp:html" priority="-5.10">
    <xsl:call-template name="tp:item"/>
  </xsl:template>

  <xsl:template name="tp:item">
    <xsl:param name="classes" as="xs:string*" select="()"/>
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="gloss" select="exists(parent::*[tp:behaviour(.) eq 'list']) and tp:list-kind(..) eq 'gloss'"/>
    <xsl:element name="{if ($tp:inline) then 'span' else if ($gloss) then (if (self::label) then 'dt' else 'dd') else 'li'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'item', $classes, 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- A head of a list, table, figure or verse group (not a division): a caption-like block. -->
  <xsl:template match="head[parent::*[tp:behaviour(.) = ('list', 'table', 'figure')]]" mode="tp:html">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'heading', 'caption', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Tables                                                              -->
  <!-- ================================================================== -->

  <!-- table: leading heads as its caption, rows as tr, anything else in a row of its own. -->
  <xsl:template match="*[tp:behaviour(.) eq 'table']" mode="tp:html" priority="-5.14">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="heads" select="tp:leading-heads(.)"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'table'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'table', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:if test="exists($heads)">
        <xsl:element name="{if ($tp:inline) then 'span' else 'caption'}">
          <xsl:attribute name="class" select="'caption', 'block'[$tp:inline]"/>
          <xsl:apply-templates select="$heads" mode="#current">
            <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
          </xsl:apply-templates>
        </xsl:element>
      </xsl:if>
      <xsl:for-each select="node() except $heads">
        <xsl:choose>
          <xsl:when test="self::text()[normalize-space(.) eq ''] or self::comment() or self::processing-instruction() or self::*[tp:behaviour(.) eq 'row']">
            <xsl:apply-templates select="." mode="#current"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:element name="{if ($tp:inline) then 'span' else 'tr'}">
              <xsl:attribute name="class" select="'table-other', 'table-break'[current()/self::*[tp:behaviour(.) eq 'break']], 'block'[$tp:inline]"/>
              <xsl:element name="{if ($tp:inline) then 'span' else 'td'}">
                <xsl:if test="not($tp:inline)">
                  <xsl:attribute name="colspan" select="max((1, ../row/sum(cell/(if (@cols castable as xs:integer) then xs:integer(@cols) else 1))))"/>
                </xsl:if>
                <xsl:apply-templates select="." mode="#current"/>
              </xsl:element>
            </xsl:element>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- A row outside a table, or a cell outside a row (other projects' files nest them so), is set as spans that read as
       blocks: a tr or td there would be moved elsewhere by the browser's parser, with the words around it. -->
  <xsl:template match="*[tp:behaviour(.) eq 'row'][not(parent::*[tp:behaviour(.) eq 'table'])]" mode="tp:html" priority="-5.125">
    <xsl:next-match>
      <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
    </xsl:next-match>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) eq 'cell'][not(parent::*[tp:behaviour(.) eq 'row'])]" mode="tp:html" priority="-5.115">
    <xsl:next-match>
      <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
    </xsl:next-match>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) eq 'row']" mode="tp:html" priority="-5.13">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'tr'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'row', 'row-label'[current()/@role eq 'label'], 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:for-each select="node()">
        <xsl:choose>
          <xsl:when test="self::text()[normalize-space(.) eq ''] or self::comment() or self::processing-instruction() or self::*[tp:behaviour(.) eq 'cell']">
            <xsl:apply-templates select="." mode="#current"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:element name="{if ($tp:inline) then 'span' else 'td'}">
              <xsl:attribute name="class" select="'row-other'"/>
              <xsl:apply-templates select="." mode="#current"/>
            </xsl:element>
          </xsl:otherwise>
        </xsl:choose>
      </xsl:for-each>
    </xsl:element>
  </xsl:template>

  <!-- td, or th for a label cell or a cell of a label row; @cols/@rows as spans. -->
  <xsl:template match="*[tp:behaviour(.) eq 'cell']" mode="tp:html" priority="-5.12">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="label" select="(@role, ../@role)[1] eq 'label'"/>
    <xsl:element name="{if ($tp:inline) then 'span' else if ($label) then 'th' else 'td'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'cell', 'cell-label'[$label]"/>
      </xsl:call-template>
      <xsl:if test="not($tp:inline) and @cols castable as xs:integer and xs:integer(@cols) gt 1">
        <xsl:attribute name="colspan" select="xs:integer(@cols)"/>
      </xsl:if>
      <xsl:if test="not($tp:inline) and @rows castable as xs:integer and xs:integer(@rows) gt 1">
        <xsl:attribute name="rowspan" select="xs:integer(@rows)"/>
      </xsl:if>
      <xsl:if test="not($tp:inline) and $label">
        <xsl:attribute name="scope" select="if (../@role eq 'label') then 'col' else 'row'"/>
      </xsl:if>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Figures                                                             -->
  <!-- ================================================================== -->

  <!-- figure: content in source order; a leading head is its figcaption, figDesc a visible description. -->
  <xsl:template match="*[tp:behaviour(.) eq 'figure']" mode="tp:html" priority="-5.15">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'figure'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'figure', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="figure/head[empty(preceding-sibling::*)]" mode="tp:html" priority="1">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'figcaption'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'heading', 'caption', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="figDesc" mode="tp:html">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'figure-description', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- An image when its URL is safe (alt from the figure's figDesc, else "Figure"); else a marker. -->
  <xsl:template match="*[tp:behaviour(.) eq 'graphic']" mode="tp:html" priority="-5.16">
    <xsl:variable name="src" select="tp:media-src(@url)"/>
    <xsl:variable name="alt" select="normalize-space(string-join((desc, ../figDesc)[1]//text(), ''))"/>
    <span>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'graphic', 'graphic-removed'[empty($src) and exists(current()/@url)]"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="exists($src)">
          <img src="{$src}" alt="{if ($alt ne '') then $alt else tp:message('text.figure')}" loading="lazy">
            <xsl:if test="@width[matches(., '^\d+(px)?$')]">
              <xsl:attribute name="width" select="replace(@width, 'px', '')"/>
            </xsl:if>
          </img>
        </xsl:when>
        <xsl:when test="exists(@url)">
          <xsl:attribute name="title" select="tp:message('text.image-removed')"/>
          <xsl:attribute name="role" select="'img'"/>
          <xsl:attribute name="aria-label" select="if ($alt ne '') then $alt else tp:message('text.figure')"/>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- What search.py's EXCLUDE_SELECTORS leave out of the index stays in the text Pagefind keeps of a heading with
       an id, the title of a result's part ("Sept.September"): in a heading, the attribute says it as well. -->
  <xsl:template name="tp:pagefind-ignore-in-heading">
    <xsl:if test="ancestor::*[tp:behaviour(.) eq 'heading']">
      <xsl:attribute name="data-pagefind-ignore" select="'all'"/>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

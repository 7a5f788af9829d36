<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text's phrases: notes (their callouts, and the notes section in mode tp:html-notes),
  alternates (choice, app, subst), entities, dates and links, renditions and editorial interventions,
  gaps and breaks. Included by text.xsl (same precedence: its functions, parameters and modes are
  these rules' own); see there what the HTML holds.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- ================================================================== -->
  <!-- Notes                                                               -->
  <!-- ================================================================== -->

  <!-- In the text, a note leaves its numbered callout; its content goes to the notes section. -->
  <xsl:template match="note[ancestor::text]" mode="tp:html">
    <xsl:param name="tp:in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="n" select="tp:note-number(.)"/>
    <xsl:element name="{if ($tp:in-link) then 'span' else 'a'}">
      <!-- A number of the page, not a word of the text: not indexed for search (search.py's EXCLUDE_SELECTORS). -->
      <xsl:attribute name="class" select="'note-ref'"/>
      <xsl:call-template name="tp:pagefind-ignore-in-heading"/>
      <xsl:attribute name="id" select="'note-ref-' || $n"/>
      <xsl:if test="not($tp:in-link)">
        <xsl:attribute name="href" select="'#note-' || $n"/>
        <xsl:attribute name="role" select="'doc-noteref'"/>
      </xsl:if>
      <xsl:value-of select="$n"/>
    </xsl:element>
  </xsl:template>

  <!-- The notes section: one numbered endnote per note of the text, linked back to its callout. -->
  <xsl:template match="*" mode="tp:html-notes">
    <xsl:variable name="notes" select="tp:text-notes(.)"/>
    <xsl:if test="exists($notes)">
      <!-- The endnotes' role on the section, not on each note: DPUB-ARIA 1.1 retired doc-endnote (a note is the
           list's item), and the role would repeat on every note of every page (issue 11). -->
      <section class="notes" role="doc-endnotes" aria-labelledby="notes-heading">
        <h2 id="notes-heading">{tp:message('text.notes')}</h2>
        <ol>
          <xsl:apply-templates select="$notes" mode="tp:html-notes"/>
        </ol>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="note" mode="tp:html-notes">
    <xsl:variable name="n" select="tp:note-number(.)"/>
    <li id="note-{$n}">
      <xsl:element name="{if (tp:has-blocks(.)) then 'div' else 'span'}">
        <xsl:call-template name="tp:attributes">
          <xsl:with-param name="classes" select="'note-body'"/>
        </xsl:call-template>
        <xsl:apply-templates mode="tp:html">
          <xsl:with-param name="tp:inline" select="not(tp:has-blocks(.))" tunnel="yes"/>
          <xsl:with-param name="tp:in-link" select="false()" tunnel="yes"/>
        </xsl:apply-templates>
        <xsl:text> </xsl:text>
        <a href="#note-ref-{$n}" role="doc-backlink" aria-label="{tp:message('text.back-to-text')}">↩</a>
      </xsl:element>
    </li>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Alternates: choice, app, subst                                      -->
  <!-- ================================================================== -->

  <!-- All readings in source order; the one the edition follows shown, the others marked secondary. -->
  <xsl:template match="*[tp:behaviour(.) eq 'alternate']" mode="tp:html" priority="-5.02">
    <span>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'alternate', 'alternate')"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:apply-templates select="node() except text()[normalize-space(.) eq '']" mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
        <xsl:with-param name="tp:primary" select="tp:primary-reading(.)" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <xsl:template match="rdgGrp" mode="tp:html">
    <span>
      <xsl:call-template name="tp:attributes"/>
      <xsl:apply-templates select="node()[not(self::text()[normalize-space(.) eq ''])]" mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- A reading of an alternate (common/readings.xsl tp:readings: an app's lem and rdg, also inside rdgGrp; every
       child of another alternate, also of one an edition's own rule makes): wrapped with its role, then rendered as
       the element it is. -->
  <xsl:template match="*[parent::*[not(self::app)][tp:behaviour(.) eq 'alternate']] | app/lem | app/rdg | rdgGrp/lem | rdgGrp/rdg" mode="tp:html" priority="5">
    <xsl:param name="tp:primary" as="element()?" select="()" tunnel="yes"/>
    <xsl:variable name="primary" select=". is $tp:primary"/>
    <!-- The reading the edition follows is the one without a class (a class of its own would repeat on every
         expansion of a page, issue 11); the others are .reading-secondary, hidden in the reading view. The search
         index holds the reading view: an excerpt reads "next September", not "next Sept.September" (search.py's
         EXCLUDE_SELECTORS leaves out .reading-secondary). -->
    <span data-reading="{local-name()}">
      <xsl:if test="not($primary)">
        <xsl:attribute name="class" select="'reading-secondary'"/>
        <xsl:call-template name="tp:pagefind-ignore-in-heading"/>
      </xsl:if>
      <xsl:if test="@wit">
        <xsl:attribute name="data-wit" select="normalize-space(@wit)"/>
      </xsl:if>
      <xsl:if test="@resp">
        <xsl:attribute name="data-resp" select="normalize-space(@resp)"/>
      </xsl:if>
      <xsl:next-match/>
    </span>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Entities, dates, links                                              -->
  <!-- ================================================================== -->

  <!-- The tei- classes that say a name's kind by themselves (a persName is always a person: tp:entity-kind), each with
       that kind: a mention with one of them carries no class entity-{kind}. site.js reads this map as
       window.teipressKindOfClass (messages-script.xsl). -->
  <xsl:variable name="tp:kind-of-name-class" as="map(xs:string, xs:string)">
    <xsl:variable name="names" as="element()+">
      <persName xmlns="http://www.tei-c.org/ns/1.0"/>
      <placeName xmlns="http://www.tei-c.org/ns/1.0"/>
      <orgName xmlns="http://www.tei-c.org/ns/1.0"/>
    </xsl:variable>
    <xsl:map>
      <xsl:for-each select="$names">
        <xsl:map-entry key="'tei-' || local-name()" select="tp:entity-kind(.)"/>
      </xsl:for-each>
    </xsl:map>
  </xsl:variable>

  <!-- A person, place, organisation ... mentioned: keyed to its register entry for the popover. It is an entity
       by its data-entity (empty where it points to no id) and of its kind by its class entity-{kind}, which a
       persName, placeName or orgName leaves to its tei- class; site.js makes it focusable: a page names hundreds
       of entities, and every byte they repeat weighs on every page (issue 11). -->
  <xsl:template match="*[tp:behaviour(.) eq 'entity']" mode="tp:html" priority="-5.00">
    <xsl:variable name="entry" select="tp:entry(.)"/>
    <xsl:variable name="kind" select="(tp:entity-kind(.), $entry!tp:entry-kind(.), 'name')[1]"/>
    <!-- Every id it points to, the one with a register entry first; keys with spaces are no ids. -->
    <xsl:variable name="ids" select="distinct-values(($entry/@xml:id!string(.), tp:pointer-ids(.)[not(matches(., '\s'))]))"/>
    <xsl:variable name="uri" select="(for $token in tokenize(normalize-space(@ref), ' ') return tp:safe-url($token)[matches(., '^https?:', 'i')])[1]"/>
    <span>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="('entity-' || tp:class-token($kind))[not(map:contains($tp:kind-of-name-class, 'tei-' || local-name(current())))], tp:line-class(.)"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:attribute name="data-entity" select="string-join($ids, ' ')"/>
      <xsl:if test="empty($entry)">
        <xsl:variable name="label" select="string-join((tp:name-text(.), @key/normalize-space(.), $uri), ' · ')"/>
        <xsl:attribute name="data-label" select="$label"/>
        <xsl:attribute name="title" select="$label"/>
        <xsl:if test="exists($uri)">
          <xsl:attribute name="data-href" select="$uri"/>
        </xsl:if>
      </xsl:if>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- A date: machine-readable in datetime when HTML accepts the value, else (a range, an uncertain date) in data-iso. -->
  <xsl:template match="*[tp:behaviour(.) eq 'date']" mode="tp:html" priority="-5.03">
    <xsl:variable name="iso" select="tp:iso-date(.)"/>
    <xsl:element name="{if (exists($iso)) then 'time' else 'span'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'date', 'date'), tp:line-class(.)"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="tp:valid-html-datetime($iso)">
          <xsl:attribute name="datetime" select="$iso"/>
        </xsl:when>
        <xsl:when test="exists($iso)">
          <xsl:attribute name="data-iso" select="$iso"/>
        </xsl:when>
      </xsl:choose>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- HTML's datetime accepts a year, year-month or day (and times); not ranges or uncertain spans. -->
  <xsl:function name="tp:valid-html-datetime" as="xs:boolean">
    <xsl:param name="iso" as="xs:string?"/>
    <xsl:sequence select="exists($iso) and (
      ($iso castable as xs:gYear and matches($iso, '^\d{4,}$') and xs:integer($iso) gt 0)
      or ($iso castable as xs:gYearMonth and matches($iso, '^\d{4,}-\d{2}$'))
      or ($iso castable as xs:date and matches($iso, '^\d{4,}-\d{2}-\d{2}$'))
      or ($iso castable as xs:dateTime and matches($iso, '^\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$')))"/>
  </xsl:function>

  <!-- A link: live only when its target is safe; pointers to register entries go to the register. -->
  <xsl:template match="*[tp:behaviour(.) eq 'link']" mode="tp:html" priority="-5.05">
    <xsl:param name="tp:in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="targets" select="tokenize(normalize-space(string((@target, @url)[1])), ' ')"/>
    <!-- One unsafe pointer in a list makes the whole link suspect (e.g. "java&#9;script:" splits in two). -->
    <xsl:variable name="removed" select="some $target in $targets satisfies empty(tp:safe-url($target))"/>
    <xsl:variable name="href" select="if (exists($targets)) then tp:link-href($targets[1], .)[not($removed)] else ()"/>
    <xsl:variable name="unresolved" select="exists($targets) and not($removed) and empty($href)"/>
    <xsl:element name="{if (exists($href) and not($tp:in-link)) then 'a' else 'span'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'link', 'ref'), 'ref-removed'[$removed], 'ref-unresolved'[$unresolved], 'ref-nolink'[empty($targets)], tp:line-class(.)"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:choose>
        <xsl:when test="$removed">
          <xsl:attribute name="title" select="tp:message('link.removed-title')"/>
        </xsl:when>
        <xsl:when test="$unresolved">
          <xsl:attribute name="data-target" select="$targets[1]"/>
          <xsl:attribute name="title" select="tp:message('link.unresolved-title', $targets[1])"/>
        </xsl:when>
        <xsl:when test="exists($href) and $tp:in-link">
          <xsl:attribute name="data-href" select="$href"/>
        </xsl:when>
        <xsl:when test="exists($href)">
          <xsl:attribute name="href" select="$href"/>
          <xsl:if test="matches($href, '^[A-Za-z][A-Za-z0-9+.\-]*:')">
            <xsl:attribute name="rel" select="'noopener noreferrer'"/>
          </xsl:if>
        </xsl:when>
      </xsl:choose>
      <xsl:if test="count($targets) gt 1 and not($removed)">
        <xsl:attribute name="data-targets" select="string-join(for $target in $targets return tp:link-href($target, current()), ' ')"/>
      </xsl:if>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
        <xsl:with-param name="tp:in-link" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
      <!-- A ptr (or an empty ref) has no words of its own: show where it points (as text, never as a live link
           when unsafe), marked as the edition's words, not the source's. -->
      <xsl:if test="not(node())">
        <span class="ref-target">{if ($removed) then tp:message('link.removed') else string-join($targets, ' ')}</span>
      </xsl:if>
    </xsl:element>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Phrase-level renditions and editorial interventions                 -->
  <!-- ================================================================== -->

  <!-- hi: i, b, u, s, sup, sub for known renditions, else a span; every @rend token as a class. -->
  <xsl:template match="hi" mode="tp:html">
    <xsl:element name="{tp:hi-element(.)}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:line-class(.)"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <xsl:template match="emph" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="name" select="'em'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="title[not(@ref or @key)]" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="name" select="'cite'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="abbr" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="name" select="'abbr'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="add" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="name" select="'ins'"/>
      <xsl:with-param name="title" select="tp:editorial-title('js.reading.add', @place)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="del" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="name" select="'del'"/>
      <xsl:with-param name="title" select="tp:message('js.reading.del')"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="unclear" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="tp:editorial-title('js.reading.unclear', @reason)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="supplied" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="tp:editorial-title('text.supplied', @reason)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="sic" mode="tp:html">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="title" select="tp:message('text.sic')"/>
    </xsl:call-template>
  </xsl:template>

  <!-- foreign: its language as lang (by tp:attributes); italic by CSS. -->
  <xsl:template match="foreign" mode="tp:html">
    <xsl:call-template name="tp:phrase"/>
  </xsl:template>

  <!-- Other phrase-level elements (expan, corr, reg, orig, seg, term, num ...): a classed span. -->
  <xsl:template match="*[tp:behaviour(.) eq 'emphasis']" mode="tp:html" priority="-5.01">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="passage" select="false()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- The title of an editorial intervention: what it is, then what the source says of it ("Unclear (faded)"). -->
  <xsl:function name="tp:editorial-title" as="xs:string">
    <xsl:param name="key" as="xs:string"/>
    <xsl:param name="detail" as="attribute()?"/>
    <xsl:sequence select="string-join((tp:message($key), $detail!('(' || . || ')')), ' ')"/>
  </xsl:function>

  <!-- A phrasing element around the content (a block span when it holds blocks in flow content). -->
  <xsl:template name="tp:phrase">
    <xsl:param name="name" as="xs:string" select="'span'"/>
    <xsl:param name="passage" as="xs:boolean?" select="()"/>
    <xsl:param name="title" as="xs:string?" select="()"/>
    <xsl:element name="{$name}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="tp:line-class(.)"/>
        <xsl:with-param name="passage" select="$passage"/>
      </xsl:call-template>
      <xsl:if test="exists($title)">
        <xsl:attribute name="title" select="$title"/>
      </xsl:if>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Gaps and breaks                                                     -->
  <!-- ================================================================== -->

  <!-- Text the source omits or hides: a bracketed ellipsis, with what is known about it. -->
  <xsl:template match="gap" mode="tp:html">
    <span>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'gap'"/>
      </xsl:call-template>
      <xsl:attribute name="title" select="string-join((tp:message('text.gap'), (@reason, @extent, string-join((@quantity, @unit), ' ')[. ne ''])!string(.)), ': ')"/>
      <xsl:text>[…]</xsl:text>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- Space the source leaves: a real space, so the words beside it do not run together. -->
  <xsl:template match="space" mode="tp:html">
    <span>
      <xsl:call-template name="tp:attributes"/>
      <xsl:text> </xsl:text>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) eq 'gap']" mode="tp:html" priority="-5.17">
    <xsl:call-template name="tp:phrase">
      <xsl:with-param name="passage" select="false()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A line break, unless the word runs on across it. The space before it separates the words where the
       reading view runs the lines of a paragraph together (site.css hides the br there); at a line's end,
       in the diplomatic view, it is not seen. The br has no class: every br of the text is a line break, and a
       letter's lines would repeat the class on every page (issue 11); for the same reason a span.tei-lb is a
       break within a word, without a class that says so again. -->
  <xsl:template match="lb" mode="tp:html">
    <xsl:choose>
      <xsl:when test="@break eq 'no'">
        <span class="tei-lb">
          <xsl:call-template name="tp:line-id"/>
          <xsl:if test="@n">
            <xsl:attribute name="data-n" select="@n"/>
          </xsl:if>
        </span>
      </xsl:when>
      <xsl:otherwise>
        <xsl:text> </xsl:text>
        <br>
          <xsl:call-template name="tp:line-id"/>
          <xsl:if test="@n">
            <xsl:attribute name="data-n" select="@n"/>
          </xsl:if>
        </br>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <!-- A line's xml:id (Escher's letters number every line, "p1-l1"), so that a pointer to the line lands on it. -->
  <xsl:template name="tp:line-id">
    <xsl:if test="@xml:id">
      <xsl:attribute name="id" select="tp:html-id(@xml:id)"/>
    </xsl:if>
  </xsl:template>

  <!-- A page break: a visible marker with the page number, linked to the page's image when safe. -->
  <xsl:template match="pb" mode="tp:html">
    <xsl:param name="tp:in-link" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="src" select="if ($tp:in-link) then () else tp:facs-src(.)"/>
    <xsl:variable name="label" select="if (@n) then tp:message('text.page-abbreviation', @n) else tp:message('text.page-break')"/>
    <span role="separator" aria-label="{if (@n) then tp:message('text.page', @n) else tp:message('text.page-break')}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'pb'"/>
      </xsl:call-template>
      <!-- The page's canvas in the IIIF manifest (iiif.py numbers the text's pb[@facs] alike). -->
      <xsl:if test="@facs and ancestor::text">
        <xsl:attribute name="data-canvas" select="'p' || accumulator-before('tp:canvas-number')"/>
      </xsl:if>
      <xsl:choose>
        <xsl:when test="exists($src)">
          <a class="pb-facs" href="{$src}" title="{tp:message('text.page-image')}">{$label}</a>
        </xsl:when>
        <xsl:otherwise>
          <xsl:if test="@facs">
            <xsl:attribute name="data-facs" select="@facs"/>
          </xsl:if>
          <span class="pb-label">{$label}</span>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>

  <!-- Column breaks, milestones and gathering breaks: a marker CSS may show. -->
  <xsl:template match="*[tp:behaviour(.) eq 'break']" mode="tp:html" priority="-5.09">
    <span>
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'break'"/>
        <xsl:with-param name="passage" select="false()"/>
      </xsl:call-template>
      <xsl:if test="@unit">
        <xsl:attribute name="data-unit" select="@unit"/>
      </xsl:if>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="true()" tunnel="yes"/>
      </xsl:apply-templates>
    </span>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text of any TEI document as HTML5 (no namespace, serialised by the page with
  method="html" version="5"). Nothing inside a <text> is dropped: every element has a rule (by name,
  else by its behaviour from ../common/behaviours.xsl, else the neutral fallback that keeps its
  content), and every text node is copied exactly once, in document order. Notes leave only a
  numbered callout in the text; their content is rendered once, in the notes section
  (mode tp:html-notes).

  Use:  <xsl:apply-templates select="/*" mode="tp:html"/>        the reading text
        <xsl:apply-templates select="/*" mode="tp:html-notes"/>  the notes section (nothing without notes)
  The entry stylesheet declares <xsl:mode use-accumulators="#all"/> (passage and note numbers).

  Block-level TEI inside phrasing HTML (a list inside a <p>, a <p> inside a quotation) renders as
  <span class="block ..."> so the HTML stays valid; the tunnel parameter tp:inline says where we are.

  The HTML, for the site's CSS and JS (every element but lb's br also has class tei-{local-name}, rend-* classes
  from @rend/@rendition, lang from xml:lang, data-type/data-n from @type/@n, and id: a passage its
  tp:passage-anchor, another element its xml:id, prefixed "tei-" when it looks like a generated id):
    block                    display:block needed: a block element rendered as a span in phrasing content
    line                     display:block needed: a phrase standing alone in a container (letterhead parts)
    entity-{kind}            span data-entity (ids it points to, space-separated, the one with a register
                             entry first, or empty; site.js makes it focusable where it is in no link): an entity
                             is [data-entity]; its kind class is left out where its tei- class says it
                             (tei-persName person, tei-placeName place, tei-orgName org);
                             without a register entry also data-label, title, data-href (authority URI)
    (date, ref, quote, alternate: the behaviour's class only where the tei- class does not say it, tp:behaviour-class)
    date                     time (span without a value) datetime (valid HTML values only), else data-iso
    ref [ref-removed|ref-unresolved|ref-nolink]   a href, or span with title (removed) / data-target (unresolved);
                             a link without words shows its target (or "[link removed]") in span.ref-target
    alternate                span around readings (focusable by site.js): span (the reading followed) | span.reading-secondary
                             data-reading=abbr|expan|sic|corr|orig|reg|lem|rdg|del|add|... data-wit data-resp
    note-ref                 a#note-ref-{n}[href=#note-{n}][role=doc-noteref] (a span inside a link)
    notes                    section.notes[role=doc-endnotes] > h2#notes-heading + ol > li#note-{n} >
                             (span|div).note-body#{anchor} ... a[href=#note-ref-{n}][role=doc-backlink]
    (hi: tei-hi alone)       i|b|u|s|sup|sub|span with rend-italic|bold|underline|double-underline|superscript|
                             subscript|smallcaps|strikethrough|spaced|uppercase|center|right|indent|{token}
    pb > a.pb-facs|span.pb-label   "p. {n}" (data-facs when @facs names no image); lb: br (no class), or span.tei-lb (within a word)
    break (cb, milestone)    empty span, data-unit data-n;  gap: span "[…]" title;  space: span " "
    quote [quote-block]      blockquote (block) or span (never q: its generated marks would double the source's)
    list list-ordered|list-bulleted|list-gloss    ol|ul|dl (list-container div around leading heads);
                             list-other / list-break: what is no item, wrapped in li|dd
    table > caption.caption, tr.row[.row-label], td|th.cell[.cell-label] colspan rowspan scope; table-other
    figure > figcaption (leading head), span.graphic > img[alt] | span.graphic-removed; div.figure-description
    heading                  h2..h6 by division depth (head of a division), else div.heading[.caption]
    verse-line, register-entry, corpus-member (article) + p.corpus-member-title, tei-metadata
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="../common/functions.xsl"/>
  <xsl:import href="../common/behaviours.xsl"/>
  <xsl:import href="../common/passages.xsl"/>
  <xsl:import href="../common/readings.xsl"/>
  <xsl:import href="../common/rendition.xsl"/>
  <xsl:import href="../common/language.xsl"/>
  <xsl:import href="../common/document-registers.xsl"/>
  <xsl:import href="../common/lines.xsl"/>
  <xsl:import href="../common/site-files.xsl"/>
  <xsl:include href="transcription.xsl"/>

  <!-- Relative path from the page to the site root (document pages live in documents/). -->
  <xsl:param name="site-root" as="xs:string" select="'../'"/>
  <!-- Relative path from the page to the document pages: '' on a document page (they lie beside it);
       the other pages (home, registers, chronology) pass $site-root || 'documents/'. -->
  <xsl:param name="documents-base" as="xs:string" select="''"/>
  <!-- Prefix for relative image and facsimile URLs (graphic/@url, pb/@facs), e.g. where the build copies them. -->
  <xsl:param name="media-base" as="xs:string" select="''"/>

  <xsl:mode name="tp:html" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:html-notes" on-no-match="fail" on-multiple-match="fail"/>

  <!-- Notes numbered in document order over every <text> of the file (teiCorpus members included). -->
  <xsl:accumulator name="tp:note-number" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//note" select="$value + 1"/>
  </xsl:accumulator>

  <!-- The number of a page break with an image among the text's (its IIIF canvas, see pb): counted
       once in document order, not by counting every earlier page break at each one (quadratic). -->
  <xsl:accumulator name="tp:canvas-number" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="text//pb[@facs]" select="$value + 1"/>
  </xsl:accumulator>

  <!-- ================================================================== -->
  <!-- Functions other stylesheets reuse                                   -->
  <!-- ================================================================== -->

  <!-- The page of a register entry (a person, place, organisation or cited document); an event's place in the chronology. -->
  <xsl:function name="tp:register-href" as="xs:string">
    <xsl:param name="entry" as="element()"/>
    <xsl:sequence select="$site-root || tp:entry-path($entry)"/>
  </xsl:function>

  <!-- An xml:id of a non-passage element as an HTML id: ids that look like the ones we generate
       (note-1, note-ref-1, notes-heading, passage numbers p1 ...) get a prefix so they cannot clash. -->
  <xsl:function name="tp:html-id" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (matches($id, '^(note(-ref)?-\d+|notes-heading|p\d+)$')) then 'tei-' || $id else $id"/>
  </xsl:function>

  <!-- The number of a note (1, 2 ...) in its file. -->
  <xsl:function name="tp:note-number" as="xs:integer">
    <xsl:param name="note" as="element()"/>
    <xsl:sequence select="$note/accumulator-before('tp:note-number')"/>
  </xsl:function>

  <!-- The notes the reading text numbers: every note inside a <text>. -->
  <xsl:function name="tp:text-notes" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="$root/descendant-or-self::note[ancestor::text]"/>
  </xsl:function>

  <!-- The class of a behaviour (alternate, date, ref, quote), where the element's tei- class does not say it: left
       out for the elements common/behaviours.xsl gives it by their names (`names`, as listed there), since a page
       would repeat it on every date and abbreviation (issue 11); an element an edition's own rule gives the
       behaviour carries it. site.css and site.js select .tei-choice, .tei-app, .tei-subst or .alternate, and
       .tei-date, .tei-time, .tei-origDate or .date. -->
  <xsl:function name="tp:behaviour-class" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:param name="names" as="xs:string+"/>
    <xsl:sequence select="$class[not(local-name($element) = $names)]"/>
  </xsl:function>

  <!-- The rend-* classes of an element: the meanings of its @rend, @rendition and @style (common/rendition.xsl). -->
  <xsl:function name="tp:rend-classes" as="xs:string*">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="tp:rend-meanings($element)!('rend-' || .)"/>
  </xsl:function>

  <!-- The HTML element a hi renders as: the first rendition with a phrasing element of its own. -->
  <xsl:function name="tp:hi-element" as="xs:string">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="classes" select="tp:rend-classes($element)"/>
    <xsl:sequence select="(
      for $class in $classes return
        if ($class eq 'rend-italic') then 'i'
        else if ($class eq 'rend-bold') then 'b'
        else if ($class eq 'rend-underline') then 'u'
        else if ($class eq 'rend-strikethrough') then 's'
        else if ($class eq 'rend-superscript') then 'sup'
        else if ($class eq 'rend-subscript') then 'sub'
        else (),
      'span')[1]"/>
  </xsl:function>

  <!-- Whether an element holds block-level TEI (then it cannot be a <p> or other phrasing HTML). -->
  <xsl:function name="tp:has-blocks" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element/*[tp:behaviour(.) = ('division', 'block', 'heading', 'verse-line', 'list', 'table', 'figure')])"/>
  </xsl:function>

  <!-- The heads that open a list or table, before any other content (they become its caption). -->
  <xsl:function name="tp:leading-heads" as="element()*">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="$element/head[not(preceding-sibling::node()[not(self::head or self::comment() or self::processing-instruction() or self::text()[normalize-space(.) eq ''])])]"/>
  </xsl:function>

  <!-- 'line' for a phrase that stands on its own in a container with no running text of its own
       (a letterhead's segments in an opener, the parts of a register entry): CSS shows each on its
       own line instead of running them together, as the source has no space between them. -->
  <xsl:function name="tp:line-class" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="'line'[tp:stands-alone($element)]"/>
  </xsl:function>

  <!-- ordered, gloss or bulleted. -->
  <xsl:function name="tp:list-kind" as="xs:string">
    <xsl:param name="list" as="element()"/>
    <xsl:variable name="how" select="lower-case(string-join(($list/@type, $list/@rend), ' '))"/>
    <xsl:sequence select="
      if ($list/label[following-sibling::*[1][self::item]] or contains($how, 'gloss')) then 'gloss'
      else if (matches($how, 'order|numb|arabic|roman|decimal|alpha|enum')) then 'ordered'
      else 'bulleted'"/>
  </xsl:function>

  <!-- The heading level of a head: one below its enclosing divisions, from h2 (the page's title is h1) to h6. -->
  <xsl:function name="tp:heading-level" as="xs:integer">
    <xsl:param name="head" as="element()"/>
    <xsl:variable name="depth" select="count($head/ancestor::*[not(self::TEI or self::teiCorpus or self::text or self::body or self::front or self::back)][tp:behaviour(.) eq 'division'])"/>
    <xsl:sequence select="max((2, min((6, 1 + $depth))))"/>
  </xsl:function>

  <!-- Where a link from @target goes, or () when it must not be followed (unsafe) or cannot be
       (a relative name that is neither a pointer nor a file, e.g. another project's identifier). -->
  <xsl:function name="tp:link-href" as="xs:string?">
    <xsl:param name="target" as="xs:string"/>
    <xsl:param name="context" as="element()"/>
    <xsl:variable name="safe" select="tp:safe-url($target)"/>
    <xsl:sequence select="
      if (empty($safe)) then ()
      else if (starts-with($safe, '#')) then tp:local-href(substring($safe, 2), $context)
      else if (matches($safe, '^[A-Za-z][A-Za-z0-9+.\-]*:')) then $safe
      else if (matches($safe, '^(.*/)?registers/(persons|places|organizations|bibliography)\.xml(#.*)?$'))
        then (substring-after($safe, '#')[. ne '']!tp:entry-by-id(., root($context))!tp:register-href(.),
              $site-root || replace($safe, '^(.*/)?registers/([a-z]+)\.xml', 'registers/$2.html'))[1]
      else if (matches($safe, '^([^#?]*/)?[^/#?]+\.xml([?#].*)?$'))
        then $documents-base || replace($safe, '^([^#?]*/)?([^/#?]+)\.xml', '$2.html')
      else if (matches($safe, '^[^#?]*\.[A-Za-z0-9]{1,5}([?#].*)?$')) then $safe
      else ()"/>
  </xsl:function>

  <!-- A pointer to an id: a register entry's page; a cited document's entry on this page (the page
       lists the documents it cites under their ids); else the element of this document. -->
  <xsl:function name="tp:local-href" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="context" as="element()"/>
    <xsl:variable name="entry" select="if ($id ne '') then tp:entry-by-id($id, root($context)) else ()"/>
    <xsl:sequence select="
      if (exists($entry) and tp:entry-kind($entry) ne 'bibl') then tp:register-href($entry)
      else if (exists($entry) and not(root($entry) is root($context))) then '#' || $id
      else if (empty(key('tp:entry-by-id', $id, root($context))) and exists(tp:document-href($id))) then tp:document-href($id)
      else '#' || tp:target-html-id($id, $context)"/>
  </xsl:function>

  <!-- The page of the edition's document `id` where a page links to it by id and shows no element of that id
       itself; () here: a stylesheet that knows the site's documents says (html/page.xsl). -->
  <xsl:function name="tp:document-href" as="xs:string?">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="()"/>
  </xsl:function>

  <!-- The id an element of this document has in the HTML: a passage its passage anchor (its xml:id
       where it has a usable one), other elements their xml:id (prefixed where it could clash). -->
  <xsl:function name="tp:target-html-id" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="context" as="element()"/>
    <xsl:variable name="target" select="key('tp:entry-by-id', $id, root($context))[1]"/>
    <xsl:sequence select="if (exists($target) and $target/ancestor::text and tp:is-passage($target)) then tp:passage-anchor($target) else tp:html-id($id)"/>
  </xsl:function>

  <!-- An image or facsimile URL as the page may load it, or () when unsafe. -->
  <xsl:function name="tp:media-src" as="xs:string?">
    <xsl:param name="url" as="xs:string?"/>
    <xsl:variable name="safe" select="tp:safe-url($url)"/>
    <xsl:sequence select="
      if (empty($safe)) then ()
      else if (matches($safe, '^[A-Za-z][A-Za-z0-9+.\-]*:')) then (if (matches($safe, '^https?:', 'i')) then $safe else ())
      else if (starts-with($safe, '#')) then $safe
      else $media-base || $safe"/>
  </xsl:function>

  <!-- The image a @facs names: a URL, or a pointer to a surface/zone/graphic of the file's facsimile. -->
  <xsl:function name="tp:facs-src" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="facs" select="normalize-space(tokenize(normalize-space($element/@facs), ' ')[1])"/>
    <xsl:variable name="pointed" select="if (starts-with($facs, '#')) then key('tp:entry-by-id', substring($facs, 2), root($element))[1] else ()"/>
    <xsl:sequence select="
      if ($facs eq '') then ()
      else if (starts-with($facs, '#')) then tp:media-src(($pointed/@url, $pointed/descendant::graphic/@url)[1])
      else if (matches($facs, '^https?:', 'i') or matches($facs, '\.(jpe?g|png|gif|webp|svg|tiff?|jp2|avif)([?#].*)?$', 'i')) then tp:media-src($facs)
      else ()"/>
  </xsl:function>

  <!-- ================================================================== -->
  <!-- Shared attributes                                                    -->
  <!-- ================================================================== -->

  <!-- id, lang, class (tei-{name}, the given classes, rend-*) and data-type/data-n of an element. -->
  <xsl:template name="tp:attributes">
    <xsl:param name="classes" as="xs:string*" select="()"/>
    <xsl:param name="with-id" as="xs:boolean" select="true()"/>
    <!-- false() where the caller knows the element is no passage (its behaviour is phrase-level). -->
    <xsl:param name="passage" as="xs:boolean?" select="()"/>
    <xsl:variable name="id" select="
      if (not($with-id)) then ()
      else if (($passage, true())[1] and ancestor::text and tp:is-passage(.)) then tp:passage-anchor(.)
      else if (@xml:id and exists(parent::*)) then tp:html-id(@xml:id)
      else ()"/>
    <xsl:if test="exists($id)">
      <xsl:attribute name="id" select="$id"/>
    </xsl:if>
    <xsl:if test="@xml:lang">
      <xsl:attribute name="lang" select="@xml:lang"/>
    </xsl:if>
    <xsl:attribute name="class" select="string-join(distinct-values(('tei-' || local-name(), $classes, if (@rend or @rendition) then tp:rend-classes(.) else ())), ' ')"/>
    <xsl:if test="@type">
      <xsl:attribute name="data-type" select="@type"/>
    </xsl:if>
    <xsl:if test="@n">
      <xsl:attribute name="data-n" select="@n"/>
    </xsl:if>
    <!-- The facsimile's zones this element is drawn in (the IIIF manifest's annotations select it by them). -->
    <xsl:if test="@facs[contains(., '#')] and not(self::pb)">
      <xsl:attribute name="data-facs" select="tokenize(normalize-space(@facs), ' ')[starts-with(., '#')]!substring(., 2)"/>
    </xsl:if>
  </xsl:template>

  <!-- ================================================================== -->
  <!-- Frame: documents, corpora, texts                                    -->
  <!-- ================================================================== -->

  <xsl:template match="document-node()" mode="tp:html tp:html-notes">
    <xsl:apply-templates select="*" mode="#current"/>
  </xsl:template>

  <!-- The document's root: its texts (the header is the metadata panel's). -->
  <xsl:template match="/TEI | /teiCorpus" mode="tp:html">
    <xsl:apply-templates select="*" mode="#current"/>
  </xsl:template>

  <!-- A member of a corpus (or a TEI nested anywhere): its title as a label, then its texts. -->
  <xsl:template match="TEI[parent::*] | teiCorpus[parent::*]" mode="tp:html">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'article'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'corpus-member', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:variable name="title" select="normalize-space(string-join(teiHeader/fileDesc/titleStmt/title[1]//text(), ''))"/>
      <xsl:if test="$title ne ''">
        <xsl:element name="{if ($tp:inline) then 'span' else 'p'}">
          <xsl:attribute name="class" select="'corpus-member-title'"/>
          <xsl:value-of select="$title"/>
        </xsl:element>
      </xsl:if>
      <xsl:apply-templates select="*" mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- Metadata outside the reading text renders nothing here; inside a <text> it is kept. (Behaviour
       rules are tried in order of priority, the most frequent behaviours first: each try costs a
       tp:behaviour call, which Saxon-HE does not cache.) -->
  <xsl:template match="*[not(ancestor::text)][tp:behaviour(.) eq 'metadata']" mode="tp:html" priority="-5.30"/>

  <xsl:template match="*[ancestor::text][tp:behaviour(.) eq 'metadata']" mode="tp:html" priority="-5.31">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'tei-metadata', 'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <!-- Whitespace between the frame's elements and comments and processing instructions are no text. -->
  <xsl:template match="comment() | processing-instruction()" mode="tp:html"/>

  <!-- Text as it is, but for the space before a note's callout (tp:stands-before-note-mark); a note outside a text
       (a register entry's, an event's) has no callout: it is read in its place, after the space. A run of white
       space is one character, as the browser shows it (a line break where the run holds one, so that the page's
       source keeps the TEI's lines): the source's indentation would weigh on every page and tell the reader nothing
       (issue 11); not where the TEI keeps its white space as it is (xml:space="preserve"). -->
  <xsl:template match="text()" mode="tp:html">
    <xsl:variable name="text" select="if (ancestor::text and tp:stands-before-note-mark(.)) then replace(., '\s+$', '') else string(.)"/>
    <xsl:value-of select="if (ancestor::*[@xml:space][1]/@xml:space = 'preserve') then $text else tp:collapse-space($text)"/>
  </xsl:template>

  <!-- Each run of XML white space as one character: a line break where the run holds one, else a space. The
       no-break space and the other white space of Unicode are text, kept as they are. -->
  <xsl:function name="tp:collapse-space" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:sequence select="replace(replace($text, '[ \t\r]*\n[ \t\r\n]*', '&#10;'), '[ \t\r]{2,}|[\t\r]', ' ')"/>
  </xsl:function>

  <!-- Divisions (text, body, div, opener, closer, lg, sp, floatingText ...): a div, or a block span
       inside phrasing content. -->
  <xsl:template match="*[tp:behaviour(.) eq 'division']" mode="tp:html" priority="-5.04">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:element name="{if ($tp:inline) then 'span' else 'div'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="'block'[$tp:inline]"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

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
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'quote', ('quote', 'q', 'said', 'cit', 'soCalled', 'mentioned')), 'quote-block'[$block], 'block'[$block and $tp:inline]"/>
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
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'alternate', ('choice', 'app', 'subst'))"/>
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

  <!-- A reading of an alternate: wrapped with its role, then rendered as the element it is. -->
  <xsl:template match="choice/* | subst/* | app/lem | app/rdg | rdgGrp/lem | rdgGrp/rdg" mode="tp:html" priority="5">
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
        <xsl:with-param name="classes" select="('entity-' || tp:class-token($kind))[not(local-name(current()) = ('persName', 'placeName', 'orgName'))], tp:line-class(.)"/>
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
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'date', ('date', 'time', 'origDate')), tp:line-class(.)"/>
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
        <xsl:with-param name="classes" select="tp:behaviour-class(., 'ref', ('ref', 'ptr')), 'ref-removed'[$removed], 'ref-unresolved'[$unresolved], 'ref-nolink'[empty($targets)], tp:line-class(.)"/>
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

  <!-- ================================================================== -->
  <!-- Fallback: any other element keeps its content                       -->
  <!-- ================================================================== -->

  <!-- Elements we have no rule for (other TEI, other namespaces, unknown names): a neutral wrapper
       named after them, a block when they hold blocks, else inline. -->
  <xsl:template match="*" mode="tp:html" priority="-10">
    <xsl:param name="tp:inline" as="xs:boolean" select="false()" tunnel="yes"/>
    <xsl:variable name="block" select="not($tp:inline) and tp:behaviour(.) eq 'division'"/>
    <xsl:element name="{if ($block) then 'div' else 'span'}">
      <xsl:call-template name="tp:attributes">
        <xsl:with-param name="classes" select="if ($block) then () else tp:line-class(.)"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current">
        <xsl:with-param name="tp:inline" select="not($block)" tunnel="yes"/>
      </xsl:apply-templates>
    </xsl:element>
  </xsl:template>
</xsl:stylesheet>

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
                             (persName, placeName, orgName: text-phrases.xsl tp:kind-of-name-class);
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
  <!-- The rules by what they render: blocks (paragraphs, headings, lists, tables, figures), phrases (notes, alternates,
       entities, dates, links, renditions, gaps, breaks), and the source's physical state. -->
  <xsl:include href="text-blocks.xsl"/>
  <xsl:include href="text-phrases.xsl"/>
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
       out for the elements common/behaviours.xsl gives it by their names ($tp:named-behaviours), since a page
       would repeat it on every date and abbreviation (issue 11); an element an edition's own rule gives the
       behaviour carries it. site.css and site.js select .tei-choice, .tei-app, .tei-subst or .alternate, and
       .tei-date, .tei-time, .tei-origDate or .date (tests/test_behaviour_classes.py holds them to the names). -->
  <xsl:function name="tp:behaviour-class" as="xs:string?">
    <xsl:param name="element" as="element()"/>
    <xsl:param name="behaviour" as="xs:string"/>
    <xsl:param name="class" as="xs:string"/>
    <xsl:sequence select="$class[not(local-name($element) = tokenize($tp:named-behaviours($behaviour), ' \| '))]"/>
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
       tp:behaviour call, a look-up in its cache at best.) -->
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
       no-break space and the other white space of Unicode are text, kept as they are. Without regular expressions:
       Saxon-HE's, tried at each character, took a third of a letter's page (issue 11); split at the line breaks
       instead, the runs between two of them are dropped and the lines' own runs collapsed by normalize-space. -->
  <xsl:function name="tp:collapse-space" as="xs:string">
    <xsl:param name="text" as="xs:string"/>
    <xsl:variable name="spaced" select="translate($text, '&#9;&#13;', '  ')"/>
    <xsl:variable name="lines" select="tokenize($spaced, '&#10;')"/>
    <xsl:sequence select="if (count($lines) le 1) then tp:collapse-line($spaced, true(), true())
      else string-join((tp:collapse-line($lines[1], true(), false()),
                        $lines[position() gt 1 and position() lt last()]!normalize-space(.)[. ne ''],
                        tp:collapse-line($lines[last()], false(), true())), '&#10;')"/>
  </xsl:function>

  <!-- A line of tp:collapse-space (spaces, no line break) with its runs as one space each; a run at its start or end
       only where no line break is next to it (`open-start`, `open-end`: the line break stands for the run). -->
  <xsl:function name="tp:collapse-line" as="xs:string">
    <xsl:param name="line" as="xs:string"/>
    <xsl:param name="open-start" as="xs:boolean"/>
    <xsl:param name="open-end" as="xs:boolean"/>
    <xsl:variable name="words" select="normalize-space($line)"/>
    <xsl:sequence select="
      if ($words eq '') then (if ($open-start and $open-end and $line ne '') then ' ' else '')
      else (if ($open-start and starts-with($line, ' ')) then ' ' else '') || $words || (if ($open-end and ends-with($line, ' ')) then ' ' else '')"/>
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

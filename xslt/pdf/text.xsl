<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading text as Typst markup, one template rule per behaviour (xslt/common/behaviours.xsl)
  and a few per element where an element means more than its behaviour (notes, readings, links).
  Every text node becomes a string literal (typst.xsl); every element keeps its content.
  Functions called here (tp-head, tp-item, tp-app ...) are defined in lib.typ.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:mode name="tp:pdf" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:include href="transcription.xsl"/>

  <!-- Block boundaries: a blank line is a paragraph break in Typst markup. -->
  <xsl:variable name="tp:par" as="xs:string" select="'&#10;&#10;'"/>

  <!-- Text: literal, with runs of white space as one space. White space between blocks, and at the start
       or end of a division or a block (before or after only line breaks: a letter's line that begins
       with <lb/>), is layout, not text; between two phrases of a division (the names of a salute, say)
       it is the space between two words; after a line break that follows a space it is that space. -->
  <xsl:template match="text()" mode="tp:pdf">
    <xsl:choose>
      <xsl:when test="normalize-space(.) eq '' and (parent::*[tp:behaviour(.) = ('list', 'table', 'row', 'figure', 'metadata')]
                      or parent::*[tp:behaviour(.) eq 'division'][not(current()/preceding-sibling::* and current()/following-sibling::*)]
                      or preceding-sibling::*[1][tp:pdf-is-block(.)] or following-sibling::*[1][tp:pdf-is-block(.)]
                      or parent::*[tp:pdf-is-block(.)][empty(current()/preceding-sibling::node()[not(tp:is-line-break(.))])
                                                       or empty(current()/following-sibling::node()[not(tp:is-line-break(.))])]
                      or preceding-sibling::node()[1][tp:is-line-break(.)][preceding-sibling::node()[1][self::text()][matches(., '\s$')]]
                      or tp:stands-before-note-mark(.))"/>
      <xsl:otherwise>
        <xsl:variable name="text" select="replace(if (tp:stands-before-note-mark(.)) then replace(., '\s+$', '') else ., '\s+', ' ')"/>
        <xsl:variable name="words" select="replace($text, '^ | $', '')"/>
        <xsl:text>{if (starts-with($text, ' ')) then tp:pdf-space(tp:space-may-collapse(., true())) else ''}{tp:typst-literal($words)}</xsl:text>
        <xsl:text>{if (ends-with($text, ' ') and $words ne '') then tp:pdf-space(tp:space-may-collapse(., false())) else ''}</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="comment() | processing-instruction()" mode="tp:pdf"/>

  <!-- A space at a text's start or end: a space of Typst's markup where it may collapse, as a browser collapses
       it, with a space beside it ("den <rs> <persName>" gives one space, not two) or at a paragraph's start (a
       paragraph's first words after its reference target's marker); a space of the text (a string literal), which
       Typst keeps as it is, beside an alternate or a note: Typst takes a space of its markup away after a footnote
       (an alternate's apparatus entry is one, with an empty mark: "Doctor Escher" would read "DoctorEscher") and
       before one. -->
  <xsl:function name="tp:pdf-space" as="xs:string">
    <xsl:param name="may-collapse" as="xs:boolean"/>
    <xsl:sequence select="if ($may-collapse) then ' ' else tp:typst-literal(' ')"/>
  </xsl:function>

  <xsl:function name="tp:space-may-collapse" as="xs:boolean">
    <xsl:param name="text" as="text()"/>
    <xsl:param name="at-start" as="xs:boolean"/>
    <!-- What stands before (after) it in its block: the node before (after) the text or, at an element's start
         (end), the element's, and so on up to the block, whose start (end) it is else (where Typst's markup space
         goes); a line break inside a paragraph prints nothing: the note or alternate may stand beyond it. -->
    <xsl:variable name="block" select="$text/ancestor::*[tp:pdf-is-block(.)][1]"/>
    <xsl:variable name="inside" select="$text/ancestor-or-self::node()[ancestor::*[tp:pdf-is-block(.)][1] is $block]"/>
    <xsl:variable name="beside" select="if ($at-start)
      then $inside[preceding-sibling::node()[not(tp:is-line-break(.))]][last()]/preceding-sibling::node()[not(tp:is-line-break(.))][1]
      else $inside[following-sibling::node()[not(tp:is-line-break(.))]][last()]/following-sibling::node()[not(tp:is-line-break(.))][1]"/>
    <xsl:sequence select="empty($text/ancestor::*[tp:is-alternate-part(.)])
                          and empty($beside/descendant-or-self::*[tp:is-alternate-part(.) or self::note])"/>
  </xsl:function>

  <!-- An alternate (choice, app, subst, or what an edition's rule makes one) or one of its readings: what surrounds it
       in print depends on its apparatus entry, a footnote. -->
  <xsl:function name="tp:is-alternate-part" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="exists($element[tp:behaviour(.) eq 'alternate' or self::rdgGrp
                                          or parent::*[tp:behaviour(.) eq 'alternate' or self::rdgGrp]])"/>
  </xsl:function>

  <!-- A break of the line, column or gathering (not of the page: "|2|" is printed), or a comment. -->
  <xsl:function name="tp:is-line-break" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node[self::lb or self::cb or self::milestone or self::gb or self::comment() or self::processing-instruction()])"/>
  </xsl:function>

  <xsl:function name="tp:pdf-is-block" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:sequence select="tp:behaviour($element) = ('division', 'heading', 'block', 'verse-line', 'list', 'item', 'table', 'figure')"/>
  </xsl:function>

  <!-- Unknown elements keep their content (the behaviour "inline"). -->
  <xsl:template match="*" mode="tp:pdf" priority="-10">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- ===== behaviours ===== -->

  <xsl:template match="*[tp:behaviour(.) = 'metadata']" mode="tp:pdf" priority="1"/>

  <!-- Inside the text (interpGrp, spanGrp, linkGrp ...) their text is kept, each part a word apart. -->
  <xsl:template match="*[tp:behaviour(.) = 'metadata'][ancestor::text][not(self::teiHeader)]" mode="tp:pdf" priority="1.5">
    <xsl:for-each select="node()[not(self::text()[normalize-space(.) eq ''])]">
      <xsl:if test="position() gt 1">#" ";</xsl:if>
      <xsl:apply-templates select="." mode="tp:pdf"/>
    </xsl:for-each>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'division']" mode="tp:pdf" priority="1">
    <xsl:value-of select="$tp:par"/>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:value-of select="$tp:par"/>
  </xsl:template>

  <!-- The formulas of a letter stand apart from the paragraphs, each set as lib.typ's tp-letter-part
       sets its kind: a dateline or signature at the right also inside an opener or closer, a salute
       at the margin; inside a paragraph they run with its text. -->
  <xsl:template match="opener | closer | postscript | address[not(ancestor::p)]
                       | (salute | signed | dateline)[not(parent::p)][not(ancestor::opener or ancestor::closer or ancestor::postscript) or self::dateline or self::signed[not(ancestor::closer)]]" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-letter-part({tp:typst-string(local-name())})[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <!-- A paragraph the source centres, sets at the right, or flush left without indent (p rend="center",
       as letters' closers often are; rend="left" for a dateline's place). -->
  <xsl:template match="(p | ab)[tp:paragraph-alignment(.)][not(ancestor::*[tp:behaviour(.) = ('note', 'cell')])]" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-aligned({tp:typst-string(tp:paragraph-alignment(.))})[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <!-- A paragraph the source indents (p rend="indent") is indented also where Typst indents none: after a block, such as
       a heading or a list, and after a paragraph set flush left, which lib.typ's tp-aligned ends as a block ends ("a) Sie
       fördert …" after "Mein Standpunkt …" in Escher's letters). -->
  <xsl:template match="(p | ab)[tp:rend-meanings(.) = 'indent'][empty(tp:paragraph-alignment(.))][not(ancestor::*[tp:behaviour(.) = ('note', 'cell')])]" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-indented[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <!-- center, right or left, as a paragraph's renditions say; () for the usual indented paragraph. -->
  <xsl:function name="tp:paragraph-alignment" as="xs:string?">
    <xsl:param name="paragraph" as="element()"/>
    <xsl:variable name="meanings" select="tp:rend-meanings($paragraph)"/>
    <xsl:sequence select="('center'[$meanings = 'center'], 'right'[$meanings = 'right'], 'left'[$meanings = ('left', 'noindent', 'no-indent', 'flush-left')])[1]"/>
  </xsl:function>

  <!-- Drama: the speaker's name in small capitals, kept with the speech; stage directions in italics. -->
  <xsl:template match="speaker" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-speaker[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <xsl:template match="stage[not(parent::p or parent::l)]" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-stage[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <xsl:template match="stage[parent::p or parent::l]" mode="tp:pdf" priority="2">
    <xsl:text>#emph[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'heading']" mode="tp:pdf" priority="1">
    <xsl:text>{$tp:par}#tp-head({max((1, count(ancestor::*[tp:behaviour(.) = 'division'][ancestor::text])))})[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'block']" mode="tp:pdf" priority="1">
    <xsl:value-of select="$tp:par"/>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:value-of select="$tp:par"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'verse-line']" mode="tp:pdf" priority="1">
    <xsl:text>{$tp:par}#tp-verse[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'list']" mode="tp:pdf" priority="1">
    <xsl:value-of select="$tp:par"/>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:value-of select="$tp:par"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'item']" mode="tp:pdf" priority="1">
    <xsl:text>{$tp:par}#tp-item[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <!-- A table: its rows' cells in a grid as wide as the widest row. Anything else in it (a head, words
       between rows) keeps its place: before, between or after the grids of the rows around it. -->
  <xsl:template match="*[tp:behaviour(.) = 'table']" mode="tp:pdf" priority="1">
    <xsl:variable name="rows" select="*[tp:behaviour(.) = 'row']"/>
    <xsl:variable name="columns" select="max(($rows!sum(*[tp:behaviour(.) = 'cell']!(if (@cols castable as xs:integer) then max((1, xs:integer(@cols))) else 1)), 1))"/>
    <xsl:value-of select="$tp:par"/>
    <xsl:for-each-group select="node()" group-adjacent="exists(. intersect $rows) or tp:pdf-is-layout(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key() and exists(current-group() intersect $rows)">
          <xsl:text>{$tp:par}#table(columns: {$columns}, stroke: (x, y) => if y == 0 {{ (bottom: 0.4pt) }} else {{ none }}, inset: 0.35em, </xsl:text>
          <xsl:apply-templates select="current-group() intersect $rows" mode="tp:pdf"/>
          <xsl:text>){$tp:par}</xsl:text>
        </xsl:when>
        <xsl:when test="current-grouping-key()"/>
        <xsl:otherwise>
          <xsl:apply-templates select="current-group()" mode="tp:pdf"/>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- A row: its cells; words of the row outside its cells in a cell of their own, in their place. -->
  <xsl:template match="*[tp:behaviour(.) = 'row']" mode="tp:pdf" priority="1">
    <xsl:variable name="cells" select="*[tp:behaviour(.) = 'cell']"/>
    <xsl:for-each-group select="node()" group-adjacent="exists(. intersect $cells) or tp:pdf-is-layout(.)">
      <xsl:choose>
        <xsl:when test="current-grouping-key()">
          <xsl:apply-templates select="current-group() intersect $cells" mode="tp:pdf"/>
        </xsl:when>
        <xsl:otherwise>
          <xsl:text>table.cell(colspan: 1)[</xsl:text>
          <xsl:apply-templates select="current-group()" mode="tp:pdf"/>
          <xsl:text>], </xsl:text>
        </xsl:otherwise>
      </xsl:choose>
    </xsl:for-each-group>
  </xsl:template>

  <!-- White space alone, comments and processing instructions: no content of a table or row. -->
  <xsl:function name="tp:pdf-is-layout" as="xs:boolean">
    <xsl:param name="node" as="node()"/>
    <xsl:sequence select="exists($node[self::comment() or self::processing-instruction() or self::text()[normalize-space(.) eq '']])"/>
  </xsl:function>

  <xsl:template match="*[tp:behaviour(.) = 'cell']" mode="tp:pdf" priority="1">
    <xsl:text>table.cell(colspan: {if (@cols castable as xs:integer) then max((1, xs:integer(@cols))) else 1})[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>], </xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'figure']" mode="tp:pdf" priority="1">
    <xsl:text>{$tp:par}#tp-figure[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <!-- An image of the text (a figure's, or standing alone) is printed when the build gave it to Typst
       ($images: the graphic's @url to the name of its copy in Typst's build folder; pdf.py copies only
       local images inside the edition's source folder), with its figDesc as the image's description;
       any other image (a web address, a file outside the edition) keeps only its description. -->
  <xsl:param name="images" as="xs:string" select="''"/>
  <xsl:variable name="tp:image-files" as="map(*)" select="if (normalize-space($images)) then parse-json($images) else map {}"/>

  <xsl:template match="*[tp:behaviour(.) = 'graphic']" mode="tp:pdf" priority="1">
    <xsl:variable name="file" select="$tp:image-files(normalize-space(@url))"/>
    <xsl:if test="exists($file)">#tp-image({tp:typst-string($file)}, {tp:typst-string(normalize-space(string-join((desc, ../figDesc)[1]//text(), '')))})</xsl:if>
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- Editorial notes become numbered footnotes; a note inside a note stays in it, in parentheses. The marks
       of adjacent notes are set apart by a raised comma ("x¹,² y"), not run together as one number. -->
  <xsl:template match="*[tp:behaviour(.) = 'note']" mode="tp:pdf" priority="1">
    <xsl:if test="tp:follows-note-mark(.)">#super(",");</xsl:if>
    <xsl:text>#footnote[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'note'][ancestor::*[tp:behaviour(.) = 'note']]" mode="tp:pdf" priority="2">
    <xsl:text>#" (";</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>#")";</xsl:text>
  </xsl:template>

  <!-- ===== alternates: the edition's reading in the text, the others in the apparatus ===== -->

  <!-- The shown reading is tp:primary-reading (common/readings.xsl); the others are recorded in the
       apparatus entry that follows it. Whatever else an alternate or its rdgGrp holds (text, witDetail,
       a note ...) stays in the text, in its place. -->
  <xsl:mode name="tp:pdf-alternate" on-no-match="fail" on-multiple-match="fail"/>

  <!-- Above the rules of single elements (add, del, hi …, at 2 and 3), which an edition's rule may make an alternate,
       below the wrappers that call next-match. -->
  <xsl:template match="*[tp:behaviour(.) = 'alternate']" mode="tp:pdf" priority="4">
    <xsl:apply-templates mode="tp:pdf-alternate">
      <xsl:with-param name="alternate" select="."/>
    </xsl:apply-templates>
  </xsl:template>

  <xsl:template match="node()" mode="tp:pdf-alternate">
    <xsl:param name="alternate" as="element()"/>
    <xsl:variable name="readings" select="tp:readings($alternate)"/>
    <xsl:choose>
      <xsl:when test=". is tp:primary-reading($alternate)">
        <xsl:call-template name="tp:apparatus">
          <xsl:with-param name="alternate" select="$alternate"/>
          <xsl:with-param name="shown" select="."/>
          <xsl:with-param name="others" select="$readings except ."/>
        </xsl:call-template>
      </xsl:when>
      <xsl:when test="exists(. intersect $readings)"/>
      <xsl:when test="self::rdgGrp[ancestor::app[1] is $alternate]">
        <xsl:apply-templates mode="tp:pdf-alternate">
          <xsl:with-param name="alternate" select="$alternate"/>
        </xsl:apply-templates>
      </xsl:when>
      <!-- White space alone between readings is layout (TEI allows no text there). -->
      <xsl:when test="self::text()[normalize-space(.) eq '']"/>
      <xsl:otherwise>
        <xsl:apply-templates select="." mode="tp:pdf"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The shown reading, then an apparatus entry recording the others with their labels: in a document's
       chapter its number there (lib.typ tp-app: the chapter holds its entries, tp:chapter-apparatus), elsewhere
       the entry itself (tp-app-alone: the edition's own texts, a cited document); inside a note (footnotes
       cannot hold footnotes) the others follow in brackets. -->
  <xsl:template name="tp:apparatus">
    <xsl:param name="alternate" as="element()"/>
    <xsl:param name="shown" as="element()?"/>
    <xsl:param name="others" as="element()*"/>
    <xsl:apply-templates select="$shown" mode="tp:pdf"/>
    <xsl:variable name="document" select="tp:typst-string(($document-id, root(.)/*/@xml:id, 'document')[1])"/>
    <xsl:choose>
      <xsl:when test="empty($others)"/>
      <xsl:when test="ancestor::*[tp:behaviour(.) = 'note']">
        <xsl:text>#" [";</xsl:text>
        <xsl:value-of select="string-join($others!(tp:typst-literal(tp:reading-text(.)) || tp:typst-literal(' ' || tp:reading-label(.))), '#&quot;; &quot;;')"/>
        <xsl:text>#"]";</xsl:text>
      </xsl:when>
      <xsl:when test="root($alternate) is $tp:chapter-document and tp:has-apparatus-entry($alternate)">#tp-app({$document}, {$tp:chapter-entries}, {tp:apparatus-number($alternate)})</xsl:when>
      <xsl:otherwise>#tp-app-alone({$document}, {tp:apparatus-entry($alternate)})</xsl:otherwise>
    </xsl:choose>
    <!-- The notes of the recorded readings (tp:reading-text leaves them out) follow the entry:
         as footnotes, or in parentheses inside a note. -->
    <xsl:apply-templates select="$others/descendant-or-self::*[tp:behaviour(.) = 'note'][not(ancestor::*[tp:behaviour(.) = 'note'] intersect $others/descendant-or-self::*)]" mode="tp:pdf"/>
  </xsl:template>

  <!-- The document whose chapter the markup is (document.xsl sets it), and the name its chapter gives its entries. -->
  <xsl:variable name="tp:chapter-document" as="document-node()?" select="()"/>
  <xsl:variable name="tp:chapter-entries" as="xs:string" select="'tp-apparatus-entries'"/>

  <!-- The apparatus of a chapter, once at its start: its entries in the order the text prints them, as lib.typ
       tp-app takes them, which groups those of one line by their numbers; none without entries. -->
  <xsl:function name="tp:chapter-apparatus" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="entries" select="sort($root/descendant-or-self::*[tp:has-apparatus-entry(.)], (), tp:apparatus-number#1)"/>
    <xsl:sequence select="if (empty($entries)) then '' else '#let ' || $tp:chapter-entries || ' = (' || string-join($entries!tp:apparatus-entry(.), ', ') || ',);'"/>
  </xsl:function>

  <!-- An alternate whose recorded readings are an apparatus entry of its chapter: with a shown reading and others, in
       the text (not the header, a standOff or a facsimile, which print does not set), not in a note (its readings follow
       in brackets) or in a reading the text does not show. -->
  <xsl:function name="tp:has-apparatus-entry" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="shown" select="$element[tp:behaviour(.) eq 'alternate']!tp:primary-reading(.)"/>
    <xsl:sequence select="exists($shown) and exists(tp:readings($element) except $shown)
                          and exists($element/ancestor::text) and empty($element/ancestor::*[tp:behaviour(.) = 'note'])
                          and (every $outer in $element/ancestor::*[tp:behaviour(.) eq 'alternate']
                               satisfies empty($element/ancestor::* intersect (tp:readings($outer) except tp:primary-reading($outer))))"/>
  </xsl:function>

  <!-- Which entry of its chapter an alternate's is, from 0, in the order the text prints them: an entry follows its shown
       reading, so the entries of alternates inside that reading come before it (an accumulator's end phase). -->
  <xsl:accumulator name="tp:apparatus-entries" as="xs:integer" initial-value="0">
    <xsl:accumulator-rule match="*[tp:has-apparatus-entry(.)]" phase="end" select="$value + 1"/>
  </xsl:accumulator>

  <xsl:function name="tp:apparatus-number" as="xs:integer">
    <xsl:param name="alternate" as="element()"/>
    <xsl:sequence select="$alternate/accumulator-after('tp:apparatus-entries') - 1"/>
  </xsl:function>

  <!-- An entry as lib.typ takes it: the shown reading's text (the lemma) and the others', each with its label. -->
  <xsl:function name="tp:apparatus-entry" as="xs:string">
    <xsl:param name="alternate" as="element()"/>
    <xsl:variable name="shown" select="tp:primary-reading($alternate)"/>
    <xsl:variable name="readings" select="(tp:readings($alternate) except $shown)!('(label: ' || tp:typst-string(tp:reading-label(.)) || ', text: ' || tp:typst-string(tp:reading-text(.)) || '),')"/>
    <xsl:sequence select="'(lemma: ' || tp:typst-string(tp:reading-text($shown)) || ', readings: (' || string-join($readings, ' ') || '))'"/>
  </xsl:function>

  <!-- A reading's text as the apparatus prints it ("om." when the witness has nothing here), its notes left out. An
       alternate inside it reads as the text shows it (its primary reading): inside the lemma its other readings have
       an entry of their own; inside a recorded reading, which the text does not show, they follow in brackets with
       their labels, "in x (y A)". -->
  <xsl:function name="tp:reading-text" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:variable name="alternate" select="$reading/ancestor::*[tp:behaviour(.) eq 'alternate'][1]"/>
    <xsl:variable name="shown" select="exists($alternate) and $reading is tp:primary-reading($alternate)"/>
    <xsl:variable name="text" select="normalize-space(string-join($reading/node()!tp:reading-words(., $shown), ''))"/>
    <xsl:sequence select="if ($text eq '') then tp:message('apparatus.omitted') else $text"/>
  </xsl:function>

  <xsl:function name="tp:reading-words" as="xs:string*">
    <xsl:param name="node" as="node()"/>
    <xsl:param name="shown" as="xs:boolean"/>
    <xsl:sequence select="
      if ($node/self::text()) then string($node)
      else if ($node/self::note or not($node/self::*)) then ()
      else if (tp:behaviour($node) ne 'alternate') then $node/node()!tp:reading-words(., $shown)
      else (tp:primary-reading($node)/node()!tp:reading-words(., $shown),
            if ($shown) then () else
              (tp:readings($node) except tp:primary-reading($node))!(' (' || normalize-space(string-join(node()!tp:reading-words(., false()), '')) || ' ' || tp:reading-label(.) || ')'))"/>
  </xsl:function>

  <!-- What a recorded reading is: its witnesses, or what kind of alternative it is. -->
  <xsl:function name="tp:reading-label" as="xs:string">
    <xsl:param name="reading" as="element()"/>
    <xsl:sequence select="
      if ($reading/@wit) then normalize-space(replace($reading/@wit, '#', ''))
      else if (local-name($reading) = ('abbr', 'sic', 'orig', 'del', 'add', 'rdg')) then tp:message('apparatus.' || local-name($reading))
      else local-name($reading)"/>
  </xsl:function>

  <!-- ===== inline behaviours ===== -->

  <!-- A mention of a register entry: an index mark (person, place, organisation) before its text. -->
  <xsl:template match="*[tp:behaviour(.) = 'entity']" mode="tp:pdf" priority="1">
    <xsl:variable name="element" select="."/>
    <xsl:for-each select="tp:pointer-ids(.)">
      <xsl:variable name="entry" select="tp:entry-by-id(., root($element))"/>
      <xsl:if test="exists($entry) and tp:entry-kind($entry) = ('person', 'place', 'org')">#tp-mark({tp:typst-string(tp:entry-kind($entry))}, {tp:typst-string(.)}, {tp:typst-string(tp:sort-key($entry))}, {tp:typst-string(tp:standard-name($entry))})</xsl:if>
    </xsl:for-each>
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'date']" mode="tp:pdf" priority="1">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- Whether an element stands right after a word or another element, with no space between: a reference without words
       there ("erstarkt<ref/><ref/>" in Escher's letters) prints its locator as one with words does, "erstarkt (S. 186)
       (S. 215)", not run into the word ("erstarktS. 186S. 215"). -->
  <xsl:function name="tp:follows-a-word" as="xs:boolean">
    <xsl:param name="element" as="element()"/>
    <xsl:variable name="before" select="$element/preceding-sibling::node()[not(self::comment() or self::processing-instruction())][1]"/>
    <xsl:sequence select="exists($before) and not($before/self::text() and matches($before, '\s$'))"/>
  </xsl:function>

  <!-- A link: to a cited document's bibliography entry, to another document of the edition or a passage
       in it (lib.typ tp-ref prints where it lies: "vol. 2, p. 34"), or to a safe web address; else just its text. -->
  <xsl:template match="*[tp:behaviour(.) = 'link']" mode="tp:pdf" priority="1">
    <xsl:variable name="cited" select="(tp:pointer-ids(.)!tp:entry-by-id(., root(current())))[local-name() = ('bibl', 'biblStruct')][1]"/>
    <xsl:variable name="elsewhere" select="if (exists($cited)) then () else tp:reference-target(.)"/>
    <xsl:variable name="url" select="if (exists($cited) or exists($elsewhere)) then () else tp:safe-url(@target)[matches(., '^(https?|mailto|ftp):')]"/>
    <xsl:choose>
      <xsl:when test="exists($cited)">#link(label({tp:typst-string('bibl-' || $cited/@xml:id)}))[<xsl:apply-templates mode="tp:pdf"/>]</xsl:when>
      <xsl:when test="exists($elsewhere)">#tp-ref({tp:typst-string($elsewhere)}, {if (normalize-space(string-join(.//text(), '')) or tp:follows-a-word(.)) then 'false' else 'true'})[<xsl:apply-templates mode="tp:pdf"/>]</xsl:when>
      <xsl:when test="exists($url)">#link({tp:typst-string($url)})[<xsl:apply-templates mode="tp:pdf"/>{if (self::ptr and not(node())) then tp:typst-literal($url) else ''}]</xsl:when>
      <xsl:otherwise>
        <xsl:apply-templates mode="tp:pdf"/>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- What a reference points at outside its document (lib.typ tp-target's label): another document, by its
       id ("#id", "id" or "file.xml"), or a passage in it as "document#id" ("file.xml#id": ids such as p3 recur
       in every document); () for a register entry, a place of its own document or a web address. -->
  <xsl:function name="tp:reference-target" as="xs:string?">
    <xsl:param name="link" as="element()"/>
    <xsl:variable name="in-files" select="tokenize(normalize-space($link/@target), ' ')[matches(., '^([^#?:]*/)?[^/#?:]+\.xml(#.+)?$')]
                                          !replace(., '^([^#?]*/)?([^/#?]+)\.xml', '$2')"/>
    <xsl:sequence select="(tp:pointer-ids($link), $in-files)[empty(tp:entry-by-id(., root($link)))][empty(key('tp:entry-by-id', ., root($link)))][1]"/>
  </xsl:function>

  <!-- A place a reference of another document may point at: an element of the text with an xml:id (not a
       break), marked (lib.typ tp-target) where its content begins, inside the paragraph break before it. Not
       a table's row or cell: those are arguments of Typst's table (code), whose table is marked. -->
  <xsl:template match="*[@xml:id][ancestor::text][not(tp:is-line-break(.) or self::pb or tp:behaviour(.) = ('row', 'cell'))]" mode="tp:pdf" priority="20">
    <xsl:variable name="rendered" as="xs:string">
      <xsl:value-of><xsl:next-match/></xsl:value-of>
    </xsl:variable>
    <xsl:variable name="marker" select="'#tp-target(' || tp:typst-string(($document-id, root(.)/*/@xml:id, 'document')[1] || '#' || @xml:id) || ')'"/>
    <xsl:sequence select="if (starts-with($rendered, $tp:par)) then $tp:par || $marker || substring($rendered, string-length($tp:par) + 1) else $marker || $rendered"/>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'quote']" mode="tp:pdf" priority="1">
    <xsl:text>#quote[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- A quotation whose marks are already in the text keeps just those. -->
  <xsl:template match="*[tp:behaviour(.) = 'quote'][matches(string(preceding::text()[1]), '[&quot;“”„«»‘’‚‹›]\s*$') or matches(string(.), '^\s*[&quot;“”„«»‘’‚‹›]')]" mode="tp:pdf" priority="1.5">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- Quotations that hold paragraphs, and citations (quote + bibl), are set off as blocks. -->
  <xsl:template match="*[tp:behaviour(.) = 'quote'][*[tp:pdf-is-block(.)] or self::cit]" mode="tp:pdf" priority="2">
    <xsl:text>{$tp:par}#tp-quote[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]{$tp:par}</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'emphasis']" mode="tp:pdf" priority="1">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <xsl:template match="emph | foreign | title" mode="tp:pdf" priority="2">
    <xsl:text>#emph[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <!-- Highlighting: each rendition named in @rend, @rendition or @style wraps the content once ("bold italic"). -->
  <xsl:template match="hi | term[@rend]" mode="tp:pdf" priority="3">
    <xsl:variable name="wrappers" select="distinct-values(tp:rend-meanings(.)!tp:typst-wrapper(.))"/>
    <xsl:value-of select="string-join($wrappers!('#' || . || '['), '')"/>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:value-of select="string-join($wrappers!']', '')"/>
  </xsl:template>

  <!-- The Typst function that renders a rendition meaning (common/rendition.xsl), if Typst has one. -->
  <xsl:function name="tp:typst-wrapper" as="xs:string?">
    <xsl:param name="meaning" as="xs:string"/>
    <xsl:sequence select="map {'italic': 'emph', 'bold': 'strong', 'superscript': 'super', 'subscript': 'sub', 'smallcaps': 'smallcaps',
                                'underline': 'underline', 'double-underline': 'underline', 'strikethrough': 'strike'}($meaning)"/>
  </xsl:function>

  <!-- A deletion outside a substitution stays in the text, struck through. -->
  <xsl:template match="del" mode="tp:pdf" priority="2">
    <xsl:text>#strike[</xsl:text>
    <xsl:apply-templates mode="tp:pdf"/>
    <xsl:text>]</xsl:text>
  </xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'break']" mode="tp:pdf" priority="1">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>

  <!-- A line break inside a word (break="no") joins; elsewhere it separates words, unless white space already does. -->
  <xsl:template match="lb[not(@break = 'no')]" mode="tp:pdf" priority="2">
    <xsl:if test="not(matches(string(preceding::text()[1]), '\s$') or matches(string(following::text()[1]), '^\s'))">#" ";</xsl:if>
  </xsl:template>

  <xsl:template match="space" mode="tp:pdf" priority="2">#" ";<xsl:apply-templates mode="tp:pdf"/></xsl:template>

  <xsl:template match="*[tp:behaviour(.) = 'inline']" mode="tp:pdf" priority="1">
    <xsl:apply-templates mode="tp:pdf"/>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  A document page: metadata panel from the teiHeader, the reading text (text.xsl), notes, the
  documents it cites, how to cite it, links to its TEI source and PDF, previous and next document.
  Source: one TEI (or teiCorpus) document. Customise by importing this stylesheet and overriding
  a named template (tp:metadata-panel, tp:citation ...).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="facsimile.xsl"/>
  <xsl:import href="entries.xsl"/>
  <xsl:import href="document-register.xsl"/>
  <xsl:import href="../common/kinds.xsl"/>
  <xsl:import href="../common/correspondence.xsl"/>
  <xsl:import href="../common/bibliographic.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>

  <!-- The document's id, title and date (ISO) as the site lists it (from html/summary.xsl, cached by teipress). -->
  <xsl:param name="document-id" as="xs:string?" select="()"/>
  <xsl:param name="document-title" as="xs:string" select="''"/>
  <xsl:param name="document-date" as="xs:string" select="''"/>
  <!-- How certain that date is (common/functions.xsl tp:date-certainty): '', between, not-before, not-after. -->
  <xsl:param name="document-date-certainty" as="xs:string" select="''"/>
  <xsl:param name="document-type" as="xs:string" select="''"/>
  <xsl:param name="previous-id" as="xs:string" select="''"/>
  <xsl:param name="previous-title" as="xs:string" select="''"/>
  <xsl:param name="next-id" as="xs:string" select="''"/>
  <xsl:param name="next-title" as="xs:string" select="''"/>
  <!-- The previous and next document between the same two parties (sender and addressee, either way),
       and the two parties' names, from the build (html.py); empty where the pair has no other document. -->
  <xsl:param name="correspondence-previous-id" as="xs:string" select="''"/>
  <xsl:param name="correspondence-previous-title" as="xs:string" select="''"/>
  <xsl:param name="correspondence-next-id" as="xs:string" select="''"/>
  <xsl:param name="correspondence-next-title" as="xs:string" select="''"/>
  <xsl:param name="correspondence-first" as="xs:string" select="''"/>
  <xsl:param name="correspondence-second" as="xs:string" select="''"/>
  <!-- Whether output/pdf/{id}.pdf is built beside the site. -->
  <xsl:param name="pdf-linked" as="xs:boolean" select="true()"/>

  <xsl:template match="/">
    <xsl:variable name="root" select="*"/>
    <xsl:variable name="id" select="($document-id, $root/@xml:id, 'document')[1]"/>
    <xsl:variable name="title" select="($document-title[.], normalize-space(($root/teiHeader/fileDesc/titleStmt/title)[1]), $document-id)[1]"/>
    <xsl:variable name="path" select="tp:document-path($id)"/>
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="current" select="'document'"/>
      <xsl:with-param name="path" select="$path"/>
      <xsl:with-param name="description" select="tp:summary($root)"/>
      <xsl:with-param name="head" as="node()*">
        <xsl:call-template name="tp:citation-meta">
          <xsl:with-param name="root" select="$root"/>
          <xsl:with-param name="id" select="$id"/>
          <xsl:with-param name="title" select="$title"/>
        </xsl:call-template>
        <xsl:call-template name="tp:facsimile-scripts"/>
      </xsl:with-param>
      <xsl:with-param name="json-ld" select="tp:json-ld($root, $title)"/>
      <xsl:with-param name="content" as="node()*">
        <article class="document" data-pagefind-body="">
          <xsl:call-template name="tp:document-header">
            <xsl:with-param name="root" select="$root"/>
            <xsl:with-param name="title" select="$title"/>
          </xsl:call-template>
          <div class="document-layout">
            <xsl:call-template name="tp:metadata-panel">
              <xsl:with-param name="root" select="$root"/>
              <xsl:with-param name="id" select="$id"/>
            </xsl:call-template>
            <div class="document-body">
              <xsl:call-template name="tp:reading-toolbar">
                <xsl:with-param name="root" select="$root"/>
              </xsl:call-template>
              <xsl:call-template name="tp:facsimile-panel"/>
              <!-- Not indexed: Pagefind would make a heading with an id a part of the result of its own ("Text"). -->
              <h2 id="text-heading" class="visually-hidden" data-pagefind-ignore="all">{tp:message('document.text')}</h2>
              <section class="reading-text" aria-labelledby="text-heading" lang="{tp:language($root)}">
                <xsl:apply-templates select="$root" mode="tp:html"/>
                <xsl:call-template name="tp:facsimile-text-end"/>
              </section>
              <xsl:apply-templates select="$root" mode="tp:html-notes"/>
              <xsl:apply-templates select="$root" mode="tp:html-document-register"/>
              <xsl:call-template name="tp:cited-documents">
                <xsl:with-param name="root" select="$root"/>
              </xsl:call-template>
              <xsl:call-template name="tp:citation">
                <xsl:with-param name="root" select="$root"/>
                <xsl:with-param name="id" select="$id"/>
                <xsl:with-param name="title" select="$title"/>
              </xsl:call-template>
            </div>
          </div>
          <xsl:call-template name="tp:pager"/>
        </article>
        <xsl:call-template name="tp:search-filters">
          <xsl:with-param name="root" select="$root"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="tp:document-header">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="date" select="$document-date"/>
    <header class="document-header">
      <p class="kicker" data-pagefind-ignore="all">
        <span>{tp:type-label(tp:document-type($root))}</span>
        <xsl:if test="$date">
          <xsl:text> · </xsl:text>
          <time datetime="{$date}">{tp:format-date-range($date, $document-date-certainty[. ne ''])}</time>
        </xsl:if>
      </p>
      <!-- Its words are the result's title, not the first words of every excerpt: Pagefind still reads the
           metadata of an element it does not index (data-pagefind-ignore's default, "index"). -->
      <h1 data-pagefind-ignore="" data-pagefind-meta="title">{$title}</h1>
      <xsl:for-each select="tp:summary($root)">
        <p class="document-summary">{.}</p>
      </xsl:for-each>
    </header>
  </xsl:template>

  <!-- The reader's controls above the text: the view (reading or diplomatic, where the text has anything
       the two show differently), the entities' colours by kind with their legend, and the markup toggle.
       Buttons and legend only work with site.js, which builds them from this element's data (data-views where
       the view switch is offered; data-kinds: the further kinds of entity the text marks, in the legend between
       the organisation and the date), in the words of assets/messages-{language}.js: without it the page is the
       reading view without controls, and every page does not carry the same buttons and legend (issue 11). -->
  <xsl:template name="tp:reading-toolbar">
    <xsl:param name="root" as="element()"/>
    <div class="reading-toolbar" data-pagefind-ignore="all">
      <xsl:if test="exists(($root//text//(choice | subst | del | add | lb | abbr | sic | orig))[1])">
        <xsl:attribute name="data-views" select="''"/>
      </xsl:if>
      <!-- Further kinds of entity only where the text marks them (rs type="work|event|object"); the text's kinds
           found once, not once for each of the three. -->
      <xsl:variable name="marked" select="distinct-values(tp:text-entities($root)!tp:entity-kind(.))"/>
      <xsl:variable name="kinds" select="('work', 'event', 'object')[. = $marked]"/>
      <xsl:if test="exists($kinds)">
        <xsl:attribute name="data-kinds" select="$kinds"/>
      </xsl:if>
    </div>
  </xsl:template>

  <!-- The teiHeader's facts a reader asks first: when, who to whom, where it is kept, who translated it. -->
  <xsl:template name="tp:metadata-panel">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="header" select="$root/teiHeader"/>
    <xsl:variable name="senders" select="tp:senders($root)"/>
    <xsl:variable name="addressees" select="tp:addressees($root)"/>
    <xsl:variable name="correspondents" select="tp:correspondents($root)"/>
    <xsl:variable name="ms" select="$header/fileDesc/sourceDesc/msDesc[1]"/>
    <xsl:variable name="date" select="$document-date"/>
    <xsl:variable name="type" select="tp:document-type($root)"/>
    <!-- Not indexed for search: its labels and values would run together in the excerpts ("TypeLetter"); the
         senders, addressees, persons and places are the search's filters (tp:search-filters), the persons
         mentioned on their names here (Pagefind reads filters in an element it does not index). -->
    <aside class="document-meta" aria-labelledby="about-heading" data-pagefind-ignore="">
      <ul class="document-files">
        <li><a href="../tei/{encode-for-uri($id)}.xml" type="application/tei+xml">{tp:message('meta.tei-source')}</a></li>
        <xsl:if test="$pdf-linked">
          <li><a href="../../pdf/{encode-for-uri($id)}.pdf" type="application/pdf">{tp:message('meta.pdf')}</a></li>
        </xsl:if>
        <li><a href="#cite">{tp:message('cite.heading')}</a></li>
      </ul>
      <!-- Collapsed on a phone, so that the text comes first; always open on a wide screen and on paper (site.css). -->
      <details class="document-about">
      <summary><h2 id="about-heading">{tp:message('meta.heading')}</h2></summary>
      <dl>
        <dt>{tp:message('meta.type')}</dt>
        <dd>{tp:type-label($type)}</dd>
        <xsl:if test="$date">
          <dt>{tp:message('meta.date')}</dt>
          <dd><time datetime="{$date}">{tp:format-date-range($date, $document-date-certainty[. ne ''])}</time></dd>
        </xsl:if>
        <!-- A date the source gives only in words: as written. -->
        <xsl:for-each select="(tp:correspondence($root)/correspAction/date[normalize-space()])[1][not($date)]">
          <dt>{tp:message('meta.date')}</dt>
          <dd class="date-as-written">{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:call-template name="tp:correspondence-side">
          <xsl:with-param name="label" select="tp:message('meta.from')"/>
          <xsl:with-param name="parties" select="$senders"/>
          <xsl:with-param name="places" select="tp:correspondence-places($root, 'sender')"/>
          <xsl:with-param name="places-alone" select="empty($correspondents)"/>
        </xsl:call-template>
        <xsl:call-template name="tp:correspondence-side">
          <xsl:with-param name="label" select="tp:message('meta.to')"/>
          <xsl:with-param name="parties" select="$addressees"/>
          <xsl:with-param name="places" select="tp:correspondence-places($root, 'addressee')"/>
          <xsl:with-param name="places-alone" select="empty($correspondents)"/>
        </xsl:call-template>
        <xsl:if test="exists($correspondents)">
          <dt>{tp:message('meta.correspondents')}</dt>
          <dd class="correspondents" title="{tp:message('meta.correspondents-title')}">
            <xsl:for-each select="$correspondents">
              <xsl:if test="position() gt 1">, </xsl:if>
              <xsl:call-template name="tp:linked-name"/>
            </xsl:for-each>
          </dd>
          <xsl:for-each select="(tp:correspondence-places($root, 'sender')[empty($senders)])[1]">
            <dt>{tp:message('meta.sent-from')}</dt>
            <dd><xsl:call-template name="tp:linked-name"/></dd>
          </xsl:for-each>
          <xsl:for-each select="(tp:correspondence-places($root, 'addressee')[empty($addressees)])[1]">
            <dt>{tp:message('meta.sent-to')}</dt>
            <dd><xsl:call-template name="tp:linked-name"/></dd>
          </xsl:for-each>
        </xsl:if>
        <xsl:for-each select="$header/fileDesc/titleStmt/author[normalize-space()][empty($senders)]">
          <dt>{tp:message('meta.author')}</dt>
          <dd><xsl:call-template name="tp:linked-name"/></dd>
        </xsl:for-each>
        <xsl:if test="$ms/msIdentifier">
          <dt>{tp:message('meta.archive')}</dt>
          <dd>{string-join(($ms/msIdentifier/(institution, repository, collection, settlement, country))!normalize-space(.)[. ne ''], ', ')}</dd>
          <xsl:for-each select="$ms/msIdentifier/idno[normalize-space()]">
            <dt>{if (@type) then tp:token-type-label(@type) else tp:message('meta.number')}</dt>
            <dd>{normalize-space(.)}</dd>
          </xsl:for-each>
        </xsl:if>
        <xsl:for-each select="$ms/msContents/msItem/note[@type = 'classification']">
          <dt>{tp:message('meta.classification')}</dt>
          <dd class="classification">{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/sourceDesc/(biblStruct, bibl)[1][normalize-space() or .//(ptr, ref)/@target]">
          <dt>{tp:message('meta.source')}</dt>
          <dd>
            <xsl:value-of select="tp:bibliographic-text(.)"/>
            <xsl:for-each select="(.//ptr/@target, .//ref/@target)[1]!tp:safe-url(.)[matches(., '^https?:')]">
              <xsl:text> </xsl:text><a href="{.}" rel="external">{tp:message('meta.source-page')}</a>
            </xsl:for-each>
          </dd>
        </xsl:for-each>
        <xsl:for-each select="$header/fileDesc/publicationStmt/distributor[normalize-space()]">
          <dt>{tp:message('meta.provided-by')}</dt>
          <dd>{normalize-space(.)}</dd>
        </xsl:for-each>
        <xsl:variable name="translators" select="$header/fileDesc/titleStmt/respStmt[resp[matches(normalize-space(.), '^transl', 'i')]]/(persName, name, orgName)"/>
        <xsl:if test="exists($translators)">
          <dt>{tp:message('meta.translated-by')}</dt>
          <dd><xsl:for-each select="$translators"><xsl:if test="position() gt 1">, </xsl:if><xsl:call-template name="tp:linked-name"/></xsl:for-each></dd>
        </xsl:if>
        <xsl:variable name="persons" select="tp:persons-mentioned($root)"/>
        <xsl:if test="exists($persons)">
          <dt>{tp:message('meta.persons')}</dt>
          <dd class="persons">
            <xsl:for-each select="$persons">
              <xsl:sort select="lower-case(.)"/>
              <xsl:if test="position() gt 1">, </xsl:if>
              <span>
                <xsl:if test="tp:filter-as-shown(.)"><xsl:attribute name="data-pagefind-filter">person</xsl:attribute></xsl:if>
                <xsl:text>{.}</xsl:text>
              </span>
            </xsl:for-each>
          </dd>
        </xsl:if>
      </dl>
        <!-- Not where the footer states the same rights, the edition's (a letter that repeats them would say them
             twice on every page). -->
        <xsl:for-each select="$header/fileDesc/publicationStmt/availability[normalize-space() or licence/@target]
                              [not(tp:rights(.) = $edition/*/teiHeader/fileDesc/publicationStmt/availability!tp:rights(.))]">
          <details class="rights">
            <summary>{tp:message('meta.rights')}</summary>
            <!-- Through the reading-text rules, so that a gap (a hidden e-mail address) shows as one. -->
            <xsl:apply-templates select="p" mode="tp:html"/>
            <xsl:for-each select="licence">
              <xsl:variable name="url" select="tp:safe-url(@target)"/>
              <p class="licence">
                <xsl:choose>
                  <xsl:when test="$url and string-length(normalize-space(.)) gt 80">{normalize-space(.)} <a rel="license" href="{$url}">{$url}</a></xsl:when>
                  <xsl:when test="$url"><a rel="license" href="{$url}">{(normalize-space(.)[.], $url)[1]}</a></xsl:when>
                  <xsl:otherwise>{normalize-space(.)}</xsl:otherwise>
                </xsl:choose>
              </p>
            </xsl:for-each>
          </details>
        </xsl:for-each>
      </details>
    </aside>
  </xsl:template>

  <!-- A statement of rights as the reader reads it: its paragraphs and its licences' words and addresses. -->
  <xsl:function name="tp:rights" as="xs:string">
    <xsl:param name="availability" as="element()"/>
    <xsl:sequence select="string-join(($availability/p!normalize-space(.), $availability/licence!(normalize-space(.), normalize-space(@target))), '&#10;')"/>
  </xsl:function>

  <!-- The page's search filters (type, year, sender, addressee, person, place) that the page does not show
       as they are, for the index only (outside the indexed body, so that they are not searched as text); the
       persons mentioned are filters where the side panel names them (tp:filter-as-shown). The search page
       shows them with assets/site.js, as text. -->
  <xsl:template name="tp:search-filters">
    <xsl:param name="root" as="element()"/>
    <div class="search-filters" hidden="">
      <span data-pagefind-filter="type">{tp:search-filter-value(tp:type-label(tp:document-type($root)))}</span>
      <xsl:if test="$document-date">
        <span data-pagefind-filter="year">{substring($document-date, 1, 4)}</span>
      </xsl:if>
      <xsl:for-each select="distinct-values(tp:senders($root)!tp:party-name(.))">
        <span data-pagefind-filter="sender">{tp:search-filter-value(.)}</span>
      </xsl:for-each>
      <xsl:for-each select="distinct-values(tp:addressees($root)!tp:party-name(.))">
        <span data-pagefind-filter="addressee">{tp:search-filter-value(.)}</span>
      </xsl:for-each>
      <xsl:for-each select="tp:persons-mentioned($root)[not(tp:filter-as-shown(.))]">
        <span data-pagefind-filter="person">{tp:search-filter-value(.)}</span>
      </xsl:for-each>
      <xsl:for-each select="tp:entities-mentioned($root, 'place')">
        <span data-pagefind-filter="place">{tp:search-filter-value(.)}</span>
      </xsl:for-each>
    </div>
  </xsl:template>

  <!-- A sender or addressee as the site lists it: its register name, else its text (as html/summary.xsl). -->
  <xsl:function name="tp:party-name" as="xs:string">
    <xsl:param name="party" as="element()"/>
    <xsl:sequence select="(tp:entry($party)!tp:standard-name(.), tp:name-text($party))[1]"/>
  </xsl:function>

  <!-- Whether a filter's value can be the words the page shows: not where tp:search-filter-value would
       change them for Pagefind. -->
  <xsl:function name="tp:filter-as-shown" as="xs:boolean">
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="not(contains($value, '&amp;'))"/>
  </xsl:function>

  <!-- Pagefind decodes character references in a filter's text once more after the HTML parser did (a name
       holding an ampersand followed by "lt;" would be listed with a less-than sign instead), so every ampersand
       is handed over as a character reference of its own. -->
  <xsl:function name="tp:search-filter-value" as="xs:string">
    <xsl:param name="value" as="xs:string"/>
    <xsl:sequence select="replace($value, '&amp;', '&amp;amp;')"/>
  </xsl:function>

  <!-- The document's kind (letter, telegram ...), as the site lists it. -->
  <xsl:function name="tp:document-type" as="xs:string">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="string(($document-type[.], tp:document-kind($root))[1])"/>
  </xsl:function>

  <!-- The standard names of the persons the text mentions. -->
  <xsl:function name="tp:persons-mentioned" as="xs:string*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="tp:entities-mentioned($root, 'person')"/>
  </xsl:function>

  <!-- The standard names of the register entries of one kind (person, place ...) the text mentions. -->
  <xsl:function name="tp:entities-mentioned" as="xs:string*">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="kind" as="xs:string"/>
    <xsl:sequence select="distinct-values(tp:text-entities($root)[tp:entity-kind(.) = $kind]!tp:entry(.)!tp:standard-name(.))"/>
  </xsl:function>

  <!-- The entities the texts of a document mark. The page's own are found once ($tp:page-entities): the side
       panel, the search filters and the reading toolbar each ask, and each search asks every element of the
       text its behaviour (most of a letter's page time, issue 11). -->
  <xsl:function name="tp:text-entities" as="element()*">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="if ($root is $tp:page-root) then $tp:page-entities else $root//text//*[tp:behaviour(.) eq 'entity']"/>
  </xsl:function>

  <xsl:variable name="tp:page-root" as="element()?" select="/*"/>
  <xsl:variable name="tp:page-entities" as="element()*" select="$tp:page-root//text//*[tp:behaviour(.) eq 'entity']"/>

  <!-- "From: Josip Broz Tito in Belgrade": the parties of one side (common/correspondence.xsl) and
       its places; the places alone (a destination without addressee) unless correspondents without a
       side are listed, whose places are shown with them. -->
  <xsl:template name="tp:correspondence-side">
    <xsl:param name="label" as="xs:string"/>
    <xsl:param name="parties" as="element()*"/>
    <xsl:param name="places" as="element()*"/>
    <xsl:param name="places-alone" as="xs:boolean"/>
    <xsl:if test="exists($parties) or ($places-alone and exists($places))">
      <dt>{$label}</dt>
      <dd>
        <xsl:for-each select="$parties">
          <xsl:if test="position() gt 1">, </xsl:if>
          <xsl:call-template name="tp:linked-name"/>
        </xsl:for-each>
        <xsl:for-each select="$places">
          <span class="place-of-action">
            <xsl:text>{if (position() gt 1) then ', ' else if (exists($parties)) then tp:message('meta.place-of-action') else ''}</xsl:text>
            <xsl:call-template name="tp:linked-name"/>
          </span>
        </xsl:for-each>
      </dd>
    </xsl:if>
  </xsl:template>

  <!-- A name from the header, linked to its register entry when it has one. -->
  <xsl:template name="tp:linked-name">
    <xsl:variable name="entry" select="tp:entry(.)"/>
    <xsl:choose>
      <xsl:when test="exists($entry)"><a href="{tp:register-href($entry)}">{tp:name-text(.)}</a></xsl:when>
      <xsl:otherwise>{tp:name-text(.)}</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="tp:citation">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="permalink" select="tp:permalink(tp:document-path($id))"/>
    <xsl:variable name="ms" select="$root/teiHeader/fileDesc/sourceDesc/msDesc[1]/msIdentifier"/>
    <section class="cite" id="cite" aria-labelledby="cite-heading" data-pagefind-ignore="all">
      <h2 id="cite-heading">{tp:message('cite.heading')}</h2>
      <p class="citation">
        <xsl:text>{tp:message('cite.document-in', $title)}</xsl:text>
        <cite>{$tp:edition-title}</cite>
        <xsl:if test="exists($tp:edition-editors)">{tp:message('edition.edited-by-inline', string-join($tp:edition-editors, ', '))}</xsl:if>
        <xsl:text>.</xsl:text>
        <xsl:if test="$tp:edition-publisher"> {$tp:edition-publisher}<xsl:if test="$tp:edition-year">, {$tp:edition-year}</xsl:if>.</xsl:if>
        <xsl:if test="exists($ms/(repository, idno))"> {tp:message('cite.original', string-join($ms/(repository, idno)!normalize-space(.)[. ne ''], ', '))}</xsl:if>
        <xsl:text> </xsl:text>
        <a class="permalink" href="{if ($base-url) then $permalink else encode-for-uri($id) || '.html'}">{$permalink}</a>
      </p>
      <button type="button" class="copy-citation" hidden="">{tp:message('js.copy-citation')}</button>
    </section>
  </xsl:template>

  <!-- Previous and next: in the whole edition, and between the same two correspondents where they wrote
       more than this one document to each other. -->
  <xsl:template name="tp:pager">
    <nav class="pager" aria-label="{tp:message('pager.label')}" data-pagefind-ignore="all">
      <xsl:call-template name="tp:pager-links">
        <xsl:with-param name="previous" select="[$previous-id, $previous-title]"/>
        <xsl:with-param name="next" select="[$next-id, $next-title]"/>
        <xsl:with-param name="previous-label" select="tp:message('pager.previous')"/>
        <xsl:with-param name="next-label" select="tp:message('pager.next')"/>
      </xsl:call-template>
    </nav>
    <xsl:if test="$correspondence-previous-id or $correspondence-next-id">
      <xsl:variable name="between" select="tp:message('pager.correspondence', ($correspondence-first, $correspondence-second))"/>
      <nav class="pager pager-correspondence" aria-label="{$between}" data-pagefind-ignore="all">
        <p class="pager-heading">{$between}</p>
        <xsl:call-template name="tp:pager-links">
          <xsl:with-param name="previous" select="[$correspondence-previous-id, $correspondence-previous-title]"/>
          <xsl:with-param name="next" select="[$correspondence-next-id, $correspondence-next-title]"/>
          <xsl:with-param name="previous-label" select="tp:message('pager.previous-between')"/>
          <xsl:with-param name="next-label" select="tp:message('pager.next-between')"/>
          <xsl:with-param name="sequence" select="false()"/>
        </xsl:call-template>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- The two links of a pager: each an array of the document's id and title, left out when the id is empty;
       rel="prev" and rel="next" only for the edition's own sequence (a page has one). -->
  <xsl:template name="tp:pager-links">
    <xsl:param name="previous" as="array(xs:string)"/>
    <xsl:param name="next" as="array(xs:string)"/>
    <xsl:param name="previous-label" as="xs:string"/>
    <xsl:param name="next-label" as="xs:string"/>
    <xsl:param name="sequence" as="xs:boolean" select="true()"/>
    <xsl:if test="$previous(1)">
      <a class="pager-previous" href="{encode-for-uri($previous(1))}.html">
        <xsl:if test="$sequence"><xsl:attribute name="rel" select="'prev'"/></xsl:if>
        <span class="pager-label">{$previous-label}</span>
        <xsl:text> {$previous(2)}</xsl:text>
      </a>
    </xsl:if>
    <xsl:if test="$next(1)">
      <a class="pager-next" href="{encode-for-uri($next(1))}.html">
        <xsl:if test="$sequence"><xsl:attribute name="rel" select="'next'"/></xsl:if>
        <span class="pager-label">{$next-label}</span>
        <xsl:text> {$next(2)}</xsl:text>
      </a>
    </xsl:if>
  </xsl:template>

  <!-- Highwire Press tags (Zotero, Google Scholar) and Dublin Core. -->
  <xsl:template name="tp:citation-meta">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="date" select="tokenize($document-date, '/')[1]"/>
    <meta name="citation_title" content="{$title}"/>
    <xsl:for-each select="tp:authors($root)">
      <meta name="citation_author" content="{.}"/>
    </xsl:for-each>
    <xsl:if test="$date">
      <meta name="citation_date" content="{replace($date, '-', '/')}"/>
    </xsl:if>
    <xsl:if test="$tp:edition-year">
      <meta name="citation_publication_date" content="{$tp:edition-year}"/>
    </xsl:if>
    <meta name="citation_inbook_title" content="{$tp:edition-title}"/>
    <xsl:for-each select="$tp:edition-editors">
      <meta name="citation_editor" content="{.}"/>
    </xsl:for-each>
    <xsl:if test="$tp:edition-publisher">
      <meta name="citation_publisher" content="{$tp:edition-publisher}"/>
    </xsl:if>
    <meta name="citation_language" content="{tp:language($root)}"/>
    <xsl:if test="$base-url">
      <meta name="citation_public_url" content="{tp:permalink(tp:document-path($id))}"/>
      <meta name="citation_fulltext_html_url" content="{tp:permalink(tp:document-path($id))}"/>
      <xsl:if test="$pdf-linked">
        <meta name="citation_pdf_url" content="{tp:beside-site-url('../pdf/' || encode-for-uri($id) || '.pdf')}"/>
      </xsl:if>
    </xsl:if>
    <meta name="DC.title" content="{$title}"/>
    <xsl:if test="$date">
      <meta name="DC.date" content="{$date}"/>
    </xsl:if>
    <meta name="DC.type" content="{tp:type-label(tp:document-type($root))}"/>
  </xsl:template>

  <!-- The address of a file published beside the site (output/pdf/ beside output/html/), as a browser resolves the
       page's own relative link: a ".." above the host's root stays at the root (RFC 3986, 5.2.4), where
       resolve-uri keeps it ("https://host/../pdf/"). -->
  <xsl:function name="tp:beside-site-url" as="xs:string">
    <xsl:param name="relative" as="xs:string"/>
    <xsl:sequence select="replace(string(resolve-uri($relative, $base-url)), '^([A-Za-z][A-Za-z0-9+.\-]*://[^/]+)(/\.\.)+/', '$1/')"/>
  </xsl:function>

  <!-- Who wrote the document: its sender, else the header's authors. -->
  <xsl:function name="tp:authors" as="xs:string*">
    <xsl:param name="root" as="element()"/>
    <xsl:variable name="names" select="(tp:senders($root), $root/teiHeader/fileDesc/titleStmt/author)"/>
    <xsl:sequence select="distinct-values($names!(tp:entry(.)!tp:standard-name(.), tp:name-text(.))[1])[. ne '']"/>
  </xsl:function>

  <xsl:function name="tp:summary" as="xs:string?">
    <xsl:param name="root" as="element()"/>
    <xsl:sequence select="($root/teiHeader/fileDesc/sourceDesc//msContents/summary, $root/teiHeader/profileDesc/abstract)[1]!normalize-space(.)"/>
  </xsl:function>

  <!-- Only what the head's other tags do not say: who wrote to whom, as schema.org names them (citation_author
       holds the senders alone, and no Highwire or Dublin Core tag the recipients), with the name and date that
       make the object readable on its own. Language, edition, editors, publisher, description, address and
       licence are in the Highwire and Dublin Core tags, the canonical link and the page's rel="license" link:
       Zotero and Google Scholar read those, not JSON-LD, so they are said once. -->
  <xsl:function name="tp:json-ld" as="map(*)">
    <xsl:param name="root" as="element()"/>
    <xsl:param name="title" as="xs:string"/>
    <xsl:variable name="type" select="tp:document-type($root)"/>
    <xsl:variable name="message" select="$type = ('letter', 'telegram', 'postcard', 'card', 'note', 'memo', 'memorandum') or exists($root/teiHeader/profileDesc/correspDesc)"/>
    <xsl:variable name="date" select="tokenize($document-date, '/')[1]"/>
    <xsl:variable name="senders" select="tp:senders($root)"/>
    <xsl:variable name="addressees" select="tp:addressees($root)"/>
    <xsl:sequence select="map:merge((
      map {'@context': 'https://schema.org', '@type': if ($message) then 'Message' else 'CreativeWork', 'name': $title},
      if ($date) then map {'dateCreated': $date} else (),
      if ($message and exists($senders)) then map {'sender': array { $senders!tp:agent(.) }} else (),
      if ($message and exists($addressees)) then map {'recipient': array { $addressees!tp:agent(.) }} else (),
      if (not($message) and exists($root/teiHeader/fileDesc/titleStmt/author)) then map {'author': array { $root/teiHeader/fileDesc/titleStmt/author!tp:agent(.) }} else ()
      ))" xmlns:map="http://www.w3.org/2005/xpath-functions/map"/>
  </xsl:function>

  <xsl:function name="tp:agent" as="map(*)">
    <xsl:param name="name" as="element()"/>
    <xsl:variable name="entry" select="tp:entry($name)"/>
    <xsl:sequence select="map {'@type': if ($name/self::orgName or $entry/self::org) then 'Organization' else 'Person',
                               'name': if (exists($entry)) then tp:standard-name($entry) else tp:name-text($name)}"/>
  </xsl:function>
</xsl:stylesheet>

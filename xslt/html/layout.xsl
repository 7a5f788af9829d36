<?xml version="1.0" encoding="UTF-8"?>
<!--
  The frame every page of the site shares: head (styles, scripts, metadata), skip link, header with
  the edition's title and navigation, main landmark, footer with the publisher and licence.
  Needs text.xsl imported beside it (it declares $site-root; common/language.xsl $language).

  Override tp:page-footer or tp:navigation in an edition's own stylesheet to change them everywhere.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:s="https://teipress.org/ns/site"
  xmlns:f="https://teipress.org/ns/facts"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- DEL and the C1 control characters (U+007F–U+009F, which XML allows) as themselves: Saxon's HTML
       serializer drops DEL and writes the others as character references, which HTML reads as Windows-1252
       (&amp;#x85; shows "…", &amp;#x9F; "Ÿ"), so a reader would see characters the source does not have, or miss
       one it has. Every page stylesheet imports this output setting. -->
  <xsl:output use-character-maps="tp:control-characters"/>
  <xsl:character-map name="tp:control-characters">
    <xsl:output-character character="&#x7F;" string="&#x7F;"/>
    <xsl:output-character character="&#x80;" string="&#x80;"/>
    <xsl:output-character character="&#x81;" string="&#x81;"/>
    <xsl:output-character character="&#x82;" string="&#x82;"/>
    <xsl:output-character character="&#x83;" string="&#x83;"/>
    <xsl:output-character character="&#x84;" string="&#x84;"/>
    <xsl:output-character character="&#x85;" string="&#x85;"/>
    <xsl:output-character character="&#x86;" string="&#x86;"/>
    <xsl:output-character character="&#x87;" string="&#x87;"/>
    <xsl:output-character character="&#x88;" string="&#x88;"/>
    <xsl:output-character character="&#x89;" string="&#x89;"/>
    <xsl:output-character character="&#x8A;" string="&#x8A;"/>
    <xsl:output-character character="&#x8B;" string="&#x8B;"/>
    <xsl:output-character character="&#x8C;" string="&#x8C;"/>
    <xsl:output-character character="&#x8D;" string="&#x8D;"/>
    <xsl:output-character character="&#x8E;" string="&#x8E;"/>
    <xsl:output-character character="&#x8F;" string="&#x8F;"/>
    <xsl:output-character character="&#x90;" string="&#x90;"/>
    <xsl:output-character character="&#x91;" string="&#x91;"/>
    <xsl:output-character character="&#x92;" string="&#x92;"/>
    <xsl:output-character character="&#x93;" string="&#x93;"/>
    <xsl:output-character character="&#x94;" string="&#x94;"/>
    <xsl:output-character character="&#x95;" string="&#x95;"/>
    <xsl:output-character character="&#x96;" string="&#x96;"/>
    <xsl:output-character character="&#x97;" string="&#x97;"/>
    <xsl:output-character character="&#x98;" string="&#x98;"/>
    <xsl:output-character character="&#x99;" string="&#x99;"/>
    <xsl:output-character character="&#x9A;" string="&#x9A;"/>
    <xsl:output-character character="&#x9B;" string="&#x9B;"/>
    <xsl:output-character character="&#x9C;" string="&#x9C;"/>
    <xsl:output-character character="&#x9D;" string="&#x9D;"/>
    <xsl:output-character character="&#x9E;" string="&#x9E;"/>
    <xsl:output-character character="&#x9F;" string="&#x9F;"/>
  </xsl:character-map>

  <!-- tei/edition.xml (title, editors, publisher, licence, introduction). -->
  <xsl:param name="edition" as="document-node()?" select="()"/>
  <!-- Every document's facts and summary (built by teipress from html/summary.xsl). -->
  <xsl:param name="site" as="document-node()?" select="()"/>
  <!-- The edition's title and subtitle (edition.py `edition_titles`: teipress.toml's, else edition.xml's); empty for none. -->
  <xsl:param name="site-title" as="xs:string" select="''"/>
  <xsl:param name="site-subtitle" as="xs:string" select="''"/>
  <!-- Where the site is published ("https://edition.example.org/"), for permalinks; may be empty. -->
  <xsl:param name="base-url" as="xs:string" select="''"/>
  <!-- The edition's own look (teipress.toml `css`, `logo`, `favicon`, `footer`): addresses relative to the
       site root of the copies teipress made in assets/edition/ (fixed names: a change is copied, no page rendered again),
       and the footer's text; empty when unset. -->
  <xsl:param name="edition-css" as="xs:string" select="''"/>
  <xsl:param name="edition-logo" as="xs:string" select="''"/>
  <xsl:param name="edition-favicon" as="xs:string" select="''"/>
  <xsl:param name="edition-footer" as="xs:string" select="''"/>
  <!-- teipress's files in assets/ that the pages link, as JSON: {"site.css": "assets/site.3f2a9c1e04b7.css", …},
       each file's name mapped to its address relative to the site root, a name that carries a hash of its bytes
       (teipress/assets.py), so that no browser or proxy pairs a page with a file it kept from an earlier build.
       Absent outside a build: a stylesheet run alone (tests/test_site.py, bench/step.py's XSLT step). -->
  <xsl:param name="asset-urls" as="xs:string?" select="()"/>
  <xsl:variable name="tp:asset-urls" as="map(*)?" select="$asset-urls!parse-json(.)"/>

  <!-- The address of teipress's file $name (site.css, messages-en.js …) from this page: the name the build
       published it under. A name the build did not publish stops the build, naming it (saxon.py reports the
       message with the stylesheet): a page would link a file the site does not hold. Outside a build (no
       $asset-urls), the file's own name in assets/. -->
  <xsl:function name="tp:asset" as="xs:string">
    <xsl:param name="name" as="xs:string"/>
    <xsl:choose>
      <xsl:when test="empty($tp:asset-urls)">
        <xsl:sequence select="$site-root || 'assets/' || $name"/>
      </xsl:when>
      <xsl:when test="exists($tp:asset-urls($name))">
        <xsl:sequence select="$site-root || $tp:asset-urls($name)"/>
      </xsl:when>
      <xsl:otherwise>
        <xsl:message terminate="yes" error-code="tp:unknown-asset">tp:asset('{$name}'): teipress publishes no file of that name in assets/ (it publishes {string-join(sort(map:keys($tp:asset-urls)), ', ')})</xsl:message>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:function>

  <!-- The menu's extra entries after teipress's own, as JSON: [{"label": …, "href": …, "current": …}], first the
       extra pages (teipress.toml `pages`, href relative to the site root), then `nav` (relative or http(s)). -->
  <xsl:param name="extra-menu" as="xs:string" select="'[]'"/>

  <!-- The edition's title and subtitle as teipress chose them (edition.py `edition_titles`: teipress.toml's, else
       edition.xml's) for the site, the print edition and the exports alike. -->
  <xsl:variable name="tp:edition-title" as="xs:string" select="($site-title[normalize-space(.)], tp:message('site.default-title'))[1]"/>
  <xsl:variable name="tp:edition-subtitle" as="xs:string?" select="$site-subtitle[normalize-space(.)]"/>
  <xsl:variable name="tp:edition-editors" as="xs:string*" select="$edition/*/teiHeader/fileDesc/titleStmt/editor!normalize-space(.)"/>
  <xsl:variable name="tp:edition-publisher" as="xs:string?" select="$edition/*/teiHeader/fileDesc/publicationStmt/publisher[1]!normalize-space(.)"/>
  <xsl:variable name="tp:edition-year" as="xs:string?" select="$edition/*/teiHeader/fileDesc/publicationStmt/date[1]!(@when, normalize-space(.))[1]!substring(., 1, 4)"/>

  <!-- The page frame. $current names the navigation entry to mark (home, persons, places, organizations,
       bibliography, chronology, search, document). -->
  <xsl:template name="tp:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="current" as="xs:string"/>
    <xsl:param name="path" as="xs:string"/>
    <xsl:param name="description" as="xs:string?" select="()"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <xsl:param name="json-ld" as="map(*)?" select="()"/>
    <xsl:param name="content" as="node()*"/>
    <xsl:param name="page-language" as="xs:string" select="$language"/>
    <html lang="{$page-language}" data-site-root="{$site-root}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>{if ($current = 'home') then $title else $title || ' · ' || $tp:edition-title}</title>
        <xsl:if test="$description">
          <meta name="description" content="{$description}"/>
        </xsl:if>
        <meta name="generator" content="teipress"/>
        <xsl:if test="$base-url">
          <link rel="canonical" href="{$base-url}{$path}"/>
        </xsl:if>
        <xsl:choose>
          <xsl:when test="$edition-favicon">
            <link rel="icon" href="{$site-root}{$edition-favicon}" type="{tp:image-type($edition-favicon)}"/>
          </xsl:when>
          <xsl:otherwise>
            <link rel="icon" href="{tp:asset('favicon.svg')}" type="image/svg+xml"/>
          </xsl:otherwise>
        </xsl:choose>
        <link rel="stylesheet" href="{tp:asset('site.css')}"/>
        <!-- The edition's own rules come after teipress's, so that they win at equal specificity. -->
        <xsl:if test="$edition-css">
          <link rel="stylesheet" href="{$site-root}{$edition-css}"/>
        </xsl:if>
        <!-- The words of the scripts (site.js: popovers, buttons, search; facsimile.js) in the interface language:
             one file for every page (html/messages-script.xsl), cached by the browser, run before the scripts of
             $head and site.js (deferred scripts run in order). -->
        <script src="{tp:asset('messages-' || $language || '.js')}" defer="defer"></script>
        <xsl:sequence select="$head"/>
        <xsl:if test="exists($json-ld)">
          <script type="application/ld+json">{tp:script-json($json-ld)}</script>
        </xsl:if>
        <script src="{tp:asset('site.js')}" defer="defer"></script>
      </head>
      <body class="page-{$current}">
        <a class="skip-link" href="#main">{tp:message('nav.skip')}</a>
        <header class="site-header">
          <div class="site-header-inner">
            <p class="site-title">
              <a href="{$site-root}index.html">
                <!-- The title beside it names the link: the logo is decoration to a screen reader. -->
                <xsl:if test="$edition-logo"><img class="site-logo" src="{$site-root}{$edition-logo}" alt=""/></xsl:if>
                <xsl:text>{$tp:edition-title}</xsl:text>
              </a>
            </p>
            <xsl:call-template name="tp:navigation">
              <xsl:with-param name="current" select="$current"/>
            </xsl:call-template>
          </div>
        </header>
        <main id="main" tabindex="-1">
          <xsl:sequence select="$content"/>
        </main>
        <xsl:call-template name="tp:page-footer"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template name="tp:navigation">
    <xsl:param name="current" as="xs:string"/>
    <nav class="site-nav" aria-label="{tp:message('nav.label')}">
      <ul>
        <xsl:for-each select="(['home', 'index.html'], ['persons', 'registers/persons.html'], ['places', 'registers/places.html'], ['organizations', 'registers/organizations.html'], ['bibliography', 'registers/bibliography.html'], ['chronology', 'chronology.html'], ['overviews', 'overviews/time.html'], ['search', 'search.html'])">
          <li>
            <a href="{$site-root}{?2}">
              <xsl:if test="?1 = $current">
                <xsl:attribute name="aria-current">page</xsl:attribute>
              </xsl:if>
              <xsl:text>{tp:message('nav.' || ?1)}</xsl:text>
            </a>
          </li>
        </xsl:for-each>
        <xsl:for-each select="parse-json($extra-menu)?*">
          <li>
            <a href="{if (matches(?href, '^https?://', 'i')) then ?href else $site-root || ?href}">
              <xsl:if test="?current = $current">
                <xsl:attribute name="aria-current">page</xsl:attribute>
              </xsl:if>
              <xsl:text>{?label}</xsl:text>
            </a>
          </li>
        </xsl:for-each>
      </ul>
    </nav>
  </xsl:template>

  <xsl:template name="tp:page-footer">
    <footer class="site-footer">
      <div class="site-footer-inner">
        <p>
          <xsl:text>{$tp:edition-title}</xsl:text>
          <xsl:if test="exists($tp:edition-editors)">{tp:message('edition.edited-by-inline', string-join($tp:edition-editors, ', '))}</xsl:if>
          <xsl:if test="$tp:edition-publisher">. {$tp:edition-publisher}</xsl:if>
          <xsl:if test="$tp:edition-year">, {$tp:edition-year}</xsl:if>
          <xsl:text>.</xsl:text>
        </p>
        <xsl:if test="$edition-footer">
          <p class="edition-footer">{$edition-footer}</p>
        </xsl:if>
        <xsl:for-each select="$edition/*/teiHeader/fileDesc/publicationStmt/availability">
          <p class="licence">
            <xsl:for-each select="licence">
              <xsl:variable name="url" select="tp:safe-url(@target)"/>
              <xsl:choose>
                <xsl:when test="$url"><a rel="license" href="{$url}">{normalize-space(.)}</a></xsl:when>
                <xsl:otherwise>{normalize-space(.)}</xsl:otherwise>
              </xsl:choose>
              <xsl:text> </xsl:text>
            </xsl:for-each>
            <xsl:value-of select="p!normalize-space(.)" separator=" "/>
          </p>
        </xsl:for-each>
        <p class="made-with">
          <xsl:call-template name="tp:message-around">
            <xsl:with-param name="message" select="tp:message('footer.made-with')"/>
            <xsl:with-param name="inserted" as="element()"><a href="{$site-root}guide.html">{tp:message('footer.guide')}</a></xsl:with-param>
          </xsl:call-template>
        </p>
        <xsl:call-template name="tp:footer-credits"/>
      </div>
    </footer>
  </xsl:template>

  <!-- The notices of the libraries a page uses (html/facsimile.xsl: OpenSeadragon's); none by default. -->
  <xsl:template name="tp:footer-credits"/>

  <!-- A value as JSON that is safe inside a <script> element or a script file: the HTML parser ends or
       re-enters a script at "&lt;/script", at a comment opener followed by "&lt;script", whatever the JavaScript or JSON around it, so
       every "<", ">" and "&" is written as its \u escape (in JSON they occur only inside strings, where
       the escape means the same character). Every embedded data block of the site goes through here. -->
  <xsl:function name="tp:script-json" as="xs:string">
    <xsl:param name="value" as="item()*"/>
    <xsl:sequence select="serialize($value, map {'method': 'json', 'escape-solidus': false()})
      => replace('&lt;', '\\u003c') => replace('&gt;', '\\u003e') => replace('&amp;', '\\u0026')"/>
  </xsl:function>

  <!-- A document page's address relative to the site root, and its permalink when the site knows its URL. -->
  <xsl:function name="tp:document-path" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="'documents/' || encode-for-uri($id) || '.html'"/>
  </xsl:function>

  <xsl:function name="tp:permalink" as="xs:string">
    <xsl:param name="path" as="xs:string"/>
    <xsl:sequence select="if ($base-url) then $base-url || $path else $path"/>
  </xsl:function>

  <!-- The media type of a favicon, by its file's suffix (teipress.toml allows .svg, .png and .ico). -->
  <xsl:function name="tp:image-type" as="xs:string">
    <xsl:param name="path" as="xs:string"/>
    <xsl:sequence select="if (ends-with($path, '.svg')) then 'image/svg+xml' else if (ends-with($path, '.png')) then 'image/png' else 'image/x-icon'"/>
  </xsl:function>
</xsl:stylesheet>

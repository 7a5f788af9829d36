<?xml version="1.0" encoding="UTF-8"?>
<!--
  The facsimile beside the reading text of a document page: a panel that assets/facsimile.js fills with
  OpenSeadragon from the document's IIIF manifest (iiif.py decides which pages have images and writes
  it; one source for the site and for other IIIF software), the "Text" / "Facsimile" tabs a phone shows
  instead of two columns, the scripts, and the viewer's credit in the footer.

  The reading text marks what the manifest's annotations select (text.xsl): each page break with an image
  data-canvas="p{n}" (the n-th pb with @facs), each element linked to zones data-facs="zone-id ...", and
  the panel adds an empty span[data-text-end] after the text, where the last page's part ends.
  Without JavaScript the panel and the tabs stay hidden: the page breaks still link to their images.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <!-- The document's IIIF manifest relative to its page (iiif.manifest_path), or '' when it has no page images. -->
  <xsl:param name="facsimile-manifest" as="xs:string" select="''"/>

  <!-- The viewer's scripts, in the page's head. -->
  <xsl:template name="tp:facsimile-scripts">
    <xsl:if test="$facsimile-manifest">
      <script src="{tp:asset('openseadragon.min.js')}" defer="defer"></script>
      <script src="{tp:asset('facsimile.js')}" defer="defer"></script>
    </xsl:if>
  </xsl:template>

  <!-- The tabs (a phone's) and the panel, placed before the reading text. The buttons' symbols are the
       stylesheet's (site.css); their names, for screen readers and tooltips, the catalogue's. -->
  <xsl:template name="tp:facsimile-panel">
    <xsl:if test="$facsimile-manifest">
      <div class="facsimile-tabs" role="tablist" aria-label="{tp:message('facsimile.views')}" hidden="" data-pagefind-ignore="all">
        <button type="button" role="tab" id="facsimile-tab-text" aria-selected="true">{tp:message('facsimile.tab-text')}</button>
        <button type="button" role="tab" id="facsimile-tab-image" aria-selected="false" aria-controls="facsimile" tabindex="-1">{tp:message('facsimile.tab-image')}</button>
      </div>
      <section class="facsimile" id="facsimile" aria-labelledby="facsimile-heading" data-manifest="{$facsimile-manifest}" hidden="" data-pagefind-ignore="all">
        <h2 id="facsimile-heading" class="visually-hidden">{tp:message('facsimile.heading')}</h2>
        <div class="facsimile-toolbar" role="toolbar" aria-label="{tp:message('facsimile.toolbar')}">
          <button type="button" data-action="previous" aria-label="{tp:message('facsimile.previous')}" title="{tp:message('facsimile.previous')}"></button>
          <span class="facsimile-page" aria-live="polite"></span>
          <button type="button" data-action="next" aria-label="{tp:message('facsimile.next')}" title="{tp:message('facsimile.next')}"></button>
          <button type="button" data-action="zoom-in" aria-label="{tp:message('facsimile.zoom-in')}" title="{tp:message('facsimile.zoom-in')}"></button>
          <button type="button" data-action="zoom-out" aria-label="{tp:message('facsimile.zoom-out')}" title="{tp:message('facsimile.zoom-out')}"></button>
          <button type="button" data-action="home" title="{tp:message('facsimile.home')}">{tp:message('facsimile.home')}</button>
        </div>
        <div class="facsimile-viewer" role="region" aria-label="{tp:message('facsimile.viewer')}"></div>
        <p class="facsimile-status" role="status"></p>
      </section>
    </xsl:if>
  </xsl:template>

  <!-- Where the text of the last page ends, for its annotation's RangeSelector. -->
  <xsl:template name="tp:facsimile-text-end">
    <xsl:if test="$facsimile-manifest">
      <span data-text-end="" hidden=""></span>
    </xsl:if>
  </xsl:template>

  <!-- OpenSeadragon's licence asks for its notice with the site: in the footer of the pages that use it. -->
  <xsl:template name="tp:footer-credits">
    <xsl:if test="$facsimile-manifest">
      <p class="credits">
        <xsl:call-template name="tp:message-around">
          <xsl:with-param name="message" select="tp:message('footer.credits')"/>
          <xsl:with-param name="inserted" as="element()"><a href="{tp:asset('openseadragon-LICENSE.txt')}">{tp:message('footer.credits-viewer')}</a></xsl:with-param>
        </xsl:call-template>
      </p>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

<?xml version="1.0" encoding="UTF-8"?>
<!--
  The encoding guide page (guide.html): every element and attribute class of the schema, with its
  meaning, example, HTML and PDF appearance. Source: the guide that teipress reads from the schema's
  own documentation (guide.py, namespace https://teipress.org/ns/guide), the same as docs/GUIDE.md.
  Every string reaches the page as text.
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tp="https://teipress.org/ns/xslt"
  xmlns:g="https://teipress.org/ns/guide"
  xpath-default-namespace="http://www.tei-c.org/ns/1.0"
  exclude-result-prefixes="#all"
  expand-text="yes">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" include-content-type="no" indent="no"/>
  <xsl:mode use-accumulators="#all" on-no-match="fail" on-multiple-match="fail"/>
  <xsl:mode name="tp:guide" on-no-match="fail" on-multiple-match="fail"/>

  <xsl:template match="/">
    <xsl:call-template name="tp:page">
      <xsl:with-param name="title" select="tp:message('guide.title')"/>
      <xsl:with-param name="current" select="'guide'"/>
      <xsl:with-param name="path" select="'guide.html'"/>
      <xsl:with-param name="description" select="tp:message('guide.description', $tp:edition-title)"/>
      <xsl:with-param name="content" as="node()*">
        <header class="register-header">
          <h1>{tp:message('guide.title')}</h1>
          <p class="register-count">{tp:message('guide.intro')}</p>
        </header>
        <nav class="guide-index" aria-label="{tp:message('guide.elements')}">
          <ul>
            <xsl:for-each select="g:guide/g:element">
              <li><a href="#element-{@name}"><code>{@name}</code></a></li>
            </xsl:for-each>
          </ul>
        </nav>
        <section aria-labelledby="elements-heading">
          <h2 id="elements-heading">{tp:message('guide.elements')}</h2>
          <xsl:apply-templates select="g:guide/g:element" mode="tp:guide"/>
        </section>
        <section aria-labelledby="classes-heading">
          <h2 id="classes-heading">{tp:message('guide.classes')}</h2>
          <p>{tp:message('guide.classes-intro')}</p>
          <xsl:apply-templates select="g:guide/g:class" mode="tp:guide"/>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="g:element" mode="tp:guide">
    <section class="guide-entry" id="element-{@name}" aria-labelledby="element-{@name}-heading">
      <h3 id="element-{@name}-heading"><code>{@name}</code></h3>
      <p>{g:meaning}</p>
      <pre class="guide-example"><code>{g:example}</code></pre>
      <dl>
        <dt>HTML</dt>
        <dd>{g:html}</dd>
        <dt>PDF</dt>
        <dd>{g:pdf}</dd>
        <xsl:if test="g:class-ref">
          <dt>{tp:message('guide.classes')}</dt>
          <dd>
            <xsl:for-each select="g:class-ref">
              <xsl:if test="position() gt 1">, </xsl:if>
              <a href="#class-{@name}">{@name}</a>
            </xsl:for-each>
          </dd>
        </xsl:if>
        <xsl:for-each select="([tp:message('guide.inside'), g:inside], [tp:message('guide.contains'), g:contains])[exists(?2)]">
          <dt>{?1}</dt>
          <dd>
            <xsl:for-each select="?2">
              <xsl:if test="position() gt 1">, </xsl:if>
              <a href="#element-{@name}"><code>{@name}</code></a>
            </xsl:for-each>
          </dd>
        </xsl:for-each>
      </dl>
      <xsl:call-template name="tp:guide-attributes"/>
    </section>
  </xsl:template>

  <xsl:template match="g:class" mode="tp:guide">
    <section class="guide-entry" id="class-{@name}" aria-labelledby="class-{@name}-heading">
      <h3 id="class-{@name}-heading">{@name}</h3>
      <p>{g:meaning}</p>
      <xsl:call-template name="tp:guide-attributes"/>
    </section>
  </xsl:template>

  <xsl:template name="tp:guide-attributes">
    <xsl:if test="g:attribute">
      <table class="guide-attributes">
        <thead>
          <tr><th scope="col">{tp:message('guide.attribute')}</th><th scope="col">{tp:message('guide.meaning')}</th><th scope="col">{tp:message('guide.value')}</th></tr>
        </thead>
        <tbody>
          <xsl:for-each select="g:attribute">
            <tr>
              <td><code>@{@name}</code>{if (@required = 'true') then ' ' || tp:message('guide.required') else ''}</td>
              <td>{.}</td>
              <td>{@values}</td>
            </tr>
          </xsl:for-each>
        </tbody>
      </table>
    </xsl:if>
  </xsl:template>
</xsl:stylesheet>

/* teipress site script: entity popovers, the reading views, the entity colours, the markup toggle, the document list's filters and
   sorting, the citation copy button and the search page. No dependencies; every page works
   without it (popovers degrade to the register links in the metadata and registers).
   Its words come from assets/messages-{language}.js (window.teipressMessages: the message catalogue's js.*
   entries in the edition's language, written by xslt/html/messages-script.xsl): none is written here. */
(function () {
  "use strict";

  var root = document.documentElement.getAttribute("data-site-root") || "";
  /* Register entries by id, as their popover data scripts deliver them (null: the site has no such entry). */
  var registers = {};
  var messages = window.teipressMessages || {};

  /* The page's word for `key`, with {1} replaced by `value`; the key itself should the page lack it. */
  function t(key, value) {
    var text = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
    return value === undefined ? text : text.replace("{1}", function () { return value; });
  }

  /* The marks of a text: its marked names, [data-entity], and its alternates (readings of one place), by the tei-
     class of a choice, app or subst or the class alternate (xslt/html/text.xsl, tp:behaviour-class). */
  var ALTERNATES = ".tei-choice, .tei-app, .tei-subst, .alternate";
  var MARKS = "[data-entity], " + ALTERNATES;
  // Each selector spelled out rather than :is(), which older browsers reject (a SyntaxError would stop the script).
  var TEXT_MARKS = MARKS.split(", ").map(function (selector) { return ".reading-text " + selector; }).join(", ");
  function isAlternate(mark) {
    return mark.matches(ALTERNATES);
  }

  /* A marked name's kind, from its class entity-{kind}, or the tei- class of a name which the page leaves to say it
     (persName, placeName, orgName: the stylesheets' map, in assets/messages-{language}.js). */
  var KIND_OF_CLASS = window.teipressKindOfClass || {};
  function kindOf(trigger) {
    var match = /(?:^|\s)entity-(\S+)/.exec(trigger.className);
    if (match) return match[1];
    for (var i = 0; i < trigger.classList.length; i++) {
      var name = trigger.classList[i];
      if (Object.prototype.hasOwnProperty.call(KIND_OF_CLASS, name)) return KIND_OF_CLASS[name];
    }
    return "";
  }

  function kindLabel(kind) {
    return Object.prototype.hasOwnProperty.call(messages, "kind." + kind) ? messages["kind." + kind] : "";
  }

  /* Only the registers' own entries: an id such as "constructor" must not find Object's properties. */
  function entryOf(id) {
    return Object.prototype.hasOwnProperty.call(registers, id) ? registers[id] : null;
  }

  /* An entry's file name in the site, as xslt/html/text.xsl's tp:entry-file makes it: a-z, 0-9 and
     "-" stay, a capital is "_" and its small letter, any other character "." hex code point "."; a
     name over 150 characters is cut at 140 and ends in "~" and a checksum; a Windows device name gets "~". */
  function entryFile(id) {
    var name = "";
    var sum = 0;
    for (var i = 0; i < id.length; i++) {
      var code = id.codePointAt(i);
      if (code > 0xffff) i++;
      sum = (sum * 31 + code) % 4294967296;
      if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 45) name += String.fromCodePoint(code);
      else if (code >= 65 && code <= 90) name += "_" + String.fromCodePoint(code + 32);
      else name += "." + code.toString(16) + ".";
    }
    if (name.length > 150) return name.slice(0, 140) + "~" + sum.toString(16);
    return /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/.test(name) ? "~" + name : name;
  }

  /* Each entry's popover data is a small script (assets/entries/{file}.js, which calls
     teipressEntry): loaded once, when a page names the entry. A script rather than fetch(), so
     that the popovers work from file:// too. `done` runs when every id is known or known missing. */
  var waiting = {};
  window.teipressEntry = function (entry) {
    if (!entry || typeof entry.id !== "string" || !Object.prototype.hasOwnProperty.call(waiting, entry.id)) return;
    registers[entry.id] = entry;
  };

  function loadEntries(ids, done) {
    var pending = 0;
    function settle(id) {
      if (!Object.prototype.hasOwnProperty.call(registers, id)) registers[id] = null;
      var callbacks = waiting[id];
      waiting[id] = [];
      callbacks.forEach(function (callback) { callback(); });
    }
    function one() { if (--pending === 0) done(); }
    ids.forEach(function (id) {
      if (!id || Object.prototype.hasOwnProperty.call(registers, id)) return;
      pending++;
      if (Object.prototype.hasOwnProperty.call(waiting, id) && waiting[id].length) { waiting[id].push(one); return; }
      waiting[id] = [one];
      var script = document.createElement("script");
      script.src = root + "assets/entries/" + entryFile(id) + ".js";
      script.onload = function () { settle(id); };
      script.onerror = function () { settle(id); };
      document.head.appendChild(script);
    });
    if (pending === 0) done();
  }

  function el(name, className, text) {
    var node = document.createElement(name);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  /* ---------------------------------------------------------------- popovers */
  var popover = null;
  var current = null;

  function ensurePopover() {
    if (popover) return popover;
    popover = el("div", "popover");
    popover.id = "tp-popover";
    popover.setAttribute("role", "dialog");
    popover.setAttribute("aria-modal", "false");
    popover.setAttribute("aria-labelledby", "tp-popover-title");
    popover.tabIndex = -1;
    popover.hidden = true;
    document.body.appendChild(popover);
    popover.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); closePopover(true); }
    });
    popover.addEventListener("focusout", function (event) {
      if (!popover.hidden && event.relatedTarget && !popover.contains(event.relatedTarget) && event.relatedTarget !== current) closePopover(false);
    });
    return popover;
  }

  function entryContent(container, id, surface) {
    var entry = entryOf(id);
    var kind = entry ? entry.kind : (container.dataset.kind || "");
    container.appendChild(el("p", "popover-kind", kindLabel(kind) || t("kind.name")));
    var title = el("p", "popover-name", entry ? entry.name : surface);
    container.appendChild(title);
    if (entry) {
      if (entry.dates) container.appendChild(el("p", "popover-dates", entry.dates));
      if (entry.also) container.appendChild(el("p", "popover-also", (kind === "bibl" ? "" : t("label", t("also"))) + entry.also));
      if (entry.description) container.appendChild(el("p", "popover-description", entry.description));
      var more = el("p", "popover-link");
      // An event's place is the chronology (its year's page), not a register.
      var link = el("a", "", t(kind === "event" ? "chronology-link" : "register-link"));
      link.href = root + entry.href;
      more.appendChild(link);
      container.appendChild(more);
    } else {
      container.appendChild(el("p", "popover-description", t("no-entry")));
      // What the source itself says of the name: its key and an authority record, if it gives them.
      if (container.dataset.label && container.dataset.label !== surface) container.appendChild(el("p", "popover-also", container.dataset.label));
      if (container.dataset.href) {
        var authority = el("p", "popover-link");
        var record = el("a", "", t("authority-record"));
        record.href = container.dataset.href;
        record.rel = "external noopener";
        authority.appendChild(record);
        container.appendChild(authority);
      }
    }
    return title;
  }

  /* Open the popover of a trigger once the data of the entries it names has loaded (at once when it has). */
  var opening = null;
  function openPopover(trigger) {
    opening = trigger;
    var ids = isAlternate(trigger) ? [] : (trigger.dataset.entity || "").split(/\s+/).filter(Boolean);
    loadEntries(ids, function () { if (opening === trigger) showPopover(trigger); });
  }

  function showPopover(trigger) {
    opening = null;
    var box = ensurePopover();
    if (current && current !== trigger) closePopover(false);
    box.textContent = "";
    var body = el("div", "popover-body");
    var firstTitle = null;
    if (isAlternate(trigger)) {
      body.appendChild(el("p", "popover-kind", t("other-readings")));
      firstTitle = el("p", "popover-name", t("readings-title"));
      body.appendChild(firstTitle);
      var list = el("dl", "popover-readings");
      trigger.querySelectorAll("[data-reading]").forEach(function (reading) {
        var key = "reading." + reading.dataset.reading;
        var label = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : reading.dataset.reading;
        /* the reading the current view shows (reading or diplomatic) is the one in the text */
        if (reading.getClientRects().length) label = t("in-the-text", label);
        list.appendChild(el("dt", "", label));
        list.appendChild(el("dd", "", reading.textContent.trim() || t("empty")));
      });
      body.appendChild(list);
    } else {
      var ids = (trigger.dataset.entity || "").split(/\s+/).filter(Boolean);
      var surface = trigger.textContent.trim();
      if (!ids.length) ids = [""];
      ids.forEach(function (id, index) {
        var part = el("div", "popover-entry");
        part.dataset.kind = kindOf(trigger);
        part.dataset.label = trigger.dataset.label || "";
        part.dataset.href = trigger.dataset.href || "";
        var title = entryContent(part, id, surface);
        if (index === 0) firstTitle = title;
        body.appendChild(part);
      });
    }
    firstTitle.id = "tp-popover-title";
    var close = el("button", "popover-close");
    close.type = "button";
    close.setAttribute("aria-label", t("close"));
    close.textContent = "×";
    close.addEventListener("click", function () { closePopover(true); });
    box.appendChild(close);
    box.appendChild(body);
    box.hidden = false;
    place(box, trigger);
    current = trigger;
    trigger.setAttribute("aria-expanded", "true");
    box.focus({ preventScroll: true });
  }

  function place(box, trigger) {
    if (window.matchMedia("(max-width: 40em)").matches) {
      box.style.left = ""; box.style.top = "";
      box.classList.add("popover-sheet");
      return;
    }
    box.classList.remove("popover-sheet");
    var rect = trigger.getBoundingClientRect();
    var width = box.offsetWidth;
    var left = Math.min(Math.max(8, rect.left + window.scrollX), window.scrollX + document.documentElement.clientWidth - width - 8);
    var top = rect.bottom + window.scrollY + 8;
    if (rect.bottom + box.offsetHeight + 16 > window.innerHeight && rect.top > box.offsetHeight + 16) top = rect.top + window.scrollY - box.offsetHeight - 8;
    box.style.left = left + "px";
    box.style.top = top + "px";
  }

  function closePopover(returnFocus) {
    opening = null;
    if (!popover || popover.hidden) return;
    popover.hidden = true;
    if (current) {
      current.setAttribute("aria-expanded", "false");
      if (returnFocus) current.focus();
    }
    current = null;
  }

  /* Marked names and variant readings take the keyboard's focus wherever they stand (text, notes, a register's
     passages), except inside a link; the pages leave that to this script, since they hold hundreds of them. */
  function makeMarksFocusable() {
    document.querySelectorAll(MARKS).forEach(function (mark) {
      if (!mark.closest("a")) mark.tabIndex = 0;
    });
  }

  function setUpPopovers() {
    var triggers = document.querySelectorAll(TEXT_MARKS);
    triggers.forEach(function (trigger) {
      trigger.setAttribute("role", "button");
      trigger.setAttribute("aria-haspopup", "dialog");
      trigger.setAttribute("aria-expanded", "false");
      if (!trigger.hasAttribute("tabindex")) trigger.tabIndex = 0;
      if (isAlternate(trigger) || trigger.hasAttribute("aria-label")) return;
      /* the entry's kind and standard name for screen readers, once its data has loaded */
      var id = (trigger.dataset.entity || "").split(/\s+/)[0];
      loadEntries([id], function () {
        var entry = entryOf(id);
        if (entry) trigger.setAttribute("aria-description", t("label", kindLabel(entry.kind)) + entry.name);
      });
    });
    document.addEventListener("click", function (event) {
      var trigger = event.target.closest && event.target.closest(TEXT_MARKS);
      if (trigger && !event.target.closest("a[href]")) {
        /* the innermost trigger wins: an entity inside a choice opens the entity */
        event.preventDefault();
        if (current === trigger && !popover.hidden) closePopover(true);
        else openPopover(trigger);
        return;
      }
      if (popover && !popover.hidden && !popover.contains(event.target)) closePopover(false);
    });
    document.addEventListener("keydown", function (event) {
      var trigger = event.target.closest && event.target.closest(TEXT_MARKS);
      if (trigger === event.target && (event.key === "Enter" || event.key === " ")) {
        event.preventDefault();
        openPopover(trigger);
      } else if (event.key === "Escape") {
        closePopover(true);
      }
    });
    window.addEventListener("resize", function () { if (current && popover && !popover.hidden) place(popover, current); });
  }

  /* ---------------------------------------------------------------- remembered settings */
  function remembered(key) {
    try { return window.localStorage.getItem(key); } catch (error) { return null; /* private mode */ }
  }

  function remember(key, value) {
    try { window.localStorage.setItem(key, value); } catch (error) { /* private mode */ }
  }

  /* ---------------------------------------------------------------- the reading toolbar */
  /* The view switch (where the page says the views differ: data-views), the colour and markup toggles and the
     legend (person, place, organisation, the further kinds of data-kinds, date), built from the toolbar's data
     (xslt/html/document.xsl): hidden until their set-up shows them, as without this script. */
  function buildReadingToolbar() {
    document.querySelectorAll(".reading-toolbar").forEach(function (toolbar) {
      if (toolbar.hasAttribute("data-views")) {
        var views = el("div", "view-switch");
        views.setAttribute("role", "group");
        views.setAttribute("aria-label", t("view.label"));
        views.hidden = true;
        ["reading", "diplomatic"].forEach(function (view) {
          var button = el("button", "", t("view." + view));
          button.type = "button";
          button.dataset.view = view;
          button.setAttribute("aria-pressed", view === "reading" ? "true" : "false");
          views.appendChild(button);
        });
        toolbar.appendChild(views);
      }
      [["colour-toggle", "legend.colours"], ["markup-toggle", "hide-markup"]].forEach(function (toggle) {
        var button = el("button", toggle[0], t(toggle[1]));
        button.type = "button";
        button.setAttribute("aria-pressed", "false");
        button.hidden = true;
        toolbar.appendChild(button);
      });
      var legend = el("ul", "legend");
      legend.setAttribute("aria-label", t("legend.label"));
      var kinds = (toolbar.getAttribute("data-kinds") || "").split(/\s+/).filter(Boolean);
      ["person", "place", "org"].concat(kinds, ["date"]).forEach(function (kind) {
        var item = el("li");
        item.appendChild(el("span", "swatch " + (kind === "date" ? "date" : "entity-" + kind)));
        item.appendChild(document.createTextNode(t("legend." + kind)));
        legend.appendChild(item);
      });
      toolbar.appendChild(legend);
    });
  }

  /* ---------------------------------------------------------------- reading views */
  /* The diplomatic or the reading view (site.css), for every page: html.view-diplomatic, remembered. */
  var VIEW_KEY = "teipress-view";

  function applyView(view) {
    document.documentElement.classList.toggle("view-diplomatic", view === "diplomatic");
    document.querySelectorAll("button[data-view]").forEach(function (button) {
      button.setAttribute("aria-pressed", button.dataset.view === view ? "true" : "false");
    });
  }

  function setUpReadingView() {
    applyView(remembered(VIEW_KEY) === "diplomatic" ? "diplomatic" : "reading");
    document.querySelectorAll(".view-switch").forEach(function (group) {
      group.hidden = false;
      group.addEventListener("click", function (event) {
        var button = event.target.closest("button[data-view]");
        if (!button) return;
        applyView(button.dataset.view);
        remember(VIEW_KEY, button.dataset.view);
      });
    });
  }

  /* ---------------------------------------------------------------- entity colours */
  /* Entities coloured by kind with the legend shown (html.entity-colours), remembered; calm by default. */
  var COLOURS_KEY = "teipress-entity-colours";

  function setUpEntityColours() {
    var button = document.querySelector(".colour-toggle");
    function apply(on) {
      document.documentElement.classList.toggle("entity-colours", on);
      if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
    }
    apply(remembered(COLOURS_KEY) === "1");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      var on = !document.documentElement.classList.contains("entity-colours");
      apply(on);
      remember(COLOURS_KEY, on ? "1" : "0");
    });
  }

  /* ---------------------------------------------------------------- markup toggle */
  function setUpMarkupToggle() {
    var button = document.querySelector(".markup-toggle");
    if (!button) return;
    button.hidden = false;
    function apply(plain) {
      document.body.classList.toggle("markup-hidden", plain);
      button.setAttribute("aria-pressed", plain ? "true" : "false");
      button.textContent = plain ? t("show-markup") : t("hide-markup");
    }
    apply(remembered("teipress-markup-hidden") === "1");
    button.addEventListener("click", function () {
      var plain = !document.body.classList.contains("markup-hidden");
      apply(plain);
      remember("teipress-markup-hidden", plain ? "1" : "0");
    });
  }

  /* ---------------------------------------------------------------- the document list */
  function setUpDocumentList() {
    var table = document.querySelector("table.document-list");
    var form = document.querySelector("form.document-filters");
    if (!table) return;
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var shown = document.querySelector(".document-count .shown");

    function filter() {
      if (!form) return;
      var text = form.elements.text.value.trim().toLowerCase();
      var type = form.elements.type.value, sender = form.elements.sender.value, addressee = form.elements.addressee.value;
      var from = parseInt(form.elements.from.value, 10), to = parseInt(form.elements.to.value, 10);
      var count = 0;
      rows.forEach(function (row) {
        var year = parseInt(row.dataset.year, 10);
        var visible = (!text || row.dataset.title.toLowerCase().indexOf(text) >= 0)
          && (!type || row.dataset.type === type)
          && (!sender || row.dataset.sender === sender)
          && (!addressee || row.dataset.addressee === addressee)
          && (isNaN(from) || (!isNaN(year) && year >= from))
          && (isNaN(to) || (!isNaN(year) && year <= to));
        row.hidden = !visible;
        if (visible) count += 1;
      });
      if (shown) shown.textContent = String(count);
    }

    if (form) {
      form.hidden = false;
      form.addEventListener("input", filter);
      form.addEventListener("change", filter);
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      form.addEventListener("reset", function () { window.setTimeout(filter, 0); });
    }

    table.querySelectorAll("th[data-sort]").forEach(function (header) {
      var button = el("button", "sort-button");
      button.type = "button";
      button.textContent = header.textContent;
      header.textContent = "";
      header.appendChild(button);
      button.addEventListener("click", function () {
        var key = header.dataset.sort;
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        table.querySelectorAll("th[data-sort]").forEach(function (other) { other.removeAttribute("aria-sort"); });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        rows.sort(function (a, b) {
          var x = a.dataset[key] || "", y = b.dataset[key] || "";
          if (!x && y) return 1;
          if (x && !y) return -1;
          var order = x.localeCompare(y, document.documentElement.lang || undefined, { sensitivity: "base", numeric: true });
          if (order === 0) order = (a.dataset.date || "").localeCompare(b.dataset.date || "");
          return ascending ? order : -order;
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  /* ---------------------------------------------------------------- citation */
  function setUpCitation() {
    var button = document.querySelector(".copy-citation");
    var citation = document.querySelector(".citation");
    if (!button || !citation || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(citation.textContent.replace(/\s+/g, " ").trim()).then(function () {
        button.textContent = t("copied");
        window.setTimeout(function () { button.textContent = t("copy-citation"); }, 2000);
      }, function () { button.textContent = t("copy-failed"); });
    });
  }

  /* ---------------------------------------------------------------- search */
  /* Pagefind's JavaScript API (pagefind/pagefind.js) with our own interface: every title, excerpt and
     filter value reaches the page as text (Pagefind's bundled interface inserts filter values as HTML,
     so a name such as "<img onerror=...>" in a source would run as script). */
  var FILTER_ORDER = ["type", "year", "sender", "addressee", "person", "place"];

  function filterLabel(name) {
    return Object.prototype.hasOwnProperty.call(messages, "filter." + name) ? messages["filter." + name] : name;
  }

  /* "1 document found", "3 documents found": French counts 0 and 1 as singular (as xslt/common/language.xsl). */
  function found(count) {
    var singular = document.documentElement.lang === "fr" ? count <= 1 : count === 1;
    return t(singular ? "found.one" : "found.other", String(count));
  }

  /* An excerpt of a page's text around its first match, the matched words marked. Built from the text
     Pagefind stores (`content`, as the page shows it) and the matches' word positions, not from Pagefind's
     HTML excerpt, which leaves "&amp;" or "&lt;" written in a source to be read as markup. */
  var EXCERPT_WORDS = 30;
  function excerptNode(content, locations) {
    var paragraph = el("p", "search-result-excerpt");
    var words = (content || "").split(/\s+/);
    var first = locations && locations.length ? Math.min.apply(null, locations) : 0;
    var start = Math.max(0, Math.min(first - EXCERPT_WORDS / 2, words.length - EXCERPT_WORDS));
    var end = Math.min(words.length, start + EXCERPT_WORDS);
    var marked = {};
    (locations || []).forEach(function (location) { marked[location] = true; });
    if (start > 0) paragraph.appendChild(document.createTextNode("… "));
    for (var index = start; index < end; index += 1) {
      if (index > start) paragraph.appendChild(document.createTextNode(" "));
      if (marked[index]) paragraph.appendChild(el("mark", "", words[index]));
      else paragraph.appendChild(document.createTextNode(words[index]));
    }
    if (end < words.length) paragraph.appendChild(document.createTextNode(" …"));
    return paragraph;
  }

  /* The index is written in chunks (src/teipress/search.py), so that a rebuild indexes only the chunk of a
     changed page: pagefind/ holds the first, pagefind/chunks.json names the others, each merged here into
     the one search (Pagefind's mergeIndex), whose results and filter counts then span them all. */
  function mergeIndexChunks(pagefind) {
    var site = new URL(root + "./", window.location.href);
    return fetch(new URL("pagefind/chunks.json", site).href).then(function (response) {
      return response.ok ? response.json() : { chunks: [] };
    }).then(function (list) {
      return Promise.all((list.chunks || []).map(function (folder) {
        /* baseUrl: the pages' links as the first bundle writes them, from the site's root (not the chunk's origin) */
        return pagefind.mergeIndex(new URL(folder, site).href, { baseUrl: site.pathname });
      }));
    });
  }

  function setUpSearch() {
    var container = document.getElementById("search");
    if (!container) return;
    if (window.location.protocol === "file:") {
      var notice = document.querySelector(".search-offline");
      if (notice) notice.hidden = false;
      return;
    }
    var form = el("form", "search-form");
    form.setAttribute("role", "search");
    var label = el("label", "visually-hidden", container.dataset.placeholder);
    label.htmlFor = "search-input";
    var input = el("input", "search-input");
    input.id = "search-input";
    input.type = "search";
    input.placeholder = container.dataset.placeholder;
    input.autocomplete = "off";
    form.appendChild(label);
    form.appendChild(input);
    var filters = el("div", "search-filter-panel");
    var status = el("p", "search-status");
    status.setAttribute("role", "status");
    var results = el("ol", "search-results");
    container.appendChild(form);
    container.appendChild(filters);
    container.appendChild(status);
    container.appendChild(results);
    form.addEventListener("submit", function (event) { event.preventDefault(); run(); });

    var pagefind = null;
    var chosen = {};

    function selectedFilters() {
      var selected = {};
      Object.keys(chosen).forEach(function (name) {
        var values = Object.keys(chosen[name]).filter(function (value) { return chosen[name][value]; });
        if (values.length) selected[name] = { any: values };
      });
      return selected;
    }

    function showFilters(available) {
      filters.textContent = "";
      Object.keys(available).sort(function (a, b) {
        return FILTER_ORDER.indexOf(a) - FILTER_ORDER.indexOf(b);
      }).forEach(function (name) {
        var values = Object.keys(available[name]).sort(function (a, b) { return a.localeCompare(b, undefined, { numeric: true }); });
        if (!values.length) return;
        var details = el("details", "search-filter");
        var summary = el("summary", "", filterLabel(name));
        details.appendChild(summary);
        var fieldset = el("fieldset");
        fieldset.appendChild(el("legend", "visually-hidden", filterLabel(name)));
        chosen[name] = chosen[name] || {};
        values.forEach(function (value, index) {
          var row = el("div", "search-filter-value");
          var box = el("input");
          box.type = "checkbox";
          box.id = "filter-" + name + "-" + index;
          box.value = value;
          box.checked = !!chosen[name][value];
          if (box.checked) details.open = true;
          box.addEventListener("change", function () { chosen[name][value] = box.checked; run(); });
          var text = el("label", "search-filter-label", value + " (" + available[name][value] + ")");
          text.htmlFor = box.id;
          row.appendChild(box);
          row.appendChild(text);
          fieldset.appendChild(row);
        });
        details.appendChild(fieldset);
        filters.appendChild(details);
      });
    }

    function resultItem(data) {
      var item = el("li", "search-result");
      var title = el("p", "search-result-title");
      var link = el("a", "search-result-link", (data.meta && data.meta.title) || data.url);
      link.href = data.url;
      title.appendChild(link);
      item.appendChild(title);
      item.appendChild(excerptNode(data.content, data.locations));
      var parts = (data.sub_results || []).filter(function (sub) { return sub.url !== data.url; }).slice(0, 3);
      if (parts.length) {
        var list = el("ul", "search-subresults");
        parts.forEach(function (sub) {
          var part = el("li");
          var partLink = el("a", "search-result-link", sub.title);
          partLink.href = sub.url;
          part.appendChild(partLink);
          part.appendChild(excerptNode(data.content, sub.locations));
          list.appendChild(part);
        });
        item.appendChild(list);
      }
      return item;
    }

    var latest = 0;
    function run() {
      if (!pagefind) return;
      var term = input.value.trim();
      var selected = selectedFilters();
      var ticket = ++latest;
      if (!term && !Object.keys(selected).length) {
        results.textContent = "";
        status.textContent = "";
        return;
      }
      pagefind.search(term || null, { filters: selected }).then(function (search) {
        if (ticket !== latest) return null;
        return Promise.all(search.results.slice(0, 20).map(function (result) { return result.data(); })).then(function (pages) {
          if (ticket !== latest) return;
          results.textContent = "";
          pages.forEach(function (data) { results.appendChild(resultItem(data)); });
          status.textContent = found(search.results.length);
        });
      }).catch(function () { status.textContent = t("search-failed"); });
    }

    var pending = null;
    input.addEventListener("input", function () {
      window.clearTimeout(pending);
      pending = window.setTimeout(run, 200);
    });

    import(new URL(root + "pagefind/pagefind.js", window.location.href).href).then(function (module) {
      return module.init().then(function () { return mergeIndexChunks(module); }).then(function () {
        pagefind = module;  /* searched only once every chunk is merged, so no result is missing */
        return pagefind.filters();
      });
    }).then(function (available) {
      showFilters(available || {});
      var query = new URLSearchParams(window.location.search).get("q");
      if (query) input.value = query;
      run();
    }).catch(function () { status.textContent = t("search-failed"); });
  }

  /* The view and the colours before the page is first drawn where possible (this script is deferred). */
  buildReadingToolbar();
  setUpReadingView();
  setUpEntityColours();

  function start() {
    makeMarksFocusable();
    setUpPopovers();
    setUpMarkupToggle();
    setUpDocumentList();
    setUpCitation();
    setUpSearch();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();

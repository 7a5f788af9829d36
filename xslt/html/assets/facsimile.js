/* teipress facsimile viewer: the page images of a document beside its reading text, with OpenSeadragon
   (assets/openseadragon.min.js, BSD licence, see assets/openseadragon-LICENSE.txt).

   It reads the document's IIIF Presentation 3 manifest (section.facsimile[data-manifest], written by
   teipress's iiif.py), the one description of the pages that other IIIF software reads too:
   - each canvas is a page: its image as tiles when the manifest names a IIIF Image service, else as one image;
   - the canvas's "supplementing" annotation selects the page's part of this page's text (a RangeSelector whose
     start is the page break, [data-canvas="p2"]): scrolling the text past a page break turns the image;
   - the zone annotations select the elements drawn in a region ([data-facs~="zone-id"]) and target the region
     (#xywh=): a click on such an element, or Enter on it, shows the page and outlines the region.
   On a phone (700 px or narrower) the text and the image are two tabs instead of two columns.
   Its words come from assets/messages-{language}.js (window.teipressMessages, js.* of the message catalogue). */
(function () {
  "use strict";

  var panel = document.querySelector("section.facsimile[data-manifest]");
  if (!panel || typeof OpenSeadragon !== "function") { return; }
  var body = panel.parentElement;
  var text = document.querySelector(".reading-text");
  var tabs = document.querySelector(".facsimile-tabs");
  var status = panel.querySelector(".facsimile-status");
  var pageLabel = panel.querySelector(".facsimile-page");
  var phone = window.matchMedia("(max-width: 700px)");
  var messages = window.teipressMessages || {};
  var manifestUrl = new URL(panel.getAttribute("data-manifest"), document.baseURI);
  var pages = [];
  var viewer = null;
  var current = -1;
  var pendingZone = null;
  var opening = false;  // a page's image is being opened: a zone waits for it (opening clears the overlays)

  function t(key, values) {
    var words = Object.prototype.hasOwnProperty.call(messages, key) ? messages[key] : key;
    (values || []).forEach(function (value, index) {
      words = words.replace("{" + (index + 1) + "}", function () { return String(value); });
    });
    return words;
  }

  function firstValue(languageMap) {
    if (!languageMap || typeof languageMap !== "object") { return ""; }
    var keys = Object.keys(languageMap);
    return keys.length && Array.isArray(languageMap[keys[0]]) ? String(languageMap[keys[0]][0] || "") : "";
  }

  function list(value) { return Array.isArray(value) ? value : value ? [value] : []; }

  /* An address of the manifest as this copy of the site reaches it: the manifest names the site's files at its
     published address (base_url), which a preview (teipress serve) or a copy elsewhere is not. */
  var publishedRoot = null;
  var localRoot = new URL("../", manifestUrl).href;
  function address(id) {
    try {
      var url = new URL(id, manifestUrl).href;
      return publishedRoot && url.indexOf(publishedRoot) === 0 ? localRoot + url.slice(publishedRoot.length) : url;
    } catch (error) { return null; }
  }

  function select(selector) {
    try { return text ? Array.prototype.slice.call(text.querySelectorAll(selector)) : []; } catch (error) { return []; }
  }

  /* One page per canvas: its image (tile source), label, size, page break and zones, from the manifest alone. */
  function readPages(manifest) {
    return list(manifest.items).filter(function (canvas) { return canvas && canvas.type === "Canvas"; }).map(function (canvas) {
      var painting = null;
      list(canvas.items).forEach(function (annotationPage) {
        list(annotationPage.items).forEach(function (annotation) {
          if (!painting && annotation.motivation === "painting" && annotation.body) { painting = annotation.body; }
        });
      });
      var page = { label: firstValue(canvas.label), width: canvas.width, height: canvas.height, start: null, zones: [], tiles: null };
      if (painting) {
        var service = list(painting.service).filter(function (s) { return /^ImageService[23]$/.test(s.type || s["@type"] || ""); })[0];
        var serviceId = service ? address(service.id || service["@id"]) : null;
        var imageId = address(painting.id);
        page.tiles = serviceId ? serviceId.replace(/\/$/, "") + "/info.json" : imageId ? { type: "image", url: imageId } : null;
      }
      list(canvas.annotations).forEach(function (annotationPage) {
        list(annotationPage.items).forEach(function (annotation) {
          var selector = annotation.body && annotation.body.selector;
          if (!selector) { return; }
          if (selector.type === "RangeSelector" && selector.startSelector && selector.startSelector.type === "CssSelector") {
            page.start = select(selector.startSelector.value)[0] || null;
          } else if (selector.type === "CssSelector") {
            var region = /#xywh=(\d+),(\d+),(\d+),(\d+)$/.exec(typeof annotation.target === "string" ? annotation.target : "");
            if (region) {
              page.zones.push({ elements: select(selector.value), x: +region[1], y: +region[2], w: +region[3], h: +region[4] });
            }
          }
        });
      });
      return page;
    }).filter(function (page) { return page.tiles; });
  }

  function showPage(index) {
    if (index < 0 || index >= pages.length) { return; }
    if (index !== current) {
      current = index;
      opening = true;
      viewer.goToPage(index);
    }
    pageLabel.textContent = t("facsimile-page", [pages[index].label, pages.length]);
    // aria-disabled, not disabled: a disabled button would drop the keyboard's focus.
    panel.querySelector("[data-action=previous]").setAttribute("aria-disabled", index === 0 ? "true" : "false");
    panel.querySelector("[data-action=next]").setAttribute("aria-disabled", index === pages.length - 1 ? "true" : "false");
  }

  /* The page whose break the reader has scrolled past last (the first before any break). */
  function pageAtScroll() {
    var line = window.innerHeight * 0.35;
    var found = 0;
    pages.forEach(function (page, index) {
      if (page.start && page.start.getBoundingClientRect().top < line) { found = index; }
    });
    return found;
  }

  /* A page the reader chose (a zone, the toolbar) stays until scrolling reaches another page break than the
     one the text was at when they chose it. */
  var scrollQueued = false;
  var heldAt = null;
  function hold() { heldAt = pages.some(function (page) { return page.start; }) ? pageAtScroll() : null; }
  function followScroll() {
    if (scrollQueued || body.classList.contains("showing-facsimile")) { return; }
    scrollQueued = true;
    window.requestAnimationFrame(function () {
      scrollQueued = false;
      if (!pages.some(function (page) { return page.start; })) { return; }
      var index = pageAtScroll();
      if (index === heldAt) { return; }
      heldAt = null;
      showPage(index);
    });
  }

  /* Outline a zone on its page, once the page's image is open. */
  function showZone(index, zone) {
    document.querySelectorAll(".facs-active").forEach(function (element) { element.classList.remove("facs-active"); });
    zone.elements.forEach(function (element) { element.classList.add("facs-active"); });
    if (phone.matches) { showTab("image", false); } else { hold(); }
    pendingZone = zone;
    if (index !== current) { showPage(index); } else { drawZone(); }
  }

  function drawZone() {
    var zone = pendingZone;
    var item = viewer.world.getItemAt(0);
    if (!zone || !item || opening) { return; }
    pendingZone = null;
    var page = pages[current];
    var size = item.getContentSize();
    var scaleX = size.x / (page.width || size.x);
    var scaleY = size.y / (page.height || size.y);
    var rect = item.imageToViewportRectangle(zone.x * scaleX, zone.y * scaleY, zone.w * scaleX, zone.h * scaleY);
    viewer.clearOverlays();
    var outline = document.createElement("div");
    outline.className = "facsimile-zone";
    viewer.addOverlay({ element: outline, location: rect });
    viewer.viewport.fitBounds(new OpenSeadragon.Rect(rect.x - rect.width * 0.4, rect.y - rect.height * 0.6, rect.width * 1.8, rect.height * 2.2));
  }

  function linkZones() {
    pages.forEach(function (page, index) {
      page.zones.forEach(function (zone) {
        zone.elements.forEach(function (element) {
          element.classList.add("facs-linked");
          if (!element.hasAttribute("tabindex") && !/^(A|BUTTON)$/.test(element.tagName)) { element.setAttribute("tabindex", "0"); }
          if (!element.title) { element.title = t("facsimile-show"); }
          element.addEventListener("click", function (event) {
            if (event.target.closest("a, button, [data-entity], .tei-choice, .tei-app, .tei-subst, .alternate") && event.target !== element) { return; }
            showZone(index, zone);
          });
          element.addEventListener("keydown", function (event) {
            if (event.target === element && (event.key === "Enter" || event.key === " ")) {
              event.preventDefault();
              showZone(index, zone);
            }
          });
        });
      });
    });
  }

  /* The phone's tabs: "Text" or "Facsimile", with arrow keys between them. */
  function showTab(name, focus) {
    var image = name === "image";
    body.classList.toggle("showing-facsimile", image);
    tabs.querySelectorAll("[role=tab]").forEach(function (tab) {
      var selected = (tab.id === "facsimile-tab-image") === image;
      tab.setAttribute("aria-selected", selected ? "true" : "false");
      tab.tabIndex = selected ? 0 : -1;
      if (selected && focus) { tab.focus(); }
    });
    if (image && viewer) {
      viewer.forceResize();
      if (!pendingZone) { viewer.viewport.goHome(true); }
    }
  }

  function wireTabs() {
    tabs.hidden = false;
    tabs.addEventListener("click", function (event) {
      var tab = event.target.closest("[role=tab]");
      if (tab) { showTab(tab.id === "facsimile-tab-image" ? "image" : "text", true); }
    });
    tabs.addEventListener("keydown", function (event) {
      if (["ArrowLeft", "ArrowRight", "Home", "End"].indexOf(event.key) < 0) { return; }
      event.preventDefault();
      var image = event.key === "End" || (event.key !== "Home" && !body.classList.contains("showing-facsimile"));
      showTab(image ? "image" : "text", true);
    });
    phone.addEventListener("change", function () { if (!phone.matches) { showTab("text", false); } });
  }

  function wireToolbar() {
    panel.querySelector(".facsimile-toolbar").addEventListener("click", function (event) {
      var button = event.target.closest("button[data-action]");
      if (!button) { return; }
      var action = button.getAttribute("data-action");
      if (action === "previous") { hold(); showPage(current - 1); }
      else if (action === "next") { hold(); showPage(current + 1); }
      else if (action === "zoom-in") { viewer.viewport.zoomBy(1.5); viewer.viewport.applyConstraints(); }
      else if (action === "zoom-out") { viewer.viewport.zoomBy(1 / 1.5); viewer.viewport.applyConstraints(); }
      else if (action === "home") { viewer.viewport.goHome(); }
    });
  }

  function start(manifest) {
    try { publishedRoot = new URL("../", new URL(manifest.id, manifestUrl)).href; } catch (error) { publishedRoot = null; }
    pages = readPages(manifest);
    if (!pages.length) { return; }
    panel.hidden = false;
    viewer = OpenSeadragon({
      element: panel.querySelector(".facsimile-viewer"),
      tileSources: pages.map(function (page) { return page.tiles; }),
      sequenceMode: true,
      showNavigationControl: false,
      showSequenceControl: false,
      drawer: "canvas",
      visibilityRatio: 0.5,
      gestureSettingsMouse: { clickToZoom: false }
    });
    viewer.addHandler("open", function () { opening = false; drawZone(); });
    viewer.addHandler("open-failed", function () { opening = false; });
    viewer.addHandler("page", function (event) { current = event.page; });
    viewer.addHandler("open-failed", function () { status.textContent = t("facsimile-unavailable"); });
    current = 0;
    opening = true;
    showPage(pages.some(function (page) { return page.start; }) ? pageAtScroll() : 0);
    wireToolbar();
    wireTabs();
    linkZones();
    window.addEventListener("scroll", followScroll, { passive: true });
    panel.setAttribute("data-ready", "");
  }

  fetch(manifestUrl.href)
    .then(function (response) { return response.ok ? response.json() : Promise.reject(new Error(response.statusText)); })
    .then(start)
    .catch(function () {
      panel.hidden = false;
      status.textContent = t("facsimile-unavailable");
    });
})();

/* teipress map: turns every <div class="tp-map" data-places='[{"id","name","lat","lon","href","count","detail"}]'
   data-tiles="https://…/{z}/{x}/{y}.png" data-attribution="…"> into a Leaflet map (assets/leaflet.js), a
   circle per place sized by its count, each leading to the place's page (click, or Tab to it and Enter).
   Every name and credit reaches the page as text. Without tiles (data-tiles empty) the markers stand
   alone; without script the page's list of the same places is what a reader uses. A map of many places
   names instead the key under which a script of their own set them (data-places-script="key":
   window.teipressMapPlaces[key], loaded before this one), so that its page does not carry them. */
(function () {
  "use strict";

  /* Only addresses within the site or on the web: a place's href never runs script. */
  function safeHref(href) {
    return typeof href === "string" && href !== "" && (!/^[a-z][a-z0-9+.-]*:/i.test(href) || /^https?:/i.test(href));
  }

  function escapeText(text) {
    var node = document.createElement("span");
    node.textContent = text;
    return node.innerHTML;
  }

  function validPlace(place) {
    return place && typeof place.lat === "number" && typeof place.lon === "number" && isFinite(place.lat) && isFinite(place.lon);
  }

  function tooltip(place) {
    var box = document.createElement("span");
    var name = document.createElement("strong");
    name.textContent = String(place.name || place.id || "");
    box.appendChild(name);
    if (place.detail) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(String(place.detail)));
    }
    return box;
  }

  function draw(container) {
    var places;
    var key = container.getAttribute("data-places-script");
    if (key !== null) {
      places = Object.prototype.hasOwnProperty.call(window.teipressMapPlaces || {}, key) ? window.teipressMapPlaces[key] : [];
    } else {
      try { places = JSON.parse(container.getAttribute("data-places") || "[]"); } catch (error) { return; }
    }
    places = (Array.isArray(places) ? places : []).filter(validPlace);
    if (!places.length || !window.L) return;
    var canvas = document.createElement("div");
    canvas.className = "tp-map-canvas";
    container.appendChild(canvas);
    var map = window.L.map(canvas, { scrollWheelZoom: false, worldCopyJump: true });
    var tiles = container.getAttribute("data-tiles") || "";
    if (tiles) {
      /* Leaflet writes the attribution as HTML: the edition's words go in escaped. */
      window.L.tileLayer(tiles, { maxZoom: 18, attribution: escapeText(container.getAttribute("data-attribution") || "") }).addTo(map);
    } else {
      container.classList.add("tp-map-no-tiles");
    }
    var most = Math.max.apply(null, places.map(function (place) { return Number(place.count) || 1; }));
    /* The view first: Leaflet draws a marker (and gives it an element to focus) only on a map that has one. */
    var bounds = places.map(function (place) { return [place.lat, place.lon]; });
    map.invalidateSize();
    if (bounds.length === 1) {
      map.setView(bounds[0], 6);
    } else {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 9 });
    }
    places.forEach(function (place) {
      var count = Number(place.count) || 1;
      var marker = window.L.circleMarker([place.lat, place.lon], {
        radius: 5 + 11 * Math.sqrt(count / most), weight: 1.5, color: "#1d4f73", fillColor: "#1d4f73", fillOpacity: 0.45
      }).addTo(map);
      marker.bindTooltip(tooltip(place), { direction: "top" });
      if (!safeHref(place.href)) return;
      var go = function () { window.location.href = place.href; };
      marker.on("click", go);
      var path = marker.getElement();
      if (path) {
        path.setAttribute("tabindex", "0");
        path.setAttribute("role", "link");
        path.setAttribute("aria-label", String(place.name || place.id || "") + (place.detail ? ": " + place.detail : ""));
        path.setAttribute("data-place", String(place.id || ""));
        path.addEventListener("keydown", function (event) {
          if (event.key === "Enter" || event.key === " ") { event.preventDefault(); go(); }
        });
        path.addEventListener("focus", function () { marker.openTooltip(); });
        path.addEventListener("blur", function () { marker.closeTooltip(); });
      }
    });
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".tp-map"), draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

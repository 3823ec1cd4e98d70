// kiosque: optional interactive maps (assets/map.js).
//
// Published only when site.yaml sets `map_tiles`. Each element with
// `data-interactive-map` (holding `data-geojson`, a same-site GeoJSON file)
// gets a button; only when a visitor presses it does the page ask the tile
// server for images: no third-party request before that. The SVG map drawn
// at build time stays above it for everyone. Uses the vendored Leaflet.
(function () {
  'use strict';
  const fr = (document.documentElement.lang || 'fr').toLowerCase().startsWith('fr');
  const T = fr
    ? { open: 'Afficher la carte interactive', host: 'fond de carte chargé depuis', failed: 'La carte interactive n’a pas pu être chargée.' }
    : { open: 'Show the interactive map', host: 'base map loaded from', failed: 'The interactive map could not be loaded.' };

  // `text` as HTML that shows it as it is (`<` as `&lt;`…).
  function asHtmlText(text) {
    const holder = document.createElement('span');
    holder.textContent = text;
    return holder.innerHTML;
  }

  function start(el) {
    const tiles = el.getAttribute('data-tiles');
    const attribution = el.getAttribute('data-attribution') || '';
    const source = el.getAttribute('data-geojson');
    if (!tiles || !source || typeof L === 'undefined') return;
    let host = '';
    try { host = new URL(tiles.replace(/[{}]/g, '')).host; } catch (e) { host = ''; }
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'map-open';
    button.textContent = T.open + (host ? ' (' + T.host + ' ' + host + ')' : '');
    el.appendChild(button);
    button.addEventListener('click', function () {
      button.disabled = true;
      const box = document.createElement('div');
      box.className = 'map-box';
      el.appendChild(box);
      fetch(new URL(source, document.baseURI))
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (data) {
          const map = L.map(box);
          // Leaflet writes the attribution as HTML: the site's text goes in as text.
          L.tileLayer(tiles, { attribution: asHtmlText(attribution), maxZoom: 19 }).addTo(map);
          const layer = L.geoJSON(data, {
            pointToLayer: function (feature, latlng) {
              const n = (feature.properties && feature.properties.count) || 1;
              return L.circleMarker(latlng, { radius: 4 + 2 * Math.log2(n), color: '#1f5f99', weight: 1, fillOpacity: 0.6 });
            },
          }).addTo(map);
          const bounds = layer.getBounds();
          if (bounds.isValid()) map.fitBounds(bounds, { padding: [16, 16], maxZoom: 17 });
          else map.setView([46.6, 2.4], 5);
          button.remove();
        })
        .catch(function () {
          box.remove();
          button.disabled = false;
          const p = document.createElement('p');
          p.textContent = T.failed;
          el.appendChild(p);
        });
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-interactive-map]').forEach(start);
  });
})();

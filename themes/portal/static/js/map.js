/* Interactive service map (progressive enhancement of the static SVG map and its list).
   Reads its settings and UI strings from data-* attributes of #service-map, loads the services
   GeoJSON of the page's language and the boundaries, and offers filters (category, language
   served, municipality) kept in the URL query so a filtered map can be shared. Without this
   script, or when it fails, the static map and the list stay as they are. */
(function () {
  'use strict';
  var box = document.getElementById('service-map');
  if (!box || !window.L || !window.fetch || !window.URLSearchParams) return;
  var d = box.dataset;
  var status = document.getElementById('map-status');
  var form = document.getElementById('map-filters');
  var FIELDS = ['category', 'language', 'municipality'];
  var plural = new Intl.PluralRules(d.lang);

  function fill(text, n) { return String(text || '').replace('{n}', n); }
  function counted(prefix, n) {
    var form = plural.select(n);
    var key = prefix + form.charAt(0).toUpperCase() + form.slice(1);
    return fill(d[key] || d[prefix + 'Other'], n.toLocaleString(d.lang));
  }
  /* Builds an element; text is always set as text, never parsed as HTML. */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { if (attrs[k] != null) node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) {
      if (c == null) return;
      node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c);
    });
    return node;
  }
  function notice(text) {
    var p = el('p', { 'class': 'map-notice' }, [text]);
    box.parentNode.insertBefore(p, box);
  }
  function getJSON(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
      return r.json();
    });
  }

  Promise.all([getJSON(d.services), getJSON(d.boundaries)]).then(function (res) {
    start(res[0], res[1]);
  }).catch(function () {
    if (status) status.textContent = d.tLoadFailed;
  });

  function start(services, boundaries) {
    var categories = {}, languages = {}, municipalities = {};
    services.categories.forEach(function (c) { categories[c.code] = c; });
    services.languages.forEach(function (l) { languages[l.code] = l; });
    services.municipalities.forEach(function (m) { municipalities[m.teryt] = m; });
    var features = services.features;
    var style = services.style;

    box.hidden = false;
    if (form) form.hidden = false;
    var skip = document.getElementById('map-skip');
    if (skip) skip.hidden = false;
    var staticMap = document.getElementById('map-static');
    if (staticMap) staticMap.hidden = true;
    box.setAttribute('role', 'region');
    box.setAttribute('aria-label', d.tLabel);

    var map = L.map(box, { zoomControl: false, keyboard: true, zoomSnap: 0.25, minZoom: 8, maxZoom: Number(d.maxZoom) || 19 });
    L.control.zoom({ zoomInTitle: d.tZoomIn, zoomOutTitle: d.tZoomOut }).addTo(map);
    if (d.tiles) {
      var credit = el('a', { href: d.attributionUrl || null }, [d.attribution]);
      var tiles = L.tileLayer(d.tiles, { maxZoom: Number(d.maxZoom) || 19, attribution: credit.outerHTML });
      var failed = false;
      /* Without tiles the boundaries and markers stay on the plain background: stop asking. */
      tiles.on('tileerror', function () {
        if (failed) return;
        failed = true;
        map.removeLayer(tiles);
        notice(d.tTilesFailed);
      });
      tiles.addTo(map);
    }

    var keyboard = false;
    var lastSource = null, popupOpen = false;
    box.addEventListener('keydown', function () { keyboard = true; }, true);
    box.addEventListener('mousedown', function () { keyboard = false; }, true);

    var shapes = L.geoJSON(boundaries, {
      style: function () {
        return { color: style.region_stroke, weight: 1.5, fillColor: style.region_fill, fillOpacity: 0.6 };
      },
      onEachFeature: function (f, layer) {
        layer.bindPopup(function () { return municipalityPopup(f.properties.teryt); }, { maxWidth: 340 });
        /* Shapes are reached by pointer only; their labels are the keyboard way. */
        layer.on('popupopen', function () { lastSource = null; });
      }
    }).addTo(map);
    var bounds = shapes.getBounds();
    map.fitBounds(bounds);
    map.setMaxBounds(bounds.pad(0.5));

    /* Municipality labels: also the keyboard way to a municipality's list of services. */
    var labels = {};
    services.municipalities.forEach(function (m) {
      if (!m.label_point) return;
      var ll = [m.label_point[1], m.label_point[0]];
      var marker = L.marker(ll, {
        icon: L.divIcon({ className: 'map-label-icon', iconSize: [0, 0], html: '' }),
        keyboard: true, riseOnHover: true
      }).addTo(map);
      /* A bound popup opens on click and on Enter. */
      marker.bindPopup(function () { return municipalityPopup(m.teryt); }, { maxWidth: 340 });
      marker.on('popupopen', function () { lastSource = marker.getElement(); });
      labels[m.teryt] = marker;
    });

    /* Service markers; those sharing a spot are spread on a ring around it. */
    var groups = {};
    features.forEach(function (f) {
      if (!f.geometry) return;
      var c = f.geometry.coordinates;
      var key = c[1].toFixed(5) + ',' + c[0].toFixed(5);
      (groups[key] = groups[key] || []).push(f);
    });
    var markers = [];
    var markerLayer = L.layerGroup().addTo(map);
    Object.keys(groups).sort().forEach(function (key) {
      var group = groups[key];
      var c = group[0].geometry.coordinates;
      var ring = group.length > 1 ? Math.max(14, group.length * 24 / (2 * Math.PI)) : 0;
      group.forEach(function (f, i) {
        var a = -Math.PI / 2 + i * 2 * Math.PI / group.length;
        var dx = Math.round(ring * Math.cos(a)), dy = Math.round(ring * Math.sin(a));
        var cat = categories[f.properties.category] || {};
        var marker = L.marker([c[1], c[0]], {
          icon: L.divIcon({ className: 'map-marker', html: cat.symbol || '', iconSize: [20, 20], iconAnchor: [10 - dx, 10 - dy] }),
          keyboard: true, title: f.properties.label, riseOnHover: true, zIndexOffset: 1000
        });
        marker.feature = f;
        marker.on('add', function () { marker.getElement().setAttribute('aria-label', f.properties.label); });
        marker.on('popupopen', function () { lastSource = marker.getElement(); });
        marker.bindPopup(function () { return servicePopup(f); }, { maxWidth: 320 });
        markers.push(marker);
      });
      if (group.length > 1) {
        L.circleMarker([c[1], c[0]], { radius: 3, color: '#0b0c0c', weight: 1, fillOpacity: 1, interactive: false }).addTo(map);
      }
    });

    function hoursList(f) {
      if (!f.properties.hours || !f.properties.hours.length) return null;
      return el('dl', {}, f.properties.hours.reduce(function (acc, row) {
        return acc.concat([el('dt', {}, [row[0]]), el('dd', {}, [row[1]])]);
      }, []));
    }
    function serviceLink(f, tag) {
      var p = f.properties;
      return el(tag, {}, [el('a', { href: p.url, lang: p.name_lang !== d.lang ? p.name_lang : null }, [p.name])]);
    }
    function servicePopup(f) {
      var p = f.properties;
      var langs = p.languages.map(function (c) { return (languages[c] || { label: c }).label; }).join(', ');
      return el('div', { 'class': 'map-popup' }, [
        serviceLink(f, 'h3'),
        el('p', {}, [p.category_label]),
        p.address ? el('p', {}, [d.tAddress + ': ' + p.address]) : null,
        p.hours ? el('p', {}, [d.tHours + ':']) : null,
        hoursList(f),
        langs ? el('p', {}, [d.tLanguages + ': ' + langs]) : null,
        el('p', {}, [el('a', { href: p.url }, [d.tDetails])])
      ]);
    }
    function municipalityPopup(teryt) {
      var m = municipalities[teryt];
      if (!m) return '';
      var list = features.filter(function (f) { return f.properties.municipality === teryt && matches(f); });
      var items = list.map(function (f) {
        var p = f.properties;
        return el('li', {}, [
          el('a', { href: p.url, lang: p.name_lang !== d.lang ? p.name_lang : null }, [p.name]),
          ' – ' + p.category_label,
          p.address ? el('br') : null, p.address || null,
          p.hours && p.hours.length ? el('br') : null,
          p.hours && p.hours.length ? d.tHours + ': ' + p.hours.map(function (r) { return r[0] + ' ' + r[1]; }).join('; ') : null,
          f.geometry ? null : el('br'), f.geometry ? null : el('em', {}, [d.tUnlocated])
        ]);
      });
      return el('div', { 'class': 'map-popup' }, [
        el('h3', {}, [el('a', { href: m.url }, [m.name])]),
        el('p', {}, [counted('tCount', list.length)]),
        items.length ? el('ul', {}, items) : el('p', {}, [d.tNone]),
        el('p', {}, [el('a', { href: m.url }, [d.tMunicipalityPage])])
      ]);
    }

    /* Popups opened from the keyboard take the focus, and give it back when closed (Escape
       closes them from anywhere in the map, including from inside the popup). */
    box.addEventListener('keydown', function (e) {
      if (e.key === 'Escape' && popupOpen) { map.closePopup(); e.stopPropagation(); }
    });
    map.on('popupopen', function (e) {
      popupOpen = true;
      var node = e.popup.getElement();
      var close = node && node.querySelector('.leaflet-popup-close-button');
      if (close) close.setAttribute('aria-label', d.tClose);
      if (keyboard && node) {
        var first = node.querySelector('.map-popup a');
        if (first) first.focus();
      }
    });
    map.on('popupclose', function (e) {
      popupOpen = false;
      var node = e.popup.getElement();
      var lost = document.activeElement === document.body || (node && node.contains(document.activeElement));
      if (lastSource && lost) lastSource.focus();
    });

    /* Filters. */
    function value(name) { return form ? form.elements[name].value : ''; }
    function matches(f) {
      var p = f.properties;
      return (!value('category') || p.category === value('category')) &&
        (!value('language') || p.languages.indexOf(value('language')) >= 0) &&
        (!value('municipality') || p.municipality === value('municipality'));
    }
    function apply(fromUser) {
      var shown = 0, located = 0, perMunicipality = {};
      features.forEach(function (f) {
        if (!matches(f)) return;
        shown += 1;
        if (f.geometry) located += 1;
        perMunicipality[f.properties.municipality] = (perMunicipality[f.properties.municipality] || 0) + 1;
      });
      markers.forEach(function (mk) {
        if (matches(mk.feature)) markerLayer.addLayer(mk); else markerLayer.removeLayer(mk);
      });
      Object.keys(labels).forEach(function (teryt) {
        var m = municipalities[teryt], n = perMunicipality[teryt] || 0;
        /* The visible text is the accessible name ("Kraków 8 usług"), as WCAG 2.5.3 asks. */
        var icon = labels[teryt].getElement();
        icon.textContent = '';
        var text = counted('tCount', n), number = n.toLocaleString(d.lang), at = text.indexOf(number);
        var unit = function (t) { return t ? el('span', { 'class': 'map-label__unit' }, [t]) : null; };
        icon.appendChild(el('span', { 'class': 'map-label' }, [
          el('span', { 'class': 'map-label__name' }, [m.name]), ' ',
          el('b', {}, at < 0 ? [text] : [unit(text.slice(0, at)), number, unit(text.slice(at + number.length))])
        ]));
      });
      var only = value('municipality');
      shapes.setStyle(function (f) {
        var on = !only || f.properties.teryt === only;
        return { fillColor: on && only ? style.current_fill : style.region_fill, fillOpacity: on ? 0.6 : 0.25 };
      });
      /* The list next to the map shows the same selection. */
      document.querySelectorAll('.map-list .service-item').forEach(function (li) {
        var ok = (!value('category') || li.dataset.category === value('category')) &&
          (!value('language') || (' ' + li.dataset.languages + ' ').indexOf(' ' + value('language') + ' ') >= 0) &&
          (!value('municipality') || li.dataset.teryt === value('municipality'));
        li.hidden = !ok;
      });
      document.querySelectorAll('.map-list__category, .map-list__municipality').forEach(function (g) {
        g.hidden = !g.querySelector('.service-item:not([hidden])');
      });
      var chosen = [];
      var params = new URLSearchParams();
      FIELDS.forEach(function (name) {
        var v = value(name);
        if (!v) return;
        params.set(name, v);
        var select = form.elements[name];
        chosen.push(d['t' + name.charAt(0).toUpperCase() + name.slice(1)] + ': ' + select.options[select.selectedIndex].text);
      });
      var query = params.toString();
      history.replaceState(null, '', location.pathname + (query ? '?' + query : '') + location.hash);
      if (status) {
        status.textContent = counted('tResults', shown) + ' (' + fill(d.tLocated, located.toLocaleString(d.lang)) + '); ' +
          (chosen.length ? fill(d.tFilters, chosen.join('; ')) : d.tNoFilters) + '.';
      }
      if (fromUser && only) {
        var layer = shapes.getLayers().filter(function (l) { return l.feature.properties.teryt === only; })[0];
        if (layer) map.fitBounds(layer.getBounds());
      } else if (fromUser) {
        map.fitBounds(bounds);
      }
    }

    /* Zoomed out or on a narrow screen, labels show only the number; the name stays in the
       label's accessible name (visually hidden), so it still matches what is seen. */
    function compact() {
      box.classList.toggle('map-compact', map.getZoom() < 11 || map.getSize().x < 560);
    }
    map.on('zoomend resize', compact);
    compact();

    /* The URL's filters apply on load (unknown values are ignored). */
    var query = new URLSearchParams(location.search);
    FIELDS.forEach(function (name) {
      var v = query.get(name);
      var select = form && form.elements[name];
      if (!v || !select) return;
      if (Array.prototype.some.call(select.options, function (o) { return o.value === v; })) select.value = v;
    });
    if (form) {
      form.addEventListener('change', function () { apply(true); });
      form.addEventListener('submit', function (e) { e.preventDefault(); apply(true); });
      form.addEventListener('reset', function () { setTimeout(function () { apply(true); }, 0); });
    }
    apply(Boolean(value('municipality')));
  }
})();

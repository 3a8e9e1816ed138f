// The `coordinates` field of the editing interface: a map of the municipalities (the vendored
// Leaflet and the published /dane/gminy.geojson) on which an editor clicks the service's place,
// plus two number inputs for keyboard users. The value is `[latitude, longitude]`, exactly the
// `coordinates = [lat, lon]` the build reads; the build still checks that the point lies inside
// the municipality. Settings come from data- attributes of <html> (no inline script).
(function () {
  'use strict';
  var CMS = window.CMS;
  var h = window.h;
  if (!CMS || !h || !window.createClass) {
    return;
  }
  var settings = document.documentElement.dataset;
  var boundaries = null;

  function loadBoundaries() {
    if (!boundaries) {
      boundaries = fetch(settings.boundaries || '../dane/gminy.geojson')
        .then(function (r) { return r.ok ? r.json() : null; })
        .catch(function () { return null; });
    }
    return boundaries;
  }

  function toPair(value) {
    if (value && typeof value.toJS === 'function') {
      value = value.toJS();
    }
    if (Array.isArray(value) && value.length === 2 && value.every(function (n) { return typeof n === 'number' && isFinite(n); })) {
      return value;
    }
    return null;
  }

  function round(n) {
    return Math.round(n * 1e6) / 1e6;
  }

  var Control = window.createClass({
    getInitialState: function () {
      var pair = toPair(this.props.value);
      return { lat: pair ? String(pair[0]) : '', lon: pair ? String(pair[1]) : '' };
    },
    componentDidMount: function () {
      var self = this;
      var L = window.L;
      if (!L || !this.mapElement) {
        return;
      }
      var map = L.map(this.mapElement, { keyboard: true });
      this.map = map;
      if (settings.tiles) {
        L.tileLayer(settings.tiles, { attribution: settings.attribution || '', maxZoom: 19 }).addTo(map);
      }
      var pair = toPair(this.props.value);
      map.setView(pair || [50.06, 19.94], pair ? 14 : 9);
      if (pair) {
        this.marker = L.marker(pair, { icon: this.icon() }).addTo(map);
      }
      // The municipality of the collection (`municipality` in the field's configuration, its
      // TERYT code): drawn stronger, and the map opens on it.
      var field = this.props.field;
      var own = field && (typeof field.get === 'function' ? field.get('municipality') : field.municipality);
      loadBoundaries().then(function (geojson) {
        if (!geojson || !self.map) {
          return;
        }
        var mine = null;
        var layer = L.geoJSON(geojson, {
          style: function (feature) {
            var isOwn = own && feature.properties && feature.properties.teryt === own;
            return isOwn ? { color: '#1d4f91', weight: 3, fillOpacity: 0.12 } : { color: '#1d4f91', weight: 1, fillOpacity: 0.03 };
          },
          onEachFeature: function (feature, featureLayer) {
            if (own && feature.properties && feature.properties.teryt === own) {
              mine = featureLayer;
            }
          },
          // Clicks on a municipality's area go to the map.
          interactive: false,
        }).addTo(map);
        if (!toPair(self.props.value)) {
          map.fitBounds((mine || layer).getBounds());
        }
      });
      map.on('click', function (event) {
        self.set(round(event.latlng.lat), round(event.latlng.lng));
      });
    },
    componentWillUnmount: function () {
      if (this.map) {
        this.map.remove();
        this.map = null;
      }
    },
    icon: function () {
      return window.L.divIcon({ className: 'mp-picker-marker', html: '<span>●</span>', iconSize: [20, 20] });
    },
    set: function (lat, lon) {
      this.setState({ lat: String(lat), lon: String(lon) });
      this.props.onChange([lat, lon]);
      var L = window.L;
      if (this.map && L) {
        if (this.marker) {
          this.marker.setLatLng([lat, lon]);
        } else {
          this.marker = L.marker([lat, lon], { icon: this.icon() }).addTo(this.map);
        }
      }
    },
    typed: function (which, text) {
      var next = { lat: this.state.lat, lon: this.state.lon };
      next[which] = text;
      this.setState(next);
      var lat = parseFloat(next.lat);
      var lon = parseFloat(next.lon);
      if (isFinite(lat) && isFinite(lon)) {
        this.set(round(lat), round(lon));
      } else if (next.lat === '' && next.lon === '') {
        this.props.onChange(undefined);
      }
    },
    render: function () {
      var self = this;
      var id = this.props.forID;
      function input(which, label) {
        return h('label', { style: { marginRight: '1em' } }, label + ' ',
          h('input', {
            id: which === 'lat' ? id : id + '-lon',
            type: 'number', step: 'any', value: self.state[which],
            className: self.props.classNameWrapper,
            'data-coordinate': which,
            onChange: function (e) { self.typed(which, e.target.value); },
          }));
      }
      return h('div', { className: 'mp-picker' },
        h('div', {
          ref: function (el) { self.mapElement = el; },
          className: 'mp-picker-map',
          role: 'application',
          'aria-label': 'Mapa: kliknij miejsce usługi',
          style: { height: '320px', marginBottom: '0.5em' },
        }),
        input('lat', 'Szerokość'),
        input('lon', 'Długość'));
    },
  });

  var Preview = window.createClass({
    render: function () {
      var pair = toPair(this.props.value);
      return h('span', null, pair ? pair[0] + ', ' + pair[1] : '');
    },
  });

  CMS.registerWidget('coordinates', Control, Preview);
})();

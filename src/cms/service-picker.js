// The `@/` references of `[municipality.facts]` (which service is a municipality's OPS, migrant
// point, …) in the editing interface: a list of the services the site publishes
// (`/dane/uslugi.json`, whose `id` is the content path), grouped by municipality, writing
// exactly `@/gminy/<municipality>/<file>.md` as the build reads it. Sveltia's own relation field
// can only write an entry's slug, which is not that path for every entry. A service saved in
// the form appears here once the site has been built again (`metroportal serve` does that on
// every save). A value not in the list is kept and shown as it is.
(function () {
  'use strict';
  var CMS = window.CMS;
  var h = window.h;
  if (!CMS || !h || !window.createClass) {
    return;
  }
  var settings = document.documentElement.dataset;

  function load() {
    return fetch(settings.services || '../dane/uslugi.json', { cache: 'no-cache' })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) { return (data && data.services) || []; })
      .catch(function () { return []; });
  }

  function reference(service) {
    return '@/' + service.id + '.md';
  }

  var Control = window.createClass({
    getInitialState: function () {
      return { services: null };
    },
    componentDidMount: function () {
      var self = this;
      load().then(function (services) {
        if (self.mounted !== false) {
          self.setState({ services: services });
        }
      });
    },
    componentWillUnmount: function () {
      this.mounted = false;
    },
    render: function () {
      var self = this;
      var value = typeof this.props.value === 'string' ? this.props.value : '';
      var services = this.state.services || [];
      var groups = {};
      var order = [];
      services.forEach(function (s) {
        var key = s.municipality || '';
        if (!groups[key]) {
          groups[key] = [];
          order.push(key);
        }
        groups[key].push(s);
      });
      var known = services.some(function (s) { return reference(s) === value; });
      var options = [h('option', { key: '', value: '' }, '— nie wskazano —')];
      if (value && !known) {
        options.push(h('option', { key: value, value: value }, value));
      }
      order.forEach(function (municipality) {
        options.push(h('optgroup', { key: 'g-' + municipality, label: municipality },
          groups[municipality].map(function (s) {
            return h('option', { key: s.id, value: reference(s) }, s.name_pl);
          })));
      });
      return h('select', {
        id: this.props.forID,
        // Sveltia labels a field with the element `<forID>-label`.
        'aria-labelledby': this.props.forID + '-label',
        className: this.props.classNameWrapper,
        // As wide as the field, not as the longest service name.
        style: { width: '100%', maxWidth: '100%', boxSizing: 'border-box' },
        value: value,
        'data-service-reference': '',
        onChange: function (e) {
          self.props.onChange(e.target.value || undefined);
        },
      }, options);
    },
  });

  var Preview = window.createClass({
    render: function () {
      return h('span', null, typeof this.props.value === 'string' ? this.props.value : '');
    },
  });

  CMS.registerWidget('service-reference', Control, Preview);
})();

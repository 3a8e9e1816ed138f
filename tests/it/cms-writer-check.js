// Run in the page of /admin/ by tests/it/cms.rs on every content file of the portal: the
// writer of toml-writer.js must give back a file it has read unchanged, and after each kind of
// edit the form can make, TOML with exactly the edited values and only the edited lines changed.
(function (files) {
  var W = window.metroportalToml;
  var T = window.smolToml;
  var problems = [];
  var edits = 0;
  function plain(v) {
    return JSON.parse(JSON.stringify(v, function (k, x) {
      return x === '' || x === null || (Array.isArray(x) && !x.length) ? undefined : x;
    }));
  }
  function sorted(v) {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      var o = {};
      Object.keys(v).sort().forEach(function (k) { o[k] = sorted(v[k]); });
      return o;
    }
    return v;
  }
  function changedLines(a, b) {
    var count = function (xs) { var m = {}; xs.forEach(function (x) { m[x] = (m[x] || 0) + 1; }); return m; };
    var ca = count(a.trim().split('\n'));
    var cb = count(b.trim().split('\n'));
    var n = 0;
    Object.keys(cb).forEach(function (k) { n += Math.max(0, cb[k] - (ca[k] || 0)); });
    Object.keys(ca).forEach(function (k) { n += Math.max(0, ca[k] - (cb[k] || 0)); });
    return n;
  }
  function firstTable(fm, test) {
    return Object.keys(fm).find(function (k) { return fm[k] && typeof fm[k] === 'object' && !Array.isArray(fm[k]) && test(fm[k]); });
  }
  function sources(t) { return Array.isArray(t.source) && t.source.every(function (s) { return typeof s === 'object'; }); }
  // Each edit returns how many lines it may change (0: does not apply to this file).
  var kinds = {
    'change a text': function (fm) {
      var t = firstTable(fm, function (t) { return Object.keys(t).some(function (k) { return typeof t[k] === 'string'; }); });
      if (!t) return 0;
      var k = Object.keys(fm[t]).find(function (k) { return typeof fm[t][k] === 'string'; });
      fm[t][k] = 'Zmieniono „to” \\ "tamto"';
      return 2;
    },
    'add a key': function (fm) {
      var t = firstTable(fm, function () { return true; });
      if (!t) return 0;
      fm[t].operator = 'Nowy prowadzący';
      return 1;
    },
    'remove a key': function (fm) {
      var t = firstTable(fm, function (t) { return Object.keys(t).some(function (k) { return typeof t[k] !== 'object'; }); });
      if (!t) return 0;
      delete fm[t][Object.keys(fm[t]).find(function (k) { return typeof fm[t][k] !== 'object'; })];
      return 2;
    },
    'add a source': function (fm) {
      var t = firstTable(fm, sources);
      if (!t) return 0;
      fm[t].source.push({ title: 'Nowe źródło', url: 'https://example.org/nowe', date: '2026-10-15' });
      return 5;
    },
    'remove a source': function (fm) {
      var t = firstTable(fm, function (t) { return sources(t) && t.source.length > 1; });
      if (!t) return 0;
      fm[t].source.pop();
      return 12;
    },
    'change the title': function (fm) {
      fm.title = 'Nowy tytuł';
      return 2;
    },
  };
  Object.keys(files).filter(function (p) { return /\.md$/.test(p); }).forEach(function (path) {
    var text = files[path];
    var normal = text.replace(/\r\n?/g, '\n').trim() + '\n';
    var back;
    try {
      back = W.toFile(W.fromFile(text));
    } catch (e) {
      problems.push(path + ': ' + e.message);
      return;
    }
    if (back !== normal) {
      problems.push(path + ': not given back unchanged');
      return;
    }
    Object.keys(kinds).forEach(function (kind) {
      var fm = W.fromFile(text);
      var allowed = kinds[kind](fm);
      if (!allowed) return;
      edits++;
      var out = W.toFile(fm);
      var toml = out.slice(4, out.indexOf('\n+++') + 1);
      var got;
      try {
        got = T.parse(toml);
      } catch (e) {
        problems.push(path + ', ' + kind + ': invalid TOML: ' + e.message);
        return;
      }
      // Compared as the form sees them (sources as tables, whatever the file's shape).
      var want = plain(fm);
      delete want.body;
      var again = W.fromFile(out);
      delete again.body;
      if (!got || JSON.stringify(sorted(plain(again))) !== JSON.stringify(sorted(want))) {
        problems.push(path + ', ' + kind + ': other values written');
      }
      var n = changedLines(normal, out);
      if (n > allowed) problems.push(path + ', ' + kind + ': ' + n + ' lines changed');
    });
  });
  return { files: Object.keys(files).filter(function (p) { return /\.md$/.test(p); }).length, edits: edits, problems: problems };
})

// How the editing interface writes `+++` TOML front matter: keeping the file's own layout.
// Sveltia's own writer re-serialises the whole front matter on every save (its key order,
// `[ "a" ]` spacing, `49.987` for `49.9870`), so the first change of one field by the form would
// rewrite every line of a hand-written file. This registers a writer for `toml-frontmatter`
// that reads files with the same TOML library Sveltia uses (the vendored smol-toml), remembers
// each file's lines, and on save changes only the lines whose values changed: an edited key is
// rewritten in place, a removed one is deleted, a new one goes after the last key of its table,
// a new `[[…]]` item after the last item. A file it has not read (a new entry) is written in the
// layout of the content files. The build still validates what comes out.
(function () {
  'use strict';
  var CMS = window.CMS;
  var TOML = window.smolToml;
  if (!CMS || typeof CMS.registerCustomFormat !== 'function' || !TOML) {
    return;
  }

  // TOML dates the forms edit as dates (`reviewed = 2026-09-01`, unquoted). A `date` inside a
  // source (`[[service.source]]`) is a partial date string and stays quoted.
  var DATE_KEYS = { date: true, updated: true, reviewed: true };
  // What the build assumes for an optional switch left out (`draft`: false, a seat's
  // `verified`: true), by key path (`service.source.approximate`), from the schema through
  // `data-defaults` on <html>. The form always sends a switch; a key the file does not have is
  // not added when the form's value is that default.
  var DEFAULTS = JSON.parse(document.documentElement.dataset.defaults || '{}');
  function isDefault(path, k, v) {
    return typeof v === 'boolean' && DEFAULTS[path.concat(k).join('.')] === v;
  }

  var read = []; // { lines, data, body } of every file read or written, newest last

  function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }
  function isTableArray(v) {
    return Array.isArray(v) && v.length > 0 && v.every(isObject);
  }
  function isEmpty(v) {
    return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0) ||
      (isObject(v) && Object.keys(v).length === 0);
  }
  function same(a, b) {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  function bareKey(k) {
    return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
  }
  function value(v, key, inTableArray) {
    if (typeof v === 'string') {
      var isDate = DATE_KEYS[key] && !inTableArray && /^\d{4}-\d{2}-\d{2}$/.test(v);
      return isDate ? v : JSON.stringify(v);
    }
    if (typeof v === 'number' || typeof v === 'boolean') {
      return String(v);
    }
    if (Array.isArray(v)) {
      // Inside an array a `date` is a source's partial date (a string), never a TOML date.
      return '[' + v.map(function (x) { return value(x, '', true); }).join(', ') + ']';
    }
    var keys = Object.keys(v).filter(function (k) { return !isEmpty(v[k]); });
    return '{ ' + keys.map(function (k) { return bareKey(k) + ' = ' + value(v[k], k, inTableArray); }).join(', ') + ' }';
  }
  function keyLine(k, v, inTableArray) {
    return bareKey(k) + ' = ' + value(v, k, inTableArray);
  }
  // An array that was written one item a line stays so (indented like its first item, with
  // trailing commas, as the content files write them).
  function multiLine(k, items, firstItem, inTableArray) {
    var indent = /^\s*/.exec(firstItem || '  ')[0] || '  ';
    return [bareKey(k) + ' = ['].concat(items.map(function (x) {
      return indent + value(x, '', true) + ',';
    }), [']']).join('\n');
  }
  // Whether a key of a table is written as its own `[table]` rather than on one line.
  function isSubtable(k, v) {
    return isObject(v) && k !== 'names';
  }

  // Lines for the keys of `obj` at `path`: its own keys first, then its tables, a blank line
  // before each table (the layout of the content files).
  function emit(out, obj, path, inTableArray) {
    Object.keys(obj).forEach(function (k) {
      var v = obj[k];
      if (isEmpty(v) || isDefault(path, k, v) || isSubtable(k, v) || isTableArray(v)) {
        return;
      }
      out.push(keyLine(k, v, inTableArray));
    });
    Object.keys(obj).forEach(function (k) {
      if (!isEmpty(obj[k])) {
        emitTable(out, path.concat(bareKey(k)), obj[k], inTableArray);
      }
    });
  }
  // A `[table]` or the `[[items]]` of `value` at `path` (nothing for a plain value).
  function emitTable(out, path, value, inTableArray) {
    var name = path.join('.');
    if (isSubtable(path[path.length - 1], value)) {
      out.push('', '[' + name + ']');
      emit(out, value, path, inTableArray);
    } else if (isTableArray(value)) {
      value.forEach(function (item) {
        out.push('', '[[' + name + ']]');
        emit(out, item, path, true);
      });
    }
  }
  // A new file.
  function serialize(data) {
    var out = [];
    emit(out, data, [], false);
    return out.join('\n') + '\n';
  }

  // The original's lines as tables: for each, its header line, its keys (with the lines each
  // value spans, multi-line arrays included) and the object of `data` it holds.
  function tablesOf(lines) {
    var tables = [];
    var counts = {};
    var current = { id: '', path: [], header: -1, keys: {}, last: -1 };
    tables.push(current);
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i].trim();
      var header = /^(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$/.exec(line);
      if (header) {
        var name = header[2];
        var isArray = header[1] === '[[';
        var index = isArray ? (counts[name] = (counts[name] === undefined ? 0 : counts[name] + 1)) : -1;
        current = { id: isArray ? name + '#' + index : name, name: name, index: index, path: name.split('.'), header: i, keys: {}, last: i };
        tables.push(current);
        continue;
      }
      var kv = /^([A-Za-z0-9_-]+|"[^"]*")\s*=/.exec(line);
      if (kv) {
        var start = i;
        var depth = 0;
        // A value may go on over several lines while its brackets are open.
        do {
          depth += bracketDepth(lines[i]);
        } while (depth > 0 && ++i < lines.length);
        current.keys[JSON.parse(kv[1].charAt(0) === '"' ? kv[1] : JSON.stringify(kv[1]))] = { start: start, end: i };
        current.last = i;
      }
    }
    return tables;
  }
  function bracketDepth(line) {
    var depth = 0;
    var quote = null;
    for (var i = 0; i < line.length; i++) {
      var c = line.charAt(i);
      if (quote) {
        if (c === '\\' && quote === '"') {
          i++;
        } else if (c === quote) {
          quote = null;
        }
      } else if (c === '"' || c === "'") {
        quote = c;
      } else if (c === '#') {
        break;
      } else if (c === '[' || c === '{') {
        depth++;
      } else if (c === ']' || c === '}') {
        depth--;
      }
    }
    return depth;
  }
  function objectAt(data, table) {
    var obj = data;
    for (var i = 0; i < table.path.length && obj !== undefined; i++) {
      obj = isObject(obj) ? obj[table.path[i]] : undefined;
    }
    if (table.index >= 0) {
      obj = Array.isArray(obj) ? obj[table.index] : undefined;
    }
    return isObject(obj) ? obj : undefined;
  }

  // The original's lines with the changes from `old` to `data` made in place.
  function patch(entry, data) {
    var lines = entry.lines.slice();
    var replace = {}; // line → new text (null: delete)
    var after = {}; // line → lines to insert after it
    var appended = []; // lines for the end
    var tables = tablesOf(lines);
    var known = {}; // tables of the original, by name (`service`, `service.source`)
    tables.forEach(function (t) {
      known[t.path.join('.')] = known[t.path.join('.')] || [];
      known[t.path.join('.')].push(t);
    });
    function insertAfter(line, texts) {
      after[line] = (after[line] || []).concat(texts);
    }
    tables.forEach(function (t) {
      var was = objectAt(entry.data, t);
      var now = objectAt(data, t);
      var inTableArray = t.index >= 0;
      if (!now) {
        if (t.header >= 0) {
          for (var i = t.header; i <= t.last; i++) {
            replace[i] = null;
          }
          if (t.header > 0 && lines[t.header - 1].trim() === '') {
            replace[t.header - 1] = null;
          }
        }
        return;
      }
      Object.keys(t.keys).forEach(function (k) {
        var span = t.keys[k];
        // A key line stays a key line, whatever its new value (a table or a list of tables is
        // then written inline, which TOML allows).
        if (isEmpty(now[k])) {
          for (var i = span.start; i <= span.end; i++) {
            replace[i] = null;
          }
        } else if (!same(now[k], was[k])) {
          replace[span.start] = span.end > span.start && Array.isArray(now[k])
            ? multiLine(k, now[k], lines[span.start + 1], inTableArray)
            : keyLine(k, now[k], inTableArray);
          for (var j = span.start + 1; j <= span.end; j++) {
            replace[j] = null;
          }
        }
      });
      var added = [];
      var addedTables = {};
      Object.keys(now).forEach(function (k) {
        var v = now[k];
        var name = t.path.concat(k).join('.');
        if (t.keys[k] !== undefined || isEmpty(v) || isDefault(t.path, k, v)) {
          return;
        }
        if (isSubtable(k, v) || isTableArray(v)) {
          if (!known[name]) {
            addedTables[k] = v;
          }
          return;
        }
        added.push(keyLine(k, v, inTableArray));
      });
      if (added.length) {
        insertAfter(t.last, added);
      }
      Object.keys(addedTables).forEach(function (k) {
        emitTable(appended, t.path.concat(bareKey(k)), addedTables[k], t.index >= 0);
      });
    });
    // More `[[…]]` items than before: the new ones go after the last one.
    Object.keys(known).forEach(function (name) {
      var items = known[name].filter(function (t) { return t.index >= 0; });
      var now = pathValue(data, name.split('.'));
      if (items.length && Array.isArray(now) && now.length > items.length) {
        var text = [];
        emitTable(text, name.split('.'), now.slice(items.length), true);
        insertAfter(items[items.length - 1].last, text);
      }
    });
    var out = [];
    lines.forEach(function (line, i) {
      if (replace[i] !== null) {
        out.push(replace[i] === undefined ? line : replace[i]);
      }
      if (after[i]) {
        out = out.concat(after[i]);
      }
    });
    // `lines` ends with the empty string after the last newline; keep it last.
    if (out.length && out[out.length - 1] === '') {
      out.pop();
    }
    out = out.concat(appended);
    return out.join('\n') + '\n';
  }
  function pathValue(data, path) {
    var v = data;
    for (var i = 0; i < path.length && v !== undefined; i++) {
      v = isObject(v) ? v[path[i]] : undefined;
    }
    return v;
  }
  // How many leaf values differ: which file read earlier an entry being saved comes from.
  function leaves(v, prefix, out) {
    if (isObject(v)) {
      Object.keys(v).forEach(function (k) { leaves(v[k], prefix + '.' + k, out); });
    } else if (Array.isArray(v) && v.some(function (x) { return isObject(x) || Array.isArray(x); })) {
      v.forEach(function (x, i) { leaves(x, prefix + '#' + i, out); });
    } else {
      out[prefix] = JSON.stringify(v);
    }
    return out;
  }
  // `la`, `lb`: the leaves of the two (an entry's are made once, when it is remembered).
  function distance(la, lb) {
    var d = 0;
    Object.keys(la).forEach(function (k) { if (la[k] !== lb[k]) d++; });
    Object.keys(lb).forEach(function (k) { if (!(k in la)) d++; });
    return d;
  }

  // `source` may be written as strings (`"https://…"`, `"seed:004"`, `"data:<file>"`, one or a
  // list); the form edits sources as tables. Strings become tables for the form, and a table
  // that says no more than a string could goes back to being that string.
  function sourceTable(x) {
    if (typeof x !== 'string') {
      return x;
    }
    var m = /^(seed|data):(.*)$/.exec(x);
    var t = {};
    t[m ? m[1] : 'url'] = m ? m[2] : x;
    return t;
  }
  function sourceString(x) {
    if (!isObject(x)) {
      return x;
    }
    var keys = Object.keys(x).filter(function (k) { return !isEmpty(x[k]) && x[k] !== false; });
    if (keys.length !== 1) {
      return x;
    }
    return keys[0] === 'url' ? x.url : keys[0] === 'seed' ? 'seed:' + x.seed : keys[0] === 'data' ? 'data:' + x.data : x;
  }
  function forForm(data) {
    Object.keys(data).forEach(function (k) {
      var t = data[k];
      if (isObject(t) && t.source !== undefined && !isTableArray(t.source)) {
        t.source = (Array.isArray(t.source) ? t.source : [t.source]).map(sourceTable);
      }
    });
    return data;
  }
  function forFile(data, original) {
    Object.keys(data).forEach(function (k) {
      var t = data[k];
      var was = original && isObject(original[k]) ? original[k].source : undefined;
      if (!isObject(t) || !Array.isArray(t.source) || isTableArray(was)) {
        return;
      }
      var items = t.source.map(sourceString);
      var strings = items.every(function (x) { return typeof x === 'string'; });
      if (typeof was === 'string' && strings && items.length === 1) {
        t.source = items[0];
      } else if (was !== undefined || strings) {
        t.source = items;
      }
    });
    return data;
  }

  function split(text) {
    text = text.replace(/\r\n?/g, '\n').trim();
    if (text.indexOf('+++\n') !== 0) {
      throw new Error('The file does not begin with +++ front matter.');
    }
    var end = text.indexOf('\n+++', 3);
    if (end < 0) {
      throw new Error('The +++ front matter is not closed.');
    }
    return { toml: text.slice(4, end + 1), body: text.slice(end + 4).replace(/^\n+/, '') };
  }
  // `data` as in the file, `form` as the form shows it (sources as tables).
  function remember(toml, data, body) {
    var copy = JSON.parse(JSON.stringify(data));
    var form = forForm(JSON.parse(JSON.stringify(copy)));
    read.push({ lines: toml.split('\n'), data: copy, form: form, leaves: leaves(form, '', {}), body: body });
  }

  function fromFile(text) {
    var parts = split(text);
    var data = JSON.parse(JSON.stringify(TOML.parse(parts.toml)));
    remember(parts.toml, data, parts.body);
    var out = forForm(JSON.parse(JSON.stringify(data)));
    if (parts.body) {
      out.body = parts.body;
    }
    return out;
  }

  function toFile(content) {
    var data = JSON.parse(JSON.stringify(content));
    var body = typeof data.body === 'string' ? data.body.replace(/\s+$/, '') : '';
    delete data.body;
    var best = null;
    var bestDistance = Infinity;
    var own = leaves(data, '', {});
    read.forEach(function (entry) {
      var d = distance(entry.leaves, own) + (entry.body === body ? 0 : 1);
      if (d <= bestDistance) {
        best = entry;
        bestDistance = d;
      }
    });
    var size = Object.keys(own).length;
    var keep = best && bestDistance <= Math.max(3, size / 3);
    data = forFile(data, keep ? best.data : undefined);
    var toml = keep ? patch(best, data) : serialize(data);
    remember(toml, data, body);
    return '+++\n' + toml + '+++\n' + (body ? '\n' + body + '\n' : '');
  }

  CMS.registerCustomFormat('toml-frontmatter', 'md', { fromFile: fromFile, toFile: toFile });
  // For the tests: the same functions without the CMS.
  window.metroportalToml = { fromFile: fromFile, toFile: toFile, serialize: serialize };
})();

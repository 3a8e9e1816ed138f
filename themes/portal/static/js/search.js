// The search page: runs the query of the form (or of ?q= in the address) against the Pagefind
// index of the page's language and lists the results: title, municipality, category, excerpt.
// Loaded only on the search page. Every UI string comes from data attributes of the page, which
// the template fills from the theme's .ftl files. Without JavaScript, the form still submits to
// this page and its text explains how to browse instead.

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 300;

const root = document.querySelector("[data-search]");
if (root) {
  start(root);
}

function start(root) {
  const d = root.dataset;
  const form = root.querySelector("form.search-form");
  const input = form.querySelector("input[name=q]");
  const status = root.querySelector("[data-search-status]");
  const section = root.querySelector("[data-search-results]");
  const list = section.querySelector("ol");
  const params = new URLSearchParams(window.location.search);
  const query = params.get("q") || "";
  input.value = query;
  const filterBox = form.querySelector("[data-search-filters]");
  const selects = [...form.querySelectorAll("select[data-filter]")];
  // The header's box on this page duplicates this form: keep them in step.
  const headerInput = document.getElementById("site-search-q");
  if (headerInput) headerInput.value = query;

  if (!d.bundle) {
    status.textContent = d.unavailable;
    return;
  }
  // Loaded once, in the background: the form listens from the start, so typing early works.
  const ready = (async () => {
    const pagefind = await import(d.bundle + "pagefind.js");
    await pagefind.options({ basePath: d.bundle, baseUrl: d.base, excerptLength: 24 });
    await pagefind.init();
    return pagefind;
  })();
  ready.catch((error) => {
    status.textContent = d.failed;
    console.warn("Pagefind could not be loaded:", error);
  });
  // The filter values of this language's index (municipalities, service categories).
  const filtersReady = ready.then(async (pagefind) => {
    const available = await pagefind.filters();
    const lang = document.documentElement.lang;
    for (const select of selects) {
      const values = Object.keys(available[select.dataset.filter] || {});
      values.sort((a, b) => a.localeCompare(b, lang));
      for (const value of values) select.append(new Option(value, value));
      const wanted = params.get(select.name);
      if (wanted && values.includes(wanted)) select.value = wanted;
    }
    if (selects.some((s) => s.options.length > 1)) filterBox.hidden = false;
  });
  const chosenFilters = () => {
    const filters = {};
    for (const select of selects) if (select.value) filters[select.dataset.filter] = select.value;
    return filters;
  };

  const plural = new Intl.PluralRules(document.documentElement.lang);
  const countText = (n) => {
    const template = d["count" + capitalize(plural.select(n))] || d.countOther;
    return template.replace("{n}", n.toLocaleString(document.documentElement.lang));
  };

  let generation = 0;
  let timer = null;

  async function run(term, { updateAddress }) {
    const mine = ++generation;
    term = term.trim();
    const filters = chosenFilters();
    if (updateAddress) {
      const url = new URL(window.location.href);
      if (term) url.searchParams.set("q", term);
      else url.searchParams.delete("q");
      for (const select of selects) {
        if (select.value) url.searchParams.set(select.name, select.value);
        else url.searchParams.delete(select.name);
      }
      history.replaceState(null, "", url);
    }
    if (!term && Object.keys(filters).length === 0) {
      status.textContent = "";
      section.hidden = true;
      list.replaceChildren();
      return;
    }
    status.textContent = d.searching;
    let search;
    try {
      const pagefind = await ready;
      // A filter alone lists everything it matches (all services of a municipality).
      search = await pagefind.search(term || null, { filters });
    } catch (error) {
      if (mine === generation) status.textContent = d.failed;
      console.warn("Search failed:", error);
      return;
    }
    if (mine !== generation) return; // a newer query is running
    const results = search.results;
    list.replaceChildren();
    if (results.length === 0) {
      section.hidden = true;
      status.textContent = d.none;
      return;
    }
    section.hidden = false;
    await showMore(results, 0, mine);
    // Announced once the first results are on the page.
    if (mine === generation) status.textContent = countText(results.length);
  }

  async function showMore(results, from, mine) {
    const page = await Promise.all(results.slice(from, from + PAGE_SIZE).map((r) => r.data()));
    if (mine !== generation) return;
    list.querySelector(".search-results__more")?.remove();
    let first = null;
    for (const data of page) {
      const item = resultItem(data);
      first = first || item;
      list.append(item);
    }
    if (from + PAGE_SIZE < results.length) {
      const li = document.createElement("li");
      li.className = "search-results__more";
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = d.more;
      button.addEventListener("click", async () => {
        await showMore(results, from + PAGE_SIZE, mine);
        // Keyboard users continue from the first new result.
        list.querySelectorAll(".search-result a")[from + PAGE_SIZE]?.focus();
      });
      li.append(button);
      list.append(li);
    }
    return first;
  }

  function resultItem(data) {
    const li = document.createElement("li");
    li.className = "search-result";
    const heading = document.createElement("h3");
    heading.className = "search-result__title";
    const link = document.createElement("a");
    link.href = data.url;
    link.textContent = data.meta.title || data.url;
    heading.append(link);
    li.append(heading);
    const facts = [
      [d.labelMunicipality, data.meta.municipality],
      [d.labelCategory, data.meta.category],
    ].filter(([, value]) => value);
    if (facts.length) {
      const dl = document.createElement("dl");
      dl.className = "search-result__facts";
      for (const [label, value] of facts) {
        const div = document.createElement("div");
        const dt = document.createElement("dt");
        dt.textContent = label;
        const dd = document.createElement("dd");
        dd.textContent = value;
        div.append(dt, dd);
        dl.append(div);
      }
      li.append(dl);
    }
    if (data.excerpt) {
      const p = document.createElement("p");
      p.className = "search-result__excerpt";
      appendExcerpt(p, data.excerpt);
      li.append(p);
    }
    return li;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    clearTimeout(timer);
    run(input.value, { updateAddress: true });
  });
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(() => run(input.value, { updateAddress: true }), DEBOUNCE_MS);
  });
  for (const select of selects) {
    select.addEventListener("change", () => {
      clearTimeout(timer);
      run(input.value, { updateAddress: true });
    });
  }
  const filtered = selects.some((s) => params.get(s.name));
  if (query || filtered) filtersReady.then(() => run(query, { updateAddress: false }));
}

function capitalize(s) {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// Pagefind's excerpt is HTML-escaped text with <mark> around the matched words. Parse it inertly
// and copy only text and <mark>, so nothing else from the index can reach the page.
function appendExcerpt(target, html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeType === Node.ELEMENT_NODE && node.tagName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      target.append(mark);
    } else {
      target.append(document.createTextNode(node.textContent));
    }
  }
}

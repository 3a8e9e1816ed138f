// Steps of the editing-interface test (tests/it/cms.rs), run in the page by the test driver.
// `mount` stands in for the folder an editor picks in "Work with Local Repository": the
// browser's origin-private file system, filled with the fixture site, plays the local folder
// (Sveltia asks `showDirectoryPicker` for it; a real picker needs a person to click).
window.cmsTest = {
  async mount(files) {
    const root = await navigator.storage.getDirectory();
    const repo = await root.getDirectoryHandle('portal', { create: true });
    await repo.getDirectoryHandle('.git', { create: true });
    for (const [path, text] of Object.entries(files)) {
      const parts = path.split('/');
      let dir = repo;
      for (const part of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(part, { create: true });
      const writable = await (await dir.getFileHandle(parts.at(-1), { create: true })).createWritable();
      await writable.write(text);
      await writable.close();
    }
    window.showDirectoryPicker = async () => repo;
    return true;
  },
  // Every file of the folder, as the CMS left it.
  async files() {
    const out = {};
    const walk = async (dir, prefix) => {
      for await (const [name, handle] of dir.entries()) {
        if (handle.kind === 'directory') await walk(handle, prefix + name + '/');
        else out[prefix + name] = await (await handle.getFile()).text();
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle('portal'), '');
    return out;
  },
  // A button by its text (without the name of its icon, which is text in the icon font).
  button(text, scope = document) {
    const clean = (b) => b.textContent.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
    return [...scope.querySelectorAll('button')].find((b) => clean(b) === text || clean(b).endsWith(' ' + text));
  },
  // Sveltia renders the fields of a long form as they come into view: scrolls down the form
  // until `find()` gives something.
  async reveal(find) {
    for (let i = 0; i < 100; i++) {
      const hit = find();
      if (hit) return hit;
      // The editor pane: the scrollable ancestor of the first field.
      let pane = this.field('Tytuł');
      while (pane && !(pane.scrollHeight > pane.clientHeight && getComputedStyle(pane).overflowY !== 'visible')) pane = pane.parentElement;
      (pane || document.scrollingElement).scrollBy(0, 300);
      await new Promise((r) => setTimeout(r, 150));
    }
    throw new Error('not on the screen: ' + find);
  },
  async buttonCentre(text) {
    return this.centre(await this.reveal(() => this.button(text)));
  },
  // The label of a field (Sveltia: an element `…-label` that its control is
  // `aria-labelledby`); `index` picks one of several with the same text (-1: the last).
  field(label, index = 0) {
    const labels = [...document.querySelectorAll('[id$="-label"]')].filter((e) => e.textContent.trim().replace(/\s*\*$/, '') === label);
    return labels.at(index);
  },
  control(label, selector = '*', index = 0) {
    const l = this.field(label, index);
    return l && document.querySelector(`${selector}[aria-labelledby~="${l.id}"]`);
  },
  focus(label, selector = 'input', index = 0) {
    const c = this.control(label, selector, index);
    if (!c) throw new Error('no field ' + label);
    c.scrollIntoView({ block: 'center' });
    c.focus();
    return true;
  },
  // Where to click (viewport pixels) for an element, after scrolling it into view: the
  // driver clicks with the mouse, as Sveltia's menus and Leaflet listen to pointer events.
  centre(element) {
    if (!element) throw new Error('nothing to click');
    element.scrollIntoView({ block: 'center' });
    const r = element.getBoundingClientRect();
    return [r.x + r.width / 2, r.y + r.height / 2];
  },
  controlCentre(label) {
    return this.centre(this.control(label));
  },
  // Where to click to choose `text` in the field `label`: Sveltia shows a short list of
  // choices as radio buttons (the radio's centre), a long one as a menu (the menu's button; the
  // option is then `option(text)`).
  pickCentre(label, text) {
    const control = this.control(label);
    if (control && control.getAttribute('role') === 'radiogroup') {
      const radio = [...control.querySelectorAll('[role=radio]')].find((r) => {
        const l = document.getElementById(r.getAttribute('aria-labelledby') || '');
        return (l ? l.textContent : r.textContent).trim() === text;
      });
      return this.centre(radio);
    }
    return this.centre(control);
  },
  // The list of services of the `@/` reference field `label` (service-picker.js): the first one
  // after the label.
  serviceSelect(label) {
    const l = this.field(label);
    return [...document.querySelectorAll('[data-service-reference]')].find(
      (s) => l && l.compareDocumentPosition(s) & Node.DOCUMENT_POSITION_FOLLOWING);
  },
  serviceOptions(label) {
    const s = this.serviceSelect(label);
    return s ? [...s.options].map((o) => o.textContent) : [];
  },
  // Chooses as a keyboard user would: focus, pick, and the change the page listens to.
  async chooseService(label, reference) {
    const s = this.serviceSelect(label);
    s.scrollIntoView({ block: 'center' });
    s.focus();
    s.value = reference;
    s.dispatchEvent(new Event('change', { bubbles: true }));
    // The field is controlled: its value is what the form holds once it has taken the change.
    await new Promise((r) => setTimeout(r, 300));
    return this.serviceSelect(label).value;
  },
  option(text) {
    const o = [...document.querySelectorAll('[role=option]')].find((e) => e.textContent.trim() === text);
    return o ? this.centre(o) : null;
  },
  // The centre of the map picker, in viewport pixels, after scrolling it into view.
  mapCentre() {
    return this.centre(document.querySelector('.mp-picker-map'));
  },
  picked() {
    return [...document.querySelectorAll('[data-coordinate]')].map((i) => i.value);
  },
  errors() {
    return [...document.querySelectorAll('[role=alert]')].map((e) => e.textContent.trim()).filter(Boolean);
  },
};

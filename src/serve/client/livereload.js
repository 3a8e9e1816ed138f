// metroportal serve: live reload and the build-error overlay. Served by the dev server only
// (/__metroportal/livereload.js) and added to HTML responses there; never part of a build.
//
// The server sends a `state` event ({build, attempt, ok}) when the stream opens and after
// every build. A page reloads when a newer good build exists; while the last build failed it
// shows the diagnostics (the <main> of /__metroportal/errors) in a modal dialog, which Escape
// or the button closes to look at the last good page beneath.
(() => {
  'use strict';
  const params = new URL(document.currentScript.src).searchParams;
  const loaded = Number(params.get('build'));
  // The overlay page itself (/__metroportal/errors, or any page while no build has succeeded)
  // names the attempt it shows, and reloads when there is a newer one.
  const overlayOf = params.has('attempt') ? Number(params.get('attempt')) : null;
  let host = null;
  let shownAttempt = -1;

  function hide() {
    if (host !== null) {
      host.remove();
      host = null;
    }
    shownAttempt = -1;
  }

  async function show(attempt) {
    const response = await fetch('/__metroportal/errors', { cache: 'no-store' });
    const page = new DOMParser().parseFromString(await response.text(), 'text/html');
    const main = page.querySelector('main');
    if (main === null || attempt !== shownAttempt) return;
    if (host !== null) host.remove();
    host = document.createElement('div');
    host.setAttribute('data-metroportal-overlay-host', '');
    // A shadow root keeps the site's CSS and the overlay's CSS apart.
    const root = host.attachShadow({ mode: 'open' });
    const style = document.createElement('link');
    style.rel = 'stylesheet';
    style.href = '/__metroportal/overlay.css';
    const dialog = document.createElement('dialog');
    dialog.className = 'mp-dialog';
    dialog.setAttribute('aria-labelledby', 'mp-title');
    const close = document.createElement('button');
    close.type = 'button';
    close.className = 'mp-close';
    close.textContent = 'Close and show the last good page';
    close.addEventListener('click', () => dialog.close());
    dialog.append(document.importNode(main, true), close);
    root.append(style, dialog);
    document.body.append(host);
    dialog.showModal();
  }

  // EventSource reconnects by itself if the connection drops; the server then sends the
  // current state again.
  const events = new EventSource('/__metroportal/events');
  events.addEventListener('state', (event) => {
    const state = JSON.parse(event.data);
    // Tells tests (and the curious) that the page is connected and which build it knows of.
    document.documentElement.setAttribute('data-metroportal-attempt', String(state.attempt));
    if (overlayOf !== null) {
      if (state.attempt !== overlayOf) location.reload();
    } else if (state.ok) {
      if (state.build !== loaded) location.reload();
      else hide();
    } else if (state.attempt !== shownAttempt) {
      shownAttempt = state.attempt;
      show(state.attempt).catch(() => {});
    }
  });
})();

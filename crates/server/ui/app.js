// The explorer's frame: which view a URL names, links that stay in the
// page, the search box, and following the graph's changes (each change
// renders the open view again).

import { takeTokenFromAddress, stream, seenRevision } from './api.js';
import * as views from './views.js';
import { el } from './dom.js';
import { forget } from './draw.js';

const main = document.getElementById('view');
const live = document.getElementById('live');
let revision = null;
let rendering = null;

// A part of the address as written, when it is not well-formed
// percent-encoding (`%zz`).
function decoded(part) {
  try {
    return decodeURIComponent(part);
  } catch (_) {
    return part;
  }
}

// `/ui/symbol/crate%3A%3Adb` → ['symbol', 'crate::db'].
function route() {
  const rest = location.pathname.replace(/^\/ui\/?/, '');
  const parts = rest.split('/');
  const params = new URLSearchParams(location.search);
  const whole = (from) => parts.slice(from).map(decoded).join('/');
  switch (parts[0]) {
    case '':
      return { name: 'home', run: (m) => views.home(m) };
    case 'search':
      return { name: 'search', run: (m) => views.search(m, params) };
    case 'symbol':
      return { name: 'symbol', run: (m) => views.symbol(m, whole(1)) };
    case 'file':
      return { name: 'file', run: (m) => views.file(m, whole(1)) };
    case 'impact':
      return { name: 'impact', run: (m) => views.impact(m, whole(1)) };
    case 'modules':
      return { name: 'modules', run: (m) => views.modules(m, params) };
    case 'cycles':
      return { name: 'cycles', run: (m) => views.cycles(m, params) };
    case 'conflicts':
      return {
        name: 'conflicts',
        run: (m, signal) => views.conflicts(m, parts[1] && decoded(parts[1]), parts[2] && decoded(parts[2]), signal),
        once: true,
      };
    default:
      return { name: 'missing', run: (m) => m.append(el('h1', {}, 'No such page'), el('p', {}, el('a', { href: '/ui/' }, 'Start here'))) };
  }
}

// Draw the view the address names into a fresh element, then swap it in
// (a refresh keeps the scroll position and does not flash).
async function render({ refresh = false } = {}) {
  const r = route();
  if (refresh && r.once) return;
  rendering?.abort();
  const ctl = new AbortController();
  rendering = ctl;
  const fresh = el('div', { class: 'view', 'data-view': r.name });
  const y = window.scrollY;
  if (refresh) {
    // drawn in place but unseen (a drawing needs its size), then swapped
    fresh.classList.add('staging');
    main.append(fresh);
  } else {
    forget(main);
    main.replaceChildren(fresh);
    main.removeAttribute('data-ready');
  }
  try {
    await r.run(fresh, ctl.signal);
  } catch (e) {
    if (ctl.signal.aborted) {
      forget(fresh);
      fresh.remove();
      return;
    }
    fresh.replaceChildren();
    await views.problem(fresh, null, e);
  }
  if (ctl.signal.aborted) {
    forget(fresh);
    if (refresh) fresh.remove();
    return;
  }
  if (refresh) {
    fresh.classList.remove('staging');
    for (const old of [...main.children]) if (old !== fresh) forget(old);
    main.replaceChildren(fresh);
    window.scrollTo(0, y);
  }
  const q = document.querySelector('#search input');
  if (r.name === 'search') q.value = new URLSearchParams(location.search).get('q') || '';
  document.title = (fresh.querySelector('h1')?.textContent || 'weft') + ' · weft';
  main.dataset.ready = String(revision ?? 0);
  if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
}

function go(href) {
  if (href === location.pathname + location.search) return render();
  history.pushState(null, '', href);
  render();
}

document.addEventListener('weft:go', (ev) => go(ev.detail));
window.addEventListener('popstate', () => render());

// Links inside the explorer stay in the page.
document.addEventListener('click', (ev) => {
  const a = ev.target.closest?.('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
  const u = new URL(a.href, location.href);
  if (u.origin !== location.origin || !u.pathname.startsWith('/ui/')) return;
  ev.preventDefault();
  go(u.pathname + u.search + u.hash);
});

document.getElementById('search').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const q = ev.target.q.value.trim();
  if (q) go('/ui/search?q=' + encodeURIComponent(q));
});

function showRevision(text, title) {
  live.textContent = text;
  live.title = title;
}

// Follow /v1/events; each change renders the open view again, at most
// once per quarter second. A reconnection asks for the events it missed
// (`Last-Event-ID`); a stream that starts at a newer revision than the
// page's answers redraws too.
let pending = null;
function redraw() {
  clearTimeout(pending);
  pending = setTimeout(() => render({ refresh: true }), 250);
}
async function follow() {
  for (;;) {
    try {
      const headers = revision === null ? {} : { 'Last-Event-ID': String(revision) };
      await stream('/v1/events', { method: 'GET', headers }, (name, data) => {
        if (name === 'hello' || name === 'change' || name === 'resync') {
          revision = Math.max(revision ?? 0, data.revision);
          showRevision(`revision ${revision}`, 'Following changes: the page redraws when the code changes');
          live.classList.add('on');
        }
        // a view still loading gets answers at the new revision anyway
        const behind = name === 'hello' && main.dataset.ready !== undefined && data.revision > seenRevision();
        if (name === 'change' || name === 'resync' || behind) redraw();
      });
    } catch (_) {
      /* the server went away or needs a token: try again */
    }
    live.classList.remove('on');
    showRevision('not following', 'The change stream is closed; retrying');
    await new Promise((r) => setTimeout(r, 3000));
  }
}

takeTokenFromAddress();
render();
follow();

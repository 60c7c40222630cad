// The explorer's views, one per URL. Each renders into a fresh element
// from /v1 answers; app.js swaps it in and renders it again when the graph
// changes.

import { get, stream, ApiError, setToken } from './api.js';
import { Drawing } from './draw.js';
import { picture } from './pictures.js';
import { el, put, link, line, symbolHref, fileHref, impactHref, modulesHref, nodeHref, folderGlob } from './dom.js';

const go = (href) => document.dispatchEvent(new CustomEvent('weft:go', { detail: href }));

const badge = (kind) => el('span', { class: 'kind' }, kind);

function symbolRow(s) {
  return el('li', { class: 'symbol' },
    badge(s.kind), ' ',
    link(symbolHref(s.id), s.qualified_name), ' ',
    el('a', { href: fileHref(s.file, line(s.span)), class: 'where' }, `${s.file}:${line(s.span)}`),
    s.signature ? el('code', { class: 'signature' }, s.signature) : null);
}

// A titled part of a page, named by its title's first word
// (`data-section="callers"`).
function section(title, ...children) {
  const name = String(title).split(/[^A-Za-z]/)[0].toLowerCase();
  return el('section', { 'data-section': name }, el('h2', {}, title), ...children);
}

function list(items, empty) {
  return items.length ? el('ul', {}, items) : el('p', { class: 'empty' }, empty);
}

// The nodes a picture reaches in one step from its root.
function neighbours(pic) {
  return pic.nodes.filter((n) => n.id !== pic.root);
}

// How many a one-step picture reached, the ones its cap left out too.
const count = (pic) => neighbours(pic).length + pic.left_out.nodes;

function more(pic) {
  return pic.left_out.nodes ? el('p', { class: 'note' }, `${pic.left_out.nodes} more not listed.`) : null;
}

function nodeRow(n) {
  return el('li', {}, badge(n.kind), ' ', link(nodeHref(n), n.title));
}

// A question the API could not answer: why, and what might have been
// meant.
export async function problem(main, target, err) {
  if (err instanceof ApiError && err.status === 401) return askToken(main);
  put(main, el('h1', {}, err.status === 404 || err.status === 400 ? 'Not found' : 'Something went wrong'),
    el('pre', { class: 'error' }, err.message));
  if (!target) return;
  const name = target.split(/::|\.|\/|#/).filter(Boolean).pop() || target;
  const candidates = await get('symbols', { q: name, limit: 15 }).catch(() => []);
  put(main, section(`Symbols named like “${name}”`, list(candidates.map(symbolRow), 'None either.')));
}

function askToken(main) {
  const input = el('input', { type: 'password', name: 'token', autocomplete: 'off', 'aria-label': 'Token' });
  put(main, el('h1', {}, 'This server needs its token'),
    el('p', {}, 'weft serve was started with --token-file. Paste the token; it is kept for this tab only.'),
    el('form', {
      class: 'token',
      onsubmit: (ev) => {
        ev.preventDefault();
        setToken(input.value.trim());
        go(location.pathname + location.search);
      },
    }, input, el('button', { type: 'submit' }, 'Use')));
}

export async function home(main) {
  const stats = await get('stats');
  const files = Object.entries(stats.files);
  const total = files.reduce((n, [, c]) => n + c, 0);
  const edges = Object.values(stats.edges).reduce((n, c) => n + c, 0);
  put(main, el('h1', {}, 'This repository'),
    el('p', { class: 'lead' }, `${total} files, ${stats.symbols} symbols, ${edges} edges.`),
    el('table', { class: 'stats' },
      el('thead', {}, el('tr', {}, el('th', {}, 'language'), el('th', {}, 'files'))),
      el('tbody', {}, files.map(([lang, n]) => el('tr', {}, el('td', {}, lang), el('td', {}, n))))),
    section('Look around', el('ul', {},
      el('li', {}, link(modulesHref(''), 'The module map'), ': folders and the imports between them'),
      el('li', {}, link('/ui/cycles', 'Dependency cycles')),
      el('li', {}, link('/ui/conflicts', 'Merge conflicts'), ' predicted between two revisions'),
      el('li', {}, 'Or search for a symbol above: by name (', el('code', {}, 'Store::open'), ') or by words (', el('code', {}, 'parse headers'), ')'))));
}

export async function search(main, params) {
  const q = params.get('q') || '';
  put(main, el('h1', {}, q ? `Symbols for “${q}”` : 'Search'));
  if (!q) return;
  const [byName, byWords] = await Promise.all([
    get('symbols', { q, limit: 25 }),
    get('search', { q, limit: 25 }).catch(() => []),
  ]);
  put(main, section('By name', list(byName.map(symbolRow), 'No symbol has that name.')),
    section('By words', list(byWords.map((h) => symbolRow(h.symbol)), 'No symbol matches those words.')));
}

export async function symbol(main, target) {
  let refs;
  try {
    refs = await get('refs', { target });
  } catch (e) {
    return problem(main, target, e);
  }
  if (!refs.target) return local(main, refs);
  const s = refs.target;
  const [pack, callers, calls, impls] = await Promise.all([
    get('context', { target: s.id, budget: 2000, tokenizer: 'bytes' }).catch(() => null),
    picture({ target: s.id, kind: 'callers', depth: 1, limit: 40 }),
    picture({ target: s.id, kind: 'calls', depth: 1, limit: 40 }),
    get('impls', { target: s.id }).catch(() => null),
  ]);
  const mermaid = el('button', {
    type: 'button',
    title: 'Copy its callers, two deep, as a Mermaid flowchart, for a review comment',
    onclick: async (ev) => {
      try {
        const g = await get('graph', { target: s.id, kind: 'callers', depth: 2, format: 'mermaid' });
        await navigator.clipboard.writeText(g.text);
        ev.target.textContent = 'Copied';
      } catch (e) {
        ev.target.textContent = e.status === 501 ? 'Only weft serve draws Mermaid' : 'Could not copy: ' + e.message;
      }
    },
  }, 'Copy as Mermaid');
  put(main, 
    el('h1', { class: 'symbol-name' }, badge(s.kind), ' ', s.name),
    el('p', { class: 'qualified' }, s.qualified_name),
    el('p', { class: 'where' }, link(fileHref(s.file, line(s.span)), `${s.file}:${line(s.span)}`),
      ' · ', link(impactHref(s.id), 'Impact of a change'), ' · ', mermaid),
    s.signature ? el('pre', { class: 'signature' }, s.signature) : null,
    s.doc ? el('p', { class: 'doc' }, s.doc) : null);

  const box = el('div', { class: 'graph' });
  put(main, section('Callers and callees', el('p', { class: 'hint' }, 'Select a node to open it or to expand its own callers and callees.'), box));
  const drawing = new Drawing(box, {
    open: (n) => go(nodeHref(n)),
    expand: (n) => Promise.all([
      picture({ target: n.id, kind: 'callers', depth: 1, limit: 30 }),
      picture({ target: n.id, kind: 'calls', depth: 1, limit: 30 }),
    ]),
  });
  drawing.add(callers);
  drawing.add(calls);
  await drawing.resume();

  put(main, 
    el('div', { class: 'columns' },
      section(`Callers (${count(callers)})`, list(neighbours(callers).map(nodeRow), 'Nothing calls it.'), more(callers)),
      section(`Callees (${count(calls)})`, list(neighbours(calls).map(nodeRow), 'It calls nothing in this repository.'), more(calls))),
    references(refs.references));
  if (impls && (impls.implementors.length || impls.implements.length)) {
    put(main, section('Implementations', el('div', { class: 'columns' },
      el('div', {}, el('h3', {}, 'Implemented by'), list(impls.implementors.map(symbolRow), 'Nothing.')),
      el('div', {}, el('h3', {}, 'Implements'), list(impls.implements.map((i) => i.target ? symbolRow(i.target) : el('li', {}, i.name, ' ', badge(i.resolution))), 'Nothing.')))));
  }
  put(main, pack ? source(pack.target, pack.target_lines_cut) : section('Source', el('p', { class: 'empty' }, 'Not available here (a replica does not answer /v1/context): see it in the file.')));
}

// At most this many references are listed; the count says how many more.
const SHOWN_REFERENCES = 1000;

function references(refs) {
  const byFile = new Map();
  for (const r of refs.slice(0, SHOWN_REFERENCES)) {
    if (!byFile.has(r.file)) byFile.set(r.file, []);
    byFile.get(r.file).push(r);
  }
  return section(`References (${refs.length})`, byFile.size
    ? el('ul', { class: 'references' }, [...byFile].map(([file, rs]) => el('li', {},
      link(fileHref(file), file), ' ',
      rs.map((r) => el('span', { class: 'ref' }, `${line(r.span)}:${r.span.start.col + 1} `, badge(r.role), r.resolution === 'heuristic' ? badge('heuristic') : null)))))
    : el('p', { class: 'empty' }, 'No references.'),
  refs.length > SHOWN_REFERENCES ? el('p', { class: 'note' }, `${refs.length - SHOWN_REFERENCES} more not listed (weft refs lists them all).`) : null);
}

function source(item, cut) {
  const lines = item.text.split('\n');
  return section('Source', el('pre', { class: 'source' },
    lines.map((t, i) => el('span', { class: 'line' }, el('span', { class: 'no' }, String(item.line + i)), t, '\n'))),
  cut ? el('p', { class: 'note' }, `${cut} more lines not shown.`) : null);
}

function local(main, refs) {
  const l = refs.local;
  put(main, el('h1', {}, badge(l.kind), ' ', l.name),
    el('p', { class: 'where' }, link(fileHref(l.file, line(l.span)), `${l.file}:${line(l.span)}`),
      l.function ? [' in ', link(symbolHref(l.function.id), l.function.qualified_name)] : null),
    references(refs.references));
}

export async function file(main, path) {
  let outline, deps, pic;
  try {
    [outline, deps, pic] = await Promise.all([
      get('outline', { file: path }),
      get('deps', { target: path }),
      picture({ target: path, kind: 'deps', depth: 1, limit: 60 }),
    ]);
  } catch (e) {
    return problem(main, path, e);
  }
  const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  put(main, el('h1', { class: 'file-name' }, path),
    el('p', { class: 'where' }, link(impactHref(path), 'Impact of a change'), ' · ', link(modulesHref(folder), `Module map of ${folder || 'the repository'}`)),
    el('div', { class: 'columns' },
      section(`Outline (${outline.length})`, outlineTree(outline)),
      el('div', {},
        section(`Imports (${deps.imports.length})`, list(deps.imports.map((f) => el('li', {}, link(fileHref(f), f))), 'No files of this repository.')),
        section(`Imported by (${deps.imported_by.length})`, list(deps.imported_by.map((f) => el('li', {}, link(fileHref(f), f))), 'No file imports it.')),
        deps.external.length ? section('External', el('ul', {}, deps.external.map((m) => el('li', {}, el('code', {}, m))))) : null,
        deps.unresolved.length ? section('Unresolved', el('ul', {}, deps.unresolved.map((m) => el('li', {}, el('code', {}, m))))) : null)));
  const box = el('div', { class: 'graph' });
  put(main, section('Imports around it', box));
  const drawing = new Drawing(box, {
    open: (n) => go(nodeHref(n)),
    expand: (n) => Promise.all([picture({ target: n.id, kind: 'deps', depth: 1, limit: 30 })]),
  });
  drawing.add(pic);
  await drawing.resume();
}

// Definitions nested in their containers.
function outlineTree(symbols) {
  const ids = new Set(symbols.map((s) => s.id));
  const children = new Map();
  for (const s of symbols) {
    const parent = s.container && ids.has(s.container) ? s.container : null;
    if (!children.has(parent)) children.set(parent, []);
    children.get(parent).push(s);
  }
  const tree = (parent) => el('ul', { class: 'outline' }, (children.get(parent) || []).map((s) => el('li', { id: 'L' + line(s.span) },
    badge(s.kind), ' ', link(symbolHref(s.id), s.name), ' ', el('span', { class: 'where' }, String(line(s.span))),
    children.has(s.id) ? tree(s.id) : null)));
  return symbols.length ? tree(null) : el('p', { class: 'empty' }, 'No definitions.');
}

export async function impact(main, target) {
  let walked, pic;
  try {
    [walked, pic] = await Promise.all([
      get('impact', { target, depth: 3, limit: 1000 }),
      picture({ target, kind: 'impact', depth: 2, limit: 60 }),
    ]);
  } catch (e) {
    return problem(main, target, e);
  }
  const t = walked.target;
  const name = t.qualified_name || t.file;
  const byFile = new Map();
  for (const r of walked.impact) {
    const f = r.node.file;
    const e = byFile.get(f) || { symbols: 0, nearest: r.distance, heuristic: true };
    if (r.node.qualified_name) e.symbols += 1;
    e.nearest = Math.min(e.nearest, r.distance);
    e.heuristic = e.heuristic && r.resolution === 'heuristic';
    byFile.set(f, e);
  }
  const files = [...byFile].sort((a, b) => a[1].nearest - b[1].nearest || a[0].localeCompare(b[0]));
  put(main, el('h1', {}, 'Impact of ', el('span', { class: 'qualified' }, name)),
    el('p', { class: 'lead' }, `A change to it can affect ${walked.impact.length} symbols and files in ${files.length} files, up to 3 edges away.`),
    t.id ? el('p', { class: 'where' }, link(symbolHref(t.id), 'Back to the symbol')) : el('p', { class: 'where' }, link(fileHref(t.file), 'Back to the file')),
    section(`Affected files (${files.length})`, files.length
      ? el('ul', { class: 'affected' }, files.map(([f, e]) => el('li', { class: 'affected-file' }, link(fileHref(f), f),
        ` · ${e.symbols} symbols · ${e.nearest} away`, e.heuristic ? [' ', badge('heuristic')] : null)))
      : el('p', { class: 'empty' }, 'Nothing depends on it.')));
  const box = el('div', { class: 'graph' });
  put(main, section('What depends on it, 2 edges out', box));
  new Drawing(box, { open: (n) => go(nodeHref(n)) }).add(pic);
}

export async function modules(main, params) {
  const path = params.get('path') || '';
  const pic = await get('graph', { modules: true, path: folderGlob(path), format: 'json', limit: 40 });
  const crumbs = [link(modulesHref(''), 'all')];
  let at = '';
  for (const part of path.split('/').filter(Boolean)) {
    at += part + '/';
    crumbs.push(' / ', link(modulesHref(at), part));
  }
  put(main, el('h1', {}, 'Module map'), el('p', { class: 'crumbs' }, crumbs),
    el('p', { class: 'hint' }, 'Files and the files they import, merged into folders until the picture is readable. Open a folder to see inside it.'));
  const box = el('div', { class: 'graph tall' });
  put(main, box);
  new Drawing(box, { open: (n) => go(nodeHref(n)) }).add(pic);
}

export async function cycles(main, params) {
  const level = params.get('level') === 'module' ? 'module' : 'file';
  const [answer, pic] = await Promise.all([get('cycles', { level }), get('cycles', { level, format: 'dot' })]);
  const other = level === 'file' ? 'module' : 'file';
  put(main, el('h1', {}, 'Dependency cycles'),
    el('p', {}, `Between ${level}s · `, link('/ui/cycles?level=' + other, `show ${other}s instead`)));
  if (!answer.cycles.length) {
    put(main, el('p', { class: 'lead empty' }, `No cycles between ${level}s.`));
    return;
  }
  put(main, el('ol', { class: 'cycles' }, answer.cycles.map((c) => el('li', { class: 'cycle' }, `${c.length} members: `,
    c.map((m, i) => [i ? ', ' : '', level === 'file' ? link(fileHref(m), m) : el('code', {}, m)])))));
  const box = el('div', { class: 'graph tall' });
  put(main, box);
  new Drawing(box, { open: (n) => go(nodeHref(n)) }).add(pic);
}

export async function conflicts(main, a, b, signal) {
  const ia = el('input', { name: 'a', value: a || 'HEAD', 'aria-label': 'Revision A' });
  const ib = el('input', { name: 'b', value: b || '', placeholder: 'a branch, tag or commit', 'aria-label': 'Revision B' });
  put(main, el('h1', {}, 'Merge conflicts, predicted'),
    el('p', {}, 'What merging two revisions will break: the same symbol changed on both sides (direct), an interface changed on one side and used by new code on the other (semantic), and changes that depend on each other (impact).'),
    el('form', {
      class: 'revisions',
      onsubmit: (ev) => {
        ev.preventDefault();
        go(`/ui/conflicts/${encodeURIComponent(ia.value.trim())}/${encodeURIComponent(ib.value.trim())}`);
      },
    }, ia, ' and ', ib, el('button', { type: 'submit' }, 'Predict')));
  if (!a || !b) return;
  const out = el('div', { class: 'tiers' }, el('p', { class: 'hint' }, 'Reading both revisions…'));
  put(main, out);
  const tiers = [];
  try {
    await stream('/v1/conflicts', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ a, b }) }, (name, data) => {
      if (name === 'start') out.replaceChildren(el('p', { class: 'lead' }, `Changed symbols: ${data.a_changes ?? '?'} on ${a}, ${data.b_changes ?? '?'} on ${b}.`));
      if (name === 'tier') {
        tiers.push(data);
        put(out, section(`${data.tier} (${data.predictions.length})`, list(data.predictions.map(prediction), 'None.')));
      }
      if (name === 'done') put(out, el('p', { class: 'note done' }, `${data.predictions} predicted conflicts, in ${Math.round(data.millis)} ms.`));
      if (name === 'error') put(out, el('pre', { class: 'error' }, data.message));
    }, signal);
  } catch (e) {
    if (e.name !== 'AbortError') put(out, el('pre', { class: 'error' }, e.message));
  }
}

function side(c) {
  const v = c.new || c.old;
  return [badge(c.change), ' ', v ? link(fileHref(v.path, v.span.start.line + 1), `${v.path}: ${v.name}`) : '?'];
}

function prediction(p) {
  return el('li', { class: 'prediction' }, el('p', {}, p.reason),
    el('p', { class: 'sides' }, 'A: ', side(p.a), el('br'), 'B: ', side(p.b)),
    p.via.length ? el('p', { class: 'via' }, 'via ', p.via.map((s, i) => [i ? ' → ' : '', `${s.path}:${s.line + 1} ${s.name}`])) : null);
}

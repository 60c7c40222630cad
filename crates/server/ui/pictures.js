// Pictures for the drawings: /v1/graph where it is answered, else built
// here from the walks a replica answers (callers, callees, impact, deps),
// so the explorer works next to a replica too (which answers /v1/graph
// with 501: it walks the whole graph).

import { get } from './api.js';

// A picture in /v1/graph's shape, for `target` along `kind` (callers,
// calls, impact, deps), one step out unless `depth` says more.
export async function picture(params) {
  try {
    return await get('graph', { format: 'json', ...params });
  } catch (e) {
    if (e.status !== 501) throw e;
    return fromWalks(params);
  }
}

function node(n, distance) {
  if (n.qualified_name) {
    return { id: n.id, label: n.name, kind: n.kind, title: n.qualified_name, cluster: n.file, distance };
  }
  const cut = n.file.lastIndexOf('/') + 1;
  return { id: n.file, label: n.file.slice(cut), kind: 'file', title: n.file, cluster: n.file.slice(0, cut), distance };
}

const idOf = (n) => (n.qualified_name ? n.id : n.file);

class Sketch {
  constructor(kind, limit) {
    this.pic = { kind, root: null, nodes: [], edges: [], left_out: { nodes: 0, edges: 0 } };
    this.limit = limit || 80;
    this.ids = new Set();
    this.left = new Set();
    this.edgeIds = new Set();
  }

  add(n, distance) {
    const id = idOf(n);
    if (this.ids.has(id)) return true;
    if (this.pic.nodes.length >= this.limit) {
      if (!this.left.has(id)) this.pic.left_out.nodes += 1;
      this.left.add(id);
      return false;
    }
    this.ids.add(id);
    this.pic.nodes.push(node(n, distance));
    return true;
  }

  edge(from, to, kind, heuristic) {
    if (!this.ids.has(from) || !this.ids.has(to)) {
      this.pic.left_out.edges += 1;
      return;
    }
    const key = kind + from + '>' + to;
    if (this.edgeIds.has(key)) return;
    this.edgeIds.add(key);
    this.pic.edges.push({ from, to, kind, heuristic, count: 1 });
  }
}

async function fromWalks({ target, kind, depth = 1, limit }) {
  const s = new Sketch(kind, limit);
  if (kind === 'deps') {
    const d = await get('deps', { target });
    const me = { file: d.file };
    s.add(me, 0);
    s.pic.root = d.file;
    for (const f of d.imports) if (s.add({ file: f }, 1)) s.edge(d.file, f, 'imports', false);
    for (const f of d.imported_by) if (s.add({ file: f }, 1)) s.edge(f, d.file, 'imports', false);
    return s.pic;
  }
  if (kind === 'calls' && depth <= 1) {
    const c = await get('callees', { target, depth: 1 });
    s.add(c.target, 0);
    s.pic.root = c.target.id;
    for (const call of c.callees) {
      if (call.target && s.add(call.target, 1)) s.edge(c.target.id, call.target.id, 'calls', call.resolution === 'heuristic');
    }
    return s.pic;
  }
  const route = kind === 'calls' ? 'callees' : kind;
  const w = await get(route, { target, depth: Math.max(depth, kind === 'calls' ? 2 : 1) });
  const reached = w[route === 'callees' ? 'callees' : route];
  s.add(w.target, 0);
  s.pic.root = idOf(w.target);
  const label = kind === 'impact' ? 'uses' : 'calls';
  for (const r of reached) {
    if (r.distance > depth) continue;
    s.add(r.node, r.distance);
    const path = r.path.map(idOf);
    const [a, b] = path.slice(-2);
    // arrows from caller to callee, from user to used
    if (kind === 'calls') s.edge(a, b, label, r.resolution === 'heuristic');
    else s.edge(b, a, label, r.resolution === 'heuristic');
  }
  return s.pic;
}

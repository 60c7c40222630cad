// A layered layout for code graphs: every edge points right where it can
// (callers left of what they call, importers left of what they import),
// nodes stacked in columns, each column ordered to follow its neighbours
// so edges cross less. The longest-path layering of a DAG, with the edges
// that close a cycle set aside first.

// ids: node ids in a stable order; edges: [from, to]; width(id): the
// node's drawn width. Returns {id: {x, y}}.
export function layers(ids, edges, width) {
  const index = new Map(ids.map((id, i) => [id, i]));
  const out = ids.map(() => []);
  for (const [a, b] of edges) {
    if (index.has(a) && index.has(b) && a !== b) out[index.get(a)].push(index.get(b));
  }
  const forward = acyclic(out);

  // longest path from the sources, in topological order
  const indegree = ids.map(() => 0);
  forward.forEach((succ) => succ.forEach((v) => { indegree[v] += 1; }));
  const layer = ids.map(() => 0);
  const queue = ids.map((_, i) => i).filter((i) => indegree[i] === 0);
  for (let k = 0; k < queue.length; k++) {
    const u = queue[k];
    for (const v of forward[u]) {
      layer[v] = Math.max(layer[v], layer[u] + 1);
      if (--indegree[v] === 0) queue.push(v);
    }
  }

  // a long chain would make a strip too wide to read: at most about
  // 1.2 sqrt(n) columns, neighbouring layers merged in order (an edge
  // then points right, or stays within its column)
  const deepest = Math.max(0, ...layer);
  const most = Math.max(4, Math.ceil(1.2 * Math.sqrt(ids.length)));
  if (deepest + 1 > most) {
    for (let i = 0; i < layer.length; i++) layer[i] = Math.floor((layer[i] * most) / (deepest + 1));
  }

  // columns, each ordered by where its predecessors sit (one sweep)
  const columns = [];
  ids.forEach((_, i) => { (columns[layer[i]] ||= []).push(i); });
  const preds = ids.map(() => []);
  forward.forEach((succ, u) => succ.forEach((v) => preds[v].push(u)));
  const rank = new Map();
  for (const col of columns) {
    if (!col) continue;
    const centre = (i) => (preds[i].length ? preds[i].reduce((s, p) => s + (rank.get(p) ?? 0), 0) / preds[i].length : Infinity);
    col.sort((a, b) => centre(a) - centre(b) || a - b);
    col.forEach((i, r) => rank.set(i, r));
  }

  const gapX = 60;
  const rowY = 46;
  const pos = {};
  let x = 0;
  for (const col of columns) {
    if (!col) continue;
    const w = Math.max(...col.map((i) => width(ids[i])));
    col.forEach((i, r) => {
      pos[ids[i]] = { x: x + w / 2, y: (r - (col.length - 1) / 2) * rowY };
    });
    x += w + gapX;
  }
  return pos;
}

// The successor lists without the edges that close a cycle (found by an
// iterative depth-first search from each node in order).
function acyclic(out) {
  const state = out.map(() => 0); // 0 new, 1 on the stack, 2 done
  const keep = out.map(() => []);
  for (let s = 0; s < out.length; s++) {
    if (state[s]) continue;
    const stack = [[s, 0]];
    state[s] = 1;
    while (stack.length) {
      const top = stack[stack.length - 1];
      const [u, k] = top;
      if (k === out[u].length) {
        state[u] = 2;
        stack.pop();
        continue;
      }
      top[1] += 1;
      const v = out[u][k];
      if (state[v] === 1) continue; // back edge: closes a cycle
      keep[u].push(v);
      if (state[v] === 0) {
        state[v] = 1;
        stack.push([v, 0]);
      }
    }
  }
  return keep;
}

// Pictures from /v1/graph (nodes, edges, clusters) drawn with Cytoscape.js,
// and the same nodes as a list under the drawing, for keyboards, screen
// readers and anyone who would rather read.

import { el } from './dom.js';
import { layers } from './layers.js';

const STYLE = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 11,
      'font-family': 'system-ui, sans-serif',
      'text-valign': 'center',
      'text-halign': 'center',
      shape: 'round-rectangle',
      width: 'data(w)',
      height: 'data(h)',
      'text-wrap': 'wrap',
      'background-color': '#f4f6f8',
      'border-width': 1,
      'border-color': '#7b8794',
      color: '#1f2933',
    },
  },
  { selector: 'node.file, node.folder, node.module', style: { shape: 'tag', 'background-color': '#e6f0ff' } },
  { selector: 'node.root', style: { 'background-color': '#ffe9a8', 'border-width': 2, 'border-color': '#b7791f' } },
  { selector: 'node:selected', style: { 'border-color': '#2563eb', 'border-width': 3 } },
  {
    selector: 'edge',
    style: {
      width: 'data(width)',
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'line-color': '#9aa5b1',
      'target-arrow-color': '#9aa5b1',
      label: 'data(label)',
      'font-size': 8,
      color: '#52606d',
      'text-rotation': 'autorotate',
      'text-background-color': '#ffffff',
      'text-background-opacity': 0.8,
    },
  },
  { selector: 'edge.heuristic', style: { 'line-style': 'dashed' } },
  { selector: 'edge.quiet', style: { label: '', opacity: 0.35 } },
  { selector: 'edge.quiet:selected', style: { label: 'data(label)' } },
  { selector: 'edge:selected', style: { 'line-color': '#2563eb', 'target-arrow-color': '#2563eb', opacity: 1, 'z-index': 10 } },
];

function edgeLabel(e) {
  let s = e.kind;
  if (e.count > 1) s += ' ×' + e.count;
  if (e.heuristic) s += ' (heuristic)';
  return s;
}

// What a node shows: its name, and on a second line where it is (a
// symbol's file); files and folders show their whole path.
function caption(n) {
  if (n.kind === 'file' || n.kind === 'folder' || n.kind === 'module') return n.id;
  return n.cluster ? n.label + '\n' + n.cluster : n.label;
}

const CHAR = 6.6;

function nodeWidth(text) {
  return Math.max(40, CHAR * Math.max(...text.split('\n').map((l) => l.length)) + 18);
}

const edgeKey = (e) => e.kind + ':' + e.from + '->' + e.to;

// The drawings on the page, so a view that goes can free its own
// (Cytoscape keeps window listeners and observers until destroyed).
const live = new Set();

// What was expanded in each drawing of each page, so a redraw after a
// code change expands it again.
const expandedAt = new Map();

export function forget(container) {
  for (const d of live) {
    if (container.contains(d.box)) {
      d.cy?.destroy();
      live.delete(d);
    }
  }
}

// Cytoscape elements of a picture.
function elements(pic) {
  const out = [];
  for (const n of pic.nodes) {
    const classes = [n.kind];
    if (n.id === pic.root) classes.push('root');
    const text = caption(n);
    out.push({
      group: 'nodes',
      data: { id: n.id, label: text, title: n.title, kind: n.kind, w: nodeWidth(text), h: text.includes('\n') ? 34 : 24 },
      classes: classes.join(' '),
    });
  }
  for (const e of pic.edges) {
    out.push({
      group: 'edges',
      data: {
        id: edgeKey(e),
        source: e.from,
        target: e.to,
        label: edgeLabel(e),
        width: 1 + Math.min(4, Math.log2(e.count || 1)),
      },
      classes: e.heuristic ? 'heuristic' : '',
    });
  }
  return out;
}

// A drawing in `box`, with a side panel for the selected node. `open(node)`
// follows a node to its page; `expand(node)` (optional) returns more
// pictures to merge in.
export class Drawing {
  constructor(box, { open, expand }) {
    this.open = open;
    this.expand = expand;
    this.box = box;
    this.canvas = el('div', { class: 'canvas', role: 'img' });
    this.panel = el('aside', { class: 'panel' }, el('p', { class: 'hint' }, 'Select a node to see it here.'));
    this.list = el('ul', { class: 'graph-nodes' });
    this.notes = el('p', { class: 'note' });
    box.append(el('div', { class: 'drawing' }, this.canvas, this.panel), this.notes,
      el('details', { class: 'as-list' }, el('summary', {}, 'Nodes and edges as a list'), this.list));
    this.cy = globalThis.cytoscape
      ? globalThis.cytoscape({ container: this.canvas, style: STYLE, minZoom: 0.1, maxZoom: 3 })
      : null;
    if (!this.cy) this.canvas.append(el('p', { class: 'error' }, 'The drawing library did not load; the list below has the same graph.'));
    this.cy?.on('tap', 'node', (ev) => this.choose(ev.target.id()));
    this.left = { nodes: 0, edges: 0 };
    this.pictures = [];
    // this page's n-th drawing (its place among the drawings of its view)
    const view = box.closest('.view');
    this.key = location.pathname + ' ' + (view ? [...view.querySelectorAll('.graph')].indexOf(box) : 0);
    this.expanded = new Set();
    live.add(this);
  }

  // Expand again what was expanded here before the page was redrawn.
  async resume() {
    for (const id of expandedAt.get(this.key) || []) {
      const node = this.pictures.flatMap((p) => p.nodes).find((n) => n.id === id);
      if (node) await this.grow(node).catch(() => {});
    }
  }

  async grow(node) {
    this.expanded.add(node.id);
    try {
      for (const p of await this.expand(node)) this.add(p);
    } catch (e) {
      this.expanded.delete(node.id);
      throw e;
    }
    if (!expandedAt.has(this.key)) expandedAt.set(this.key, new Set());
    expandedAt.get(this.key).add(node.id);
  }

  // Merge a picture in; lay out again.
  add(pic) {
    this.pictures.push(pic);
    this.left.nodes += pic.left_out.nodes;
    this.left.edges += pic.left_out.edges;
    if (this.cy) {
      const fresh = elements(pic).filter((x) => this.cy.getElementById(x.data.id).empty());
      this.cy.add(fresh);
      this.layout();
    }
    this.describe();
  }

  layout() {
    const nodes = this.cy.nodes();
    const ids = nodes.map((n) => n.id());
    const edges = this.cy.edges().map((e) => [e.source().id(), e.target().id()]);
    const positions = layers(ids, edges, (id) => this.cy.getElementById(id).data('w'));
    this.cy.layout({ name: 'preset', positions, fit: false }).run();
    // edge labels clutter a big picture: there they show on selection
    this.cy.edges().toggleClass('quiet', this.cy.edges().length > 24);
    // tall enough to read a column of callers without zooming
    const h = this.cy.elements().boundingBox().h;
    this.canvas.style.height = Math.round(Math.min(860, Math.max(320, h + 60))) + 'px';
    this.cy.resize();
    this.cy.fit(undefined, 20);
    // a small graph fitted would be drawn huge
    if (this.cy.zoom() > 1.2) {
      this.cy.zoom(1.2);
      this.cy.center();
    }
  }

  // The list form, and what the caps left out.
  describe() {
    const nodes = new Map();
    const edges = new Map();
    for (const p of this.pictures) {
      for (const n of p.nodes) nodes.set(n.id, n);
      for (const e of p.edges) edges.set(edgeKey(e), e);
    }
    const name = (id) => nodes.get(id)?.title ?? id;
    this.list.replaceChildren(
      // each node selectable from the list too, for the keyboard
      ...[...nodes.values()].map((n) => el('li', { class: 'graph-node', 'data-id': n.id },
        el('span', { class: 'kind' }, n.kind), ' ',
        el('button', { type: 'button', class: 'as-link', onclick: () => this.choose(n.id) }, n.title))),
      ...[...edges.values()].map((e) => el('li', { class: 'graph-edge' }, name(e.from), ' → ', name(e.to), ' ', el('span', { class: 'kind' }, edgeLabel(e)))),
    );
    const notes = this.pictures.map((p) => p.note).filter(Boolean);
    if (this.left.nodes || this.left.edges) notes.push(`${this.left.nodes} nodes and ${this.left.edges} edges were left out to keep this readable.`);
    this.notes.textContent = notes.join(' ');
    this.canvas.setAttribute('aria-label', `A graph of ${nodes.size} nodes and ${edges.size} edges; the list below has them as text.`);
  }

  // Select a node by id, on the drawing and in the panel.
  choose(id) {
    const n = this.cy?.getElementById(id);
    if (n && n.nonempty()) {
      this.cy.elements().unselect();
      n.select();
      n.connectedEdges().select();
      this.select(n.data());
      return;
    }
    const known = this.pictures.flatMap((p) => p.nodes).find((x) => x.id === id);
    if (known) this.select(known);
  }

  select(node) {
    const said = el('p', { class: 'note' });
    const actions = [el('button', { type: 'button', onclick: () => this.open(node) }, 'Open')];
    if (this.expand) {
      actions.push(el('button', {
        type: 'button',
        disabled: this.expanded.has(node.id),
        title: this.expanded.has(node.id) ? 'Already expanded' : 'Add its own neighbours to the drawing',
        onclick: async (ev) => {
          ev.target.disabled = true;
          try {
            await this.grow(node);
          } catch (e) {
            said.textContent = e.message;
          }
        },
      }, 'Expand'));
    }
    this.panel.replaceChildren(
      el('p', { class: 'kind' }, node.kind),
      el('p', { class: 'title' }, node.title),
      el('div', { class: 'actions' }, ...actions),
      said,
    );
  }
}

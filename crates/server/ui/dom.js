// Building the page: elements from data (text is always text, never
// parsed as HTML) and the explorer's URLs.

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  put(e, ...children);
  return e;
}

// Append children to an element, skipping the absent ones (a plain
// `append` would write "null").
export function put(parent, ...children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    parent.append(c instanceof Node ? c : String(c));
  }
}

export const link = (href, ...children) => el('a', { href }, ...children);

const segments = (path) => path.split('/').map(encodeURIComponent).join('/');

export const symbolHref = (target) => '/ui/symbol/' + encodeURIComponent(target);
export const fileHref = (path, line) => '/ui/file/' + segments(path) + (line ? '#L' + line : '');
export const impactHref = (target) => '/ui/impact/' + encodeURIComponent(target);
export const modulesHref = (path) => '/ui/modules' + (path ? '?path=' + encodeURIComponent(path) : '');

// A folder as `--path` takes it: its own `*`, `?` and `[` made literal
// (GLOB's one-character sets), then everything under it.
export const folderGlob = (folder) => (/[*?[]/.test(folder) ? folder.replace(/[*?[]/g, '[$&]') + '*' : folder);

// Where a node of a picture leads: a folder to its part of the module map,
// a file to its page, a symbol to its page.
export function nodeHref(node) {
  if (node.kind === 'folder') return modulesHref(node.id);
  if (node.kind === 'file') return fileHref(node.id);
  if (node.kind === 'module') return '/ui/search?q=' + encodeURIComponent(node.id);
  return symbolHref(node.id);
}

// A 0-based span's first line, 1-based.
export const line = (span) => span.start.line + 1;

// The public /v1 API: the only thing the explorer reads, so the same page
// works against `weft serve` and next to a replica.

const TOKEN_KEY = 'weft-token';

// `#token=...` in the address is taken once and kept for the tab: a
// fragment never reaches a server or its logs.
export function takeTokenFromAddress() {
  const m = location.hash.match(/^#token=(.+)$/);
  if (m) {
    let token = m[1];
    try {
      token = decodeURIComponent(token);
    } catch (_) {
      /* not percent-encoded after all: take it as written */
    }
    sessionStorage.setItem(TOKEN_KEY, token);
    history.replaceState(null, '', location.pathname + location.search);
  }
}

// The newest revision an answer was computed at: a change stream that
// starts later knows whether the page missed changes in between.
let newest = 0;
export const seenRevision = () => newest;

export function setToken(t) {
  sessionStorage.setItem(TOKEN_KEY, t);
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const t = sessionStorage.getItem(TOKEN_KEY);
  if (t) h.Authorization = 'Bearer ' + t;
  return h;
}

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function url(route, params) {
  const u = new URL('/v1/' + route, location.origin);
  for (const [k, v] of Object.entries(params || {})) {
    if (v === undefined || v === null || v === false || v === '') continue;
    u.searchParams.append(k, v === true ? 'true' : String(v));
  }
  return u;
}

async function failure(r) {
  const text = await r.text();
  let message = text;
  try {
    message = JSON.parse(text).error.message;
  } catch (_) {
    /* not the API's JSON error: show the body */
  }
  return new ApiError(r.status, message || r.statusText);
}

// GET /v1/ROUTE?params: the answer's `result`, with its revision.
export async function get(route, params) {
  const r = await fetch(url(route, params), { headers: headers() });
  if (!r.ok) throw await failure(r);
  const body = await r.json();
  newest = Math.max(newest, body.revision || 0);
  return body.result;
}

// A Server-Sent Events stream read with fetch (EventSource cannot send
// the token): calls onEvent(name, data) per event until the stream ends.
export async function stream(path, init, onEvent, signal) {
  const r = await fetch(path, { ...init, headers: headers(init.headers), signal });
  if (!r.ok) throw await failure(r);
  const reader = r.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buf += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
    let cut;
    while ((cut = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let name = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      }
      if (data.length) {
        let parsed = data.join('\n');
        try {
          parsed = JSON.parse(parsed);
        } catch (_) {
          /* keep the text */
        }
        onEvent(name, parsed);
      }
    }
  }
}

// Shared helpers of the admin console: DOM building, cards, the API client and plain-word error
// messages. Every value from the server is inserted as text, never as HTML, so a crafted username or
// table name cannot run script.

/** The first element matching a CSS selector. */
export const $ = (sel) => document.querySelector(sel);

/** Builds an element with attributes and children (strings become text nodes). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') node.className = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
  return node;
}

/** A link to a console page (a hash route, so it survives a reload and can be pasted into a ticket). */
export function link(hash, text, title) {
  return el('a', { href: hash, class: 'link-dark', ...(title ? { title } : {}) }, text);
}

const SUITS = { c: '♣', d: '♦', h: '♥', s: '♠' };

/** A playing card such as "Ah" drawn as a small chip with its suit symbol. */
export function card(text) {
  return el('span', { class: `playing-card suit-${text[1]}`, title: text }, text[0].replace('T', '10') + (SUITS[text[1]] || text[1]));
}

// The codes an operator meets, in plain words; the closed list is shared/codes.ts. Any other code
// shows the server's own message.
const PLAIN_WORDS = {
  unauthorized: 'You are not signed in.',
  forbidden: 'This account is not an admin.',
  invalid_payload: 'The form is not filled in correctly',
  invalid_amount: 'That amount is not valid',
  player_not_found: 'There is no such player.',
  table_not_found: 'There is no such table (or it is not running).',
  hand_not_found: 'There is no such hand.',
  insufficient_funds: 'Refused: the wallet holds less than that amount. Nothing was moved.',
  idempotency_conflict: 'Refused: this request was already used for a different amount. Nothing was moved.',
  table_closed: 'That table is closed or closing.',
  rate_limited: 'Too many requests; wait a moment and try again.',
  unavailable: 'The server is starting or shutting down; try again shortly.',
  internal: 'The server failed; nothing was changed.',
};

/** An error from the API with its code; `message` is already in plain words. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Plain words for an error body: the known meaning, plus the server's detail when it adds something. */
export function plainError(status, body) {
  const code = body && body.error && body.error.code;
  const detail = body && body.error && body.error.message;
  const words = PLAIN_WORDS[code];
  if (!words) return detail || `The server answered HTTP ${status}.`;
  return code === 'invalid_payload' || code === 'invalid_amount' ? `${words}: ${detail}` : words;
}

/** The console's session: the token lives in sessionStorage (gone when the tab closes). */
export const session = {
  token: sessionStorage.getItem('felt-admin-token'),
  onExpired: () => {},
  set(token) {
    this.token = token;
    if (token) sessionStorage.setItem('felt-admin-token', token);
    else sessionStorage.removeItem('felt-admin-token');
  },
};

/** Calls the API; a 401 with a stored token means the session expired (the token stopped working). */
export async function api(method, path, body) {
  const res = await fetch(path, {
    method,
    headers: { ...(session.token ? { authorization: `Bearer ${session.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const type = res.headers.get('content-type') || '';
  const data = type.includes('json') ? await res.json() : await res.text();
  if (res.status === 401 && session.token) {
    session.set(null);
    session.onExpired();
    throw new ApiError(401, 'unauthorized', 'Your session expired; sign in again.');
  }
  if (!res.ok) throw new ApiError(res.status, data && data.error && data.error.code, plainError(res.status, data));
  return { data, res };
}

/** Signs in; failures say what went wrong (a wrong password is not an expired session). */
export async function signIn(username, password) {
  const res = await fetch('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const data = await res.json().catch(() => null);
  if (res.status === 401) throw new Error('Wrong username or password.');
  if (res.status === 429) {
    const retryS = Number(res.headers.get('retry-after'));
    throw new Error(`Too many sign-in attempts; try again in ${retryS > 0 ? `${retryS} seconds` : 'a moment'}.`);
  }
  if (!res.ok) throw new Error(plainError(res.status, data));
  return data.token;
}

/** Formats an ISO time for people. */
export function when(iso) {
  return iso ? new Date(iso).toLocaleString() : '—';
}

/** A row spanning a table with a message (empty list or error). */
export function messageRow(colspan, text, cls) {
  return el('tr', {}, el('td', { colspan, class: cls || 'muted' }, text));
}

/** Shows a transient result under a form: ok (green) or error (red). */
export function say(target, text, ok) {
  target.textContent = text;
  target.className = ok ? 'notice ok' : 'notice error';
}

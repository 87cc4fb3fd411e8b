// Felt table client: sign in, lobby and routing. The token lives in sessionStorage (it survives a
// reload, not the closing of the tab). One Socket.IO connection per tab carries everything live; the
// table itself is drawn by table.js. Only what the server sends is shown: no rule is re-implemented.
'use strict';

(function () {
  const { el, errorWords } = window.Felt;
  const $ = (sel) => document.querySelector(sel);
  const TOKEN_KEY = 'felt-token';
  // The lobby asks for the table list this often while it is on screen (lobby:list over the socket).
  const LOBBY_REFRESH_MS = 3000;
  const SERVER_CLOSE_RETRY_MS = 1000;
  const session = { token: sessionStorage.getItem(TOKEN_KEY), me: null, socket: null, lobbyTimer: null };

  /** Calls the HTTP API; throws an Error carrying the closed-list `code` on refusal. */
  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: { ...(session.token ? { authorization: `Bearer ${session.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const data = (res.headers.get('content-type') || '').includes('json') ? await res.json() : null;
    if (!res.ok) {
      const error = Object.assign(new Error(errorWords(data && data.error)), { code: data && data.error && data.error.code, status: res.status });
      if (res.status === 401 && session.token) logout();
      throw error;
    }
    return data;
  }

  function show(view) {
    for (const id of ['signin-view', 'lobby-view', 'table-view', 'hand-view']) $(`#${id}`).hidden = id !== view;
    $('#logout').hidden = view === 'signin-view';
  }

  async function signin(kind) {
    const form = $('#signin-form');
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    $('#signin-error').textContent = '';
    try {
      const path = kind === 'register' ? '/api/auth/register' : '/api/auth/login';
      const answer = await api('POST', path, { username: String(data.get('username')).trim(), password: String(data.get('password')) });
      session.token = answer.token;
      sessionStorage.setItem(TOKEN_KEY, answer.token);
      form.reset();
      await start();
    } catch (e) {
      $('#signin-error').textContent = e.message;
    }
  }

  /** The Log out button: the server revokes the player's tokens (every tab and device), then this tab forgets its own. */
  async function signOut() {
    const token = session.token;
    logout();
    try {
      await fetch('/api/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{}' });
    } catch { /* offline: the token still expires by itself */ }
  }

  function logout() {
    session.token = null;
    session.me = null;
    sessionStorage.removeItem(TOKEN_KEY);
    if (session.socket) session.socket.disconnect();
    session.socket = null;
    window.FeltTable.close();
    stopLobby();
    $('#who').textContent = '';
    $('#wallet').textContent = '';
    $('#connection').textContent = '';
    show('signin-view');
  }

  /** Fetches the player and their wallet balance. */
  async function refreshWallet() {
    if (!session.token) return;
    try {
      session.me = await api('GET', '/api/me');
      $('#who').textContent = session.me.username;
      $('#wallet').textContent = `Wallet ${session.me.balance}`;
      $('#player-id').textContent = session.me.playerId;
    } catch { /* the next refresh tries again; a 401 already signed out */ }
  }

  function connect() {
    // WebSocket only: one long-lived connection, and no long-polling requests for the CSP to allow.
    const socket = window.io({ auth: { token: session.token }, transports: ['websocket'] });
    session.socket = socket;
    const status = $('#connection');
    socket.on('connect', () => {
      status.textContent = '';
      window.FeltTable.reconnected();
      if (!$('#lobby-view').hidden) refreshLobby();
    });
    socket.on('disconnect', (reason) => {
      status.textContent = 'Connection lost — reconnecting…';
      // Socket.IO retries by itself except when the server closed the socket (a restart or a deploy
      // does that): then this tab asks again, after a pause so that a restarting server can come up.
      if (reason === 'io server disconnect') setTimeout(() => { if (session.socket === socket) socket.connect(); }, SERVER_CLOSE_RETRY_MS);
    });
    socket.on('connect_error', (error) => {
      if (error && error.message === 'unauthorized') logout();
      else status.textContent = 'Cannot reach the server — retrying…';
    });
    window.FeltTable.attach(socket, { me: () => session.me, refreshWallet });
  }

  async function start() {
    await refreshWallet();
    if (!session.me) return logout();
    if (!session.socket) connect();
    route();
  }

  function route() {
    if (!session.token) return show('signin-view');
    const m = /^#\/table\/([0-9a-f-]{36})$/.exec(location.hash);
    if (m) {
      stopLobby();
      show('table-view');
      window.FeltTable.open(m[1]);
      return;
    }
    window.FeltTable.close();
    const hand = /^#\/hand\/([0-9a-f-]{36})$/.exec(location.hash);
    if (hand) {
      stopLobby();
      show('hand-view');
      window.FeltHistory.showHand(api, hand[1]);
      return;
    }
    show('lobby-view');
    refreshLobby();
    window.FeltHistory.loadRecent(api);
    stopLobby();
    session.lobbyTimer = setInterval(refreshLobby, LOBBY_REFRESH_MS);
  }

  function stopLobby() {
    if (session.lobbyTimer) clearInterval(session.lobbyTimer);
    session.lobbyTimer = null;
  }

  function refreshLobby() {
    const socket = session.socket;
    if (!socket || !socket.connected) return;
    socket.emit('lobby:list', {}, (ack) => {
      if (!ack.ok) { $('#lobby-error').textContent = errorWords(ack.error); return; }
      $('#lobby-error').textContent = '';
      const rows = ack.tables.map((t) => el('tr', { 'data-table': t.tableId },
        el('td', {}, t.name),
        el('td', {}, t.variant),
        el('td', { class: 'num' }, `${t.smallBlind}/${t.bigBlind}${/^0(\.0+)?$/.test(t.ante) ? '' : ` ante ${t.ante}`}`),
        el('td', { class: 'num' }, `${t.seated}/${t.maxSeats}`),
        el('td', { class: 'num' }, `${t.minBuyIn}–${t.maxBuyIn}`),
        el('td', {}, el('a', { href: `#/table/${t.tableId}`, class: 'button-link', 'aria-label': `Open ${t.name}` }, 'Open'))));
      if (rows.length === 0) rows.push(el('tr', {}, el('td', { colspan: 6, class: 'muted' }, 'No tables yet: an admin creates them.')));
      $('#tables tbody').replaceChildren(...rows);
    });
    refreshWallet();
  }

  $('#signin-form').addEventListener('submit', (e) => { e.preventDefault(); signin('login'); });
  $('#register-button').addEventListener('click', () => signin('register'));
  $('#logout').addEventListener('click', signOut);
  $('#back-to-lobby').addEventListener('click', () => { location.hash = '#/'; });
  window.addEventListener('hashchange', route);
  if (session.token) start();
  else show('signin-view');
})();

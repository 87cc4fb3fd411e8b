// Felt admin console: a small vanilla-JS single page over the admin API. The token lives in
// sessionStorage (gone when the tab closes). Every value from the server is inserted as text, never
// as HTML, so a crafted username or table name cannot run script.
'use strict';

(function () {
  const $ = (sel) => document.querySelector(sel);
  const state = { token: sessionStorage.getItem('felt-admin-token'), cursors: [null], page: 0, hand: null, step: 0, filters: {} };

  /** Builds an element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  const SUITS = { c: '♣', d: '♦', h: '♥', s: '♠' };
  function card(text) {
    return el('span', { class: `playing-card suit-${text[1]}`, title: text }, text[0].replace('T', '10') + (SUITS[text[1]] || text[1]));
  }

  async function api(method, path, body) {
    const res = await fetch(path, {
      method,
      headers: { ...(state.token ? { authorization: `Bearer ${state.token}` } : {}), ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    if (res.status === 401) { logout(); throw new Error('Your session expired; sign in again.'); }
    const type = res.headers.get('content-type') || '';
    const data = type.includes('json') ? await res.json() : await res.text();
    if (!res.ok) throw new Error((data && data.error && data.error.message) || `HTTP ${res.status}`);
    return { data, res };
  }

  function show(view) {
    for (const id of ['login-view', 'search-view', 'hand-view', 'player-view']) $(`#${id}`).hidden = id !== view;
    $('#logout').hidden = view === 'login-view';
  }

  function logout() {
    state.token = null;
    sessionStorage.removeItem('felt-admin-token');
    show('login-view');
  }

  async function login(event) {
    event.preventDefault();
    const form = new FormData(event.target);
    $('#login-error').textContent = '';
    try {
      const { data } = await api('POST', '/api/auth/login', { username: form.get('username'), password: form.get('password') });
      state.token = data.token;
      const me = (await api('GET', '/api/me')).data;
      if (me.role !== 'admin') { state.token = null; throw new Error('This account is not an admin.'); }
      sessionStorage.setItem('felt-admin-token', data.token);
      await start();
    } catch (e) {
      $('#login-error').textContent = e.message;
    }
  }

  async function start() {
    show('search-view');
    refreshReconcile();
    loadTables();
    await search(true);
  }

  async function refreshReconcile() {
    const badge = $('#reconcile');
    try {
      const { data } = await api('GET', '/api/admin/reconcile');
      badge.textContent = data.ok ? `ledger reconciled ✓ (${data.transfers} transfers)` : 'ledger DRIFT — see /api/admin/reconcile';
      badge.className = `badge ${data.ok ? 'ok' : 'bad'}`;
      badge.title = `Checked ${new Date(data.checkedAt).toLocaleString()}; sum of balances ${data.totalSum}`;
    } catch (e) {
      badge.textContent = `ledger: ${e.message}`;
    }
  }

  async function loadTables() {
    try {
      const { data } = await api('GET', '/api/tables');
      const select = $('#search-form [name=tableId]');
      for (const t of data.tables) select.append(el('option', { value: t.tableId }, `${t.name} (${t.variant} ${t.smallBlind}/${t.bigBlind})`));
    } catch { /* the id filter still works without the list */ }
  }

  function readFilters() {
    const form = new FormData($('#search-form'));
    const f = {};
    for (const key of ['tableId', 'status', 'limit']) if (form.get(key)) f[key] = String(form.get(key)).trim();
    const player = String(form.get('player') || '').trim();
    if (player) f[/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(player) ? 'playerId' : 'username'] = player;
    for (const key of ['from', 'to']) if (form.get(key)) f[key] = new Date(String(form.get(key))).toISOString();
    return f;
  }

  async function search(reset) {
    if (reset) { state.filters = readFilters(); state.cursors = [null]; state.page = 0; }
    const params = new URLSearchParams(state.filters);
    const cursor = state.cursors[state.page];
    if (cursor) params.set('cursor', cursor);
    const body = $('#hands tbody');
    try {
      const { data } = await api('GET', `/api/admin/hands?${params}`);
      body.replaceChildren(...data.hands.map(handRow));
      if (data.hands.length === 0) body.append(el('tr', {}, el('td', { colspan: 8, class: 'muted' }, 'No hands match these filters.')));
      state.cursors[state.page + 1] = data.nextCursor;
      $('#next-page').disabled = !data.nextCursor;
      $('#first-page').disabled = state.page === 0;
      $('#page-info').textContent = `Page ${state.page + 1} · ${data.hands.length} hands`;
    } catch (e) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'error' }, e.message)));
    }
  }

  function handRow(h) {
    const players = h.players.map((p) => p.username || p.playerId.slice(0, 8)).join(', ');
    const winners = h.winners.map((w) => `${w.username} ${w.amount}`).join(', ');
    return el('tr', { 'data-hand': h.handId, onclick: () => openHand(h.handId) },
      el('td', { title: `table hand #${h.handNumber}` }, h.siteHandNumber), el('td', {}, h.tableName), el('td', {}, new Date(h.startedAt).toLocaleString()),
      el('td', {}, players), el('td', { class: 'num' }, h.pot ?? '—'), el('td', { class: 'num' }, h.rake ?? '—'),
      el('td', {}, winners || '—'), el('td', {}, el('span', { class: `status ${h.status}` }, h.status.replace('_', ' '))));
  }

  async function openHand(handId) {
    const { data } = await api('GET', `/api/admin/hands/${handId}`);
    state.hand = data;
    state.step = 0;
    show('hand-view');
    $('#verify-result').hidden = true;
    $('#hand-title').textContent = `Hand #${data.siteHandNumber} · ${data.tableName} (table hand #${data.handNumber}) · ${new Date(data.startedAt).toLocaleString()}`;
    const exportable = data.status === 'settled';
    $('#export-pokerstars').disabled = !exportable;
    $('#export-phh').disabled = !exportable;
    renderFacts(data);
    renderStep();
  }

  function renderFacts(h) {
    const facts = [
      ['Hand id', h.handId], ['Status', h.status + (h.voidReason ? ` (${h.voidReason})` : '')],
      ['Game', `${h.config.engine.variant} ${h.config.engine.smallBlind}/${h.config.engine.bigBlind}` +
        (h.config.engine.ante !== '0' ? ` ante ${h.config.engine.ante}` : '') + ` · rake ${h.config.engine.rakePercent}% cap ${h.config.engine.rakeCap}`],
      ['Button', `seat ${h.buttonSeat + 1}`], ['Commitment', `${h.commitment} (${h.commitmentScheme})`], ['Stored seed (admin only)', h.seed || 'not stored'],
      ['Started', h.startedAt], ['Ended', h.endedAt || '—'],
    ];
    $('#facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    const name = (id) => (h.seats.find((s) => s.playerId === id) || {}).username || id;
    $('#pots tbody').replaceChildren(...(h.pots || []).map((p, i) => el('tr', {},
      el('td', {}, i === 0 ? 'Main' : `Side ${i}`), el('td', { class: 'num' }, p.amount), el('td', { class: 'num' }, p.rake),
      el('td', {}, p.winners.map((w) => `${name(w.playerId)} ${w.amount}`).join(', ')))));
    const rows = h.transfers.flatMap((t) => (t.entries.length ? t.entries : [null]).map((e) => el('tr', {},
      el('td', {}, `${t.kind} #${t.transferId}`), el('td', {}, e ? `${e.accountKind} #${e.accountId}` : 'no entries'),
      el('td', {}, e ? e.username || '—' : '—'), el('td', { class: 'num' }, e ? e.amount : '—'), el('td', { class: 'num' }, e ? e.balanceAfter : '—'))));
    $('#ledger tbody').replaceChildren(...(rows.length ? rows : [el('tr', {}, el('td', { colspan: 5, class: 'muted' }, 'No ledger transfer yet.'))]));
  }

  function renderStep() {
    const steps = state.hand.steps;
    const s = steps[state.step];
    $('#prev-step').disabled = state.step === 0;
    $('#next-step').disabled = state.step >= steps.length - 1;
    $('#step-counter').textContent = steps.length ? `Step ${state.step + 1} of ${steps.length}` : 'No events';
    if (!s) return;
    $('#board').replaceChildren(...(s.board.length ? s.board.map(card) : [el('span', { class: 'pot' }, 'no board yet')]));
    $('#pot').textContent = `Pot ${s.pot}`;
    $('#step-text').textContent = s.text;
    $('#replay-seats tbody').replaceChildren(...s.seats.map((x) => el('tr', { class: x.folded ? 'folded' : '' },
      el('td', {}, x.seat + 1),
      el('td', {}, el('button', { class: 'link-dark', title: 'Ledger statement', onclick: () => openPlayer(playerAt(x.seat), x.name) }, x.name),
        x.seat === state.hand.buttonSeat ? ' (D)' : ''),
      el('td', {}, x.cards.map(card)), el('td', { class: 'num' }, x.stack), el('td', { class: 'num' }, x.inFront))));
  }

  function playerAt(seat) {
    return (state.hand.seats.find((s) => s.seat === seat) || {}).playerId;
  }

  async function openPlayer(playerId, name) {
    state.player = { playerId, name, cursors: [null], page: 0 };
    show('player-view');
    $('#player-title').textContent = `${name} · ledger statement`;
    await loadStatement();
  }

  async function loadStatement() {
    const p = state.player;
    const params = new URLSearchParams({ limit: '25' });
    if (p.cursors[p.page]) params.set('cursor', p.cursors[p.page]);
    try {
      const { data } = await api('GET', `/api/admin/players/${p.playerId}/ledger?${params}`);
      $('#player-accounts tbody').replaceChildren(...data.accounts.map((a) => el('tr', {},
        el('td', {}, `${a.kind} #${a.accountId}`), el('td', {}, a.tableId || '—'), el('td', { class: 'num' }, a.balance))));
      $('#statement tbody').replaceChildren(...data.lines.map((l) => el('tr', {},
        el('td', {}, new Date(l.createdAt).toLocaleString()), el('td', {}, `${l.kind} #${l.transferId}`), el('td', {}, l.account),
        el('td', {}, l.handId ? el('button', { class: 'link-dark', title: 'Open this hand', onclick: () => openHand(l.handId) }, l.handId.slice(0, 8)) : '—'), el('td', { class: 'num' }, l.amount), el('td', { class: 'num' }, l.balanceAfter))));
      p.cursors[p.page + 1] = data.nextCursor;
      $('#statement-next').disabled = !data.nextCursor;
      $('#statement-first').disabled = p.page === 0;
    } catch (e) {
      $('#statement tbody').replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error' }, e.message)));
    }
  }

  async function verify() {
    const box = $('#verify-result');
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'muted' }, 'Verifying…'));
    try {
      const { data } = await api('POST', `/api/admin/hands/${state.hand.handId}/verify`, {});
      const verdict = el('p', { class: data.ok ? 'verdict-ok' : 'verdict-bad' },
        data.ok ? '✓ Verified: deal, actions and payouts match the ledger.' : `✗ ${data.differences.length} difference(s) found`);
      const list = data.ok
        ? el('ul', { class: 'muted' }, data.checked.map((c) => el('li', {}, c)))
        : el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Expected'), el('th', {}, 'Actual'))),
          el('tbody', {}, data.differences.map((d) => el('tr', {}, el('td', {}, d.field), el('td', {}, d.expected), el('td', {}, d.actual)))));
      box.replaceChildren(verdict, list);
    } catch (e) {
      box.replaceChildren(el('p', { class: 'error' }, e.message));
    }
  }

  async function downloadFrom(path, fallbackName) {
    try {
      const { data, res } = await api('GET', path);
      const match = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') || '');
      const url = URL.createObjectURL(new Blob([data], { type: 'text/plain' }));
      const a = el('a', { href: url, download: match ? match[1] : fallbackName });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
    } catch (e) {
      alert(e.message);
    }
  }

  function exportHand(format) {
    downloadFrom(`/api/admin/hands/${state.hand.handId}/export?format=${format}`, `hand.${format === 'phh' ? 'phh' : 'txt'}`);
  }

  function exportAll(format) {
    const params = new URLSearchParams(readFilters());
    params.delete('limit');
    params.set('format', format);
    downloadFrom(`/api/admin/hands/export?${params}`, `hands.${format === 'phh' ? 'phhs' : 'txt'}`);
  }

  document.addEventListener('DOMContentLoaded', () => {
    $('#login-form').addEventListener('submit', login);
    $('#logout').addEventListener('click', logout);
    $('#search-form').addEventListener('submit', (e) => { e.preventDefault(); search(true); });
    $('#next-page').addEventListener('click', () => { state.page++; search(false); });
    $('#first-page').addEventListener('click', () => { state.page = 0; search(false); });
    $('#back').addEventListener('click', () => { show('search-view'); refreshReconcile(); });
    $('#prev-step').addEventListener('click', () => { state.step = Math.max(0, state.step - 1); renderStep(); });
    $('#next-step').addEventListener('click', () => { state.step = Math.min(state.hand.steps.length - 1, state.step + 1); renderStep(); });
    $('#verify').addEventListener('click', verify);
    $('#export-pokerstars').addEventListener('click', () => exportHand('pokerstars'));
    $('#export-phh').addEventListener('click', () => exportHand('phh'));
    $('#bulk-pokerstars').addEventListener('click', () => exportAll('pokerstars'));
    $('#bulk-phh').addEventListener('click', () => exportAll('phh'));
    $('#player-back').addEventListener('click', () => show('hand-view'));
    $('#statement-next').addEventListener('click', () => { state.player.page++; loadStatement(); });
    $('#statement-first').addEventListener('click', () => { state.player.page = 0; loadStatement(); });
    $('#player-hands').addEventListener('click', () => {
      $('#search-form [name=player]').value = state.player.playerId;
      $('#search-form [name=tableId]').value = '';
      $('#search-form [name=status]').value = '';
      show('search-view');
      search(true);
    });
    if (state.token) start().catch(() => logout()); else show('login-view');
  });
})();

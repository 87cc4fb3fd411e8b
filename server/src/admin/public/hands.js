// Hand history pages: the search with filters and paging, and one hand (facts, pots, ledger,
// verify, exports). The replayer itself is in replayer.js.
import { $, api, el, link, messageRow, when } from './api.js';
import { showReplay } from './replayer.js';

const search = { cursors: [null], page: 0, filters: {} };
let hand = null;

function readFilters() {
  const form = new FormData($('#search-form'));
  const f = {};
  for (const key of ['tableId', 'status', 'limit']) if (form.get(key)) f[key] = String(form.get(key)).trim();
  const player = String(form.get('player') || '').trim();
  if (player) f[/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(player) ? 'playerId' : 'username'] = player;
  for (const key of ['from', 'to']) if (form.get(key)) f[key] = new Date(String(form.get(key))).toISOString();
  return f;
}

/** Fills the table filter with the open tables (a closed table's id still works in the URL). */
export async function loadTableFilter() {
  const select = $('#search-form [name=tableId]');
  if (select.options.length > 1) return;
  try {
    const { data } = await api('GET', '/api/tables');
    for (const t of data.tables) select.append(el('option', { value: t.tableId }, `${t.name} (${t.variant} ${t.smallBlind}/${t.bigBlind})`));
  } catch { /* the id filter still works without the list */ }
}

/** Runs the hand search; `reset` starts over from the form's filters. */
export async function searchHands(reset) {
  if (reset) { search.filters = readFilters(); search.cursors = [null]; search.page = 0; }
  const params = new URLSearchParams(search.filters);
  const cursor = search.cursors[search.page];
  if (cursor) params.set('cursor', cursor);
  const body = $('#hands tbody');
  try {
    const { data } = await api('GET', `/api/admin/hands?${params}`);
    body.replaceChildren(...data.hands.map(handRow));
    if (data.hands.length === 0) body.append(messageRow(8, 'No hands match these filters.'));
    search.cursors[search.page + 1] = data.nextCursor;
    $('#next-page').disabled = !data.nextCursor;
    $('#first-page').disabled = search.page === 0;
    $('#page-info').textContent = `Page ${search.page + 1} · ${data.hands.length} hands`;
  } catch (e) {
    body.replaceChildren(messageRow(8, e.message, 'error'));
  }
}

/** Shows the hands of one player or table (from their pages). */
export function searchFor(field, value) {
  const form = $('#search-form');
  form.reset();
  if (field === 'tableId') {
    const select = form.querySelector('[name=tableId]');
    if (![...select.options].some((o) => o.value === value)) select.append(el('option', { value }, value));
    select.value = value;
  } else form.querySelector('[name=player]').value = value;
  return searchHands(true);
}

function handRow(h) {
  const players = h.players.map((p) => p.username || p.playerId.slice(0, 8)).join(', ');
  const winners = h.winners.map((w) => `${w.username} ${w.amount}`).join(', ');
  return el('tr', { 'data-hand': h.handId, onclick: () => { location.hash = `#/hand/${h.handId}`; } },
    el('td', { title: `table hand #${h.handNumber}` }, link(`#/hand/${h.handId}`, h.siteHandNumber)), el('td', {}, link(`#/table/${h.tableId}`, h.tableName)), el('td', {}, when(h.startedAt)),
    el('td', {}, players), el('td', { class: 'num' }, h.pot ?? '—'), el('td', { class: 'num' }, h.rake ?? '—'),
    el('td', {}, winners || '—'), el('td', {}, el('span', { class: `status ${h.status}` }, h.status.replace('_', ' '))));
}

/** Opens one hand by id (the #/hand/<id> route). */
export async function openHand(handId) {
  const { data } = await api('GET', `/api/admin/hands/${handId}`);
  hand = data;
  $('#verify-result').hidden = true;
  $('#hand-title').replaceChildren(`Hand #${data.siteHandNumber} · `, link(`#/table/${data.tableId}`, data.tableName), ` (table hand #${data.handNumber}) · ${when(data.startedAt)}`);
  const exportable = data.status === 'settled';
  $('#export-pokerstars').disabled = !exportable;
  $('#export-phh').disabled = !exportable;
  renderFacts(data);
  showReplay(data);
}

function renderFacts(h) {
  const e = h.config.engine;
  const facts = [
    ['Hand id', h.handId], ['Status', h.status + (h.voidReason ? ` (${h.voidReason})` : '')],
    ['Game', `${e.variant} ${e.smallBlind}/${e.bigBlind}` + (e.ante !== '0' ? ` ante ${e.ante}` : '') + ` · rake ${e.rakePercent}% cap ${e.rakeCap}`],
    ['Button', `seat ${h.buttonSeat}`], ['Commitment', `${h.commitment} (${h.commitmentScheme})`], ['Stored seed (admin only)', h.seed || 'not stored'],
    ['Started', h.startedAt], ['Ended', h.endedAt || '—'],
  ];
  $('#facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const seatOf = (id) => h.seats.find((s) => s.playerId === id) || {};
  const who = (id) => link(`#/player/${id}`, seatOf(id).username || id);
  $('#pots tbody').replaceChildren(...(h.pots || []).map((p, i) => el('tr', {},
    el('td', {}, i === 0 ? 'Main' : `Side ${i}`), el('td', { class: 'num' }, p.amount), el('td', { class: 'num' }, p.rake),
    el('td', {}, p.winners.flatMap((w, j) => [j ? ', ' : '', who(w.playerId), ` ${w.amount}`])))));
  const rows = h.transfers.flatMap((t) => (t.entries.length ? t.entries : [null]).map((x) => el('tr', {},
    el('td', {}, `${t.kind} #${t.transferId}`), el('td', {}, x ? `${x.accountKind} #${x.accountId}` : 'no entries'),
    el('td', {}, x && x.playerId ? who(x.playerId) : '—'), el('td', { class: 'num' }, x ? x.amount : '—'), el('td', { class: 'num' }, x ? x.balanceAfter : '—'))));
  $('#ledger tbody').replaceChildren(...(rows.length ? rows : [messageRow(5, 'No ledger transfer yet.')]));
}

async function verify() {
  const box = $('#verify-result');
  box.hidden = false;
  box.replaceChildren(el('p', { class: 'muted' }, 'Verifying…'));
  try {
    const { data } = await api('POST', `/api/admin/hands/${hand.handId}/verify`, {});
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

function exportAll(format) {
  const params = new URLSearchParams(readFilters());
  params.delete('limit');
  params.set('format', format);
  downloadFrom(`/api/admin/hands/export?${params}`, `hands.${format === 'phh' ? 'phhs' : 'txt'}`);
}

/** Wires the hand pages' buttons. */
export function initHands() {
  $('#search-form').addEventListener('submit', (e) => { e.preventDefault(); searchHands(true); });
  $('#next-page').addEventListener('click', () => { search.page++; searchHands(false); });
  $('#first-page').addEventListener('click', () => { search.page = 0; searchHands(false); });
  $('#verify').addEventListener('click', verify);
  const exportHand = (format) => downloadFrom(`/api/admin/hands/${hand.handId}/export?format=${format}`, `hand.${format === 'phh' ? 'phh' : 'txt'}`);
  $('#export-pokerstars').addEventListener('click', () => exportHand('pokerstars'));
  $('#export-phh').addEventListener('click', () => exportHand('phh'));
  $('#bulk-pokerstars').addEventListener('click', () => exportAll('pokerstars'));
  $('#bulk-phh').addEventListener('click', () => exportAll('phh'));
}

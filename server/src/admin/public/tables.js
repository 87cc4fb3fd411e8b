// Table pages: the open tables with who sits there, opening a table, and one table's page where
// its stakes and limits can be edited (applied between hands) and the table closed.
import { $, api, el, link, messageRow, say, when } from './api.js';

/** The fields of the edit form, as the PATCH route names them. */
const EDITABLE = ['name', 'smallBlind', 'bigBlind', 'ante', 'minBuyIn', 'maxBuyIn', 'rakePercent', 'rakeCap', 'actionTimeoutMs'];

let shown = null;

/** Lists the open tables. */
export async function listTables() {
  const body = $('#tables tbody');
  try {
    const { data } = await api('GET', '/api/tables');
    body.replaceChildren(...data.tables.map((t) => el('tr', { 'data-table': t.tableId },
      el('td', {}, link(`#/table/${t.tableId}`, t.name)), el('td', {}, t.variant), el('td', {}, `${t.smallBlind}/${t.bigBlind}`),
      el('td', {}, `${t.minBuyIn}–${t.maxBuyIn}`), el('td', { class: 'num' }, `${t.seated ?? '?'} / ${t.maxSeats}`))));
    if (data.tables.length === 0) body.append(messageRow(5, 'No open table. Open one below.'));
  } catch (e) {
    body.replaceChildren(messageRow(5, e.message, 'error'));
  }
}

/** The form's filled-in fields as strings, leaving out empty optional ones. */
function fieldsOf(form, numeric) {
  const out = {};
  for (const [k, v] of new FormData(form).entries()) {
    const text = String(v).trim();
    if (text === '') continue;
    out[k] = numeric.includes(k) ? Number(text) : text;
  }
  return out;
}

async function createTable(event) {
  event.preventDefault();
  const form = event.target;
  const notice = form.querySelector('.notice');
  try {
    const { data } = await api('POST', '/api/admin/tables', fieldsOf(form, ['maxSeats', 'actionTimeoutMs']));
    form.reset();
    say(notice, `Opened ${data.name}.`, true);
    await listTables();
  } catch (e) {
    say(notice, e.message, false);
  }
}

/** Rows shown in a table's recent hands. */
const RECENT_HANDS = 10;

/** The table's latest hands, so an operator sees what happens there (live hands show no cards). */
async function loadRecentHands(tableId) {
  const body = $('#table-recent tbody');
  try {
    const { data } = await api('GET', `/api/admin/hands?tableId=${tableId}&limit=${RECENT_HANDS}`);
    body.replaceChildren(...data.hands.map((h) => el('tr', { 'data-hand': h.handId },
      el('td', {}, link(`#/hand/${h.handId}`, `#${h.siteHandNumber}`)), el('td', {}, when(h.startedAt)),
      el('td', {}, h.players.map((p) => p.username || p.playerId.slice(0, 8)).join(', ')), el('td', { class: 'num' }, h.pot ?? '—'),
      el('td', {}, h.winners.map((w) => `${w.username} ${w.amount}`).join(', ') || '—'),
      el('td', {}, el('span', { class: `status ${h.status}` }, h.status.replace('_', ' '))))));
    if (data.hands.length === 0) body.append(messageRow(6, 'No hand dealt here yet.'));
  } catch (e) {
    body.replaceChildren(messageRow(6, e.message, 'error'));
  }
}

/** Opens one table by id (the #/table/<id> route); a closed table is no longer listed. */
export async function openTable(tableId) {
  loadRecentHands(tableId);
  const { data } = await api('GET', '/api/tables');
  shown = data.tables.find((t) => t.tableId === tableId) || null;
  $('#table-notice').textContent = '';
  $('#table-hands').onclick = () => { location.hash = `#/hands?tableId=${tableId}`; };
  if (!shown) {
    $('#table-title').textContent = 'Closed table';
    $('#table-open').hidden = true;
    say($('#table-notice'), 'This table is closed (or does not exist): its hands stay in the history.', false);
    return;
  }
  $('#table-open').hidden = false;
  $('#table-title').textContent = `${shown.name} · ${shown.variant} ${shown.smallBlind}/${shown.bigBlind}`;
  const facts = [['Table id', shown.tableId], ['Seats', `${shown.seated ?? '?'} seated of ${shown.maxSeats}`], ['Unit', shown.unit]];
  $('#table-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
  const form = $('#table-edit');
  for (const k of EDITABLE) form.querySelector(`[name=${k}]`).value = String(shown[k] ?? '');
}

async function editTable(event) {
  event.preventDefault();
  const notice = $('#table-notice');
  const changed = {};
  const fields = fieldsOf(event.target, ['actionTimeoutMs']);
  for (const k of EDITABLE) if (k in fields && String(fields[k]) !== String(shown[k])) changed[k] = fields[k];
  if (Object.keys(changed).length === 0) { say(notice, 'Nothing changed.', true); return; }
  try {
    const { data } = await api('PATCH', `/api/admin/tables/${shown.tableId}`, changed);
    say(notice, `Saved (${Object.keys(changed).join(', ')}); applies ${data.appliesAt}.`, true);
    await openTable(shown.tableId);
    say(notice, `Saved (${Object.keys(changed).join(', ')}); applies ${data.appliesAt}.`, true);
  } catch (e) {
    say(notice, e.message, false);
  }
}

async function closeTable() {
  if (!confirm(`Close ${shown.name}? The hand in play finishes, then every seat is cashed out to its wallet.`)) return;
  const notice = $('#table-notice');
  try {
    const { data, res } = await api('POST', `/api/admin/tables/${shown.tableId}/close`, {});
    say(notice, res.status === 200 ? `${data.name} is closed; every seat was cashed out.` : `${data.name} is closing: it closes once the hand in play ends.`, true);
    $('#table-open').hidden = res.status === 200;
  } catch (e) {
    say(notice, e.message, false);
  }
}

/** Wires the table pages. */
export function initTables() {
  $('#create-table').addEventListener('submit', createTable);
  $('#table-edit').addEventListener('submit', editTable);
  $('#close-table').addEventListener('click', closeTable);
}

// Player pages: search by username prefix with balances, and one player: balance, seats, a summary
// (net at the tables, rake paid, hands played), credit and pay-out forms, and the ledger statement.
import { $, api, el, link, messageRow, say, when } from './api.js';

const list = { cursors: [null], page: 0, query: '' };
const player = { id: null, cursors: [null], page: 0 };

/** Runs the player search; `reset` starts over from the search box. */
export async function searchPlayers(reset) {
  if (reset) { list.query = $('#player-search [name=query]').value.trim(); list.cursors = [null]; list.page = 0; }
  const params = new URLSearchParams({ limit: '25' });
  if (list.query) params.set('query', list.query);
  if (list.cursors[list.page]) params.set('cursor', list.cursors[list.page]);
  const body = $('#players tbody');
  try {
    const { data } = await api('GET', `/api/admin/players?${params}`);
    body.replaceChildren(...data.players.map((p) => el('tr', { 'data-player': p.playerId },
      el('td', {}, link(`#/player/${p.playerId}`, p.username)), el('td', {}, p.role), el('td', { class: 'num' }, p.balance), el('td', {}, when(p.createdAt)))));
    if (data.players.length === 0) body.append(messageRow(4, 'No player has a username starting with that.'));
    list.cursors[list.page + 1] = data.nextCursor;
    $('#players-next').disabled = !data.nextCursor;
    $('#players-first').disabled = list.page === 0;
  } catch (e) {
    body.replaceChildren(messageRow(4, e.message, 'error'));
  }
}

/** Opens one player by id (the #/player/<id> route). */
export async function openPlayer(playerId) {
  if (player.id !== playerId) {
    for (const form of ['#credit-form', '#debit-form']) { $(form).reset(); $(`${form} .notice`).textContent = ''; }
  }
  Object.assign(player, { id: playerId, cursors: [null], page: 0 });
  await Promise.all([loadDetail(), loadSummary(), loadStatement()]);
}

async function loadDetail() {
  const { data } = await api('GET', `/api/admin/players/${player.id}`);
  $('#player-title').textContent = `${data.username}${data.role === 'admin' ? ' (admin)' : ''}`;
  $('#player-balance').textContent = data.balance;
  $('#player-seats').replaceChildren(...(data.seats.length
    ? data.seats.map((s) => el('li', {}, link(`#/table/${s.tableId}`, s.tableName), ` · ${s.seat === null ? 'not seated now' : `seat ${s.seat}`} · ${s.balance} in play`))
    : [el('li', { class: 'muted' }, 'Not at any table.')]));
}

async function loadSummary() {
  try {
    const { data } = await api('GET', `/api/admin/players/${player.id}/summary`);
    const facts = [
      ['Net at the tables', data.net], ['Rake paid', data.rakePaid], ['Hands played', `${data.handsPlayed}${data.handsVoided ? ` (+${data.handsVoided} voided)` : ''}`],
      ['Credited', data.credited], ['Paid out', data.paidOut],
    ];
    $('#player-summary').replaceChildren(...facts.map(([k, v]) => el('div', { class: 'stat' }, el('span', {}, k), el('strong', {}, v))));
  } catch (e) {
    $('#player-summary').replaceChildren(el('p', { class: 'error' }, e.message));
  }
}

async function loadStatement() {
  const params = new URLSearchParams({ limit: '25' });
  if (player.cursors[player.page]) params.set('cursor', player.cursors[player.page]);
  try {
    const { data } = await api('GET', `/api/admin/players/${player.id}/ledger?${params}`);
    const place = (x) => (x.tableId ? link(`#/table/${x.tableId}`, x.tableName || x.tableId) : 'wallet');
    $('#player-accounts tbody').replaceChildren(...data.accounts.map((a) => el('tr', {},
      el('td', {}, `${a.kind} #${a.accountId}`), el('td', {}, place(a)), el('td', { class: 'num' }, a.balance))));
    $('#statement tbody').replaceChildren(...data.lines.map((l) => el('tr', {},
      el('td', {}, when(l.createdAt)), el('td', {}, `${l.kind.replace('_', ' ')} #${l.transferId}`), el('td', {}, place(l)),
      el('td', {}, l.handId ? link(`#/hand/${l.handId}`, l.handId.slice(0, 8), 'Open this hand') : '—'),
      el('td', { class: 'num' }, l.amount), el('td', { class: 'num' }, l.balanceAfter))));
    if (data.lines.length === 0) $('#statement tbody').append(messageRow(6, 'No movement yet.'));
    player.cursors[player.page + 1] = data.nextCursor;
    $('#statement-next').disabled = !data.nextCursor;
    $('#statement-first').disabled = player.page === 0;
  } catch (e) {
    $('#statement tbody').replaceChildren(messageRow(6, e.message, 'error'));
  }
}

/**
 * Sends a credit or a pay-out. The idempotency key is made once per filled-in form, so a double click
 * or a retry after a network error cannot move the money twice; it is renewed after an answer.
 */
async function move(event, kind) {
  event.preventDefault();
  const form = event.target;
  const notice = form.querySelector('.notice');
  const fields = new FormData(form);
  form.dataset.key = form.dataset.key || crypto.randomUUID();
  const body = { amount: String(fields.get('amount')).trim(), idempotencyKey: form.dataset.key };
  if (kind === 'debit') body.reason = String(fields.get('reason')).trim();
  const button = form.querySelector('button');
  button.disabled = true;
  try {
    const { data } = await api('POST', `/api/admin/players/${player.id}/${kind}`, body);
    delete form.dataset.key;
    form.reset();
    say(notice, `${kind === 'credit' ? 'Credited' : 'Paid out'} ${body.amount}; the wallet now holds ${data.balance}.`, true);
    $('#player-balance').textContent = data.balance;
    player.page = 0;
    await Promise.all([loadSummary(), loadStatement()]);
  } catch (e) {
    // A refusal is final for this key; only a lost answer (no status) may be retried with it.
    if (e.status) delete form.dataset.key;
    say(notice, e.message, false);
  } finally {
    button.disabled = false;
  }
}

/** Wires the player pages. */
export function initPlayers() {
  $('#player-search').addEventListener('submit', (e) => { e.preventDefault(); searchPlayers(true); });
  $('#players-next').addEventListener('click', () => { list.page++; searchPlayers(false); });
  $('#players-first').addEventListener('click', () => { list.page = 0; searchPlayers(false); });
  $('#credit-form').addEventListener('submit', (e) => move(e, 'credit'));
  $('#debit-form').addEventListener('submit', (e) => move(e, 'debit'));
  // Changing the amount or reason is a new request, so it gets a new key.
  for (const form of ['#credit-form', '#debit-form']) $(form).addEventListener('input', (e) => { delete e.currentTarget.dataset.key; });
  $('#statement-next').addEventListener('click', () => { player.page++; loadStatement(); });
  $('#statement-first').addEventListener('click', () => { player.page = 0; loadStatement(); });
  $('#player-hands').addEventListener('click', () => { location.hash = `#/hands?playerId=${player.id}`; });
}

// Felt admin console: a small vanilla-JS single page over the admin API, as ES modules with no build
// step. Every page has a URL (#/hand/<id>, #/player/<id>, #/table/<id>, #/players, #/tables, #/hands)
// so it survives a reload and can be pasted into a support ticket.
import { $, api, session, signIn } from './api.js';
import { initHands, loadTableFilter, openHand, searchFor, searchHands } from './hands.js';
import { initReplayer, leaveReplay } from './replayer.js';
import { initPlayers, openPlayer, searchPlayers } from './players.js';
import { initTables, listTables, openTable } from './tables.js';

const VIEWS = ['login-view', 'search-view', 'hand-view', 'players-view', 'player-view', 'tables-view', 'table-view'];

function show(view) {
  for (const id of VIEWS) $(`#${id}`).hidden = id !== view;
  $('#logout').hidden = view === 'login-view';
  $('#nav').hidden = view === 'login-view';
  const section = { 'hand-view': 'hands', 'search-view': 'hands', 'player-view': 'players', 'players-view': 'players', 'table-view': 'tables', 'tables-view': 'tables' }[view];
  for (const a of document.querySelectorAll('#nav a')) a.classList.toggle('current', a.dataset.section === section);
}

/** Shows the page the URL names; each route loads its data again, so a reload shows fresh numbers. */
async function route() {
  if (!session.token) { show('login-view'); return; }
  leaveReplay();
  const [path, query] = location.hash.replace(/^#\/?/, '').split('?');
  const [page, id] = path.split('/');
  const params = new URLSearchParams(query || '');
  $('#page-error').textContent = '';
  try {
    if (page === 'hand' && id) { show('hand-view'); await openHand(id); }
    else if (page === 'player' && id) { show('player-view'); await openPlayer(id); }
    else if (page === 'players') { show('players-view'); await searchPlayers(true); }
    else if (page === 'table' && id) { show('table-view'); await openTable(id); }
    else if (page === 'tables') { show('tables-view'); await listTables(); }
    else {
      show('search-view');
      await loadTableFilter();
      if (params.get('playerId')) await searchFor('player', params.get('playerId'));
      else if (params.get('tableId')) await searchFor('tableId', params.get('tableId'));
      else await searchHands(true);
    }
  } catch (e) {
    $('#page-error').textContent = e.message;
  }
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

async function login(event) {
  event.preventDefault();
  const form = new FormData(event.target);
  const error = $('#login-error');
  error.textContent = '';
  try {
    session.set(await signIn(String(form.get('username')), String(form.get('password'))));
    const me = (await api('GET', '/api/me')).data;
    if (me.role !== 'admin') { session.set(null); throw new Error('This account is not an admin.'); }
    event.target.reset();
    refreshReconcile();
    await route();
  } catch (e) {
    error.textContent = e.message;
  }
}

function logout() {
  session.set(null);
  show('login-view');
}

document.addEventListener('DOMContentLoaded', () => {
  session.onExpired = () => {
    show('login-view');
    $('#login-error').textContent = 'Your session expired; sign in again.';
  };
  $('#login-form').addEventListener('submit', login);
  $('#logout').addEventListener('click', logout);
  $('#reconcile').addEventListener('click', refreshReconcile);
  initHands();
  initReplayer();
  initPlayers();
  initTables();
  window.addEventListener('hashchange', route);
  if (session.token) refreshReconcile();
  route();
});

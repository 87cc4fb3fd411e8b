// The player's own finished hands: the lobby's "recent hands" list and one hand's view, both from
// GET /api/me/hands (the server already leaves out every card this player may not see).
'use strict';

(function () {
  const { el, card } = window.Felt;
  const $ = (sel) => document.querySelector(sel);
  const RECENT_HANDS = 10;

  /** Stored cards are either a list ("As", "Kd") or one concatenated string ("AsKd"). */
  function cards(value) {
    if (Array.isArray(value)) return value;
    return typeof value === 'string' ? value.match(/../g) || [] : [];
  }

  /** Fills the lobby's list of the player's recent hands; hides it when there are none. */
  async function loadRecent(api) {
    try {
      const data = await api('GET', `/api/me/hands?limit=${RECENT_HANDS}`);
      const items = data.hands.map((h) => el('li', {},
        el('a', { href: `#/hand/${h.handId}` }, `Hand #${h.handNumber} · ${h.tableName}`),
        ` · ${new Date(h.startedAt).toLocaleString()}`,
        h.pot ? ` · pot ${h.pot}` : '',
        h.winners.length ? ` · won by ${h.winners.map((w) => `${w.username} (${w.amount})`).join(', ')}` : ` · ${h.status}`));
      $('#my-hands').replaceChildren(...items);
      $('#my-hands-card').hidden = items.length === 0;
    } catch {
      $('#my-hands-card').hidden = true;
    }
  }

  function eventLine(e, names) {
    const p = e.payload || {};
    const who = p.seat !== undefined ? names[p.seat] || `Seat ${p.seat + 1}` : '';
    switch (e.type) {
      case 'post': return `${who} posts ${p.amount}${p.allIn ? ' (all-in)' : ''}`;
      case 'deal_hole': return el('span', {}, `${who} is dealt `, cards(p.cards).map(card));
      case 'action': return `${who} ${p.action}s${p.to ? ` to ${p.to}` : p.action === 'call' || p.action === 'bet' ? ` ${p.amount}` : ''}${p.allIn ? ' (all-in)' : ''}`;
      case 'street': return el('span', {}, `${p.street}: `, cards(p.cards).map(card));
      case 'uncalled_return': return `${p.amount} returned to ${who}`;
      case 'showdown': return p.cards ? el('span', {}, `${who} shows `, cards(p.cards).map(card), p.description ? ` ${p.description}` : '') : `${who} mucks`;
      case 'award': return `${who} wins ${p.amount}`;
      case 'rake': return `rake ${p.amount}`;
      default: return e.type;
    }
  }

  /** Shows one of the player's own hands. */
  async function showHand(api, handId) {
    const box = $('#hand-detail');
    box.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
    try {
      const h = await api('GET', `/api/me/hands/${handId}`);
      const names = Object.fromEntries(h.seats.map((s) => [s.seat, s.username]));
      const r = h.result;
      box.replaceChildren(
        el('h2', {}, `Hand #${h.handNumber} · ${h.tableName}`),
        el('p', { class: 'muted' }, `${new Date(h.startedAt).toLocaleString()} · ${h.status}${h.voidReason ? ` (${h.voidReason})` : ''}`),
        r ? el('div', { class: 'board small', 'aria-label': 'Board' }, cards(r.board).map(card)) : null,
        el('ul', {}, h.seats.map((s) => el('li', {}, `Seat ${s.seat + 1}: ${s.username} (${s.stack})${s.seat === h.buttonSeat ? ' · dealer' : ''}${s.seat === h.yourSeat ? ' · you' : ''}`))),
        r ? el('ul', { class: 'pots-list' }, r.pots.map((p, i) => el('li', {}, `${i === 0 ? 'Main pot' : `Side pot ${i}`} ${p.amount}: `,
          p.winners.map((w) => `${names[w.seat] || w.playerId} wins ${w.amount}`).join(', ')))) : null,
        r ? el('p', { class: 'muted' }, `Rake ${r.rake}`) : null,
        el('h3', {}, 'Actions'),
        el('ol', { class: 'log full' }, h.events.filter((e) => e.type !== 'start').map((e) => el('li', {}, eventLine(e, names)))));
    } catch (e) {
      box.replaceChildren(el('p', { class: 'error', role: 'alert' }, e.message));
    }
  }

  window.FeltHistory = { loadRecent, showHand };
})();

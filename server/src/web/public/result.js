// Hand log, hand results and the "verify" button. While a hand runs, this remembers what the player
// saw before the deal could be changed (the commitment, who was dealt in, the button, their own cards),
// so that after the result verify.js can check the server's openings against it in the browser.
'use strict';

(function () {
  const { el, card } = window.Felt;
  const $ = (sel) => document.querySelector(sel);
  const LOG_LINES = 40;
  const OPENINGS_WAIT_STEPS = 30;
  // Per hand id: { commitment, button, dealtSeats, holeCount, mySeat, holeCards, names, result, openings }.
  let hands = new Map();
  let shown = null;

  // Enough for the hand on screen and the one just dealt; older hands are forgotten.
  const HANDS_KEPT = 4;

  function hand(handId) {
    if (!hands.has(handId) && hands.size >= HANDS_KEPT) hands.delete(hands.keys().next().value);
    if (!hands.has(handId)) hands.set(handId, { commitment: null, button: null, dealtSeats: [], holeCount: 0, mySeat: null, holeCards: [], names: {} });
    return hands.get(handId);
  }

  function reset() {
    hands = new Map();
    shown = null;
    $('#result').hidden = true;
    $('#log').replaceChildren();
    delete $('#log').dataset.hand;
  }

  /** Records the public facts of a running hand from a table view (only the first commitment counts). */
  function noteView(view, holeCards) {
    if (!view.handId || view.phase !== 'hand') return;
    const h = hand(view.handId);
    if (!h.commitment && view.commitment) h.commitment = view.commitment;
    h.button = view.button;
    const inHand = view.seats.filter((s) => s.status === 'active' || s.status === 'folded' || s.status === 'all_in');
    if (inHand.length > h.dealtSeats.length) h.dealtSeats = inHand.map((s) => s.seat);
    h.holeCount = Math.max(h.holeCount, ...inHand.map((s) => s.holeCardCount));
    for (const s of view.seats) h.names[s.seat] = s.username;
    if (view.you && view.you.seat !== null && h.dealtSeats.includes(view.you.seat)) h.mySeat = view.you.seat;
    if (holeCards.length && !h.holeCards.length) h.holeCards = holeCards.slice();
  }

  function noteCards(msg) {
    const h = hand(msg.handId);
    if (!h.commitment) h.commitment = msg.commitment;
    h.holeCards = msg.cards.slice();
  }

  function noteOpenings(msg) {
    hand(msg.handId).openings = msg;
  }

  const nameOf = (h, seat) => h.names[seat] || `Seat ${seat + 1}`;

  const isZero = (amount) => /^0(\.0+)?$/.test(amount);

  /** " to 2.00" for raises, " 2.00" for bets and calls, nothing for checks and folds. */
  function actionAmount(msg) {
    if (msg.action === 'raise') return msg.to ? ` to ${msg.to}` : '';
    if (msg.action === 'bet') return msg.to ? ` ${msg.to}` : '';
    return msg.amount && !isZero(msg.amount) ? ` ${msg.amount}` : '';
  }

  /** One log line per hand event, in words. */
  function log(msg, view) {
    const h = hand(msg.handId);
    if (view) for (const s of view.seats) h.names[s.seat] = s.username;
    const who = msg.seat !== undefined ? nameOf(h, msg.seat) : '';
    let text;
    if (msg.type === 'post') text = `${who} posts ${msg.amount}${msg.allIn ? ' (all-in)' : ''}`;
    else if (msg.type === 'action') text = `${who} ${msg.action}s${actionAmount(msg)}${msg.allIn ? ' (all-in)' : ''}`;
    else if (msg.type === 'street') text = `${msg.street}: ${(msg.cards || []).join(' ')}`;
    else if (msg.type === 'uncalled_return') text = `${msg.amount} returned to ${who}`;
    else if (msg.type === 'timeout') text = `${who} ran out of time`;
    else if (msg.type === 'showdown') text = `${who} shows ${(msg.cards || []).join(' ')}`;
    else if (msg.type === 'voided') text = `The hand was cancelled: ${msg.reason || 'no chips moved'}`;
    else text = msg.type;
    const list = $('#log');
    if (list.dataset.hand !== msg.handId) {
      list.dataset.hand = msg.handId;
      list.append(el('li', { class: 'log-hand' }, view && view.handId === msg.handId && view.handNumber ? `Hand #${view.handNumber}` : 'New hand'));
    }
    list.append(el('li', {}, text));
    while (list.children.length > LOG_LINES) list.firstChild.remove();
    // The newest line stays in sight.
    list.scrollTop = list.scrollHeight;
  }

  /** Shows a hand's result: showdown cards, each pot's winners and amounts, and the rake. */
  function show(result, view) {
    const h = hand(result.handId);
    h.result = result;
    if (view) for (const s of view.seats) h.names[s.seat] = s.username;
    shown = result.handId;
    $('#result-title').textContent = `Hand #${result.handNumber} result`;
    const pots = result.pots.map((p, i) => el('li', { class: 'pot-line' },
      `${i === 0 ? 'Main pot' : `Side pot ${i}`} ${p.amount}: `,
      p.winners.map((w) => `${nameOf(h, w.seat)} wins ${w.amount}`).join(', ')));
    const showdown = result.showdown.map((s) => el('li', {}, `${nameOf(h, s.seat)}: `, s.cards.map(card), ` ${s.description}`));
    $('#result-body').replaceChildren(
      el('div', { class: 'board small', 'aria-label': 'Final board' }, result.board.map(card)),
      showdown.length ? el('ul', { class: 'showdown' }, showdown) : el('p', { class: 'muted' }, 'No showdown: the hand was won uncontested.'),
      el('ul', { class: 'pots-list' }, pots),
      el('p', { class: 'muted' }, `Rake ${result.rake}`));
    $('#verify-result').textContent = '';
    $('#verify-result').className = '';
    $('#result').hidden = false;
  }

  async function verify() {
    const out = $('#verify-result');
    const h = shown && hands.get(shown);
    if (!h || !h.result) return;
    out.className = '';
    out.textContent = 'Checking…';
    // The openings of your own cards follow the result; give them a moment if they are not here yet.
    for (let i = 0; i < OPENINGS_WAIT_STEPS && h.mySeat !== null && !h.openings; i++) await new Promise((r) => setTimeout(r, 100));
    try {
      const verdict = await window.FeltVerify.verifyHand(h, h.result, h.openings);
      const what = h.mySeat !== null ? 'your cards and the board' : 'the board';
      if (verdict.ok) {
        out.className = 'verdict-ok';
        out.textContent = `✓ Match: ${what} (${verdict.checked} cards) match the commitment published before the deal.`;
      } else {
        out.className = 'verdict-bad';
        out.textContent = `✗ Mismatch: ${verdict.problems.join('; ') || 'nothing could be checked'}.`;
      }
    } catch (e) {
      out.className = 'verdict-bad';
      out.textContent = `The check could not run: ${e.message}`;
    }
  }

  $('#verify').addEventListener('click', verify);
  window.FeltResult = { reset, noteView, noteCards, noteOpenings, log, show };
})();

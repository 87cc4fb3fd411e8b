// The table screen: seats, board, pots, whose turn and its countdown, the player's own cards, the legal
// actions the server sent (never computed here), the buy-in dialog and seat controls. Hand results and
// the fairness check are in result.js. Everything arrives over the one socket app.js opened.
'use strict';

(function () {
  const { el, card, cardBack, errorWords, requestId, scaleOf, toMinor, fromMinor } = window.Felt;
  const $ = (sel) => document.querySelector(sel);
  // A seated player who neither acts nor just acted gets no table:state during a hand, only
  // hand:event; if no view follows an event within this delay, the view is asked for (table:watch).
  const REFRESH_AFTER_EVENT_MS = 250;
  const t = { socket: null, app: null, tableId: null, view: null, cards: {}, acting: null, refresh: null, clock: null, buyInFor: null };

  /** Wires the socket's table events once per connection. */
  function attach(socket, app) {
    t.socket = socket;
    t.app = app;
    socket.on('table:state', onState);
    socket.on('hand:cards', (msg) => {
      if (msg.tableId !== t.tableId) return;
      // Only the current hand's cards are kept.
      t.cards = { [msg.handId]: msg.cards };
      window.FeltResult.noteCards(msg);
      render();
    });
    socket.on('hand:event', (msg) => {
      if (msg.tableId !== t.tableId) return;
      window.FeltResult.log(msg, t.view);
      scheduleRefresh();
    });
    socket.on('hand:result', (msg) => {
      if (msg.tableId !== t.tableId) return;
      window.FeltResult.show(msg, t.view);
      app.refreshWallet();
    });
    socket.on('hand:openings', (msg) => { if (msg.tableId === t.tableId) window.FeltResult.noteOpenings(msg); });
    socket.on('seat:topup', (msg) => {
      if (msg.tableId !== t.tableId) return;
      const words = { applied: `Your top-up of ${msg.amount} was added; your stack is ${msg.stack}.`, cancelled: `Your top-up of ${msg.amount} was cancelled; no chips moved.` };
      $('#seat-note').textContent = words[msg.status] || `Your top-up of ${msg.amount} was refused: ${errorWords(msg.error)}`;
      app.refreshWallet();
    });
  }

  function scheduleRefresh() {
    clearTimeout(t.refresh);
    const seq = t.view ? t.view.seq : -1;
    t.refresh = setTimeout(() => {
      if (t.view && t.view.seq === seq) watch();
    }, REFRESH_AFTER_EVENT_MS);
  }

  function watch() {
    if (!t.socket || !t.tableId) return;
    const tableId = t.tableId;
    t.socket.emit('table:watch', { tableId }, (ack) => {
      if (tableId !== t.tableId) return;
      if (ack.ok) onState(ack.state);
      else $('#seat-error').textContent = errorWords(ack.error);
    });
  }

  /** Shows table `tableId` (watching it; sitting is a separate step). */
  function open(tableId) {
    if (t.tableId === tableId) return;
    t.tableId = tableId;
    t.view = null;
    window.FeltResult.reset();
    $('#table-title').textContent = 'Loading…';
    for (const id of ['#seat-error', '#seat-note', '#action-error']) $(id).textContent = '';
    if (!t.clock) t.clock = setInterval(renderTurn, 250);
    if (t.socket && t.socket.connected) watch();
  }

  /** Leaves the table screen; a seat, if any, is kept (leaving is the Leave button). */
  function close() {
    if (t.tableId && t.socket && t.socket.connected && !mySeat()) t.socket.emit('table:unwatch', { tableId: t.tableId }, () => undefined);
    t.tableId = null;
    t.view = null;
    clearInterval(t.clock);
    t.clock = null;
  }

  /** After a (re)connection the server forgets what this socket watched: watch again. */
  function reconnected() {
    if (t.tableId) watch();
  }

  function onState(view) {
    if (view.tableId !== t.tableId) return;
    // Views can arrive out of order (an ack and a broadcast); an older one never replaces a newer one.
    if (t.view && view.seq < t.view.seq) return;
    t.view = view;
    window.FeltResult.noteView(view, t.cards[view.handId] || (view.you && view.you.holeCards) || []);
    render();
  }

  function mySeat() {
    const v = t.view;
    return v && v.you && v.you.seat !== null ? v.seats.find((s) => s.seat === v.you.seat) || null : null;
  }

  function render() {
    const v = t.view;
    if (!v) return;
    const c = v.config;
    $('#table-title').textContent = v.name;
    $('#table-info').textContent = `${c.variant} · blinds ${c.smallBlind}/${c.bigBlind} · buy-in ${c.minBuyIn}–${c.maxBuyIn}` +
      (v.handNumber ? ` · hand #${v.handNumber}` : '') + (v.phase === 'paused' ? ' · paused: the server is waiting for its database' : '');
    renderSeats(v);
    $('#board').replaceChildren(...v.board.map(card));
    const potTotal = v.pots.map((p) => p.amount).join(' + ');
    $('#pots').textContent = v.pots.length ? `Pot ${potTotal}` : '';
    const mine = (v.you && v.you.holeCards.length ? v.you.holeCards : t.cards[v.handId]) || [];
    $('#my-cards').replaceChildren(...(mySeat() && v.handId ? mine.map(card) : []));
    renderActions(v);
    renderSeatControls(v);
    renderTurn();
  }

  function renderSeats(v) {
    const me = mySeat();
    const nodes = [];
    for (let i = 0; i < v.config.maxSeats; i++) {
      const s = v.seats.find((x) => x.seat === i);
      if (!s) {
        nodes.push(el('div', { class: 'seat empty', 'data-seat': i },
          el('span', { class: 'muted' }, `Seat ${i + 1}`),
          me ? null : el('button', { type: 'button', class: 'secondary', 'aria-label': `Sit here (seat ${i + 1})`, onclick: () => openBuyIn('sit', i) }, 'Sit here')));
        continue;
      }
      const isMe = me && me.seat === i;
      const marks = [];
      if (s.seat === v.button) marks.push(el('span', { class: 'dealer', title: 'Dealer button', 'aria-label': 'Dealer button' }, 'D'));
      if (s.status === 'sitting_out') marks.push(el('span', { class: 'mark' }, 'sitting out'));
      if (s.status === 'folded') marks.push(el('span', { class: 'mark' }, 'folded'));
      if (s.status === 'all_in') marks.push(el('span', { class: 'mark hot' }, 'all-in'));
      if (!s.connected) marks.push(el('span', { class: 'mark' }, 'disconnected'));
      let cards = [];
      if (s.shownCards) cards = s.shownCards.map(card);
      else if (isMe && v.handId) cards = ((v.you && v.you.holeCards.length ? v.you.holeCards : t.cards[v.handId]) || []).map(card);
      else for (let k = 0; k < s.holeCardCount; k++) cards.push(cardBack());
      const turn = v.turn && v.turn.seat === i;
      nodes.push(el('div', { class: `seat${isMe ? ' me' : ''}${turn ? ' to-act' : ''}${s.status === 'folded' ? ' folded' : ''}`, 'data-seat': i, 'aria-label': `Seat ${i + 1}: ${s.username}` },
        el('div', { class: 'seat-head' }, el('strong', { class: 'name' }, s.username), ...marks),
        el('div', { class: 'stack' }, `Stack ${s.stack}`),
        el('div', { class: 'bet' }, s.bet && !/^0(\.0+)?$/.test(s.bet) ? `Bet ${s.bet}` : ''),
        el('div', { class: 'cards' }, cards)));
    }
    $('#seats').replaceChildren(...nodes);
  }

  function renderTurn() {
    const v = t.view;
    const box = $('#turn');
    if (!v || !v.turn) { box.textContent = v && v.phase === 'waiting' ? 'Waiting for players' : ''; return; }
    const s = v.seats.find((x) => x.seat === v.turn.seat);
    const seconds = Math.max(0, Math.ceil((v.turn.deadline - Date.now()) / 1000));
    const who = v.you && v.you.seat === v.turn.seat ? 'Your turn' : `${s ? s.username : `Seat ${v.turn.seat + 1}`} to act`;
    box.textContent = `${who} · ${seconds} s`;
  }

  function turnKey(v) {
    return v && v.turn ? `${v.handId}:${v.turn.number}` : null;
  }

  function renderActions(v) {
    const legal = v.you && v.you.legal;
    const bar = $('#action-bar');
    bar.hidden = !legal;
    if (!legal) return;
    const key = turnKey(v);
    const fresh = key !== bar.dataset.turn;
    bar.dataset.turn = key;
    const busy = t.acting === key;
    for (const b of bar.querySelectorAll('[data-action]')) {
      b.hidden = !legal.actions.includes(b.dataset.action);
      b.disabled = busy;
    }
    $('#call').textContent = `Call ${legal.callAmount}`;
    const sizing = legal.minTo !== null && (legal.actions.includes('bet') || legal.actions.includes('raise'));
    $('#sizing').hidden = !sizing;
    const input = $('#amount');
    if (sizing) {
      input.min = legal.minTo;
      input.max = legal.maxTo;
      input.step = v.config.unit;
      if (fresh) input.value = legal.minTo;
    }
    if (fresh) $('#action-error').textContent = '';
  }

  /** The quick sizes, clamped to the server's min and max and rounded down to the table's unit. */
  function quickSize(kind) {
    const v = t.view;
    const legal = v && v.you && v.you.legal;
    if (!legal || legal.minTo === null) return;
    const scale = scaleOf(v.config.unit);
    const unit = toMinor(v.config.unit, scale);
    const min = toMinor(legal.minTo, scale);
    const max = toMinor(legal.maxTo, scale);
    let to = kind === 'min' ? min : max;
    if (kind === 'half' || kind === 'pot') {
      // Pot-sized raise: call first, then raise by the pot that call makes (bets on the table included).
      const me = mySeat();
      const mine = me ? toMinor(me.bet, scale) : 0n;
      const call = toMinor(legal.callAmount, scale);
      let pot = v.pots.reduce((n, p) => n + toMinor(p.amount, scale), 0n);
      for (const s of v.seats) pot += toMinor(s.bet, scale) || 0n;
      const raiseBy = kind === 'pot' ? pot + call : (pot + call) / 2n;
      to = mine + call + raiseBy;
    }
    if (to < min) to = min;
    if (to > max) to = max;
    to -= to % unit;
    $('#amount').value = fromMinor(to, scale);
  }

  function act(action) {
    const v = t.view;
    const legal = v && v.you && v.you.legal;
    if (!legal || !legal.actions.includes(action)) return;
    const key = turnKey(v);
    if (t.acting === key) return;
    const payload = { tableId: v.tableId, handId: v.handId, action, requestId: requestId() };
    // The turn this click answers: if it arrives after that turn is over, the server refuses it.
    if (v.turn) payload.turn = v.turn.number;
    if (action === 'bet' || action === 'raise') {
      const raw = $('#amount').value.trim();
      if (toMinor(raw, scaleOf(v.config.unit)) === null) {
        $('#action-error').textContent = `Enter an amount from ${legal.minTo} to ${legal.maxTo} in steps of ${v.config.unit}.`;
        return;
      }
      payload.amount = raw;
    }
    // Each turn is answered once: the buttons stay disabled until the next turn or a refusal.
    t.acting = key;
    renderActions(v);
    t.socket.emit('table:act', payload, (ack) => {
      if (ack.ok) return;
      if (ack.error.code !== 'outcome_unknown') t.acting = null;
      $('#action-error').textContent = errorWords(ack.error);
      if (t.view) renderActions(t.view);
    });
  }

  function renderSeatControls(v) {
    const me = mySeat();
    $('#topup-open').hidden = !me;
    $('#leave').hidden = !me;
    $('#sitout').hidden = !me || me.status === 'sitting_out';
    $('#sitin').hidden = !me || me.status !== 'sitting_out';
    if (!me && v.seats.length >= v.config.maxSeats) $('#seat-note').textContent = 'Every seat is taken; you are watching.';
  }

  /** Opens the buy-in dialog to sit at `seat`, or to top up the current seat. */
  function openBuyIn(mode, seat) {
    const v = t.view;
    if (!v) return;
    const me = t.app.me();
    const scale = scaleOf(v.config.unit);
    const current = mode === 'topup' && mySeat() ? toMinor(mySeat().stack, scale) : 0n;
    const max = toMinor(v.config.maxBuyIn, scale) - current;
    const wallet = me ? toMinor(me.balance, scale) : null;
    t.buyInFor = { mode, seat };
    $('#buyin-title').textContent = mode === 'topup' ? 'Top up' : `Buy in at seat ${seat + 1}`;
    $('#buyin-limits').textContent = mode === 'topup'
      ? `Your stack may not go above the table maximum of ${v.config.maxBuyIn} (it is ${mySeat().stack} now). Wallet: ${me ? me.balance : '…'}.`
      : `Between ${v.config.minBuyIn} and ${v.config.maxBuyIn}. Wallet: ${me ? me.balance : '…'}.`;
    const input = $('#buyin-amount');
    input.min = mode === 'topup' ? v.config.unit : v.config.minBuyIn;
    input.max = fromMinor(max, scale);
    input.step = v.config.unit;
    const best = wallet !== null && wallet !== undefined && wallet < max ? wallet : max;
    input.value = fromMinor(best, scale);
    $('#buyin-submit').textContent = mode === 'topup' ? 'Top up' : 'Buy in';
    $('#buyin-error').textContent = '';
    $('#buyin-dialog').showModal();
    input.focus();
  }

  function submitBuyIn(event) {
    event.preventDefault();
    const v = t.view;
    const what = t.buyInFor;
    if (!v || !what) return;
    const amount = $('#buyin-amount').value.trim();
    const done = (ack) => {
      if (!ack.ok) { $('#buyin-error').textContent = errorWords(ack.error); return; }
      $('#buyin-dialog').close();
      $('#seat-error').textContent = '';
      if (what.mode === 'topup') $('#seat-note').textContent = ack.pending ? `Your top-up of ${amount} will be added after this hand.` : `Topped up; your stack is ${ack.stack}.`;
      else onState(ack.state);
      t.app.refreshWallet();
    };
    if (what.mode === 'topup') t.socket.emit('table:topup', { tableId: v.tableId, amount, requestId: requestId() }, done);
    else t.socket.emit('table:sit', { tableId: v.tableId, seat: what.seat, buyIn: amount, requestId: requestId() }, done);
  }

  function seatCommand(name, payload, note) {
    const v = t.view;
    if (!v) return;
    t.socket.emit(name, { tableId: v.tableId, ...payload }, (ack) => {
      $('#seat-error').textContent = ack.ok ? '' : errorWords(ack.error);
      if (ack.ok && note) $('#seat-note').textContent = note(ack);
      t.app.refreshWallet();
    });
  }

  function onKey(event) {
    if (!t.view || $('#action-bar').hidden || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target instanceof HTMLInputElement || $('#buyin-dialog').open) return;
    const key = event.key.toLowerCase();
    const visible = (id) => !$(id).hidden;
    if (key === 'f') act('fold');
    else if (key === 'c') act(visible('#check') ? 'check' : 'call');
    else if (key === 'r') act(visible('#raise') ? 'raise' : 'bet');
    else return;
    event.preventDefault();
  }

  for (const b of document.querySelectorAll('#action-bar [data-action]')) b.addEventListener('click', () => act(b.dataset.action));
  for (const b of document.querySelectorAll('#action-bar [data-size]')) b.addEventListener('click', () => quickSize(b.dataset.size));
  $('#action-bar').addEventListener('submit', (e) => e.preventDefault());
  $('#buyin-form').addEventListener('submit', submitBuyIn);
  $('#buyin-cancel').addEventListener('click', () => $('#buyin-dialog').close());
  $('#topup-open').addEventListener('click', () => openBuyIn('topup', null));
  $('#sitout').addEventListener('click', () => seatCommand('table:sitout', {}, () => 'You are sitting out from the next hand.'));
  $('#sitin').addEventListener('click', () => seatCommand('table:sitin', {}, () => 'You are back in from the next hand.'));
  $('#leave').addEventListener('click', () => seatCommand('table:leave', { requestId: requestId() },
    (ack) => (ack.pending ? 'You will leave when this hand ends.' : `You left the table with ${ack.cashedOut}.`)));
  document.addEventListener('keydown', onKey);

  window.FeltTable = { attach, open, close, reconnected };
})();

// The hand replayer: board, pot and seats after each stored event, the whole-hand action log,
// per-street jumps, arrow keys (← → Home End) and autoplay. The acting seat's row is highlighted.
import { $, card, el, link } from './api.js';

/** Milliseconds between steps when autoplaying. */
const AUTOPLAY_STEP_MS = 900;
const STREETS = ['preflop', 'flop', 'turn', 'river'];

const replay = { hand: null, step: 0, timer: null };

/** Shows a hand in the replayer from its first step. */
export function showReplay(hand) {
  stopAutoplay();
  replay.hand = hand;
  replay.step = 0;
  renderLog();
  renderStreets();
  render();
}

/** Moves to a step (clamped to the hand). */
function go(step) {
  const last = replay.hand.steps.length - 1;
  replay.step = Math.max(0, Math.min(last, step));
  if (replay.step === last) stopAutoplay();
  render();
}

function playerAt(seat) {
  return (replay.hand.seats.find((s) => s.seat === seat) || {}).playerId;
}

function render() {
  const steps = replay.hand.steps;
  const s = steps[replay.step];
  $('#prev-step').disabled = replay.step === 0;
  $('#next-step').disabled = replay.step >= steps.length - 1;
  $('#step-counter').textContent = steps.length ? `Step ${replay.step + 1} of ${steps.length}` : 'No events';
  if (!s) return;
  $('#board').replaceChildren(...(s.board.length ? s.board.map(card) : [el('span', { class: 'pot' }, 'no board yet')]));
  $('#pot').textContent = `Pot ${s.pot}`;
  $('#step-text').textContent = s.text;
  $('#replay-seats tbody').replaceChildren(...s.seats.map((x) => el('tr', {
    class: [x.folded ? 'folded' : '', x.seat === s.actorSeat ? 'acting' : ''].join(' ').trim(), 'data-seat': x.seat,
  },
  el('td', {}, x.seat, x.seat === replay.hand.buttonSeat ? ' (D)' : ''),
  el('td', {}, link(`#/player/${playerAt(x.seat)}`, x.name, 'Player page')),
  el('td', {}, x.cards.map(card)), el('td', { class: 'num' }, x.stack), el('td', { class: 'num' }, x.inFront))));
  for (const li of document.querySelectorAll('#action-log li')) li.classList.toggle('current', Number(li.dataset.step) === replay.step);
  const current = document.querySelector('#action-log li.current');
  if (current) current.scrollIntoView({ block: 'nearest' });
  for (const b of document.querySelectorAll('#street-jumps button')) b.classList.toggle('current', b.dataset.street === s.street);
}

/** The whole hand as a list of lines grouped by street; a click jumps to that step. */
function renderLog() {
  const items = [];
  let street = null;
  replay.hand.steps.forEach((s, i) => {
    if (s.street !== street) { street = s.street; items.push(el('li', { class: 'street-head' }, street)); }
    items.push(el('li', { 'data-step': i, onclick: () => go(i) }, s.text));
  });
  $('#action-log').replaceChildren(...items);
}

function renderStreets() {
  const steps = replay.hand.steps;
  const buttons = STREETS.map((street) => {
    const first = steps.findIndex((s) => s.street === street);
    return el('button', { type: 'button', class: 'secondary small', 'data-street': street, ...(first < 0 ? { disabled: '' } : {}), onclick: () => go(first) }, street);
  });
  buttons.push(el('button', { type: 'button', class: 'secondary small', 'data-street': 'end', onclick: () => go(steps.length - 1) }, 'result'));
  $('#street-jumps').replaceChildren(...buttons);
}

function stopAutoplay() {
  if (replay.timer) clearInterval(replay.timer);
  replay.timer = null;
  $('#autoplay').textContent = '▶ Autoplay';
  $('#autoplay').setAttribute('aria-pressed', 'false');
}

function toggleAutoplay() {
  if (replay.timer) { stopAutoplay(); return; }
  if (replay.step >= replay.hand.steps.length - 1) replay.step = -1;
  replay.timer = setInterval(() => go(replay.step + 1), AUTOPLAY_STEP_MS);
  $('#autoplay').textContent = '❚❚ Pause';
  $('#autoplay').setAttribute('aria-pressed', 'true');
  go(replay.step + 1);
}

/** Arrow keys step the replayer while the hand page is shown and no form field has the focus. */
function onKey(event) {
  if ($('#hand-view').hidden || !replay.hand || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.target instanceof HTMLElement && event.target.closest('input, select, textarea')) return;
  const moves = { ArrowRight: replay.step + 1, ArrowLeft: replay.step - 1, Home: 0, End: replay.hand.steps.length - 1 };
  if (!(event.key in moves)) return;
  event.preventDefault();
  stopAutoplay();
  go(moves[event.key]);
}

/** Wires the replayer's buttons and keys. */
export function initReplayer() {
  $('#prev-step').addEventListener('click', () => { stopAutoplay(); go(replay.step - 1); });
  $('#next-step').addEventListener('click', () => { stopAutoplay(); go(replay.step + 1); });
  $('#autoplay').addEventListener('click', toggleAutoplay);
  document.addEventListener('keydown', onKey);
}

/** Stops autoplay when leaving the hand page. */
export function leaveReplay() {
  stopAutoplay();
}

// Small helpers shared by the table client's scripts: building elements (text only, never HTML, so a
// crafted username cannot run script), cards with text alternatives, decimal amounts in the table's
// unit (as integers, never floats) and plain words for the closed list of error codes.
'use strict';

(function () {
  /** Builds an element with attributes and children (strings become text nodes). */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === 'class') node.className = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : v);
    }
    for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  const RANK_NAMES = { 2: 'Two', 3: 'Three', 4: 'Four', 5: 'Five', 6: 'Six', 7: 'Seven', 8: 'Eight', 9: 'Nine', T: 'Ten', J: 'Jack', Q: 'Queen', K: 'King', A: 'Ace' };
  const SUIT_NAMES = { c: 'clubs', d: 'diamonds', h: 'hearts', s: 'spades' };
  const SUIT_SYMBOLS = { c: '♣', d: '♦', h: '♥', s: '♠' };

  /** "As" → "Ace of spades". */
  function cardName(text) {
    return `${RANK_NAMES[text[0]] || text[0]} of ${SUIT_NAMES[text[1]] || text[1]}`;
  }

  /** A face-up card: the symbol is drawn, the full name is what a screen reader says. */
  function card(text) {
    return el('span', { class: `playing-card suit-${text[1]}`, role: 'img', 'aria-label': cardName(text), 'data-card': text },
      el('span', { 'aria-hidden': 'true' }, text[0].replace('T', '10') + SUIT_SYMBOLS[text[1]]));
  }

  /** A face-down card. */
  function cardBack() {
    return el('span', { class: 'playing-card back', role: 'img', 'aria-label': 'Face-down card' });
  }

  /** Decimal places of a unit such as "0.01" (2) or "1" (0). */
  function scaleOf(unit) {
    const dot = unit.indexOf('.');
    return dot < 0 ? 0 : unit.length - dot - 1;
  }

  /** A decimal string as a BigInt count of 10^-scale, or null when malformed or finer than the scale. */
  function toMinor(text, scale) {
    const m = /^(\d+)(?:\.(\d*))?$/.exec(String(text).trim());
    if (!m) return null;
    const frac = m[2] || '';
    if (frac.length > scale && /[^0]/.test(frac.slice(scale))) return null;
    return BigInt(m[1] + frac.slice(0, scale).padEnd(scale, '0'));
  }

  /** The inverse of toMinor, always with `scale` decimals. */
  function fromMinor(value, scale) {
    const neg = value < 0n;
    const digits = (neg ? -value : value).toString().padStart(scale + 1, '0');
    const whole = scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return neg ? `-${whole}` : whole;
  }

  /** Plain words for an error body from the closed code list (window.FELT_ERROR_CODES, served by the server). */
  function errorWords(error) {
    if (!error) return 'Something went wrong.';
    const known = (window.FELT_ERROR_CODES || {})[error.code];
    if (!known) return error.message || 'Something went wrong.';
    // A more specific message (which field, which limit) is added when the server gave one.
    return error.message && error.message !== known ? `${known} (${error.message})` : known;
  }

  /** A request id for the idempotent events. */
  function requestId() {
    return crypto.randomUUID();
  }

  window.Felt = { el, card, cardBack, cardName, scaleOf, toMinor, fromMinor, errorWords, requestId };
})();

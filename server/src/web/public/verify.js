// Felt fairness check, run in the player's own browser with Web Crypto (SHA-256 only). It checks the
// openings the server sent after a hand against the deck commitment it published before the deal,
// following the "felt-deck-merkle-v1" steps of docs/PROTOCOL.md: leaf = SHA-256(0x00 ‖ "felt-deck-v1" ‖
// position ‖ card ‖ salt), RFC 9162 inclusion paths, and the deal order (each dealt player's cards in
// turn from the left of the button, then the board). The same file loads in Node for the unit test.
'use strict';

(function (root) {
  const RANKS = '23456789TJQKA';
  const SUITS = 'cdhs';
  const HEX64 = /^[0-9a-f]{64}$/;
  const subtle = () => root.crypto.subtle;

  function cardNumber(text) {
    if (typeof text !== 'string' || text.length !== 2) return -1;
    const rank = RANKS.indexOf(text[0]);
    const suit = SUITS.indexOf(text[1]);
    return rank < 0 || suit < 0 ? -1 : rank * 4 + suit;
  }

  function hexBytes(hex) {
    const out = new Uint8Array(hex.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
    return out;
  }

  function bytesHex(bytes) {
    return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');
  }

  async function sha256(...parts) {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const joined = new Uint8Array(total);
    let at = 0;
    for (const p of parts) { joined.set(p, at); at += p.length; }
    return new Uint8Array(await subtle().digest('SHA-256', joined));
  }

  /** True when `opening` proves its card sat at its position of the deck committed to by `rootHex`. */
  async function verifyOpening(rootHex, opening, leafCount = 52) {
    if (typeof rootHex !== 'string' || !HEX64.test(rootHex) || !opening) return false;
    const { position, card, salt, path } = opening;
    const cardNo = cardNumber(card);
    if (cardNo < 0 || typeof salt !== 'string' || !HEX64.test(salt) || !Array.isArray(path)) return false;
    if (!Number.isInteger(position) || position < 0 || position >= leafCount) return false;
    if (!path.every((p) => typeof p === 'string' && HEX64.test(p))) return false;
    let r = await sha256(new Uint8Array([0]), new TextEncoder().encode('felt-deck-v1'), new Uint8Array([position, cardNo]), hexBytes(salt));
    // RFC 9162 §2.1.3.2: fn walks the leaf's index up the tree, sn the last index at each level.
    let fn = position;
    let sn = leafCount - 1;
    for (const siblingHex of path) {
      if (sn === 0) return false;
      const sibling = hexBytes(siblingHex);
      if (fn % 2 === 1 || fn === sn) {
        r = await sha256(new Uint8Array([1]), sibling, r);
        while (fn % 2 === 0 && fn !== 0) { fn >>= 1; sn >>= 1; }
      } else {
        r = await sha256(new Uint8Array([1]), r, sibling);
      }
      fn >>= 1;
      sn >>= 1;
    }
    return sn === 0 && bytesHex(r) === rootHex;
  }

  /**
   * Checks one finished hand from what this player saw: `hand` = { commitment (received before the
   * deal), button, dealtSeats (table seats dealt in), holeCount (cards per player), mySeat (null for a
   * spectator), holeCards },
   * `result` = the hand:result message, `mine` = the hand:openings message (absent for a spectator).
   * Answers { ok, checked, problems } where `checked` counts the cards proven.
   */
  async function verifyHand(hand, result, mine) {
    const problems = [];
    const root = hand.commitment;
    if (!root || result.commitment !== root) problems.push('the commitment after the hand differs from the one published before the deal');
    if (mine && mine.commitment !== root) problems.push('your openings name a different commitment');
    const seats = [...hand.dealtSeats].sort((a, b) => a - b);
    // Deal order: starting left of the button and ending with it.
    const order = [...seats.filter((s) => s > hand.button), ...seats.filter((s) => s <= hand.button)];
    const perPlayer = hand.holeCards.length || hand.holeCount || 0;
    let checked = 0;
    const expect = async (opening, position, card, what) => {
      if (!opening) { problems.push(`no opening for ${what}`); return; }
      if (opening.position !== position) problems.push(`${what} was opened at deck position ${opening.position}, dealt from ${position}`);
      if (opening.card !== card) problems.push(`${what} is ${card} but its opening says ${opening.card}`);
      if (!(await verifyOpening(root, opening))) problems.push(`the opening of ${what} does not prove against the commitment`);
      else checked++;
    };
    if (hand.mySeat !== null && hand.mySeat !== undefined) {
      const first = order.indexOf(hand.mySeat) * perPlayer;
      if (first < 0 || !mine) problems.push('no openings of your own cards arrived');
      else {
        for (let i = 0; i < hand.holeCards.length; i++) {
          const position = first + i;
          await expect(mine.openings.find((o) => o.position === position), position, hand.holeCards[i], `your card ${hand.holeCards[i]}`);
        }
      }
    }
    const boardStart = order.length * perPlayer;
    for (let i = 0; i < result.board.length; i++) {
      const position = boardStart + i;
      await expect(result.openings.find((o) => o.position === position), position, result.board[i], `board card ${result.board[i]}`);
    }
    return { ok: problems.length === 0 && checked > 0, checked, problems };
  }

  const api = { verifyOpening, verifyHand, cardNumber };
  if (typeof module === 'object' && module.exports) module.exports = api;
  else root.FeltVerify = api;
})(typeof window === 'object' ? window : globalThis);

/**
 * Generates docs/PROTOCOL.md from the shared protocol definitions, so the document cannot drift from
 * the code: payload schemas come from the zod schemas, codes from shared/codes.ts, message shapes from
 * the interfaces in shared/protocol.ts. `npm run docs:protocol` rewrites the file; a test checks it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ERROR_CODES, HTTP_STATUS } from '../shared/codes';
import { clientSchemas, MAX_FRAME_ITEMS, PROTOCOL_LIMITS, PROTOCOL_VERSIONS, VIEW_SEQS_PER_EPOCH, type ClientEventName } from '../shared/protocol';

const ROOT = path.resolve(__dirname, '..');
export const PROTOCOL_DOC = path.join(ROOT, 'docs/PROTOCOL.md');

const ACKS: Record<ClientEventName, string> = {
  'lobby:list': '`{ ok: true, tables: TableSummary[] }`',
  'table:watch': '`{ ok: true, state: TableView }` — joins the table room; `table:state` updates follow (and `hand:cards` if you hold cards)',
  'table:unwatch': '`{ ok: true }`',
  'table:sit': '`{ ok: true, seat, stack, state }` once the buy-in committed (wallet → seat)',
  'table:topup':
    '`{ ok: true, stack, pending: false }` once it committed; during a hand you play, `{ ok: true, stack, pending: true }` at once (the current stack): it runs right after the hand settles and `seat:topup` tells you its fate',
  'table:sitout': '`{ ok: true }` — you are not dealt in from the next hand',
  'table:sitin': '`{ ok: true }`',
  'table:leave': '`{ ok: true, cashedOut, pending: false }` now, or `{ ok: true, cashedOut: null, pending: true }` mid-hand (fold at your turn, cash out after the hand)',
  'table:chat':
    '`{ ok: true, messageId }` — seated players and watchers only; at most 5 messages at once, then one every 2 s; `forbidden` when an admin muted you. Everyone at the table gets `table:chat`',
  'table:act':
    '`{ ok: true, seq }` — `amount` is the street total "to" for bet/raise (as PHH `cbr`), absent otherwise. Send `turn` (the `turn.number` of the view you decided on): once that turn is over the action is refused `not_your_turn` instead of being applied to a later turn of yours, which a delayed action otherwise would be. On protocol 2, `{ ok: true, seq, frame }`: `frame` is what your action sent this socket (see Protocol versions and frames)',
};

function interfaceBlock(source: string, name: string): string {
  const start = source.indexOf(`export interface ${name}`);
  if (start < 0) throw new Error(`interface ${name} not found in shared/protocol.ts`);
  let depth = 0;
  for (let i = source.indexOf('{', start); i < source.length; i++) {
    if (source[i] === '{') depth++;
    if (source[i] === '}' && --depth === 0) return source.slice(start, i + 1).replace(/^export /, '');
  }
  throw new Error(`unbalanced interface ${name}`);
}

/** A `export type Name = …;` alias from shared/protocol.ts, as written there. */
function typeBlock(source: string, name: string): string {
  const start = source.indexOf(`export type ${name} =`);
  if (start < 0) throw new Error(`type ${name} not found in shared/protocol.ts`);
  return source.slice(start, source.indexOf(';\n', start) + 1).replace(/^export /, '');
}

/** Protocol versions, the protocol 2 frame and the changelog. */
function framesSection(source: string): string[] {
  return [
    '## Protocol versions and frames', '',
    'The handshake may name a wire protocol version: `io(url, { auth: { token, protocol: 2 } })`. Without `protocol` you get',
    'version 1, described above: every table message is its own event. Any other value fails the handshake with the',
    `\`connect_error\` message \`invalid_payload\`. Versions: ${PROTOCOL_VERSIONS.join(', ')}.`, '',
    'With **protocol 2**, everything the table sends you because of one thing that happened (an action, a timeout, a deal, a',
    'settlement, a seat change) arrives as **one** `table:frame` event, `{ v: 2, tableId, items }`. Handle `items` in order,',
    'each exactly as the protocol 1 event named by its `type` with its `payload`; nothing else changes (acks, requests,',
    '`table:chat`, `session:ended` and `server:shutdown` stay events of their own, and the view and cards you are owed when',
    'you reconnect or watch come as a frame too). One exception saves a frame per action: the ack of your own `table:act`',
    'carries, as `frame`, what that action sent this socket (the action event, your new view, …), and no separate frame',
    'comes to that socket for it; your other sockets get it as a frame. A bot written for protocol 1 needs one more handler,',
    'applied to every `table:frame` and to the `frame` of each `table:act` ack:', '',
    '```ts',
    'socket.on(\'table:frame\', (frame) => { for (const item of frame.items) handlers[item.type]?.(item.payload); });',
    '```', '',
    'One item type is new: `table:turn` (`TurnNotice`). During a hand, a protocol 1 watcher gets a full `table:state` at every',
    'turn; on protocol 2 it gets `table:turn` (whose turn, its deadline and the `seq` of the view it stands for) next to the',
    'action and street events it already receives, and seated players whose own view did not change get it too. Patch',
    '`turn` and `seq` of your latest view with it, or ignore it. Full views still come at each deal, each seat change and',
    'after each result, and to you whenever your own view changes (your turn begins or ends). At most',
    `${MAX_FRAME_ITEMS} items ride in one frame; a step that sends more continues in the next frame, in order.`, '',
    '```ts', interfaceBlock(source, 'TableFrame'), '', typeBlock(source, 'FrameItem'), '', interfaceBlock(source, 'TurnNotice'), '```', '',
    '### Changelog', '',
    '- **2** — `table:frame`: one frame per table step per socket instead of one event per message, and none to the socket',
    '  that acted (its `table:act` ack carries its `frame`); the public part is encoded once per table; watchers get',
    '  `table:turn` instead of a full view on every turn. Opt in with `auth.protocol: 2`; version 1 is unchanged and remains',
    '  the default.',
    '- **1** — per-event messages (`table:state`, `hand:event`, `hand:cards`, `hand:result`, `hand:openings`, `seat:topup`).', '',
  ];
}

/** The leading doc comment of a source file as plain text, so the algorithm is written down once, beside its code. */
function headerComment(file: string): string[] {
  const source = readFileSync(path.join(ROOT, file), 'utf8');
  const match = /^\/\*\*\n([\s\S]*?)\n \*\//.exec(source);
  if (!match) throw new Error(`${file} has no leading doc comment`);
  return match[1]!.split('\n').map((line) => line.replace(/^ \* ?/, '').replace(/^ \*$/, ''));
}

/** The fairness section: what is committed when, who gets which opening, and the algorithm itself. */
function fairnessSection(): string[] {
  return [
    '## Fairness: the deck commitment', '',
    'Each hand is dealt from `shuffle(seed)` (a 32-byte secret seed, algorithm `felt-shuffle-v1` in',
    '`shared/engine/shuffle.ts`). The server never sends the seed to anyone, during or after the hand: it would let anyone',
    'rebuild every folded and mucked hand. It commits instead to each deck position separately:', '',
    '- **Before the first action**: the Merkle root, as `hand:cards.commitment` (with your hole cards) and `TableView.commitment`.',
    '- **After settlement, to everyone**: `hand:result.openings`, the openings of the board\'s positions and of the hole cards',
    '  shown at showdown (`commitmentScheme` names the algorithm).',
    '- **After settlement, to you alone**: `hand:openings`, the openings of your own hole cards, whether you folded or not.',
    '- **Never**: the seed, the salts or openings of anyone else\'s unshown cards, or of cards that were not dealt face up.',
    '  The seed is stored with the hand for the admin\'s `verify` (docs/HAND-HISTORY.md), which recomputes the root from it.',
    '  A voided hand (its settlement failed; no chips moved) opens nothing.', '',
    'Algorithm (from `shared/engine/deck-commitment.ts`, which implements it):', '',
    ...headerComment('shared/engine/deck-commitment.ts'), '',
    'To check a hand, call `verifyOpening(root, opening)` (same file) on each opening, with the root received before the first',
    'action, and check that each opening\'s `position` is where the deal order puts that card: each player\'s hole cards, all of',
    'a player\'s cards at once, players from left of the button round to the button, then flop (3), turn (1) and river (1), no',
    'burn cards. Test vector: the seed of bytes 0x00, 0x01, …, 0x1f has root',
    '`5ce2d2bc008fa854c3749d0389679b4604d8c65f94b12c6887359e4a7cf40373`; its position 0 holds `7h` with salt',
    '`052939969e411d287821a9c57d30d9ceba8d6ca72a8c2d15cc1983c6592d99c3`.', '',
  ];
}

/** The document's text. */
export function renderProtocolDoc(): string {
  const source = readFileSync(path.join(ROOT, 'shared/protocol.ts'), 'utf8');
  const out: string[] = [];
  out.push('# Felt wire protocol', '');
  out.push('<!-- Generated by `npm run docs:protocol` from shared/protocol.ts and shared/codes.ts. Do not edit by hand. -->', '');
  out.push(
    'Felt speaks Socket.IO 4 on the same port as its HTTP API. Connect with `io(url, { auth: { token } })`, where the token',
    'comes from `POST /api/auth/login` or `/api/auth/register`; a missing or bad token fails the handshake with the error',
    'message `unauthorized`. Every client → server event takes an acknowledgement callback, answered exactly once with',
    '`{ ok: true, … }` or `{ ok: false, error: { code, message } }`, where `code` is from the closed list below.',
    'Amounts are decimal strings everywhere (`"10.50"`), never JSON numbers; an amount finer than the table unit is',
    'refused with `invalid_amount`, never rounded. Payload objects are strict: unknown keys are `invalid_payload`.',
    'State-changing events carry a `requestId`; repeating it returns the original answer and changes nothing.',
    '',
  );
  out.push('## Limits', '', '| limit | value |', '| --- | --- |');
  for (const [k, v] of Object.entries(PROTOCOL_LIMITS)) out.push(`| \`${k}\` | ${v} |`);
  out.push(
    '',
    'How the limits are enforced:',
    '',
    '- A handshake beyond `maxConnectionsPerPlayer` open sockets of one account (in one server process) fails with the',
    '  `connect_error` message `too_many_connections` (`err.data` is the error body).',
    '- `table:watch` is refused with `too_many_connections` when the account already watches that table from',
    '  `maxWatchersPerPlayerPerTable` sockets or watches `maxWatchesPerPlayer` tables over all its sockets (tables where it',
    '  holds a seat do not count), and with `too_many_viewers` when the table has `maxViewersPerTable` viewers.',
    '- An event name that is not in this document is answered `unknown_event` (when the client passed an ack).',
    '- A payload larger than `maxPayloadBytes` is answered `payload_too_large`. A frame larger than `maxFrameBytes` cannot be',
    '  answered: the transport closes the connection (WebSocket close code 1009; the client sees the disconnect reason',
    '  `transport close`).',
    '- Events beyond `socketEventsPerSecond` (with a `socketBurst` allowance) per socket are answered `rate_limited`.',
    '',
    '## Sessions',
    '',
    'A socket is authorised by the token of its handshake for as long as that token is valid. When the token expires, or',
    'when the player logs out (`POST /api/auth/logout` revokes every token the player holds), the server sends',
    '`session:ended` (`{ reason: "expired" | "logged_out" }`) and closes the socket (disconnect reason',
    '`io server disconnect`). Log in again for a new token before reconnecting; the old token fails the handshake.',
  );
  out.push('', '## Client → server events', '');
  for (const name of Object.keys(clientSchemas) as ClientEventName[]) {
    out.push(`### \`${name}\``, '', `Ack: ${ACKS[name]}.`, '', 'Payload (JSON Schema):', '', '```json');
    out.push(JSON.stringify(z.toJSONSchema(clientSchemas[name]), null, 2), '```', '');
  }
  out.push('## Server → client events', '');
  out.push('- `table:state` (`TableView`): the table as *you* may see it; `you.legal` is present only on your turn. Everyone gets one at');
  out.push('  every seat change, at each deal and after each result; during a hand only the player now to act and the player who just');
  out.push('  acted get a new one (everyone learns of each action and street from `hand:event`). `seq` orders them: every view');
  out.push('  sent has a new `seq`, and no socket gets the same one twice. A turn may be shown more than once (a seat change during');
  out.push('  it, a reconnect), so a bot answers each `(handId, turn.number)` once. When another node takes the table over after a');
  out.push(`  failure, its views start at (lease epoch - 1) × ${VIEW_SEQS_PER_EPOCH.toLocaleString('en')} (\`VIEW_SEQS_PER_EPOCH\`), above anything the old owner sent;`);
  out.push('  keep the view with the highest `seq` and drop older or equal ones (a paused old owner may send a late one, and while');
  out.push('  Redis between nodes fails and recovers a broadcast may arrive twice).');
  out.push('- `hand:cards` (`HandCardsMessage`): your hole cards and the deck commitment, only to your own sockets.');
  out.push('- `hand:event` (`HandEventMessage`): each post, action, street and uncalled return as it happens.');
  out.push('- `hand:result` (`HandResultMessage`): pots, winners, rake, shown hands and the openings of the board and shown cards, sent only after the settlement transaction committed.');
  out.push('- `hand:openings` (`HandOpeningsMessage`): right after `hand:result`, only to your own sockets: the openings of your own hole cards.');
  out.push('- `seat:topup` (`TopUpNotice`): the fate of a top-up acknowledged as pending, only to your own sockets: `applied` (with the new');
  out.push('  stack), `cancelled` (you left first) or `refused` (with the error); no chips moved unless `applied`.');
  out.push('- `session:ended` (`SessionEndedMessage`): the token expired or was revoked; the socket is closed right after it.');
  out.push('- `server:shutdown` (`{ drainMs }`): the server is stopping: no new hand starts; a hand in play finishes within `drainMs`');
  out.push('  or is voided (no chips move), then the socket closes. Reconnect (to another node, or after the restart).');
  out.push('', '`TableView.phase` is `waiting`, `hand`, `settling`, `between_hands` or `paused`: the database did not answer when a');
  out.push('hand was to start or end, so no hand starts and no chip moves; the table retries by itself (0.5 s, doubling to 30 s).');
  out.push('', 'Request ids: a repeated `requestId` gets the first answer while the table remembers it (the last');
  out.push('256 per player per table). A buy-in or top-up id is also remembered by the ledger forever: reusing one after the table');
  out.push('forgot it (or after a restart) is refused with `request_replayed` and changes nothing. A leave always cashes out the seat you');
  out.push('hold now. An answer `outcome_unknown` means the request may still take effect: the next `table:state` shows the outcome.');
  out.push('', '```ts');
  for (const name of ['TableSummary', 'TableConfigView', 'SeatView', 'LegalActionsView', 'TableView', 'HandEventMessage', 'HandResultMessage', 'HandCardsMessage', 'HandOpeningsMessage', 'TopUpNotice', 'SessionEndedMessage']) {
    out.push(interfaceBlock(source, name), '');
  }
  out.push('type DeckOpening = { position: number; card: string; salt: string; path: string[] };', '```', '');
  out.push(...framesSection(source));
  out.push(...fairnessSection());
  out.push('## Error codes', '', '| code | HTTP status | meaning |', '| --- | --- | --- |');
  for (const [code, meaning] of Object.entries(ERROR_CODES)) out.push(`| \`${code}\` | ${HTTP_STATUS[code as keyof typeof HTTP_STATUS]} | ${meaning} |`);
  out.push('', '## Example exchange', '', '```text');
  out.push(
    '→ table:sit   { "tableId": "6f1c…", "buyIn": "100.00", "requestId": "r-1" }',
    '← ack         { "ok": true, "seat": 2, "stack": "100.00", "state": { … } }',
    '← table:state { "phase": "hand", "handId": "a9e2…", "commitment": "4023f8…", "turn": { "seat": 2, "deadline": 1763770000000 },',
    '                "you": { "seat": 2, "holeCards": ["As", "Kd"], "legal": { "actions": ["fold", "call", "raise"], "callAmount": "1.00", "minTo": "2.00", "maxTo": "100.00" } }, … }',
    '← hand:cards  { "tableId": "6f1c…", "handId": "a9e2…", "cards": ["As", "Kd"], "commitment": "4023f8…" }',
    '→ table:act   { "tableId": "6f1c…", "handId": "a9e2…", "action": "raise", "amount": "3.00", "requestId": "r-2" }',
    '← ack         { "ok": true, "seq": 7 }',
    '← hand:event  { "type": "action", "seat": 2, "action": "raise", "amount": "3.00", "to": "3.00", "allIn": false, … }',
    '→ table:act   { "tableId": "6f1c…", "handId": "a9e2…", "action": "bet", "amount": "1.005", "requestId": "r-3" }',
    '← ack         { "ok": false, "error": { "code": "invalid_amount", "message": "amount too many decimals (unit 0.01)" } }',
    '← hand:result { "pots": [{ "amount": "6.50", "winners": [{ "seat": 2, "amount": "6.50", … }] }], "rake": "0.00", "commitment": "4023f8…",',
    '                "commitmentScheme": "felt-deck-merkle-v1", "openings": [{ "position": 4, "card": "Jc", "salt": "91d0…", "path": ["5c10…", …] }, …], … }',
    '← hand:openings { "handId": "a9e2…", "commitment": "4023f8…", "openings": [{ "position": 1, "card": "As", "salt": "77ab…", "path": […] }, …], … }',
  );
  out.push('```', '');
  return out.join('\n');
}

if (require.main === module) {
  writeFileSync(PROTOCOL_DOC, renderProtocolDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), PROTOCOL_DOC)}\n`);
}

/**
 * Admin routes (role admin): crediting a player's wallet and creating, editing and closing tables
 * (the public table list is in transport/lobby.routes.ts). Money movements go through the ledger only; this module validates and translates errors.
 */
import { z } from 'zod';
import { credit } from '../ledger/transactions';
import { createTable, findTable, updateTable } from '../persistence/poker-tables';
import { formatHouseAmount } from '../auth/house-unit';
import { positiveHouseAmount, rethrowLedger } from './wallet-input';
import { isUuid } from '../auth/auth.service';
import { HttpError, type Router } from '../transport/router';
import { parseBody, requireAdmin, type RouteDeps, type TableRow } from '../transport/route-kit';
import { createTableSchema, patchTableSchema, validateTableSpec } from './table-spec';
import { tableView } from '../transport/lobby.routes';

/** How long a close request waits for the table to finish closing before answering 202 closing. */
export const CLOSE_WAIT_MS = 5_000;

const creditSchema = z
  .object({
    // A string, never a JSON number: numbers would already have been rounded by JSON.parse.
    amount: z.string().max(40),
    idempotencyKey: z.string().min(1).max(100),
  })
  .strict();

/** The stored row of a table named in a route, or table_not_found. */
async function tableRow(dataSource: RouteDeps['dataSource'], tableId: string | undefined): Promise<TableRow> {
  if (!tableId || !isUuid(tableId)) throw new HttpError('table_not_found');
  const row = await findTable(dataSource, tableId);
  if (!row) throw new HttpError('table_not_found');
  return row;
}

/** Registers the admin routes. */
export function registerAdminRoutes(router: Router, deps: RouteDeps): void {
  const { auth, dataSource } = deps;

  router.on('POST', '/api/admin/players/:playerId/credit', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    const body = parseBody(creditSchema, ctx.body);
    const amount = positiveHouseAmount(body.amount);
    const playerId = ctx.params.playerId ?? '';
    if (!isUuid(playerId) || !(await auth.playerExists(playerId))) throw new HttpError('player_not_found');
    try {
      // Keys share one namespace with every other transfer; the prefix keeps an admin's key from ever
      // colliding with a key the table server chose for a buy-in or settlement.
      const idempotencyKey = `admin-credit:${body.idempotencyKey}`;
      const result = await credit(dataSource, { playerId, amount, idempotencyKey, actorId: admin.playerId });
      ctx.log.info({ adminId: admin.playerId, playerId, amount: body.amount, transferId: result.transferId }, 'admin credit');
      return { json: { transferId: String(result.transferId), balance: formatHouseAmount(result.walletBalance) } };
    } catch (error) {
      rethrowLedger(error);
    }
  });

  router.on('POST', '/api/admin/tables', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    const spec = validateTableSpec(parseBody(createTableSchema, ctx.body));
    let id: string;
    try {
      ({ id } = await createTable(dataSource, spec));
    } catch (error) {
      rethrowLedger(error);
    }
    const row = await findTable(dataSource, id);
    if (!row) throw new Error(`table ${id} vanished right after it was created`);
    ctx.log.info({ adminId: admin.playerId, tableId: row.id }, 'table created');
    // The answer waits for the table's actor, so a table:watch or table:sit sent as soon as the 201
    // arrives finds the table instead of table_not_found.
    await deps.onTableCreated?.(row);
    return { status: 201, json: tableView(row) };
  });

  router.on('POST', '/api/admin/tables/:tableId/close', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    parseBody(z.object({}).strict(), ctx.body ?? {});
    const row = await tableRow(dataSource, ctx.params.tableId);
    if (row.status === 'closed') return { json: { ...tableView(row), status: 'closed' } };
    const outcome = (await deps.tableControl?.close(row.id, CLOSE_WAIT_MS)) ?? 'not_found';
    if (outcome === 'not_found') throw new HttpError('table_not_found', 'the table is not running in this process');
    ctx.log.info({ adminId: admin.playerId, tableId: row.id, outcome }, 'table close requested');
    return { status: outcome === 'closed' ? 200 : 202, json: { ...tableView(row), status: outcome } };
  });

  router.on('PATCH', '/api/admin/tables/:tableId', async (ctx) => {
    const admin = await requireAdmin(auth, ctx);
    const patch = parseBody(patchTableSchema, ctx.body);
    const row = await tableRow(dataSource, ctx.params.tableId);
    if (row.status === 'closed') throw new HttpError('table_closed');
    const current = tableView(row) as Record<string, unknown>;
    const spec = validateTableSpec({ ...(current as z.infer<typeof createTableSchema>), ...patch, variant: row.variant, maxSeats: row.maxSeats });
    try {
      await updateTable(dataSource, row.id, spec);
    } catch (error) {
      rethrowLedger(error);
    }
    const appliedNow = (await deps.tableControl?.reconfigure(row.id)) ?? false;
    ctx.log.info({ adminId: admin.playerId, tableId: row.id, changes: Object.keys(patch), appliedNow }, 'table changed');
    return { json: { ...tableView(await tableRow(dataSource, row.id)), appliesAt: appliedNow ? 'now' : 'after the hand in play' } };
  });
}

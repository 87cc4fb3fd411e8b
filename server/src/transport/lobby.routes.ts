/**
 * The public lobby route, GET /api/tables: the open tables, each in the same JSON shape the admin
 * routes answer with, plus the live fields the table server adds (such as the seated count).
 */
import { tableSettingsOf } from '../persistence/poker-tables';
import { configView } from '../table/player-view';
import type { Router } from './router';
import type { RouteDeps, TableRow } from './route-kit';

/** Most tables the public list returns; there is no pagination because a deployment has few tables. */
export const MAX_LISTED_TABLES = 500;

/** The columns of a table's JSON shape; callers add the WHERE clause. */
export const SELECT_TABLES = `SELECT id, name, variant, max_seats, unit, small_blind, big_blind, ante, min_buy_in, max_buy_in,
  rake_percent, rake_cap, action_timeout_ms, time_bank_ms, status FROM poker_table`;

/**
 * The public JSON shape of a table: the same settings view players get with every table state
 * (configView), plus its id, name and status; amounts as decimal strings in the unit's scale.
 */
export function tableView(row: TableRow): Record<string, unknown> {
  const settings = tableSettingsOf(row);
  return { tableId: row.id, name: row.name, ...configView({ ...settings, tableId: row.id }), status: row.status };
}

/** Registers GET /api/tables (no authentication: the lobby is public). */
export function registerLobbyRoutes(router: Router, deps: Pick<RouteDeps, 'dataSource' | 'decorateTable'>): void {
  router.on('GET', '/api/tables', async () => {
    const rows = (await deps.dataSource.query(
      `${SELECT_TABLES} WHERE status = 'open' ORDER BY created_at, id LIMIT ${MAX_LISTED_TABLES}`,
    )) as TableRow[];
    const tables = rows.map((row) => ({ ...tableView(row), ...deps.decorateTable?.(row.id) }));
    return { json: { tables } };
  });
}

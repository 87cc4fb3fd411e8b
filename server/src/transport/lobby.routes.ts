/**
 * The public lobby route, GET /api/tables: the open tables, each in the same JSON shape the admin
 * routes answer with, plus the live fields the table server adds (such as the seated count).
 */
import { listOpenTables, tableSettingsOf } from '../persistence/poker-tables';
import { configView } from '../table/player-view';
import type { Router } from './router';
import type { RouteDeps, TableRow } from './route-kit';

/** Most tables the public list returns; there is no pagination because a deployment has few tables. */
export const MAX_LISTED_TABLES = 500;

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
    const rows = await listOpenTables(deps.dataSource, MAX_LISTED_TABLES);
    const tables = rows.map((row) => ({ ...tableView(row), ...deps.decorateTable?.(row.id) }));
    return { json: { tables } };
  });
}

import type { AckAlertsBody, AlertDetail, AlertQuery, AlertView, Page } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import type { PlatformServices } from '../../platform/services.js';
import type { TreeModule } from '../tree/index.js';
import { alertRepo, type AlertCursor } from './alert.repo.js';
import { alertView } from './alert-view.js';

/** The list's cursor: the last row's last-seen time and id. */
function cursorOf(cursor: string): AlertCursor {
  const [at, id] = decodeCursor(cursor, 'string').split('|');
  const lastSeenAt = new Date(at ?? '');
  if (!id || Number.isNaN(lastSeenAt.getTime())) {
    throw new AppError('INVALID_CURSOR', 'query.cursor: not a cursor this list gave out; start again without it', { issues: [{ field: 'query.cursor', message: 'invalid cursor' }] });
  }
  return { lastSeenAt, id };
}

function payloadOf(raw: string | undefined): unknown {
  if (raw === undefined) return null;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

/** Reading and acknowledging alerts. */
export function createAlertService(deps: { platform: Pick<PlatformServices, 'db' | 'clock'>; tree: Pick<TreeModule, 'subtreeIds'> }) {
  const { db, clock } = deps.platform;
  return {
    /** Newest last-seen first; `nodeId` takes the node's whole subtree. */
    async list(q: AlertQuery): Promise<Page<AlertView>> {
      const nodeIds = q.nodeId ? await deps.tree.subtreeIds([q.nodeId]) : undefined;
      const rows = await alertRepo.list(db, { ...q, nodeIds }, q.cursor ? cursorOf(q.cursor) : undefined, q.limit + 1);
      return toPage(rows, q.limit, alertView, (r) => `${r.lastSeenAt.toISOString()}|${r.id}`);
    },

    /** An alert with the last payload that carried it. */
    async get(id: string): Promise<AlertDetail> {
      const row = await alertRepo.byId(db, id);
      if (!row) throw new AppError('ALERT_NOT_FOUND');
      return { ...alertView(row), payload: payloadOf(row.payloadId ? await alertRepo.payloadOf(db, row.payloadId) : undefined) };
    },

    /** Acknowledges the alerts not acknowledged yet; unknown ids are skipped. */
    async ack(ctx: MutationContext, body: AckAlertsBody): Promise<{ acked: number }> {
      const ids = [...new Set(body.ids)];
      const acked = await alertRepo.ack(ctx.tx, ids, ctx.actor.name, clock.now());
      Object.assign(ctx.audit, { targetType: 'alert', targetId: ids.length === 1 ? ids[0] : null, after: { ids, acked } });
      if (acked.length) {
        await ctx.emit('alert.acked', { alertIds: acked, by: ctx.actor.name }, { summary: `${ctx.actor.name} acknowledged ${acked.length} alert(s)`, resourceType: 'alert', resourceId: acked.length === 1 ? acked[0] : null });
      }
      return { acked: acked.length };
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;

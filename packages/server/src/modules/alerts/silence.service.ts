import type { Page, SilenceBody, SilenceQuery, SilenceView } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import { silencingAt, type SilenceRule } from './silence-match.js';
import { silenceRepo, type SilenceRow } from './silence.repo.js';

/** How long ingest trusts its copy of the silences; a change on this server drops it at once. */
const RULES_TTL_MS = 2_000;

function view(r: SilenceRow, now: Date): SilenceView {
  const state = now < r.startsAt ? 'pending' : now >= r.endsAt ? 'expired' : 'active';
  return {
    id: r.id, matchers: r.matchers, startsAt: r.startsAt.toISOString(), endsAt: r.endsAt.toISOString(), recurrence: r.recurrence, comment: r.comment,
    createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), state, silencingNow: silencingAt(r, now),
  };
}

/** Silences (静默): label matchers over a time range, optionally only in a weekly maintenance window. */
export function createSilenceService(deps: { platform: Pick<PlatformServices, 'db' | 'clock'> }) {
  const { db, clock } = deps.platform;
  let cached: { rules: SilenceRule[]; loadedAt: number } | null = null;

  async function requireSilence(tx: Db, id: string): Promise<SilenceRow> {
    const row = await silenceRepo.byId(tx, id);
    if (!row) throw new AppError('SILENCE_NOT_FOUND');
    return row;
  }

  /** The stored fields of a body; `endsAt` must lie ahead of `startsAt` (default now). */
  function fieldsOf(body: SilenceBody, now: Date) {
    const startsAt = body.startsAt ? new Date(body.startsAt) : now;
    const endsAt = new Date(body.endsAt);
    if (endsAt <= startsAt) {
      throw new AppError('VALIDATION_FAILED', 'body.endsAt: must be after startsAt (default now)', { issues: [{ field: 'body.endsAt', message: 'must be after startsAt' }] });
    }
    return { matchers: body.matchers, startsAt, endsAt, recurrence: body.recurrence ?? null, comment: body.comment, updatedAt: now };
  }

  function changed(ctx: MutationContext): void {
    cached = null;
    ctx.afterCommit(() => (cached = null));
  }

  return {
    async list(q: SilenceQuery): Promise<Page<SilenceView>> {
      const now = clock.now();
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await silenceRepo.list(db, q.state, now, after, q.limit + 1), q.limit, (r) => view(r, now), (r) => r.id);
    },
    get: async (id: string): Promise<SilenceView> => view(await requireSilence(db, id), clock.now()),

    async create(ctx: MutationContext, body: SilenceBody): Promise<SilenceView> {
      const now = clock.now();
      const row = await silenceRepo.insert(ctx.tx, { id: uuidv7(now.getTime()), ...fieldsOf(body, now), createdBy: ctx.actor.name, createdById: ctx.actor.id, createdAt: now });
      Object.assign(ctx.audit, { targetType: 'silence', targetId: row.id, after: view(row, now) });
      await ctx.emit('silence.created', { silenceId: row.id, comment: row.comment }, { summary: `silence added: ${row.comment}`, resourceType: 'silence', resourceId: row.id });
      changed(ctx);
      return view(row, now);
    },
    async replace(ctx: MutationContext, id: string, body: SilenceBody): Promise<SilenceView> {
      const now = clock.now();
      const before = await requireSilence(ctx.tx, id);
      const row = await silenceRepo.update(ctx.tx, id, fieldsOf(body, now));
      Object.assign(ctx.audit, { targetType: 'silence', targetId: id, before: view(before, now), after: view(row, now) });
      await ctx.emit('silence.updated', { silenceId: id, comment: row.comment }, { summary: `silence changed: ${row.comment}`, resourceType: 'silence', resourceId: id });
      changed(ctx);
      return view(row, now);
    },
    /** Ends it now, by the server's clock (a pending one never starts); kept, as expired, for the record. */
    async expire(ctx: MutationContext, id: string): Promise<SilenceView> {
      const now = clock.now();
      const before = await requireSilence(ctx.tx, id);
      if (before.endsAt <= now) throw new AppError('SILENCE_EXPIRED');
      const row = await silenceRepo.update(ctx.tx, id, { endsAt: now, ...(before.startsAt > now && { startsAt: now }), updatedAt: now });
      Object.assign(ctx.audit, { targetType: 'silence', targetId: id, before: view(before, now), after: view(row, now) });
      await ctx.emit('silence.updated', { silenceId: id, comment: row.comment }, { summary: `silence expired: ${row.comment}`, resourceType: 'silence', resourceId: id });
      changed(ctx);
      return view(row, now);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await requireSilence(ctx.tx, id);
      await silenceRepo.delete(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'silence', targetId: id, before: view(row, clock.now()) });
      await ctx.emit('silence.deleted', { silenceId: id, comment: row.comment }, { summary: `silence deleted: ${row.comment}`, resourceType: 'silence', resourceId: id });
      changed(ctx);
    },

    /** The silences that may apply now (ingest asks once per delivery; kept for a moment). */
    async rules(): Promise<SilenceRule[]> {
      if (cached && Date.now() - cached.loadedAt < RULES_TTL_MS) return cached.rules;
      const rules = await silenceRepo.unexpired(db, clock.now());
      cached = { rules, loadedAt: Date.now() };
      return rules;
    },
  };
}

export type SilenceService = ReturnType<typeof createSilenceService>;

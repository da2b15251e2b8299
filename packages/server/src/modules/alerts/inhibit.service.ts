import { InhibitRuleBody, type InhibitRuleView } from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { PlacedAlert } from './alert-batch.js';
import { inhibitorFor, type InhibitRule, type InhibitSource } from './inhibit-match.js';
import { inhibitRepo, type InhibitRuleRow } from './inhibit.repo.js';

/** How long ingest trusts its copy of the rules; a change on this server drops it at once. */
const RULES_TTL_MS = 2_000;

const view = (r: InhibitRuleRow): InhibitRuleView => ({
  id: r.id, name: r.name, source: r.source, target: r.target, scope: r.scope, equal: r.equal, enabled: r.enabled,
  createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

/**
 * Inhibition rules (抑制规则): while a source alert fires, new target alerts
 * in its scope are stored inhibited and page nobody — also dependencies (a
 * host down inhibits the rest of that host's alerts).
 */
export function createInhibitService(deps: { platform: Pick<PlatformServices, 'db' | 'clock'> }) {
  const { db, clock } = deps.platform;
  let cached: { rules: InhibitRule[]; loadedAt: number } | null = null;

  async function requireRule(tx: Db, id: string): Promise<InhibitRuleRow> {
    const row = await inhibitRepo.byId(tx, id);
    if (!row) throw new AppError('INHIBIT_RULE_NOT_FOUND');
    return row;
  }
  function changed(ctx: MutationContext): void {
    cached = null;
    ctx.afterCommit(() => (cached = null));
  }
  async function rules(): Promise<InhibitRule[]> {
    if (cached && Date.now() - cached.loadedAt < RULES_TTL_MS) return cached.rules;
    const list = (await inhibitRepo.list(db)).filter((r) => r.enabled);
    cached = { rules: list, loadedAt: Date.now() };
    return list;
  }
  const fields = (body: InhibitRuleBody) => {
    const b = InhibitRuleBody.parse(body);
    return { name: b.name, source: b.source, target: b.target, scope: b.scope, equal: b.equal, enabled: b.enabled };
  };

  return {
    list: async (): Promise<InhibitRuleView[]> => (await inhibitRepo.list(db)).map(view),
    get: async (id: string): Promise<InhibitRuleView> => view(await requireRule(db, id)),
    async create(ctx: MutationContext, body: InhibitRuleBody): Promise<InhibitRuleView> {
      const now = clock.now();
      const row = await inhibitRepo.insert(ctx.tx, { id: uuidv7(now.getTime()), ...fields(body), createdBy: ctx.actor.name, createdAt: now, updatedAt: now });
      Object.assign(ctx.audit, { targetType: 'inhibit_rule', targetId: row.id, after: view(row) });
      await ctx.emit('inhibit.rule.created', { ruleId: row.id, name: row.name }, { summary: `inhibition rule ${row.name} created`, resourceType: 'inhibit_rule', resourceId: row.id });
      changed(ctx);
      return view(row);
    },
    async replace(ctx: MutationContext, id: string, body: InhibitRuleBody): Promise<InhibitRuleView> {
      const before = await requireRule(ctx.tx, id);
      const row = await inhibitRepo.update(ctx.tx, id, { ...fields(body), updatedAt: clock.now() });
      Object.assign(ctx.audit, { targetType: 'inhibit_rule', targetId: id, before: view(before), after: view(row) });
      await ctx.emit('inhibit.rule.updated', { ruleId: id, name: row.name }, { summary: `inhibition rule ${row.name} changed`, resourceType: 'inhibit_rule', resourceId: id });
      changed(ctx);
      return view(row);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const before = await requireRule(ctx.tx, id);
      await inhibitRepo.delete(ctx.tx, id);
      Object.assign(ctx.audit, { targetType: 'inhibit_rule', targetId: id, before: view(before) });
      await ctx.emit('inhibit.rule.deleted', { ruleId: id, name: before.name }, { summary: `inhibition rule ${before.name} deleted`, resourceType: 'inhibit_rule', resourceId: id });
      changed(ctx);
    },

    /**
     * Marks a delivery's firing, unsilenced alerts that an inhibition rule
     * holds: by a stored firing alert (`inhibitedBy`, its id) or by one
     * arriving in the same delivery (`inhibitedByFingerprint`, resolved to its
     * id once written). One query per delivery, and only when rules exist.
     */
    async apply(placed: PlacedAlert[]): Promise<PlacedAlert[]> {
      const active = await rules();
      const firing = placed.filter((a) => a.status === 'firing');
      if (!active.length || !firing.length) return placed;
      const ids = (pick: (a: PlacedAlert) => string | null) => [...new Set(firing.map(pick).filter((x): x is string => x !== null))];
      const stored = await inhibitRepo.firingOn(db, ids((a) => a.hostId), ids((a) => a.nodeId));
      const arriving: InhibitSource[] = firing.map((a) => ({ id: null, fingerprint: a.fingerprint, labels: a.labels, hostId: a.hostId, nodeId: a.nodeId }));
      const sources = [...stored, ...arriving];
      return placed.map((a) => {
        if (a.status !== 'firing' || a.silencedBy) return a;
        const by = inhibitorFor(active, a, sources);
        if (!by) return a;
        return by.id ? { ...a, inhibitedBy: by.id } : { ...a, inhibitedByFingerprint: by.fingerprint };
      });
    },
  };
}

export type InhibitService = ReturnType<typeof createInhibitService>;

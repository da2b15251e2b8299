import { randomBytes } from 'node:crypto';
import {
  DEFAULT_ALERT_SEVERITY, DEFAULT_INGEST_RATE, DEFAULT_SEVERITY_MAPS, DEFAULT_WEBHOOK_MAPPING,
  type AlertSeverity, type CreateIntegrationBody, type IntegrationQuery, type IntegrationType, type IntegrationView, type IntegrationWithKey, type Page,
  type PageQuery, type RejectedPayloadView, type UpdateIntegrationBody,
} from '@opsline/contracts';
import type { MutationContext } from '../../platform/audit/mutation.js';
import { hashToken } from '../../platform/auth/token-codec.js';
import { TtlCache } from '../../platform/auth/ttl-cache.js';
import type { Db } from '../../platform/db/db.js';
import { AppError } from '../../platform/errors/app-error.js';
import { decodeCursor, toPage } from '../../platform/http/cursor.js';
import { uuidv7 } from '../../platform/ids.js';
import type { PlatformServices } from '../../platform/services.js';
import type { IngestIntegration } from './alert-normalize.js';
import { integrationRepo, type IntegrationRow } from './integration.repo.js';

/** How long a server trusts a key it looked up; a change on this server drops them all at once. */
const KEY_TTL_MS = 5_000;
const REJECTED_KEEP = 1_000;
const REJECTED_MAX_BYTES = 256 * 1024;

const type = (r: IntegrationRow): IntegrationType => r.type as IntegrationType;
const severityMap = (r: IntegrationRow): Record<string, AlertSeverity> => ({ ...DEFAULT_SEVERITY_MAPS[type(r)], ...(r.severityMap as Record<string, AlertSeverity>) });
const lowerKeys = (m: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(m).map(([k, v]) => [k.trim().toLowerCase(), v]));

function view(r: IntegrationRow): IntegrationView {
  return {
    id: r.id, name: r.name, type: type(r), keyPrefix: r.keyPrefix, enabled: r.enabled, severityMap: severityMap(r), defaultSeverity: r.defaultSeverity as AlertSeverity,
    webhookMapping: r.webhookMapping, rateLimit: r.rateLimit, ingestPath: `/api/v1/integrations/{key}/${r.type}`,
    createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(), keyRotatedAt: r.keyRotatedAt.toISOString(),
  };
}

function ingestView(r: IntegrationRow): IngestIntegration {
  return { id: r.id, name: r.name, type: type(r), enabled: r.enabled, severityMap: severityMap(r), defaultSeverity: r.defaultSeverity as AlertSeverity, webhookMapping: r.webhookMapping, rateLimit: r.rateLimit };
}

/** A long random key (URL-safe), what is stored of it, and what a view shows of it. */
function newKey(now: Date): { key: string; keyHash: string; keyPrefix: string; keyRotatedAt: Date } {
  const key = randomBytes(32).toString('base64url');
  return { key, keyHash: hashToken(key), keyPrefix: key.slice(0, 6), keyRotatedAt: now };
}

const webhookOnly = (): AppError =>
  new AppError('VALIDATION_FAILED', 'body.webhookMapping: only for type webhook', { issues: [{ field: 'body.webhookMapping', message: 'only for type webhook' }] });

/** Alert integrations: CRUD, keys, and the log of what their URLs refused. */
export function createIntegrationService(deps: { platform: Pick<PlatformServices, 'db' | 'clock'> }) {
  const { db, clock } = deps.platform;
  const byKeyHash = new TtlCache<IngestIntegration | null>(KEY_TTL_MS);

  async function requireIntegration(tx: Db, id: string): Promise<IntegrationRow> {
    const row = await integrationRepo.byId(tx, id);
    if (!row) throw new AppError('INTEGRATION_NOT_FOUND');
    return row;
  }
  async function requireFreeName(tx: Db, name: string, self?: string): Promise<void> {
    const other = await integrationRepo.byName(tx, name);
    if (other && other.id !== self) throw new AppError('INTEGRATION_EXISTS', `An integration named ${name} already exists`, { issues: [{ field: 'body.name', message: 'taken' }] });
  }
  function changed(ctx: MutationContext, row: IntegrationRow, before: IntegrationRow | null): void {
    byKeyHash.clear();
    ctx.afterCommit(() => byKeyHash.clear());
    Object.assign(ctx.audit, { targetType: 'integration', targetId: row.id, before: before && view(before), after: view(row) });
  }

  return {
    async list(q: IntegrationQuery): Promise<Page<IntegrationView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      return toPage(await integrationRepo.list(db, q.type, after, q.limit + 1), q.limit, view, (r) => r.id);
    },
    get: async (id: string): Promise<IntegrationView> => view(await requireIntegration(db, id)),

    async create(ctx: MutationContext, body: CreateIntegrationBody): Promise<IntegrationWithKey> {
      const now = clock.now();
      await requireFreeName(ctx.tx, body.name);
      const { key, ...keyFields } = newKey(now);
      const row = await integrationRepo.insert(ctx.tx, {
        id: uuidv7(now.getTime()), name: body.name, type: body.type, ...keyFields, enabled: body.enabled, severityMap: lowerKeys(body.severityMap ?? {}),
        defaultSeverity: body.defaultSeverity ?? DEFAULT_ALERT_SEVERITY, webhookMapping: body.type === 'webhook' ? (body.webhookMapping ?? DEFAULT_WEBHOOK_MAPPING) : null,
        rateLimit: body.rateLimit ?? DEFAULT_INGEST_RATE, createdBy: ctx.actor.id, createdAt: now, updatedAt: now,
      });
      changed(ctx, row, null);
      await ctx.emit('integration.created', { integrationId: row.id, name: row.name, type: row.type }, { summary: `${row.type} integration ${row.name} added`, resourceType: 'integration', resourceId: row.id });
      return { ...view(row), key };
    },

    async update(ctx: MutationContext, id: string, body: UpdateIntegrationBody): Promise<IntegrationView> {
      const before = await requireIntegration(ctx.tx, id);
      if (body.webhookMapping && before.type !== 'webhook') throw webhookOnly();
      if (body.name !== undefined) await requireFreeName(ctx.tx, body.name, id);
      const set = { ...body, ...(body.severityMap && { severityMap: lowerKeys(body.severityMap) }) };
      const keys = (Object.keys(set) as (keyof typeof set)[]).filter((k) => set[k] !== undefined);
      const row = await integrationRepo.update(ctx.tx, id, { ...set, updatedAt: clock.now() });
      changed(ctx, row, before);
      await ctx.emit('integration.updated', { integrationId: id, name: row.name, changed: keys }, {
        summary: `integration ${row.name} ${body.enabled === false ? 'disabled' : `changed: ${keys.join(', ') || 'nothing'}`}`, resourceType: 'integration', resourceId: id,
      });
      return view(row);
    },

    /** A new key; the old one stops working at once (on other servers within seconds). */
    async rotateKey(ctx: MutationContext, id: string): Promise<IntegrationWithKey> {
      const before = await requireIntegration(ctx.tx, id);
      const now = clock.now();
      const { key, ...keyFields } = newKey(now);
      const row = await integrationRepo.update(ctx.tx, id, { ...keyFields, updatedAt: now });
      changed(ctx, row, before);
      await ctx.emit('integration.key_rotated', { integrationId: id, name: row.name }, { summary: `integration ${row.name}: key rotated`, severity: 'warning', resourceType: 'integration', resourceId: id });
      return { ...view(row), key };
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await requireIntegration(ctx.tx, id);
      await integrationRepo.delete(ctx.tx, id);
      changed(ctx, row, row);
      ctx.audit.after = null;
      await ctx.emit('integration.deleted', { integrationId: id, name: row.name }, { summary: `integration ${row.name} deleted`, resourceType: 'integration', resourceId: id });
    },

    /** The integration a key opens, whether or not it is enabled; undefined for an unknown key. */
    async byKey(key: string): Promise<IngestIntegration | undefined> {
      const hash = hashToken(key);
      const hit = byKeyHash.get(hash);
      if (hit !== undefined) return hit ?? undefined;
      const row = await integrationRepo.byKeyHash(db, hash);
      const found = row ? ingestView(row) : null;
      byKeyHash.set(hash, found);
      return found ?? undefined;
    },

    /** Keeps a refused body (cut to 256 KiB) with why; the newest 1,000 per integration stay. */
    async reject(integrationId: string, reason: string, raw: string): Promise<void> {
      const bytes = Buffer.byteLength(raw);
      const truncated = bytes > REJECTED_MAX_BYTES;
      // PostgreSQL text cannot hold NUL: shown as ␀, as in job output.
      const body = (truncated ? Buffer.from(raw).subarray(0, REJECTED_MAX_BYTES).toString('utf8') : raw).replaceAll('\u0000', '␀');
      await integrationRepo.reject(db, { integrationId, reason: reason.slice(0, 4000), body, truncated, bytes, receivedAt: clock.now() }, REJECTED_KEEP);
    },

    async rejected(id: string, q: PageQuery): Promise<Page<RejectedPayloadView>> {
      await requireIntegration(db, id);
      const before = q.cursor ? decodeCursor(q.cursor, 'number') : undefined;
      const rows = await integrationRepo.rejected(db, id, before, q.limit + 1);
      return toPage(rows, q.limit, (r) => ({ ...r, id: String(r.id), receivedAt: r.receivedAt.toISOString() }), (r) => r.id);
    },
  };
}

export type IntegrationService = ReturnType<typeof createIntegrationService>;

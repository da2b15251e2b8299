import { and, asc, desc, eq, ilike, inArray, like, lt, or, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { ChannelBody, ChannelChoice, ChannelQuery, ChannelUpdateBody, ChannelView, NotifyDeliveryQuery, NotifyDeliveryView, NotifyMessage, OutboundPolicy, Page } from '@opsline/contracts';
import { CHANNEL_SECRET_FIELDS } from '@opsline/contracts';
import type { MutationContext } from '../audit/mutation.js';
import { escapeLike } from '../db/like.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { channelView, openSecrets, sealSecrets, splitConfig, type ChannelRow } from './channel-config.js';
import { createDeliveryQueue } from './delivery-queue.js';
import { deliveryView } from './delivery-view.js';
import { notifyChannels, notifyDeliveries, notifyOutboundPolicy } from './notify.tables.js';
import { refusal } from './outbound.js';

const WORKER_MS = 2_000;
const POLICY_ID = 'default';

/**
 * Notification channels, the outbound policy, and deliveries. Each message to
 * each channel is a delivery row before anything is sent; a worker on every
 * server sends the due ones with retries and per-channel rate limits.
 */
export function createNotifyService(deps: { db: Db; clock: Clock; box: SecretBox; log: FastifyBaseLogger; smtp: { url: string; from: string } | undefined; publicUrl: string }) {
  const { db, clock, box } = deps;
  const view = (c: ChannelRow): ChannelView => channelView(c, box);

  async function policy(tx: Db = db): Promise<OutboundPolicy> {
    const [p] = await tx.select().from(notifyOutboundPolicy).where(eq(notifyOutboundPolicy.id, POLICY_ID)).limit(1);
    return { allow: p?.allow ?? [], deny: p?.deny ?? [] };
  }
  const queue = createDeliveryQueue({ ...deps, rules: () => policy() });
  let timer: NodeJS.Timeout | undefined;
  const kick = (): void => void queue.process();

  async function byId(id: string, tx: Db = db): Promise<ChannelRow> {
    const [c] = await tx.select().from(notifyChannels).where(eq(notifyChannels.id, id)).limit(1);
    if (!c) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND');
    return c;
  }

  /** Refuses a config whose URL the policy (or the metadata rule) would never reach, naming the field. */
  async function checkTargets(config: Record<string, unknown>, tx: Db): Promise<void> {
    const rules = await policy(tx);
    for (const field of ['url']) {
      const v = config[field];
      if (typeof v !== 'string') continue;
      const why = refusal(new URL(v).hostname, rules);
      if (why) throw new AppError('NOTIFY_TARGET_REFUSED', why, { issues: [{ field: `body.config.${field}`, message: why }] });
    }
  }

  function fields(id: string, body: ChannelUpdateBody, keep: Record<string, unknown>): Pick<ChannelRow, 'name' | 'type' | 'enabled' | 'config' | 'sealedConfig' | 'ratePerMinute' | 'template'> {
    const { plain, secrets } = splitConfig(body.type, body.config);
    const merged = { ...keep, ...secrets };
    const missing = CHANNEL_SECRET_FIELDS[body.type].filter((f) => f === 'url' || f === 'routingKey').filter((f) => merged[f] === undefined);
    if (missing.length) throw new AppError('VALIDATION_FAILED', `body.config.${missing[0]}: required`, { issues: missing.map((f) => ({ field: `body.config.${f}`, message: 'required' })) });
    return {
      name: body.name, type: body.type, enabled: body.enabled, config: plain, sealedConfig: sealSecrets(box, id, merged),
      ratePerMinute: body.ratePerMinute ?? null, template: body.template ?? null,
    };
  }

  return {
    view,
    async list(q: ChannelQuery): Promise<Page<ChannelView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db.select().from(notifyChannels)
        .where(and(after ? lt(notifyChannels.id, after) : undefined, q.type ? eq(notifyChannels.type, q.type) : undefined, q.q ? ilike(notifyChannels.name, `%${q.q.replace(/[\\%_]/g, '\\$&')}%`) : undefined))
        .orderBy(desc(notifyChannels.id)).limit(q.limit + 1);
      return toPage(rows, q.limit, view, (c) => c.id);
    },
    get: async (id: string) => view(await byId(id)),
    /** Names and types only, for anyone choosing channels for their own rules: by name, or by id. */
    async choices(q: { q?: string | undefined; ids?: string[] | undefined }): Promise<ChannelChoice[]> {
      const where = q.ids ? (q.ids.length ? inArray(notifyChannels.id, q.ids) : sql`false`) : q.q ? ilike(notifyChannels.name, `%${escapeLike(q.q)}%`) : undefined;
      const rows = await db.select({ id: notifyChannels.id, name: notifyChannels.name, type: notifyChannels.type, enabled: notifyChannels.enabled }).from(notifyChannels)
        .where(where).orderBy(asc(notifyChannels.name)).limit(50);
      return rows.map((r) => ({ ...r, type: r.type as ChannelChoice['type'] }));
    },
    /** Channel ids that exist (for rules naming channels). */
    async existing(ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      return new Set((await db.select({ id: notifyChannels.id }).from(notifyChannels).where(inArray(notifyChannels.id, ids))).map((r) => r.id));
    },
    async create(ctx: MutationContext, body: ChannelBody, userId: string): Promise<ChannelView> {
      await checkTargets({ ...body.config }, ctx.tx);
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const row: ChannelRow = { id, ...fields(id, body, {}), createdBy: userId, createdAt: now, updatedAt: now };
      await ctx.tx.insert(notifyChannels).values(row);
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: row.id, after: view(row) });
      await ctx.emit('notify.channel.created', { channelId: row.id, name: row.name, type: row.type }, { summary: `notification channel ${row.name} (${row.type}) created`, resourceType: 'notify_channel', resourceId: row.id });
      return view(row);
    },
    async replace(ctx: MutationContext, id: string, body: ChannelUpdateBody): Promise<ChannelView> {
      const before = await byId(id, ctx.tx);
      if (before.type !== body.type) throw new AppError('VALIDATION_FAILED', `body.type: a ${before.type} channel stays one; make a new channel`, { issues: [{ field: 'body.type', message: `cannot change from ${before.type}` }] });
      await checkTargets({ ...body.config }, ctx.tx);
      const after: ChannelRow = { ...before, ...fields(id, body, openSecrets(box, before)), updatedAt: clock.now() };
      await ctx.tx.update(notifyChannels).set(after).where(eq(notifyChannels.id, id));
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: id, before: view(before), after: view(after) });
      await ctx.emit('notify.channel.updated', { channelId: id, name: after.name }, { summary: `notification channel ${after.name} changed`, resourceType: 'notify_channel', resourceId: id });
      return view(after);
    },
    async remove(ctx: MutationContext, id: string): Promise<void> {
      const c = await byId(id, ctx.tx);
      await ctx.tx.delete(notifyChannels).where(eq(notifyChannels.id, id));
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: id, before: view(c) });
      await ctx.emit('notify.channel.deleted', { channelId: id, name: c.name }, { summary: `notification channel ${c.name} deleted`, resourceType: 'notify_channel', resourceId: id });
    },

    policy: () => policy(),
    async setPolicy(ctx: MutationContext, body: OutboundPolicy, userId: string): Promise<OutboundPolicy> {
      const before = await policy(ctx.tx);
      const row = { id: POLICY_ID, allow: body.allow, deny: body.deny, updatedBy: userId, updatedAt: clock.now() };
      await ctx.tx.insert(notifyOutboundPolicy).values(row).onConflictDoUpdate({ target: notifyOutboundPolicy.id, set: row });
      Object.assign(ctx.audit, { targetType: 'notify_outbound_policy', targetId: POLICY_ID, before, after: body });
      return body;
    },

    async deliveries(q: NotifyDeliveryQuery): Promise<Page<NotifyDeliveryView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db.select({ d: notifyDeliveries, name: notifyChannels.name, type: notifyChannels.type }).from(notifyDeliveries)
        .leftJoin(notifyChannels, eq(notifyChannels.id, notifyDeliveries.channelId))
        .where(and(
          q.channelId ? eq(notifyDeliveries.channelId, q.channelId) : undefined,
          q.status ? eq(notifyDeliveries.status, q.status) : undefined,
          q.source ? or(eq(notifyDeliveries.source, q.source), like(notifyDeliveries.source, `${q.source.replace(/[\\%_]/g, '\\$&')}%`)) : undefined,
          after ? lt(notifyDeliveries.id, after) : undefined,
        ))
        .orderBy(desc(notifyDeliveries.id)).limit(q.limit + 1);
      return toPage(rows, q.limit, (r) => deliveryView(r.d, r.name, r.type), (r) => r.d.id);
    },
    async delivery(id: string): Promise<NotifyDeliveryView> {
      const [r] = await db.select({ d: notifyDeliveries, name: notifyChannels.name, type: notifyChannels.type }).from(notifyDeliveries)
        .leftJoin(notifyChannels, eq(notifyChannels.id, notifyDeliveries.channelId)).where(eq(notifyDeliveries.id, id)).limit(1);
      if (!r) throw new AppError('NOTIFY_DELIVERY_NOT_FOUND');
      return deliveryView(r.d, r.name, r.type);
    },

    /**
     * Sends a message to channels (disabled ones are passed over): a pending
     * delivery for each is committed first, then the worker sends. Answers the
     * delivery ids. With `tx`, the deliveries commit with the caller's change;
     * call `kick()` after it commits.
     */
    async send(channelIds: string[], msg: NotifyMessage, tx?: Db): Promise<string[]> {
      if (!channelIds.length) return [];
      const channels = (await (tx ?? db).select().from(notifyChannels).where(inArray(notifyChannels.id, channelIds))).filter((c) => c.enabled);
      const ids = await queue.enqueue(tx ?? db, channels, msg);
      if (!tx) kick();
      return ids;
    },
    kick,
    /** One worker pass now (tests call it after moving the clock). */
    process: () => queue.process(),
    start(): void {
      timer ??= setInterval(kick, WORKER_MS);
      timer.unref();
      kick();
    },
    async stop(): Promise<void> {
      clearInterval(timer);
      timer = undefined;
      await queue.idle();
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;

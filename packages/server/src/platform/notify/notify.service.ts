import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import type { NotifyChannelBody, NotifyChannelView, NotifyDeliveryQuery, NotifyDeliveryView, NotifyMessage, Page } from '@opsline/contracts';
import type { MutationContext } from '../audit/mutation.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { notifyChannels, notifyDeliveries } from './notify.tables.js';
import { sendEmail, sendWebhook } from './send.js';

type ChannelRow = typeof notifyChannels.$inferSelect;
const SEAL = 'notify.headers';
/** A failed send is tried again after these pauses, then left `failed` with its error. */
const RETRY_MS = [2_000, 10_000];

/**
 * Notification channels and deliveries. Each message to each channel is a
 * delivery row before anything is sent, then `sent` or `failed` with the
 * error after up to three tries — so a lost notification shows.
 */
export function createNotifyService(deps: { db: Db; clock: Clock; box: SecretBox; log: FastifyBaseLogger; smtp: { url: string; from: string } | undefined }) {
  const { db, clock, box, log } = deps;

  const view = (c: ChannelRow): NotifyChannelView => ({
    id: c.id, name: c.name, type: c.type as NotifyChannelView['type'], enabled: c.enabled,
    webhook: c.type === 'webhook' ? { url: c.config.url ?? '', headerNames: c.config.headerNames ?? [] } : null,
    email: c.type === 'email' ? { to: c.config.to ?? [] } : null,
    createdAt: c.createdAt.toISOString(), updatedAt: c.updatedAt.toISOString(),
  });
  const fields = (body: NotifyChannelBody): Pick<ChannelRow, 'name' | 'type' | 'enabled' | 'config' | 'sealedHeaders'> =>
    body.type === 'webhook'
      ? {
          name: body.name, type: 'webhook', enabled: body.enabled, config: { url: body.webhook.url, headerNames: Object.keys(body.webhook.headers) },
          sealedHeaders: Object.keys(body.webhook.headers).length ? box.seal(JSON.stringify(body.webhook.headers), SEAL) : null,
        }
      : { name: body.name, type: 'email', enabled: body.enabled, config: { to: body.email.to }, sealedHeaders: null };
  async function byId(id: string, tx: Db = db): Promise<ChannelRow> {
    const [c] = await tx.select().from(notifyChannels).where(eq(notifyChannels.id, id)).limit(1);
    if (!c) throw new AppError('NOTIFY_CHANNEL_NOT_FOUND');
    return c;
  }

  async function deliver(c: ChannelRow, deliveryId: string, msg: NotifyMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (c.type === 'webhook') {
          const headers = c.sealedHeaders ? (JSON.parse(box.open(c.sealedHeaders, SEAL)) as Record<string, string>) : {};
          await sendWebhook(c.config.url ?? '', headers, msg, clock.now());
        } else {
          await sendEmail(deps.smtp, c.config.to ?? [], msg);
        }
        await db.update(notifyDeliveries).set({ status: 'sent', attempts: attempt, error: null, sentAt: clock.now() }).where(eq(notifyDeliveries.id, deliveryId));
        return;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const last = attempt > RETRY_MS.length;
        await db.update(notifyDeliveries).set({ status: last ? 'failed' : 'pending', attempts: attempt, error }).where(eq(notifyDeliveries.id, deliveryId));
        if (last) {
          log.warn({ channelId: c.id, deliveryId, error }, 'notification not delivered');
          return;
        }
        await new Promise((r) => setTimeout(r, RETRY_MS[attempt - 1]).unref());
      }
    }
  }

  return {
    view,
    async list(q: { limit: number; cursor?: string | undefined }): Promise<Page<NotifyChannelView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db.select().from(notifyChannels).where(after ? lt(notifyChannels.id, after) : undefined).orderBy(desc(notifyChannels.id)).limit(q.limit + 1);
      return toPage(rows, q.limit, view, (c) => c.id);
    },
    get: async (id: string) => view(await byId(id)),
    /** Channel ids that exist (for rules naming channels). */
    async existing(ids: string[]): Promise<Set<string>> {
      if (!ids.length) return new Set();
      return new Set((await db.select({ id: notifyChannels.id }).from(notifyChannels).where(inArray(notifyChannels.id, ids))).map((r) => r.id));
    },
    async create(ctx: MutationContext, body: NotifyChannelBody, userId: string): Promise<NotifyChannelView> {
      const now = clock.now();
      const row: ChannelRow = { id: uuidv7(now.getTime()), ...fields(body), createdBy: userId, createdAt: now, updatedAt: now };
      await ctx.tx.insert(notifyChannels).values(row);
      Object.assign(ctx.audit, { targetType: 'notify_channel', targetId: row.id, after: view(row) });
      await ctx.emit('notify.channel.created', { channelId: row.id, name: row.name, type: row.type }, { summary: `notification channel ${row.name} (${row.type}) created`, resourceType: 'notify_channel', resourceId: row.id });
      return view(row);
    },
    async replace(ctx: MutationContext, id: string, body: NotifyChannelBody): Promise<NotifyChannelView> {
      const before = await byId(id, ctx.tx);
      const after: ChannelRow = { ...before, ...fields(body), updatedAt: clock.now() };
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
    async deliveries(q: NotifyDeliveryQuery): Promise<Page<NotifyDeliveryView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db
        .select()
        .from(notifyDeliveries)
        .where(and(q.channelId ? eq(notifyDeliveries.channelId, q.channelId) : undefined, q.status ? eq(notifyDeliveries.status, q.status) : undefined, after ? lt(notifyDeliveries.id, after) : undefined))
        .orderBy(desc(notifyDeliveries.id))
        .limit(q.limit + 1);
      return toPage(rows, q.limit, (d) => ({
        id: d.id, channelId: d.channelId, source: d.source, title: d.title, status: d.status as NotifyDeliveryView['status'], attempts: d.attempts, error: d.error,
        createdAt: d.createdAt.toISOString(), sentAt: d.sentAt?.toISOString() ?? null,
      }), (d) => d.id);
    },

    /**
     * Sends a message to channels (disabled ones are passed over): records a
     * delivery for each at once, then sends in the background with retries.
     * Answers the delivery ids.
     */
    async send(channelIds: string[], msg: NotifyMessage): Promise<string[]> {
      if (!channelIds.length) return [];
      const channels = (await db.select().from(notifyChannels).where(inArray(notifyChannels.id, channelIds))).filter((c) => c.enabled);
      const now = clock.now();
      const ids: string[] = [];
      for (const c of channels) {
        const id = uuidv7(now.getTime());
        await db.insert(notifyDeliveries).values({ id, channelId: c.id, source: msg.source, title: msg.title, message: { ...msg }, status: 'pending', attempts: 0, createdAt: now });
        ids.push(id);
        void deliver(c, id, msg).catch((err: unknown) => log.error({ err, deliveryId: id }, 'notification delivery crashed'));
      }
      return ids;
    },
  };
}

export type NotifyService = ReturnType<typeof createNotifyService>;

import { and, asc, count, eq, gt, inArray, sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { CHANNEL_RATE_DEFAULTS, type ChannelType, type DeliveryAttempt, type NotifyMessage } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { inTransaction } from '../db/tx.js';
import { uuidv7 } from '../ids.js';
import type { SecretBox } from '../secrets/secret-box.js';
import { openSecrets, type ChannelRow } from './channel-config.js';
import { digestMessage } from './digest.js';
import { notifyChannels, notifyDeliveries } from './notify.tables.js';
import { send, type OutboundRules } from './outbound.js';
import { SENDERS, SendFailed, type Outgoing } from './senders/index.js';
import { applyTemplate } from './template.js';

type DeliveryRow = typeof notifyDeliveries.$inferSelect;
/** Pauses before the 2nd, 3rd, 4th and 5th tries; after the 5th it stays `failed`. */
export const RETRY_MS = [5_000, 30_000, 120_000, 600_000];
const WINDOW_MS = 60_000;
const CLAIM_MS = 120_000;
const ANSWER_CHARS = 500;

export interface DeliveryQueueDeps {
  db: Db;
  clock: Clock;
  box: SecretBox;
  log: FastifyBaseLogger;
  smtp: { url: string; from: string } | undefined;
  /** Makes console paths absolute (OPSLINE_PUBLIC_URL). */
  publicUrl: string;
  rules: () => Promise<OutboundRules>;
}

/**
 * The deliveries as a queue in the database: rows are written `pending`
 * before anything is sent, and any server's worker claims the due ones
 * (`claimed_until`), so a crash mid-send only delays a message. A channel
 * over its rate holds the rest (`held`); when its window has room again they
 * go out as one summary (`digested` into it) — none is dropped.
 */
export function createDeliveryQueue(deps: DeliveryQueueDeps) {
  const { db, clock, box, log } = deps;
  let running: Promise<void> | null = null;
  let again = false;

  const absolute = (path: string | undefined): string | undefined => (path?.startsWith('/') ? `${deps.publicUrl}${path}` : path);

  async function sentInWindow(channelId: string, now: Date): Promise<number> {
    const [row] = await db.select({ n: count() }).from(notifyDeliveries)
      .where(and(eq(notifyDeliveries.channelId, channelId), gt(notifyDeliveries.firstTriedAt, new Date(now.getTime() - WINDOW_MS))));
    return row?.n ?? 0;
  }
  const rateOf = (c: ChannelRow): number => c.ratePerMinute ?? CHANNEL_RATE_DEFAULTS[c.type as ChannelType];

  async function attempt(c: ChannelRow, d: DeliveryRow, rules: OutboundRules): Promise<void> {
    const now = clock.now();
    const m = d.message as unknown as NotifyMessage;
    const msg: Outgoing = applyTemplate({ ...m, link: absolute(m.link), ackLink: absolute(m.ackLink), resolveLink: absolute(m.resolveLink), at: now }, c.template ?? null);
    const sender = SENDERS[c.type as ChannelType];
    const tries = d.attempts + 1;
    let entry: DeliveryAttempt;
    try {
      const out = await sender({ config: { ...c.config, ...openSecrets(box, c) }, msg, smtp: deps.smtp, http: (method, url, headers, body) => send(method, url, headers, body, rules) });
      entry = { at: now.toISOString(), ok: true, status: out.status, answer: out.answer.slice(0, ANSWER_CHARS) };
      await db.update(notifyDeliveries).set({ status: 'sent', attempts: tries, error: null, sentAt: clock.now(), claimedUntil: null, nextAttemptAt: null, log: [...d.log, entry] }).where(eq(notifyDeliveries.id, d.id));
      return;
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      const status = err instanceof SendFailed ? err.status : null;
      entry = { at: now.toISOString(), ok: false, status, answer: (err instanceof SendFailed && err.answer ? `${error}: ${err.answer}` : error).slice(0, ANSWER_CHARS) };
      const last = tries > RETRY_MS.length;
      const next = last ? null : new Date(now.getTime() + (RETRY_MS[tries - 1] ?? 0));
      await db.update(notifyDeliveries).set({ status: last ? 'failed' : 'pending', attempts: tries, error, claimedUntil: null, nextAttemptAt: next, log: [...d.log, entry] }).where(eq(notifyDeliveries.id, d.id));
      if (last) log.warn({ channelId: c.id, deliveryId: d.id, error }, 'notification not delivered after every try');
    }
  }

  /** Claims due pending deliveries for this server (others skip them). */
  async function claim(now: Date): Promise<DeliveryRow[]> {
    const ids = await inTransaction(db, async (tx) => {
      const due = await tx.select({ id: notifyDeliveries.id }).from(notifyDeliveries)
        .where(and(eq(notifyDeliveries.status, 'pending'), sql`${notifyDeliveries.nextAttemptAt} <= ${now}`, sql`(${notifyDeliveries.claimedUntil} is null or ${notifyDeliveries.claimedUntil} < ${now})`))
        .orderBy(asc(notifyDeliveries.id)).limit(200).for('update', { skipLocked: true });
      if (!due.length) return [];
      await tx.update(notifyDeliveries).set({ claimedUntil: new Date(now.getTime() + CLAIM_MS) }).where(inArray(notifyDeliveries.id, due.map((r) => r.id)));
      return due.map((r) => r.id);
    });
    return ids.length ? db.select().from(notifyDeliveries).where(inArray(notifyDeliveries.id, ids)).orderBy(asc(notifyDeliveries.id)) : [];
  }

  /** A channel's held deliveries, once its window has room, become one summary delivery. */
  async function digestHeld(now: Date): Promise<void> {
    const held = await db.selectDistinct({ channelId: notifyDeliveries.channelId }).from(notifyDeliveries).where(eq(notifyDeliveries.status, 'held'));
    for (const { channelId } of held) {
      const [c] = await db.select().from(notifyChannels).where(eq(notifyChannels.id, channelId)).limit(1);
      if (c && (await sentInWindow(channelId, now)) >= rateOf(c)) continue;
      await inTransaction(db, async (tx) => {
        const digestId = uuidv7(now.getTime());
        const taken = await tx.update(notifyDeliveries).set({ status: 'digested', digestId, claimedUntil: null }).where(and(eq(notifyDeliveries.channelId, channelId), eq(notifyDeliveries.status, 'held'))).returning();
        if (!taken.length) return;
        const msg = digestMessage(taken.map((t) => t.message as unknown as NotifyMessage));
        await tx.insert(notifyDeliveries).values({ id: digestId, channelId, source: msg.source, title: msg.title, message: { ...msg }, status: 'pending', nextAttemptAt: now, createdAt: now });
      });
    }
  }

  async function processOnce(): Promise<void> {
    const now = clock.now();
    await digestHeld(now);
    const claimed = await claim(now);
    if (!claimed.length) return;
    const rules = await deps.rules();
    const byChannel = new Map<string, DeliveryRow[]>();
    for (const d of claimed) byChannel.set(d.channelId, [...(byChannel.get(d.channelId) ?? []), d]);
    const channels = new Map((await db.select().from(notifyChannels).where(inArray(notifyChannels.id, [...byChannel.keys()]))).map((c) => [c.id, c]));
    await Promise.all([...byChannel].map(async ([channelId, rows]) => {
      const c = channels.get(channelId);
      for (const d of rows) {
        if (!c || !c.enabled) {
          await db.update(notifyDeliveries).set({ status: 'failed', error: c ? 'the channel is disabled' : 'the channel was deleted', claimedUntil: null }).where(eq(notifyDeliveries.id, d.id));
          continue;
        }
        if (d.firstTriedAt === null) {
          // A first try counts against the channel's window; over it, the message waits for the summary.
          if (d.digestId === null && d.source !== 'digest' && (await sentInWindow(channelId, now)) >= rateOf(c)) {
            await db.update(notifyDeliveries).set({ status: 'held', claimedUntil: null, nextAttemptAt: null }).where(eq(notifyDeliveries.id, d.id));
            continue;
          }
          await db.update(notifyDeliveries).set({ firstTriedAt: now }).where(eq(notifyDeliveries.id, d.id));
        }
        await attempt(c, d, rules);
      }
    }));
  }

  return {
    /** Resolves when no pass is running (so a closing server waits for sends in flight). */
    idle: (): Promise<void> => running ?? Promise.resolve(),
    /** Records a pending delivery per channel (in the caller's transaction when given); `kick()` after commit sends them. */
    async enqueue(tx: Db, channels: ChannelRow[], msg: NotifyMessage): Promise<string[]> {
      const now = clock.now();
      const rows = channels.map((c) => ({ id: uuidv7(now.getTime()), channelId: c.id, source: msg.source, title: msg.title, message: { ...msg }, status: 'pending', nextAttemptAt: now, createdAt: now }));
      if (rows.length) await tx.insert(notifyDeliveries).values(rows);
      return rows.map((r) => r.id);
    },
    /**
     * Sends what is due now: summaries of held messages, then pending ones
     * (first tries and retries). One pass at a time per server; a call while
     * one runs makes it go round again.
     */
    async process(): Promise<void> {
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        do {
          again = false;
          try {
            await processOnce();
          } catch (err) {
            log.error({ err }, 'notification worker pass failed');
          }
        } while (again);
      })().finally(() => (running = null));
      return running;
    },
  };
}

export type DeliveryQueue = ReturnType<typeof createDeliveryQueue>;

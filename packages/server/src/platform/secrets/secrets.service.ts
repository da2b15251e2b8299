import { and, asc, eq, gt, ilike } from 'drizzle-orm';
import type { CreateSecretBody, Page, SecretListQuery, SecretView, UpdateSecretBody } from '@opsline/contracts';
import type { Clock } from '../clock.js';
import type { Db } from '../db/db.js';
import { AppError } from '../errors/app-error.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { uuidv7 } from '../ids.js';
import type { MutationContext } from '../audit/mutation.js';
import type { SecretBox } from './secret-box.js';
import { secrets } from './secrets.tables.js';

type SecretRow = typeof secrets.$inferSelect;

const view = (r: SecretRow): SecretView => ({
  id: r.id, name: r.name, description: r.description, createdAt: r.createdAt.toISOString(), updatedAt: r.updatedAt.toISOString(),
});

/** Stored credentials (SSH keys, webhook tokens, cluster credentials): sealed at rest, opened only in process. */
export function createSecretService(deps: { db: Db; clock: Clock; box: SecretBox }) {
  const { db, clock, box } = deps;
  const context = (id: string): string => `secret:${id}`;

  async function requireSecret(tx: Db, id: string): Promise<SecretRow> {
    const [row] = await tx.select().from(secrets).where(eq(secrets.id, id)).limit(1);
    if (!row) throw new AppError('SECRET_NOT_FOUND');
    return row;
  }

  return {
    async list(q: SecretListQuery): Promise<Page<SecretView>> {
      const after = q.cursor ? decodeCursor(q.cursor, 'string') : undefined;
      const rows = await db
        .select()
        .from(secrets)
        .where(and(q.q ? ilike(secrets.name, `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`) : undefined, after ? gt(secrets.name, after) : undefined))
        .orderBy(asc(secrets.name))
        .limit(q.limit + 1);
      return toPage(rows, q.limit, view, (r) => r.name);
    },

    async create(ctx: MutationContext, body: CreateSecretBody): Promise<SecretView> {
      const [taken] = await ctx.tx.select({ id: secrets.id }).from(secrets).where(eq(secrets.name, body.name)).limit(1);
      if (taken) throw new AppError('SECRET_EXISTS', undefined, { issues: [{ field: 'body.name', message: 'already taken' }] });
      const now = clock.now();
      const id = uuidv7(now.getTime());
      const [row] = await ctx.tx
        .insert(secrets)
        .values({ id, name: body.name, description: body.description ?? '', sealed: box.seal(body.value, context(id)), createdAt: now, updatedAt: now, createdBy: ctx.actor.id })
        .returning();
      if (!row) throw new Error('insert secrets returned nothing');
      Object.assign(ctx.audit, { targetType: 'secret', targetId: id, after: view(row) });
      await ctx.emit('secret.created', { secretId: id, name: row.name }, { summary: `secret ${row.name} stored`, resourceType: 'secret', resourceId: id });
      return view(row);
    },

    async update(ctx: MutationContext, id: string, body: UpdateSecretBody): Promise<SecretView> {
      const current = await requireSecret(ctx.tx, id);
      const [row] = await ctx.tx
        .update(secrets)
        .set({
          ...(body.description !== undefined && { description: body.description }),
          ...(body.value !== undefined && { sealed: box.seal(body.value, context(id)) }),
          updatedAt: clock.now(),
        })
        .where(eq(secrets.id, id))
        .returning();
      if (!row) throw new AppError('SECRET_NOT_FOUND');
      Object.assign(ctx.audit, { targetType: 'secret', targetId: id, before: view(current), after: { ...view(row), rotated: body.value !== undefined } });
      await ctx.emit('secret.updated', { secretId: id, name: row.name, rotated: body.value !== undefined }, {
        summary: `secret ${row.name} ${body.value !== undefined ? 'replaced' : 'changed'}`, resourceType: 'secret', resourceId: id,
      });
      return view(row);
    },

    async remove(ctx: MutationContext, id: string): Promise<void> {
      const row = await requireSecret(ctx.tx, id);
      await ctx.tx.delete(secrets).where(eq(secrets.id, id));
      Object.assign(ctx.audit, { targetType: 'secret', targetId: id, before: view(row) });
      await ctx.emit('secret.deleted', { secretId: id, name: row.name }, { summary: `secret ${row.name} deleted`, resourceType: 'secret', resourceId: id });
    },

    /** For modules that use a credential (an SSH key, a webhook token): the clear value, in process only. */
    async reveal(name: string): Promise<string> {
      const [row] = await db.select().from(secrets).where(eq(secrets.name, name)).limit(1);
      if (!row) throw new AppError('SECRET_NOT_FOUND', `No such secret: ${name}`);
      return box.open(row.sealed, context(row.id));
    },
  };
}

export type SecretService = ReturnType<typeof createSecretService>;

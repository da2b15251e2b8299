import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HealthResult } from '@opsline/contracts';
import { sql } from 'drizzle-orm';
import type { PlatformServices } from '../services.js';
import { VERSION } from '../../version.js';

export function systemRoutes(app: FastifyInstance, s: PlatformServices): void {
  const started = Date.now();
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/health', {
    schema: { tags: ['system'], summary: 'Liveness and what the server runs on', response: { 200: HealthResult, 503: HealthResult } },
    config: { access: 'public' },
  }, async (_req, reply) => {
    const dbOk = await s.db.execute(sql`select 1`).then(() => true, () => false);
    const body = { status: dbOk ? ('ok' as const) : ('degraded' as const), version: VERSION, db: s.dbKind, uptimeSeconds: Math.round((Date.now() - started) / 1000) };
    return reply.code(dbOk ? 200 : 503).send(body);
  });
}

import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditListQuery, AuditRecordView, page } from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

export function auditRoutes(app: FastifyInstance, s: PlatformServices): void {
  app.withTypeProvider<ZodTypeProvider>().get('/api/v1/audit', {
    schema: { tags: ['audit'], summary: 'The audit log, newest first', querystring: AuditListQuery, response: { 200: page(AuditRecordView) } },
    config: { access: 'audit:read' },
  }, (req) => s.audit.list(req.query));
}

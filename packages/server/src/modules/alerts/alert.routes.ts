import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AckAlertsBody, AckAlertsResult, AlertDetail, AlertQuery, AlertView, IdParams, page } from '@opsline/contracts';
import type { AlertService } from './alert.service.js';

const tags = ['alerts'];

export function alertRoutes(app: FastifyInstance, alerts: AlertService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/v1/alerts', {
    schema: { tags, summary: 'Alerts, the most recently seen first, each with how often it came and when last', querystring: AlertQuery, response: { 200: page(AlertView) } },
    config: { access: 'alert:read' },
  }, (req) => alerts.list(req.query));

  // Before /:id, though a literal segment wins anyway.
  r.post('/api/v1/alerts/ack', {
    schema: { tags, summary: 'Acknowledge alerts (those already acknowledged keep who did it first)', body: AckAlertsBody, response: { 200: AckAlertsResult } },
    config: { access: 'alert:write', audit: 'alert.ack' },
  }, (req) => req.mutate((ctx) => alerts.ack(ctx, req.body)));

  r.get('/api/v1/alerts/:id', {
    schema: { tags, summary: 'An alert with the last payload that carried it', params: IdParams, response: { 200: AlertDetail } },
    config: { access: 'alert:read' },
  }, (req) => alerts.get(req.params.id));
}

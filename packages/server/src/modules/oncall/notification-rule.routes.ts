import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, UserNotificationBody, UserNotificationView } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import type { RbacService } from '../../platform/rbac/rbac.service.js';
import type { NotificationRuleService } from './notification-rule.service.js';

const tags = ['oncall'];
const ADMIN = 'oncall:admin';

export function notificationRuleRoutes(app: FastifyInstance, rules: NotificationRuleService, rbac: RbacService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  /** Users read and change their own rules and contact; anyone's with oncall:admin. */
  async function selfOrAdmin(req: FastifyRequest, userId: string): Promise<void> {
    const me = req.caller().userId;
    if (me !== userId && !(await rbac.can(me, ADMIN))) throw new AppError('FORBIDDEN', `You lack the permission ${ADMIN}`, { permission: ADMIN });
  }

  r.get('/api/v1/users/:id/notification-rules', {
    schema: { tags, summary: 'A user\'s notification rules (channels by severity and time of day) and contact: your own, or anyone\'s with oncall:admin', params: IdParams, response: { 200: UserNotificationView } },
    config: { access: 'authenticated' },
  }, async (req) => {
    await selfOrAdmin(req, req.params.id);
    return rules.get(req.params.id);
  });

  r.put('/api/v1/users/:id/notification-rules', {
    schema: { tags, summary: 'Replace a user\'s notification rules and contact: your own, or anyone\'s with oncall:admin', params: IdParams, body: UserNotificationBody, response: { 200: UserNotificationView } },
    config: { access: 'authenticated', audit: 'oncall.notification_rules.update' },
  }, async (req) => {
    await selfOrAdmin(req, req.params.id);
    const username = await rules.prepare(req.params.id, req.body);
    return req.mutate((ctx) => rules.replace(ctx, req.params.id, username, req.body));
  });
}

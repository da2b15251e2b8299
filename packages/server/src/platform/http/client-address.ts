import type { FastifyRequest } from 'fastify';
import type { AuditOrigin } from '../audit/audit.service.js';

/** Where the request came from, for the audit log: `req.ip` already honours the trusted proxies. */
export function auditOrigin(req: FastifyRequest): AuditOrigin {
  const actor = req.principal ? { id: req.principal.userId, name: req.principal.username } : req.auditActor;
  const ua = req.headers['user-agent'];
  return {
    actorId: actor?.id ?? null,
    actorName: actor?.name ?? 'anonymous',
    sourceIp: req.ip,
    userAgent: typeof ua === 'string' ? ua : null,
    method: req.method,
    path: req.url.split('?')[0] ?? req.url,
  };
}

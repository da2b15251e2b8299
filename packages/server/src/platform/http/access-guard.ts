import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors/app-error.js';
import type { CredentialService } from '../auth/credentials.service.js';
import { sameSecret } from '../auth/token-codec.js';
import type { RbacService } from '../rbac/rbac.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Db } from '../db/db.js';
import { emptyDraft } from '../audit/audit.service.js';
import { auditOrigin } from './client-address.js';
import './fastify-types.js';

export const SESSION_COOKIE = 'opsline_session';
export const CSRF_COOKIE = 'opsline_csrf';
export const CSRF_HEADER = 'x-csrf-token';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Routes under /api registered by plugins (OpenAPI docs) rather than by us: public by nature. */
const PLUGIN_PUBLIC_PREFIX = '/api/docs';

export const isMutation = (method: string): boolean => MUTATING.has(method);

const forbidden = (permission: string): AppError =>
  new AppError('FORBIDDEN', `You lack the permission ${permission}`, { permission });

function methods(route: RouteOptions): string[] {
  return Array.isArray(route.method) ? route.method : [route.method];
}

/** One registered API route as declared: what tests walk and what the docs list. */
export interface ApiRoute {
  method: string;
  url: string;
  access: string;
  audit: string | null;
}

/**
 * Every /api route must say who may call it, and every mutating one how it is
 * audited: a forgotten declaration fails at start-up. The declared routes are
 * kept in `app.apiRoutes`.
 */
export function enforceRouteDeclarations(app: FastifyInstance): void {
  const table: ApiRoute[] = [];
  app.decorate('apiRoutes', table);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (route.url.startsWith(PLUGIN_PUBLIC_PREFIX)) {
      route.config = { ...route.config, access: 'public' };
      return;
    }
    const config = route.config as { access?: string; audit?: string } | undefined;
    if (!config?.access) throw new Error(`route ${methods(route).join(',')} ${route.url} declares no access (config.access)`);
    if (methods(route).some(isMutation) && !config.audit) {
      throw new Error(`mutating route ${methods(route).join(',')} ${route.url} declares no audit action (config.audit)`);
    }
    for (const method of methods(route)) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access: config.access, audit: config.audit ?? null });
    }
  });
}

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (typeof h !== 'string') return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/** A browser tells us a request is cross-site through Sec-Fetch-Site or an Origin that is not ours. */
function crossSite(req: FastifyRequest): boolean {
  if (req.headers['sec-fetch-site'] === 'cross-site') return true;
  const origin = req.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return typeof origin === 'string';
  try {
    return new URL(origin).host !== req.headers.host;
  } catch {
    return true;
  }
}

/**
 * The request pipeline's gate, before the body is even parsed: who is calling
 * (bearer token or session cookie), CSRF for cookie-authenticated changes,
 * then the route's permission. Failed and refused changes are audited on send.
 */
export function installAccessGuard(
  app: FastifyInstance,
  deps: { credentials: CredentialService; rbac: RbacService; audit: AuditService; db: Db },
): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('auditDraft', null as never);
  app.decorateRequest('auditDone', false);
  app.decorateRequest('auditActor', null);
  app.decorateRequest('errorCode', null);
  app.decorateRequest('globallyAllowed', false);
  app.decorateRequest('caller', function (this: FastifyRequest) {
    if (!this.principal) throw new AppError('AUTH_REQUIRED');
    return this.principal;
  });

  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (!access) return;
    req.auditDraft = emptyDraft();
    const header = bearer(req);
    const token = header ?? req.cookies[SESSION_COOKIE];
    const mutation = isMutation(req.method);
    if (token) {
      const found = await deps.credentials.resolve(token);
      if ('principal' in found) req.principal = found.principal;
      else if (access !== 'public') throw new AppError(found.error);
    }
    if (access === 'public') {
      if (mutation && !header && crossSite(req)) throw new AppError('CSRF_REJECTED');
      return;
    }
    const principal = req.principal;
    if (!principal) throw new AppError('AUTH_REQUIRED');
    if (mutation && !header) {
      const sent = req.headers[CSRF_HEADER];
      const expected = principal.csrfToken;
      if (crossSite(req) || typeof sent !== 'string' || !expected || !sameSecret(sent, expected)) throw new AppError('CSRF_REJECTED');
    }
    if (access === 'authenticated') return;
    req.globallyAllowed = await deps.rbac.can(principal.userId, access);
    if (req.globallyAllowed) return;
    const { scope: scoped, filtered } = req.routeOptions.config;
    if (!(scoped || filtered) || !(await deps.rbac.canSomewhere(principal.userId, access))) throw forbidden(access);
  });

  // Node-scoped routes: now that the input is validated, check the grant on the node it names.
  app.addHook('preHandler', async (req) => {
    const scoped = req.routeOptions.config.scope;
    const access = req.routeOptions.config.access;
    if (!scoped || !access || req.globallyAllowed || access === 'public' || access === 'authenticated') return;
    const nodeId = (req[scoped.from] as Record<string, unknown> | undefined)?.[scoped.key];
    if (typeof nodeId !== 'string' || !(await deps.rbac.can(req.caller().userId, access, nodeId))) throw forbidden(access);
  });

  // A change that failed or was refused leaves a record too; a success wrote its own inside its transaction.
  app.addHook('onSend', async (req, reply, payload) => {
    const action = req.routeOptions.config.audit;
    if (!action || req.auditDone || !req.auditDraft) return payload;
    const origin = auditOrigin(req);
    if (origin.actorId === null && !req.auditActor) return payload;
    const status = reply.statusCode;
    if (status < 400) req.log.warn({ action }, 'mutation answered without req.mutate; audited after the fact');
    const { targetType, targetId } = req.auditDraft;
    await deps.audit.write(deps.db, {
      origin, action, draft: { targetType, targetId, before: null, after: null },
      result: status === 403 ? 'denied' : status >= 400 ? 'failure' : 'success', errorCode: req.errorCode,
    });
    req.auditDone = true;
    return payload;
  });
}

import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChangePasswordBody, CreatedToken, CreateTokenBody, IdParams, LoginBody, LoginResult, MeResult, Ok, TokenView, page } from '@opsline/contracts';
import { AppError } from '../errors/app-error.js';
import { CSRF_COOKIE, SESSION_COOKIE } from '../http/access-guard.js';
import type { PlatformServices } from '../services.js';
import { lockedError } from './login-guard.js';
import { burnPasswordCheck, verifyPassword } from './password.js';

const tags = ['auth'];

export function authRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  function setSessionCookies(reply: FastifyReply, token: string, csrfToken: string, expires: Date): void {
    const base = { path: '/', sameSite: 'lax' as const, secure: s.config.secureCookies, expires };
    void reply.setCookie(SESSION_COOKIE, token, { ...base, httpOnly: true });
    void reply.setCookie(CSRF_COOKIE, csrfToken, { ...base, httpOnly: false });
  }

  r.route({
    method: 'POST',
    url: '/api/v1/auth/login',
    schema: { tags, summary: 'Sign in: a session cookie and a bearer token', body: LoginBody, response: { 200: LoginResult } },
    config: { access: 'public', audit: 'auth.login' },
    handler: async (req, reply) => {
      const { username, password } = req.body;
      req.auditActor = { id: null, name: username };
      s.loginGuard.checkRate(req.ip);
      await s.loginGuard.checkLock(username);
      const user = await s.users.byName(username);
      const ok = user ? await verifyPassword(user.passwordHash, password) : await burnPasswordCheck(password).then(() => false);
      if (!user || !ok) {
        const lockedUntil = await s.loginGuard.recordFailure(username);
        if (!lockedUntil) throw new AppError('AUTH_INVALID_CREDENTIALS');
        if (user) {
          await s.announce('user.locked', { userId: user.id, username, until: lockedUntil.toISOString() }, {
            summary: `user ${username} locked after repeated failed sign-ins`, severity: 'warning', resourceType: 'user', resourceId: user.id,
          });
        }
        throw lockedError(lockedUntil, s.clock.now());
      }
      req.auditActor = { id: user.id, name: user.username };
      if (user.status !== 'active') throw new AppError('AUTH_USER_DISABLED');
      const previous = req.cookies[SESSION_COOKIE];
      const ua = req.headers['user-agent'];
      const session = await req.mutate(async (ctx) => {
        // A new sign-in always gets a new session id; the one the browser came with ends here.
        if (previous) await s.credentials.endSession(ctx, previous);
        await s.loginGuard.recordSuccess(ctx.tx, username);
        await s.users.recordLogin(ctx, user.id);
        Object.assign(ctx.audit, { targetType: 'user', targetId: user.id });
        return s.credentials.startSession(ctx.tx, user, { ip: req.ip, userAgent: typeof ua === 'string' ? ua.slice(0, 512) : null });
      });
      setSessionCookies(reply, session.token, session.csrfToken, session.expiresAt);
      return { token: session.token, csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString(), user: await s.users.view(user) };
    },
  });

  r.route({
    method: 'POST',
    url: '/api/v1/auth/logout',
    schema: { tags, summary: 'End the current session', response: { 200: Ok } },
    config: { access: 'authenticated', audit: 'auth.logout' },
    handler: async (req, reply) => {
      const me = req.caller();
      await req.mutate(async (ctx) => {
        Object.assign(ctx.audit, { targetType: 'user', targetId: me.userId });
        if (me.authMethod !== 'session') return;
        const token = req.headers.authorization?.replace(/^Bearer\s+/i, '') ?? req.cookies[SESSION_COOKIE];
        if (token) await s.credentials.endSession(ctx, token);
      });
      void reply.clearCookie(SESSION_COOKIE, { path: '/' }).clearCookie(CSRF_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  });

  r.route({
    method: 'GET',
    url: '/api/v1/auth/me',
    schema: { tags, summary: 'Who am I: the user, global permissions, the CSRF token of the session', response: { 200: MeResult } },
    config: { access: 'authenticated' },
    handler: async (req) => {
      const me = req.caller();
      const [user, permissions, nodePermissions] = await Promise.all([
        s.users.cachedView(me.userId), s.rbac.globalPermissions(me.userId), s.rbac.nodePermissions(me.userId),
      ]);
      return { user, permissions, nodePermissions, csrfToken: me.csrfToken, authMethod: me.authMethod };
    },
  });

  r.route({
    method: 'POST',
    url: '/api/v1/auth/password',
    schema: { tags, summary: 'Change my password; my other sessions end', body: ChangePasswordBody, response: { 200: Ok } },
    config: { access: 'authenticated', audit: 'auth.password_change' },
    handler: async (req) => {
      const me = req.caller();
      const user = await s.users.requireUser(me.userId);
      if (!(await verifyPassword(user.passwordHash, req.body.currentPassword))) {
        throw new AppError('AUTH_WRONG_PASSWORD', undefined, { issues: [{ field: 'body.currentPassword', message: 'wrong password' }] });
      }
      await req.mutate(async (ctx) => {
        Object.assign(ctx.audit, { targetType: 'user', targetId: me.userId });
        await s.users.setPassword(ctx, me.userId, req.body.newPassword, me.authMethod === 'session' ? me.credentialId : undefined);
        await ctx.emit('user.password_changed', { userId: me.userId, username: me.username }, {
          summary: `user ${me.username} changed their password`, resourceType: 'user', resourceId: me.userId,
        });
      });
      return { ok: true as const };
    },
  });

  r.route({
    method: 'GET',
    url: '/api/v1/tokens',
    schema: { tags, summary: 'My API tokens', response: { 200: page(TokenView) } },
    config: { access: 'authenticated' },
    handler: async (req) => ({ items: await s.credentials.listTokens(req.caller().userId), nextCursor: null }),
  });

  r.route({
    method: 'POST',
    url: '/api/v1/tokens',
    schema: { tags, summary: 'Create an API token; the token is in this answer only', body: CreateTokenBody, response: { 201: CreatedToken } },
    config: { access: 'authenticated', audit: 'token.create' },
    handler: async (req, reply) => {
      const me = req.caller();
      const created = await req.mutate(async (ctx) => {
        const t = await s.credentials.createToken(ctx.tx, me.userId, req.body.name, req.body.expiresInDays);
        Object.assign(ctx.audit, { targetType: 'api_token', targetId: t.id, after: { ...t, token: undefined } });
        return t;
      });
      return reply.code(201).send(created);
    },
  });

  r.route({
    method: 'DELETE',
    url: '/api/v1/tokens/:id',
    schema: { tags, summary: 'Revoke an API token (mine, or anyone\'s with token:admin)', params: IdParams, response: { 200: Ok } },
    config: { access: 'authenticated', audit: 'token.revoke' },
    handler: async (req) => {
      const me = req.caller();
      const any = await s.rbac.can(me.userId, 'token:admin');
      await req.mutate(async (ctx) => {
        ctx.audit.targetType = 'api_token';
        ctx.audit.targetId = req.params.id;
        ctx.audit.before = await s.credentials.revokeToken(ctx, req.params.id, me.userId, any);
      });
      return { ok: true as const };
    },
  });
}

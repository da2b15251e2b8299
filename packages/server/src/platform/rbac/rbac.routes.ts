import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateGrantBody, CreateRoleBody, GrantListQuery, GrantView, IdParams, Ok, PermissionInfo, RoleListQuery, RoleView, UpdateRoleBody, page,
} from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

export function rbacRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['access'];

  r.get('/api/v1/permissions', {
    schema: { tags, summary: 'Every permission there is', response: { 200: z.object({ items: z.array(PermissionInfo) }) } },
    config: { access: 'role:read' },
  }, () => ({ items: s.rbac.permissionRegistry() }));

  r.get('/api/v1/roles', {
    schema: { tags, summary: 'List roles', querystring: RoleListQuery, response: { 200: page(RoleView) } },
    config: { access: 'role:read' },
  }, (req) => s.rbac.listRoles(req.query));

  r.post('/api/v1/roles', {
    schema: { tags, summary: 'Create a custom role', body: CreateRoleBody, response: { 201: RoleView } },
    config: { access: 'role:write', audit: 'role.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => s.rbac.createRole(ctx, req.body))));

  r.patch('/api/v1/roles/:id', {
    schema: { tags, summary: 'Change a custom role', params: IdParams, body: UpdateRoleBody, response: { 200: RoleView } },
    config: { access: 'role:write', audit: 'role.update' },
  }, (req) => req.mutate((ctx) => s.rbac.updateRole(ctx, req.params.id, req.body)));

  r.delete('/api/v1/roles/:id', {
    schema: { tags, summary: 'Delete a custom role that is no longer granted', params: IdParams, response: { 200: Ok } },
    config: { access: 'role:write', audit: 'role.delete' },
  }, async (req) => {
    await req.mutate((ctx) => s.rbac.deleteRole(ctx, req.params.id));
    return { ok: true as const };
  });

  r.get('/api/v1/grants', {
    schema: { tags, summary: 'List grants (filter by user, team, role, node)', querystring: GrantListQuery, response: { 200: page(GrantView) } },
    config: { access: 'grant:read' },
  }, (req) => s.rbac.listGrants(req.query));

  r.post('/api/v1/grants', {
    schema: { tags, summary: 'Grant a role to a user or a team, globally or on a tree node', body: CreateGrantBody, response: { 201: GrantView } },
    config: { access: 'grant:write', audit: 'grant.create' },
  }, async (req, reply) => {
    const body = req.body;
    const subject = body.userId ? (await s.users.requireUser(body.userId)).username : (await s.teams.requireTeam(body.teamId ?? '')).name;
    return reply.code(201).send(await req.mutate((ctx) => s.rbac.createGrant(ctx, body, subject)));
  });

  r.delete('/api/v1/grants/:id', {
    schema: { tags, summary: 'Revoke a grant', params: IdParams, response: { 200: Ok } },
    config: { access: 'grant:write', audit: 'grant.delete' },
  }, async (req) => {
    await req.mutate((ctx) => s.rbac.deleteGrant(ctx, req.params.id));
    return { ok: true as const };
  });
}

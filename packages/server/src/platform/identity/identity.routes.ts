import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CreateTeamBody, CreateUserBody, IdParams, Ok, TeamListQuery, TeamView, UpdateTeamBody, UpdateUserBody, UserListQuery, UserView, page,
} from '@opsline/contracts';
import type { PlatformServices } from '../services.js';

export function identityRoutes(app: FastifyInstance, s: PlatformServices): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const users = ['users'];
  const teams = ['teams'];

  r.get('/api/v1/users', {
    schema: { tags: users, summary: 'List users (search q, status, team)', querystring: UserListQuery, response: { 200: page(UserView) } },
    config: { access: 'user:read' },
  }, (req) => s.users.list(req.query));

  r.get('/api/v1/users/:id', {
    schema: { tags: users, summary: 'One user', params: IdParams, response: { 200: UserView } },
    config: { access: 'user:read' },
  }, (req) => s.users.get(req.params.id));

  r.post('/api/v1/users', {
    schema: { tags: users, summary: 'Create a user', body: CreateUserBody, response: { 201: UserView } },
    config: { access: 'user:write', audit: 'user.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => s.users.create(ctx, req.body))));

  r.patch('/api/v1/users/:id', {
    schema: { tags: users, summary: 'Change a user: profile, status, password, roles, teams', params: IdParams, body: UpdateUserBody, response: { 200: UserView } },
    config: { access: 'user:write', audit: 'user.update' },
  }, (req) => req.mutate((ctx) => s.users.update(ctx, req.params.id, req.body)));

  r.delete('/api/v1/users/:id', {
    schema: { tags: users, summary: 'Delete a user', params: IdParams, response: { 200: Ok } },
    config: { access: 'user:write', audit: 'user.delete' },
  }, async (req) => {
    await req.mutate((ctx) => s.users.remove(ctx, req.params.id));
    return { ok: true as const };
  });

  r.get('/api/v1/teams', {
    schema: { tags: teams, summary: 'List teams', querystring: TeamListQuery, response: { 200: page(TeamView) } },
    config: { access: 'team:read' },
  }, (req) => s.teams.list(req.query));

  r.get('/api/v1/teams/:id', {
    schema: { tags: teams, summary: 'One team', params: IdParams, response: { 200: TeamView } },
    config: { access: 'team:read' },
  }, (req) => s.teams.get(req.params.id));

  r.post('/api/v1/teams', {
    schema: { tags: teams, summary: 'Create a team', body: CreateTeamBody, response: { 201: TeamView } },
    config: { access: 'team:write', audit: 'team.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => s.teams.create(ctx, req.body))));

  r.patch('/api/v1/teams/:id', {
    schema: { tags: teams, summary: 'Change a team and its members', params: IdParams, body: UpdateTeamBody, response: { 200: TeamView } },
    config: { access: 'team:write', audit: 'team.update' },
  }, (req) => req.mutate((ctx) => s.teams.update(ctx, req.params.id, req.body)));

  r.delete('/api/v1/teams/:id', {
    schema: { tags: teams, summary: 'Delete a team (its grants go with it)', params: IdParams, response: { 200: Ok } },
    config: { access: 'team:write', audit: 'team.delete' },
  }, async (req) => {
    await req.mutate((ctx) => s.teams.remove(ctx, req.params.id));
    return { ok: true as const };
  });
}

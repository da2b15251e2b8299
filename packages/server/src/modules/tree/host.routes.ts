import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  CreateHostBody, HostBindingBody, HostExportQuery, HostImportQuery, HostImportReport, HostListQuery, HostView, IdParams, Ok, UpdateHostBody, page,
} from '@opsline/contracts';
import type { PlatformServices } from '../../platform/services.js';
import { hostCsvHeader, hostCsvLines } from './host-csv.js';
import { importHosts } from './host-import.js';
import type { HostService } from './host.service.js';
import type { TreeService } from './tree.service.js';

const tags = ['cmdb'];
/** An import of 10,000 rows fits well inside this. */
const IMPORT_BODY_LIMIT = 8 * 1024 * 1024;

export function hostRoutes(app: FastifyInstance, s: PlatformServices, tree: TreeService, hosts: HostService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_BODY_LIMIT }, (_req, body, done) => done(null, body));

  r.get('/api/v1/hosts', {
    schema: {
      tags, summary: 'Hosts you may see, by hostname; nodeId (with descendants=true: its subtree), fuzzy q on hostname and IPs, status',
      querystring: HostListQuery, response: { 200: page(HostView) },
    },
    config: { access: 'host:read', filtered: true },
  }, (req) => hosts.list(req.query, req.caller().userId));

  r.get('/api/v1/hosts/export', {
    schema: { tags, summary: 'Every host matching the filters as CSV (the import\'s columns)', querystring: HostExportQuery },
    config: { access: 'host:read', filtered: true },
  }, async (req, reply) => {
    const batches = hosts.exportBatches(req.query, req.caller().userId);
    // Resolve the filter (and its 403) before the 200 goes out.
    const first = await batches.next();
    async function* lines(): AsyncGenerator<string> {
      yield hostCsvHeader();
      if (first.done) return;
      yield hostCsvLines(first.value);
      for await (const batch of batches) yield hostCsvLines(batch);
    }
    const day = s.clock.now().toISOString().slice(0, 10);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="opsline-hosts-${day}.csv"`)
      .send(Readable.from(lines()));
  });

  r.post('/api/v1/hosts/import', {
    schema: {
      tags, summary: 'Import hosts from CSV (text/csv): created, updated, unchanged or rejected per row; dryRun=true changes nothing',
      querystring: HostImportQuery, body: z.string().max(IMPORT_BODY_LIMIT), response: { 200: HostImportReport },
    },
    bodyLimit: IMPORT_BODY_LIMIT,
    config: { access: 'host:write', filtered: true, audit: 'host.import' },
  }, (req) =>
    req.mutate(async (ctx) => {
      const report = await importHosts({ hosts, tree, users: s.users }, ctx, { csv: req.body, dryRun: req.query.dryRun, userId: req.caller().userId });
      const counts = { created: report.created, updated: report.updated, rejected: report.rejected };
      Object.assign(ctx.audit, { targetType: 'host', after: { dryRun: report.dryRun, ...counts, unchanged: report.unchanged } });
      if (!report.dryRun && (report.created || report.updated)) {
        await ctx.emit('host.imported', counts, {
          summary: `hosts imported: ${report.created} created, ${report.updated} updated, ${report.rejected} rejected`, resourceType: 'host',
        });
      }
      return report;
    }));

  r.post('/api/v1/hosts', {
    schema: { tags, summary: 'Add a host, bound to leaf nodes (nodeIds)', body: CreateHostBody, response: { 201: HostView } },
    config: { access: 'host:write', filtered: true, audit: 'host.create' },
  }, async (req, reply) => reply.code(201).send(await req.mutate((ctx) => hosts.create(ctx, req.body, req.caller().userId))));

  r.get('/api/v1/hosts/:id', {
    schema: { tags, summary: 'One host (403 unless you may read a node it is bound to)', params: IdParams, response: { 200: HostView } },
    config: { access: 'host:read', filtered: true },
  }, (req) => hosts.get(req.params.id, req.caller().userId));

  r.patch('/api/v1/hosts/:id', {
    schema: { tags, summary: 'Change a host', params: IdParams, body: UpdateHostBody, response: { 200: HostView } },
    config: { access: 'host:write', filtered: true, audit: 'host.update' },
  }, (req) => req.mutate((ctx) => hosts.update(ctx, req.params.id, req.body, req.caller().userId)));

  r.delete('/api/v1/hosts/:id', {
    schema: { tags, summary: 'Delete a host and its bindings', params: IdParams, response: { 200: Ok } },
    config: { access: 'host:write', filtered: true, audit: 'host.delete' },
  }, async (req) => {
    await req.mutate((ctx) => hosts.remove(ctx, req.params.id, req.caller().userId));
    return { ok: true as const };
  });

  const Changed = z.object({ changed: z.number().int() });
  r.post('/api/v1/tree/nodes/:id/hosts', {
    schema: { tags, summary: 'Bind hosts to a leaf node', params: IdParams, body: HostBindingBody, response: { 200: Changed } },
    config: { access: 'host:write', scope: { from: 'params', key: 'id' }, audit: 'host.bind' },
  }, (req) => req.mutate((ctx) => hosts.bind(ctx, req.params.id, req.body, req.caller().userId)));

  r.delete('/api/v1/tree/nodes/:id/hosts', {
    schema: { tags, summary: 'Unbind hosts from a leaf node', params: IdParams, body: HostBindingBody, response: { 200: Changed } },
    config: { access: 'host:write', scope: { from: 'params', key: 'id' }, audit: 'host.unbind' },
  }, (req) => req.mutate((ctx) => hosts.bind(ctx, req.params.id, req.body, req.caller().userId, true)));
}

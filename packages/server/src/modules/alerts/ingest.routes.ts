import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { INGEST_FORMATS, IngestParams, IngestResult } from '@opsline/contracts';
import type { IngestService } from './ingest.service.js';

/** Alertmanager batches can be large; over this a sender gets 413. The app's default (2 MiB) stays for everything else. */
const INGEST_BODY_LIMIT = 5 * 1024 * 1024;

const SUMMARIES = {
  alertmanager: 'Alertmanager webhook (v4): point a receiver\'s webhook_configs url here, with send_resolved: true',
  zabbix: 'Zabbix: what docs/integrations/zabbix-media-type.js posts for problems, updates and recoveries',
  webhook: 'Any JSON, read through the integration\'s field mapping',
} as const;

/**
 * The ingest URLs, authenticated by the integration key in the path (no
 * session). The body is read as text, whatever its content type, so a
 * refused one can be kept as it came. Not audited (nobody acted: the
 * delivery's events are the record); their request lines are not logged at
 * info, since the path holds the key.
 */
export function ingestRoutes(app: FastifyInstance, ingest: IngestService): void {
  void app.register((scope, _opts, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, parsed) => parsed(null, body));
    const r = scope.withTypeProvider<ZodTypeProvider>();
    for (const format of INGEST_FORMATS) {
      r.post(`/api/v1/integrations/:key/${format}`, {
        schema: { tags: ['alerts'], summary: SUMMARIES[format], params: IngestParams, response: { 200: IngestResult } },
        bodyLimit: INGEST_BODY_LIMIT,
        logLevel: 'warn',
        config: { access: 'public', audit: 'alert.ingest' },
      }, (req) => {
        req.auditDone = true;
        return ingest.receive(format, req.params.key, typeof req.body === 'string' ? req.body : '');
      });
    }
    done();
  });
}

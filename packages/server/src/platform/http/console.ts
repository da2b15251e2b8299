import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { serverPackageRoot } from '../db/paths.js';

/** Paths we never answer with the console page: traversal and encoded separators go to 404. */
const SUSPICIOUS = /(\.\.|%2e%2e|%2f|%5c|%00|\\)/i;

export function defaultWebDir(): string {
  return resolve(serverPackageRoot(), '..', 'web', 'dist');
}

function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  return reply
    .code(404)
    .type('application/json')
    .send({ error: { code: 'ROUTE_NOT_FOUND', message: `No route ${req.method} ${req.url.split('?')[0] ?? ''}` } });
}

/**
 * Serves the built console with a history-mode fallback: any other GET that
 * wants HTML gets index.html, so deep links work. /api paths never do.
 */
export async function serveConsole(app: FastifyInstance, webDir: string): Promise<void> {
  const index = join(webDir, 'index.html');
  const built = existsSync(index);
  if (built) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      // Our setHeaders decides caching: hashed assets forever, everything else revalidated.
      cacheControl: false,
      setHeaders: (res, path) => {
        res.setHeader('cache-control', path.includes(`${join(webDir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.setNotFoundHandler((req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    const wantsPage = (req.method === 'GET' || req.method === 'HEAD') && !path.startsWith('/api') && !SUSPICIOUS.test(path);
    const accept = String(req.headers.accept ?? '*/*');
    if (!wantsPage || !(accept.includes('html') || accept.includes('*/*'))) return notFound(req, reply);
    if (!built) {
      return reply.code(503).type('text/html').send('<!doctype html><title>Opsline</title><p>The console is not built yet: run <code>npm run build</code>, then reload. The API is at <a href="/api/docs">/api/docs</a>.</p>');
    }
    return reply.header('cache-control', 'no-cache').sendFile('index.html');
  });
}

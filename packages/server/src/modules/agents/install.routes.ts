import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serverPackageRoot } from '../../platform/db/paths.js';
import { AppError } from '../../platform/errors/app-error.js';
import { VERSION } from '../../version.js';
import { installScript } from './install-script.js';

const tags = ['agents'];
const FILES = ['opsline-agent.mjs', 'agent.proto'] as const;
/** Host headers baked into the script: a name or address and a port, nothing a shell would read as code. */
const SAFE_HOST = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The built agent bundle (npm run build), hashed once per build. */
function bundle(dir = join(serverPackageRoot(), 'dist', 'agent')) {
  const cache = new Map<string, { mtime: number; sha256: string }>();
  return {
    path: (file: (typeof FILES)[number]): string => {
      const p = join(dir, file);
      if (!existsSync(p)) throw new AppError('NOT_FOUND', 'The agent bundle is not built on this server: run `npm run build` (npm start does it)');
      return p;
    },
    sha256(file: (typeof FILES)[number]): string {
      const p = this.path(file);
      const mtime = statSync(p).mtimeMs;
      const hit = cache.get(file);
      if (hit?.mtime === mtime) return hit.sha256;
      const sha256 = createHash('sha256').update(readFileSync(p)).digest('hex');
      cache.set(file, { mtime, sha256 });
      return sha256;
    },
  };
}

/** The installer and the files it downloads: public, since they hold nothing secret (the token is the caller's). */
export function installRoutes(app: FastifyInstance, grpcPort: () => number): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const files = bundle();

  function origin(req: FastifyRequest): { http: string; host: string } {
    const host = req.headers.host ?? '';
    if (!SAFE_HOST.test(host)) throw new AppError('VALIDATION_FAILED', 'The Host header is not a plain host name', { issues: [{ field: 'headers.host', message: 'not a host name' }] });
    return { http: `${req.protocol}://${host}`, host: host.replace(/:\d+$/, '') };
  }

  r.get('/api/v1/agents/install.sh', {
    schema: { tags, summary: 'The agent installer: curl -fsSL <server>/api/v1/agents/install.sh | sudo sh -s -- --token <T>' },
    config: { access: 'public' },
  }, async (req, reply) => {
    const { http, host } = origin(req);
    const script = installScript({
      httpBase: http, grpcServer: `grpc://${host}:${grpcPort()}`, version: VERSION,
      agentSha256: files.sha256('opsline-agent.mjs'), protoSha256: files.sha256('agent.proto'),
    });
    return reply.header('content-type', 'text/x-shellscript; charset=utf-8').header('cache-control', 'no-store').send(script);
  });

  r.get('/api/v1/agents/download/:file', {
    schema: { tags, summary: 'The agent bundle and its protocol, as install.sh downloads them', params: z.strictObject({ file: z.enum(FILES) }) },
    config: { access: 'public' },
  }, async (req, reply) => {
    const body = readFileSync(files.path(req.params.file));
    return reply
      .header('content-type', req.params.file.endsWith('.mjs') ? 'text/javascript; charset=utf-8' : 'text/plain; charset=utf-8')
      .header('x-checksum-sha256', files.sha256(req.params.file))
      .send(body);
  });
}

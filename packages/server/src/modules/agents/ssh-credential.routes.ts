import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok, SetSshCredentialBody, SshCredentialView } from '@opsline/contracts';
import { AppError } from '../../platform/errors/app-error.js';
import type { TreeModule } from '../tree/index.js';
import type { SshCredentialService } from './ssh-credentials.js';

const tags = ['agents'];

export function sshCredentialRoutes(app: FastifyInstance, tree: TreeModule, ssh: SshCredentialService): void {
  const r = app.withTypeProvider<ZodTypeProvider>();

  async function requireHost(id: string): Promise<{ id: string; hostname: string }> {
    const [host] = await tree.hostTargets([id]);
    if (!host) throw new AppError('HOST_NOT_FOUND');
    return host;
  }

  r.get('/api/v1/hosts/:id/ssh-credential', {
    schema: { tags, summary: 'How the host is reached over SSH (never the password or key)', params: IdParams, response: { 200: SshCredentialView } },
    config: { access: 'agent:read' },
  }, (req) => ssh.get(req.params.id));

  r.post('/api/v1/hosts/:id/ssh-credential', {
    schema: {
      tags, summary: 'Set the SSH credential of an agentless host (password or private key, sealed at rest): scripts then run on it over SSH',
      params: IdParams, body: SetSshCredentialBody, response: { 200: SshCredentialView },
    },
    config: { access: 'agent:admin', audit: 'host.ssh_credential.set' },
  }, async (req) => {
    const host = await requireHost(req.params.id);
    return req.mutate((ctx) => ssh.set(ctx, host, req.body, req.caller().userId));
  });

  r.delete('/api/v1/hosts/:id/ssh-credential', {
    schema: { tags, summary: 'Forget the SSH credential of a host', params: IdParams, response: { 200: Ok } },
    config: { access: 'agent:admin', audit: 'host.ssh_credential.delete' },
  }, async (req) => {
    const host = await requireHost(req.params.id);
    await req.mutate((ctx) => ssh.remove(ctx, host));
    return { ok: true as const };
  });
}

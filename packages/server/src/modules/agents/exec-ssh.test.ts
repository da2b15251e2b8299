import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, sshPeerEnv, treeFixtures, type TestApp } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import type { ExecTaskView } from '@opsline/contracts';

describe('agentless hosts: scripts over SSH through the same API (real sshd)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
  });
  afterAll(() => t.close());

  const task = async (id: string) => (await f.admin().get(`/api/v1/exec/tasks/${id}`)).json<ExecTaskView>();
  const finished = (id: string) =>
    waitFor(async () => {
      const now = await task(id);
      return ['queued', 'running'].includes(now.status) ? undefined : now;
    }, { timeoutMs: 30_000, what: `task ${id} to finish` });
  const exec = async (body: Record<string, unknown>) => {
    const res = await f.admin().post('/api/v1/exec', body);
    expect(res.statusCode, res.body).toBe(202);
    return res.json<{ taskIds: string[] }>().taskIds[0] ?? '';
  };

  it('runs a script over SSH with a stored credential that is never shown or logged, and kills one', async () => {
    const host = await f.host('ssh-only-01', [], { ips: [sshPeerEnv('HOST')] });
    const refused = await f.admin().post('/api/v1/exec', { hostIds: [host.id], script: 'true' });
    expect(refused.json().error.code).toBe('EXEC_NO_EXECUTOR');
    const password = sshPeerEnv('PASSWORD');
    const set = await f.admin().post(`/api/v1/hosts/${host.id}/ssh-credential`, {
      username: sshPeerEnv('USER'), port: Number(sshPeerEnv('PORT')), password, hostKeySha256: sshPeerEnv('HOST_KEY_SHA256'),
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ username: sshPeerEnv('USER'), authMethod: 'password' });
    expect(set.body).not.toContain(password);

    const done = await finished(await exec({ hostIds: [host.id], script: 'echo "hi $1"; id -un', args: ['there'] }));
    expect(done).toMatchObject({ status: 'success', exitCode: 0, stdout: `hi there\n${sshPeerEnv('USER')}\n`, executor: 'ssh' });

    const long = await exec({ hostIds: [host.id], script: 'echo started; sleep 300' });
    await waitFor(async () => (await task(long)).stdout.includes('started'), { timeoutMs: 15_000, what: 'the SSH task to start' });
    expect((await f.admin().post(`/api/v1/exec/tasks/${long}/kill`, {})).statusCode).toBe(200);
    expect(await finished(long)).toMatchObject({ status: 'killed' });

    const audit = await f.admin().get('/api/v1/audit?action=host.ssh_credential.set');
    expect(audit.json().items.length).toBe(1);
    expect(audit.body).not.toContain(password);
    expect(t.logs.join('\n')).not.toContain(password);
  });

  it('names what is wrong with a credential', async () => {
    const host = await f.host('ssh-bad-input', []);
    const both = await f.admin().post(`/api/v1/hosts/${host.id}/ssh-credential`, { username: 'ops', password: 'x', privateKey: 'y' });
    expect(both.statusCode).toBe(400);
    expect(both.json().error.details.issues[0].field).toBe('body.password');
    const badPin = await f.admin().post(`/api/v1/hosts/${host.id}/ssh-credential`, { username: 'ops', password: 'x', hostKeySha256: 'md5:aa' });
    expect(badPin.json().error.details.issues[0].field).toBe('body.hostKeySha256');
  });
});

import { randomUUID } from 'node:crypto';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrollmentTokenView, Page } from '@opsline/contracts';
import { buildTestApp, treeFixtures, type TestApp } from '@opsline/test-utils';
import { protoPath } from './grpc-server.js';

type Client = grpc.Client & {
  Enroll(req: object, opts: grpc.CallOptions, cb: (err: grpc.ServiceError | null, res?: { agentId: string; agentSecret: string }) => void): void;
  Connect(): grpc.ClientDuplexStream<object, { welcome?: object }>;
};

/** A bare gRPC client of agent.proto: these tests play the agent's part call by call. */
function client(port: number): Client {
  const def = protoLoader.loadSync(protoPath(), { keepCase: false, longs: Number, enums: String, bytes: Buffer, defaults: true, oneofs: true });
  const pkg = grpc.loadPackageDefinition(def) as unknown as { opsline: { agent: { v1: { AgentService: grpc.ServiceClientConstructor } } } };
  return new pkg.opsline.agent.v1.AgentService(`127.0.0.1:${port}`, grpc.credentials.createInsecure()) as unknown as Client;
}

describe('enrollment retried with the same enrollment id (its answer lost to a deadline)', () => {
  let t: TestApp;
  let f: ReturnType<typeof treeFixtures>;
  let c: Client;

  beforeAll(async () => {
    t = await buildTestApp();
    f = treeFixtures(t);
    c = client(await t.app.agents.listen('127.0.0.1', 0));
  });
  afterAll(async () => {
    c.close();
    await t.close();
  });

  const enroll = (token: string, enrollmentId: string, hostname = 'enroll-retry-01') =>
    new Promise<{ agentId: string; agentSecret: string }>((resolve, reject) => {
      const facts = { hostname, factsHash: 'f'.repeat(64), ips: ['192.0.2.10'], os: 'Debian', cpuCores: 2, memoryTotalBytes: 2 ** 30 };
      c.Enroll({ enrollmentToken: token, hostname, machineId: 'm'.repeat(32), agentVersion: '0.1.0', facts, enrollmentId }, { deadline: Date.now() + 10_000 }, (err, res) =>
        err || !res ? reject(err ?? new Error('no answer')) : resolve(res));
    });

  /** Opens a Connect stream with this identity: resolves true when welcomed, false when refused. */
  const connect = (agentId: string, agentSecret: string) =>
    new Promise<boolean>((resolve) => {
      const stream = c.Connect();
      stream.on('data', (m: { welcome?: object }) => {
        if (m.welcome) {
          resolve(true);
          stream.end();
        }
      });
      stream.on('error', () => resolve(false));
      stream.write({ hello: { agentId, agentSecret, agentVersion: '0.1.0', hostname: 'enroll-retry-01', factsHash: 'f'.repeat(64), runningTaskIds: [], maxTasks: 1 } });
    });

  it('gets the same agent with a fresh secret and one use of the token, until the agent first connects', async () => {
    const [, leaf] = await f.chain('enroll.retry', null, { leaf: true });
    const created = await f.admin().post('/api/v1/agents/enrollment-tokens', { name: 'one host', expiresInSec: 3600, maxUses: 1, nodeId: leaf?.id });
    expect(created.statusCode, created.body).toBe(201);
    const { token, id: tokenId } = created.json<{ token: string; id: string }>();
    const enrollmentId = randomUUID();

    const first = await enroll(token, enrollmentId);
    const again = await enroll(token, enrollmentId);
    expect(again.agentId).toBe(first.agentId);
    expect(again.agentSecret).not.toBe(first.agentSecret);
    const tokens = (await f.admin().get('/api/v1/agents/enrollment-tokens')).json<Page<EnrollmentTokenView>>().items;
    expect(tokens.find((x) => x.id === tokenId)).toMatchObject({ uses: 1, state: 'used_up' });
    // Another enrollment (another id) finds the single use spent.
    await expect(enroll(token, randomUUID(), 'enroll-retry-02')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });

    // The secret of the lost answer is void; the latest one connects, and from then on the enrollment cannot be replayed.
    expect(await connect(first.agentId, first.agentSecret)).toBe(false);
    expect(await connect(again.agentId, again.agentSecret)).toBe(true);
    await expect(enroll(token, enrollmentId)).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED, details: expect.stringMatching(/already completed/) });
    expect(await connect(again.agentId, again.agentSecret)).toBe(true);
    const agents = (await f.admin().get('/api/v1/agents?q=enroll-retry')).json<{ items: { id: string }[] }>().items;
    expect(agents.map((a) => a.id)).toEqual([first.agentId]);
  });

  it('does not replay an enrollment for someone without its token', async () => {
    const [, leaf] = await f.chain('enroll2.other', null, { leaf: true });
    const mk = async () => (await f.admin().post('/api/v1/agents/enrollment-tokens', { expiresInSec: 3600, maxUses: 5, nodeId: leaf?.id })).json<{ token: string }>().token;
    const [mine, theirs] = [await mk(), await mk()];
    const enrollmentId = randomUUID();
    await enroll(mine, enrollmentId, 'enroll-other-01');
    await expect(enroll(theirs, enrollmentId, 'enroll-other-01')).rejects.toMatchObject({ code: grpc.status.UNAUTHENTICATED });
  });
});

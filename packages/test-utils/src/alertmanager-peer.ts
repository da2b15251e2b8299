import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from './wait.js';

/**
 * The real Alertmanager binary `npm test` provides (scripts/peers.mjs, peer
 * `alertmanager`) as OPSLINE_ALERTMANAGER_BIN. Missing, the test fails with
 * what to do — never a skip.
 */
export function alertmanagerBin(): string {
  const bin = process.env.OPSLINE_ALERTMANAGER_BIN;
  if (!bin) {
    throw new Error(
      'OPSLINE_ALERTMANAGER_BIN is not set: alert ingest tests need the real Alertmanager. Run them via `npm test` (as root), ' +
        'or install it with `npm run peers -- install alertmanager` and export OPSLINE_ALERTMANAGER_BIN=/usr/bin/prometheus-alertmanager.',
    );
  }
  return bin;
}

/** An alert as Alertmanager's API v2 takes it (POST /api/v2/alerts); an `endsAt` in the past resolves it. */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerOptions {
  /** Where its one receiver posts (webhook_configs url, send_resolved: true). */
  receiverUrl: string;
  groupBy?: string[];
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function configYaml(o: AlertmanagerOptions): string {
  return [
    'route:',
    '  receiver: opsline',
    `  group_by: [${(o.groupBy ?? ['alertname']).map((l) => JSON.stringify(l)).join(', ')}]`,
    `  group_wait: ${o.groupWait ?? '0s'}`,
    `  group_interval: ${o.groupInterval ?? '1s'}`,
    `  repeat_interval: ${o.repeatInterval ?? '1h'}`,
    'receivers:',
    '  - name: opsline',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(o.receiverUrl)}`,
    '        send_resolved: true',
    '',
  ].join('\n');
}

/**
 * Starts an Alertmanager of its own (one per test file) on a free 127.0.0.1
 * port with a generated config and its own storage dir, clustering off, and
 * waits until it is ready. `stop()` ends it and removes its dir.
 */
export async function startAlertmanager(opts: AlertmanagerOptions) {
  const bin = alertmanagerBin();
  const dir = mkdtempSync(join(tmpdir(), 'opsline-alertmanager-'));
  writeFileSync(join(dir, 'alertmanager.yml'), configYaml(opts));
  const port = await freePort();
  const child = spawn(bin, [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=', '--log.level=info',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  let exited: number | null | undefined;
  const gone = new Promise<void>((resolve) => child.on('exit', (code) => resolve(void (exited = code))));
  const url = `http://127.0.0.1:${port}`;

  const stop = async (): Promise<void> => {
    if (exited === undefined) {
      child.kill('SIGTERM');
      await gone;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(async () => {
      if (exited !== undefined) throw new Error(`alertmanager exited (${exited}):\n${output}`);
      return (await fetch(`${url}/-/ready`).catch(() => null))?.ok;
    }, { timeoutMs: 30_000, what: `Alertmanager ready on ${url}` });
  } catch (err) {
    await stop();
    throw err;
  }

  return {
    url,
    output: (): string => output,
    /** Sends alerts to Alertmanager as Prometheus would. */
    async push(alerts: PostableAlert[]): Promise<void> {
      const res = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(alerts) });
      if (!res.ok) throw new Error(`POST /api/v2/alerts: ${res.status} ${await res.text()}`);
    },
    stop,
  };
}

export type AlertmanagerPeer = Awaited<ReturnType<typeof startAlertmanager>>;

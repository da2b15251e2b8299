// The Alertmanager side of `bench alerts`: Debian's prometheus-alertmanager
// (scripts/peers.mjs's `alertmanager` peer) on a free loopback port with its
// own config and storage dir, clustering off, fed through its v2 API.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, onShutdown, startChild, stopChild, waitFor } from '../scripts/lib.mjs';
import { ensurePeerPackages, startPeers } from '../scripts/peers.mjs';
import { postJson, sentAlert } from './_alert-load.mjs';

/**
 * Each alertname+instance its own group, like Opsline's incidents in this
 * bench; a group notifies as soon as it forms (group_wait 0s). Alerts labelled
 * page="yes" go to the sink, the rest to a receiver with no integrations (it
 * still groups them). Alerts without endsAt stay firing for resolve_timeout:
 * an hour, longer than any run.
 */
function config(sinkUrl) {
  return [
    'global:',
    '  resolve_timeout: 1h',
    'route:',
    '  receiver: quiet',
    "  group_by: ['alertname', 'instance']",
    '  group_wait: 0s',
    '  group_interval: 1m',
    '  repeat_interval: 4h',
    '  routes:',
    '    - receiver: sink',
    "      matchers: ['page=\"yes\"']",
    'receivers:',
    '  - name: quiet',
    '  - name: sink',
    '    webhook_configs:',
    `      - url: ${JSON.stringify(sinkUrl)}`,
    '        send_resolved: false',
    '',
  ].join('\n');
}

/** Installs (as root) or names the package; call before anything slow. */
export const ensureAlertmanager = () => ensurePeerPackages(['alertmanager']);

/** Starts Alertmanager notifying `sinkUrl`; answers a bench target (see bench/_alert-load.mjs) with `count()` and `stop()`. */
export async function startAlertmanager(sinkUrl) {
  const bin = (await startPeers(['alertmanager'])).env.OPSLINE_ALERTMANAGER_BIN;
  const dir = mkdtempSync(join(tmpdir(), 'opsline-bench-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config(sinkUrl));
  const port = await freePort();
  const proc = startChild(bin, [
    `--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=', '--log.level=warn',
  ]);
  let exited = null;
  void proc.exited.then((r) => (exited = r));
  const stop = async () => {
    await stopChild(proc, 10_000);
    rmSync(dir, { recursive: true, force: true });
  };
  onShutdown(() => {
    proc.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitFor(async () => (await fetch(`${base}/-/ready`)).ok, {
      timeoutMs: 30_000,
      what: `Alertmanager ready on ${base}`,
      failIf: () => exited && `alertmanager exited (${exited.signal ?? exited.code})`,
    });
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    name: 'alertmanager',
    pid: proc.child.pid,
    answersCounts: false,
    // Its API takes labels, annotations, startsAt, endsAt, generatorURL: the fingerprint is its own to compute.
    body: (alerts) => JSON.stringify(alerts.map((a) => sentAlert({ labels: a.labels, annotations: a.annotations }))),
    post: async (body) => void (await postJson(`${base}/api/v2/alerts`, body, 'alertmanager POST /api/v2/alerts')),
    /** How many alerts it holds (firing; ours never resolve during a run). */
    async count() {
      const res = await fetch(`${base}/api/v2/alerts`);
      if (!res.ok) throw new Error(`alertmanager GET /api/v2/alerts answered ${res.status}`);
      return (await res.json()).length;
    },
    stop,
  };
}

// `npm run bench -- alerts`: alert ingest and paging, Opsline beside Debian's
// Alertmanager (0.25). Opsline: a fresh built server on PGlite, then on a
// throwaway PostgreSQL, with one Alertmanager integration; `--concurrency`
// senders post Alertmanager webhook (v4) batches of `--batch` alerts to
// /api/v1/integrations/<key>/alertmanager, as Alertmanager would. Alertmanager:
// the same alerts, batches and senders on POST /api/v2/alerts. Each alert is
// a group of its own on both sides (group_by alertname+instance; Opsline's
// incident settings likewise), and a new alert labelled page="yes" notifies a
// local HTTP sink (bench/_sink.mjs) at once (group wait 0): Opsline through a
// routing rule, an escalation policy and a webhook channel, Alertmanager
// through a webhook receiver. Bulk alerts carry page="no" (`--page-all`: yes).
//
// Phases, each `--batches` batches: new alerts only, repeats of them only, a
// mix (`--repeat` of each batch repeats). `--probes` probe alerts are spread
// over each phase's batches (`notifyUnderLoadMs`: from a probe's POST to its
// message at the sink); after the batches one more, whose notification means
// everything before it went through (`drainMs`; `processedPerSec` counts it
// in; a probe still missing then is `lost`). `--probes` probes also go one
// after another, each once the last was notified: on the fresh side first
// (`notifyMs`), and again after the phases, every bulk alert still open
// (`notifyAfterLoadMs`). Every batch must answer 200 (Opsline: committed, and
// its fired/repeated counts must add up; Alertmanager must hold every alert
// at the end); one whose connection fails without an answer is sent again,
// as Alertmanager would, and counted in `resets`. A probe not notified within
// `--notify-timeout` seconds is `lost` too (and the drain `null`).
//
// Memory: RSS (VmRSS) before and after the new alerts (drained), per 100,000
// groups, extrapolated linearly from `measuredGroups`. Alertmanager keeps all
// of it in memory; Opsline on PGlite keeps the database engine and its buffers
// in the server process (the tables are files), and on PostgreSQL neither
// (the database's own processes are not counted). The machine's other work
// shows in every figure (`config.load1AtStart`/`load1AtEnd`): run it twice
// before believing a difference.
//
// Prints ONE JSON line:
//   {bench:'alerts', machine, node, config, results:{pglite:{newPerSec, repeatPerSec, mixedPerSec, notifyMs:{n,p50,p99,max,lost},
//    notifyUnderLoadMs:{new,repeat,mixed}, notifyAfterLoadMs:{…}, processedPerSec:{…}, drainMs:{…}, batchMs:{…}, serverCpuSec:{…}, resets:{…, quiet},
//    rssMiB:{start,afterNew,end}, memoryPer100kGroupsMiB, measuredGroups}, postgres:{…}, alertmanager:{…}},
//    ratios:{pglite:{…}, postgres:{…}}}
// ratios are Opsline / Alertmanager: speeds want ≥ 1, notification times and memory ≤ 1.
// Options: --batches 300  --batch 100  --concurrency 8  --repeat 0.5  --probes 50  --notify-timeout 1800  --page-all
//          --only pglite|postgres|alertmanager
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { buildIfStale } from '../scripts/build.mjs';
import { log, logToStderr } from '../scripts/lib.mjs';
import { runPhases } from './_alert-load.mjs';
import { ensureAlertmanager, startAlertmanager } from './_alertmanager.mjs';
import { opslineTarget } from './_opsline-alerts.mjs';
import { round1 } from './_proc.mjs';
import { machine, onBackends, startServer } from './_server.mjs';
import { startSink } from './_sink.mjs';

const { values: opt } = parseArgs({
  options: {
    batches: { type: 'string', default: '300' },
    batch: { type: 'string', default: '100' },
    concurrency: { type: 'string', default: '8' },
    repeat: { type: 'string', default: '0.5' },
    probes: { type: 'string', default: '50' },
    'notify-timeout': { type: 'string', default: '1800' },
    'page-all': { type: 'boolean', default: false },
    only: { type: 'string' },
  },
});
const CONFIG = {
  batches: Number(opt.batches), batch: Number(opt.batch), concurrency: Number(opt.concurrency), repeat: Number(opt.repeat), probes: Number(opt.probes), pageAll: opt['page-all'],
  notifyTimeoutMs: Number(opt['notify-timeout']) * 1000,
};

async function benchOpsline(sink, name, env) {
  log(`bench alerts: ${name}: starting server`);
  const server = await startServer(env);
  try {
    return (await runPhases(await opslineTarget(name, server, sink.url(`/${name}`)), sink, CONFIG)).figures;
  } finally {
    await server.stop();
  }
}

async function benchAlertmanager(sink) {
  log('bench alerts: alertmanager: starting');
  const am = await startAlertmanager(sink.url('/alertmanager'));
  try {
    const { figures, alertsSent } = await runPhases(am, sink, CONFIG);
    const held = await am.count();
    if (held !== alertsSent) throw new Error(`alertmanager holds ${held} alerts, ${alertsSent} distinct ones were sent`);
    return figures;
  } finally {
    await am.stop();
  }
}

/** Opsline / Alertmanager for one backend. */
function ratios(ours, am) {
  const r = (a, b) => (a && b ? Math.round((a / b) * 1000) / 1000 : null);
  return {
    newPerSec: r(ours.newPerSec, am.newPerSec),
    repeatPerSec: r(ours.repeatPerSec, am.repeatPerSec),
    notifyP50: r(ours.notifyMs.p50, am.notifyMs.p50),
    notifyUnderLoadP99: r(ours.notifyUnderLoadMs.new.p99, am.notifyUnderLoadMs.new.p99),
    memoryPer100kGroups: r(ours.memoryPer100kGroupsMiB, am.memoryPer100kGroupsMiB),
  };
}

async function main() {
  logToStderr();
  const { batches, batch, concurrency, repeat, probes, notifyTimeoutMs } = CONFIG;
  if (![batches, batch, concurrency].every((n) => Number.isInteger(n) && n >= 1) || !(repeat >= 0 && repeat <= 1) || !(Number.isInteger(probes) && probes >= 0) || !(notifyTimeoutMs > 0)) {
    throw new Error('--batches, --batch, --concurrency: positive integers; --repeat: 0…1; --probes: 0 or more; --notify-timeout: seconds');
  }
  if (opt.only && !['pglite', 'postgres', 'alertmanager'].includes(opt.only)) throw new Error('--only: pglite, postgres or alertmanager');
  const withOpsline = opt.only !== 'alertmanager';
  const withAlertmanager = !opt.only || opt.only === 'alertmanager';
  // Packages and the build first: a missing one should stop the bench before the long part.
  if (withAlertmanager) await ensureAlertmanager();
  if (withOpsline && !(await buildIfStale())) throw new Error('build failed');
  // Other work on the machine shows in every figure: the load before and after says how much there was.
  const load1AtStart = round1(loadavg()[0]);
  const sink = await startSink();
  try {
    const results = withOpsline ? await onBackends(opt.only, 'opsline_bench_alerts', (name, env) => benchOpsline(sink, name, env)) : {};
    if (withAlertmanager) results.alertmanager = await benchAlertmanager(sink);
    const am = results.alertmanager;
    const config = { ...CONFIG, load1AtStart, load1AtEnd: round1(loadavg()[0]) };
    const out = { bench: 'alerts', machine: machine(), node: process.version, config, results };
    if (am && withOpsline) out.ratios = Object.fromEntries(Object.entries(results).filter(([k]) => k !== 'alertmanager').map(([k, v]) => [k, ratios(v, am)]));
    console.log(JSON.stringify(out));
  } finally {
    await sink.close();
  }
}

try {
  await main();
  process.exit(0);
} catch (err) {
  console.error(`[opsline] bench alerts failed: ${err.stack ?? err}`);
  process.exit(1);
}

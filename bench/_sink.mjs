// The far end of the alert benchmark's notifications: a node:http server on
// 127.0.0.1 that answers 200 at once and notes when each probe token first
// appears in a request body (Opsline's webhook names the incident, whose
// title is the probe's summary; Alertmanager's webhook carries its labels).
import { createServer } from 'node:http';
import { performance } from 'node:perf_hooks';

/** A probe token: `bench-probe-<run>-<n>`, unique per run and alert. */
export const probeToken = (run, n) => `bench-probe-${run}-${n}`;
const TOKEN = /bench-probe-[0-9a-z]+-\d+/g;

export async function startSink() {
  const arrivals = new Map();
  const waiters = new Map();
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const at = performance.now();
      requests++;
      for (const [token] of Buffer.concat(chunks).toString('utf8').matchAll(TOKEN)) {
        if (arrivals.has(token)) continue;
        arrivals.set(token, at);
        waiters.get(token)?.(at);
        waiters.delete(token);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  return {
    url: (path) => `${base}${path}`,
    /** How many requests arrived so far (all paths). */
    requests: () => requests,
    /** Resolves to the performance.now() when `token` first arrived, or null once `deadline` (performance.now() ms) passed. */
    arrival(token, deadline) {
      if (arrivals.has(token)) return Promise.resolve(arrivals.get(token));
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          waiters.delete(token);
          resolve(null);
        }, Math.max(0, deadline - performance.now()));
        waiters.set(token, (at) => {
          clearTimeout(timer);
          resolve(at);
        });
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

// `npm run dev`: the server under `tsx watch` and Vite's dev server for the
// console, side by side (Vite proxies /api to the server, see
// packages/web/vite.config.ts). Ctrl-C or SIGTERM stops both; if one exits,
// the other is stopped too, so a crashed half never keeps running unnoticed.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bin, log, ROOT, startChild, stopChild } from './lib.mjs';

const port = process.env.OPSLINE_PORT ?? '8080';
const env = {
  ...process.env,
  OPSLINE_LOG_LEVEL: process.env.OPSLINE_LOG_LEVEL ?? 'info',
  // vite.config.ts proxies /api to OPSLINE_API_URL: follow the server's port.
  OPSLINE_API_URL: process.env.OPSLINE_API_URL ?? `http://127.0.0.1:${port}`,
};

const children = [];
if (existsSync(join(ROOT, 'packages/server/src/main.ts'))) {
  log('dev: server (tsx watch packages/server/src/main.ts serve)');
  children.push({ name: 'server', ...startChild(bin('tsx'), ['watch', 'packages/server/src/main.ts', 'serve'], { env }) });
} else log('dev: packages/server/src/main.ts does not exist yet, server not started');
if (existsSync(join(ROOT, 'packages/web/vite.config.ts'))) {
  log('dev: web (vite in packages/web, proxying /api to ' + env.OPSLINE_API_URL + ')');
  // Loopback only, like the server's default host.
  children.push({ name: 'web', ...startChild(bin('vite'), ['--host', '127.0.0.1'], { cwd: join(ROOT, 'packages/web'), env }) });
} else log('dev: packages/web/vite.config.ts does not exist yet, web not started');

if (children.length === 0) process.exit(1);

let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  await Promise.all(children.map((c) => stopChild(c, 5000)));
  process.exit(code);
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void stopAll(0));
for (const c of children) {
  void c.exited.then(({ code, signal }) => {
    if (stopping) return;
    log(`dev: ${c.name} exited (${signal ?? code}); stopping the rest`);
    void stopAll(code || 1);
  });
}

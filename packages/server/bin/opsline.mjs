#!/usr/bin/env node
// The `opsline` command: runs the bundled server (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist/main.js', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('opsline: the server is not built yet; run `npm run build` in the repository root\n');
  process.exit(1);
}
await import(bundle.href);

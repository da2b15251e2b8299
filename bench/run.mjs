// `npm run bench -- <name> [args…]`: runs bench/<name>.mjs, which prints one
// JSON line of figures. Benchmarks are never timed tests: run them on purpose.
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('.', import.meta.url));
const names = readdirSync(dir)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs' && !f.startsWith('_'))
  .map((f) => f.slice(0, -'.mjs'.length))
  .sort();

const [name, ...args] = process.argv.slice(2);
if (!name || !names.includes(name)) {
  console.error(`${name ? `unknown benchmark "${name}". ` : ''}usage: npm run bench -- <name>\nbenchmarks: ${names.join(', ')}`);
  process.exit(2);
}
process.argv = [process.argv[0], `${dir}${name}.mjs`, ...args];
await import(pathToFileURL(`${dir}${name}.mjs`).href);

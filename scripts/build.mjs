// Builds the server bundle and the web console.
//
//   node scripts/build.mjs server        esbuild packages/server/src/main.ts → packages/server/dist/main.js
//   node scripts/build.mjs web           vite build in packages/web
//   node scripts/build.mjs web-if-stale  each of the two only when its output is older than its sources
//   node scripts/build.mjs               both
//
// This is the root `prepare` script, so it runs at every `npm install`/`npm ci`:
// a part whose sources are absent is skipped with a notice, never an error.
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bin, fmtMs, log, ROOT, run } from './lib.mjs';

const SERVER = join(ROOT, 'packages/server');
const SERVER_ENTRY = join(SERVER, 'src/main.ts');
const SERVER_OUT = join(SERVER, 'dist/main.js');
const AGENT_ENTRY = join(ROOT, 'packages/agent/src/main.ts');
/** The agent as one file the server hands to hosts (install.sh), with its protocol beside it. */
const AGENT_OUT = join(SERVER, 'dist/agent/opsline-agent.mjs');
const REQUIRE_BANNER = "import { createRequire as __opslineCreateRequire } from 'node:module';\nconst require = __opslineCreateRequire(import.meta.url);";
const WEB = join(ROOT, 'packages/web');
const WEB_OUT = join(WEB, 'dist/index.html');

const readJson = (p) => JSON.parse(readFileSync(p, 'utf8'));

/** Workspace packages by name → dir, read from the root package.json. */
function workspaces() {
  const map = new Map();
  for (const ws of readJson(join(ROOT, 'package.json')).workspaces ?? []) {
    const pj = join(ROOT, ws, 'package.json');
    if (existsSync(pj)) map.set(readJson(pj).name, join(ROOT, ws));
  }
  return map;
}

/**
 * The workspace packages the server bundles (itself and the @opsline/* it
 * depends on, transitively) and the npm dependencies they declare, which stay
 * external: native addons (argon2, duckdb), wasm assets (PGlite) and
 * dynamic requires must load from node_modules as published.
 */
function serverGraph() {
  const ws = workspaces();
  const bundled = new Set();
  const external = new Set();
  const visit = (dir) => {
    if (bundled.has(dir)) return;
    bundled.add(dir);
    for (const dep of Object.keys(readJson(join(dir, 'package.json')).dependencies ?? {})) {
      if (ws.has(dep)) visit(ws.get(dep));
      else external.add(dep);
    }
  };
  visit(SERVER);
  return { bundled: [...bundled], external: [...external], workspaceNames: [...ws.keys()] };
}

/** Newest mtime of any file under the given paths (files or dirs); 0 if none. */
function newestMtime(paths) {
  let newest = 0;
  const walk = (p) => {
    if (!existsSync(p)) return;
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const e of readdirSync(p)) if (e !== 'node_modules' && e !== 'dist') walk(join(p, e));
    } else newest = Math.max(newest, st.mtimeMs);
  };
  paths.forEach(walk);
  return newest;
}

function isStale(output, inputs) {
  return !existsSync(output) || statSync(output).mtimeMs < newestMtime(inputs);
}

// Bare imports that are neither a declared dependency nor a workspace package
// would silently get bundled; fail instead so package.json stays truthful.
function undeclaredImportsPlugin({ external, workspaceNames }) {
  const pkgOf = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
  return {
    name: 'opsline-undeclared-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('node:')) return undefined;
        const pkg = pkgOf(args.path);
        if (external.includes(pkg) || workspaceNames.includes(pkg)) return undefined;
        return {
          errors: [{ text: `"${args.path}" is imported but "${pkg}" is not in the dependencies of packages/server (or of a workspace package it uses)` }],
        };
      });
    },
  };
}

export async function buildServer() {
  if (!existsSync(SERVER_ENTRY)) {
    log(`build server: skipped, ${relative(ROOT, SERVER_ENTRY)} does not exist yet`);
    return true;
  }
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    // e.g. an install without devDependencies: nothing to build with.
    log('build server: skipped, esbuild is not installed');
    return true;
  }
  const graph = serverGraph();
  const started = Date.now();
  const rootVersion = () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;
  const options = {
    absWorkingDir: ROOT,
    entryPoints: [SERVER_ENTRY],
    outfile: SERVER_OUT,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Workspace packages export TS source, so they are bundled; npm deps are not.
    external: graph.external,
    plugins: [undeclaredImportsPlugin(graph)],
    logLevel: 'warning',
    legalComments: 'none',
    // The version the server reports (health, OpenAPI, start-up line) is the root package's.
    define: { __OPSLINE_VERSION__: JSON.stringify(rootVersion()) },
  };
  try {
    // First pass in memory: only when bundled code calls require() (esbuild's
    // __require shim) does the ESM output need a real `require`; adding it
    // unconditionally could clash with a module's own top-level `require`.
    const probe = await esbuild.build({ ...options, write: false });
    const js = probe.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? '';
    const needsRequire = js.includes('Dynamic require of "');
    await esbuild.build({
      ...options,
      banner: needsRequire
        ? { js: REQUIRE_BANNER }
        : undefined,
    });
    // The bundled agent (`opsline agent`) looks for its protocol beside the running file.
    copyFileSync(join(ROOT, 'proto/agent/v1/agent.proto'), join(dirname(SERVER_OUT), 'agent.proto'));
    await buildAgentBundle(esbuild, options.define);
    log(`build server: ${relative(ROOT, SERVER_OUT)} in ${fmtMs(Date.now() - started)}${needsRequire ? ' (with createRequire banner)' : ''}`);
    return true;
  } catch {
    // esbuild already printed the errors with locations.
    log('build server: FAILED');
    return false;
  }
}

/** Everything the agent needs in one ESM file (npm deps included): hosts only need Node.js. */
async function buildAgentBundle(esbuild, define) {
  await bundleWithAgentProto(esbuild, AGENT_ENTRY, AGENT_OUT, { define, banner: `#!/usr/bin/env node\n${REQUIRE_BANNER}` });
}

/** One ESM file of `entry` with its npm deps, agent.proto beside it (the agent looks for it there). */
async function bundleWithAgentProto(esbuild, entry, outfile, { define, banner = REQUIRE_BANNER } = {}) {
  await esbuild.build({
    absWorkingDir: ROOT, entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'esm', target: 'node20',
    banner: { js: banner }, define, logLevel: 'error', legalComments: 'none',
  });
  copyFileSync(join(ROOT, 'proto/agent/v1/agent.proto'), join(dirname(outfile), 'agent.proto'));
}

/**
 * A script using the agent library, bundled like the shipped agent (for the
 * fan-out benchmark's pools: plain Node, without tsx compiling TS in them).
 */
export async function bundleAgentScript(entry, outfile) {
  await bundleWithAgentProto(await import('esbuild'), entry, outfile);
}

export async function buildWeb() {
  if (!existsSync(join(WEB, 'index.html'))) {
    log('build web: skipped, packages/web/index.html does not exist yet');
    return true;
  }
  const started = Date.now();
  const r = await run(bin('vite'), ['build'], { cwd: WEB, timeoutMs: 10 * 60_000 });
  log(`build web: ${r.code === 0 ? 'done' : 'FAILED'} in ${fmtMs(Date.now() - started)}`);
  return r.code === 0;
}

export function serverIsStale() {
  const { bundled } = serverGraph();
  return isStale(SERVER_OUT, bundled.flatMap((d) => [join(d, 'src'), join(d, 'package.json')]));
}

export function webIsStale() {
  const inputs = ['src', 'index.html', 'vite.config.ts', 'public', 'package.json'].map((p) => join(WEB, p));
  // The console also bundles the contracts package.
  return isStale(WEB_OUT, [...inputs, join(ROOT, 'packages/contracts/src')]);
}

/** Builds what is missing or older than its sources; used by `npm start`, e2e and benchmarks. */
export async function buildIfStale() {
  let ok = true;
  if (serverIsStale()) ok = (await buildServer()) && ok;
  else log('build server: up to date');
  if (webIsStale()) ok = (await buildWeb()) && ok;
  else log('build web: up to date');
  return ok;
}

async function main(mode = 'all') {
  switch (mode) {
    case 'server':
      return buildServer();
    case 'web':
      return buildWeb();
    case 'web-if-stale':
      return buildIfStale();
    case 'all':
      return (await buildServer()) && (await buildWeb());
    default:
      console.error(`usage: node scripts/build.mjs [server|web|web-if-stale]  (got "${mode}")`);
      return false;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  process.exit((await main(process.argv[2])) ? 0 : 1);
}

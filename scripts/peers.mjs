// System peers the tests and benchmarks need (PostgreSQL, Chromium, later
// Prometheus, Alertmanager, sshd): install the Debian packages when missing,
// start them on 127.0.0.1 in a temp dir, stop them afterwards.
//
// Adding a peer = one entry in PEERS: its Debian packages, a probe for an
// already-present binary, the env var tests read, and a start() returning
// {url, stop()} where stop() is synchronous and idempotent (it also runs from
// the 'exit' handler, which cannot await).
//
// CLI:  node scripts/peers.mjs install [peer…]   install missing packages
//       node scripts/peers.mjs up [peer…]        start peers, print their env, run until Ctrl-C
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childStdio, freePort, log, onShutdown, waitFor } from './lib.mjs';

const isRoot = process.getuid?.() === 0;

export const PEERS = {
  postgres: {
    packages: ['postgresql'],
    present: () => pgBinDir() !== null,
    env: 'OPSLINE_TEST_PG_URL',
    start: startPostgres,
  },
  chromium: {
    // A CJK font so the zh-CN console renders text, not boxes, in screenshots.
    packages: ['chromium', 'fonts-wqy-microhei'],
    present: () => existsSync('/usr/bin/chromium'),
    env: 'OPSLINE_CHROMIUM',
    // Playwright launches the browser itself; the "peer" is just its path.
    start: async () => ({ url: '/usr/bin/chromium', stop() {} }),
  },
};

// ---------------------------------------------------------------- packages

function dpkgInstalled(pkg) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', pkg], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.startsWith('ii');
}

export class MissingPackagesError extends Error {
  constructor(pkgs) {
    super(
      `missing Debian packages: ${pkgs.join(' ')}\n` +
        `install them as root with:\n  apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}`,
    );
    this.packages = pkgs;
  }
}

let aptUpdated = false;

/**
 * Makes sure the Debian packages are installed. As root, installs the missing
 * ones (one `apt-get update` per process); otherwise throws MissingPackagesError
 * naming them. `present` maps a package to a probe for a binary that counts
 * as installed even without the dpkg record (e.g. a hand-installed build).
 */
export async function ensureDebianPackages(pkgs, present = {}) {
  const missing = pkgs.filter((p) => !dpkgInstalled(p) && !present[p]?.());
  if (missing.length === 0) return [];
  if (!isRoot) throw new MissingPackagesError(missing);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // apt can wait on a lock held by another apt; 15 min bounds it.
  const opts = { stdio: childStdio(), env, timeout: 15 * 60_000 };
  if (!aptUpdated) {
    log('apt-get update');
    if (spawnSync('apt-get', ['update'], opts).status !== 0) throw new Error('apt-get update failed');
    aptUpdated = true;
  }
  log(`apt-get install ${missing.join(' ')}`);
  const r = spawnSync('apt-get', ['install', '-y', '--no-install-recommends', ...missing], opts);
  if (r.status !== 0) throw new Error(`apt-get install ${missing.join(' ')} failed`);
  return missing;
}

/** Installs what the named peers need. */
export function ensurePeerPackages(names) {
  const pkgs = [...new Set(names.flatMap((n) => peer(n).packages))];
  // The binary probe stands for the peer's main (first) package only; the others are checked with dpkg.
  const present = Object.fromEntries(names.map((n) => [peer(n).packages[0], peer(n).present]));
  return ensureDebianPackages(pkgs, present);
}

function peer(name) {
  const p = PEERS[name];
  if (!p) throw new Error(`unknown peer "${name}" (known: ${Object.keys(PEERS).join(', ')})`);
  return p;
}

// ---------------------------------------------------------------- postgres

/** The newest /usr/lib/postgresql/<version>/bin, or null. */
export function pgBinDir() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base)
    .filter((v) => existsSync(join(base, v, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(base, versions[0], 'bin') : null;
}

// initdb and postgres refuse to run as root: as root, run them as the
// `postgres` OS user (created by the Debian package) on a dir it owns.
function asPgUser(cmd, args) {
  return isRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
}

function pgUserIds() {
  const id = (flag) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/**
 * Starts a throwaway PostgreSQL on 127.0.0.1 (free port, trust auth, fsync
 * off) in a fresh temp dir. Resolves to {url, dir, port, stop()}; the url is
 * the superuser's, so tests can create a database per test file.
 */
export async function startPostgres({ timeoutMs = 60_000 } = {}) {
  const binDir = pgBinDir();
  if (!binDir) throw new MissingPackagesError(['postgresql']);
  const dir = mkdtempSync(join(tmpdir(), 'opsline-pg-'));
  const dataDir = join(dir, 'data');
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  try {
    if (isRoot) {
      const { uid, gid } = pgUserIds();
      chownSync(dir, uid, gid);
    }
    const [icmd, iargs] = asPgUser(join(binDir, 'initdb'), [
      '-D', dataDir, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync',
    ]);
    const init = spawnSync(icmd, iargs, { encoding: 'utf8', timeout: timeoutMs });
    if (init.status !== 0) throw new Error(`initdb failed:\n${init.stdout}${init.stderr}`);
  } catch (err) {
    removeDir();
    throw err;
  }

  // A freshly picked free port can be taken in between; retry on bind errors.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await launchPostgres({ binDir, dir, dataDir, port, timeoutMs, removeDir });
    } catch (err) {
      if (attempt >= 3 || !/could not bind|Address already in use/i.test(err.message)) {
        removeDir();
        throw err;
      }
      log(`postgres: port ${port} taken, retrying`);
    }
  }
}

async function launchPostgres({ binDir, dir, dataDir, port, timeoutMs, removeDir }) {
  const logFile = join(dir, `postgres-${port}.log`);
  const out = openSync(logFile, 'a');
  if (isRoot) {
    const { uid, gid } = pgUserIds();
    chownSync(logFile, uid, gid);
  }
  // Settings for a disposable test cluster: durability off, enough
  // connections for parallel test workers and benchmark pools.
  const settings = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: dir,
    fsync: 'off',
    synchronous_commit: 'off',
    full_page_writes: 'off',
    max_connections: '300',
    shared_buffers: '128MB',
  };
  const args = ['-D', dataDir, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
  const [cmd, cargs] = asPgUser(join(binDir, 'postgres'), args);
  // Own process group: a Ctrl-C in the terminal should not kill it before
  // our cleanup stops it in order (and removes its dir).
  const child = spawn(cmd, cargs, { stdio: ['ignore', out, out], detached: true });
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.unref();

  const shutdown = () => {
    if (exited !== null) return;
    const [scmd, sargs] = asPgUser(join(binDir, 'pg_ctl'), ['stop', '-D', dataDir, '-m', 'fast', '-w', '-t', '20']);
    const r = spawnSync(scmd, sargs, { stdio: 'ignore', timeout: 30_000 });
    if (r.status !== 0) {
      // Fast shutdown did not finish in time: immediate shutdown of the whole group.
      try {
        process.kill(-child.pid, 'SIGQUIT');
      } catch {
        /* already gone */
      }
    }
  };
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    shutdown();
    removeDir();
  };

  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  try {
    await waitFor(
      () => {
        const r = spawnSync(join(binDir, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-t', '2']);
        return r.status === 0;
      },
      {
        timeoutMs,
        what: `postgres on 127.0.0.1:${port}`,
        failIf: () => exited && `postgres exited (${exited.signal ?? exited.code}):\n${readFileSync(logFile, 'utf8')}`,
      },
    );
  } catch (err) {
    // The caller retries (same data dir) on bind errors, else removes the dir.
    shutdown();
    throw err;
  } finally {
    closeSync(out);
  }
  onShutdown(stop);
  return { url, port, dir, stop };
}

/** Creates a database on a started PostgreSQL; returns its url. */
export function createDatabase(serverUrl, name) {
  const u = new URL(serverUrl);
  const r = spawnSync(
    join(pgBinDir(), 'psql'),
    ['-h', u.hostname, '-p', u.port, '-U', u.username, '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE "${name}"`],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (r.status !== 0) throw new Error(`CREATE DATABASE ${name} failed: ${r.stderr}`);
  u.pathname = `/${name}`;
  return u.toString();
}

// ---------------------------------------------------------------- several

/** Starts the named peers; resolves to {env, stop()} with each peer's url under its env var. */
export async function startPeers(names) {
  const started = [];
  const stop = () => {
    while (started.length) started.pop().stop();
  };
  try {
    for (const n of names) started.push({ name: n, ...(await peer(n).start()) });
  } catch (err) {
    stop();
    throw err;
  }
  const env = Object.fromEntries(started.map((s) => [peer(s.name).env, s.url]));
  return { env, stop };
}

// ---------------------------------------------------------------- CLI

async function main([cmd = 'up', ...names]) {
  if (names.length === 0) names = Object.keys(PEERS);
  try {
    await ensurePeerPackages(names);
    if (cmd === 'install') return 0;
    if (cmd !== 'up') {
      console.error('usage: node scripts/peers.mjs install|up [peer…]');
      return 2;
    }
    const { env } = await startPeers(names);
    for (const [k, v] of Object.entries(env)) console.log(`export ${k}=${v}`);
    log('peers up; Ctrl-C stops them');
    // Stay alive until a signal; onShutdown's handlers stop the peers and exit.
    setInterval(() => {}, 1 << 30);
    return null;
  } catch (err) {
    console.error(`[opsline] ${err.message}`);
    return 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await main(process.argv.slice(2));
  if (code !== null) process.exit(code);
}

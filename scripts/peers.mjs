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
//
// A peer whose tests need more than one value (sshd: port, user, key…) also
// returns `env`, merged into what startPeers exports.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { childStdio, freePort, log, onShutdown, waitFor } from './lib.mjs';

const isRoot = process.getuid?.() === 0;
const ALERTMANAGER = '/usr/bin/prometheus-alertmanager';

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
  openssl: {
    // The agent's TLS test issues a throwaway CA and server certificate with it (Node cannot).
    packages: ['openssl'],
    present: () => existsSync('/usr/bin/openssl'),
    env: 'OPSLINE_OPENSSL',
    start: async () => ({ url: '/usr/bin/openssl', stop() {} }),
  },
  alertmanager: {
    // Tests start one Alertmanager per file (packages/test-utils/src/alertmanager-peer.ts): its receiver URL
    // names that file's server port, so the peer is just the binary's path.
    packages: ['prometheus-alertmanager'],
    present: () => existsSync(ALERTMANAGER),
    env: 'OPSLINE_ALERTMANAGER_BIN',
    start: async () => ({ url: ALERTMANAGER, stop() {} }),
  },
  sshd: {
    // sudo and python3: the SSH executor's tests run tasks as another user and in python.
    packages: ['openssh-server', 'sudo', 'python3'],
    present: () => existsSync(SSHD),
    env: 'OPSLINE_TEST_SSH_HOST',
    start: startSshd,
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

// ---------------------------------------------------------------- sshd

const SSHD = '/usr/sbin/sshd';

function run0(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 30_000, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.error?.message ?? r.stderr}`);
  return r.stdout;
}

const keygen = (file) => run0('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'opsline-test', '-f', file]);

/**
 * A user of its own per run (several runs may share a machine, and each
 * sets a fresh random password), with its home in the peer's dir.
 */
function createSshUser(dir) {
  const name = `opsline-ssh-${randomBytes(4).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  run0('useradd', ['--create-home', '--home-dir', join(dir, 'home'), '--shell', '/bin/bash', '--user-group', name]);
  run0('chpasswd', [], { input: `${name}:${password}\n` });
  return { name, password };
}

function sshdConfig({ dir, port, users, extra }) {
  return [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'keys', 'authorized_keys')}`,
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    // Root only with the generated key: the executor's run-as tests sign in as root and sudo to the test user.
    'PermitRootLogin prohibit-password',
    `AllowUsers ${users.join(' ')}`,
    'UsePAM no',
    'StrictModes no',
    // Tests open many connections at once; the defaults drop some of them.
    'MaxStartups 200',
    'MaxSessions 50',
    'Subsystem sftp internal-sftp',
    'LogLevel VERBOSE',
    ...extra,
    '',
  ].join('\n');
}

/**
 * Starts a throwaway OpenSSH server on 127.0.0.1 (free port) with a generated
 * host key, password and public-key sign-in, and, as root, a test user with a
 * random password; the generated client key is authorized for it (and for
 * root). Resolves to {url, env, stop()}: env holds what the SSH executor's
 * tests read (OPSLINE_TEST_SSH_*). Not root: sshd can only sign in the
 * current user, by key, so no password and no run-as user are exported.
 */
export async function startSshd({ timeoutMs = 30_000 } = {}) {
  if (!existsSync(SSHD)) throw new MissingPackagesError(['openssh-server']);
  const dir = mkdtempSync(join(tmpdir(), 'opsline-sshd-'));
  let user = null;
  const cleanup = () => {
    // -f: also when a test left a process of the user running (it is gone with the user's session anyway).
    if (user?.password) spawnSync('userdel', ['-f', user.name], { stdio: 'ignore', timeout: 30_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    keygen(join(dir, 'host_ed25519'));
    keygen(join(dir, 'client_ed25519'));
    // sshd reads authorized_keys as the signing-in user: the dir must be passable, the file readable.
    chmodSync(dir, 0o711);
    mkdirSync(join(dir, 'keys'), { mode: 0o755 });
    copyFileSync(join(dir, 'client_ed25519.pub'), join(dir, 'keys', 'authorized_keys'));
    chmodSync(join(dir, 'keys', 'authorized_keys'), 0o644);
    user = isRoot ? createSshUser(dir) : { name: userInfo().username, password: null };
    // Debian's sshd refuses to start as root without its privilege separation dir (made by systemd on a host).
    if (isRoot) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  } catch (err) {
    cleanup();
    throw err;
  }
  const hostKeySha256 = run0('ssh-keygen', ['-l', '-E', 'sha256', '-f', join(dir, 'host_ed25519.pub')]).split(' ')[1];
  const users = isRoot ? [user.name, 'root'] : [user.name];
  // OpenSSH 9.8+ penalizes an address after failed sign-ins, which the tests make on purpose; older ones lack the option.
  const extra = sshdAccepts(dir, users, 'PerSourcePenalties no') ? ['PerSourcePenalties no'] : [];

  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      const { stop } = await launchSshd({ dir, port, config: sshdConfig({ dir, port, users, extra }), timeoutMs, cleanup });
      const env = {
        OPSLINE_TEST_SSH_PORT: String(port),
        OPSLINE_TEST_SSH_USER: user.name,
        OPSLINE_TEST_SSH_KEY_FILE: join(dir, 'client_ed25519'),
        OPSLINE_TEST_SSH_HOST_KEY_SHA256: hostKeySha256,
        ...(isRoot && { OPSLINE_TEST_SSH_PASSWORD: user.password, OPSLINE_TEST_SSH_ADMIN_USER: 'root' }),
      };
      return { url: '127.0.0.1', port, dir, env, stop };
    } catch (err) {
      if (attempt >= 3 || !/Address already in use|Cannot bind/i.test(err.message)) {
        cleanup();
        throw err;
      }
      log(`sshd: port ${port} taken, retrying`);
    }
  }
}

/** Whether this sshd takes a config line (`sshd -t` checks a config without starting). */
function sshdAccepts(dir, users, line) {
  const file = join(dir, 'probe_config');
  writeFileSync(file, sshdConfig({ dir, port: 22, users, extra: [line] }));
  const r = spawnSync(SSHD, ['-t', '-f', file], { stdio: 'ignore', timeout: 30_000 });
  rmSync(file, { force: true });
  return r.status === 0;
}

async function launchSshd({ dir, port, config, timeoutMs, cleanup }) {
  const configFile = join(dir, 'sshd_config');
  writeFileSync(configFile, config);
  const logFile = join(dir, `sshd-${port}.log`);
  const out = openSync(logFile, 'a');
  // sshd re-executes itself, so it wants its absolute path. Own process group, as for postgres.
  const child = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', out, out], detached: true });
  closeSync(out);
  let exited = null;
  child.on('exit', (code, signal) => (exited = { code, signal }));
  child.unref();
  const kill = () => {
    if (exited === null) {
      try {
        process.kill(child.pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
  };
  try {
    await waitFor(() => sshBanner(port), {
      timeoutMs,
      what: `sshd on 127.0.0.1:${port}`,
      failIf: () => exited && `sshd exited (${exited.signal ?? exited.code}):\n${readFileSync(logFile, 'utf8')}`,
    });
  } catch (err) {
    kill();
    throw err;
  }
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    kill();
    cleanup();
  };
  onShutdown(stop);
  return { stop };
}

/** Resolves true once something on the port greets with an SSH banner. */
function sshBanner(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2_000, () => done(false));
    socket.once('data', (d) => done(d.toString('latin1').startsWith('SSH-')));
    socket.once('error', () => done(false));
  });
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
  const env = Object.fromEntries(started.flatMap((s) => [[peer(s.name).env, s.url], ...Object.entries(s.env ?? {})]));
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

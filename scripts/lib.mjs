// Small helpers shared by the scripts: process running, ports, waiting on
// conditions with deadlines, and cleanup on exit/signals. No dependencies.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/** Path of a binary installed in the root node_modules/.bin. */
export function bin(name) {
  return join(ROOT, 'node_modules', '.bin', name);
}

// Benchmarks keep stdout for their one JSON line: logToStderr() sends our
// logs and the output of children started with default stdio to stderr.
let toStderr = false;
export function logToStderr() {
  toStderr = true;
}
export const childStdio = () => (toStderr ? ['inherit', 2, 2] : 'inherit');

export function log(msg) {
  (toStderr ? process.stderr : process.stdout).write(`[opsline] ${msg}\n`);
}

// Children we started, so a signal can be forwarded to them before we exit.
const children = new Set();

/**
 * Runs a command with inherited stdio; resolves to {code, signal} (never
 * rejects on a non-zero exit: callers decide what a failure means).
 * opts.timeoutMs bounds it: the child gets SIGTERM, then SIGKILL 5 s later.
 */
export function run(cmd, args = [], opts = {}) {
  const { timeoutMs, ...spawnOpts } = opts;
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: childStdio(), cwd: ROOT, ...spawnOpts });
    children.add(child);
    let timedOut = false;
    let killTimer;
    const timer = timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          process.stderr.write(`[opsline] ${cmd} ${args.join(' ')}: timed out after ${timeoutMs / 1000}s\n`);
          child.kill('SIGTERM');
          killTimer = setTimeout(() => child.kill('SIGKILL'), 5000);
        }, timeoutMs)
      : undefined;
    child.on('error', (err) => {
      children.delete(child);
      clearTimeout(timer);
      reject(err);
    });
    child.on('exit', (code, signal) => {
      children.delete(child);
      clearTimeout(timer);
      clearTimeout(killTimer);
      resolve({ code: timedOut && code === 0 ? 1 : code, signal, timedOut });
    });
  });
}

/** Like run() but throws when the command does not exit 0. */
export async function runOk(cmd, args = [], opts = {}) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} failed (${r.signal ?? `exit ${r.code}`})`);
  }
}

/** Starts a long-running child (server, watcher) that stop() kills; tracked for signals. */
export function startChild(cmd, args = [], opts = {}) {
  const child = spawn(cmd, args, { stdio: childStdio(), cwd: ROOT, ...opts });
  children.add(child);
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    });
    child.on('error', (err) => {
      children.delete(child);
      resolve({ code: 127, signal: null, error: err });
    });
  });
  return { child, exited };
}

/** Asks a child to stop, escalating to SIGKILL after graceMs; resolves when it exited. */
export async function stopChild({ child, exited }, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const r = await exited;
  clearTimeout(t);
  return r;
}

/** A free TCP port on 127.0.0.1 (the OS picks; tiny race accepted, callers retry on EADDRINUSE). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Polls `check` until it returns a truthy value or the deadline passes.
 * The short pause between polls is not a timing assumption: correctness only
 * depends on the condition, the deadline bounds the wait. Errors thrown by
 * `check` count as "not yet"; `failIf` returning a message aborts at once
 * (e.g. the process we wait on has exited).
 */
export async function waitFor(check, { timeoutMs = 30_000, intervalMs = 100, what = 'condition', failIf } = {}) {
  const deadline = Date.now() + timeoutMs;
  let lastErr;
  for (;;) {
    const fatal = failIf?.();
    if (fatal) throw new Error(`while waiting for ${what}: ${fatal}`);
    try {
      const v = await check();
      if (v) return v;
    } catch (err) {
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}${lastErr ? `: ${lastErr.message}` : ''}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

// Cleanups run once, synchronously, at exit or on a signal: 'exit' handlers
// cannot await, so every registered cleanup must be synchronous.
const cleanups = [];
let hooked = false;

export function onShutdown(fn) {
  cleanups.push(fn);
  if (hooked) return;
  hooked = true;
  process.on('exit', runCleanups);
  for (const [sig, num] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
    process.on(sig, () => {
      process.stderr.write(`\n[opsline] ${sig}: stopping children and peers\n`);
      for (const c of children) c.kill(sig);
      runCleanups();
      process.exit(128 + num);
    });
  }
}

export function runCleanups() {
  while (cleanups.length) {
    const fn = cleanups.pop();
    try {
      fn();
    } catch (err) {
      process.stderr.write(`[opsline] cleanup failed: ${err.message}\n`);
    }
  }
}


export function fmtMs(ms) {
  return ms >= 60_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${(ms / 1000).toFixed(1)}s`;
}

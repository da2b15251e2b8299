import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import type { OutputChunk } from '@opsline/agent';
import type { TaskAssignmentInput, TaskResult } from '@opsline/contracts';
import { sshPeerEnv } from '@opsline/test-utils';
import { waitFor } from '@opsline/test-utils/wait';
import { afterEach, describe, expect, it } from 'vitest';
import { runOverSsh, type SshRunOptions, type SshTarget } from './ssh-executor.js';
import { shellQuote } from './ssh-quote.js';

// A real OpenSSH server on this machine (scripts/peers.mjs, peer `sshd`):
// tasks run as a real user, so /proc shows what they left behind.

const sshEnv = sshPeerEnv;

const endpoint = () => ({ host: sshEnv('HOST'), port: Number(sshEnv('PORT')), readyTimeoutMs: 10_000 });
const clientKey = () => readFileSync(sshEnv('KEY_FILE'), 'utf8');
const keyTarget = (): SshTarget => ({ ...endpoint(), username: sshEnv('USER'), privateKey: clientKey(), hostKeySha256: sshEnv('HOST_KEY_SHA256') });
const passwordTarget = (): SshTarget => ({ ...endpoint(), username: sshEnv('USER'), password: sshEnv('PASSWORD') });
/** An account that may sudo to anyone without a password (root on the test sshd). */
const adminTarget = (): SshTarget => ({ ...endpoint(), username: sshEnv('ADMIN_USER'), privateKey: clientKey() });

const run = (task: Omit<TaskAssignmentInput, 'taskId'>, options: SshRunOptions = {}, target: SshTarget = keyTarget()) =>
  runOverSsh(target, { taskId: `t-${randomUUID()}`, ...task }, options);

/** Whether a pid names a running process; a zombie (this machine's init reaps late) is not. */
function pidAlive(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state !== 'Z' && state !== 'X';
}

/** A `name=value` line the task printed. */
function printed(text: string, name: string): string {
  const line = text.split('\n').find((l) => l.startsWith(`${name}=`));
  if (line === undefined) throw new Error(`the task printed no ${name}=… line; stdout was:\n${text}`);
  return line.slice(name.length + 1);
}

/** Collects streamed chunks; `text()` is what arrived so far on a stream. */
function chunkLog() {
  const chunks: OutputChunk[] = [];
  return {
    chunks,
    onOutput: (c: OutputChunk) => void chunks.push(c),
    text: (stream: 'stdout' | 'stderr') => Buffer.concat(chunks.filter((c) => c.stream === stream).map((c) => c.data)).toString('utf8'),
  };
}

const expectEnded = (r: TaskResult) => {
  expect(r.startedAt).not.toBeNull();
  expect(r.finishedAt).toBeGreaterThanOrEqual(r.startedAt ?? Infinity);
};

// The task's dir is where its script is: bash's $0.
const PRINT_DIR = 'echo "dir=${0%/*}"; stat -c "modes=%a" "${0%/*}"; stat -c "file=%a" "$0"';
// A background grandchild that holds the output open: only a group kill ends it.
const GRANDCHILD = 'sleep 300 & echo "child=$!"; wait';

describe('shellQuote', () => {
  it('wraps words in single quotes and writes a quote as \'\\\'\'', () => {
    expect(shellQuote('plain')).toBe("'plain'");
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
    expect(shellQuote("''")).toBe("''\\'''\\'''");
  });

  it('refuses a NUL, which no argv or environment string can carry', () => {
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });

  it('reads back exactly through a real sh, whatever the word holds', () => {
    const words = ['$(touch /tmp/x)', '`id`', 'a; rm -rf /', "it's \"both\"", ' lead and trail ', 'new\nline', '\\n \\\\ \\', '*', '~', '$HOME', '!!', '#', '-n', 'ünï €', "'", ''];
    for (const word of words) {
      const r = spawnSync('sh', ['-c', `printf '%s' ${shellQuote(word)}`], { encoding: 'utf8' });
      expect(r.stdout).toBe(word);
    }
  });
});

/** Task dirs under /tmp that belong to the test user: none may outlive a task, whatever its end. */
function leftoverTaskDirs(): string[] {
  const uid = Number(spawnSync('id', ['-u', sshEnv('USER')], { encoding: 'utf8' }).stdout);
  return readdirSync('/tmp')
    .filter((name) => name.startsWith('opsline-task.'))
    .map((name) => `/tmp/${name}`)
    .filter((path) => statSync(path, { throwIfNoEntry: false })?.uid === uid);
}

describe('runOverSsh against a real sshd', () => {
  afterEach(() => {
    expect(leftoverTaskDirs()).toEqual([]);
  });

  it('runs echo signed in with a password', async () => {
    const r = await run({ script: 'echo "hello from $(id -un)"' }, {}, passwordTarget());
    expect(r).toMatchObject({ status: 'success', exitCode: 0, signal: null, stdout: `hello from ${sshEnv('USER')}\n`, stderr: '', error: null });
    expect(r.stdoutBytes).toBe(r.stdout.length);
    expectEnded(r);
  });

  it('runs echo signed in with a key, the host key pinned, output streamed in chunks', async () => {
    const log = chunkLog();
    const r = await run({ script: 'echo one; echo two >&2; echo three' }, { onOutput: log.onOutput });
    expect(r).toMatchObject({ status: 'success', exitCode: 0, stdout: 'one\nthree\n', stderr: 'two\n', stdoutBytes: 10, stderrBytes: 4 });
    expect(log.text('stdout')).toBe('one\nthree\n');
    expect(log.text('stderr')).toBe('two\n');
    expect(log.chunks.map((c) => c.seq)).toEqual(log.chunks.map((_, i) => i + 1));
  });

  it('reports a non-zero exit as failed with its code, and stderr apart from stdout', async () => {
    const r = await run({ script: 'echo partial; echo "it broke" >&2; exit 3' });
    expect(r).toMatchObject({ status: 'failed', exitCode: 3, signal: null, stdout: 'partial\n', stderr: 'it broke\n', error: null });
    expectEnded(r);
  });

  it('passes args, env and params literally: no $(…), `…`, ; or quote is ever run', async () => {
    const marker = `/tmp/opsline-ssh-pwned-${randomUUID()}`;
    const nasty = [`$(touch ${marker})`, `\`touch ${marker}\``, `a; touch ${marker}`, `it's "quoted"`, '  spaced  out  ', '', 'line\nbreak', '$HOME', '*'];
    const r = await run({
      script: 'printf "[%s]\\n" "$@"; printf "env=[%s]\\n" "$ALSO"; printf "param=[%s]\\n" "$OPSLINE_PARAM_EVIL"; printf "id=%s\\n" "$OPSLINE_TASK_ID"',
      interpreter: 'bash',
      args: nasty,
      env: { ALSO: nasty.join('|') },
      params: { EVIL: `'; touch ${marker}; echo '` },
    });
    expect(r.status).toBe('success');
    const lines = [...nasty.map((a) => `[${a}]`), `env=[${nasty.join('|')}]`, `param=['; touch ${marker}; echo ']`];
    expect(r.stdout.startsWith(`${lines.join('\n')}\nid=t-`)).toBe(true);
    expect(existsSync(marker)).toBe(false);
  });

  it('runs python3, named or from the #! line, with argv and params intact', async () => {
    const script = 'import json, os, sys\nprint(json.dumps({"argv": sys.argv[1:], "p": os.environ["OPSLINE_PARAM_X"]}))\n';
    const args = ['$(id)', "o'clock", 'two words'];
    const named = await run({ script, interpreter: 'python3', args, params: { X: '`x` $y' } });
    expect(named).toMatchObject({ status: 'success', exitCode: 0 });
    expect(JSON.parse(named.stdout)).toEqual({ argv: args, p: '`x` $y' });
    const shebang = await run({ script: `#!/usr/bin/env python3\n${script}`, args, params: { X: 'v' } });
    expect(JSON.parse(shebang.stdout)).toEqual({ argv: args, p: 'v' });
  });

  it('keeps the script private (0700 dir, 0600 file under /tmp) and removes its dir afterwards', async () => {
    const r = await run({ script: PRINT_DIR, interpreter: 'bash' });
    expect(r.status).toBe('success');
    const dir = printed(r.stdout, 'dir');
    expect(dir).toMatch(/^\/tmp\/opsline-task\./);
    expect(printed(r.stdout, 'modes')).toBe('700');
    expect(printed(r.stdout, 'file')).toBe('600');
    expect(existsSync(dir)).toBe(false);
  });

  it('runs in the given workdir, and fails clearly on a missing one', async () => {
    expect((await run({ script: 'pwd', workdir: '/usr/share' })).stdout).toBe('/usr/share\n');
    const missing = await run({ script: 'pwd', workdir: '/nonexistent-opsline' });
    expect(missing).toMatchObject({ status: 'failed', startedAt: null, error: expect.stringMatching(/workdir \/nonexistent-opsline does not exist/) });
  });

  it('on timeout, terminates the whole group: the grandchild is gone when the result arrives', async () => {
    const r = await run({ script: `${PRINT_DIR}; ${GRANDCHILD}`, interpreter: 'bash', timeoutSec: 1 });
    expect(r).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGTERM', error: 'timed out after 1 s', stderr: '' });
    expect(pidAlive(Number(printed(r.stdout, 'child')))).toBe(false);
    expect(existsSync(printed(r.stdout, 'dir'))).toBe(false);
  });

  it('SIGKILLs a group that ignores SIGTERM once the grace period is over', async () => {
    const r = await run({ script: `trap '' TERM; ${GRANDCHILD}`, interpreter: 'bash', timeoutSec: 1 }, { killGraceMs: 300 });
    expect(r).toMatchObject({ status: 'timeout', exitCode: null, signal: 'SIGKILL', stderr: '' });
    expect(pidAlive(Number(printed(r.stdout, 'child')))).toBe(false);
  });

  it('kills on abort: status killed, grandchild gone', async () => {
    const log = chunkLog();
    const controller = new AbortController();
    const result = run({ script: GRANDCHILD, interpreter: 'bash' }, { onOutput: log.onOutput, signal: controller.signal });
    const pid = Number(await waitFor(() => /child=(\d+)/.exec(log.text('stdout'))?.[1], { what: 'the grandchild pid', timeoutMs: 15_000 }));
    expect(pidAlive(pid)).toBe(true);
    controller.abort();
    const r = await result;
    expect(r).toMatchObject({ status: 'killed', exitCode: null, signal: 'SIGTERM', error: 'killed on request', stderr: '' });
    expect(pidAlive(pid)).toBe(false);
  });

  it('answers lost, with the output so far, when the connection drops mid-task; the host still removes the dir', async () => {
    const log = chunkLog();
    // The script's parent is the runner; the runner's parent is this connection's sshd process.
    const script = `${PRINT_DIR}; echo "sshd=$(cut -d' ' -f4 /proc/$PPID/stat)"; while :; do echo tick; sleep 0.1; done`;
    const result = run({ script, interpreter: 'bash' }, { onOutput: log.onOutput });
    const sshdPid = Number(await waitFor(() => /sshd=(\d+)\n/.exec(log.text('stdout'))?.[1], { what: 'the session pid', timeoutMs: 15_000 }));
    process.kill(sshdPid, 'SIGKILL');
    const r = await result;
    expect(r).toMatchObject({ status: 'lost', exitCode: null, error: expect.stringMatching(/lost|closed/) });
    expect(r.stdout).toContain('tick\n');
    // The loop dies of SIGPIPE at its next echo, and the runner removes the dir.
    const dir = printed(r.stdout, 'dir');
    await waitFor(() => !existsSync(dir), { what: `${dir} to be removed`, timeoutMs: 15_000 });
  });

  it('keeps the last 1 MiB and the exact total of a 50 MiB output, in chunks of at most 64 KiB', { timeout: 120_000 }, async () => {
    const total = 50 * 1024 * 1024;
    let streamed = 0;
    let biggest = 0;
    const r = await run(
      { script: `yes 0123456789abcdef | head -c ${total}`, interpreter: 'bash' },
      {
        onOutput: (c) => {
          streamed += c.data.length;
          biggest = Math.max(biggest, c.data.length);
        },
      },
    );
    expect(r).toMatchObject({ status: 'success', error: null, stdoutBytes: total, stderr: '' });
    const line = '0123456789abcdef\n';
    const start = total - 1024 * 1024;
    let expected = '';
    for (let i = start; i < total; i++) expected += line[i % line.length];
    expect(r.stdout.length).toBe(1024 * 1024);
    expect(r.stdout === expected).toBe(true);
    expect(streamed).toBe(total);
    expect(biggest).toBeLessThanOrEqual(64 * 1024);
  });

  it('runs as another user through sudo, from a private dir of that user, removed afterwards', async () => {
    const user = sshEnv('USER');
    const r = await run({ script: `echo "me=$(id -un)"; stat -c "owner=%U" "\${0%/*}"; ${PRINT_DIR}`, interpreter: 'bash', runAs: user }, {}, adminTarget());
    expect(r).toMatchObject({ status: 'success', exitCode: 0 });
    expect(printed(r.stdout, 'me')).toBe(user);
    expect(printed(r.stdout, 'owner')).toBe(user);
    expect(printed(r.stdout, 'modes')).toBe('700');
    expect(existsSync(printed(r.stdout, 'dir'))).toBe(false);
  });

  it('fails clearly when sudo refuses the run-as user', async () => {
    const r = await run({ script: 'id', runAs: 'root' });
    expect(r).toMatchObject({ status: 'failed', startedAt: null, exitCode: null });
    expect(r.error).toMatch(/^runAs "root": sudo refused: .*password/);
  });

  it('fails clearly on a wrong password, without running anything', async () => {
    const r = await run({ script: 'echo never' }, {}, { ...passwordTarget(), password: 'not-the-password' });
    expect(r).toMatchObject({ status: 'failed', startedAt: null, stdout: '' });
    expect(r.error).toBe(`SSH authentication failed for user "${sshEnv('USER')}" on ${sshEnv('HOST')}:${sshEnv('PORT')} (tried password)`);
  });

  it('refuses a host whose key does not match the pinned fingerprint', async () => {
    const wrongPin = 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const r = await run({ script: 'echo never' }, {}, { ...keyTarget(), hostKeySha256: wrongPin });
    expect(r).toMatchObject({ status: 'failed', startedAt: null });
    expect(r.error).toContain(`host key mismatch for ${sshEnv('HOST')}:${sshEnv('PORT')}: expected ${wrongPin}, the server presented ${sshEnv('HOST_KEY_SHA256')}`);
  });

  it('fails clearly when nothing listens on the port', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
    });
    const r = await run({ script: 'echo never' }, {}, { ...keyTarget(), port });
    expect(r).toMatchObject({ status: 'failed', startedAt: null, error: `cannot connect to 127.0.0.1:${port}: connection refused (no SSH server listening there?)` });
  });

  it('refuses an unknown interpreter before connecting', async () => {
    const r = await run({ script: 'x', interpreter: 'perl' as never });
    expect(r).toMatchObject({ status: 'failed', startedAt: null, error: expect.stringMatching(/^invalid task: interpreter: unknown interpreter/) });
  });
});

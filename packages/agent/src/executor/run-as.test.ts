import { spawnSync } from 'node:child_process';
import { chmod } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTask } from './run-task.js';
import { lookupPasswd, resolveTaskUser } from './run-as.js';
import { makeStateDir, newTaskId } from './test-support.js';

const USER = 'opsline-exec-test';
const isRoot = process.getuid?.() === 0;

let dirs: Awaited<ReturnType<typeof makeStateDir>>;
beforeAll(async () => {
  dirs = await makeStateDir();
  // The agent's state dir must let task users through to their own task dir (0711, like its tmp dir).
  await chmod(dirs.stateDir, 0o711);
  if (isRoot && !(await lookupPasswd(USER))) {
    const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', USER], { encoding: 'utf8' });
    if (made.status !== 0) throw new Error(`useradd ${USER} failed: ${made.stderr}`);
  }
});
afterAll(async () => {
  await dirs.remove();
});

const run = (script: string, runAs: string, tmpDir = dirs.tmpDir) =>
  runTask({ taskId: newTaskId(), script, interpreter: 'bash', runAs }, { tmpDir });

describe.runIf(isRoot)('runTask: run-as (agent is root)', () => {
  it('runs the script as the user, with its HOME/USER/LOGNAME, reading a script only it can read', async () => {
    const entry = await lookupPasswd(USER);
    const r = await run('id -un; id -u; echo "$HOME $USER $LOGNAME"; stat -c "%U %a" "$0"; pwd', USER);
    expect(r).toMatchObject({ status: 'success', stderr: '' });
    // No home dir was created (--no-create-home): the task starts in /.
    expect(r.stdout).toBe(`${USER}\n${entry?.uid}\n${entry?.home} ${USER} ${USER}\n${USER} 600\n/\n`);
  });

  it('names the agent directory the user cannot pass through', async () => {
    const locked = await makeStateDir();
    try {
      const r = await run('id -un', USER, locked.tmpDir);
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(new RegExp(`${locked.stateDir} \\(mode 0700\\) is not traversable by that user`));
    } finally {
      await locked.remove();
    }
  });

  it('refuses a user this host does not have', async () => {
    const r = await run('id -un', 'no-such-user-xyz');
    expect(r).toMatchObject({ status: 'failed', startedAt: null, error: 'runAs: no user "no-such-user-xyz" in /etc/passwd on this host' });
  });
});

describe('runTask: run-as (agent is not root)', () => {
  it('refuses with a clear error instead of trying', async () => {
    // Tests run as root in CI: the agent's own identity is passed in as an unprivileged one.
    const agent = { username: 'ops', uid: 1000, gid: 1000, homedir: '/home/ops', shell: '/bin/sh' };
    await expect(resolveTaskUser(USER, agent)).rejects.toThrow(/^runAs "opsline-exec-test" needs the agent to run as root; it runs as ops \(uid 1000\)$/);
    await expect(resolveTaskUser('ops', agent)).resolves.toMatchObject({ name: 'ops', uid: 1000 });
    if (!isRoot) {
      const r = await run('id -un', USER);
      expect(r).toMatchObject({ status: 'failed', startedAt: null });
    }
  });
});

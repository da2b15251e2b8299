import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityFileError, readIdentity, writeIdentity, type AgentIdentity } from './identity.js';
import { lockStateDir, prepareStateDir, statePaths, StateDirBusyError } from './state-dir.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'opsline-agent-state-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const IDENTITY: AgentIdentity = { agentId: 'a-1', agentSecret: 's3cret', nodeId: 'n-1', hostname: 'web-01', enrolledAt: 1_700_000_000_000 };

describe('identity file', () => {
  it('is written 0600, atomically (no temp file left), and reads back', async () => {
    const paths = statePaths(join(root, 'state'));
    await prepareStateDir(paths);
    await writeIdentity(paths.identity, IDENTITY);
    expect((await stat(paths.identity)).mode & 0o777).toBe(0o600);
    expect(await readIdentity(paths.identity)).toEqual(IDENTITY);
    expect((await readdir(paths.root)).filter((f) => f.includes('.tmp'))).toEqual([]);

    // Replacing it keeps the mode and never shows a half-written file.
    await writeIdentity(paths.identity, { ...IDENTITY, agentSecret: 'rotated' });
    expect((await stat(paths.identity)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(paths.identity, 'utf8'))).toMatchObject({ agentSecret: 'rotated' });
  });

  it('is absent before enrollment, and a damaged file is an error that says what to do', async () => {
    const path = join(root, 'identity.json');
    expect(await readIdentity(path)).toBeUndefined();
    await writeFile(path, '{"agentId": ');
    await expect(readIdentity(path)).rejects.toThrow(IdentityFileError);
    await writeFile(path, '{"agentId": "x"}');
    await expect(readIdentity(path)).rejects.toThrow(/enroll again/);
  });
});

describe('state dir', () => {
  it('is 0711 (run-as users pass through it), tasks/ 0700; an existing 0700 dir is opened up to 0711', async () => {
    const paths = statePaths(join(root, 'state'));
    await prepareStateDir(paths);
    expect((await stat(paths.root)).mode & 0o777).toBe(0o711);
    expect((await stat(paths.tasks)).mode & 0o777).toBe(0o700);
    const other = statePaths(join(root, 'made-by-hand'));
    await import('node:fs/promises').then((fs) => fs.mkdir(other.root, { mode: 0o700 }));
    await prepareStateDir(other);
    expect((await stat(other.root)).mode & 0o777).toBe(0o711);
  });

  it('is used by one agent at a time: a live holder is refused, a stale lock is taken over', async () => {
    const paths = statePaths(join(root, 'state'));
    await prepareStateDir(paths);
    const release = await lockStateDir(paths);
    await expect(lockStateDir(paths)).rejects.toThrow(StateDirBusyError);
    await release();

    // pid 1 is alive and not us: another agent.
    await writeFile(paths.lock, '1\n');
    await expect(lockStateDir(paths)).rejects.toThrow(/pid 1/);
    // A pid that cannot be running: taken over.
    await writeFile(paths.lock, '4194999\n');
    const again = await lockStateDir(paths);
    expect((await readFile(paths.lock, 'utf8')).trim()).toBe(String(process.pid));
    await again();
  });
});

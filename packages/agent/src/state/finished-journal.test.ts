import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FinishedJournal, type FinishedTask } from './finished-journal.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'opsline-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const done = (taskId: string): FinishedTask => ({
  taskId,
  status: 'success',
  exitCode: 0,
  signal: null,
  stdoutBytes: 3,
  stderrBytes: 0,
  startedAt: 1,
  finishedAt: 2,
  error: null,
});

describe('FinishedJournal', () => {
  it('remembers finished tasks across a restart', async () => {
    const path = join(dir, 'finished.jsonl');
    const journal = await FinishedJournal.open(path);
    await journal.add(done('t1'));
    await journal.add(done('t2'));
    const reopened = await FinishedJournal.open(path);
    expect(reopened.get('t1')).toEqual(done('t1'));
    expect(reopened.get('t2')).toEqual(done('t2'));
    expect(reopened.get('t3')).toBeUndefined();
  });

  it('keeps only the newest `limit` ids, and rewrites the file before it grows past twice that', async () => {
    const path = join(dir, 'finished.jsonl');
    const journal = await FinishedJournal.open(path, 5);
    for (let i = 1; i <= 23; i++) await journal.add(done(`t${i}`));
    expect(journal.size).toBe(5);
    expect(journal.get('t18')).toBeUndefined();
    expect(journal.get('t19')).toBeDefined();
    const lines = (await readFile(path, 'utf8')).trim().split('\n');
    expect(lines.length).toBeLessThanOrEqual(10);
    const reopened = await FinishedJournal.open(path, 5);
    expect([...Array(23).keys()].map((i) => `t${i + 1}`).filter((id) => reopened.get(id))).toEqual(['t19', 't20', 't21', 't22', 't23']);
  });

  it('skips a torn last line (a crash mid-append)', async () => {
    const path = join(dir, 'finished.jsonl');
    const journal = await FinishedJournal.open(path);
    await journal.add(done('t1'));
    await appendFile(path, '{"taskId":"t2","sta');
    const reopened = await FinishedJournal.open(path);
    expect(reopened.get('t1')).toBeDefined();
    expect(reopened.size).toBe(1);
  });
});

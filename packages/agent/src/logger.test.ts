import { describe, expect, it } from 'vitest';
import { createJsonLogger } from './logger.js';

describe('createJsonLogger', () => {
  it('writes one JSON line per entry with level, time, bindings and msg; drops secret fields; honours the level', () => {
    const lines: string[] = [];
    const log = createJsonLogger({ level: 'info', write: (l) => lines.push(l) }).child({ hostname: 'web-01' });
    log.debug('not shown');
    log.info({ taskId: 't1', token: 'T0KEN', agentSecret: 'S3CRET', err: new Error('boom') }, 'hello');
    log.warn('plain');
    expect(lines).toHaveLength(2);
    expect(lines.every((l) => l.endsWith('\n'))).toBe(true);
    const first = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    expect(first).toEqual({ level: 30, time: expect.any(Number), hostname: 'web-01', taskId: 't1', err: { message: 'boom' }, msg: 'hello' });
    expect(lines.join('')).not.toMatch(/T0KEN|S3CRET/);
    expect(JSON.parse(lines[1] ?? '')).toMatchObject({ level: 40, msg: 'plain' });
  });

  it('survives fields it cannot serialise', () => {
    const lines: string[] = [];
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    createJsonLogger({ write: (l) => lines.push(l) }).error({ cyclic }, 'still logged');
    expect(JSON.parse(lines[0] ?? '')).toMatchObject({ level: 50, msg: 'still logged' });
  });
});

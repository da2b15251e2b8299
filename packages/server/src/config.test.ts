import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseFlags } from './config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8080, grpcPort: 9090, dataDir: './data', logLevel: 'info', databaseUrl: undefined });
  });

  it('lets flags of the same names override the environment', () => {
    const { values } = parseFlags(['serve', '--port', '9000', '--OPSLINE_HOST=0.0.0.0', '--database-url=postgres://x@h/db', '--data-dir', '/srv/opsline']);
    const c = loadConfig({ OPSLINE_PORT: '8081', OPSLINE_HOST: '127.0.0.2' }, values);
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', databaseUrl: 'postgres://x@h/db', dataDir: '/srv/opsline' });
  });

  it('names every bad variable', () => {
    try {
      loadConfig({ OPSLINE_PORT: 'eighty', DATABASE_URL: 'mysql://nope', OPSLINE_SECRET_KEY: 'short', OPSLINE_LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const text = (err as ConfigError).message;
      for (const name of ['OPSLINE_PORT', 'DATABASE_URL', 'OPSLINE_SECRET_KEY', 'OPSLINE_LOG_LEVEL']) expect(text).toContain(name);
    }
    expect(parseFlags(['--colour', 'red']).problems).toEqual(['--colour: unknown flag']);
  });

  it('exits with code 2 and names the variable when started with a bad configuration', () => {
    const main = fileURLToPath(new URL('./main.ts', import.meta.url));
    const run = spawnSync(process.execPath, ['--import', 'tsx', main, 'serve'], {
      env: { ...process.env, OPSLINE_PORT: '99999' }, encoding: 'utf8', timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('OPSLINE_PORT');
  });
});

import { describe, expect, it } from 'vitest';
import { AgentConfigError, DEFAULT_STATE_DIR, parseServerAddress, resolveAgentConfig } from './config.js';

describe('agent config', () => {
  it('parses grpc:// and grpcs:// addresses, 9090 by default', () => {
    expect(parseServerAddress('grpc://127.0.0.1:9191')).toEqual({ target: '127.0.0.1:9191', tls: false });
    expect(parseServerAddress('grpcs://ops.example.com')).toEqual({ target: 'ops.example.com:9090', tls: true });
    expect(parseServerAddress('grpc://[::1]:9090/')).toEqual({ target: '[::1]:9090', tls: false });
    for (const bad of ['127.0.0.1:9090', 'http://h:1', 'grpc://h:1/path', 'grpc://user@h:1']) {
      expect(() => parseServerAddress(bad)).toThrow(AgentConfigError);
    }
  });

  it('fills in the defaults', () => {
    const c = resolveAgentConfig({ server: 'grpc://h:1' });
    expect(c).toMatchObject({
      stateDir: DEFAULT_STATE_DIR,
      maxTasks: 16,
      heartbeatIntervalMs: 15_000,
      metricsIntervalMs: 15_000,
      backoff: { initialMs: 500, maxMs: 30_000 },
      hostnameOverridden: false,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('names the option that is wrong', () => {
    const wrong = (o: object) => {
      try {
        resolveAgentConfig({ server: 'grpc://h:1', ...o });
      } catch (err) {
        return err instanceof AgentConfigError ? err.option : 'not a config error';
      }
      return 'accepted';
    };
    expect(wrong({ maxTasks: 0 })).toBe('maxTasks');
    expect(wrong({ stateDir: 'relative/dir' })).toBe('stateDir');
    expect(wrong({ hostname: 'has space' })).toBe('hostname');
    expect(wrong({ caFile: '/ca.pem' })).toBe('caFile');
    expect(wrong({ backoff: { initialMs: 0 } })).toBe('backoff.initialMs');
  });
});

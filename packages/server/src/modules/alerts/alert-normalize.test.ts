import { describe, expect, it } from 'vitest';
import { hostNamesOf, stripPort } from './alert-normalize.js';
import { pathSegments, valueAt } from './json-path.js';

describe('what alerts name', () => {
  it('reads the host out of an instance label', () => {
    expect(['web-1:9100', '10.0.0.5:9100', '[2001:db8::1]:9100', '2001:db8::1', 'http://api-2:8080/metrics', 'db-3'].map(stripPort))
      .toEqual(['web-1', '10.0.0.5', '2001:db8::1', '2001:db8::1', 'api-2', 'db-3']);
    expect(hostNamesOf({ host: 'Web-1', instance: 'web-1:9100', hostname: 'WEB-1.example' })).toEqual(['web-1', 'web-1.example']);
  });

  it('follows JSON paths through objects and arrays, and nowhere else', () => {
    const body = { data: { alerts: [{ name: 'a' }, { name: 'b', tags: { '0': 'zero' } }] } };
    expect(pathSegments('$.data.alerts[1].name')).toEqual(['data', 'alerts', 1, 'name']);
    expect(valueAt(body, pathSegments('data.alerts.1.name'))).toBe('b');
    expect(valueAt(body, pathSegments('data.alerts[1].tags.0'))).toBe('zero');
    expect(valueAt(body, pathSegments('data.alerts.length'))).toBeUndefined();
    expect(valueAt(body, pathSegments('data.__proto__'))).toBeUndefined();
    expect(valueAt(body, pathSegments('data.alerts.5.name'))).toBeUndefined();
  });
});

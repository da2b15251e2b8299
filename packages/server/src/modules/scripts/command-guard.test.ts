import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BUILTIN_GUARD_RULES, createCommandGuard, guardLines } from './command-guard.js';

const guard = createCommandGuard();
const rules = [...BUILTIN_GUARD_RULES];
const said = (content: string): [string, string[]] => {
  const v = guard.verdict(rules, content);
  return [v.action, v.matches.map((m) => m.name)];
};

describe('the built-in guard rules', () => {
  it.each([
    ['rm -rf /', 'block', 'rm -rf /'], ['sudo rm -rf /*', 'block', 'rm -rf /'], ['rm -fr "/"', 'block', 'rm -rf /'],
    ['/bin/rm -r -f / ', 'block', 'rm -rf /'], ['rm -rf --no-preserve-root /', 'block', 'rm -rf /'], ['rm -rf /tmp/x /', 'block', 'rm -rf /'],
    ['mkfs.ext4 /dev/sdb1', 'block', 'mkfs'], ['mkfs -t xfs /dev/vdb', 'block', 'mkfs'],
    ['dd if=/dev/zero of=/dev/sda bs=1M', 'block', 'dd to a disk'], ['dd if=img of=/dev/nvme0n1', 'block', 'dd to a disk'],
    [':(){ :|:& };:', 'block', 'fork bomb'], ['bomb() { bomb | bomb & }; bomb', 'block', 'fork bomb'],
    ['echo x > /dev/sda', 'block', 'write to a disk device'],
    ['reboot', 'approve', 'shutdown or reboot'], ['sudo shutdown -h now', 'approve', 'shutdown or reboot'], ['/sbin/poweroff', 'approve', 'shutdown or reboot'],
    ['systemctl reboot', 'approve', 'shutdown or reboot'], ['x && halt', 'approve', 'shutdown or reboot'], ['init 0', 'approve', 'shutdown or reboot'], ['init 6', 'approve', 'shutdown or reboot'],
    ['chmod -R 777 /', 'approve', 'chmod -R on /'], ['chmod 777 -R /', 'approve', 'chmod -R on /'],
  ])('%s → %s', (line, action, name) => {
    expect(said(line)).toEqual([action, [name]]);
  });

  it.each([
    'rm -rf /tmp/build', 'rm -rf ./', 'rm x; ls /', 'dd if=/dev/zero of=/tmp/disk.img', 'cat x 2>/dev/null', 'echo mkfsx',
    '[ -f /var/run/reboot-required ] && echo later', 'apt-get install --no-reboot', 'tail /var/log/halt.log', 'chmod -R 755 /var/www', 'chmod 777 /tmp/x',
    '# rm -rf / in a comment',
  ])('lets %s through', (line) => {
    expect(said(line)).toEqual(['allow', []]);
  });

  it('reads continued lines as one, under the first line number, and skips comment lines', () => {
    expect(guardLines('#!/bin/sh\n\necho a \\\n  && rm -rf / \r\nls')).toEqual([{ line: 3, text: 'echo a    && rm -rf /' }, { line: 5, text: 'ls' }]);
  });

  it('gets through a long line (64 KiB of base64) within each rule\'s deadline', () => {
    // A rule that ran out of time would count as matching: allow means every rule finished.
    expect(said(randomBytes(48 * 1024).toString('base64'))).toEqual(['allow', []]);
  });

  it('passes its own slowness probe', () => {
    for (const r of rules) expect(guard.tooSlow(r.pattern), r.name).toBeNull();
  });
});

describe('the guard on runaway patterns', () => {
  it('refuses a catastrophically backtracking pattern at save time', () => {
    expect(guard.tooSlow('^(a+)+$')).toContain('backtracks');
    expect(guard.tooSlow(String.raw`^(\w+\s?)*$`)).toContain('backtracks');
  });

  it('stops a rule that runs out of time and counts it as matching', () => {
    const verdict = guard.verdict([{ id: 'r', name: 'runaway', pattern: '^(a+)+$', action: 'block' }], `${'a'.repeat(40)}!`);
    expect(verdict).toMatchObject({ action: 'block', matches: [{ name: 'runaway', line: 0, text: expect.stringContaining('ran out of time') }] });
  });
});

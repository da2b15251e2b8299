import { i18n } from '../../../platform/i18n';

/**
 * The server says why a run paused or ended, and why a host did not run, in
 * fixed English sentences (the run driver's): said again in the console's
 * language; a sentence not known here is shown as it is.
 */
const PATTERNS: ReadonlyArray<[RegExp, string, readonly string[]]> = [
  [/^waiting for approval: the script matches (.+)$/, 'waitingApproval', ['rules']],
  [/^paused by (.+)$/, 'pausedBy', ['name']],
  [/^killed by (.+)$/, 'killedBy', ['name']],
  [/^first batch finished: resume to go on$/, 'firstBatch', []],
  [/^paused: (.+) ended (\w+)$/, 'pausedOnHost', ['host', 'status']],
  [/^aborted: (\d+) of (\d+) finished hosts failed, over (\d+)%$/, 'abortedRatio', ['bad', 'done', 'percent']],
  [/^aborted: (.+) ended (\w+)$/, 'abortedOnHost', ['host', 'status']],
  [/^not started: (.+)$/, 'notStarted', ['reason']],
  [/^skipped: the host is offline .*$/, 'offline', []],
];

const HOST_STATUS = /^(success|failed|timeout|killed|lost)$/;

export function reasonText(reason: string | null): string | null {
  if (!reason) return null;
  const { t } = i18n.global;
  for (const [re, key, names] of PATTERNS) {
    const m = re.exec(reason);
    if (!m) continue;
    const params: Record<string, string> = {};
    names.forEach((name, i) => {
      const value = m[i + 1] ?? '';
      if (name === 'status' && HOST_STATUS.test(value)) params[name] = t(`jobs.hostStatuses.${value}`);
      else if (name === 'reason') params[name] = reasonText(value) ?? value;
      else params[name] = value;
    });
    return t(`jobs.reasons.${key}`, params);
  }
  return reason;
}

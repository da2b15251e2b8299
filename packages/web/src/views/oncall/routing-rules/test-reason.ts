import { i18n } from '../../../platform/i18n';

/**
 * Why a rule does not route the tested alert, in the console's language. The
 * server says it in English sentences of a fixed shape (routing-match.ts);
 * one it has not yet learnt is shown as it is.
 */
const PATTERNS: [RegExp, string, (m: RegExpExecArray) => Record<string, string>][] = [
  [/^disabled$/, 'disabled', () => ({})],
  [/^matching stopped at ([\s\S]+)$/, 'stopped', (m) => ({ name: m[1] ?? '' })],
  [/^label ([\s\S]+?(?:=~|!~|!=|=)"[\s\S]*") does not hold \(the alert has "([\s\S]*)"\)$/, 'label', (m) => ({ matcher: m[1] ?? '', actual: m[2] ?? '' })],
  [/^severity (\S+) is not one of ([\s\S]+)$/, 'severity', (m) => ({ severity: m[1] ?? '', list: m[2] ?? '' })],
  [/^the alert's node is not in the rule's subtree$/, 'nodeOutside', () => ({})],
  [/^the alert has no node$/, 'noNode', () => ({})],
  [/^outside the rule's time windows$/, 'outsideWindows', () => ({})],
];

export function reasonText(reason: string): string {
  for (const [re, key, params] of PATTERNS) {
    const m = re.exec(reason);
    if (m) return i18n.global.t(`oncall.routingTest.reasons.${key}`, params(m));
  }
  return reason;
}

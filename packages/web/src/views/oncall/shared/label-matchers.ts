import type { LabelMatcher } from '@opsline/contracts';
import type { MatcherRow } from '../../incidents/grouping-rules/grouping-rule-form';

/**
 * Label matchers as Alertmanager writes them (`=`, `!=`, `=~`, `!~`). The row
 * model, its checks and its text are the grouping rules' (same shape).
 */
export { matcherRow, matchersProblem, matcherText, type MatcherRow } from '../../incidents/grouping-rules/grouping-rule-form';

export const matcherOf = (r: MatcherRow): LabelMatcher => ({ name: r.name.trim(), value: r.value, isRegex: r.op.endsWith('~'), isEqual: !r.op.startsWith('!') });

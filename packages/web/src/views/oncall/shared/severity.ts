import { SEVERITIES, type Severity } from '@opsline/contracts';
import type { VNode } from 'vue';
import { h } from 'vue';
import { priorityTag } from '../../incidents/shared/incident-tags';

/** Severities share the priorities' colours (both run P0 worst to P5). */
export const severityTag = (s: Severity, testId = 'severity-tag'): VNode => priorityTag(s, testId);

/** `P0–P1` for a run of neighbours, else the list: how a rule's severities read in a table. */
export function severitiesText(list: readonly Severity[]): string {
  const idx = SEVERITIES.filter((s) => list.includes(s)).map((s) => SEVERITIES.indexOf(s));
  const first = idx[0];
  const last = idx[idx.length - 1];
  if (first === undefined || last === undefined) return '';
  const run = idx.length > 2 && last - first === idx.length - 1;
  return run ? `${SEVERITIES[first]}–${SEVERITIES[last]}` : idx.map((i) => SEVERITIES[i]).join(', ');
}

export const severityTags = (list: readonly Severity[]): VNode =>
  h('span', { class: 'severity-tags' }, SEVERITIES.filter((s) => list.includes(s)).map((s) => severityTag(s)));

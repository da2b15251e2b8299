import { SEVERITIES, type Severity } from '@opsline/contracts';

/** `P0–P2` for a run of three or more neighbours, else the list (`P0, P1`): how a rule's severities read in a table. */
export function severitiesText(list: readonly Severity[]): string {
  const idx = SEVERITIES.filter((s) => list.includes(s)).map((s) => SEVERITIES.indexOf(s));
  const first = idx[0];
  const last = idx[idx.length - 1];
  if (first === undefined || last === undefined) return '';
  const run = idx.length > 2 && last - first === idx.length - 1;
  return run ? `${SEVERITIES[first]}–${SEVERITIES[last]}` : idx.map((i) => SEVERITIES[i]).join(', ');
}

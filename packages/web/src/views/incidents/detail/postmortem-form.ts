import { Postmortem, type IncidentView } from '@opsline/contracts';
import type { FormRules } from 'naive-ui';
import { schemaRule } from '../../../platform/forms/rules';
import { i18n } from '../../../platform/i18n';
import { rowsRule } from '../../cmdb/shared/rows';

/** One action item while editing: every field present, so inputs bind. */
export interface ActionRow {
  text: string;
  ownerId: string | null;
  done: boolean;
}

export interface PostmortemModel {
  summary: string;
  rootCause: string;
  impact: string;
  actions: ActionRow[];
}

export const actionRow = (): ActionRow => ({ text: '', ownerId: null, done: false });

export function postmortemModel(incident: IncidentView): PostmortemModel {
  const p = incident.postmortem;
  return {
    summary: p?.summary ?? '',
    rootCause: p?.rootCause ?? '',
    impact: p?.impact ?? '',
    actions: (p?.actions ?? []).map((a) => ({ text: a.text, ownerId: a.ownerId ?? null, done: a.done })),
  };
}

export function postmortemBody(m: PostmortemModel): Postmortem {
  return {
    summary: m.summary,
    rootCause: m.rootCause,
    impact: m.impact,
    actions: m.actions.map((a) => ({ text: a.text.trim(), done: a.done, ...(a.ownerId && { ownerId: a.ownerId }) })),
  };
}

export function postmortemRules(): FormRules {
  const text = Postmortem.shape.summary;
  return {
    summary: schemaRule(text),
    rootCause: schemaRule(text),
    impact: schemaRule(text),
    actions: rowsRule<ActionRow>((rows) => (rows.some((r) => !r.text.trim()) ? i18n.global.t('incidents.postmortem.actionTextMissing') : null)),
  };
}

/** `body.postmortem.actions.0.text` → `actions`: the editor's field a server issue is about. */
export function postmortemField(path: string): string {
  const parts = path.split('.');
  const at = parts.indexOf('postmortem');
  return (at >= 0 ? parts[at + 1] : parts[1]) ?? path;
}

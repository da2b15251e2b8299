import { INCIDENT_STATES, LEVELS, PRIORITIES, type IncidentStatus, type Level, type Priority } from '@opsline/contracts';
import { NTag } from 'naive-ui';
import { h, type VNode } from 'vue';
import { statusTag, type TagType } from '../../../platform/components/cells';
import { i18n } from '../../../platform/i18n';

/** P0 red through orange and blue to P5 grey: the most urgent stands out in any list. */
export const PRIORITY_COLOURS: Record<Priority, string> = {
  P0: '#d03050',
  P1: '#e8590c',
  P2: '#f0a020',
  P3: '#2080f0',
  P4: '#7c8798',
  P5: '#b4b9c2',
};

const STATUS_TAG_TYPE: Record<IncidentStatus, TagType> = { triggered: 'error', acknowledged: 'warning', resolved: 'success' };

/** A priority as a filled tag in its colour; `data-priority` says which for the e2e. */
export const priorityTag = (priority: Priority, testId = 'incident-priority', size: 'small' | 'medium' = 'small'): VNode =>
  h(
    NTag,
    { size, bordered: false, color: { color: PRIORITY_COLOURS[priority], textColor: '#fff' }, class: 'priority-tag', 'data-testid': testId, 'data-priority': priority },
    { default: () => priority },
  );

export const incidentStatusText = (status: IncidentStatus): string => i18n.global.t(`incidents.statuses.${status}`);

export const incidentStatusTag = (status: IncidentStatus, testId = 'incident-status'): VNode => statusTag(incidentStatusText(status), STATUS_TAG_TYPE[status], testId);

export const levelText = (level: Level): string => i18n.global.t(`incidents.levels.${level}`);

export const statusOptions = () => INCIDENT_STATES.map((value) => ({ value, label: incidentStatusText(value) }));
export const priorityOptions = () => PRIORITIES.map((value) => ({ value, label: value }));
export const levelOptions = () => LEVELS.map((value) => ({ value, label: levelText(value) }));

/** `#12`. */
export const incidentNumber = (n: number): string => `#${n}`;

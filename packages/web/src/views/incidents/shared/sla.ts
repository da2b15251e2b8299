import type { IncidentView } from '@opsline/contracts';
import { i18n } from '../../../platform/i18n';

export type SlaTarget = 'ack' | 'resolve';

/** Where one SLA target stands: still running (time left, negative once overdue) or done (in time or late). */
export type SlaState =
  | { target: SlaTarget; running: true; leftMs: number; breached: boolean }
  | { target: SlaTarget; running: false; breached: boolean };

/** A resolved incident was acknowledged in effect when it was resolved, if nobody acknowledged it before. */
function doneAt(incident: IncidentView, target: SlaTarget): string | null {
  return target === 'ack' ? (incident.acknowledgedAt ?? incident.resolvedAt) : incident.resolvedAt;
}

export function slaState(incident: IncidentView, target: SlaTarget, now: number): SlaState {
  const due = Date.parse(target === 'ack' ? incident.sla.ackDueAt : incident.sla.resolveDueAt);
  const recorded = (target === 'ack' ? incident.sla.ackBreachedAt : incident.sla.resolveBreachedAt) !== null;
  const done = doneAt(incident, target);
  if (done !== null) return { target, running: false, breached: recorded || Date.parse(done) > due };
  const leftMs = due - now;
  return { target, running: true, leftMs, breached: recorded || leftMs < 0 };
}

/** The deadline the incident runs against now: acknowledging while triggered, resolving while acknowledged; none once resolved. */
export function currentTarget(incident: IncidentView): SlaTarget | null {
  if (incident.status === 'triggered') return 'ack';
  return incident.status === 'acknowledged' ? 'resolve' : null;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** A countdown's figure: `04:59`, `3:04:59`, or `2 d 3 h` past a day (its size, overdue or not). */
export function countdownText(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  if (days > 0) return i18n.global.t('incidents.sla.days', { d: days, h: hours });
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${pad(minutes)}:${pad(seconds)}`;
}

/** The state in words: `剩余 04:59`, `已超时 00:12`, `按时完成`, `超时完成`. */
export function slaText(state: SlaState): string {
  const { t } = i18n.global;
  if (!state.running) return state.breached ? t('incidents.sla.doneLate') : t('incidents.sla.doneInTime');
  return state.leftMs >= 0 ? t('incidents.sla.left', { time: countdownText(state.leftMs) }) : t('incidents.sla.overdue', { time: countdownText(state.leftMs) });
}

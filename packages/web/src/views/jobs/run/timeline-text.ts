import { EVENT_PAYLOADS, JOB_RUN_STATES, type EventView, type JobRunState } from '@opsline/contracts';
import { i18n } from '../../../platform/i18n';
import { reasonText } from '../shared/reason-text';

/** Who did it: the actor's name, or "System" for the run driver's own doings. */
function actorOf(event: EventView): string {
  if (event.actorId === null && (event.actorName === null || event.actorName === 'system')) return i18n.global.t('events.system');
  return event.actorName ?? i18n.global.t('events.system');
}

const isRunState = (s: string): s is JobRunState => (JOB_RUN_STATES as readonly string[]).includes(s);

/**
 * A run's event as a sentence in the console's language; an event this page
 * does not know (or whose payload does not fit) shows the server's summary.
 */
export function runEventText(event: EventView): string {
  const { t } = i18n.global;
  const actor = actorOf(event);
  switch (event.type) {
    case 'job.run.started': {
      const p = EVENT_PAYLOADS['job.run.started'].safeParse(event.payload);
      return p.success ? t('jobs.timeline.started', { actor, n: p.data.hostCount }, p.data.hostCount) : event.summary;
    }
    case 'job.run.paused': {
      const p = EVENT_PAYLOADS['job.run.paused'].safeParse(event.payload);
      return p.success ? t('jobs.timeline.paused', { reason: reasonText(p.data.reason) ?? p.data.reason }) : event.summary;
    }
    case 'job.run.resumed':
      // Approval and resumption are one event; the server's summary tells them apart.
      return event.summary.includes(' approved by ') ? t('jobs.timeline.approved', { actor }) : t('jobs.timeline.resumed', { actor });
    case 'job.run.killed':
      return t('jobs.timeline.killed', { actor });
    case 'job.run.retried': {
      const p = EVENT_PAYLOADS['job.run.retried'].safeParse(event.payload);
      return p.success ? t('jobs.timeline.retried', { actor, n: p.data.hostCount }, p.data.hostCount) : event.summary;
    }
    case 'job.run.finished': {
      const p = EVENT_PAYLOADS['job.run.finished'].safeParse(event.payload);
      if (!p.success || !isRunState(p.data.status)) return event.summary;
      const total = Object.values(p.data.counts).reduce((a, b) => a + b, 0);
      return t('jobs.timeline.finished', { status: t(`jobs.runStatuses.${p.data.status}`), ok: p.data.counts.success ?? 0, total });
    }
    default:
      return event.summary;
  }
}

import type { JobRunHostView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h, type VNode } from 'vue';
import { durationText } from '../../../platform/format/duration';
import type { Translate } from '../../../platform/i18n';
import { hostStatusTag } from '../shared/job-status';
import { reasonText } from '../shared/reason-text';

interface Ctx {
  t: Translate;
  /** The clock running hosts' durations count to. */
  now: number;
  /** What an opened row shows under it. */
  renderPanel: (row: JobRunHostView) => VNode | null;
}

const muted = (testId: string) => h('span', { class: 'muted', 'data-testid': testId }, '—');
const number = (text: string, testId: string) => h('span', { class: 'nowrap run-host__number', 'data-testid': testId }, text);

function duration(host: JobRunHostView, now: number): string | null {
  if (!host.startedAt) return null;
  const end = host.finishedAt ? Date.parse(host.finishedAt) : now;
  return durationText(end - Date.parse(host.startedAt));
}

/** A run's hosts in the order they run; each row opens to the host's output. */
export function hostColumns(ctx: Ctx): DataTableColumns<JobRunHostView> {
  const { t } = ctx;
  return [
    { type: 'expand', renderExpand: ctx.renderPanel },
    { key: 'host', title: t('jobs.hosts.host'), minWidth: 140, render: (r) => h('span', { class: 'host-cell__name', 'data-testid': 'job-host-name' }, r.hostname) },
    { key: 'ip', title: t('jobs.hosts.ip'), width: 130, render: (r) => (r.ip ? h('code', null, r.ip) : muted('job-host-ip')) },
    { key: 'batch', title: t('jobs.hosts.batch'), width: 70, render: (r) => number(String(r.batch + 1), 'job-host-batch') },
    { key: 'status', title: t('jobs.hosts.status'), width: 90, render: (r) => hostStatusTag(r.status) },
    { key: 'exit', title: t('jobs.hosts.exit'), width: 76, render: (r) => (r.exitCode === null ? muted('job-host-exit') : number(String(r.exitCode), 'job-host-exit')) },
    { key: 'attempt', title: t('jobs.hosts.attempt'), width: 86, render: (r) => (r.attempt > 0 ? number(String(r.attempt), 'job-host-attempt') : muted('job-host-attempt')) },
    {
      key: 'duration',
      title: t('jobs.hosts.duration'),
      width: 90,
      render: (r) => {
        const text = duration(r, ctx.now);
        return text ? number(text, 'job-host-duration') : muted('job-host-duration');
      },
    },
    {
      key: 'error',
      title: t('jobs.hosts.error'),
      minWidth: 180,
      render: (r) => {
        const text = reasonText(r.error);
        return text ? h('span', { class: 'run-host__error', title: text, 'data-testid': 'job-host-error' }, text) : muted('job-host-error');
      },
    },
  ];
}

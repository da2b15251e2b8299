import type { JobRunView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { relativeTimeCell } from '../../../platform/components/cells';
import { durationText } from '../../../platform/format/duration';
import type { Translate } from '../../../platform/i18n';
import { runStatusTag } from '../shared/job-status';
import RunCounts from '../shared/RunCounts.vue';

interface Ctx {
  t: Translate;
  /** The clock open runs' durations count to. */
  now: number;
  userName: (id: string | null) => string;
}

/** How long a run took, or has taken so far; null before it started. */
export function runDuration(run: JobRunView, now: number): string | null {
  if (!run.startedAt) return null;
  const end = run.finishedAt ? Date.parse(run.finishedAt) : now;
  return durationText(end - Date.parse(run.startedAt));
}

/** Runs, newest first: each name opens its page. */
export function runColumns(ctx: Ctx): DataTableColumns<JobRunView> {
  const { t } = ctx;
  return [
    {
      key: 'name',
      title: t('jobs.runs.name'),
      minWidth: 180,
      render: (run) =>
        h(RouterLink, { to: { name: 'jobs-run', params: { id: run.id } }, class: 'run-cell__name', 'data-testid': 'job-run-row-name' }, { default: () => run.name }),
    },
    { key: 'status', title: t('jobs.runs.status'), width: 96, render: (run) => runStatusTag(run.status) },
    { key: 'progress', title: t('jobs.runs.progress'), minWidth: 240, render: (run) => h(RunCounts, { run, compact: true }) },
    { key: 'createdBy', title: t('jobs.runs.startedBy'), width: 110, render: (run) => ctx.userName(run.createdBy) },
    { key: 'createdAt', title: t('jobs.runs.createdAt'), width: 130, render: (run) => relativeTimeCell(run.createdAt) },
    {
      key: 'duration',
      title: t('jobs.runs.duration'),
      width: 100,
      render: (run) => h('span', { class: 'nowrap run-cell__number' }, runDuration(run, ctx.now) ?? '—'),
    },
  ];
}

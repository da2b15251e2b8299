import type { ExecRunTask, ExecTaskView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h, type VNode } from 'vue';
import { statusTag } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { lastLine, TASK_TAG_TYPE, taskDuration } from './task-status';

interface Ctx {
  t: Translate;
  /** The clock running tasks' durations count to. */
  now: number;
  /** A row as it stands (an opened task's live view when there is one). */
  current: (row: ExecRunTask) => ExecTaskView;
  /** What an opened row shows under it. */
  renderPanel: (row: ExecRunTask) => VNode | null;
}

const muted = (testId: string) => h('span', { class: 'muted', 'data-testid': testId }, '—');

function hostCell(task: ExecTaskView, t: Translate): VNode {
  const name = h('span', { class: 'host-cell__name', 'data-testid': 'exec-task-host' }, task.hostname);
  if (task.executor !== 'ssh') return name;
  return h('span', { class: 'run-task__host' }, [name, h(NTag, { size: 'tiny', bordered: false, title: t('exec.viaSsh') }, { default: () => 'SSH' })]);
}

function exitCell(task: ExecTaskView): VNode {
  if (task.exitCode !== null) return h('span', { class: 'run-task__number', 'data-testid': 'exec-task-exit' }, String(task.exitCode));
  return task.signal ? h('code', { 'data-testid': 'exec-task-exit' }, task.signal) : muted('exec-task-exit');
}

function lineCell(task: ExecTaskView): VNode {
  const line = lastLine(task);
  if (!line) return muted('exec-task-line');
  return h('code', { class: `run-task__line run-task__line--${line.stream}`, title: line.text, 'data-testid': 'exec-task-line' }, line.text);
}

/** A run's tasks: each row opens to the task's whole output. */
export function runTaskColumns(ctx: Ctx): DataTableColumns<ExecRunTask> {
  const { t } = ctx;
  return [
    { type: 'expand', renderExpand: ctx.renderPanel },
    { key: 'host', title: t('exec.host'), minWidth: 120, render: (row) => hostCell(ctx.current(row), t) },
    {
      key: 'status',
      title: t('exec.status'),
      width: 84,
      render: (row) => {
        const { status } = ctx.current(row);
        return statusTag(t(`exec.statuses.${status}`), TASK_TAG_TYPE[status], 'exec-task-status');
      },
    },
    { key: 'exit', title: t('exec.exit'), width: 80, render: (row) => exitCell(ctx.current(row)) },
    {
      key: 'duration',
      title: t('exec.duration'),
      width: 84,
      render: (row) => {
        const text = taskDuration(ctx.current(row), ctx.now);
        return text ? h('span', { class: 'nowrap run-task__number', 'data-testid': 'exec-task-duration' }, text) : muted('exec-task-duration');
      },
    },
    { key: 'output', title: t('exec.lastLine'), minWidth: 160, render: (row) => lineCell(ctx.current(row)) },
  ];
}

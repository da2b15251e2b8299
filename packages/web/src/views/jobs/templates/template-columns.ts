import type { JobTemplateView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { strategyText } from '../shared/strategy-form';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  canRun: boolean;
  onRun: (tpl: JobTemplateView) => void;
  onEdit: (tpl: JobTemplateView) => void;
  onRuns: (tpl: JobTemplateView) => void;
  onDelete: (tpl: JobTemplateView) => void;
}

function targetsText(tpl: JobTemplateView, t: Translate): string {
  const { hostIds, nodeIds } = tpl.targets;
  const parts = [];
  if (hostIds.length) parts.push(t('jobs.templates.hostsCount', { n: hostIds.length }, hostIds.length));
  if (nodeIds.length) parts.push(t('jobs.templates.nodesCount', { n: nodeIds.length }, nodeIds.length));
  return parts.join(' · ');
}

/** Saved jobs: what they run, where and how; Run starts one. */
export function templateColumns(ctx: Ctx): DataTableColumns<JobTemplateView> {
  const { t } = ctx;
  const primary = (tpl: JobTemplateView): RowAction | null => (ctx.canRun ? { key: 'run', label: t('jobs.templates.run'), run: () => ctx.onRun(tpl) } : null);
  const more = (tpl: JobTemplateView): RowAction[] => [
    ...(ctx.canWrite ? [{ key: 'edit', label: t('common.edit'), run: () => ctx.onEdit(tpl) }] : []),
    { key: 'runs', label: t('jobs.templates.showRuns'), run: () => ctx.onRuns(tpl) },
    ...(ctx.canWrite ? [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(tpl) }] : []),
  ];
  return [
    {
      key: 'name',
      title: t('jobs.templates.name'),
      minWidth: 180,
      render: (tpl) =>
        h('div', null, [
          h('div', { class: 'template-cell__name', 'data-testid': 'template-row-name' }, tpl.name),
          tpl.description ? h('div', { class: 'muted cell-sub' }, tpl.description) : null,
        ]),
    },
    {
      key: 'script',
      title: t('jobs.templates.script'),
      minWidth: 170,
      render: (tpl) =>
        h('span', { class: 'template-cell__script' }, [
          h('span', null, tpl.scriptName),
          h(NTag, { size: 'tiny', bordered: false, type: tpl.scriptVersion === null ? 'info' : 'default' }, {
            default: () => (tpl.scriptVersion === null ? t('jobs.templates.latest') : `v${tpl.scriptVersion}`),
          }),
        ]),
    },
    { key: 'targets', title: t('jobs.targets.title'), width: 150, render: (tpl) => h('span', { class: 'nowrap' }, targetsText(tpl, t)) },
    { key: 'strategy', title: t('jobs.strategy.title'), minWidth: 200, ellipsis: { tooltip: true }, render: (tpl) => strategyText(tpl.strategy) },
    { key: 'updatedAt', title: t('jobs.templates.updatedAt'), width: 170, render: (tpl) => timeCell(tpl.updatedAt) },
    { key: 'actions', title: t('common.actions'), width: 110, align: 'right', render: (tpl) => actionsCell(primary(tpl), more(tpl), 'template') },
  ];
}

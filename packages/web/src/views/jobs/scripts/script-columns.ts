import type { ScriptView } from '@opsline/contracts';
import { NTag, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { actionsCell, timeCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  canRun: boolean;
  onOpen: (s: ScriptView) => void;
  onRun: (s: ScriptView) => void;
  onDelete: (s: ScriptView) => void;
}

const muted = (text = '—') => h('span', { class: 'muted' }, text);

/** The script library: a name opens the editor; Run starts it on hosts at once. */
export function scriptColumns(ctx: Ctx): DataTableColumns<ScriptView> {
  const { t } = ctx;
  const more: (s: ScriptView) => RowAction[] = (s) => [
    ...(ctx.canRun ? [{ key: 'run', label: t('jobs.scripts.run'), run: () => ctx.onRun(s) }] : []),
    ...(ctx.canWrite ? [{ key: 'delete', label: t('common.delete'), danger: true, run: () => ctx.onDelete(s) }] : []),
  ];
  return [
    {
      key: 'name',
      title: t('jobs.scripts.name'),
      minWidth: 180,
      render: (s) =>
        h('div', null, [
          h('a', { class: 'script-cell__name', href: '#', 'data-testid': 'script-row-name', onClick: (e: Event) => (e.preventDefault(), ctx.onOpen(s)) }, s.name),
          s.description ? h('div', { class: 'muted cell-sub' }, s.description) : null,
        ]),
    },
    { key: 'language', title: t('jobs.scripts.language'), width: 100, render: (s) => h(NTag, { size: 'small', bordered: false }, { default: () => s.language }) },
    { key: 'version', title: t('jobs.scripts.version'), width: 80, render: (s) => h('span', { class: 'nowrap', 'data-testid': 'script-row-version' }, `v${s.version}`) },
    {
      key: 'params',
      title: t('jobs.params.title'),
      minWidth: 140,
      render: (s) => (s.params.length ? h('code', { class: 'cell-sub', title: s.params.map((p) => p.name).join(', ') }, s.params.map((p) => p.name).join(', ')) : muted()),
    },
    { key: 'node', title: t('jobs.scripts.node'), minWidth: 140, render: (s) => (s.node ? h('code', null, s.node.path) : muted(t('jobs.scripts.global'))) },
    { key: 'updatedAt', title: t('jobs.scripts.updatedAt'), width: 170, render: (s) => timeCell(s.updatedAt) },
    {
      key: 'actions',
      title: t('common.actions'),
      width: 110,
      align: 'right',
      render: (s) =>
        actionsCell({ key: 'edit', label: ctx.canWrite ? t('common.edit') : t('jobs.scripts.view'), run: () => ctx.onOpen(s) }, more(s), 'script'),
    },
  ];
}

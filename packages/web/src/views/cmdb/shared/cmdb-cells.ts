import type { NodeRef, Owner } from '@opsline/contracts';
import type { DataTableColumn } from 'naive-ui';
import { h, type VNode } from 'vue';
import { actionsCell, tagsCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { labelTexts } from './labels';

/** Table cells the host and app lists share. */

export const labelsCell = (labels: Record<string, string>): VNode => tagsCell(labelTexts(labels), 'default', 3);

/** Node paths, in monospace. */
export function nodesCell(nodes: readonly NodeRef[], empty: string): VNode {
  if (nodes.length === 0) return h('span', { class: 'muted' }, empty);
  const shown: VNode[] = nodes.slice(0, 3).map((n) => h('code', { key: n.id, title: n.path }, n.path));
  if (nodes.length > 3) shown.push(h('span', { class: 'muted' }, `+${nodes.length - 3}`));
  return h('div', { class: 'nodes-cell' }, shown);
}

export const ownersCell = (owners: readonly Owner[]): VNode => tagsCell(owners.map((o) => o.username), 'default', 3);

interface RowActions<T> {
  onEdit?: (row: T) => void;
  onDelete?: (row: T) => void;
  /** Actions of the row's own (listed before delete). */
  more?: (row: T) => RowAction[];
}

/**
 * The right-hand column: edit as a button, the others and delete in the "…"
 * menu (without edit, the first other is the button); test ids `<testId>-<key>`.
 */
export function actionsColumn<T>(t: Translate, testId: string, actions: RowActions<T>): DataTableColumn<T> {
  const { onEdit, onDelete, more } = actions;
  return {
    key: 'actions',
    title: t('common.actions'),
    align: 'right',
    fixed: 'right',
    width: onEdit ? 96 : 130,
    render: (row) => {
      const rest: RowAction[] = [...(more?.(row) ?? []), ...(onDelete ? [{ key: 'delete', label: t('common.delete'), danger: true, run: () => onDelete(row) }] : [])];
      const primary = onEdit ? { key: 'edit', label: t('common.edit'), run: () => onEdit(row) } : (rest.shift() ?? null);
      return actionsCell(primary, rest, testId);
    },
  };
}

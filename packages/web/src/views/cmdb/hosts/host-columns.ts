import type { HostView } from '@opsline/contracts';
import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { tagsCell, type RowAction } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import { actionsColumn, labelsCell, nodesCell } from '../shared/cmdb-cells';
import { hostStatusTag, memoryText } from './host-status';

interface Ctx {
  t: Translate;
  canWrite: boolean;
  /** A checkbox column for picking rows (unbinding from a node). */
  selectable: boolean;
  /** Fewer columns, for a node's tab beside the tree: the OS under the name, no owner or source. */
  compact: boolean;
  /** Leave out where each host is bound (a leaf's own list). */
  hideNodes: boolean;
  /** SSH credential: seen with agent:read (and set with agent:admin, in the drawer). */
  canSeeSsh: boolean;
  onEdit: (h: HostView) => void;
  onDelete: (h: HostView) => void;
  onSsh: (h: HostView) => void;
}

const muted = (text = '—') => h('span', { class: 'muted' }, text);

function sizeText(host: HostView, t: Translate): string | null {
  const parts: string[] = [];
  if (host.cpuCores !== null) parts.push(t('hosts.coresShort', { n: host.cpuCores }));
  if (host.memoryMb !== null) parts.push(memoryText(host.memoryMb));
  return parts.length > 0 ? parts.join(' / ') : null;
}

export function hostColumns(ctx: Ctx): DataTableColumns<HostView> {
  const { t } = ctx;
  const columns: DataTableColumns<HostView> = [];
  if (ctx.selectable) columns.push({ type: 'selection', width: 40 });
  columns.push(
    {
      key: 'hostname',
      title: t('hosts.hostname'),
      minWidth: 160,
      render: (host) => {
        const name = h('div', { class: 'host-cell__name', 'data-testid': 'host-row-hostname' }, host.hostname);
        return ctx.compact && host.os ? h('div', null, [name, h('div', { class: 'muted cell-sub' }, host.os)]) : name;
      },
    },
    {
      key: 'ips',
      title: t('hosts.ips'),
      minWidth: 130,
      render: (host) => h('div', { class: 'ips-cell' }, host.ips.map((ip) => h('code', { key: ip }, ip))),
    },
    { key: 'status', title: t('hosts.status'), width: 96, render: (host) => hostStatusTag(host.status) },
    ...(ctx.compact ? [] : [{ key: 'os', title: t('hosts.os'), minWidth: 110, ellipsis: { tooltip: true }, render: (host: HostView) => host.os || muted() }]),
    {
      key: 'size',
      title: t('hosts.cpuMemory'),
      width: 120,
      render: (host) => {
        const text = sizeText(host, t);
        return text ? h('span', { class: 'nowrap' }, text) : muted();
      },
    },
    { key: 'labels', title: t('cmdb.labels'), minWidth: 140, render: (host) => labelsCell(host.labels) },
    ...(ctx.hideNodes ? [] : [{ key: 'nodes', title: t('hosts.nodes'), minWidth: 160, render: (host: HostView) => nodesCell(host.nodes, t('hosts.notBound')) }]),
  );
  if (!ctx.compact) {
    columns.push(
      { key: 'owner', title: t('cmdb.owner'), width: 100, render: (host) => (host.owner ? host.owner.username : muted()) },
      { key: 'source', title: t('hosts.source'), width: 80, render: (host) => tagsCell([t(`hosts.sources.${host.source}`)]) },
    );
  }
  const ssh = (host: HostView): RowAction[] => (ctx.canSeeSsh ? [{ key: 'ssh', label: t('sshCredential.action'), run: () => ctx.onSsh(host) }] : []);
  if (ctx.canWrite) columns.push(actionsColumn(t, 'host', { onEdit: ctx.onEdit, onDelete: ctx.onDelete, more: ssh }));
  else if (ctx.canSeeSsh) columns.push(actionsColumn(t, 'host', { more: ssh }));
  return columns;
}

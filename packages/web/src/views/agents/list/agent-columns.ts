import type { AgentView } from '@opsline/contracts';
import { NA, type DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import { RouterLink } from 'vue-router';
import { actionsCell, monoCell, relativeTimeCell, timeCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';
import AgentFigures from './AgentFigures.vue';
import { agentStatusTag } from './agent-status';

interface Ctx {
  t: Translate;
  /** Revoke is offered to agent:admin only. */
  canAdmin: boolean;
  /** Hostnames link to the hosts page for those who may open it. */
  canSeeHosts: boolean;
  onRevoke: (agent: AgentView) => void;
}

/** The hostname, as a link to its host on the hosts page. */
function hostnameCell(agent: AgentView, linked: boolean) {
  const attrs = { class: 'host-cell__name', 'data-testid': 'agent-row-hostname' };
  if (!linked || !agent.hostId) return h('span', attrs, agent.hostname);
  return h(
    RouterLink,
    { to: { name: 'cmdb-hosts', query: { q: agent.hostname } }, custom: true },
    { default: ({ href, navigate }: { href: string; navigate: (e: MouseEvent) => void }) => h(NA, { ...attrs, href, onClick: navigate }, { default: () => agent.hostname }) },
  );
}

export function agentColumns(ctx: Ctx): DataTableColumns<AgentView> {
  const { t } = ctx;
  const columns: DataTableColumns<AgentView> = [
    { key: 'hostname', title: t('agents.hostname'), minWidth: 160, render: (a) => hostnameCell(a, ctx.canSeeHosts) },
    { key: 'status', title: t('agents.status'), width: 90, render: (a) => agentStatusTag(a.status) },
    { key: 'version', title: t('agents.version'), width: 90, render: (a) => monoCell(a.version) },
    { key: 'lastSeenAt', title: t('agents.lastSeen'), width: 130, render: (a) => relativeTimeCell(a.lastSeenAt, t('agents.neverSeen')) },
    {
      key: 'metrics',
      title: t('agents.figures'),
      width: 180,
      render: (a) => (a.metrics ? h(AgentFigures, { metrics: a.metrics, stale: a.status !== 'online' }) : h('span', { class: 'muted' }, t('agents.noFigures'))),
    },
    { key: 'enrolledAt', title: t('agents.enrolledAt'), width: 170, render: (a) => timeCell(a.enrolledAt) },
  ];
  if (ctx.canAdmin) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: 80,
      render: (a) =>
        a.status === 'revoked' ? null : actionsCell(null, [{ key: 'revoke', label: t('agents.revoke'), danger: true, run: () => ctx.onRevoke(a) }], 'agent'),
    });
  }
  return columns;
}

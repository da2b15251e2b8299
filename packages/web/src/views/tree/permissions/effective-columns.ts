import { PeopleOutline, PersonOutline } from '@vicons/ionicons5';
import { ALL_PERMISSIONS, type EffectiveGrant } from '@opsline/contracts';
import { NIcon, NTag, type DataTableColumns } from 'naive-ui';
import { h, type VNode } from 'vue';
import { tagsCell } from '../../../platform/components/cells';
import type { Translate } from '../../../platform/i18n';

/** Where a grant sits: everywhere, this node, or a node above it. */
function fromCell(g: EffectiveGrant, t: Translate): VNode {
  if (g.nodeId === null) return h(NTag, { size: 'small', bordered: false }, { default: () => t('nodePerms.fromGlobal') });
  if (!g.inherited) return h(NTag, { size: 'small', bordered: false, type: 'success' }, { default: () => t('nodePerms.fromHere') });
  return h('span', { class: 'nowrap' }, [t('nodePerms.fromAbove'), ' ', h('code', null, g.nodePath ?? g.nodeId)]);
}

function viaCell(g: EffectiveGrant, t: Translate): VNode {
  const team = g.via === 'team';
  return h('div', { class: 'subject-cell' }, [
    h(NIcon, { component: team ? PeopleOutline : PersonOutline, size: 16 }),
    h('span', null, team ? t('nodePerms.viaTeam', { team: g.teamName ?? g.teamId ?? '' }) : t('nodePerms.viaUser')),
  ]);
}

/** Permission names as tags; `*` reads as "all". */
export const permissionTags = (permissions: readonly string[], t: Translate, max = 8): VNode =>
  tagsCell(
    permissions.map((p) => (p === ALL_PERMISSIONS ? t('nodePerms.all') : p)),
    'info',
    max,
  );

export function effectiveColumns(t: Translate): DataTableColumns<EffectiveGrant> {
  return [
    { key: 'role', title: t('grants.role'), width: 120, render: (g) => h(NTag, { size: 'small', type: 'info', bordered: false }, { default: () => g.role }) },
    { key: 'from', title: t('nodePerms.from'), minWidth: 160, render: (g) => fromCell(g, t) },
    { key: 'via', title: t('nodePerms.via'), minWidth: 140, render: (g) => viaCell(g, t) },
    { key: 'permissions', title: t('nodePerms.permissions'), minWidth: 220, render: (g) => permissionTags(g.permissions, t, 4) },
  ];
}

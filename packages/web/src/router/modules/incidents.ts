import { AlertCircleOutline, GitMergeOutline, OptionsOutline, StatsChartOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * Incidents under Alerts & on-call: the overview (事件概览), the list
 * (事件单) with a page per incident, the priority and SLA settings, and the
 * grouping rules that turn alerts into incidents. Notifications link to an
 * incident's page with `?do=ack` or `?do=resolve`.
 */
export const incidentRoutes: RouteRecordRaw[] = [
  {
    path: 'incidents/dashboard',
    name: 'incidents-dashboard',
    component: () => import('../../views/incidents/dashboard/index.vue'),
    meta: { titleKey: 'incidents.menu.dashboard', permission: 'incident:read', menu: { icon: StatsChartOutline, group: 'oncall', order: 10 } },
  },
  {
    path: 'incidents',
    name: 'incidents',
    component: () => import('../../views/incidents/list/index.vue'),
    meta: { titleKey: 'incidents.menu.list', permission: 'incident:read', menu: { icon: AlertCircleOutline, group: 'oncall', order: 20 } },
  },
  {
    path: 'incidents/:id',
    name: 'incident',
    component: () => import('../../views/incidents/detail/index.vue'),
    meta: { titleKey: 'incidents.menu.detail', permission: 'incident:read' },
  },
  {
    path: 'incidents/grouping-rules',
    name: 'incidents-grouping-rules',
    component: () => import('../../views/incidents/grouping-rules/index.vue'),
    // Everyone who reads incidents sees how they are grouped; incident:admin changes it.
    meta: { titleKey: 'incidents.menu.groupingRules', permission: 'incident:read', menu: { icon: GitMergeOutline, group: 'oncall', order: 80 } },
  },
  {
    path: 'incidents/settings',
    name: 'incidents-settings',
    component: () => import('../../views/incidents/settings/index.vue'),
    meta: { titleKey: 'incidents.menu.settings', permission: 'incident:admin', menu: { icon: OptionsOutline, group: 'oncall', order: 90 } },
  },
];

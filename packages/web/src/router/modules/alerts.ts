import { ExtensionPuzzleOutline, FlashOutline, GitNetworkOutline, NotificationsOffOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * The alert center under Alerts & on-call: the alerts (告警列表) with a
 * drawer per alert (`?alert=<id>`), the integrations that take them in
 * (告警接入), the silences and maintenance windows (静默与维护窗口) and the
 * inhibition rules (抑制规则).
 */
export const alertRoutes: RouteRecordRaw[] = [
  {
    path: 'alerts',
    name: 'alerts',
    component: () => import('../../views/alerts/list/index.vue'),
    meta: { titleKey: 'alerts.menu.list', permission: 'alert:read', menu: { icon: FlashOutline, group: 'oncall', order: 30 } },
  },
  {
    path: 'alerts/integrations',
    name: 'alerts-integrations',
    component: () => import('../../views/alerts/integrations/index.vue'),
    // Everyone who reads alerts sees where they come from; integration:admin changes it.
    meta: { titleKey: 'alerts.menu.integrations', permission: 'alert:read', menu: { icon: ExtensionPuzzleOutline, group: 'oncall', order: 70 } },
  },
  {
    path: 'alerts/silences',
    name: 'alerts-silences',
    component: () => import('../../views/alerts/silences/index.vue'),
    meta: { titleKey: 'alerts.menu.silences', permission: 'alert:read', menu: { icon: NotificationsOffOutline, group: 'oncall', order: 75 } },
  },
  {
    path: 'alerts/inhibit-rules',
    name: 'alerts-inhibit-rules',
    component: () => import('../../views/alerts/inhibit-rules/index.vue'),
    meta: { titleKey: 'alerts.menu.inhibitRules', permission: 'alert:read', menu: { icon: GitNetworkOutline, group: 'oncall', order: 76 } },
  },
];

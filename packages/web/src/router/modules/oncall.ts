import { CalendarOutline, GitNetworkOutline, ShuffleOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/**
 * On-call under Alerts & on-call: schedules (值班表) with a page per schedule
 * (its calendar, overrides and who is on call), escalation policies (升级策略)
 * and routing rules (路由规则). Notification rules (通知规则) are each
 * user's own, reached from the profile; an on-call admin opens anyone's from
 * the user list.
 */
export const oncallRoutes: RouteRecordRaw[] = [
  {
    path: 'oncall/schedules',
    name: 'oncall-schedules',
    component: () => import('../../views/oncall/schedules/index.vue'),
    meta: { titleKey: 'oncall.menu.schedules', permission: 'oncall:read', menu: { icon: CalendarOutline, group: 'oncall', order: 40 } },
  },
  {
    path: 'oncall/schedules/:id',
    name: 'oncall-schedule',
    component: () => import('../../views/oncall/schedules/detail/index.vue'),
    meta: { titleKey: 'oncall.menu.schedule', permission: 'oncall:read' },
  },
  {
    path: 'oncall/escalation-policies',
    name: 'oncall-escalation-policies',
    component: () => import('../../views/oncall/escalation-policies/index.vue'),
    meta: { titleKey: 'oncall.menu.policies', permission: 'oncall:read', menu: { icon: GitNetworkOutline, group: 'oncall', order: 50 } },
  },
  {
    path: 'oncall/routing-rules',
    name: 'oncall-routing-rules',
    component: () => import('../../views/oncall/routing-rules/index.vue'),
    meta: { titleKey: 'oncall.menu.routingRules', permission: 'oncall:read', menu: { icon: ShuffleOutline, group: 'oncall', order: 60 } },
  },
  {
    // Every signed-in user has their own.
    path: 'profile/notification-rules',
    name: 'my-notification-rules',
    component: () => import('../../views/oncall/notification-rules/index.vue'),
    meta: { titleKey: 'oncall.menu.myNotifications' },
  },
  {
    path: 'admin/users/:id/notification-rules',
    name: 'user-notification-rules',
    component: () => import('../../views/oncall/notification-rules/index.vue'),
    meta: { titleKey: 'oncall.menu.userNotifications', permission: 'oncall:admin' },
  },
];

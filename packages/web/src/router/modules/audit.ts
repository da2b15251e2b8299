import { DocumentTextOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const auditRoutes: RouteRecordRaw[] = [
  {
    path: 'admin/audit',
    name: 'audit-list',
    component: () => import('../../views/audit/list/index.vue'),
    meta: { titleKey: 'menu.audit', permission: 'audit:read', menu: { icon: DocumentTextOutline, group: 'admin', order: 40 } },
  },
];

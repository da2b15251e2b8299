import { CubeOutline, HardwareChipOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

/** The CMDB's lists; the service tree (router/modules/tree.ts) heads the same menu group. */
export const cmdbRoutes: RouteRecordRaw[] = [
  {
    path: 'cmdb/hosts',
    name: 'cmdb-hosts',
    component: () => import('../../views/cmdb/hosts/index.vue'),
    meta: { titleKey: 'menu.hosts', permission: 'host:read', nodeScoped: true, menu: { icon: HardwareChipOutline, group: 'cmdb', order: 30 } },
  },
  {
    path: 'cmdb/apps',
    name: 'cmdb-apps',
    component: () => import('../../views/cmdb/apps/index.vue'),
    meta: { titleKey: 'menu.apps', permission: 'app:read', nodeScoped: true, menu: { icon: CubeOutline, group: 'cmdb', order: 40 } },
  },
];

import { GitNetworkOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const treeRoutes: RouteRecordRaw[] = [
  {
    path: 'tree',
    name: 'tree',
    component: () => import('../../views/tree/index.vue'),
    meta: { titleKey: 'menu.tree', permission: 'tree:read', nodeScoped: true, menu: { icon: GitNetworkOutline, group: 'cmdb', order: 20 } },
  },
];

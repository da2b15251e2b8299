import { TerminalOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const execRoutes: RouteRecordRaw[] = [
  {
    path: 'exec',
    name: 'exec-run',
    component: () => import('../../views/exec/run/index.vue'),
    // A grant of exec:run on a node is enough: the host search shows only that node's hosts.
    meta: { titleKey: 'menu.exec', permission: 'exec:run', nodeScoped: true, menu: { icon: TerminalOutline, group: 'ops', order: 10 } },
  },
];

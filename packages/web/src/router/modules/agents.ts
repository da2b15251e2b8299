import { PulseOutline } from '@vicons/ionicons5';
import type { RouteRecordRaw } from 'vue-router';

export const agentRoutes: RouteRecordRaw[] = [
  {
    path: 'agents',
    name: 'agents-list',
    component: () => import('../../views/agents/list/index.vue'),
    // Two tabs: the agents, and the enrollment tokens new hosts join with (`?tab=tokens`).
    meta: { titleKey: 'menu.agents', permission: 'agent:read', menu: { icon: PulseOutline, group: 'ops', order: 20 } },
  },
];
